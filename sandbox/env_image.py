"""Builds a workspace's environment layer: a container from the sandbox image, with no
network, installs the project (editable, at /work, where every run puts its copy) and its
requirements from wheels fetched on the host; the result is committed as an image.

The build container runs only the user's own files as they were before the run (never a
candidate's), and is removed whatever happens.
"""

from __future__ import annotations

import io
import json
import shlex
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import docker
import docker.errors

from microagent.sandbox.container import (ENV_DIR, IDLE_COMMAND, MODE_LABEL, OWNER_LABEL, WORKDIR,
                                          WORKSPACE_LABEL, owner_label, remove_container,
                                          workspace_label)
from microagent.sandbox.snapshot import snapshot_tar
from microagent.sandbox.types import EnvironmentFailed, Progress, WorkspaceSnapshot
from microagent.sandbox.wheel_fetch import PIP_TAIL_LINES, TargetPython

ENV_REPOSITORY = "microagent-env"
KEY_LABEL = "microagent.env"
BASE_LABEL = "microagent.base"
WHEELS_DIR = "/opt/microagent-wheels"
INFO_FILE = f"{ENV_DIR}/microagent-env.json"
BUILD_MEMORY = "2g"
# What the image's Python is: its version and platform tags (Debian's pytest brings packaging).
_PYTHON_INFO = """
import json, sys
try:
    from packaging.tags import sys_tags
    platforms = list(dict.fromkeys(t.platform for t in sys_tags()))
except Exception:
    platforms = []
try:
    import pytest
    has_pytest = True
except Exception:
    has_pytest = False
print(json.dumps({"version": "%d.%d.%d" % sys.version_info[:3], "platforms": platforms,
                  "has_pytest": has_pytest}))
"""
# What the environment holds once installed: its distributions and its pytest plugins.
_ENV_INFO = """
import json, sys, importlib.metadata as m
dists = sorted({"%s==%s" % (d.metadata["Name"], d.version) for d in m.distributions()
                if d.metadata["Name"] and str(d.locate_file("")).startswith(sys.prefix)})
plugins = sorted({ep.value.split(":")[0] for ep in m.entry_points(group="pytest11")})
print(json.dumps({"installed": dists, "plugins": plugins}))
"""


@dataclass
class InstallPlan:
    """What the build container installs: the project (editable, with `extras`) and the
    requirements file, pinned by `constraints` where a lock file gave them."""

    editable: bool
    extras: list[str] = field(default_factory=list)
    requirements: str = ""  # a requirements file's text, for the container (no index options)
    constraints: str = ""
    setup: str | None = None  # the user's command, run after the install


def env_tag(key: str) -> str:
    return f"{ENV_REPOSITORY}:{key[:16]}"


def python_of(client: docker.DockerClient, image: str) -> TargetPython:
    """Ask the image's python3 what it is (one short container, no network)."""
    try:
        out = client.containers.run(image, ["python3", "-c", _PYTHON_INFO], remove=True,
                                    network_mode="none", user="1000:1000", stderr=True)
        info = json.loads(out.decode().strip().splitlines()[-1])
    except (docker.errors.ContainerError, docker.errors.APIError, ValueError, IndexError) as exc:
        raise EnvironmentFailed(
            f"The sandbox image {image} has no usable python3 ({exc}). Set sandbox.image to an "
            "image with Python 3.") from exc
    return TargetPython(info["version"], info.get("platforms") or [],
                        bool(info.get("has_pytest", True)))


