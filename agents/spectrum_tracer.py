"""The line tracer that fault localization (agents/localize.py) runs in the sandbox: pytest on
the failing tests' files with a plugin that records, per test and per check (each `assert`
made soft), the lines run in the workspace's own non-test modules. A script, sent as a file;
nothing here runs on the host."""

TRACER_FILE = "_microagent_spectrum.py"
MARK = "@@microagent-spectrum "

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
