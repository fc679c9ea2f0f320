"""Spectrum-based fault localization: the failing tests' files run once more in the sandbox
under a line tracer, and each line of the workspace's code is ranked by how much more the
failing tests run it than the passing ones (Ochiai). No model call.

A test that checks many calls (HumanEval's shape: one test, a list of asserts) is split into
its checks (test case purification, Xuan & Monperrus 2014): its test modules are loaded with
each `assert` made soft, so the test goes on past a failed check and every check is a small
test of its own, passed or failed, with the lines run since the one before. Lines run by the
failed checks and few passed ones come first among lines the tests alone cannot tell apart.

The ranking only orders what gets tried; it never decides a pass (code under test could forge
it, and gain nothing: every candidate is still judged by the real tests).
"""

from __future__ import annotations

import ast
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
import ast, builtins, json, os, sys, time
import importlib.abc, importlib.machinery, importlib.util
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # as the test runs themselves (PytestRunner)
import pytest

WATCHED = next((a[len("--watch="):] for a in sys.argv[1:] if a.startswith("--watch=")), "")
ARGS = [a for a in sys.argv[1:] if not a.startswith("--watch=")]
HITS, NAMES, VALUE, MOST_RECORDED = 2, 6, 60, 2000
SOFT_SECONDS = 2.0  # how long a test may go on after its first failed check
CHECK = "__microagent_check__"

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


def _test_file(filename):
    if not filename or not filename.startswith(ROOT + os.sep) or not filename.endswith(".py"):
        return False
    parts = os.path.relpath(filename, ROOT).split(os.sep)
    return _ours(filename) is None and not parts[0].startswith(".") and parts[-1] != %(self)r


class _Soften(ast.NodeTransformer):
    """Each `assert` in a function becomes `try: assert ... except AssertionError: check(False)
    else: check(True)`, on the assert's own lines; one inside `try` or `with` (which may expect
    the AssertionError) is left as written."""

    def __init__(self):
        self.functions = 0

    def visit_FunctionDef(self, node):
        self.functions += 1
        self.generic_visit(node)
        self.functions -= 1
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Try(self, node):
        return node

    visit_With = visit_AsyncWith = visit_TryStar = visit_Try

    def visit_Assert(self, node):
        if not self.functions:
            return node

        def check(passed):
            return ast.Expr(ast.Call(ast.Name(CHECK, ast.Load()), [ast.Constant(passed)], []))

        soft = ast.Try(body=[node],
                       handlers=[ast.ExceptHandler(ast.Name("AssertionError", ast.Load()), None,
                                                   [check(False)])],
                       orelse=[check(True)], finalbody=[])
        for part in ast.walk(soft):
            if "lineno" in part._attributes and not hasattr(part, "lineno"):
                ast.copy_location(part, node)
        return soft


