"""Parsing durations written as ``1h30m``, ``2 days, 3 hours``, ``1.5h``,
plain seconds (``90``) or ISO 8601 (``P1DT2H``, ``PT0.5S``)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from durations.units import DAY, HOUR, MINUTE, ORDER, SECOND, WEEK, canonical_unit, unit_size

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_COMPACT_TOKEN = re.compile(rf"\s*({_NUMBER})\s*([^\W\d_]+)\s*,?")
_ISO_NUMBER = r"(\d+(?:[.,]\d+)?)"
_ISO_RE = re.compile(
    rf"^P(?:{_ISO_NUMBER}Y)?(?:{_ISO_NUMBER}M)?(?:{_ISO_NUMBER}W)?(?:{_ISO_NUMBER}D)?"
    rf"(?:T(?:{_ISO_NUMBER}H)?(?:{_ISO_NUMBER}M)?(?:{_ISO_NUMBER}S)?)?$"
)


class DurationError(ValueError):
    """Text that is not a duration."""


def _micros(number: str, size: int) -> int:
    amount = Decimal(number.replace(",", ".")) * size
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _split_sign(text: str) -> tuple[int, str]:
    text = text.strip()
    if text.startswith("-"):
        return -1, text[1:].lstrip()
    if text.startswith("+"):
        return 1, text[1:].lstrip()
    return 1, text


def parse_compact(text: str) -> timedelta:
    """Parse ``1h30m``, ``1.5 hours``, ``2 days, 4 hrs``.

    Each unit may appear only once and units must go from larger to
    smaller, which catches typos such as ``30m1h``.
    """
    sign, body = _split_sign(text)
    if not body:
        raise DurationError(f"empty duration: {text!r}")
    total = 0
    pos = 0
    last_rank = -1
    while pos < len(body):
        match = _COMPACT_TOKEN.match(body, pos)
        if not match:
            raise DurationError(f"cannot parse {body[pos:]!r} in {text!r}")
        number, unit = match.groups()
        unit = canonical_unit(unit)
        rank = ORDER.index(unit)
        if rank <= last_rank:
            raise DurationError(f"unit {unit!r} out of order or repeated in {text!r}")
        last_rank = rank
        total += _micros(number, unit_size(unit))
        pos = match.end()
    return timedelta(microseconds=sign * total)


def parse_iso(text: str) -> timedelta:
    """Parse an ISO 8601 duration such as ``P1W``, ``P2DT3H``, ``-PT1.5S``.

    Years and months have no fixed length and are rejected.  Only the last
    (smallest) component may carry a fraction.
    """
    sign, body = _split_sign(text)
    match = _ISO_RE.match(body.upper())
    if not match or body.upper() in ("P", "PT") or body.upper().endswith("T"):
        raise DurationError(f"not an ISO 8601 duration: {text!r}")
    years, months, weeks, days, hours, minutes, seconds = match.groups()
    if years or months:
        raise DurationError(f"years and months are not supported: {text!r}")
    values = [(weeks, WEEK), (days, DAY), (hours, HOUR), (minutes, MINUTE), (seconds, SECOND)]
    present = [(v, size) for v, size in values if v is not None]
    for value, _ in present[:-1]:
        if "." in value or "," in value:
            raise DurationError(f"only the smallest component may be fractional: {text!r}")
    total = sum(_micros(value, size) for value, size in present)
    return timedelta(microseconds=sign * total)


def parse_duration(text: str) -> timedelta:
    """Parse any supported notation; a bare number means seconds."""
    stripped = text.strip()
    _, body = _split_sign(stripped)
    if body[:1].upper() == "P":
        return parse_iso(stripped)
    if re.fullmatch(_NUMBER, body):
        sign = -1 if stripped.startswith("-") else 1
        return timedelta(microseconds=sign * _micros(body, SECOND))
    return parse_compact(stripped)
