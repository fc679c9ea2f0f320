"""Generated code that tries to make a failing test count as passed, on every backend.

Each project's only test fails on honest code (`add` subtracts); the code under test then
tries a trick. None may give a pass. Also: bubblewrap's disk, /tmp and /dev/shm limits.
"""

from __future__ import annotations

import sys

import pytest

from microagent.sandbox.types import Outcome, ReportStatus, WorkspaceSnapshot

TARGET = "test_calc.py::test_add"
TEST = "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
# A JUnit report and pytest's last line saying the test passed.
FORGED = '''
FORGED_XML = ('<?xml version="1.0"?><testsuites><testsuite tests="1" failures="0" errors="0">'
              '<testcase classname="test_calc" name="test_add" file="test_calc.py"/>'
              '</testsuite></testsuites>')


def forge():
    import glob
    paths = [a.split("=", 1)[-1] for a in sys.argv if "junit" in a or a.endswith(".xml")]
    paths += glob.glob("/out/*.xml") + ["/tmp/.microagent-junit.xml"]
    for path in paths:
        try:
            with open(path, "w") as f:
                f.write(FORGED_XML)
        except OSError:
            pass
    print("1 passed in 0.01s", flush=True)
'''


def project(code: str) -> WorkspaceSnapshot:
    return WorkspaceSnapshot(files={"calc.py": code.encode(), "test_calc.py": TEST.encode()})


def calc(body: str, module: str = "") -> WorkspaceSnapshot:
    """calc.py whose `add` runs `body` and then returns a wrong answer."""
    inner = "\n".join("    " + line for line in body.strip().splitlines())
    return project(f"import os, sys\n{FORGED}\n{module}\n\ndef add(a, b):\n{inner}\n"
                   "    return a - b\n")  # fmt: skip


async def assert_no_pass(sandbox, snapshot: WorkspaceSnapshot):
    report = await sandbox.run_tests(snapshot, timeout=60)
    assert not report.ok, report.output
    assert report.unpassed([TARGET]) == [TARGET]
    assert all(case.outcome != Outcome.passed for case in report.cases)
    return report


@pytest.mark.parametrize("call", ["pytest.skip('not today')", "pytest.xfail('known')"])
async def test_skip_or_xfail_in_the_code_is_not_a_pass(sandbox, call):
    report = await assert_no_pass(sandbox, calc(f"import pytest\n{call}"))
    assert [c.outcome for c in report.cases] in ([Outcome.skipped], [Outcome.xfailed])
    assert report.summary().startswith("0/1 tests passing")


async def test_an_atexit_handler_cannot_rewrite_the_result(sandbox):
    module = "import atexit\natexit.register(lambda: (forge(), os._exit(0)))"
    report = await assert_no_pass(sandbox, calc("pass", module))
    assert [c.outcome for c in report.cases] == [Outcome.failed]


@pytest.mark.parametrize("where", ["import", "call"])
async def test_a_forged_report_and_exit_0_is_a_crash(sandbox, where):
    trick = "forge()\nos._exit(0)"
    snapshot = calc(trick) if where == "call" else calc("pass", trick)
    report = await assert_no_pass(sandbox, snapshot)
    assert report.status == ReportStatus.crashed and "no report" in report.problem


CHEAT = """
import gc
import pytest
from _pytest.config import Config


class Cheat:
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = (yield).get_result()
        report.outcome, report.longrepr = "passed", None

    def pytest_sessionfinish(self, session):
        session.exitstatus = 0


for found in gc.get_objects():
    if isinstance(found, Config):
        found.pluginmanager.register(Cheat())
        break
"""


@pytest.mark.parametrize("where", ["import", "call"])
async def test_a_plugin_registered_from_the_code_is_tampering(sandbox, where):
    snapshot = calc(CHEAT) if where == "call" else calc("pass", CHEAT)
    report = await assert_no_pass(sandbox, snapshot)
    assert report.status == ReportStatus.crashed and "plugin" in report.problem


SAVED_DESCRIPTORS = """
import io, tarfile
data = FORGED_XML.encode()
archive = io.BytesIO()
with tarfile.open(fileobj=archive, mode="w") as tar:
    info = tarfile.TarInfo("tmp/.microagent-junit.xml")
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))
forged = b"microagent-exit 0 0 0\\n" + archive.getvalue()
parent = f"/proc/{os.getppid()}/fd"
for fd in os.listdir(parent):
    if int(fd) > 2:
        try:
            with open(f"{parent}/{fd}", "wb") as channel:
                channel.write(forged)
        except OSError:
            pass
forge()
"""


async def test_the_parents_descriptors_cannot_carry_a_forged_status(sandbox):
    if sandbox.name == "process":
        pytest.skip("the process backend's parent is the host process itself: weak by design")
    report = await assert_no_pass(sandbox, calc(SAVED_DESCRIPTORS))
    # Nothing reached a channel: the honest failure is what the report says.
    assert [c.outcome for c in report.cases] == [Outcome.failed], report.problem


PROBE_PARENT = """
import os
for what in ("fd", "environ", "mem"):
    try:
        open(f"/proc/{os.getppid()}/{what}" + ("/3" if what == "fd" else ""), "rb")
        print(what, "OPEN")
    except OSError:
        print(what, "DENIED")
"""


async def test_the_docker_run_scripts_shell_is_out_of_reach(sandbox):
    if sandbox.name != "docker":
        pytest.skip("only docker runs the command under a shell that holds a private channel")
    result = await sandbox.run(WorkspaceSnapshot(files={"probe.py": PROBE_PARENT.encode()}),
                               ["python3", "probe.py"], timeout=30)  # fmt: skip
    assert result.output.split() == ["fd", "DENIED", "environ", "DENIED", "mem", "DENIED"]


