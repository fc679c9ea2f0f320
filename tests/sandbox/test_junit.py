"""parse_junit reads the reports real pytest writes, outcome by outcome."""

import os
import subprocess
import sys

import pytest

from microagent.sandbox.junit import MAX_REPORT_BYTES, parse_junit
from microagent.sandbox.pytest_runner import PytestRunner
from microagent.sandbox.types import Outcome

MIXED = '''
import pytest

@pytest.fixture
def broken():
    raise RuntimeError("fixture exploded")

def test_pass():
    assert 1 + 1 == 2

def test_fail():
    x = 3
    assert x == 4, "three is not four"

def test_error(broken):
    pass

@pytest.mark.skip(reason="not today")
def test_skip():
    pass

@pytest.mark.xfail(reason="known bug")
def test_xfail():
    assert False

@pytest.mark.xfail(strict=True)
def test_xpass_strict():
    pass

def recurse(n):
    if n == 0:
        raise ValueError("bottom of a deep stack")
    return recurse(n - 1)

def test_deep():
    recurse(60)

class TestThing:
    def test_method(self):
        assert "a" == "b"
'''


def run_pytest(directory, files):
    """Run real pytest the way the sandbox does; return the JUnit report it wrote."""
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    runner = PytestRunner()
    report = directory / "report.xml"
    argv = [sys.executable, *runner.argv(["--tb=long"], str(report))[1:]]
    env = {"PATH": os.environ.get("PATH", "/usr/bin"), **runner.env}
    subprocess.run(argv, cwd=directory, env=env, capture_output=True, timeout=120)
    return report.read_bytes()


@pytest.fixture(scope="module")
def mixed_cases(tmp_path_factory):
    directory = tmp_path_factory.mktemp("mixed")
    cases = parse_junit(run_pytest(directory, {"pkg/test_mixed.py": MIXED}))
    return {case.node_id: case for case in cases}


def test_every_outcome_maps_to_its_kind(mixed_cases):
    outcomes = {node: case.outcome for node, case in mixed_cases.items()}
    assert outcomes == {
        "pkg/test_mixed.py::test_pass": Outcome.passed,
        "pkg/test_mixed.py::test_fail": Outcome.failed,
        "pkg/test_mixed.py::test_error": Outcome.error,
        "pkg/test_mixed.py::test_skip": Outcome.skipped,
        "pkg/test_mixed.py::test_xfail": Outcome.xfailed,
        "pkg/test_mixed.py::test_xpass_strict": Outcome.failed,
        "pkg/test_mixed.py::test_deep": Outcome.failed,
        "pkg/test_mixed.py::TestThing::test_method": Outcome.failed,
    }


def test_failures_carry_message_location_and_traceback(mixed_cases):
    fail = mixed_cases["pkg/test_mixed.py::test_fail"]
    assert fail.file == "pkg/test_mixed.py"
    assert fail.line == 11  # 1-based line of `def test_fail`
    assert "three is not four" in fail.message
    assert "assert x == 4" in fail.traceback
    error = mixed_cases["pkg/test_mixed.py::test_error"]
    assert "fixture exploded" in error.message
    assert "[XPASS(strict)]" in mixed_cases["pkg/test_mixed.py::test_xpass_strict"].message
    assert mixed_cases["pkg/test_mixed.py::test_skip"].message == "not today"


def test_long_tracebacks_keep_their_last_lines(mixed_cases):
    deep = mixed_cases["pkg/test_mixed.py::test_deep"]
    lines = deep.traceback.splitlines()
    assert len(lines) <= 41
    assert lines[0].startswith("[...") and "earlier lines" in lines[0]
    assert "bottom of a deep stack" in deep.traceback


def test_collection_errors_become_error_cases_named_after_the_file(tmp_path):
    report = run_pytest(
        tmp_path, {"test_syntax.py": "def broken(:\n    pass\n", "test_ok.py": "def test_ok(): pass\n"}
    )
    [case] = parse_junit(report)
    assert case.node_id == "test_syntax.py" and case.outcome == Outcome.error
    assert "SyntaxError" in case.message


@pytest.mark.parametrize(
    "xml", [b"", b"<testsuites><testcase", b"not xml at all", b"<a>" + b"x" * MAX_REPORT_BYTES]
)
def test_broken_or_huge_reports_yield_no_cases(xml):
    assert parse_junit(xml) == []


def test_reports_without_file_attributes_use_classname():
    xml = b'<testsuite><testcase classname="math.add" name="adds numbers"/></testsuite>'
    [case] = parse_junit(xml)
    assert case.node_id == "math.add::adds numbers" and case.outcome == Outcome.passed
