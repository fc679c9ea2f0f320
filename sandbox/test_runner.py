"""What a test runner is to a sandbox: the command that runs the tests, and how its result becomes a
TestReport. Each language brings its own runner (`languages.python.pytest_runner`); the sandbox
runs whichever it is given.

A runner never starts a process itself; a sandbox backend runs its argv and hands back how the
process ended (`RawRun`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

from microagent.sandbox.junit import parse_junit
from microagent.sandbox.types import ReportStatus, TestReport

R = TypeVar("R", bound=BaseModel)


@dataclass
class RawRun:
    """How the runner's process ended, as the backend saw it from outside."""

    output: str
    exit_code: int | None
    timed_out: bool = False
    oom_killed: bool = False
    duration: float = 0.0
    report: bytes | None = None  # the report file, for runners that write one
    secret: str = ""  # the run's secret, sent as the first line of the runner's stdin

    @classmethod
    def ended(cls, end: "Ended", *, oom_killed: bool, report: bytes | None, secret: str) -> "RawRun":
        return cls(output=end.output, exit_code=end.exit_code, timed_out=end.timed_out,
                   oom_killed=oom_killed, duration=end.duration, report=report, secret=secret)


class Ended(Protocol):
    """How a backend saw a process end (`ChildResult`, `ExecResult`)."""

    output: str
    exit_code: int | None
    truncated: bool
    timed_out: bool
    duration: float


class TestRunner(Protocol):
    """Builds the command for a test run and reads its outcome back."""

    env: Mapping[str, str]  # added to the sandbox's otherwise empty environment
    report_file: bool  # whether the backend must hand back the file at `report_path`
    # A module the workspace's interpreter must import for this runner (pytest), checked before
    # the first run; None for a runner that brings its own command.
    interpreter_module: str | None

    def argv(self, selection: Sequence[str], report_path: str) -> list[str]: ...

    def parse(self, run: RawRun) -> TestReport: ...


def take_record(output: str, secret: str, record: type[R],
                ends_early: str) -> tuple[R | None, str, str]:
    """The record a runner's witness printed on the one line that starts with the run's secret,
    the output without that line, and a problem where the line is missing, repeated or unreadable
    (`ends_early`: how a run of this language ends before its witness speaks, for the message)."""
    marker = secret + " "
    kept, found = [], []
    for line in output.splitlines(keepends=True):
        (found if secret and line.startswith(marker) else kept).append(line)
    text = "".join(kept).rstrip("\n") + "\n" if kept else ""
    if len(found) != 1:
        why = "more than one report" if found else "no report from the test runner"
        return None, text, f"{why}: the run ended early ({ends_early}) or was tampered with"
    try:
        return record.model_validate_json(found[0][len(marker):]), text, ""
    except ValidationError:
        return None, text, "the test runner's report was unreadable"


def interrupted(run: RawRun) -> ReportStatus | None:
    if run.timed_out:
        return ReportStatus.timeout
    if run.oom_killed:
        return ReportStatus.oom
    return None


@dataclass
class JUnitCommandRunner:
    """Any runner that writes JUnit XML: jest with jest-junit, go test via go-junit-report.

    `argv_template` holds `{report}` where the report path goes; the selection is appended.
    """

    argv_template: Sequence[str]
    env: dict[str, str] = field(default_factory=dict)
    report_file: bool = True
    interpreter_module: str | None = None

    def argv(self, selection: Sequence[str], report_path: str) -> list[str]:
        return [arg.replace("{report}", report_path) for arg in self.argv_template] + list(
            selection
        )

    def parse(self, run: RawRun) -> TestReport:
        cases = parse_junit(run.report) if run.report else []
        status = interrupted(run)
        if status is None:
            if run.report is None:
                status = ReportStatus.crashed
            else:
                status = ReportStatus.completed if cases else ReportStatus.no_tests
        return TestReport(status=status, cases=cases, output=run.output,
                          exit_code=run.exit_code, duration=run.duration)  # fmt: skip