class SoftAsserts(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Loads the workspace's test modules with their asserts made soft (see _Soften)."""

    def find_spec(self, fullname, path, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not _test_file(spec.origin) or spec.submodule_search_locations:
            return None
        return importlib.util.spec_from_file_location(fullname, spec.origin, loader=self)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        with open(module.__spec__.origin, "rb") as source:
            tree = ast.parse(source.read(), module.__spec__.origin)
        code = compile(_Soften().visit(tree), module.__spec__.origin, "exec")
        exec(code, module.__dict__)


class _Overtime(Exception):
    """A test that went on past a failed check for longer than SOFT_SECONDS."""


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
        self.segment = set()  # the lines run since this test's last check
        self.checks = []  # this test's checks: (passed, the lines run for it)
        self.failed_calls = None  # self.calls when this test's first check failed
        self.deadline = None
        self.check_lines = {}  # "path:line" -> [failed checks that ran it, passed ones]
        self.check_totals = {"failed": 0, "passed": 0}

    def check(self, passed):
        """A soft assert's outcome: the lines run since the last check were this check's."""
        self.checks.append((passed, self.segment))
        self.segment = set()
        if not passed and self.failed_calls is None:
            self.failed_calls = [set(c) for c in self.calls]
            self.deadline = time.monotonic() + SOFT_SECONDS

    def _overtime(self):
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.deadline = None
            raise _Overtime()

    def _line(self, frame, event, arg):
        if event == "line":
            self._overtime()
            where = (self.files[frame.f_code.co_filename], frame.f_lineno)
            self.ran.add(where)
            self.segment.add(where)
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
        self._overtime()
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
        self.calls, self.segment, self.checks = [], set(), []
        self.failed_calls, self.deadline = None, None
        self.capture = item.nodeid == self.watched
        sys.settrace(self._call)
        try:
            yield
        finally:
            sys.settrace(None)
            self.capture, self.deadline = False, None
        if any(not passed for passed, _ in self.checks):
            self.outcome = "failed"  # its soft asserts kept the failure from pytest
        self.ran |= self.imported.get(str(item.path), set())  # what its module's import ran
        if self.outcome is not None:
            self._count_checks()
            self.totals[self.outcome] += 1
            column = 0 if self.outcome == "failed" else 1
            for path, line in self.ran:
                counts = self.lines.setdefault("%%s:%%d" %% (path, line), [0, 0])
                counts[column] += 1
            calls = self.calls if self.failed_calls is None else self.failed_calls
            if self.outcome == "failed" and calls:  # the call the (first) failed check checked
                earlier = set().union(*calls[:-1])
                for where in calls[-1]:
                    key = "%%s:%%d" %% where
                    self.last[key] = self.last.get(key, 0) + 1
                    if where not in earlier:
                        self.only_last[key] = self.only_last.get(key, 0) + 1

    def _count_checks(self):
        """Each check a small test. A test with no soft asserts is one check; one that failed
        with every check passed failed after them (an error), on the lines since the last;
        lines after the last check of a passing test passed. (After a failed check the rest
        tells nothing more.)"""
        checks = list(self.checks)
        failed = self.outcome == "failed"
        if not checks:
            checks = [(not failed, self.ran)]
        elif all(passed for passed, _ in checks) and (failed or self.segment):
            checks.append((not failed, self.segment))
        for passed, lines in checks:
            self.check_totals["passed" if passed else "failed"] += 1
            for path, line in lines:
                counts = self.check_lines.setdefault("%%s:%%d" %% (path, line), [0, 0])
                counts[1 if passed else 0] += 1

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.outcome = "failed"
        elif report.when == "call" and report.passed and self.outcome is None:
            self.outcome = "passed"


spectrum = Spectrum()
setattr(builtins, CHECK, spectrum.check)
sys.meta_path.insert(0, SoftAsserts())
pytest.main(["-q", "-p", "no:cacheprovider", "--assert=plain", *ARGS], plugins=[spectrum])
values = {k: v for k, v in spectrum.values.items() if v}
checks = dict(spectrum.check_totals, lines=spectrum.check_lines)
sys.stdout.write("\n" + MARK + json.dumps(dict(spectrum.totals, lines=spectrum.lines,
                                                last=spectrum.last, only_last=spectrum.only_last,
                                                values=values, checks=checks)) + "\n")
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
    checks: float = 0.0  # Ochiai over the tests' single checks (asserts), as over tests above


def ochiai(failed: int, passed: int, total_failed: int) -> float:
    if failed == 0 or total_failed == 0:
        return 0.0
    return failed / math.sqrt(total_failed * (failed + passed))


def rank(record: dict, conditions: frozenset[tuple[str, int]] = frozenset()) -> list[Suspect]:
    """The lines the failing tests ran, most suspicious first. Ties (a suite of one test, as
    a function checked by many asserts in one test has, ties every line it runs): first by
    Ochiai over the single checks; then a condition (`if`, `elif`, `while`, `for` headers in
    `conditions`) before the other lines, as it decides which of them run; then the lines the
    failing test's last call before its failure ran, then those its earlier calls, whose
    results the test accepted, did not; then fewer passing tests, then file and line order."""
    total = int(record.get("failed", 0))
    values, last, only_last = (record.get(k) if isinstance(record.get(k), dict) else {}
                               for k in ("values", "last", "only_last"))
    checks = record.get("checks") if isinstance(record.get("checks"), dict) else {}
    check_lines = checks.get("lines") if isinstance(checks.get("lines"), dict) else {}
    failed_checks = _count(checks.get("failed"))
    suspects = []
    for key, counts in (record.get("lines") or {}).items():
        path, _, line = key.rpartition(":")
        if not path or not line.isdigit() or len(counts) != 2:
            continue
        failed, passed = int(counts[0]), int(counts[1])
        if failed:
            by_check = _pair(check_lines.get(key))
            suspects.append(Suspect(path, int(line), ochiai(failed, passed, total), failed, passed,
                                    tuple(str(v) for v in values.get(key, [])[:2]),
                                    _count(last.get(key)), _count(only_last.get(key)),
                                    ochiai(*by_check, failed_checks)))
    suspects.sort(key=lambda s: (-s.score, -s.checks, (s.path, s.line) not in conditions,
                                 -s.last, -s.only_last, s.passed, s.path, s.line))
    return suspects[:MOST_LINES]


def _pair(value: object) -> tuple[int, int]:
    if isinstance(value, list) and len(value) == 2:
        return _count(value[0]), _count(value[1])
    return 0, 0


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
    if not record:
        return []
    paths = {k.rpartition(":")[0] for k in record.get("lines") or {} if isinstance(k, str)}
    return rank(record, condition_lines(snapshot, paths))


def condition_lines(snapshot: WorkspaceSnapshot, paths: set[str]) -> frozenset[tuple[str, int]]:
    """The first lines of the `if`/`elif`/`while`/`for` statements in these files."""
    found = set()
    for path in paths:
        if path not in snapshot.files:
            continue
        try:
            tree = ast.parse(snapshot.text(path))
        except (SyntaxError, ValueError):
            continue
        found |= {(path, node.lineno) for node in ast.walk(tree)
                  if isinstance(node, (ast.If, ast.While, ast.For, ast.AsyncFor))}
    return frozenset(found)


def ranked_mutants(suspects: list[Suspect], snapshot: WorkspaceSnapshot, mutations: Mutations,
                   lines: int = MUTATED_LINES) -> list[tuple[Suspect, Mutant]]:
    """The mutants of the most suspicious lines, likeliest first: the line's score, discounted
    by its place in the ranking (whose tie-breaks know more than the score: the n-th line
    counts 1/n), times how often that kind of change is the fix (not yet checked to parse: see
    `mutations.parses`)."""
    queue = []
    for place, suspect in enumerate(suspects[:lines], start=1):
        if suspect.path in snapshot.files:
            made = mutations.mutants(suspect.path, snapshot.text(suspect.path), suspect.line,
                                     check=False)
            queue += [(suspect.score / place * m.weight, -len(queue) - i, suspect, m)
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
