"""Call a function with retries, backoff and an optional circuit breaker."""

import random
from typing import Any, Callable, Optional, Tuple, Type

from resilience.backoff import RetryPolicy
from resilience.circuit import CircuitBreaker


class RetryError(Exception):
    def __init__(self, attempts: int, last_error: BaseException):
        super().__init__(f"gave up after {attempts} attempts: {last_error!r}")
        self.attempts = attempts
        self.last_error = last_error


class CircuitOpenError(Exception):
    def __init__(self, retry_after: float):
        super().__init__(f"circuit open, retry in {retry_after:.1f}s")
        self.retry_after = retry_after


def retry_call(
    func: Callable[[], Any],
    policy: RetryPolicy,
    *,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    breaker: Optional[CircuitBreaker] = None,
    retry_on: Tuple[Type[BaseException], ...] = (Exception,),
    rng: Optional[random.Random] = None,
    deadline: Optional[float] = None,
) -> Any:
    """Call ``func`` until it succeeds or the policy gives up.

    Errors not in ``retry_on`` propagate at once. With a ``breaker`` every
    attempt is reported to it and a refused attempt raises
    :class:`CircuitOpenError`. ``deadline`` is an absolute time: no wait may
    end after it. ``clock`` and ``sleep`` are injected so callers and tests
    control time.
    """
    last_error: Optional[BaseException] = None
    for attempt in range(1, policy.max_attempts + 1):
        now = clock()
        if breaker is not None and not breaker.allow(now):
            raise CircuitOpenError(breaker.retry_after(now))
        try:
            result = func()
        except retry_on as exc:
            last_error = exc
            if breaker is not None:
                breaker.record_failure(clock())
        else:
            if breaker is not None:
                breaker.record_success(clock())
            return result
        if attempt == policy.max_attempts:
            break
        wait = policy.delay(attempt, rng)
        if deadline is not None and clock() + wait > deadline:
            break
        sleep(wait)
    raise RetryError(attempt, last_error)
