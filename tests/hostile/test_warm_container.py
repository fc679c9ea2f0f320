"""A warm Docker container serves many runs of one workspace: nothing a run does may reach the
next. The idle process kept between runs (pid 1) must be out of the tests' reach: its memory
not writable, not traceable, not signalable by the tests' uid (issue: a candidate that wrote
an implant into /proc/1/mem made every later run of the same container pass)."""

from __future__ import annotations

import re

import pytest

from microagent.languages.python.pytest_runner import PytestRunner
from microagent.sandbox.snapshot import read_workspace

pytestmark = pytest.mark.docker

REACH_PID_1 = '''
import ctypes, errno, os, signal


def reach():
    """What of pid 1 this process can touch; each entry an error name or 'reached'."""
    found = {}
    try:
        with open("/proc/1/mem", "r+b") as mem:
            found["mem"] = "reached"
    except OSError as exc:
        found["mem"] = errno.errorcode[exc.errno]
    try:
        os.kill(1, signal.SIGSTOP)
        os.kill(1, signal.SIGCONT)
        found["signal"] = "reached"
    except OSError as exc:
        found["signal"] = errno.errorcode[exc.errno]
    libc = ctypes.CDLL(None, use_errno=True)
    PTRACE_ATTACH, PTRACE_DETACH = 16, 17
    if libc.ptrace(PTRACE_ATTACH, 1, None, None) == 0:
        libc.ptrace(PTRACE_DETACH, 1, None, None)
        found["ptrace"] = "reached"
    else:
        found["ptrace"] = errno.errorcode[ctypes.get_errno()]
    try:
        os.listdir("/proc/1/root/work")
        found["root"] = "reached"
    except OSError as exc:
        found["root"] = errno.errorcode[exc.errno]
    return found


def test_reach():
    assert reach() == {}, reach()
'''


async def test_the_tests_cannot_reach_the_warm_containers_pid_1(tmp_path):
    from microagent.sandbox.docker_backend import DockerSandbox

    (tmp_path / "test_reach.py").write_text(REACH_PID_1)
    box = DockerSandbox(warm=True, runner=PytestRunner())
    try:
        first = await box.run_tests(read_workspace(tmp_path))
        [case] = first.failed
        seen = dict(re.findall(r"'(\w+)': '(\w+)'", case.message))
        assert set(seen) == {"mem", "signal", "ptrace", "root"}, case.message
        assert set(seen.values()) <= {"EPERM", "EACCES"}, seen  # each route refused
        again = await box.run_tests(read_workspace(tmp_path))  # the same warm container
        assert box.pool.container_ids() and [c.node_id for c in again.failed] == \
            ["test_reach.py::test_reach"]
    finally:
        await box.close()
