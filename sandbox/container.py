"""One hardened sandbox container: how it is created (limits, labels, mounts) and removed.

A container made here never sees the network, the host's environment or a bind mount of the
user's folder, and its root filesystem is read-only; removal always escalates to force.
"""

from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import dataclass

import docker
import docker.errors
from docker.models.containers import Container
from docker.types import Mount, Ulimit

MIB = 1024**2
RUNNER_USER = "1000:1000"
WORKDIR = "/work"  # tmpfs owned by the runner: the copy the tests run in
BASEDIR = "/base"  # volume owned by root: the snapshot as last sent, which the runner cannot touch
ENV_DIR = "/opt/microagent-env"  # the workspace's environment (a venv) in an environment layer
TOOLSDIR = "/opt/microagent"  # volume owned by root: the run script's own shell
# Execute-only, so the kernel makes the run script's shell non-dumpable: the runner's
# processes cannot open its /proc/PID/fd (the private channel) or read its memory (the secret).
PRIVATE_SHELL = f"{TOOLSDIR}/sh"
_INSTALL_SHELL = f"cp /bin/sh {PRIVATE_SHELL} && chmod 0111 {PRIVATE_SHELL}"
IDLE_COMMAND = ["sh", "-c", "while :; do sleep 5; done"]  # pid 1; its shell reaps orphans
# pid 1 (and its sleep) run as root with no capabilities: another uid than the tests', so they
# cannot write its memory, trace it, signal it or reach its /proc/1/root; every run's command
# is an exec as RUNNER_USER.
IDLE_USER = "0:0"
CONTAINER_ENV = {
    "PATH": f"{ENV_DIR}/bin:/usr/local/bin:/usr/bin:/bin",  # the venv's python3 first, if any
    "LANG": "C.UTF-8",
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "PYTHONDONTWRITEBYTECODE": "1",
}

OWNER_LABEL = "microagent.owner"
WORKSPACE_LABEL = "microagent.workspace"
MODE_LABEL = "microagent.mode"


@dataclass(frozen=True)
class ContainerLimits:
    """What one sandbox container may use. Memory and memory+swap are equal: no swap."""

    memory: str = "512m"
    cpus: float = 1.0
    pids: int = 128
    tmp_size: str = "64m"
    work_size: str = "256m"
    open_files: int = 1024
    file_size: int = 64 * MIB
    output_limit: int = 1_048_576


def owner_label() -> str:
    """`<hostname>:<pid>`: lets a janitor tell a live owner from a crashed one."""
    return f"{socket.gethostname()}:{os.getpid()}"


def workspace_label(root: str | None) -> str:
    return hashlib.sha256((root or "").encode()).hexdigest()[:16]


def create_container(
    client: docker.DockerClient,
    image: str,
    limits: ContainerLimits,
    labels: dict[str, str],
) -> Container:
    """Start an idle container, with its private shell; commands run in it later through exec."""
    container = client.containers.run(
        image,
        IDLE_COMMAND,
        detach=True,
        labels=labels,
        user=IDLE_USER,
        working_dir=WORKDIR,
        environment=dict(CONTAINER_ENV),
        network_mode="none",
        network_disabled=True,
        read_only=True,
        tmpfs={
            "/tmp": f"rw,nosuid,nodev,noexec,size={limits.tmp_size}",
            WORKDIR: f"rw,nosuid,nodev,exec,size={limits.work_size},uid=1000,gid=1000,mode=0755",
        },
        mounts=[Mount(target=BASEDIR, source=None, type="volume"),  # anonymous; go with v=True
                Mount(target=TOOLSDIR, source=None, type="volume")],  # fmt: skip
        cap_drop=["ALL"],
        security_opt=["no-new-privileges"],
        pids_limit=limits.pids,
        mem_limit=limits.memory,
        memswap_limit=limits.memory,
        nano_cpus=int(limits.cpus * 1e9),
        ulimits=[
            Ulimit(name="nofile", soft=limits.open_files, hard=limits.open_files),
            Ulimit(name="fsize", soft=limits.file_size, hard=limits.file_size),
            Ulimit(name="core", soft=0, hard=0),
        ],
        ipc_mode="private",
        shm_size=limits.tmp_size,
        log_config={"type": "none", "config": {}},
    )
    exec_id = client.api.exec_create(container.id, ["sh", "-c", _INSTALL_SHELL], user="0:0")["Id"]
    output = client.api.exec_start(exec_id)
    if client.api.exec_inspect(exec_id).get("ExitCode") != 0:
        remove_container(container)
        raise docker.errors.APIError(f"could not install the sandbox's shell: {output!r}")
    return container


def remove_container(
    container: Container | str, client: docker.DockerClient | None = None
) -> None:
    """Stop, kill if that fails, and always force-remove with its volume. Gone already is fine."""
    if isinstance(container, str):
        if client is None:
            raise ValueError("removing a container by id needs a client")
        try:
            container = client.containers.get(container)
        except docker.errors.NotFound:
            return
    try:
        container.stop(timeout=0)  # SIGKILL right after SIGTERM: an idle shell has nothing to save
    except docker.errors.NotFound:
        return
    except docker.errors.APIError:
        try:
            container.kill()
        except docker.errors.APIError:
            pass  # not running: removal is all that is left
    finally:
        try:
            container.remove(force=True, v=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as exc:
            if "already in progress" not in str(exc):
                raise
