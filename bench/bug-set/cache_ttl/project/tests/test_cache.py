import pytest

from ttlcache import ClockError, ManualClock, TTLCache


@pytest.fixture
def clock():
    return ManualClock(start=100.0)


def test_value_visible_before_expiry(clock):
    cache = TTLCache(10, clock)
    cache.set("a", 1)
    clock.advance(9.5)
    assert cache.get("a") == 1
    assert "a" in cache


def test_value_gone_after_expiry(clock):
    cache = TTLCache(10, clock)
    cache.set("a", 1)
    clock.advance(11)
    assert cache.get("a") is None
    assert cache.get("a", "dflt") == "dflt"


def test_value_gone_exactly_at_expiry(clock):
    cache = TTLCache(10, clock)
    cache.set("a", 1)
    clock.advance(10)
    assert "a" not in cache


def test_per_key_ttl_overrides_default(clock):
    cache = TTLCache(10, clock)
    cache.set("short", 1, ttl=2)
    cache.set("long", 2)
    clock.advance(3)
    assert cache.get("short") is None
    assert cache.get("long") == 2


@pytest.mark.parametrize("ttl", [0, -1])
def test_non_positive_ttl_rejected(clock, ttl):
    cache = TTLCache(10, clock)
    with pytest.raises(ValueError):
        cache.set("a", 1, ttl=ttl)


def test_non_positive_default_rejected(clock):
    with pytest.raises(ValueError):
        TTLCache(0, clock)


def test_set_again_restarts_ttl(clock):
    cache = TTLCache(10, clock)
    cache.set("a", 1)
    clock.advance(8)
    cache.set("a", 2)
    clock.advance(8)
    assert cache.get("a") == 2


def test_ttl_remaining(clock):
    cache = TTLCache(10, clock)
    cache.set("a", 1)
    clock.advance(4)
    assert cache.ttl_remaining("a") == 6
    assert cache.ttl_remaining("missing") is None


def test_sliding_get_extends_life(clock):
    cache = TTLCache(10, clock, sliding=True)
    cache.set("a", 1)
    for _ in range(5):
        clock.advance(6)
        assert cache.get("a") == 1
    clock.advance(10)
    assert cache.get("a") is None


def test_len_and_items_skip_expired(clock):
    cache = TTLCache(10, clock)
    cache.set("a", 1, ttl=5)
    cache.set("b", 2, ttl=15)
    cache.set("c", 3)
    clock.advance(10)
    assert len(cache) == 1
    assert list(cache.items()) == [("b", 2)]


def test_purge_returns_expired_keys_in_order(clock):
    cache = TTLCache(10, clock)
    cache.set("x", 1, ttl=1)
    cache.set("y", 2, ttl=20)
    cache.set("z", 3, ttl=3)
    clock.advance(5)
    assert cache.purge() == ["x", "z"]
    assert cache.purge() == []


def test_delete(clock):
    cache = TTLCache(10, clock)
    cache.set("a", 1)
    assert cache.delete("a") is True
    assert cache.delete("a") is False


def test_clock_cannot_go_backwards():
    clock = ManualClock(5)
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        clock.set(4)


def test_cache_refuses_a_clock_that_goes_backwards():
    readings = iter([50.0, 40.0])
    cache = TTLCache(10, lambda: next(readings))
    cache.set("a", 1)
    with pytest.raises(ClockError):
        cache.get("a")
