"""k answers decoded together in one llama.cpp batch, on the small embedded model."""

from __future__ import annotations

import threading

import pytest

from microagent.agents.models.model_files import SMOLLM, resolve_local_model, smollm_path


def _llama_cpp_missing() -> bool:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return True
    return False


pytestmark = [pytest.mark.model,
              pytest.mark.skipif(_llama_cpp_missing() or smollm_path() is None,
                                 reason="needs the local extra: make install-dev")]
CHAT = [{"role": "user", "content": "Name three fruits."}]


@pytest.fixture(scope="module")
def models():
    from microagent.agents.models.batch_sampler import BatchSampler
    from microagent.agents.models.llama_runner import LlamaRunner

    runner = LlamaRunner(resolve_local_model(SMOLLM), n_ctx=2048, n_threads=1)
    sampler = BatchSampler(runner, max_sequences=4, n_threads=1)
    yield runner, sampler
    sampler.close()


def test_one_greedy_answer_is_the_runner_s_own(models):
    from microagent.agents.models.llama_runner import SamplingParams

    runner, sampler = models
    params = SamplingParams(temperature=0, max_tokens=24)

    [answer] = sampler.sample(CHAT, 1, params)

    alone = runner.generate(CHAT, params)
    assert answer.text == alone.text and answer.completion_tokens == alone.completion_tokens


def test_samples_differ_and_the_same_seed_repeats_them(models):
    from microagent.agents.models.llama_runner import SamplingParams

    _, sampler = models
    params = SamplingParams(temperature=0.9, max_tokens=24, seed=11)

    first = sampler.sample(CHAT, 4, params)
    again = sampler.sample(CHAT, 4, params)

    assert [a.text for a in first] == [a.text for a in again]
    assert len({a.text for a in first}) > 1
    assert all(a.prompt_tokens == first[0].prompt_tokens and a.completion_tokens > 0 for a in first)


def test_each_answer_ends_at_its_own_stop_sequence_or_cap(models):
    from microagent.agents.models.llama_runner import SamplingParams

    _, sampler = models

    answers = sampler.sample(CHAT, 3, SamplingParams(temperature=0.9, max_tokens=40,
                                                     stop=("\n",), seed=3))

    for answer in answers:
        assert "\n" not in answer.text
        assert answer.finish_reason in ("stop", "length")
        assert answer.completion_tokens <= 40


def test_a_stop_request_ends_every_answer_as_cancelled(models):
    from microagent.agents.models.llama_runner import SamplingParams

    _, sampler = models
    stop = threading.Event()
    stop.set()

    answers = sampler.sample(CHAT, 2, SamplingParams(temperature=0.9, max_tokens=40),
                             stop_flag=stop)

    assert [a.finish_reason for a in answers] == ["cancelled", "cancelled"]


def test_more_answers_than_sequences_is_refused(models):
    from microagent.agents.models.llama_runner import SamplingParams

    _, sampler = models
    with pytest.raises(ValueError, match="between 1 and 4"):
        sampler.sample(CHAT, 5, SamplingParams())
