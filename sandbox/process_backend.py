"""Sandboxes without Docker: a plain child process (weak isolation) and a bubblewrap jail (strong).

Both run a fresh copy of the snapshot with an empty environment, so the host's API keys never
reach generated code, and both must never leave a process or a temp directory behind. Each
workspace's tests run with its own interpreter (sandbox/interpreter.py), checked once.
The process backend does not isolate the network or the filesystem; it says so in `isolation`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
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
from microagent.sandbox.interpreter import (locate, too_wide, too_wide_message, unusable,
                                            workspace_python)
from microagent.sandbox.junit import MAX_REPORT_BYTES
from microagent.sandbox.limits import ResourceLimits
from microagent.sandbox.output import DEFAULT_OUTPUT_LIMIT
from microagent.sandbox.test_runner import TestRunner
from microagent.sandbox.snapshot import write_snapshot
from microagent.sandbox.types import (CommandResult, Environment, Progress, SandboxError,
                                      WorkspaceSnapshot)

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
PYTHON_NAMES = ("python3", "python")
REPORT_NAME = "junit.xml"
SIGKILL_EXIT = -9
CHECK_SECONDS = 60  # a cold virtualenv may take a while to import pytest


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


@dataclass(frozen=True)
class ReadyPython:
    """An interpreter checked for runs: its path here, the path a run calls it by, its mounts."""

    host: str
    inside: str
    mounts: tuple[tuple[str, str], ...] = ()


class _LocalSandbox(RunsTests):
    """What the two local backends share: copy, run under limits, read the report, clean up.

    `python` runs the tests of a workspace without a virtualenv of its own; `python_setting`
    (sandbox.python), when set, runs every workspace's tests instead of its virtualenv."""

    name = ""
    isolation = ""
    oom_exit_codes: tuple[int, ...] = (SIGKILL_EXIT,)

    def __init__(
        self,
        python: str = sys.executable,
        limits: ResourceLimits = ResourceLimits(),
        output_limit: int = DEFAULT_OUTPUT_LIMIT,
        use_cgroup: bool = True,
        *,
        runner: TestRunner,
        python_setting: str | None = None,
    ):
        self.python = python
        self.python_setting = python_setting
        self.runner = runner
        self.limits = limits
        self.output_limit = output_limit
        self.use_cgroup = use_cgroup
        self._ready: dict[str, ReadyPython] = {}  # only interpreters that passed the check

    # What each backend fills in.
    def _env(self, run_dir: str, python: ReadyPython) -> dict[str, str]:
        raise NotImplementedError

    def _wrap(self, argv: list[str], run_dir: Path, env: dict[str, str],
              python: ReadyPython) -> list[str]:  # fmt: skip
        raise NotImplementedError

    def _report_path(self, run_dir: Path) -> str:
        raise NotImplementedError

    def _check_python(self, python: str, root: str | None) -> ReadyPython:
        """Make sure `python` runs (and imports the runner's module) for the workspace at
        `root`; blocking."""
        raise NotImplementedError

    def _runner_module(self) -> str | None:
        return self.runner.interpreter_module

    def _ready_python(self, python: str, root: str | None = None) -> ReadyPython:
        ready = self._ready.get(python)
        if ready is None:
            ready = self._ready[python] = self._check_python(python, root)
        return ready

    async def _python_for(self, snapshot: WorkspaceSnapshot) -> tuple[ReadyPython, str]:
        """The workspace's interpreter, checked the first time it is used, and why it is it."""
        python, why = workspace_python(snapshot.root, self.python_setting, self.python)
        ready = self._ready.get(python) or await asyncio.to_thread(self._ready_python, python,
                                                                   snapshot.root)
        return ready, why

    async def _execute(
        self, snapshot: WorkspaceSnapshot, build_argv: Callable[[str], list[str]],
        extra_env: dict[str, str], timeout: float, secret: str = "",
    ) -> tuple[ChildResult, bytes | None]:  # fmt: skip
        python, _ = await self._python_for(snapshot)
        run_dir = Path(tempfile.mkdtemp(prefix="microagent-run-"))
        try:
            for sub in ("home", "out", "tmp"):
                (run_dir / sub).mkdir()
            write_snapshot(snapshot, run_dir / "work")
            command = build_argv(self._report_path(run_dir))
            if command and command[0] in PYTHON_NAMES:
                command[0] = python.inside
            env = {**self._env(str(run_dir), python), **extra_env}
            result = await run_child(
                self._wrap(command, run_dir, env, python),
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
        return killed or result.oom_killed or "MemoryError" in result.output

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

    async def prepare(self, snapshot: WorkspaceSnapshot,
                      progress: Progress | None = None) -> Environment:
        """The interpreter the workspace's tests run with, checked; nothing is built."""
        python, why = await self._python_for(snapshot)
        return Environment(backend=self.name, status="local", python=python.host, sources=[why])

    async def close(self) -> None:
        """Nothing is kept between runs."""


class ProcessSandbox(_LocalSandbox):
    """A child process with rlimits and an empty environment. Weak: it can read the host's
    files and reach the network. RLIMIT_NPROC does not bind root; a pids cgroup, when the host
    allows one, does."""

    name = "process"
    isolation = "weak"

    def _check_python(self, python: str, root: str | None) -> ReadyPython:
        module = self._runner_module()
        try:  # the code under test runs like this anyway: nothing is lost by running it here
            done = subprocess.run([python, "-c", f"import {module}" if module else "pass"],
                                  capture_output=True, text=True, timeout=CHECK_SECONDS,
                                  env={"PATH": SYSTEM_PATH, "LANG": "C.UTF-8"},
                                  stdin=subprocess.DEVNULL)  # fmt: skip
        except (OSError, subprocess.SubprocessError) as exc:
            raise SandboxError(f"cannot run the sandbox's Python {python!r}: {exc}") from exc
        if done.returncode != 0:
            raise SandboxError(unusable(python, module, done))
        return ReadyPython(python, python)

    def _env(self, run_dir: str, python: ReadyPython) -> dict[str, str]:
        return {
            "PATH": f"{os.path.dirname(python.inside)}:{SYSTEM_PATH}",
            "HOME": f"{run_dir}/home",
            "TMPDIR": f"{run_dir}/tmp",
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def _report_path(self, run_dir: Path) -> str:
        return str(run_dir / "out" / REPORT_NAME)

    def _wrap(self, argv: list[str], run_dir: Path, env: dict[str, str],
              python: ReadyPython) -> list[str]:  # fmt: skip
        return argv


class BubblewrapSandbox(_LocalSandbox):
    """A bubblewrap jail: new user, pid, network, ipc and uts namespaces, read-only system,
    only the copy of the workspace writable, no network at all. A workspace's interpreter is
    only ever run in a jail, which binds its virtualenv and base installation read-only."""

    name = "bubblewrap"
    isolation = "strong"
    oom_exit_codes = (SIGKILL_EXIT, 128 + 9)  # bwrap reports a killed child as 128 + signal

    def __init__(self, *args, bwrap: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.bwrap = bwrap or find_bwrap()
        self._jail_starts = False

    def check(self) -> None:
        """Start one empty jail and the default interpreter in another; raises SandboxError
        with what to do if that is impossible."""
        self._ready_python(self.python)

    def _check_python(self, python: str, root: str | None) -> ReadyPython:
        if self.bwrap is None or not self._jail_starts:  # is it bubblewrap or the interpreter?
            check_bubblewrap(self.bwrap, *interpreter_mounts(Interpreter.probe(sys.executable)))
            self._jail_starts = True
        found = (Interpreter.probe(python) if os.path.abspath(python) == sys.executable
                 else locate(python))  # fmt: skip
        mounts, inside = interpreter_mounts(found)
        wide = too_wide(mounts, root)
        if wide:
            raise SandboxError(too_wide_message(python, wide))
        module = self._runner_module()
        done = self._jailed([inside, "-c", f"import {module}" if module else "pass"], mounts)
        if done.returncode != 0:
            raise SandboxError(unusable(python, module, done))
        return ReadyPython(python, inside, tuple(mounts))

    def _jailed(self, argv: list[str], mounts: Sequence[tuple[str, str]]
                ) -> subprocess.CompletedProcess:  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="microagent-probe-") as scratch:
            work = os.path.join(scratch, "work")
            os.mkdir(work)
            jail = bwrap_argv(argv, work=work, out=None, mounts=mounts, bwrap=str(self.bwrap),
                              env={"PATH": SYSTEM_PATH, "HOME": "/tmp", "LANG": "C.UTF-8"})
            try:
                return subprocess.run(jail, capture_output=True, text=True, env={},
                                      timeout=CHECK_SECONDS, stdin=subprocess.DEVNULL)
            except (OSError, subprocess.SubprocessError) as exc:
                raise SandboxError(f"bubblewrap could not start: {exc}") from exc

    async def _python_for(self, snapshot: WorkspaceSnapshot) -> tuple[ReadyPython, str]:
        python, why = await super()._python_for(snapshot)
        wide = too_wide(python.mounts, snapshot.root)
        if wide:
            raise SandboxError(too_wide_message(python.host, wide))
        return python, why

    def _report_path(self, run_dir: Path) -> str:
        return f"{OUTDIR}/{REPORT_NAME}"

    def _env(self, run_dir: str, python: ReadyPython) -> dict[str, str]:
        return {
            "PATH": f"{os.path.dirname(python.inside)}:{SYSTEM_PATH}",
            "HOME": "/tmp",
            "TMPDIR": "/tmp",
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def _wrap(self, argv: list[str], run_dir: Path, env: dict[str, str],
              python: ReadyPython) -> list[str]:  # fmt: skip
        if self.bwrap is None:
            raise SandboxError("bubblewrap (bwrap) is not installed")
        out = str(run_dir / "out") if self.runner.report_file else None
        return bwrap_argv(
            argv, work=str(run_dir / "work"), out=out, env=env, mounts=list(python.mounts),
            bwrap=self.bwrap, limits=self.limits,
        )  # fmt: skip

