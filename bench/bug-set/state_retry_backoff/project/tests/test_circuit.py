import pytest

from resilience import CircuitBreaker, CircuitState

CLOSED, OPEN, HALF = CircuitState.CLOSED, CircuitState.OPEN, CircuitState.HALF_OPEN


def tripped(threshold=3, timeout=10.0, at=0.0, **kwargs):
    breaker = CircuitBreaker(failure_threshold=threshold, reset_timeout=timeout, **kwargs)
    for _ in range(threshold):
        breaker.record_failure(at)
    return breaker


def test_starts_closed():
    breaker = CircuitBreaker()
    assert breaker.state(0) is CLOSED
    assert breaker.allow(0)


def test_opens_after_threshold_consecutive_failures():
    breaker = CircuitBreaker(failure_threshold=3)
    breaker.record_failure(1)
    breaker.record_failure(2)
    assert breaker.state(2) is CLOSED
    breaker.record_failure(3)
    assert breaker.state(3) is OPEN
    assert not breaker.allow(4)


def test_success_resets_consecutive_count():
    breaker = CircuitBreaker(failure_threshold=3)
    for t in range(10):
        breaker.record_failure(t)
        breaker.record_failure(t)
        breaker.record_success(t)
    assert breaker.state(10) is CLOSED


def test_half_open_after_timeout():
    breaker = tripped(timeout=10, at=5)
    assert breaker.state(14.9) is OPEN
    assert breaker.retry_after(14) == pytest.approx(1)
    assert breaker.state(15) is HALF


def test_half_open_limits_trial_calls():
    breaker = tripped(timeout=10, trial_calls=2)
    assert [breaker.allow(10) for _ in range(3)] == [True, True, False]


def test_trial_failure_reopens_for_a_full_timeout():
    breaker = tripped(timeout=10)
    assert breaker.allow(12)
    breaker.record_failure(12)
    assert breaker.state(21) is OPEN
    assert breaker.state(22) is HALF


def test_trial_success_closes():
    breaker = tripped(timeout=10)
    assert breaker.allow(10)
    breaker.record_success(10)
    assert breaker.state(10) is CLOSED
    assert breaker.failure_count == 0


def test_closed_again_needs_a_full_threshold_to_reopen():
    breaker = tripped(threshold=3, timeout=10)
    breaker.allow(10)
    breaker.record_success(10)
    breaker.record_failure(11)
    breaker.record_failure(12)
    assert breaker.state(12) is CLOSED
    breaker.record_failure(13)
    assert breaker.state(13) is OPEN


def test_transitions_are_recorded():
    breaker = tripped(threshold=2, timeout=5, at=1)
    breaker.allow(6)
    breaker.record_failure(6)
    breaker.allow(11)
    breaker.record_success(11)
    assert breaker.transitions == [(1, OPEN), (6, HALF), (6, OPEN), (11, HALF), (11, CLOSED)]


def test_invalid_configuration():
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=0)
