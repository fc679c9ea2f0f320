"""HTTP rate-limit headers for a limiter decision."""

import math
from dataclasses import dataclass
from typing import Dict, Mapping, Optional


def retry_after_seconds(wait: float) -> int:
    """``Retry-After`` value: whole seconds, never telling a client to come back too early."""
    if wait <= 0:
        return 0
    if math.isinf(wait):
        raise ValueError("the request can never be allowed")
    return max(1, math.ceil(wait))


def rate_limit_headers(limit: int, remaining: float, wait: float) -> Dict[str, str]:
    headers = {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(max(0, math.floor(remaining))),
    }
    if wait > 0:
        headers["Retry-After"] = str(retry_after_seconds(wait))
    return headers


def parse_retry_after(value: str) -> int:
    """Read a ``Retry-After`` header given in seconds."""
    value = value.strip()
    if not value.isdigit():
        raise ValueError(f"not a number of seconds: {value!r}")
    return int(value)


@dataclass(frozen=True)
class RateLimitInfo:
    """What a client can learn from a response's rate-limit headers."""

    limit: Optional[int]
    remaining: Optional[int]
    retry_after: Optional[int]

    @property
    def throttled(self) -> bool:
        return self.retry_after is not None and self.retry_after > 0


def read_rate_limit_headers(headers: Mapping[str, str]) -> RateLimitInfo:
    """Client side: parse the headers written by :func:`rate_limit_headers`.

    Header names are matched case-insensitively; absent headers give ``None``.
    """
    lowered = {name.lower(): value for name, value in headers.items()}

    def number(name: str) -> Optional[int]:
        value = lowered.get(name.lower())
        return None if value is None else parse_retry_after(value)

    return RateLimitInfo(
        limit=number("X-RateLimit-Limit"),
        remaining=number("X-RateLimit-Remaining"),
        retry_after=number("Retry-After"),
    )
