"""A circuit breaker.

CLOSED: calls go through; ``failure_threshold`` consecutive failures open
the circuit. OPEN: calls are refused until ``reset_timeout`` seconds have
passed, then the circuit is HALF_OPEN. HALF_OPEN: up to ``trial_calls``
calls are let through; one success closes the circuit and starts a fresh
count, one failure opens it again for another ``reset_timeout``.
"""

from enum import Enum
from typing import List, Optional, Tuple


class CircuitState(Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(self, failure_threshold: int = 3, reset_timeout: float = 30.0, trial_calls: int = 1):
        if failure_threshold < 1 or trial_calls < 1:
            raise ValueError("failure_threshold and trial_calls must be at least 1")
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.trial_calls = trial_calls
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._opened_at: Optional[float] = None
        self._trials_started = 0
        self.transitions: List[Tuple[float, CircuitState]] = []

    @property
    def failure_count(self) -> int:
        return self._failures

    def state(self, now: float) -> CircuitState:
        if self._state is CircuitState.OPEN and now - self._opened_at >= self.reset_timeout:
            self._set_state(CircuitState.HALF_OPEN, now)
            self._trials_started = 0
        return self._state

    def allow(self, now: float) -> bool:
        """Whether a call may go out at ``now``; counts half-open trials."""
        state = self.state(now)
        if state is CircuitState.CLOSED:
            return True
        if state is CircuitState.OPEN:
            return False
        if self._trials_started < self.trial_calls:
            self._trials_started += 1
            return True
        return False

    def retry_after(self, now: float) -> float:
        """Seconds until an open circuit lets a trial call through (0 otherwise)."""
        if self.state(now) is not CircuitState.OPEN:
            return 0.0
        return self._opened_at + self.reset_timeout - now

    def record_success(self, now: float) -> None:
        state = self.state(now)
        if state is CircuitState.HALF_OPEN:
            self._close(now)
        elif state is CircuitState.CLOSED:
            self._failures = 0

    def record_failure(self, now: float) -> None:
        state = self.state(now)
        if state is CircuitState.HALF_OPEN:
            self._open(now)
        elif state is CircuitState.CLOSED:
            self._failures += 1
            if self._failures >= self.failure_threshold:
                self._open(now)

    def _open(self, now: float) -> None:
        self._opened_at = now
        self._set_state(CircuitState.OPEN, now)

    def _close(self, now: float) -> None:
        self._failures = 0
        self._opened_at = None
        self._set_state(CircuitState.CLOSED, now)

    def _set_state(self, state: CircuitState, now: float) -> None:
        if state is not self._state:
            self._state = state
            self.transitions.append((now, state))
