"""parse_junit and the sandbox's pytest witness read real pytest runs alike, outcome by outcome."""

import os
import secrets
import subprocess
import sys

import pytest

from microagent.sandbox.junit import MAX_REPORT_BYTES, parse_junit
from microagent.languages.python.pytest_runner import PytestRunner
from microagent.sandbox.test_runner import RawRun
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


def write(directory, files):
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run_pytest(directory, files):
    """Run real pytest with an xunit1 JUnit report, as a JUnitCommandRunner would."""
    write(directory, files)
    report = directory / "report.xml"
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=long",
            "-o", "junit_family=xunit1", "--junitxml", str(report)]  # fmt: skip
    env = {"PATH": os.environ.get("PATH", "/usr/bin"), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    subprocess.run(argv, cwd=directory, env=env, capture_output=True, timeout=120)
    return report.read_bytes()


def run_witness(directory, files):
    """Run real pytest the way the sandbox does, under the witness; return its cases."""
    write(directory, files)
    runner, secret = PytestRunner(), secrets.token_hex(16)
    argv = [sys.executable, *runner.argv(["--tb=long"], "")[1:]]
    env = {"PATH": os.environ.get("PATH", "/usr/bin"), **runner.env}
    done = subprocess.run(argv, cwd=directory, env=env, input=f"{secret}\n".encode(),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    raw = RawRun(output=done.stdout.decode(), exit_code=done.returncode, secret=secret)
    return runner.parse(raw).cases


@pytest.fixture(scope="module", params=["junit", "witness"])
def mixed_cases(request, tmp_path_factory):
    """The same suite read from pytest's JUnit report and from the sandbox's witness."""
    directory = tmp_path_factory.mktemp("mixed")
    files = {"pkg/test_mixed.py": MIXED}
    if request.param == "junit":
        cases = parse_junit(run_pytest(directory, files))
    else:
        cases = run_witness(directory, files)
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


@pytest.mark.parametrize("source", ["junit", "witness"])
def test_collection_errors_become_error_cases_named_after_the_file(tmp_path, source):
    files = {"test_syntax.py": "def broken(:\n    pass\n", "test_ok.py": "def test_ok(): pass\n"}
    if source == "junit":
        [case] = parse_junit(run_pytest(tmp_path, files))
    else:
        [case] = run_witness(tmp_path, files)
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
