"""Hostile generated code, run as tests in the real Docker sandbox: each must be contained."""

from __future__ import annotations

import asyncio
import sys
import time

import pytest

from microagent.sandbox.types import Outcome, ReportStatus

pytestmark = pytest.mark.docker


def hostile(test_body: str) -> dict[str, str]:
    """A one-test project whose test runs `test_body`."""
    body = "\n".join("    " + line for line in test_body.strip().splitlines())
    return {"test_hostile.py": f"import os, socket, sys\n\n\ndef test_hostile():\n{body}\n"}


async def test_infinite_loop_ends_at_the_timeout(docker_sandbox, project):
    report = await docker_sandbox.run_tests(project(hostile("while True:\n    pass")), timeout=3)

    assert report.status == ReportStatus.timeout
    assert report.backend == "docker"
    assert 3 <= report.duration < 10


async def test_timed_out_container_is_replaced(docker_sandbox, project, owned_containers):
    snapshot = project(hostile("while True:\n    pass"))
    await docker_sandbox.run_tests(snapshot, timeout=2)
    assert docker_sandbox.pool.container_ids() == []  # discarded at once
    assert owned_containers() == []

    fixed = snapshot.with_files(hostile("assert True"))
    report = await docker_sandbox.run_tests(fixed, timeout=30)
    assert report.ok
    assert len(docker_sandbox.pool.container_ids()) == 1


async def test_fork_bomb_hits_the_pids_limit_and_the_host_stays_responsive(
    docker_sandbox, project
):
    # The test starts a shell fork bomb, lets it fill the pids limit, then forks children of
    # its own until the kernel refuses one, and kills them all.
    bomb = """
import errno, signal, subprocess, time
bomb = subprocess.Popen(["sh", "-c", "f() { f & f & sleep 600; }; f"], start_new_session=True,
                        stderr=subprocess.DEVNULL)
time.sleep(5)  # the host is checked meanwhile
held, refused = [], None
for _ in range(1000):
    try:
        pid = os.fork()
    except OSError as exc:
        refused = exc.errno
        break
    if pid == 0:
        time.sleep(600)
        os._exit(0)
    held.append(pid)
for pid in held:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
os.killpg(bomb.pid, signal.SIGKILL)
print("held", len(held), "more before the refusal")
assert refused == errno.EAGAIN and len(held) < 128
"""
    run = asyncio.create_task(docker_sandbox.run_tests(project(hostile(bomb)), timeout=60))
    await asyncio.sleep(3)  # the bomb is at the limit by now

    started = time.monotonic()
    host = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    assert await host.wait() == 0
    host_seconds = time.monotonic() - started
    report = await run

    assert report.ok, report.output
    assert host_seconds < 5, f"a host `python -c pass` took {host_seconds:.1f}s during the bomb"


async def test_a_python_fork_bomb_until_the_timeout_is_contained(docker_sandbox, project):
    bomb = "while True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    report = await docker_sandbox.run_tests(project(hostile(bomb)), timeout=4)

    # Each forked interpreter dirties its own pages, so the memory limit may strike first.
    assert report.status in (ReportStatus.timeout, ReportStatus.oom)
    assert docker_sandbox.pool.container_ids() == []
    after = await docker_sandbox.run_tests(project(hostile("assert True")), timeout=30)
    assert after.ok


async def test_memory_bomb_is_reported_as_oom(docker_sandbox, project, owned_containers):
    bomb = "hoard = []\nwhile True:\n    hoard.append(b'x' * 10_000_000)"
    report = await docker_sandbox.run_tests(project(hostile(bomb)), timeout=60)

    assert report.status == ReportStatus.oom
    assert docker_sandbox.pool.container_ids() == []  # an OOM-killed container is not reused


async def test_network_is_unreachable(docker_sandbox, project):
    attempt = """
for host, port in [("1.1.1.1", 53), ("172.17.0.1", 2375), ("deb.debian.org", 80)]:
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        print(host, "blocked:", exc)
    else:
        raise AssertionError(f"connected to {host}")
"""
    report = await docker_sandbox.run_tests(project(hostile(attempt)), timeout=30)

    assert report.ok, report.output


