"""A read-through cache: values missing from the cache are fetched with a loader."""

from typing import Any, Callable, Dict, Hashable, Iterable, Optional

from lru import LRUCache
from stats import CacheStats


class LoadError(Exception):
    """The loader failed for a key; the original exception is chained."""

    def __init__(self, key: Hashable):
        super().__init__(f"could not load {key!r}")
        self.key = key


class ReadThroughCache:
    """Serve values from an :class:`LRUCache`, loading misses with ``loader``.

    Failed loads are not cached: the next lookup calls the loader again.
    A loader returning ``None`` is only cached when ``cache_none`` is true.
    """

    def __init__(
        self,
        loader: Callable[[Hashable], Any],
        capacity: int,
        cache_none: bool = False,
    ):
        self._loader = loader
        self.stats = CacheStats()
        self._cache = LRUCache(capacity, on_evict=self._on_evict)
        self._cache_none = cache_none

    def _on_evict(self, key: Hashable, value: Any) -> None:
        self.stats.record_eviction()

    def get(self, key: Hashable) -> Any:
        if key in self._cache:
            self.stats.record_hit()
            return self._cache.get(key)
        self.stats.record_miss()
        value = self._load(key)
        if value is not None or self._cache_none:
            self._cache.put(key, value)
        return value

    def get_many(self, keys: Iterable[Hashable]) -> Dict[Hashable, Any]:
        """Look up several keys, in order; duplicates are looked up once."""
        result: Dict[Hashable, Any] = {}
        for key in keys:
            if key not in result:
                result[key] = self.get(key)
        return result

    def invalidate(self, key: Hashable) -> bool:
        """Drop ``key``; return whether it was cached."""
        if key not in self._cache:
            return False
        self._cache.pop(key)
        return True

    def refresh(self, key: Hashable) -> Any:
        """Reload ``key`` even if it is cached and store the new value."""
        value = self._load(key)
        self._cache.put(key, value)
        return value

    def cached_keys(self) -> list:
        return self._cache.keys()

    def peek(self, key: Hashable, default: Optional[Any] = None) -> Any:
        return self._cache.peek(key, default)

    def _load(self, key: Hashable) -> Any:
        try:
            value = self._loader(key)
        except Exception as exc:
            self.stats.record_load(ok=False)
            raise LoadError(key) from exc
        self.stats.record_load(ok=True)
        return value
