"""Clocks for the caches.

The caches never read the system time themselves: they are handed a clock,
which is any callable returning the current time in seconds as a float.
Tests use :class:`ManualClock`; production code would pass ``time.monotonic``.
"""


from typing import Callable


class ClockError(RuntimeError):
    """A clock handed to a cache went backwards."""


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: float = 0.0):
        self._now = float(start)

    def __call__(self) -> float:
        return self._now

    def __repr__(self) -> str:
        return f"ManualClock({self._now!r})"

    @property
    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward and return the new time."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds
        return self._now

    def set(self, when: float) -> None:
        """Jump to the absolute time ``when`` (not earlier than now)."""
        if when < self._now:
            raise ValueError("a clock cannot go backwards")
        self._now = float(when)


def monotonic(clock: Callable[[], float]) -> Callable[[], float]:
    """Wrap ``clock`` so that a reading earlier than the previous one raises.

    Expiry logic silently misbehaves when time goes backwards (entries come
    back to life), so the caches refuse such clocks loudly instead.
    """
    last = [float("-inf")]

    def read() -> float:
        now = clock()
        if now < last[0]:
            raise ClockError(f"clock went backwards from {last[0]} to {now}")
        last[0] = now
        return now

    return read
