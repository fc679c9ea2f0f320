"""Sandboxes without Docker: a plain child process (weak isolation) and a bubblewrap jail (strong).

Both run a fresh copy of the snapshot with an empty environment, so the host's API keys never
reach generated code, and both must never leave a process or a temp directory behind.
The process backend does not isolate the network or the filesystem; it says so in `isolation`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from microagent.sandbox.bubblewrap import (
    OUTDIR,
    Interpreter,
    bwrap_argv,
    check_bubblewrap,
    find_bwrap,
    interpreter_mounts,
)
from microagent.sandbox.backend_tests import RunnerEnd, RunsTests
from microagent.sandbox.child import ChildResult, run_child
from microagent.sandbox.junit import MAX_REPORT_BYTES
from microagent.sandbox.limits import ResourceLimits
from microagent.sandbox.output import DEFAULT_OUTPUT_LIMIT
from microagent.sandbox.pytest_runner import PytestRunner, TestRunner
from microagent.sandbox.snapshot import write_snapshot
from microagent.sandbox.types import CommandResult, SandboxError, WorkspaceSnapshot

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
PYTHON_NAMES = ("python3", "python")
REPORT_NAME = "junit.xml"
SIGKILL_EXIT = -9


def _remove_tree(path: Path) -> None:
    """Delete a run's directory even if the generated code made parts of it read-only."""

    def make_writable(func, target, _exc):  # type: ignore[no-untyped-def]
        try:
            os.chmod(os.path.dirname(target), stat.S_IRWXU)
            os.chmod(target, stat.S_IRWXU)
            func(target)
        except OSError:
            pass

    shutil.rmtree(path, onerror=make_writable)


class _LocalSandbox(RunsTests):
    """What the two local backends share: copy, run under limits, read the report, clean up."""

    name = ""
    isolation = ""
    oom_exit_codes: tuple[int, ...] = (SIGKILL_EXIT,)

    def __init__(
        self,
        python: str = sys.executable,
        runner: TestRunner | None = None,
        limits: ResourceLimits = ResourceLimits(),
        output_limit: int = DEFAULT_OUTPUT_LIMIT,
        use_cgroup: bool = True,
    ):
        self.python = python
        self.runner: TestRunner = runner or PytestRunner()
        self.limits = limits
        self.output_limit = output_limit
        self.use_cgroup = use_cgroup

    # What each backend fills in.
    def _env(self, run_dir: str) -> dict[str, str]:
        raise NotImplementedError

    def _wrap(self, argv: list[str], run_dir: Path, env: dict[str, str]) -> list[str]:
        raise NotImplementedError

    def _report_path(self, run_dir: Path) -> str:
        raise NotImplementedError

    def _interpreter(self) -> str:
        return self.python

    async def _prepare(self) -> None:
        """Anything to check once before the first run."""

    async def _execute(
        self, snapshot: WorkspaceSnapshot, build_argv: Callable[[str], list[str]],
        extra_env: dict[str, str], timeout: float, secret: str = "",
    ) -> tuple[ChildResult, bytes | None]:  # fmt: skip
        await self._prepare()
        run_dir = Path(tempfile.mkdtemp(prefix="microagent-run-"))
        try:
            for sub in ("home", "out", "tmp"):
                (run_dir / sub).mkdir()
            write_snapshot(snapshot, run_dir / "work")
            command = build_argv(self._report_path(run_dir))
            if command and command[0] in PYTHON_NAMES:
                command[0] = self._interpreter()
            env = {**self._env(str(run_dir)), **extra_env}
            result = await run_child(
                self._wrap(command, run_dir, env),
                cwd=run_dir / "work",
                env=env,
                timeout=timeout,
                limits=self.limits,
                use_cgroup=self.use_cgroup,
                output_limit=self.output_limit,
                stdin=f"{secret}\n".encode() if secret else b"",
            )
            report_file = run_dir / "out" / REPORT_NAME
            report = None
            if report_file.is_file() and report_file.stat().st_size <= MAX_REPORT_BYTES:
                report = report_file.read_bytes()
            return result, report
        finally:
            _remove_tree(run_dir)

    def _oom(self, result: ChildResult) -> bool:
        # RLIMIT_AS turns a memory bomb into MemoryError; a SIGKILL we did not send is the
        # kernel's OOM killer.
        killed = not result.killed_by_us and result.exit_code in self.oom_exit_codes
        return killed or "MemoryError" in result.output

    async def run(
        self, snapshot: WorkspaceSnapshot, argv: Sequence[str], timeout: float = 60.0
    ) -> CommandResult:
        result, _ = await self._execute(snapshot, lambda _: list(argv), {}, timeout)
        return CommandResult.ended(argv, result, oom_killed=self._oom(result))

    async def _run_runner(
        self, snapshot: WorkspaceSnapshot, build_argv: Callable[[str], list[str]],
        env: dict[str, str], timeout: float, secret: str,
    ) -> RunnerEnd:  # fmt: skip
        result, report = await self._execute(snapshot, build_argv, env, timeout, secret)
        return RunnerEnd(result, self._oom(result), report)

    async def close(self) -> None:
        """Nothing is kept between runs."""


