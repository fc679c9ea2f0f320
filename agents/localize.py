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

from microagent.languages.language import Mutant, Mutations
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

WATCHED = next((a[len("--watch="):] for a in sys.argv[1:] if a.startswith("--watch=")), "")
ARGS = [a for a in sys.argv[1:] if not a.startswith("--watch=")]
HITS, NAMES, VALUE, MOST_RECORDED = 2, 6, 60, 2000

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
        self.watched = WATCHED  # the test whose variables are recorded at each line it runs
        self.capture = False
        self.values = {}  # "path:line" -> the variables there, on the first hits
        self.calls = []  # this test's calls into the workspace's code: the lines each ran
        self.last = {}  # "path:line" -> failing tests whose last call ran it
        self.only_last = {}  # ... and none of that test's earlier calls

    def _line(self, frame, event, arg):
        if event == "line":
            where = (self.files[frame.f_code.co_filename], frame.f_lineno)
            self.ran.add(where)
            if self.calls:
                self.calls[-1].add(where)
            if self.capture:
                self._record(where, frame.f_locals)
        return self._line

    def _record(self, where, local):
        key = "%%s:%%d" %% where
        seen = self.values.setdefault(key, [])
        if len(seen) >= HITS or len(self.values) > MOST_RECORDED:
            return
        shown = []
        for name, value in list(local.items()):
            if name.startswith("__") or callable(value) or type(value).__name__ == "module":
                continue
            try:
                text = repr(value)
            except Exception:
                text = "<%%s>" %% type(value).__name__
            shown.append("%%s=%%s" %% (name, text if len(text) <= VALUE else text[:VALUE] + "..."))
            if len(shown) == NAMES:
                break
        if shown and ", ".join(shown) not in seen:
            seen.append(", ".join(shown))

    def _ours(self, filename):
        if filename not in self.files:
            self.files[filename] = _ours(filename)
        return self.files[filename]

    def _call(self, frame, event, arg):
        if not self._ours(frame.f_code.co_filename):
            return None
        caller = frame.f_back
        if caller is None or not self._ours(caller.f_code.co_filename):
            self.calls.append(set())  # the test (or a library) calls into the workspace
        return self._line

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
        self.calls = []
        self.capture = item.nodeid == self.watched
        sys.settrace(self._call)
        try:
            yield
        finally:
            sys.settrace(None)
            self.capture = False
        self.ran |= self.imported.get(str(item.path), set())  # what its module's import ran
        if self.outcome is not None:
            self.totals[self.outcome] += 1
            column = 0 if self.outcome == "failed" else 1
            for path, line in self.ran:
                counts = self.lines.setdefault("%%s:%%d" %% (path, line), [0, 0])
                counts[column] += 1
            if self.outcome == "failed" and self.calls:  # the call the assertion checked last
                earlier = set().union(*self.calls[:-1])
                for where in self.calls[-1]:
                    key = "%%s:%%d" %% where
                    self.last[key] = self.last.get(key, 0) + 1
                    if where not in earlier:
                        self.only_last[key] = self.only_last.get(key, 0) + 1

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.outcome = "failed"
        elif report.when == "call" and report.passed and self.outcome is None:
            self.outcome = "passed"


spectrum = Spectrum()
pytest.main(["-q", "-p", "no:cacheprovider", *ARGS], plugins=[spectrum])
values = {k: v for k, v in spectrum.values.items() if v}
sys.stdout.write("\n" + MARK + json.dumps(dict(spectrum.totals, lines=spectrum.lines,
                                                last=spectrum.last, only_last=spectrum.only_last,
                                                values=values)) + "\n")
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
    values: tuple[str, ...] = ()  # the variables as the first failing test reached the line
    last: int = 0  # failing tests whose last call into the workspace ran it
    only_last: int = 0  # ... and none of their earlier calls (which the test's checks passed)


def ochiai(failed: int, passed: int, total_failed: int) -> float:
    if failed == 0 or total_failed == 0:
        return 0.0
    return failed / math.sqrt(total_failed * (failed + passed))


def rank(record: dict) -> list[Suspect]:
    """The lines the failing tests ran, most suspicious first. Ties (a suite of one test, as
    a function checked by many asserts in one test has, ties every line it runs): first the
    lines the failing test's last call ran, then those its earlier calls, whose results the
    test accepted, did not; then fewer passing tests, then file and line order."""
    total = int(record.get("failed", 0))
    values, last, only_last = (record.get(k) if isinstance(record.get(k), dict) else {}
                               for k in ("values", "last", "only_last"))
    suspects = []
    for key, counts in (record.get("lines") or {}).items():
        path, _, line = key.rpartition(":")
        if not path or not line.isdigit() or len(counts) != 2:
            continue
        failed, passed = int(counts[0]), int(counts[1])
        if failed:
            suspects.append(Suspect(path, int(line), ochiai(failed, passed, total), failed, passed,
                                    tuple(str(v) for v in values.get(key, [])[:2]),
                                    _count(last.get(key)), _count(only_last.get(key))))
    suspects.sort(key=lambda s: (-s.score, -s.last, -s.only_last, s.passed, s.path, s.line))
    return suspects[:MOST_LINES]


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


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
    watch = next((c.node_id for c in failing if "::" in c.node_id), "")
    result = await sandbox.run(snapshot.with_files({TRACER_FILE: TRACER}),
                               ["python3", TRACER_FILE, f"--watch={watch}", *files], timeout=timeout)
    record = read_record(result.output)
    return rank(record) if record else []


def ranked_mutants(suspects: list[Suspect], snapshot: WorkspaceSnapshot, mutations: Mutations,
                   lines: int = MUTATED_LINES) -> list[tuple[Suspect, Mutant]]:
    """The mutants of the most suspicious lines, likeliest first: the line's score times how
    often that kind of change is the fix (not yet checked to parse: see `mutations.parses`)."""
    queue = []
    for suspect in suspects[:lines]:
        if suspect.path in snapshot.files:
            made = mutations.mutants(suspect.path, snapshot.text(suspect.path), suspect.line,
                                     check=False)
            queue += [(suspect.score * m.weight, -len(queue) - i, suspect, m)
                      for i, m in enumerate(made)]
    queue.sort(key=lambda q: (q[0], q[1]), reverse=True)
    return [(suspect, mutant) for _, _, suspect, mutant in queue]


def from_lines(lines: list[tuple[str, int, float]]) -> list[Suspect]:
    """Suspects a language ranked without running the tests (no counts, no values)."""
    return [Suspect(path, line, score, 1, 0) for path, line, score in lines]


def runtime_values(suspects: list[Suspect], snapshot: WorkspaceSnapshot, most: int = 5) -> str:
    """For the Coder: what the variables held when the first failing test reached the most
    suspicious lines (LDB: a small model repairs better from the values than from the bare
    assertion); "" when none were recorded."""
    shown = []
    for s in suspects:
        if not s.values or s.path not in snapshot.files:
            continue
        lines = snapshot.text(s.path).splitlines()
        code = lines[s.line - 1].strip() if 0 < s.line <= len(lines) else ""
        seen = "; then ".join(s.values)
        shown.append(f"- {s.path}:{s.line} `{code[:120]}`: "
                     + (seen if len(seen) <= 240 else seen[:240] + "..."))
        if len(shown) == most:
            break
    if not shown:
        return ""
    return ("The variables when the first failing test reached the most suspicious lines "
            "(before each line ran):\n" + "\n".join(shown))
