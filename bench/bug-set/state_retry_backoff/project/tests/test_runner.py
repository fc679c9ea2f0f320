import random

import pytest

from resilience import CircuitBreaker, CircuitOpenError, RetryError, RetryPolicy, retry_call


class FakeTime:
    def __init__(self, start=0.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class Flaky:
    """Fails with the given errors, in order, then returns "ok"."""

    def __init__(self, *errors):
        self.errors = list(errors)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def run(func, policy, time, **kwargs):
    return retry_call(func, policy, clock=time, sleep=time.sleep, **kwargs)


def test_succeeds_after_transient_failures():
    time = FakeTime()
    func = Flaky(OSError("a"), OSError("b"))
    assert run(func, RetryPolicy(base_delay=1), time) == "ok"
    assert func.calls == 3
    assert time.sleeps == [1, 2]


def test_gives_up_after_max_attempts():
    time = FakeTime()
    func = Flaky(*[OSError(str(i)) for i in range(10)])
    with pytest.raises(RetryError) as info:
        run(func, RetryPolicy(max_attempts=3, base_delay=1), time)
    assert info.value.attempts == 3
    assert str(info.value.last_error) == "2"
    assert time.sleeps == [1, 2]


def test_non_retryable_error_propagates():
    time = FakeTime()
    func = Flaky(KeyError("bad"))
    with pytest.raises(KeyError):
        run(func, RetryPolicy(), time, retry_on=(OSError,))
    assert func.calls == 1


def test_deadline_stops_waiting():
    time = FakeTime()
    func = Flaky(*[OSError() for _ in range(10)])
    with pytest.raises(RetryError) as info:
        run(func, RetryPolicy(max_attempts=10, base_delay=1), time, deadline=5)
    assert info.value.attempts == 3
    assert time.sleeps == [1, 2]


def test_jittered_sleeps_are_reproducible():
    sleeps = []
    for _ in range(2):
        time = FakeTime()
        func = Flaky(OSError(), OSError(), OSError())
        policy = RetryPolicy(base_delay=1, jitter="full")
        run(func, policy, time, rng=random.Random(42))
        sleeps.append(time.sleeps)
    assert sleeps[0] == sleeps[1]
    assert len(sleeps[0]) == 3


def test_breaker_refuses_calls_when_open():
    time = FakeTime()
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout=30)
    func = Flaky(*[OSError() for _ in range(5)])
    with pytest.raises(CircuitOpenError) as info:
        run(func, RetryPolicy(max_attempts=5, base_delay=1), time, breaker=breaker)
    assert func.calls == 2
    assert info.value.retry_after == pytest.approx(28)


def test_service_recovers_through_half_open_trial():
    time = FakeTime()
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout=30)
    policy = RetryPolicy(max_attempts=2, base_delay=1)
    with pytest.raises(RetryError):
        run(Flaky(OSError(), OSError()), policy, time, breaker=breaker)
    time.now = 40
    assert run(Flaky(), policy, time, breaker=breaker) == "ok"
    assert run(Flaky(OSError()), policy, time, breaker=breaker) == "ok"
    assert breaker.failure_count == 0
