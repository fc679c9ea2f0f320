"""Hostile generated code against the local backends: each case runs real code in the sandbox.

Every run leaves no process and no temp directory behind. The bubblewrap jail must also keep the
network and the host's files out of reach; the process backend says it cannot (isolation weak).
"""

import asyncio
import socket
import tempfile
import time
import uuid
from pathlib import Path

import pytest

import system_parts
from microagent.sandbox.bubblewrap import find_bwrap
from microagent.sandbox.choose import select_backend
from microagent.sandbox.limits import PidsCgroup, memory_cgroup_available
from microagent.sandbox.process_backend import BubblewrapSandbox, ProcessSandbox
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.types import Outcome, ReportStatus, SandboxError, WorkspaceSnapshot
from microagent.languages.python.pytest_runner import PytestRunner

BACKENDS = {"process": ProcessSandbox, "bubblewrap": BubblewrapSandbox}


@pytest.fixture(params=["process", "bubblewrap"])
def sandbox(request):
    if request.param == "bubblewrap":
        system_parts.bwrap()
    return BACKENDS[request.param](runner=PytestRunner())


@pytest.fixture(autouse=True)
def run_dirs(tmp_path, monkeypatch):
    """Send the backends' temp directories somewhere we can check is empty afterwards."""
    runs = tmp_path / "runs"
    runs.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(runs))
    yield runs
    assert list(runs.iterdir()) == [], "a run left its temp directory behind"


@pytest.fixture
def marker():
    return f"microagent-test-{uuid.uuid4().hex}"


def pids_cgroup_available() -> bool:
    probe = PidsCgroup.create(8)
    if probe is not None:
        probe.remove()
    return probe is not None


