"""vitest and jest as test runners (`sandbox.test_runner.TestRunner`): our entry script that runs
either, and how its record becomes a TestReport. A pass must never rest on anything the code
under test can write: only the entry's line carrying the run's secret counts.

The entry script (node/entry.mjs) and the guard it installs in each test file's realm
(node/guard.js) are package data, sent as `node -e` source and arguments, never as files the
workspace could replace.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal, Sequence

from pydantic import BaseModel

from microagent.languages.typescript.suites import name_pattern
from microagent.sandbox.test_runner import RawRun, interrupted, take_record
from microagent.sandbox.types import Outcome, ReportStatus, TestCase, TestReport

RunnerName = Literal["vitest", "jest"]
TARGET_SEPARATOR = "::"  # between a test file and its node path: "src/a.test.ts::sum > adds"
RUNNER_EXITS = (0, 1)  # passed, failed: any other status is the entry's, not the runner's
NO_RECORD_EXIT = 70  # the entry's status when it left without its record (see entry.mjs)
# Worst first: a node id reported twice (tests with the same titles) counts as its worst.
RANK = {Outcome.error: 0, Outcome.failed: 1, Outcome.xpassed: 2, Outcome.skipped: 3,
        Outcome.xfailed: 4, Outcome.passed: 5}


def _source(name: str) -> str:
    return (resources.files("microagent.languages.typescript") / "node" / name).read_text("utf-8")


ENTRY_SOURCE = _source("entry.mjs")
GUARD_SOURCE = _source("guard.js")


@dataclass(frozen=True)
class Selection:
    """What a run selects: test files, and a `-t` pattern for the tests named within them."""

    files: tuple[str, ...]
    pattern: str


def selection_of(targets: Sequence[str]) -> Selection:
    """Targets are test files ("src/a.test.ts") or tests ("src/a.test.ts::sum > adds"). With a
    whole file among them there is no pattern at all (one `-t` filters every file of a run), so
    the named tests' files run whole too."""
    files: list[str] = []
    names: list[str] = []
    whole = False
    for target in targets:
        path, _, node_path = target.partition(TARGET_SEPARATOR)
        if path not in files:
            files.append(path)
        if node_path:
            names.append(name_pattern(node_path))
        else:
            whole = True
    pattern = "" if whole or not names else "|".join(dict.fromkeys(names))
    return Selection(tuple(files), pattern)


@dataclass
class NodeTestRunner:
    """Runs vitest (`vitest run`, never watching) or jest (`--ci`) under our entry script.

    `modules` is the node_modules directory the runner is loaded from, by path, and linked as
    the workspace's own when the workspace has none; None loads it from the workspace's
    node_modules. `node` is the Node.js the backend runs.
    """

    __test__ = False

    runner: RunnerName
    modules: str | None = None
    node: str = "node"
    env: dict[str, str] = field(default_factory=lambda: {
        "CI": "true", "NO_COLOR": "1", "FORCE_COLOR": "0",
        # Every Node process of the run (the entry and its workers): WebAssembly's guard
        # regions reserve gigabytes of address space, more than the sandbox's RLIMIT_AS.
        # Node 20.15 and later have the flag.
        "NODE_OPTIONS": "--disable-wasm-trap-handler",
    })
    report_file: bool = False
    interpreter_module: str | None = None

    def argv(self, selection: Sequence[str], report_path: str) -> list[str]:
        chosen = selection_of(selection)
        params = {"runner": self.runner, "modules": self.modules, "files": list(chosen.files),
                  "pattern": chosen.pattern, "guard": GUARD_SOURCE}
        return [self.node, "--input-type=module", "-e", ENTRY_SOURCE, json.dumps(params)]

    def parse(self, run: RawRun) -> TestReport:
        record, output, problem = take_record(run.output, run.secret, _Record, 'process.exit, a crash')
        cases = merged(record.cases) if record else []
        report = TestReport(status=ReportStatus.completed, cases=cases, output=output,
                            exit_code=run.exit_code, duration=run.duration)
        status = interrupted(run)
        if status is not None:
            return report.model_copy(update={"status": status})
        if record is not None and not problem:
            problem = _disagreement(record, cases, run.exit_code)
        if record is None or problem:  # nothing in an untrusted report counts
            return report.model_copy(
                update={"status": ReportStatus.crashed, "problem": problem, "cases": []}
            )
        if record.errors:
            return report.model_copy(update={"status": ReportStatus.collection_error,
                                             "collection_errors": record.errors})
        if not cases:
            return report.model_copy(update={"status": ReportStatus.no_tests})
        if record.unhandled:
            return report.model_copy(update={
                "problem": f"{record.runner} reported an error outside the tests: "
                           f"{record.unhandled[0]}"})
        return report


class _Record(BaseModel):
    runner: str
    version: str = ""
    exit: int
    cases: list[TestCase]
    errors: list[str]  # test files that could not be loaded, or a runner that could not start
    unhandled: list[str]  # errors outside any test (vitest's unhandled rejections)


def merged(cases: Sequence[TestCase]) -> list[TestCase]:
    """One case per node id, the worst of those reported under it, in the order first seen."""
    by_id: dict[str, TestCase] = {}
    for case in cases:
        kept = by_id.get(case.node_id)
        if kept is None or RANK[case.outcome] < RANK[kept.outcome]:
            by_id[case.node_id] = case
    return list(by_id.values())


def _disagreement(record: _Record, cases: Sequence[TestCase], exit_code: int | None) -> str:
    name = record.runner
    if exit_code == NO_RECORD_EXIT or record.exit not in RUNNER_EXITS:
        return f"{name} did not finish (status {exit_code})"
    if record.exit != exit_code:
        return f"{name}'s exit status was {record.exit} but the process ended with {exit_code}"
    failed = [c for c in cases if c.outcome in (Outcome.failed, Outcome.error, Outcome.xpassed)]
    if record.exit == 0 and (failed or record.errors or record.unhandled):
        what = failed[0].node_id if failed else (record.errors or record.unhandled)[0]
        return f"{name} exited 0 but {what} did not pass"
    if record.exit == 1 and cases and not (failed or record.errors or record.unhandled):
        return f"{name} exited 1 (tests failed) but its report shows no failure"
    return ""