class ProcessSandbox(_LocalSandbox):
    """A child process with rlimits and an empty environment. Weak: it can read the host's
    files and reach the network. RLIMIT_NPROC does not bind root; a pids cgroup, when the host
    allows one, does."""

    name = "process"
    isolation = "weak"

    def _env(self, run_dir: str) -> dict[str, str]:
        return {
            "PATH": f"{os.path.dirname(self.python)}:{SYSTEM_PATH}",
            "HOME": f"{run_dir}/home",
            "TMPDIR": f"{run_dir}/tmp",
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def _report_path(self, run_dir: Path) -> str:
        return str(run_dir / "out" / REPORT_NAME)

    def _wrap(self, argv: list[str], run_dir: Path, env: dict[str, str]) -> list[str]:
        return argv


class BubblewrapSandbox(_LocalSandbox):
    """A bubblewrap jail: new user, pid, network, ipc and uts namespaces, read-only system,
    only the copy of the workspace writable, no network at all."""

    name = "bubblewrap"
    isolation = "strong"
    oom_exit_codes = (SIGKILL_EXIT, 128 + 9)  # bwrap reports a killed child as 128 + signal

    def __init__(self, *args, bwrap: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.bwrap = bwrap or find_bwrap()
        self._mounts: list[tuple[str, str]] | None = None
        self._inside_python = self.python
        self._checked = False

    def check(self) -> None:
        """Start one empty jail; raises SandboxError with what to do if that is impossible."""
        if self._checked:
            return
        mounts, inside = interpreter_mounts(Interpreter.probe(self.python))
        check_bubblewrap(self.bwrap, mounts, inside)
        self._mounts, self._inside_python, self._checked = mounts, inside, True

    async def _prepare(self) -> None:
        if not self._checked:
            await asyncio.to_thread(self.check)

    def _interpreter(self) -> str:
        return self._inside_python

    def _report_path(self, run_dir: Path) -> str:
        return f"{OUTDIR}/{REPORT_NAME}"

    def _env(self, run_dir: str) -> dict[str, str]:
        return {
            "PATH": f"{os.path.dirname(self._inside_python)}:{SYSTEM_PATH}",
            "HOME": "/tmp",
            "TMPDIR": "/tmp",
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def _wrap(self, argv: list[str], run_dir: Path, env: dict[str, str]) -> list[str]:
        if self.bwrap is None:
            raise SandboxError("bubblewrap (bwrap) is not installed")
        out = str(run_dir / "out") if self.runner.report_file else None
        return bwrap_argv(
            argv, work=str(run_dir / "work"), out=out, env=env, mounts=self._mounts or [],
            bwrap=self.bwrap, limits=self.limits,
        )  # fmt: skip
