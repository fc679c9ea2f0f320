"""A role served by several model servers through litellm's Router: real HTTP stub servers
(bench/model_server.py, each in its own process), real litellm calls."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import pytest

from microagent.agents.config import load_config
from microagent.agents.errors import ModelError
from microagent.agents.models.client import ModelClient
from microagent.agents.models.routing import Routers, probe
from microagent.bench import model_server

TOKEN_SECONDS = 0.1
REPLY = "def add(a, b): return a + b"  # 6 words: 0.6 s at TOKEN_SECONDS


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    """Two live model servers, shared by the module's tests (none stops them)."""
    path = tmp_path_factory.mktemp("stubs") / "replies.json"
    path.write_text(json.dumps({"replies": [{"match": ".", "reply": REPLY, "repeat": True}]}))
    servers = model_server.start_many(path, ["stub-a", "stub-b"], token_seconds=TOKEN_SECONDS)
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def dead():
    """A deployment whose server is down: nothing listens on its port."""
    return f"http://127.0.0.1:{model_server.free_port()}/v1"


def client_for(env: dict[str, str]) -> ModelClient:
    return ModelClient(load_config(env=env), routers=Routers())


def deployments(*bases: str) -> str:
    return " ".join(f"openai/stub@{base}" for base in bases)


def ask_all(client: ModelClient, count: int) -> list:
    async def run():
        return await asyncio.gather(*(
            client.complete("coder", [{"role": "user", "content": f"task {i}"}])
            for i in range(count)))
    return asyncio.run(run())


def test_calls_are_spread_over_the_deployments_and_each_record_names_its_server(stubs):
    a, b = stubs
    client = client_for({"MICROAGENT_CODER_DEPLOYMENTS": deployments(a.api_base, b.api_base)})
    answers = ask_all(client, 4)
    assert [x.text for x in answers] == [REPLY] * 4
    used = Counter(r.model for r in client.records)
    assert used == {f"openai/stub@{a.api_base}": 2, f"openai/stub@{b.api_base}": 2}


def test_a_dead_deployment_is_left_out_and_its_calls_answered_by_another(stubs, dead):
    a = stubs[0]
    client = client_for({"MICROAGENT_CODER_DEPLOYMENTS": deployments(a.api_base, dead),
                         "MICROAGENT_CODER_RETRIES": "2"})
    answers = ask_all(client, 4)
    assert [x.text for x in answers] == [REPLY] * 4
    assert {r.model for r in client.records} == {f"openai/stub@{a.api_base}"}


def test_with_every_deployment_down_the_fallback_model_answers(dead, scripted):
    scripted.load([{"model": "fallback", "reply": "from the fallback", "repeat": True}])
    client = client_for({"MICROAGENT_CODER_DEPLOYMENTS": deployments(dead),
                         "MICROAGENT_CODER_FALLBACK": "scripted/fallback",
                         "MICROAGENT_CODER_RETRIES": "0"})
    (answer,) = ask_all(client, 1)
    assert answer.text == "from the fallback"
    assert answer.record.model == "scripted/fallback (fallback)"


def test_with_every_deployment_down_and_no_fallback_the_error_names_them(dead):
    client = client_for({"MICROAGENT_CODER_DEPLOYMENTS": deployments(dead),
                         "MICROAGENT_CODER_RETRIES": "0"})
    with pytest.raises(ModelError) as caught:
        ask_all(client, 1)
    assert dead in str(caught.value)
    assert "unavailable" in str(caught.value)


def test_probe_says_which_deployments_answer(stubs, dead):
    a = stubs[0]
    spec = load_config(env={"MICROAGENT_CODER_DEPLOYMENTS": deployments(a.api_base, dead)}).coder
    statuses = asyncio.run(probe(spec, timeout=5))
    assert [(s.label, s.ok) for s in statuses] == [
        (f"openai/stub@{a.api_base}", True), (f"openai/stub@{dead}", False)]


def test_one_model_string_goes_nowhere_near_a_router(scripted):
    scripted.load([{"model": "coder", "reply": "plain"}])
    routers = Routers()
    client = ModelClient(load_config(env={"MICROAGENT_CODER_MODEL": "scripted/coder"}),
                         routers=routers)
    (answer,) = ask_all(client, 1)
    assert answer.text == "plain" and answer.record.model == "scripted/coder"
    assert routers._routers == {}
