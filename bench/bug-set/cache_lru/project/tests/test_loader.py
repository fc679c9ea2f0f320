import pytest

from loader import LoadError, ReadThroughCache


class CountingLoader:
    def __init__(self, values=None, fail_on=()):
        self.values = values or {}
        self.fail_on = set(fail_on)
        self.calls = []

    def __call__(self, key):
        self.calls.append(key)
        if key in self.fail_on:
            raise RuntimeError("backend down")
        return self.values.get(key, key.upper() if isinstance(key, str) else None)


def test_miss_then_hit():
    loader = CountingLoader()
    cache = ReadThroughCache(loader, capacity=4)
    assert cache.get("a") == "A"
    assert cache.get("a") == "A"
    assert loader.calls == ["a"]
    assert cache.stats.hits == 1
    assert cache.stats.misses == 1


def test_failed_load_is_not_cached():
    loader = CountingLoader(fail_on={"x"})
    cache = ReadThroughCache(loader, capacity=2)
    with pytest.raises(LoadError) as info:
        cache.get("x")
    assert info.value.key == "x"
    with pytest.raises(LoadError):
        cache.get("x")
    assert loader.calls == ["x", "x"]
    assert cache.stats.load_failures == 2


def test_none_not_cached_by_default():
    loader = CountingLoader()
    cache = ReadThroughCache(loader, capacity=2)
    assert cache.get(1) is None
    assert cache.get(1) is None
    assert loader.calls == [1, 1]


def test_none_cached_when_asked():
    loader = CountingLoader()
    cache = ReadThroughCache(loader, capacity=2, cache_none=True)
    cache.get(1)
    cache.get(1)
    assert loader.calls == [1]


def test_hot_key_survives_a_scan():
    loader = CountingLoader()
    cache = ReadThroughCache(loader, capacity=3)
    cache.get("hot")
    for key in ["a", "b"]:
        cache.get(key)
        cache.get("hot")
    cache.get("c")
    cache.get("hot")
    assert loader.calls.count("hot") == 1
    assert cache.stats.evictions == 1


def test_get_many_deduplicates():
    loader = CountingLoader()
    cache = ReadThroughCache(loader, capacity=4)
    assert cache.get_many(["a", "b", "a"]) == {"a": "A", "b": "B"}
    assert loader.calls == ["a", "b"]


def test_invalidate_and_refresh():
    loader = CountingLoader()
    cache = ReadThroughCache(loader, capacity=2)
    cache.get("a")
    assert cache.invalidate("a") is True
    assert cache.invalidate("a") is False
    loader.values["a"] = "new"
    assert cache.refresh("a") == "new"
    assert cache.peek("a") == "new"


def test_stats_snapshot_after_workload():
    loader = CountingLoader()
    cache = ReadThroughCache(loader, capacity=2)
    for key in ["a", "b", "a", "c", "a", "b"]:
        cache.get(key)
    assert cache.stats.snapshot() == {
        "hits": 2,
        "misses": 4,
        "evictions": 2,
        "loads": 4,
        "load_failures": 0,
        "hit_ratio": 0.3333,
    }


def test_stats_merge_across_shards():
    left = ReadThroughCache(CountingLoader(), capacity=2)
    right = ReadThroughCache(CountingLoader(), capacity=2)
    for key in ["a", "a", "b"]:
        left.get(key)
    right.get("c")
    merged = left.stats.merge(right.stats)
    assert (merged.hits, merged.misses, merged.loads) == (1, 3, 3)
    assert merged.miss_ratio == 0.75
