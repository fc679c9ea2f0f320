import math

import pytest

from bucket import ClockWentBackwards, SlidingWindowLog, TokenBucket


def test_bucket_starts_full_and_drains():
    bucket = TokenBucket(capacity=3, rate=1, now=0)
    assert [bucket.try_take(0) for _ in range(4)] == [True, True, True, False]


def test_bucket_refills_over_time():
    bucket = TokenBucket(capacity=4, rate=0.5, now=0, tokens=0)
    assert bucket.available(3) == 1.5
    assert bucket.try_take(3)
    assert not bucket.try_take(3)


def test_bucket_never_exceeds_capacity():
    bucket = TokenBucket(capacity=2, rate=1, now=0)
    assert bucket.available(1000) == 2


def test_bucket_wait_time():
    bucket = TokenBucket(capacity=4, rate=0.25, now=0, tokens=0)
    assert bucket.wait_time(0) == 4
    assert bucket.wait_time(2, cost=2) == 6
    assert bucket.wait_time(0, cost=5) == math.inf


def test_bucket_rejects_time_travel():
    bucket = TokenBucket(capacity=1, rate=1, now=10)
    with pytest.raises(ClockWentBackwards):
        bucket.try_take(9)


def test_bucket_cost_larger_than_one():
    bucket = TokenBucket(capacity=5, rate=1, now=0)
    assert bucket.try_take(0, cost=3)
    assert not bucket.try_take(0, cost=3)
    assert bucket.available(0) == 2


@pytest.mark.parametrize("capacity, rate", [(0, 1), (1, 0), (-1, 1)])
def test_bucket_validation(capacity, rate):
    with pytest.raises(ValueError):
        TokenBucket(capacity, rate, now=0)


def test_window_limits_events():
    window = SlidingWindowLog(limit=2, window=10)
    assert window.try_take(0)
    assert window.try_take(5)
    assert not window.try_take(9)
    assert window.try_take(10)
    assert not window.try_take(14)
    assert window.try_take(15)


def test_window_wait_time():
    window = SlidingWindowLog(limit=3, window=10)
    for t in (0, 2, 4):
        window.try_take(t)
    assert window.wait_time(5) == 5
    assert window.wait_time(5, cost=2) == 7
    assert window.wait_time(5, cost=4) == math.inf
    assert window.available(12) == 2
