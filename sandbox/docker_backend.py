"""The Docker sandbox: runs tests and commands on a snapshot in a hardened container.

Every docker call runs in a worker thread; a timeout or a cancelled coroutine kills the
container rather than waiting for it. The host's environment and the user's folder never reach
the container: the workspace is copied in, and the environment is built from nothing.
"""

from __future__ import annotations

import asyncio
import atexit
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Protocol, Sequence

import docker
import docker.errors
import requests

from microagent.sandbox.backend_tests import RunnerEnd, RunsTests
from microagent.sandbox.container import WORKDIR, ContainerLimits
from microagent.sandbox.container_exec import ExecResult, exec_in_container
from microagent.sandbox.engine import connect, endpoint, remove_orphans
from microagent.sandbox.environments import Environments
from microagent.sandbox.image_build import DEFAULT_IMAGE, image_present
from microagent.sandbox.pool import ContainerPool, Sync
from microagent.sandbox.test_runner import TestRunner
from microagent.sandbox.types import (CommandResult, EngineLost, Environment, Progress,
                                      SandboxError, WorkspaceSnapshot)

REPORT_PATH = "/tmp/.microagent-junit.xml"
CLEANUP_SECONDS = 5.0  # how long a cancelled run waits for its container to be removed


class WorkspaceEnvironments(Protocol):
    """What a workspace's runs start from: a Python environment layer (sandbox/environments.py)
    or a Node one (sandbox/node_env.py)."""

    cache: Path

    def image_for(self, snapshot: WorkspaceSnapshot) -> str: ...

    def prepare(self, snapshot: WorkspaceSnapshot, progress: Progress) -> Environment: ...

    def describe(self, snapshot: WorkspaceSnapshot) -> dict: ...


# Makes a sandbox's environments from its engine client and its image.
EnvironmentsFactory = Callable[[docker.DockerClient, str], WorkspaceEnvironments]


