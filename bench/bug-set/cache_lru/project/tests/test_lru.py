import pytest

from lru import LRUCache


def test_put_and_get():
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    assert cache.get("b") == 2
    assert len(cache) == 2


def test_get_missing_returns_default():
    cache = LRUCache(2)
    assert cache.get("nope") is None
    assert cache.get("nope", 42) == 42


def test_capacity_must_be_positive():
    with pytest.raises(ValueError):
        LRUCache(0)


def test_oldest_inserted_is_evicted_first():
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert "a" not in cache
    assert cache.keys() == ["b", "c"]


def test_get_protects_key_from_eviction():
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.get("a")
    cache.put("c", 3)
    assert "a" in cache
    assert "b" not in cache


def test_peek_does_not_change_order():
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.peek("a") == 1
    cache.put("c", 3)
    assert "a" not in cache


def test_overwrite_refreshes_recency():
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 10)
    cache.put("c", 3)
    assert cache.keys() == ["a", "c"]
    assert cache.get("a") == 10


def test_on_evict_callback_receives_entry():
    evicted = []
    cache = LRUCache(1, on_evict=lambda k, v: evicted.append((k, v)))
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("c", 3)
    assert evicted == [("a", 1), ("b", 2)]


def test_pop_is_not_an_eviction():
    evicted = []
    cache = LRUCache(2, on_evict=lambda k, v: evicted.append(k))
    cache.put("a", 1)
    assert cache.pop("a") == 1
    assert evicted == []
    with pytest.raises(KeyError):
        cache.pop("a")
    assert cache.pop("a", "gone") == "gone"


def test_resize_shrinks_from_the_oldest_end():
    cache = LRUCache(4)
    for i, key in enumerate("abcd"):
        cache.put(key, i)
    cache.resize(2)
    assert cache.keys() == ["c", "d"]


def test_recency_order_after_mixed_access():
    cache = LRUCache(3)
    for i, key in enumerate("abc"):
        cache.put(key, i)
    cache.get("b")
    cache.get("a")
    assert cache.keys() == ["c", "b", "a"]


def test_iteration_matches_keys():
    cache = LRUCache(3)
    cache.put(1, "x")
    cache.put(2, "y")
    assert list(cache) == [1, 2]
