"""Test runner adapters: the command that runs the tests, and how its result becomes a TestReport.

A runner never starts a process itself; a sandbox backend runs its argv and hands back the
report file, the capped output and how the process ended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Protocol, Sequence

from microagent.sandbox.junit import parse_junit
from microagent.sandbox.types import ReportStatus, TestCase, TestReport

PYTEST_NO_TESTS = 5
PYTEST_STOPPED = (2, 3, 4)  # interrupted (collection errors), internal error, usage error
COLLECTION_MARKERS = ("ERROR collecting", "errors during collection", "error during collection")
ERROR_LINES_KEPT = 15
_SECTION = re.compile(r"^_{2,} ERROR collecting (?P<path>.+?) _{2,}$")
_LOCATION = re.compile(r"^[^\s/<][^:]*:\d+: in ")  # a relative path, so the user's own code


class TestRunner(Protocol):
    """Builds the command for a test run and reads its outcome back."""

    env: Mapping[str, str]  # added to the sandbox's otherwise empty environment

    def argv(self, selection: Sequence[str], report_path: str) -> list[str]: ...

    def parse(
        self,
        report: bytes | None,
        output: str,
        exit_code: int | None,
        timed_out: bool,
        oom_killed: bool,
        duration: float,
    ) -> TestReport: ...


def _interrupted(timed_out: bool, oom_killed: bool) -> ReportStatus | None:
    if timed_out:
        return ReportStatus.timeout
    if oom_killed:
        return ReportStatus.oom
    return None


@dataclass
class PytestRunner:
    """Runs pytest with a JUnit report; `python3` is replaced by the backend's interpreter."""

    __test__ = False

    env: dict[str, str] = field(default_factory=lambda: {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"})
    extra_args: Sequence[str] = ()  # e.g. ("-p", "asyncio") to load a plugin explicitly

    def argv(self, selection: Sequence[str], report_path: str) -> list[str]:
        return [
            "python3", "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "-o", "junit_family=xunit1", "--junitxml", report_path,
            *self.extra_args, *selection,
        ]  # fmt: skip

    def parse(
        self,
        report: bytes | None,
        output: str,
        exit_code: int | None,
        timed_out: bool,
        oom_killed: bool,
        duration: float,
    ) -> TestReport:
        cases = parse_junit(report) if report else []
        errors: list[str] = []
        status = _interrupted(timed_out, oom_killed)
        if status is None:
            if exit_code == PYTEST_NO_TESTS:
                status = ReportStatus.no_tests
            elif exit_code in PYTEST_STOPPED or (
                exit_code != 0 and any(m in output for m in COLLECTION_MARKERS)
            ):
                status = ReportStatus.collection_error
                errors = collection_errors(output, cases)
            elif report is None or not cases:
                status = ReportStatus.crashed  # pytest died mid-run (os._exit, a signal)
            else:
                status = ReportStatus.completed
        return TestReport(
            status=status,
            cases=cases,
            collection_errors=errors,
            output=output,
            exit_code=exit_code,
            duration=duration,
        )


def collection_errors(output: str, cases: Sequence[TestCase] = ()) -> list[str]:
    """The short text of each collection error: the path, its `E` lines and where it stopped."""
    found: list[str] = []
    path, kept, after_location = None, [], False
    for line in output.splitlines() + ["=" * 10]:
        section = _SECTION.match(line)
        if section or line.startswith(("=" * 10, "_" * 10)):
            if path is not None:
                found.append(f"{path}:\n" + "\n".join(kept[-ERROR_LINES_KEPT:]))
            path, kept = (section.group("path"), []) if section else (None, [])
        elif path is not None:
            if line.startswith("E "):
                kept.append(line[4:] if line.startswith("E   ") else line[1:].strip())
            elif _LOCATION.match(line) or (after_location and line.startswith(" ")):
                kept.append(line)  # where the user's code stopped, and its source line
            after_location = bool(_LOCATION.match(line))
    if not found:  # a broken conftest or a bad argument: no per-file sections
        found = [f"{c.file}: {c.message}" for c in cases if c.file and c.node_id == c.file]
    if not found:
        lines = [line for line in output.splitlines() if line.strip()]
        found = ["\n".join(lines[-ERROR_LINES_KEPT:])] if lines else []
    return found


@dataclass
class JUnitCommandRunner:
    """Any runner that writes JUnit XML: jest with jest-junit, go test via go-junit-report.

    `argv_template` holds `{report}` where the report path goes; the selection is appended.
    """

    argv_template: Sequence[str]
    env: dict[str, str] = field(default_factory=dict)

    def argv(self, selection: Sequence[str], report_path: str) -> list[str]:
        return [arg.replace("{report}", report_path) for arg in self.argv_template] + list(
            selection
        )

    def parse(
        self,
        report: bytes | None,
        output: str,
        exit_code: int | None,
        timed_out: bool,
        oom_killed: bool,
        duration: float,
    ) -> TestReport:
        cases = parse_junit(report) if report else []
        status = _interrupted(timed_out, oom_killed)
        if status is None:
            if report is None:
                status = ReportStatus.crashed
            else:
                status = ReportStatus.completed if cases else ReportStatus.no_tests
        return TestReport(
            status=status, cases=cases, output=output, exit_code=exit_code, duration=duration
        )
