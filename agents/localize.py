"""Spectrum-based fault localization: the failing tests' files run once more in the sandbox
under a line tracer, and each line of the workspace's code is ranked by how much more the
failing tests run it than the passing ones (Ochiai). No model call.

The ranking only orders what gets tried; it never decides a pass (code under test could forge
it, and gain nothing: every candidate is still judged by the real tests).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from microagent.agents.pysource.mutations import Mutant, mutants
from microagent.sandbox.types import Sandbox, TestCase, WorkspaceSnapshot

TRACER_FILE = "_microagent_spectrum.py"
MARK = "@@microagent-spectrum "
MOST_LINES = 400  # lines reported back, best first
MUTATED_LINES = 150  # the most suspicious lines whose mutants are ranked

# Runs inside the sandbox with the workspace as the current directory: pytest on the given
# tests with a plugin that traces, per test call, the lines run in the workspace's own
# non-test modules, then prints one line: MARK + {"failed": F, "passed": P, "lines":
# {"path:line": [failing tests that ran it, passing tests that ran it]}}.
TRACER = r'''
import json, os, sys
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # as the test runs themselves (PytestRunner)
import pytest

MARK = %(mark)r
ROOT = os.getcwd()
TEST_DIRS = {"tests", "test", "testing"}


def _ours(filename):
    if not filename.startswith(ROOT + os.sep):
        return None
    rel = os.path.relpath(filename, ROOT)
    parts = rel.split(os.sep)
    name = parts[-1]
    if (name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
            or name == %(self)r or TEST_DIRS & set(parts[:-1]) or parts[0].startswith(".")):
        return None
    return rel.replace(os.sep, "/")


class Spectrum:
    def __init__(self):
        self.files = {}
        self.ran = set()
        self.outcome = None
        self.lines = {}
        self.totals = {"failed": 0, "passed": 0}
        self.imported = {}  # a test module: the function lines its import ran (decorators)

    def _line(self, frame, event, arg):
        if event == "line":
            self.ran.add((self.files[frame.f_code.co_filename], frame.f_lineno))
        return self._line

    def _call(self, frame, event, arg):
        filename = frame.f_code.co_filename
        if filename not in self.files:
            self.files[filename] = _ours(filename)
        return self._line if self.files[filename] else None

    def _function_call(self, frame, event, arg):
        """At import: functions only (a decorator's work), not module or class bodies."""
        return self._call(frame, event, arg) if frame.f_code.co_flags & 0x2 else None  # CO_NEWLOCALS

    @pytest.hookimpl(hookwrapper=True)
    def pytest_make_collect_report(self, collector):
        if not isinstance(collector, pytest.Module):
            yield
            return
        self.ran = set()
        sys.settrace(self._function_call)
        try:
            yield
        finally:
            sys.settrace(None)
            self.imported[str(collector.path)] = self.ran

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.ran, self.outcome = set(), None  # set-up, call and tear-down: a fixture may hold the bug
        sys.settrace(self._call)
        try:
            yield
        finally:
            sys.settrace(None)
        self.ran |= self.imported.get(str(item.path), set())  # what its module's import ran
        if self.outcome is not None:
            self.totals[self.outcome] += 1
            column = 0 if self.outcome == "failed" else 1
            for path, line in self.ran:
                counts = self.lines.setdefault("%%s:%%d" %% (path, line), [0, 0])
                counts[column] += 1

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.outcome = "failed"
        elif report.when == "call" and report.passed and self.outcome is None:
            self.outcome = "passed"


spectrum = Spectrum()
pytest.main(["-q", "-p", "no:cacheprovider", *sys.argv[1:]], plugins=[spectrum])
sys.stdout.write("\n" + MARK + json.dumps(dict(spectrum.totals, lines=spectrum.lines)) + "\n")
sys.stdout.flush()
os._exit(0)
''' % {"mark": MARK, "self": TRACER_FILE}


@dataclass(frozen=True)
class Suspect:
    path: str
    line: int
    score: float  # Ochiai: 1.0 for a line run by every failing test and no passing one
    failed: int  # failing tests that ran it
    passed: int  # passing tests that ran it


def ochiai(failed: int, passed: int, total_failed: int) -> float:
    if failed == 0 or total_failed == 0:
        return 0.0
    return failed / math.sqrt(total_failed * (failed + passed))


def rank(record: dict) -> list[Suspect]:
    """The lines the failing tests ran, most suspicious first (ties: fewer passing tests, then
    file and line order)."""
    total = int(record.get("failed", 0))
    suspects = []
    for key, counts in (record.get("lines") or {}).items():
        path, _, line = key.rpartition(":")
        if not path or not line.isdigit() or len(counts) != 2:
            continue
        failed, passed = int(counts[0]), int(counts[1])
        if failed:
            suspects.append(Suspect(path, int(line), ochiai(failed, passed, total), failed, passed))
    suspects.sort(key=lambda s: (-s.score, s.passed, s.path, s.line))
    return suspects[:MOST_LINES]


def read_record(output: str) -> dict | None:
    for line in reversed(output.splitlines()):
        if line.startswith(MARK):
            try:
                record = json.loads(line[len(MARK):])
            except ValueError:
                return None
            return record if isinstance(record, dict) else None
    return None


async def localize(sandbox: Sandbox, snapshot: WorkspaceSnapshot, failing: list[TestCase],
                   timeout: float) -> list[Suspect]:
    """The failing tests' files traced in the sandbox, their lines ranked; [] when the tracer
    could not run or the failing tests ran no workspace code."""
    files = sorted({c.node_id.split("::")[0] for c in failing if "::" in c.node_id})
    if not files:
        return []
    result = await sandbox.run(snapshot.with_files({TRACER_FILE: TRACER}),
                               ["python3", TRACER_FILE, *files], timeout=timeout)
    record = read_record(result.output)
    return rank(record) if record else []


def ranked_mutants(suspects: list[Suspect], snapshot: WorkspaceSnapshot,
                   lines: int = MUTATED_LINES) -> list[tuple[Suspect, Mutant]]:
    """The mutants of the most suspicious lines, likeliest first: the line's score times how
    often that kind of change is the fix (not yet checked to parse: see `mutations.parses`)."""
    queue = []
    for suspect in suspects[:lines]:
        if suspect.path in snapshot.files:
            made = mutants(snapshot.text(suspect.path), suspect.line, check=False)
            queue += [(suspect.score * m.weight, -len(queue) - i, suspect, m)
                      for i, m in enumerate(made)]
    queue.sort(key=lambda q: (q[0], q[1]), reverse=True)
    return [(suspect, mutant) for _, _, suspect, mutant in queue]
