"""Retries with backoff and a circuit breaker, with time passed in explicitly."""

from resilience.backoff import RetryPolicy
from resilience.circuit import CircuitBreaker, CircuitState
from resilience.runner import CircuitOpenError, RetryError, retry_call

__all__ = [
    "CircuitBreaker",
    "CircuitOpenError",
    "CircuitState",
    "RetryError",
    "RetryPolicy",
    "retry_call",
]
