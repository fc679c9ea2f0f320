"""Per-client rate limiting with named policies."""

import math
from dataclasses import dataclass, field
from typing import Dict, Hashable, Tuple, Union

from bucket import SlidingWindowLog, TokenBucket
from headers import rate_limit_headers

Limiter = Union[TokenBucket, SlidingWindowLog]


@dataclass(frozen=True)
class Policy:
    """``limit`` requests per ``period`` seconds.

    ``kind="bucket"`` allows bursts of ``limit`` and refills smoothly;
    ``kind="window"`` is a strict sliding window.
    """

    limit: int
    period: float
    kind: str = "bucket"

    def __post_init__(self):
        if self.kind not in ("bucket", "window"):
            raise ValueError(f"unknown policy kind {self.kind!r}")

    def build(self, now: float) -> Limiter:
        if self.kind == "bucket":
            return TokenBucket(self.limit, self.limit / self.period, now)
        return SlidingWindowLog(self.limit, self.period)


@dataclass
class Decision:
    allowed: bool
    remaining: float
    wait: float
    headers: Dict[str, str] = field(default_factory=dict)


class RateLimiter:
    def __init__(self, policies: Dict[str, Policy], default: str):
        if default not in policies:
            raise ValueError(f"default policy {default!r} is not defined")
        self._policies = policies
        self._default = default
        self._limiters: Dict[Tuple[str, Hashable], Limiter] = {}
        self._last_seen: Dict[Tuple[str, Hashable], float] = {}

    def check(self, client: Hashable, now: float, policy: str = None, cost: int = 1) -> Decision:
        """Try to spend ``cost`` for ``client`` under ``policy`` at ``now``."""
        name = policy or self._default
        rule = self._policies[name]
        key = (name, client)
        limiter = self._limiters.get(key)
        if limiter is None:
            limiter = self._limiters[key] = rule.build(now)
        self._last_seen[key] = now
        allowed = limiter.try_take(now, cost)
        wait = 0.0 if allowed else limiter.wait_time(now, cost)
        if math.isinf(wait):
            raise ValueError(f"cost {cost} exceeds the limit of policy {name!r}")
        remaining = limiter.available(now)
        return Decision(allowed, remaining, wait, rate_limit_headers(rule.limit, remaining, wait))

    def prune(self, now: float, idle: float) -> int:
        """Forget clients not seen for ``idle`` seconds; return how many."""
        stale = [key for key, seen in self._last_seen.items() if now - seen >= idle]
        for key in stale:
            del self._limiters[key]
            del self._last_seen[key]
        return len(stale)

    def tracked(self) -> int:
        return len(self._limiters)
