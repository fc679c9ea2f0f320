"""`serve --concurrency 2` with the Coder served by two model servers (real HTTP stub servers,
bench/model_server.py): two requests run their loops at once, each on its own server."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from api_server import ApiServer, fence
from microagent.bench import model_server

FIX = fence("def f():\n    return 1") + "\n" + " ".join(["word"] * 40)  # 41 tokens: ~4 s a call
TESTS = fence("from slow import f\n\ndef test_f():\n    assert f() == 1")


@pytest.fixture(scope="module")
def coders(tmp_path_factory):
    script = tmp_path_factory.mktemp("coders") / "replies.json"
    script.write_text(json.dumps({"replies": [{"match": "slow", "reply": FIX, "repeat": True}]}))
    servers = model_server.start_many(script, ["coder-a", "coder-b"], token_seconds=0.1)
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def api(tmp_path_factory, coders):
    deployments = " ".join(f"openai/coder@{s.api_base}" for s in coders)
    server = ApiServer(tmp_path_factory.mktemp("serve"), args=["--concurrency", "2"],
                       env={"MICROAGENT_CODER_DEPLOYMENTS": deployments,
                            "MICROAGENT_REVIEW": "false"})
    yield server
    server.stop()


def test_two_requests_run_at_once_each_on_its_own_model_server(api, coders):
    answers: list[httpx.Response] = []

    def ask() -> None:
        answers.append(httpx.post(f"{api.url}/chat/completions", timeout=300, json={
            "model": "microagent", "messages": [{"role": "user", "content": TESTS}]}))

    clients = [threading.Thread(target=ask) for _ in range(2)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(300)
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json()["microagent"]["status"] for a in answers] == ["solved", "solved"]
    (a_start, a_end), = httpx.get(f"http://127.0.0.1:{coders[0].port}/health").json()["generations"]
    (b_start, b_end), = httpx.get(f"http://127.0.0.1:{coders[1].port}/health").json()["generations"]
    assert a_start < b_end and b_start < a_end  # the two generations overlapped


def test_healthz_shows_each_engine_and_one_that_fails_is_shown_down(tmp_path):
    """No engine answers at this socket: the request ends in a clear error and /healthz says the
    engine is down, and why."""
    server = ApiServer(tmp_path, env={"MICROAGENT_SANDBOX_BACKEND": "docker",
                                      "MICROAGENT_SANDBOX_ENGINES": f"unix://{tmp_path}/none.sock*2",
                                      "MICROAGENT_REVIEW": "false"})
    try:
        [engine] = server.health()["engines"]
        assert engine["state"] == "unused" and engine["max_containers"] == 2
        answer = httpx.post(f"{server.url}/chat/completions", timeout=300, json={
            "model": "microagent", "messages": [{"role": "user", "content": TESTS}]})
        assert "No Docker engine can take the run" in answer.text, answer.text
        [engine] = server.health()["engines"]
        assert engine["state"] == "down" and engine["lost"] == 1 and "none.sock" in engine["error"]
    finally:
        server.stop()
