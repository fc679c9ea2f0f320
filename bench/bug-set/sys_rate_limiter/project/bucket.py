"""Token bucket and sliding-window-log limiters. Times are seconds, passed in."""

import math
from collections import deque
from typing import Deque, Optional


class ClockWentBackwards(ValueError):
    pass


class TokenBucket:
    """Holds up to ``capacity`` tokens, refilled at ``rate`` tokens a second."""

    def __init__(self, capacity: float, rate: float, now: float, tokens: Optional[float] = None):
        if capacity <= 0 or rate <= 0:
            raise ValueError("capacity and rate must be positive")
        self.capacity = capacity
        self.rate = rate
        self._tokens = capacity if tokens is None else min(tokens, capacity)
        self._last = now

    def _refill(self, now: float) -> None:
        if now < self._last:
            raise ClockWentBackwards(f"{now} is before {self._last}")
        self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
        self._last = now

    def available(self, now: float) -> float:
        self._refill(now)
        return self._tokens

    def try_take(self, now: float, cost: float = 1) -> bool:
        self._refill(now)
        if cost <= self._tokens:
            self._tokens -= cost
            return True
        return False

    def wait_time(self, now: float, cost: float = 1) -> float:
        """Seconds until ``cost`` tokens are available (``inf`` if never)."""
        if cost > self.capacity:
            return math.inf
        self._refill(now)
        missing = cost - self._tokens
        return max(0.0, missing / self.rate)


class SlidingWindowLog:
    """At most ``limit`` events in any window of ``window`` seconds."""

    def __init__(self, limit: int, window: float):
        if limit < 1 or window <= 0:
            raise ValueError("limit and window must be positive")
        self.limit = limit
        self.window = window
        self._log: Deque[float] = deque()

    def _evict(self, now: float) -> None:
        while self._log and self._log[0] <= now - self.window:
            self._log.popleft()

    def available(self, now: float) -> int:
        self._evict(now)
        return self.limit - len(self._log)

    def try_take(self, now: float, cost: int = 1) -> bool:
        self._evict(now)
        if len(self._log) + cost > self.limit:
            return False
        self._log.extend([now] * cost)
        return True

    def wait_time(self, now: float, cost: int = 1) -> float:
        if cost > self.limit:
            return math.inf
        self._evict(now)
        excess = len(self._log) + cost - self.limit
        if excess <= 0:
            return 0.0
        return self._log[excess - 1] + self.window - now
