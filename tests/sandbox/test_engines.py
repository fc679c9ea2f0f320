"""The sandbox over two real Docker engines: the default one and a second dockerd started here
(its own socket and data root, the image loaded into it by the sandbox itself)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from microagent.bench.docker_engine import DockerEngine
from microagent.sandbox.container import OWNER_LABEL, owner_label
from microagent.sandbox.engines import Engines
from microagent.sandbox.image_build import DEFAULT_IMAGE, image_present
from microagent.sandbox.snapshot import read_workspace
from microagent.sandbox.spread_backend import SpreadSandbox
from microagent.sandbox.types import EngineSpec, Outcome, SandboxError
from microagent.languages.python.pytest_runner import PytestRunner

pytestmark = pytest.mark.docker
DEFAULT_ENGINE = "unix:///var/run/docker.sock"


@pytest.fixture(scope="module")
def second(tmp_path_factory):
    why = DockerEngine.available()
    if why:
        pytest.skip(why)
    engine = DockerEngine(tmp_path_factory.mktemp("engine-b"))
    engine.start()
    yield engine
    engine.stop()


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "test_slow.py").write_text(
        "import time\n\ndef test_slow():\n    time.sleep(3)\n    assert 1 + 1 == 2\n")
    return read_workspace(str(tmp_path))


def ours(engine_url: str) -> list[str]:
    import docker

    client = docker.DockerClient(base_url=engine_url, timeout=30)
    try:
        return [c.id for c in client.containers.list(
            all=True, filters={"label": f"{OWNER_LABEL}={owner_label()}"})]
    finally:
        client.close()


def two_engines(second: DockerEngine, recheck: float = 1.0) -> Engines:
    return Engines([EngineSpec(url=DEFAULT_ENGINE, max_containers=1),
                    EngineSpec(url=second.url, max_containers=1)], DEFAULT_IMAGE,
                   recheck_seconds=recheck)


def test_runs_spread_over_both_engines_and_the_second_gets_the_image(second, workspace):
    engines = two_engines(second)
    box = SpreadSandbox(engines, runner=PytestRunner())

    async def run():
        try:
            return await asyncio.gather(box.run_tests(workspace), box.run_tests(workspace))
        finally:
            await box.close()

    reports = asyncio.run(run())
    assert [r.cases[0].outcome for r in reports] == [Outcome.passed, Outcome.passed]
    assert [e["ran"] for e in engines.status()] == [1, 1]  # one run at most on each at once
    client = second.client()
    assert image_present(client, DEFAULT_IMAGE)
    client.close()
    assert ours(second.url) == [] and ours(DEFAULT_ENGINE) == []


def test_an_engine_stopped_mid_run_loses_nothing_and_is_cleaned_when_it_returns(second, workspace):
    engines = Engines([EngineSpec(url=second.url, max_containers=2),
                       EngineSpec(url=DEFAULT_ENGINE, max_containers=1)], DEFAULT_IMAGE,
                      recheck_seconds=1.0)
    box = SpreadSandbox(engines, runner=PytestRunner())

    async def run():
        first = asyncio.ensure_future(box.run_tests(workspace))  # goes to the roomier second
        await asyncio.sleep(1.5)  # inside its 3 s test
        stopper = threading.Thread(target=second.stop)
        stopper.start()
        report = await first
        await asyncio.to_thread(stopper.join)
        return report

    try:
        report = asyncio.run(run())
        assert report.cases[0].outcome is Outcome.passed  # it ran again on the default engine
        assert box.moved == 1
        status = {e["url"]: e for e in engines.status()}
        assert status[second.url]["lost"] == 1 and not status[second.url]["up"]
        assert status[DEFAULT_ENGINE]["ran"] == 1

        second.start()  # it comes back with the container the stopped run left there
        assert ours(second.url) != []
        time.sleep(1.0)  # past the recheck interval

        async def again():
            busy = asyncio.ensure_future(box.run_tests(workspace))  # the default engine (room 1)
            await asyncio.sleep(0.3)
            return await asyncio.gather(busy, box.run_tests(workspace))

        reports = asyncio.run(again())
        assert all(r.cases[0].outcome is Outcome.passed for r in reports)
        status = {e["url"]: e for e in engines.status()}
        assert status[second.url]["up"] and status[second.url]["ran"] == 1
        assert len(ours(second.url)) == 1  # the live run's warm container, not the leftover
    finally:
        asyncio.run(box.close())
        if second.process is None or second.process.poll() is not None:
            second.start()
    assert ours(second.url) == [] and ours(DEFAULT_ENGINE) == []


def test_with_every_engine_down_the_run_ends_in_a_clear_error(tmp_path, workspace):
    engines = Engines([EngineSpec(url=f"unix://{tmp_path}/none.sock")], DEFAULT_IMAGE)
    box = SpreadSandbox(engines, runner=PytestRunner())
    with pytest.raises(SandboxError, match="No Docker engine can take the run"):
        asyncio.run(box.run_tests(workspace))
    asyncio.run(box.close())
