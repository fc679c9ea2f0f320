"""The llama.cpp runner on its own: stop sequences, and stopping in the middle of a prompt."""

from __future__ import annotations

import threading

import pytest

from microagent.agents.models.llama_runner import LlamaRunner, SamplingParams, StopScanner
from microagent.agents.models.model_files import SMOLLM, resolve_local_model, smollm_path


def test_stop_sequences_are_found_across_pieces_and_never_emitted():
    scanner = StopScanner(("\n```",))
    emitted, stopped = [], False
    for piece in ["def f():\n    return 1", "\n`", "``", "\nmore"]:
        out, stopped = scanner.feed(piece)
        emitted.append(out)
        if stopped:
            break

    assert stopped and "".join(emitted) == "def f():\n    return 1"


def test_text_held_back_as_a_possible_stop_is_released_at_the_end():
    scanner = StopScanner(("STOP",))
    out, stopped = scanner.feed("it is ST")

    assert (out, stopped) == ("it is ", False)
    assert scanner.flush("") == "ST"


def _llama_cpp_missing() -> bool:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return True
    return False


@pytest.mark.model
@pytest.mark.skipif(_llama_cpp_missing() or smollm_path() is None,
                    reason="needs the local extra: make install-dev")
def test_a_stop_request_interrupts_a_long_prompt_and_the_model_still_works():
    runner = LlamaRunner(resolve_local_model(SMOLLM), n_ctx=8192)
    long_prompt = [{"role": "user", "content": "Summarise: " + "the tests fail again. " * 1200}]
    stop = threading.Event()
    timer = threading.Timer(0.2, stop.set)  # well inside the ~6000-token prompt
    timer.start()

    stopped = runner.generate(long_prompt, SamplingParams(temperature=0, max_tokens=8),
                              stop_flag=stop)
    timer.cancel()

    assert stopped.finish_reason == "cancelled"
    assert stopped.first_token_seconds is None  # it never got to sample a token
    after = runner.generate([{"role": "user", "content": "Say hello."}],
                            SamplingParams(temperature=0, max_tokens=8))
    assert after.completion_tokens > 0 and after.text.strip()


@pytest.mark.model
@pytest.mark.skipif(_llama_cpp_missing() or smollm_path() is None,
                    reason="needs the local extra: make install-dev")
def test_a_prompt_that_starts_like_the_last_one_reuses_its_prefix_and_says_so():
    runner = LlamaRunner(resolve_local_model(SMOLLM), n_ctx=4096)
    stable = "Here is the code.\n" + "def f(x):\n    return x + 1\n" * 40
    first = runner.generate([{"role": "user", "content": stable + "Question one?"}],
                            SamplingParams(temperature=0, max_tokens=4))
    second = runner.generate([{"role": "user", "content": stable + "Another question?"}],
                             SamplingParams(temperature=0, max_tokens=4))
    other = runner.generate([{"role": "user", "content": "Different start. " + stable}],
                            SamplingParams(temperature=0, max_tokens=4))

    assert first.cached_tokens == 0
    assert first.prompt_tokens - 20 < second.cached_tokens < second.prompt_tokens
    assert other.cached_tokens < 50  # only the chat template's opening (its system text)


@pytest.mark.model
@pytest.mark.skipif(_llama_cpp_missing() or smollm_path() is None,
                    reason="needs the local extra: make install-dev")
def test_a_prompt_like_an_earlier_one_reuses_its_saved_context_and_answers_the_same():
    greedy = SamplingParams(temperature=0, max_tokens=16)
    code = "def area(w, h):\n    return w * h\n" * 30
    ask = [{"role": "user", "content": code + "What does area return?"}]
    other = [{"role": "user", "content": "A different start. " + code + "Rename area."}]
    fresh = LlamaRunner(resolve_local_model(SMOLLM), n_ctx=4096).generate(ask, greedy)

    runner = LlamaRunner(resolve_local_model(SMOLLM), n_ctx=4096)
    runner.generate(ask, greedy)
    runner.generate(other, greedy)  # llama.cpp's own context now holds another prompt
    again = runner.generate(ask, greedy)

    assert runner.prefix_cache.loads == 1
    assert again.cached_tokens == again.prompt_tokens - 1  # only the last token evaluated
    assert again.text == fresh.text  # the saved context answers as a fresh evaluation does