class DockerSandbox(RunsTests):
    """Strong isolation: no network, read-only root, no capabilities, memory, CPU and pid limits.

    `warm=True` keeps one container per workspace between runs (see `microagent.sandbox.pool`);
    `warm=False` starts a fresh one for every run. Raises SandboxError at construction when
    the engine is unreachable or the image is missing, so `select_backend` can fall back.
    """

    name = "docker"
    isolation = "strong"

    def __init__(
        self,
        client_factory: Callable[[], docker.DockerClient] = docker.from_env,
        image: str = DEFAULT_IMAGE,
        limits: ContainerLimits = ContainerLimits(),
        *,
        runner: TestRunner,
        warm: bool = True,
        requirements: Sequence[str] = (),
        setup: str | None = None,
        env_cache: Path | None = None,
        devcontainer: bool = False,
        environments: EnvironmentsFactory | None = None,
    ):
        """`environments`: where a workspace's dependencies come from; by default its Python
        environment (`requirements`, `setup`, `devcontainer` and `env_cache` are for that)."""
        self.client = connect(client_factory)
        if not image_present(self.client, image):
            self.client.close()
            raise SandboxError(
                f"The sandbox image {image} is not built yet. Run `microagent sandbox build` "
                "once (about two minutes offline)."
            )
        self.endpoint = endpoint(self.client)
        self.image = image
        self.limits = limits
        self.runner = runner
        self.removed_orphans = remove_orphans(self.client)
        self.pool = ContainerPool(self.client, image, limits, warm=warm)
        self.environments: WorkspaceEnvironments = (
            environments(self.client, image) if environments is not None else
            Environments(self.client, image, cache=env_cache, requirements=requirements,
                         setup=setup, devcontainer=devcontainer))
        atexit.register(self.pool.close)  # a server that exits without close() still cleans up
        self.last_sync: Sync | None = None  # what the latest run sent into its container

    async def _run_runner(
        self, snapshot: WorkspaceSnapshot, build_argv: Callable[[str], list[str]],
        env: dict[str, str], timeout: float, secret: str,
    ) -> RunnerEnd:  # fmt: skip
        wanted = [REPORT_PATH] if self.runner.report_file else []
        job = _Job(snapshot, build_argv(REPORT_PATH), env, wanted, timeout, share_secret=True,
                   secret=secret)  # fmt: skip
        result = await self._execute(job)
        problem = "the code under test wrote into the sandbox's private channel"
        return RunnerEnd(result, result.oom_killed, result.files.get(REPORT_PATH),
                         problem if result.channel_tampered else "")  # fmt: skip

    async def run(
        self,
        snapshot: WorkspaceSnapshot,
        argv: Sequence[str],
        timeout: float = 60.0,
        *,
        collect: Sequence[str] = (),
    ) -> CommandResult:
        """Run `argv` in the workspace; `collect` names workspace files to bring back."""
        wanted = [f"{WORKDIR}/{path.lstrip('/')}" for path in collect]
        result = await self._execute(_Job(snapshot, list(argv), {}, wanted, timeout))
        prefix = WORKDIR + "/"
        files = {k[len(prefix) :]: v for k, v in result.files.items() if k.startswith(prefix)}
        return CommandResult.ended(argv, result, oom_killed=result.oom_killed, files=files)

    async def prepare(self, snapshot: WorkspaceSnapshot,
                      progress: Progress | None = None) -> Environment:
        """Find or build the workspace's environment layer (sandbox/environments.py)."""
        try:
            return await asyncio.to_thread(self.environments.prepare, snapshot,
                                           progress or (lambda line: None))
        except (docker.errors.DockerException, requests.RequestException, OSError) as exc:
            raise EngineLost(f"The Docker engine failed while preparing the environment ({exc})."
                             " Check `microagent sandbox status`.") from exc

    def container_ids(self) -> list[str]:
        """The containers this sandbox holds now (full ids)."""
        return self.pool.container_ids()

    async def close(self) -> None:
        """Remove every container this sandbox started."""
        atexit.unregister(self.pool.close)
        try:
            await asyncio.to_thread(self.pool.close)
        finally:
            self.client.close()

    async def _execute(self, job: "_Job") -> ExecResult:
        stop = threading.Event()
        work = asyncio.ensure_future(asyncio.to_thread(self._execute_blocking, job, stop))
        try:
            return await asyncio.shield(work)
        except asyncio.CancelledError:
            # The worker kills the container within one poll, then removes it; wait for that,
            # so that a cancelled run leaves nothing behind.
            stop.set()
            await asyncio.wait([work], timeout=CLEANUP_SECONDS)
            raise

    def _execute_blocking(self, job: "_Job", stop: threading.Event) -> ExecResult:
        try:
            return self._execute_with_retry(job, stop)
        except (docker.errors.DockerException, requests.RequestException, OSError) as exc:
            raise EngineLost(
                f"The Docker engine failed during the run ({exc}). Check `microagent sandbox "
                "status`; the run can be retried."
            ) from exc

    def _execute_with_retry(self, job: "_Job", stop: threading.Event) -> ExecResult:
        for attempt in (1, 2):
            lease = self.pool.acquire(job.snapshot, self.environments.image_for(job.snapshot))
            healthy = False
            try:
                if stop.is_set():
                    return ExecResult(exit_code=None, stopped=True)
                self.last_sync = lease.sync
                try:
                    result = exec_in_container(
                        self.client, lease.container, job.argv,
                        env=job.env, collect=job.collect, timeout=job.timeout,
                        stop=stop, output_limit=self.limits.output_limit,
                        delta=lease.delta, remove=lease.remove,
                        secret=job.secret, share_secret=job.share_secret,
                    )  # fmt: skip
                except docker.errors.APIError as exc:  # the container died before the run
                    if attempt == 2:
                        raise SandboxError(f"Docker could not run the command: {exc}") from exc
                    continue
                if result.reset_failed and attempt == 1:
                    continue  # the last run left files it would not let go of: start afresh
                healthy = result.container_healthy
                return result
            finally:
                self.pool.release(lease, healthy)
        raise SandboxError(
            "The sandbox container could not be reset; see `microagent sandbox status`."
        )


@dataclass
class _Job:
    """One command to run on a snapshot; `secret` authenticates what comes back."""

    snapshot: WorkspaceSnapshot
    argv: list[str]
    env: Mapping[str, str]
    collect: list[str]
    timeout: float
    share_secret: bool = False  # give the secret to the command (a test runner's witness)
    secret: str = field(default_factory=lambda: secrets.token_hex(16))
