"""A key/value cache whose entries expire after a time-to-live."""

from dataclasses import dataclass
from typing import Any, Callable, Dict, Hashable, Iterator, List, Optional, Tuple

from ttlcache.clock import monotonic

Clock = Callable[[], float]


@dataclass
class _Entry:
    value: Any
    expires_at: float
    ttl: float


class TTLCache:
    """Entries live for ``ttl`` seconds after they were set.

    An entry set at time ``t`` with a ttl of ``d`` is visible while the clock
    reads less than ``t + d`` and is gone from ``t + d`` on. With
    ``sliding=True`` every successful ``get`` restarts the entry's ttl.
    Expired entries are dropped lazily on access and in bulk by ``purge``.
    """

    def __init__(self, default_ttl: float, clock: Clock, sliding: bool = False):
        if default_ttl <= 0:
            raise ValueError("default_ttl must be positive")
        self.default_ttl = default_ttl
        self._clock = monotonic(clock)
        self._sliding = sliding
        self._entries: Dict[Hashable, _Entry] = {}

    def set(self, key: Hashable, value: Any, ttl: Optional[float] = None) -> None:
        ttl = self.default_ttl if ttl is None else ttl
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self._entries[key] = _Entry(value, self._clock() + ttl, ttl)

    def get(self, key: Hashable, default: Any = None) -> Any:
        entry = self._live_entry(key)
        if entry is None:
            return default
        if self._sliding:
            entry.expires_at = self._clock() + entry.ttl
        return entry.value

    def __contains__(self, key: Hashable) -> bool:
        return self._live_entry(key) is not None

    def delete(self, key: Hashable) -> bool:
        return self._entries.pop(key, None) is not None

    def ttl_remaining(self, key: Hashable) -> Optional[float]:
        """Seconds until ``key`` expires, or ``None`` if it is absent or expired."""
        entry = self._live_entry(key)
        if entry is None:
            return None
        return entry.expires_at - self._clock()

    def purge(self) -> List[Hashable]:
        """Drop every expired entry and return their keys in insertion order."""
        now = self._clock()
        expired = [k for k, e in self._entries.items() if self._is_expired(e, now)]
        for key in expired:
            del self._entries[key]
        return expired

    def items(self) -> Iterator[Tuple[Hashable, Any]]:
        now = self._clock()
        for key, entry in list(self._entries.items()):
            if not self._is_expired(entry, now):
                yield key, entry.value

    def __len__(self) -> int:
        now = self._clock()
        return sum(1 for e in self._entries.values() if not self._is_expired(e, now))

    def _live_entry(self, key: Hashable) -> Optional[_Entry]:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if self._is_expired(entry, self._clock()):
            del self._entries[key]
            return None
        return entry

    @staticmethod
    def _is_expired(entry: _Entry, now: float) -> bool:
        return now >= entry.expires_at
