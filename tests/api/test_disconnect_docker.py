"""A client that disconnects cancels its run, and the run's container is removed, with the
real Docker sandbox; the server then keeps serving.
"""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest

from api_server import REVIEW_OK, ApiServer, fence

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def engine():
    """The engine (the `docker` marker saw that it answers and the image is built)."""
    from microagent.sandbox.engine import connect

    client = connect()
    yield client
    client.close()


@pytest.fixture(scope="module")
def docker_server(tmp_path_factory, engine):
    api = ApiServer(tmp_path_factory.mktemp("docker"), env={"MICROAGENT_SANDBOX_BACKEND": "docker"})
    yield api
    api.stop()


def containers_of(engine, server: ApiServer) -> list:
    owner = f"{socket.gethostname()}:{server.process.pid}"
    return engine.containers.list(all=True, filters={"label": f"microagent.owner={owner}"})


def wait_until(condition, what: str, seconds: float = 180.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"never saw {what} within {seconds:g} s")


def test_a_client_that_leaves_cancels_its_run_and_its_container_goes(engine, docker_server):
    docker_server.script([
        {"model": "coder", "reply": fence("def add(a, b):\n    return a + b"), "delay": 3600},
        REVIEW_OK,
    ])
    body = {"model": "microagent", "messages": [{"role": "user", "content": (
        fence("def add(a, b):\n    return a - b") + "\n" +
        fence("from solution import add\n\ndef test_add():\n    assert add(1, 1) == 2"))}]}

    async def leave_mid_run() -> None:
        async with httpx.AsyncClient(timeout=3600) as client:
            request = asyncio.ensure_future(client.post(f"{docker_server.url}/chat/completions", json=body))
            # The initial test run has started a container; the Coder is now "thinking".
            while not containers_of(engine, docker_server) or not docker_server.calls():
                assert not request.done(), request.result().text
                await asyncio.sleep(0.2)
            request.cancel()  # closes the connection mid-request
            with pytest.raises(asyncio.CancelledError):
                await request

    asyncio.run(leave_mid_run())

    wait_until(lambda: not containers_of(engine, docker_server), "the run's container removed")
    docker_server.wait_for(lambda h: h["running"] == 0 and h["waiting"] == 0, "the run released")
    assert "the client left; run cancelled" in docker_server.log()

    docker_server.script([{"model": "coder", "reply": fence("def add(a, b):\n    return a + b")},
                          REVIEW_OK])
    answer = httpx.post(f"{docker_server.url}/chat/completions", json=body, timeout=600)
    assert answer.status_code == 200
    assert answer.json()["microagent"]["status"] == "solved"
    wait_until(lambda: not containers_of(engine, docker_server), "no container left after the run")
