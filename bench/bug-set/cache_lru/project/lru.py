"""A small least-recently-used cache built on :class:`collections.OrderedDict`.

Entries are kept in recency order: the first key of the underlying mapping is
the least recently used one and is evicted first when the cache is full.
"""

from collections import OrderedDict
from typing import Any, Callable, Hashable, Iterator, Optional

_MISSING = object()

EvictCallback = Callable[[Hashable, Any], None]


class LRUCache:
    """Map keys to values, holding at most ``capacity`` entries.

    ``get`` and ``put`` both mark a key as the most recently used one;
    ``peek`` and ``in`` look at the cache without changing the order.
    ``on_evict`` (if given) is called with ``(key, value)`` for every entry
    pushed out because the cache was full.
    """

    def __init__(self, capacity: int, on_evict: Optional[EvictCallback] = None):
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self._data: "OrderedDict[Hashable, Any]" = OrderedDict()
        self._on_evict = on_evict

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.keys())

    def keys(self) -> list:
        """Keys from least to most recently used."""
        return list(self._data.keys())

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return the value for ``key`` and mark it as most recently used."""
        value = self._data.get(key, _MISSING)
        if value is _MISSING:
            return default
        self._data.move_to_end(key)
        return value

    def peek(self, key: Hashable, default: Any = None) -> Any:
        """Return the value for ``key`` without touching the recency order."""
        return self._data.get(key, default)

    def put(self, key: Hashable, value: Any) -> None:
        """Insert or replace ``key``, evicting the oldest entry when full."""
        if key in self._data:
            self._data[key] = value
            self._data.move_to_end(key)
            return
        self._data[key] = value
        while len(self._data) > self.capacity:
            self._evict_oldest()

    def pop(self, key: Hashable, default: Any = _MISSING) -> Any:
        """Remove ``key`` and return its value (not counted as an eviction)."""
        if default is _MISSING:
            return self._data.pop(key)
        return self._data.pop(key, default)

    def resize(self, capacity: int) -> None:
        """Change the capacity, evicting the oldest entries if it shrinks."""
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        while len(self._data) > self.capacity:
            self._evict_oldest()

    def clear(self) -> None:
        self._data.clear()

    def _evict_oldest(self) -> None:
        key, value = self._data.popitem(last=False)
        if self._on_evict is not None:
            self._on_evict(key, value)
