import random

import pytest

from resilience import RetryPolicy


def test_exponential_schedule():
    policy = RetryPolicy(max_attempts=5, base_delay=0.5, multiplier=2)
    assert policy.schedule() == [0.5, 1.0, 2.0, 4.0]


def test_schedule_is_capped():
    policy = RetryPolicy(max_attempts=6, base_delay=1, multiplier=3, max_delay=10)
    assert policy.schedule() == [1, 3, 9, 10, 10]
    assert policy.total_delay() == 33


def test_single_attempt_never_waits():
    assert list(RetryPolicy(max_attempts=1).delays()) == []


def test_attempts_are_one_based():
    with pytest.raises(ValueError):
        RetryPolicy().raw_delay(0)


def test_full_jitter_stays_in_range_and_is_reproducible():
    policy = RetryPolicy(max_attempts=8, base_delay=1, max_delay=20, jitter="full")
    first = list(policy.delays(random.Random(7)))
    second = list(policy.delays(random.Random(7)))
    assert first == second
    for attempt, wait in enumerate(first, start=1):
        assert 0 <= wait <= policy.raw_delay(attempt)


def test_equal_jitter_keeps_half_the_wait():
    policy = RetryPolicy(max_attempts=6, base_delay=2, jitter="equal", max_delay=100)
    rng = random.Random(3)
    for attempt, wait in enumerate(policy.delays(rng), start=1):
        raw = policy.raw_delay(attempt)
        assert raw / 2 <= wait <= raw


def test_jitter_requires_rng():
    with pytest.raises(ValueError):
        RetryPolicy(jitter="full").delay(1)


@pytest.mark.parametrize(
    "kwargs",
    [{"max_attempts": 0}, {"base_delay": -1}, {"multiplier": 0.5}, {"jitter": "some"}],
)
def test_invalid_policies(kwargs):
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)
