"""pytest as a test runner (`sandbox.test_runner.TestRunner`): the witness that runs it, and how
the witness's record becomes a TestReport. A pass must never rest on anything the code under test
can write.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Sequence

from pydantic import BaseModel

from microagent.languages.python import pytest_witness, pytest_witness_checks
from microagent.sandbox.test_runner import RawRun, interrupted, take_record
from microagent.sandbox.types import Outcome, ReportStatus, TestCase, TestReport

CHECKS_IMPORT = "from microagent.languages.python.pytest_witness_checks import ("


def _witness_source() -> str:
    """The witness and its checks as one program for `python3 -c`: the checks' source first, and
    the witness's import of them (there for the linters and the tests) left out."""
    witness = inspect.getsource(pytest_witness)
    start = witness.index(CHECKS_IMPORT)
    end = witness.index(")\n", start) + 2
    return "%s\n\n%s%s" % (inspect.getsource(pytest_witness_checks), witness[:start], witness[end:])


WITNESS_SOURCE = _witness_source()

PYTEST_NO_TESTS = 5
PYTEST_STOPPED = (2, 3, 4)  # interrupted (collection errors), internal error, usage error
COLLECTION_MARKERS = ("ERROR collecting", "errors during collection", "error during collection")
ERROR_LINES_KEPT = 15
_SECTION = re.compile(r"^_{2,} ERROR collecting (?P<path>.+?) _{2,}$")
_LOCATION = re.compile(r"^[^\s/<][^:]*:\d+: in ")  # a relative path, so the user's own code


@dataclass
class PytestRunner:
    """Runs pytest under `pytest_witness`; `python3` is replaced by the backend's interpreter.

    Outcomes come only from the witness's line carrying the run's secret, and they must agree
    with the exit status the backend saw; anything else is a crashed run with a `problem`.
    """

    __test__ = False

    # A fixed hash seed: a suite that parametrizes over a set gets the same node ids on every
    # run (`test_format[4-1985-expected7]` is `expected18` on the next run otherwise, and a
    # fix would look like it broke the tests whose ids moved).
    env: dict[str, str] = field(default_factory=lambda: {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
                                                         "PYTHONHASHSEED": "0"})
    extra_args: Sequence[str] = ()  # e.g. ("-p", "asyncio") to load a plugin explicitly
    report_file: bool = False
    interpreter_module: str | None = "pytest"

    def argv(self, selection: Sequence[str], report_path: str) -> list[str]:
        return ["python3", "-c", WITNESS_SOURCE, "-q", "-p", "no:cacheprovider",
                *self.extra_args, *selection]  # fmt: skip

    def parse(self, run: RawRun) -> TestReport:
        record, output, problem = take_record(run.output, run.secret, _Record, 'os._exit, a crash')
        cases = record.cases if record else []
        report = TestReport(status=ReportStatus.completed, cases=cases, output=output,
                            exit_code=run.exit_code, duration=run.duration,
                            collection_seconds=record.collection_seconds if record else None)
        status = interrupted(run)
        if status is not None:
            return report.model_copy(update={"status": status})
        if record is not None and not problem:
            problem = _disagreement(record, run.exit_code)
        if record is None or problem:  # nothing in an untrusted report counts
            return report.model_copy(
                update={"status": ReportStatus.crashed, "problem": problem, "cases": []}
            )
        if record.exit == PYTEST_NO_TESTS:
            return report.model_copy(update={"status": ReportStatus.no_tests})
        if record.exit in PYTEST_STOPPED or (
            record.exit != 0 and any(m in output for m in COLLECTION_MARKERS)
        ):
            errors = collection_errors(output, cases)
            return report.model_copy(
                update={"status": ReportStatus.collection_error, "collection_errors": errors}
            )
        return report


class _Record(BaseModel):
    exit: int
    cases: list[TestCase]
    tampered: list[str]
    collection_seconds: float | None = None


def _disagreement(record: _Record, exit_code: int | None) -> str:
    if record.tampered:
        return "tampering: " + "; ".join(record.tampered[:3])
    if record.exit != exit_code:
        return f"pytest's exit status was {record.exit} but the process ended with {exit_code}"
    failed = [c for c in record.cases if c.outcome in (Outcome.failed, Outcome.error,
                                                       Outcome.xpassed)]  # fmt: skip
    if record.exit == 0 and failed:
        return f"pytest exited 0 but {failed[0].node_id} did not pass"
    if record.exit == 1 and not failed:
        return "pytest exited 1 (tests failed) but its report shows no failure"
    return ""


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