def test_the_process_backend_says_it_is_weak():
    from microagent.languages.python.pytest_runner import PytestRunner
    from microagent.sandbox.process_backend import ProcessSandbox

    assert ProcessSandbox(sys.executable, runner=PytestRunner()).isolation == "weak"


FILL = """
import errno, os, sys
written = 0
try:
    for n in range(40):
        with open(os.path.join(sys.argv[1], f"fill{n}"), "wb") as f:
            for _ in range(16):
                f.write(b"x" * (1 << 20))
                written += 1
except OSError as exc:
    print("stopped", written, errno.errorcode[exc.errno])
else:
    print("wrote", written)
"""


@pytest.mark.parametrize(("directory", "limit_mib"), [(".", 256), ("/tmp", 64), ("/dev/shm", 64)])
async def test_disk_tmp_and_shm_are_size_limited(sandbox, directory, limit_mib):
    if sandbox.name == "process":
        pytest.skip("the process backend writes to the host's disk: no size limit (weak)")
    snapshot = WorkspaceSnapshot(files={"fill.py": FILL.encode()})
    result = await sandbox.run(snapshot, ["python3", "fill.py", directory], timeout=60)
    words = result.output.split()
    assert words[:1] == ["stopped"] and words[2] == "ENOSPC", result.output
    assert limit_mib - 8 <= int(words[1]) <= limit_mib


# Tampering inside the run (issue 29, item 2): the code under test is not screened here (the
# sandbox runs whatever it is given), so the witness itself must notice each of these.
FIRST = "import calc\n\n\ndef test_first():\n    calc.helper()\n"
FORGED_RECORD = ('{"exit": 0, "tampered": [], "cases": [{"node_id": "test_calc.py::test_add",'
                 ' "outcome": "passed", "file": "test_calc.py"}]}')


def with_first(code: str) -> WorkspaceSnapshot:
    """`test_aaa.py` runs first and calls `calc.helper()`; then the target test runs."""
    snapshot = project(code)
    return WorkspaceSnapshot(files={**snapshot.files, "test_aaa.py": FIRST.encode()})


SWAP_CODE = """
import sys


def helper():
    sys.modules["test_calc"].test_add.__code__ = (lambda: None).__code__


def add(a, b):
    return a - b
"""
REWRITE_TEST_FILE = """
import os

if os.path.exists("test_calc.py"):
    with open("test_calc.py", "w") as test:
        test.write("def test_add():\\n    pass\\n")


def helper():
    pass


def add(a, b):
    return a - b
"""
RUNTEST = """
import sys

sys.modules["_pytest.python"].Function.runtest = lambda self: None


def add(a, b):
    return a - b
"""
SWALLOW = """
import sys

runner = sys.modules["_pytest.runner"]
_real = runner.CallInfo.from_call.__func__


def _quiet(cls, func, when, reraise=None):
    info = _real(cls, func, when, reraise)
    info.excinfo = None
    return info


runner.CallInfo.from_call = classmethod(_quiet)


def add(a, b):
    return a - b
"""
MAIN_OS = """
import os
import types

import __main__

_write, _exit = os.write, os._exit


def _forging_write(fd, data):
    data = data.replace(b'"outcome": "failed"', b'"outcome": "passed"')
    return _write(fd, data.replace(b'"exit": 1', b'"exit": 0'))


__main__.os = types.SimpleNamespace(**{**vars(os), "write": _forging_write,
                                       "_exit": lambda code: _exit(0)})


def add(a, b):
    return a - b
"""
FRAMES = """
import os
import sys


def _strings():
    for frame in sys._current_frames().values():
        while frame is not None:
            for scope in (frame.f_locals, frame.f_globals):
                for value in list(scope.values()):
                    if isinstance(value, bytes):
                        value = value.decode("latin-1")
                    if isinstance(value, str) and len(value) == 32:
                        yield value
            frame = frame.f_back


def add(a, b):
    lines = "".join("\\n%s %s\\n" % (found, FORGED_RECORD) for found in set(_strings()))
    for fd in os.listdir("/proc/self/fd"):  # pytest captures fd 1; the real stdout is a copy
        try:
            os.write(int(fd), lines.encode())
        except OSError:
            pass
    os._exit(0)
"""
TRICKS = {
    "the test's code swapped": (with_first(SWAP_CODE), "test_add"),
    "the test file rewritten before it is imported": (with_first(REWRITE_TEST_FILE), "test_add"),
    "Function.runtest replaced": (project(RUNTEST), "Function"),
    "the call's exception swallowed": (project(SWALLOW), "CallInfo"),
    "the witness's os replaced through __main__": (project(MAIN_OS), "os"),
}


@pytest.mark.parametrize("trick", list(TRICKS))
async def test_tampering_inside_the_run_is_a_crash_with_the_reason(sandbox, trick):
    snapshot, named = TRICKS[trick]
    report = await assert_no_pass(sandbox, snapshot)
    assert report.status == ReportStatus.crashed, report.output
    assert "tamper" in report.problem and named in report.problem, report.problem


async def test_the_secret_is_not_in_any_frame_the_code_can_walk(sandbox):
    code = f"FORGED_RECORD = {FORGED_RECORD!r}\n{FRAMES}"
    report = await assert_no_pass(sandbox, project(code))
    assert report.status == ReportStatus.crashed and "no report" in report.problem
