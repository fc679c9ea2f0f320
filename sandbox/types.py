"""The types that cross the sandbox boundary: a workspace snapshot in, a test report out.

Nothing here runs code or touches Docker; a reader learns the sandbox's contract from this file.
"""

from __future__ import annotations

import hashlib
from enum import Enum
from typing import Any, Callable, Literal, Protocol, Sequence, get_args

from pydantic import BaseModel, Field

# The sandbox a user can name: "auto" picks the strongest this host offers (sandbox/choose.py).
BackendName = Literal["auto", "docker", "bubblewrap", "process"]
BACKEND_NAMES: tuple[str, ...] = get_args(BackendName)


class WorkspaceSnapshot(BaseModel):
    """The files of a workspace, as the sandbox will see them. Paths are POSIX, relative.

    Built from disk by `microagent.sandbox.snapshot.read_workspace`, then overlaid with unsaved buffers
    and candidate edits. A snapshot is a value: `with_files` returns a new one.
    """

    root: str | None = None
    files: dict[str, bytes] = Field(default_factory=dict)
    skipped: list[str] = Field(default_factory=list, description="paths left out by caps")

    def with_files(self, overlay: dict[str, bytes | str]) -> "WorkspaceSnapshot":
        files = dict(self.files)
        for path, content in overlay.items():
            files[path] = content.encode() if isinstance(content, str) else content
        return self.model_copy(update={"files": files})

    def text(self, path: str) -> str:
        return self.files[path].decode("utf-8", errors="replace")

    def file_text(self, path: str) -> str:
        """A file's text, or "" for a file the workspace does not have (yet)."""
        return self.text(path) if path in self.files else ""

    def digest(self, path: str) -> str:
        return hashlib.sha256(self.files[path]).hexdigest()


class Outcome(str, Enum):
    passed = "passed"
    failed = "failed"
    error = "error"  # an exception outside the test body (fixture, setup) or an import error
    skipped = "skipped"
    xfailed = "xfailed"
    xpassed = "xpassed"


class TestCase(BaseModel):
    __test__ = False  # not a pytest class

    node_id: str
    outcome: Outcome
    file: str | None = None
    line: int | None = None
    message: str = ""
    traceback: str = ""
    duration: float = 0.0


class ReportStatus(str, Enum):
    """How the run as a whole ended. Timeouts and OOM are fields, not exceptions."""

    completed = "completed"  # the runner ran; see the cases
    collection_error = "collection_error"  # syntax or import errors stopped collection
    no_tests = "no_tests"
    timeout = "timeout"
    oom = "oom"
    crashed = "crashed"  # the runner died without a report


class TestReport(BaseModel):
    """What one test run proved. A pass is a pass: only a case that ran and passed counts.

    - `passed`: the case ran and passed. Nothing else counts as passing.
    - `skipped`: skipped or xfailed. Neither passes nor fails, so a user's own test skipped on
      this platform does not fail every run; but a test a run *targets* (one that failed
      before) that now skips or xfails has not passed: `unpassed(targets)` names it, and the
      caller records that as `problem`.
    - `failed`: failed, errored (setup, teardown, collection) or xpassed.
    - `problem`: why the run cannot count as a pass although no case failed (the runner's
      exit status disagrees with its report, the report is missing or was tampered with, a
      target did not pass); `ok` is False whenever it is set.
    """

    __test__ = False

    status: ReportStatus
    cases: list[TestCase] = Field(default_factory=list)
    collection_errors: list[str] = Field(default_factory=list)
    output: str = ""  # combined stdout/stderr, capped
    exit_code: int | None = None
    duration: float = 0.0
    collection_seconds: float | None = None  # pytest's start to the end of its collection
    backend: str = ""
    problem: str = ""

    def _with(self, *outcomes: Outcome) -> list[TestCase]:
        return [c for c in self.cases if c.outcome in outcomes]

    @property
    def passed(self) -> list[TestCase]:
        return self._with(Outcome.passed)

    @property
    def skipped(self) -> list[TestCase]:
        return self._with(Outcome.skipped, Outcome.xfailed)

    @property
    def failed(self) -> list[TestCase]:
        return self._with(Outcome.failed, Outcome.error, Outcome.xpassed)

    @property
    def ok(self) -> bool:
        """Completed, at least one case passed, none failed, and nothing made it untrustworthy."""
        return (self.status == ReportStatus.completed and bool(self.passed) and not self.failed
                and not self.problem)  # fmt: skip

    def unpassed(self, targets: Sequence[str]) -> list[str]:
        """The targets (node ids, or a file's path for all its cases) that did not pass."""
        passing = {c.node_id for c in self.passed}
        missed = []
        for target in targets:
            under = [c.node_id for c in self.cases if c.node_id.startswith(target + "::")]
            if target in passing or (under and all(n in passing for n in under)):
                continue
            missed.append(target)
        return missed

    def summary(self) -> str:
        if self.status != ReportStatus.completed:
            text = self.status.value.replace("_", " ")
        else:
            text = f"{len(self.passed)}/{len(self.cases)} tests passing"
            if self.skipped:
                text += f", {len(self.skipped)} skipped"
        return f"{text} ({self.problem})" if self.problem else text