def build_env_image(
    client: docker.DockerClient, base: str, key: str, snapshot: WorkspaceSnapshot,
    wheels: Path, plan: InstallPlan, progress: Progress,
) -> dict:  # fmt: skip
    """Install into a container of `base` and commit it as `env_tag(key)`; returns what the
    environment holds ({"installed": [...], "plugins": [...]}). EnvironmentFailed with pip's
    error when the install fails."""
    labels = {OWNER_LABEL: owner_label(), MODE_LABEL: "env-build",
              WORKSPACE_LABEL: workspace_label(snapshot.root)}  # fmt: skip
    try:
        container = client.containers.run(
            base, IDLE_COMMAND, detach=True, user="0:0", network_mode="none", labels=labels,
            mem_limit=BUILD_MEMORY, memswap_limit=BUILD_MEMORY, log_config={"type": "none"},
            environment={"HOME": "/tmp", "PATH": f"{ENV_DIR}/bin:/usr/local/bin:/usr/bin:/bin"})
    except docker.errors.APIError as exc:
        raise EnvironmentFailed(f"Docker could not start the environment build: {exc}") from exc
    try:
        container.put_archive("/", _wheels_tar(wheels, plan))
        container.put_archive(WORKDIR, snapshot_tar(snapshot))
        exec_in_build(client, container, _install_script(wheels, plan), progress)
        info = json.loads(exec_in_build(
            client, container, f"python3 -c {shlex.quote(_ENV_INFO)}",
            lambda line: None).strip().splitlines()[-1])  # fmt: skip
        exec_in_build(
            client, container, f"printf '%s' {shlex.quote(json.dumps(info))} > {INFO_FILE}; "
            f"rm -rf {WHEELS_DIR} {WORKDIR}/..?* {WORKDIR}/.[!.]* {WORKDIR}/*; "
            f"chown 1000:1000 {WORKDIR}", lambda line: None)  # fmt: skip
        changes = ["USER 1000", f"WORKDIR {WORKDIR}", 'CMD ["sleep", "infinity"]',
                   f"LABEL {KEY_LABEL}={key} {BASE_LABEL}={base} "
                   f"{WORKSPACE_LABEL}={workspace_label(snapshot.root)}"]  # fmt: skip
        if info["plugins"]:
            changes.append(f"ENV PYTEST_PLUGINS={','.join(info['plugins'])}")
        repository, _, tag = env_tag(key).partition(":")
        container.commit(repository=repository, tag=tag, changes=changes)
        return info
    except (docker.errors.APIError, ValueError, KeyError) as exc:
        raise EnvironmentFailed(f"The environment build failed in Docker: {exc}") from exc
    finally:
        remove_container(container)


def env_info(client: docker.DockerClient, tag: str) -> dict:
    """What an environment image holds, read back from it."""
    out = client.containers.run(tag, ["cat", INFO_FILE], remove=True, network_mode="none")
    return json.loads(out.decode())


def _install_script(wheels: Path, plan: InstallPlan) -> str:
    pip_wheel = sorted(wheels.glob("pip-*.whl"))[-1].name
    pip = (f"python3 {WHEELS_DIR}/{pip_wheel}/pip install --no-index --find-links {WHEELS_DIR} "
           "--no-cache-dir --disable-pip-version-check --no-input --progress-bar off")
    args = []
    if plan.constraints:
        args += ["--constraint", f"{WHEELS_DIR}/constraints.txt"]
    if plan.requirements:
        args += ["--requirement", f"{WHEELS_DIR}/requirements.txt"]
    if plan.editable:
        extras = f"[{','.join(plan.extras)}]" if plan.extras else ""
        args += ["--editable", f"{WORKDIR}{extras}"]
    lines = ["set -e", f"python3 -m venv --system-site-packages --without-pip {ENV_DIR}",
             f"cd {WORKDIR}",
             # A version from the VCS (setuptools-scm, hatch-vcs) has no .git to read here.
             "export SETUPTOOLS_SCM_PRETEND_VERSION=0.0.0",
             f"{pip} {' '.join(shlex.quote(a) for a in args)} 2>&1"]  # fmt: skip
    if plan.setup:
        lines.append(f"echo '$ '{shlex.quote(plan.setup)}; ( {plan.setup} ) 2>&1")
    return "\n".join(lines)


def _wheels_tar(wheels: Path, plan: InstallPlan) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sorted(wheels.glob("*.whl")) + sorted(wheels.glob("*.tar.gz")):
            tar.add(path, arcname=f"{WHEELS_DIR.lstrip('/')}/{path.name}")
        for name, text in (("requirements.txt", plan.requirements),
                           ("constraints.txt", plan.constraints)):  # fmt: skip
            data = text.encode()
            info = tarfile.TarInfo(f"{WHEELS_DIR.lstrip('/')}/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def exec_in_build(client: docker.DockerClient, container, script: str,  # type: ignore[no-untyped-def]
                  progress: Progress, user: str = "0:0") -> str:
    """Run `script` as `user` (root) in the build container, each output line to `progress`."""
    exec_id = client.api.exec_create(container.id, ["sh", "-c", script], user=user,
                                     workdir=WORKDIR)["Id"]  # fmt: skip
    lines: list[str] = []
    pending = ""
    for chunk in client.api.exec_start(exec_id, stream=True):
        pending += chunk.decode(errors="replace")
        *done, pending = pending.split("\n")
        for line in done:
            lines.append(line)
            if line.strip():
                progress(line.rstrip())
    if pending:
        lines.append(pending)
        progress(pending)
    code = client.api.exec_inspect(exec_id).get("ExitCode")
    if code != 0:
        tail = "\n".join(line for line in lines if line.strip())
        tail = "\n".join(tail.splitlines()[-PIP_TAIL_LINES:])
        raise EnvironmentFailed(
            f"Installing the workspace's environment failed in the sandbox (exit {code}):\n{tail}")
    return "\n".join(lines)