def processes_with(marker: str) -> list[int]:
    """Live processes whose command line carries the marker (zombies have none)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


async def gone(marker: str, within: float = 3.0) -> bool:
    end = time.monotonic() + within
    while processes_with(marker):
        if time.monotonic() > end:
            return False
        await asyncio.sleep(0.05)
    return True


def program(code: str, name: str = "main.py") -> WorkspaceSnapshot:
    return WorkspaceSnapshot(files={name: code.encode()})


SLEEPER = "import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', '{marker}'])\n"  # noqa: E501


async def test_runs_tests_and_names_the_backend(sandbox):
    snapshot = program("def test_ok():\n    pass\n\ndef test_bad():\n    assert 2 == 3\n", "test_a.py")
    report = await sandbox.run_tests(snapshot, timeout=30)
    assert report.status == ReportStatus.completed and report.backend == sandbox.name
    assert {c.node_id: c.outcome for c in report.cases} == {
        "test_a.py::test_ok": Outcome.passed, "test_a.py::test_bad": Outcome.failed,
    }  # fmt: skip
    assert "assert 2 == 3" in report.cases[1].traceback
    assert 0 < report.collection_seconds < report.duration  # pytest's own collection time


async def test_collection_errors_come_through_the_backend(sandbox):
    report = await sandbox.run_tests(program("def broken(:\n", "test_b.py"), timeout=30)
    assert report.status == ReportStatus.collection_error
    assert "SyntaxError" in "\n".join(report.collection_errors)


async def test_infinite_loop_ends_at_the_timeout_and_leaves_nothing(sandbox, marker):
    code = SLEEPER.format(marker=marker) + "\ndef test_spin():\n    while True:\n        pass\n"
    report = await sandbox.run_tests(program(code, "test_loop.py"), timeout=3)
    assert report.status == ReportStatus.timeout
    assert report.duration < 15
    assert await gone(marker)


async def test_fork_bomb_is_cleaned_up_and_the_host_stays_usable(sandbox, marker):
    # Bounded (300 forks) because RLIMIT_NPROC does not bind root; see ResourceLimits.
    bomb = (
        "import os, sys, time\nmade = 0\nfor _ in range(300):\n    try:\n        pid = os.fork()\n"
        "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(600)\n"
        "        os._exit(0)\n    made += 1\nprint('forked', made, flush=True)\ntime.sleep(600)\n"
    )
    result = await sandbox.run(program(bomb), ["python3", "main.py", marker], timeout=4)
    assert result.timed_out and "forked" in result.output
    assert await gone(marker)
    after = await sandbox.run(program("print('still here')"), ["python3", "main.py"], timeout=30)
    assert after.output.strip() == "still here"


async def test_a_pids_cgroup_caps_forks_when_the_host_allows_one(sandbox, marker):
    if not pids_cgroup_available():
        pytest.skip("this host gives us no pids cgroup; only the bounded fork test applies")
    bomb = (
        "import os, time\nmade = 0\nfor _ in range(400):\n    try:\n        pid = os.fork()\n"
        "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(600)\n"
        "        os._exit(0)\n    made += 1\nprint('forked', made, flush=True)\n"
    )
    result = await sandbox.run(program(bomb), ["python3", "main.py", marker], timeout=10)
    forked = int(result.output.split("forked")[1].split()[0])
    assert forked < sandbox.limits.processes
    assert await gone(marker)


async def test_a_child_that_leaves_the_session_is_still_killed(sandbox, marker):
    if sandbox.name == "process" and not pids_cgroup_available():
        pytest.skip("without a pids cgroup the process backend only kills its process group")
    code = (
        "import os, subprocess, sys\nsubprocess.Popen([sys.executable, '-c', "
        "'import os, time; os.setsid(); time.sleep(600)', sys.argv[1]])\n"
    )
    result = await sandbox.run(program(code), ["python3", "main.py", marker], timeout=10)
    assert result.exit_code == 0
    assert await gone(marker)


async def test_memory_bomb_is_reported_as_oom(sandbox):
    code = "def test_eat():\n    hoard = []\n    while True:\n        hoard.append(bytearray(50_000_000))\n"
    report = await sandbox.run_tests(program(code, "test_mem.py"), timeout=60)
    assert report.status == ReportStatus.oom
    result = await sandbox.run(program("x = bytearray(8 * 1024**3)\n"), ["python3", "main.py"])
    assert result.oom_killed and result.exit_code != 0


async def test_children_share_one_memory_limit_where_the_host_gives_a_cgroup(sandbox):
    """RLIMIT_AS binds each process alone: four children of 300 MB each stay under it, and
    only the memory cgroup (512 MiB for the whole run) stops them."""
    if not memory_cgroup_available():
        pytest.skip("no memory cgroup here: doctor and the sandbox's note say the total is unlimited")
    code = ("import subprocess, sys\nchild = 'import time; x = bytearray(300_000_000); "
            "x[::4096] = b\"1\" * len(x[::4096]); time.sleep(5)'\n"
            "kids = [subprocess.Popen([sys.executable, '-c', child]) for _ in range(4)]\n"
            "print([k.wait() for k in kids])\n")
    result = await sandbox.run(program(code), ["python3", "main.py"], timeout=60)
    assert result.oom_killed, result.output


def test_the_note_says_what_bounds_the_run_s_memory(monkeypatch):
    from microagent.sandbox import limits

    monkeypatch.setattr(limits, "memory_cgroup_available", lambda: True)
    assert limits.memory_note() == "memory 512 MiB for the whole run (a memory cgroup)"
    monkeypatch.setattr(limits, "memory_cgroup_available", lambda: False)
    assert limits.memory_note().startswith("WEAK: the run's total memory is unlimited")


async def test_network_is_unreachable_in_the_jail(sandbox):
    if sandbox.isolation == "weak":
        assert sandbox.name == "process"
        pytest.skip("the process backend does not isolate the network; it reports isolation weak")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        code = (
            "import socket\nfor address in [('127.0.0.1', %d), ('1.1.1.1', 53), ('10.0.0.1', 80)]:\n"
            "    try:\n        socket.create_connection(address, timeout=2).close()\n"
            "        print('CONNECTED', address)\n    except OSError as exc:\n"
            "        print('BLOCKED', address, exc)\n" % port
        )
        result = await sandbox.run(program(code), ["python3", "main.py"], timeout=30)
    assert "CONNECTED" not in result.output and result.output.count("BLOCKED") == 3


async def test_writes_outside_the_workspace_do_not_reach_the_host(sandbox, tmp_path):
    if sandbox.isolation == "weak":
        pytest.skip("the process backend does not isolate the filesystem; isolation is weak")
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "app.py").write_text("original\n")
    code = (
        "import os, sys\nfor path in sys.argv[1:]:\n    try:\n"
        "        os.makedirs(os.path.dirname(path), exist_ok=True)\n"
        "        open(path, 'w').write('pwned')\n        print('wrote', path)\n"
        "    except OSError as exc:\n        print('denied', path, type(exc).__name__)\n"
    )
    targets = ["/usr/pwned", "/etc/pwned", str(workspace / "app.py"), str(workspace / "new.py")]
    result = await sandbox.run(program(code), ["python3", "main.py", *targets], timeout=30)
    assert "denied /usr/pwned" in result.output and "denied /etc/pwned" in result.output
    assert not Path("/usr/pwned").exists() and not Path("/etc/pwned").exists()
    assert (workspace / "app.py").read_text() == "original\n"
    assert not (workspace / "new.py").exists()


async def test_huge_output_is_truncated_with_a_mark(sandbox):
    code = "import sys\nsys.stdout.buffer.write(b'x' * 100_000_000)\nprint('THE END')\n"
    result = await sandbox.run(program(code), ["python3", "main.py"], timeout=60)
    assert result.truncated and result.exit_code == 0
    assert "bytes truncated by microagent sandbox" in result.output
    assert len(result.output) < 1_200_000 and result.output.rstrip().endswith("THE END")


async def test_host_secrets_do_not_reach_generated_code(sandbox, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
    code = "import os\nprint(sorted(os.environ.items()))\n"
    result = await sandbox.run(program(code), ["python3", "main.py"], timeout=30)
    assert "HOME" in result.output  # the program did print its environment
    assert "sk-test-secret" not in result.output and "OPENAI_API_KEY" not in result.output


async def test_deleting_files_in_the_sandbox_leaves_the_users_files(sandbox, tmp_path):
    workspace = tmp_path / "ws"
    (workspace / "pkg").mkdir(parents=True)
    (workspace / "app.py").write_text("keep me\n")
    (workspace / "pkg" / "mod.py").write_text("me too\n")
    code = "import os, shutil\nshutil.rmtree('pkg')\nos.remove('app.py')\nprint(os.listdir('.'))\n"
    snapshot = read_workspace(workspace, {"main.py": code})
    result = await sandbox.run(snapshot, ["python3", "main.py"], timeout=30)
    assert result.output.strip() == "['main.py']"
    assert (workspace / "app.py").read_text() == "keep me\n"
    assert (workspace / "pkg" / "mod.py").read_text() == "me too\n"
    assert not (workspace / "main.py").exists()


async def test_cancelling_a_run_stops_it_promptly(sandbox, marker):
    code = SLEEPER.format(marker=marker) + "import time\ntime.sleep(600)\n"
    task = asyncio.create_task(sandbox.run(program(code), ["python3", "main.py"], timeout=120))
    for _ in range(200):
        if processes_with(marker):
            break
        await asyncio.sleep(0.05)
    assert processes_with(marker), "the sandboxed program never started"
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 2.0
    assert await gone(marker)


def test_backend_choice_falls_back_and_says_why():
    def no_docker():
        raise SandboxError("Docker engine not reachable: no socket")

    backend, why = select_backend("auto", no_docker, runner=PytestRunner())
    if find_bwrap() is not None:
        assert backend.name == "bubblewrap" and "Docker engine not reachable" in why
    else:
        assert backend.name == "process" and "WEAK" in why
    process, why = select_backend("process", runner=PytestRunner())
    assert process.isolation == "weak" and "WEAK" in why
    with pytest.raises(SandboxError):
        select_backend("docker", no_docker, runner=PytestRunner())
    with pytest.raises(SandboxError):
        select_backend("chroot", runner=PytestRunner())


def test_a_missing_bwrap_is_a_clear_error():
    jail = BubblewrapSandbox(runner=PytestRunner())
    jail.bwrap = None  # as on a host without bubblewrap
    with pytest.raises(SandboxError, match="apt-get install bubblewrap"):
        jail.check()



async def test_a_command_that_cannot_start_is_a_sandbox_error():
    with pytest.raises(SandboxError):
        await ProcessSandbox(runner=PytestRunner()).run(program(""), ["/nonexistent/tool"])
    with pytest.raises(SandboxError):
        await ProcessSandbox(python="/nonexistent/python3", runner=PytestRunner()).run(program(""), ["python3", "-V"])


async def test_a_jail_whose_python_is_missing_says_so():
    system_parts.bwrap()
    with pytest.raises(SandboxError, match="/nonexistent/python3"):
        await BubblewrapSandbox(python="/nonexistent/python3", runner=PytestRunner()).run(program(""), ["python3"])


def test_the_base_install_carries_pytest():
    """The process and bubblewrap backends run pytest with microagent's own Python, so a plain
    `pip install microagent-lsp` (what `make demo` installs) must bring it, not only the dev extra."""
    from importlib.metadata import requires

    core = [r for r in requires("microagent-lsp") or [] if "extra ==" not in r]
    assert any(r.startswith("pytest") and not r.startswith("pytest-") for r in core), core
