"""Counters describing how well a cache is doing."""

from dataclasses import dataclass


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    evictions: int = 0
    loads: int = 0
    load_failures: int = 0

    @property
    def lookups(self) -> int:
        return self.hits + self.misses

    @property
    def miss_ratio(self) -> float:
        """Fraction of lookups that missed (0.0 when there were none)."""
        if self.lookups == 0:
            return 0.0
        return self.misses / self.lookups

    @property
    def hit_ratio(self) -> float:
        """Fraction of lookups served from the cache (0.0 when there were none)."""
        if self.lookups == 0:
            return 0.0
        return self.hits / self.lookups

    def record_hit(self) -> None:
        self.hits += 1

    def record_miss(self) -> None:
        self.misses += 1

    def record_eviction(self) -> None:
        self.evictions += 1

    def record_load(self, ok: bool) -> None:
        self.loads += 1
        if not ok:
            self.load_failures += 1

    def snapshot(self) -> dict:
        """A plain dict, convenient for logging or comparing in tests."""
        return {
            "hits": self.hits,
            "misses": self.misses,
            "evictions": self.evictions,
            "loads": self.loads,
            "load_failures": self.load_failures,
            "hit_ratio": round(self.hit_ratio, 4),
        }

    def merge(self, other: "CacheStats") -> "CacheStats":
        """Counters of two caches added together (e.g. across shards)."""
        return CacheStats(
            hits=self.hits + other.hits,
            misses=self.misses + other.misses,
            evictions=self.evictions + other.evictions,
            loads=self.loads + other.loads,
            load_failures=self.load_failures + other.load_failures,
        )

    def reset(self) -> None:
        self.hits = self.misses = self.evictions = 0
        self.loads = self.load_failures = 0
