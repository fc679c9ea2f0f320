"""Exponential backoff schedules."""

import random
from dataclasses import dataclass
from typing import Iterator, List, Optional

JITTER_MODES = ("none", "full", "equal")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait between attempts.

    The wait after failed attempt ``n`` (1-based) is
    ``base_delay * multiplier ** (n - 1)``, capped at ``max_delay``, then
    jittered: ``"full"`` draws uniformly from ``[0, wait]``, ``"equal"`` from
    ``[wait / 2, wait]``.
    """

    max_attempts: int = 5
    base_delay: float = 0.1
    multiplier: float = 2.0
    max_delay: float = 5.0
    jitter: str = "none"

    def __post_init__(self):
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("delays cannot be negative")
        if self.multiplier < 1:
            raise ValueError("multiplier must be at least 1")
        if self.jitter not in JITTER_MODES:
            raise ValueError(f"jitter must be one of {JITTER_MODES}")

    def raw_delay(self, attempt: int) -> float:
        """The capped wait after failed attempt ``attempt``, before jitter."""
        if attempt < 1:
            raise ValueError("attempts are numbered from 1")
        return min(self.max_delay, self.base_delay * self.multiplier ** (attempt - 1))

    def delay(self, attempt: int, rng: Optional[random.Random] = None) -> float:
        wait = self.raw_delay(attempt)
        if self.jitter == "none":
            return wait
        if rng is None:
            raise ValueError("jitter needs a random generator")
        if self.jitter == "full":
            return rng.uniform(0, wait)
        return rng.uniform(wait / 2, wait)

    def delays(self, rng: Optional[random.Random] = None) -> Iterator[float]:
        """Waits between the attempts: one fewer than ``max_attempts``."""
        for attempt in range(1, self.max_attempts):
            yield self.delay(attempt, rng)

    def total_delay(self) -> float:
        """Worst-case time spent waiting, without jitter."""
        return sum(self.raw_delay(a) for a in range(1, self.max_attempts))

    def schedule(self) -> List[float]:
        return [round(self.raw_delay(a), 6) for a in range(1, self.max_attempts)]
