"""The model client over real `litellm.acompletion`, with the scripted provider behind it."""

import asyncio
import json

import pytest

from microagent.agents.config import load_config, machine_settings
from microagent.agents.errors import ModelError
from microagent.agents.models.client import ModelClient


def client_for(tmp_path, retries=2, **env):
    env = {"MICROAGENT_MODEL": "scripted/coder", "MICROAGENT_CODER_RETRIES": str(retries), **env}
    return ModelClient(load_config(tmp_path, env=env), backoff_base=0.001)


async def test_completion_records_tokens_cost_and_latency(tmp_path, scripted):
    scripted.load([{"reply": "def f():\n    return 1\n"}])
    client = client_for(tmp_path)
    result = await client.complete("coder", [{"role": "user", "content": "write f please"}])
    assert result.text == "def f():\n    return 1\n"
    rec = client.records[0]
    assert rec.role == "coder" and rec.model == "scripted/coder"
    assert rec.prompt_tokens == 3 and rec.completion_tokens == 4
    assert rec.latency_s > 0 and rec.attempts == 1
    assert client.usage_by_role()["coder"].tokens == 7


async def test_transient_failures_are_retried_then_succeed(tmp_path, scripted):
    scripted.load([{"error": "rate_limit"}, {"error": "server"}, {"reply": "ok"}])
    client = client_for(tmp_path, retries=2)
    result = await client.complete("coder", [{"role": "user", "content": "x"}])
    assert result.text == "ok" and result.record.attempts == 3


async def test_retries_stop_at_the_configured_count(tmp_path, scripted):
    scripted.load([{"error": "timeout"}, {"error": "timeout"}, {"reply": "too late"}])
    client = client_for(tmp_path, retries=1)
    with pytest.raises(ModelError) as err:
        await client.complete("coder", [{"role": "user", "content": "x"}])
    assert err.value.kind == "timeout" and "Raise the role's timeout" in str(err.value)
    assert len(scripted.calls) == 2


@pytest.mark.parametrize("error, kind, advice", [
    ("auth", "auth", "API key"),
    ("context", "context", "context window"),
])
async def test_permanent_failures_are_not_retried_and_say_what_to_do(tmp_path, scripted, error, kind, advice):
    scripted.load([{"error": error}, {"reply": "never used"}])
    client = client_for(tmp_path, retries=3)
    with pytest.raises(ModelError) as err:
        await client.complete("coder", [{"role": "user", "content": "x"}])
    assert err.value.kind == kind and advice in str(err.value)
    assert len(scripted.calls) == 1


async def test_unknown_provider_is_a_clear_error(tmp_path):
    client = client_for(tmp_path, MICROAGENT_CODER_MODEL="nosuchprovider-model-zz")
    with pytest.raises(ModelError) as err:
        await client.complete("coder", [{"role": "user", "content": "x"}])
    assert err.value.kind == "not_found" and "local/qwen2.5-coder-1.5b" in str(err.value)


async def test_missing_api_key_is_mapped_through_litellm(tmp_path, monkeypatch):
    """A real provider with no key: litellm's own error, mapped to advice."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    client = client_for(tmp_path, retries=0, MICROAGENT_CODER_MODEL="openai/gpt-4o-mini",
                        MICROAGENT_CODER_TIMEOUT="5")
    with pytest.raises(ModelError) as err:
        await client.complete("coder", [{"role": "user", "content": "x"}])
    assert err.value.kind in {"auth", "unavailable"}
    assert "openai/gpt-4o-mini" in str(err.value)


async def test_mock_response_path_through_the_adapter(tmp_path):
    """litellm's own mock_response: the client passes params through untouched."""
    client = client_for(tmp_path, MICROAGENT_CODER_MODEL="openai/gpt-4o-mini")
    result = await client.complete("coder", [{"role": "user", "content": "x"}],
                                   mock_response="mocked answer")
    assert result.text == "mocked answer"
    assert client.records[0].cost_usd is not None  # litellm knows gpt-4o-mini's price


async def test_streaming_yields_text_and_records_usage(tmp_path, scripted):
    scripted.load([{"reply": "one two three"}])
    client = client_for(tmp_path)
    pieces = [p async for p in client.stream("coder", [{"role": "user", "content": "count"}])]
    assert "".join(pieces) == "one two three" and len(pieces) > 1
    assert client.records[0].completion_tokens == 3


async def test_cancelling_a_call_stops_it(tmp_path, scripted):
    scripted.load([{"reply": "slow", "delay": 30}])
    client = client_for(tmp_path)
    task = asyncio.create_task(client.complete("coder", [{"role": "user", "content": "x"}]))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_the_machine_settings_reach_the_scripted_model(tmp_path, scripted):
    """MICROAGENT_SCRIPT_LOG is read by the configuration, not by the model: the client hands it on."""
    log = tmp_path / "calls.jsonl"
    machine = machine_settings({"MICROAGENT_SCRIPT_LOG": str(log)})
    scripted.load([{"model": "coder", "reply": "logged"}])
    client = ModelClient(load_config(tmp_path, env={"MICROAGENT_MODEL": "scripted/coder"}), machine=machine)
    try:
        completion = await client.complete("coder", [{"role": "user", "content": "hello"}])
    finally:
        scripted.log = None  # the provider lives for the whole session
    assert completion.text == "logged"
    assert [json.loads(line)["model"] for line in log.read_text().splitlines()] == ["coder"]