class CommandResult(BaseModel):
    """The result of running one command in the sandbox."""

    argv: list[str]
    exit_code: int | None
    output: str = ""
    truncated: bool = False
    timed_out: bool = False
    oom_killed: bool = False
    duration: float = 0.0
    files: dict[str, bytes] = Field(default_factory=dict, description="files asked back")

    @classmethod
    def ended(cls, argv: Sequence[str], end: Any, *, oom_killed: bool,
              files: dict[str, bytes] | None = None) -> "CommandResult":  # fmt: skip
        """From how a backend saw the process end (anything with its output, exit code,
        truncated, timed_out and duration, as `test_runner.Ended`)."""
        return cls(argv=list(argv), exit_code=end.exit_code, output=end.output,
                   truncated=end.truncated, timed_out=end.timed_out, oom_killed=oom_killed,
                   duration=end.duration, files=files or {})  # fmt: skip


class SandboxError(Exception):
    """The sandbox could not run at all (no engine, no image). The message says what to do."""


class EngineLost(SandboxError):
    """The Docker engine stopped answering during a run: the run may go to another engine."""


class EnvironmentFailed(SandboxError):
    """The workspace's environment could not be made (pip's error, a Python the image lacks).
    Not a bug in the code: no candidate can fix it. The message says what to change."""


Progress = Callable[[str], None]


class Environment(BaseModel):
    """What the tests of one workspace run with, as the sandbox prepared it before a run.

    `status`: `plain` (the sandbox image as it is: nothing declared), `cached` (an environment
    layer built before, reused), `built` (built now), `local` (the interpreter of a local
    backend: the workspace's own where it has one).
    """

    backend: str
    status: Literal["plain", "cached", "built", "local"]
    python: str = Field("", description="the interpreter, or the image's Python version")
    image: str = Field("", description="Docker: the image the runs start from")
    sources: list[str] = Field(default_factory=list, description="the files it was made from")
    installed: list[str] = Field(default_factory=list, description="name==version, installed")
    seconds: float = 0.0

    def summary(self) -> str:
        made = {"plain": "the plain sandbox image", "cached": "environment cached",
                "built": f"environment built in {self.seconds:.1f} s",
                "local": "the local interpreter"}[self.status]
        where = f" ({self.image})" if self.image and self.status != "plain" else ""
        python = f", Python {self.python}" if self.python else ""
        froms = f" from {', '.join(self.sources)}" if self.sources else ""
        return f"{self.backend}: {made}{where}{froms}{python}"


class EngineSpec(BaseModel):
    """One Docker engine the sandbox may run on, reached as docker-py reaches any engine."""

    url: str = Field(min_length=1, description="unix:///var/run/docker.sock, tcp://host:2376 "
                     "or ssh://user@host")
    max_containers: int = Field(4, ge=1, le=256, description="runs at once on this engine")
    tls_dir: str | None = Field(None, description="for tcp:// with TLS: a directory with "
                                "ca.pem, cert.pem and key.pem, as `docker --tlsverify` uses")


class Sandbox(Protocol):
    """Runs commands and tests on a snapshot, isolated from the user's files and secrets."""

    name: str
    isolation: str  # "strong" or "weak", shown to the user

    async def run_tests(
        self,
        snapshot: WorkspaceSnapshot,
        selection: Sequence[str] | None = None,
        timeout: float = 60.0,
    ) -> TestReport: ...

    async def run(
        self, snapshot: WorkspaceSnapshot, argv: Sequence[str], timeout: float = 60.0
    ) -> CommandResult: ...

    async def prepare(
        self, snapshot: WorkspaceSnapshot, progress: Progress | None = None
    ) -> Environment:
        """Make ready what the workspace's tests need (its environment), before a run; later
        runs on this workspace use it. Raises EnvironmentFailed when it cannot be made."""
        ...

    async def close(self) -> None: ...