async def test_writes_outside_the_workspace_fail(docker_sandbox, project):
    attempt = """
for path in ["/etc/evil", "/var/tmp/evil", "/usr/lib/python3/dist-packages/evil.py", "/evil"]:
    try:
        open(path, "w").write("x")
    except OSError as exc:
        print(path, "refused:", exc)
    else:
        raise AssertionError(f"wrote {path}")
open("inside.txt", "w").write("the workspace copy is writable")
"""
    report = await docker_sandbox.run_tests(project(hostile(attempt)), timeout=30)

    assert report.ok, report.output


async def test_100_mb_on_stdout_is_truncated_with_a_mark(docker_sandbox, project):
    spam = "import sys; sys.stdout.buffer.write(b'x' * 100_000_000)"
    snapshot = project(hostile("assert True"))
    result = await docker_sandbox.run(snapshot, ["python3", "-c", spam], timeout=60)

    assert result.exit_code == 0
    assert result.truncated
    assert "bytes truncated by microagent sandbox" in result.output
    assert len(result.output) < 1_100_000


async def test_100_mb_printed_by_a_test_is_truncated_in_the_report(docker_sandbox, project):
    spam = "chunk = 'x' * 1_000_000\nfor _ in range(100):\n    print(chunk)\nassert False"
    report = await docker_sandbox.run_tests(project(hostile(spam)), timeout=120)

    assert "bytes truncated by microagent sandbox" in report.output
    assert len(report.output) < 1_100_000
    assert [c.outcome for c in report.cases] == [Outcome.failed]


async def test_host_secrets_are_not_in_the_environment(docker_sandbox, project, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-microagent-test-secret")
    look = """
import pathlib
seen = dict(os.environ)
try:  # pid 1 runs as another uid: its environment is not even readable
    seen["pid 1"] = pathlib.Path("/proc/1/environ").read_text(errors="replace")
except PermissionError:
    seen["pid 1"] = ""
print(seen)
assert "OPENAI_API_KEY" not in os.environ
assert not any("sk-microagent-test-secret" in v for v in seen.values())
"""
    snapshot = project(hostile(look))
    report = await docker_sandbox.run_tests(snapshot, timeout=30)
    env = await docker_sandbox.run(snapshot, ["env"])

    assert report.ok, report.output
    assert "sk-microagent-test-secret" not in env.output
    assert "OPENAI_API_KEY" not in env.output


async def test_deleting_the_workspace_leaves_the_users_files_and_the_next_run_alone(
    docker_sandbox, project
):
    wipe = """
import shutil
for entry in os.listdir("."):
    shutil.rmtree(entry, ignore_errors=True)
    if os.path.exists(entry):
        os.remove(entry)
assert os.listdir(".") == []
"""
    files = {**hostile(wipe), "pkg/data.txt": "keep me\n"}
    snapshot = project(files)
    before = {p.name: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}

    report = await docker_sandbox.run_tests(snapshot, timeout=30)
    listing = await docker_sandbox.run(snapshot, ["find", ".", "-type", "f"])

    assert report.ok, report.output
    after = {p.name: p.read_bytes() for p in project.root.rglob("*") if p.is_file()}
    assert after == before
    assert "./pkg/data.txt" in listing.output.split()  # the warm copy was reset


async def test_cancelling_stops_the_run_quickly_and_leaves_nothing(
    docker_sandbox, project, owned_containers
):
    run = asyncio.create_task(
        docker_sandbox.run_tests(project(hostile("while True:\n    pass")), timeout=60)
    )
    await asyncio.sleep(2)
    assert len(owned_containers()) == 1

    cancelled_at = time.monotonic()
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    elapsed = time.monotonic() - cancelled_at

    assert elapsed < 2, f"cancellation took {elapsed:.2f}s"
    assert owned_containers() == []
    assert docker_sandbox.pool.container_ids() == []
