"""The Docker sandbox on ordinary projects: warm reuse, cold runs, same reports, no leftovers."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys

import pytest

from microagent.sandbox.container import (
    MODE_LABEL,
    OWNER_LABEL,
    WORKSPACE_LABEL,
    ContainerLimits,
    create_container,
)
from microagent.sandbox.docker_backend import DockerSandbox
from microagent.sandbox.image_build import DEFAULT_IMAGE
from microagent.sandbox.process_backend import ProcessSandbox
from microagent.sandbox.types import Outcome, ReportStatus
from microagent.languages.python.pytest_runner import PytestRunner

pytestmark = pytest.mark.docker

FIXED_CALC = "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b + 0\n"


def outcomes(report):
    return [(c.node_id, c.outcome) for c in report.cases]


async def test_pass_and_fail_are_reported(docker_sandbox, project):
    report = await docker_sandbox.run_tests(project(), timeout=30)

    assert report.status == ReportStatus.completed
    assert report.summary() == "4/5 tests passing"
    assert [c.node_id for c in report.failed] == ["test_calc.py::test_wrong"]
    assert "assert 4 == 5" in report.failed[0].message
    assert report.exit_code == 1


async def test_selection_runs_only_the_chosen_tests(docker_sandbox, project):
    report = await docker_sandbox.run_tests(project(), ["test_calc.py::test_add"], timeout=30)

    assert outcomes(report) == [("test_calc.py::test_add", Outcome.passed)]


async def test_warm_container_is_reused_and_only_changes_are_sent(docker_sandbox, project):
    snapshot = project()
    await docker_sandbox.run_tests(snapshot, timeout=30)
    [first] = docker_sandbox.pool.container_ids()
    assert sorted(docker_sandbox.last_sync.sent) == ["calc.py", "test_calc.py"]

    await docker_sandbox.run_tests(snapshot, timeout=30)
    assert docker_sandbox.pool.container_ids() == [first]
    assert docker_sandbox.last_sync.sent == [] and docker_sandbox.last_sync.deleted == []

    edited = snapshot.with_files({"calc.py": FIXED_CALC})
    shown = await docker_sandbox.run(edited, ["cat", "calc.py"], timeout=30)
    assert docker_sandbox.pool.container_ids() == [first]
    assert docker_sandbox.last_sync.sent == ["calc.py"]
    assert shown.output == FIXED_CALC


async def test_a_deleted_file_is_gone_in_the_warm_container(docker_sandbox, project):
    snapshot = project({**project.default_files, "helpers/extra.py": "X = 1\n"})
    await docker_sandbox.run_tests(snapshot, timeout=30)

    smaller = snapshot.model_copy(
        update={"files": {k: v for k, v in snapshot.files.items() if k != "helpers/extra.py"}}
    )
    listing = await docker_sandbox.run(smaller, ["find", ".", "-name", "*.py"], timeout=30)

    assert docker_sandbox.last_sync.deleted == ["helpers/extra.py"]
    assert sorted(listing.output.split()) == ["./calc.py", "./test_calc.py"]
    assert len(docker_sandbox.pool.container_ids()) == 1


async def test_a_large_change_is_folded_into_the_copy_in_the_container(docker_sandbox, project):
    snapshot = project({**project.default_files, "data/big.txt": "a\n", "data/old.txt": "old\n"})
    await docker_sandbox.run_tests(snapshot, timeout=30)
    [first] = docker_sandbox.pool.container_ids()

    big = "b" * 400_000  # over the ride-along limit: sent with put_archive
    files = {k: v for k, v in snapshot.files.items() if k != "data/old.txt"}
    changed = snapshot.model_copy(update={"files": {**files, "data/big.txt": big.encode()}})
    sizes = await docker_sandbox.run(changed, ["sh", "-c", "wc -c data/*"], timeout=30)
    again = await docker_sandbox.run(changed, ["sh", "-c", "wc -c data/*"], timeout=30)

    assert "400000 data/big.txt" in sizes.output and "old.txt" not in sizes.output
    assert docker_sandbox.last_sync.sent == [] and docker_sandbox.last_sync.deleted == []
    assert again.output == sizes.output
    assert docker_sandbox.pool.container_ids() == [first]


async def test_files_written_by_a_run_do_not_reach_the_next_one(docker_sandbox, project):
    snapshot = project()
    mess = "echo junk > junk.txt; echo x >> calc.py; echo t > /tmp/t"
    await docker_sandbox.run(snapshot, ["sh", "-c", mess], timeout=30)
    look = ["sh", "-c", "ls -A . /tmp; cat calc.py"]
    after = await docker_sandbox.run(snapshot, look, timeout=30)

    assert "junk.txt" not in after.output and "\nt\n" not in after.output
    assert after.output.endswith(project.default_files["calc.py"])


async def test_a_background_process_does_not_outlive_its_run(docker_sandbox, project):
    snapshot = project()
    detach = ["sh", "-c", "sleep 1000 > /dev/null 2>&1 &"]
    started = await docker_sandbox.run(snapshot, detach, timeout=30)
    look = ["sh", "-c", "cat /proc/[0-9]*/cmdline | tr '\\0' ' '"]
    seen = await docker_sandbox.run(snapshot, look, timeout=30)

    assert started.exit_code == 0 and started.duration < 10
    assert "sleep 1000" not in seen.output
    assert "sh -c cat /proc" in seen.output  # the listing itself did work


async def test_cold_and_warm_give_the_same_report(docker_client, project, owned_containers):
    snapshot = project()
    cold = DockerSandbox(warm=False, runner=PytestRunner())
    warm = DockerSandbox(runner=PytestRunner())
    try:
        cold_report = await cold.run_tests(snapshot, timeout=30)
        assert owned_containers() == []  # a cold container is removed as soon as its run ends
        warm_report = await warm.run_tests(snapshot, timeout=30)
        warm_again = await warm.run_tests(snapshot, timeout=30)
    finally:
        await cold.close()
        await warm.close()
    local = await ProcessSandbox(sys.executable, runner=PytestRunner()).run_tests(snapshot, timeout=60)

    def essence(report):
        return report.status, [(c.node_id, c.outcome, c.message) for c in report.cases]

    assert essence(cold_report) == essence(warm_report) == essence(warm_again)
    assert outcomes(local) == outcomes(warm_report)
    assert owned_containers() == []


async def test_two_runs_at_once_on_one_workspace_both_complete(docker_sandbox, project):
    snapshot = project()
    first, second = await asyncio.gather(
        docker_sandbox.run_tests(snapshot, timeout=30),
        docker_sandbox.run_tests(snapshot, timeout=30),
    )

    assert first.summary() == second.summary() == "4/5 tests passing"
    assert len(docker_sandbox.pool.container_ids()) == 1  # the one-off sibling was removed


async def test_containers_are_hardened_and_leave_no_volume(docker_client, project):
    box = DockerSandbox(runner=PytestRunner())
    try:
        await box.run_tests(project(), timeout=30)
        [container_id] = box.pool.container_ids()
        attrs = docker_client.containers.get(container_id).attrs
        ids = await box.run(project(), ["sh", "-c", "id -u; id -g"])
    finally:
        await box.close()
    host = attrs["HostConfig"]
    assert ids.output.split() == ["1000", "1000"]  # what the tests and commands run as

    assert host["ReadonlyRootfs"] is True
    assert host["NetworkMode"] == "none"
    assert host["CapDrop"] == ["ALL"]
    assert "no-new-privileges" in host["SecurityOpt"]
    assert host["PidsLimit"] == 128
    assert host["Memory"] == host["MemorySwap"] == 512 * 1024**2
    assert host["NanoCpus"] == 1_000_000_000
    assert not host.get("Binds")
    assert set(host["Tmpfs"]) == {"/tmp", "/work"}
    # Anonymous root-owned volumes: the copy at /base, the run script's shell at /opt/microagent.
    volumes = {m["Destination"]: m for m in attrs["Mounts"] if m["Type"] == "volume"}
    assert set(volumes) == {"/base", "/opt/microagent"} and len(attrs["Mounts"]) == 2
    assert attrs["Config"]["User"] == "0:0"  # pid 1 only, out of the tests' reach
    assert attrs["Config"]["Labels"][MODE_LABEL] == "warm"
    left = {v.name for v in docker_client.volumes.list()}
    assert not {m["Name"] for m in volumes.values()} & left


async def test_start_up_removes_containers_of_dead_owners_only(docker_client, owned_containers):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    host = socket.gethostname()
    dead = create_container(
        docker_client, DEFAULT_IMAGE, ContainerLimits(),
        {OWNER_LABEL: f"{host}:{gone.pid}", WORKSPACE_LABEL: "x", MODE_LABEL: "warm"},
    )  # fmt: skip
    alive = create_container(
        docker_client, DEFAULT_IMAGE, ContainerLimits(),
        {OWNER_LABEL: f"{host}:1", WORKSPACE_LABEL: "x", MODE_LABEL: "warm"},
    )  # fmt: skip
    try:
        box = DockerSandbox(runner=PytestRunner())
        await box.close()
        remaining = {c.id for c in docker_client.containers.list(all=True)}
        assert box.removed_orphans == [dead.id[:12]]
        assert dead.id not in remaining
        assert alive.id in remaining
    finally:
        for container in (dead, alive):
            try:
                container.remove(force=True, v=True)
            except Exception:  # noqa: BLE001 - already removed by the janitor
                pass
