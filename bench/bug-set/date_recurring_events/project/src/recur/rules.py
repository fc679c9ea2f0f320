"""Recurrence rules and a parser for a subset of RFC 5545 ``RRULE`` text.

Supported parts: ``FREQ`` (DAILY, WEEKLY, MONTHLY, YEARLY), ``INTERVAL``,
``COUNT``, ``UNTIL`` (a date, ``YYYYMMDD``, inclusive), ``BYDAY`` (``MO,WE``;
for monthly rules also ordinals such as ``2TU`` or ``-1FR``) and
``BYMONTHDAY``.  ``COUNT`` and ``UNTIL`` are mutually exclusive.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")


class Freq(enum.Enum):
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    YEARLY = "YEARLY"


@dataclass(frozen=True)
class Rule:
    """A recurrence rule; the event's start date supplies what is left out.

    ``weekdays`` holds ``(weekday, ordinal)`` pairs with ``weekday`` 0 for
    Monday and ``ordinal`` 0 for "every", or 1..5 / -1..-5 for the n-th in
    the month (monthly rules only).
    """

    freq: Freq
    interval: int = 1
    count: int | None = None
    until: date | None = None
    weekdays: tuple[tuple[int, int], ...] = ()
    month_day: int | None = None

    def __post_init__(self) -> None:
        if self.interval < 1:
            raise ValueError("INTERVAL must be positive")
        if self.count is not None and self.until is not None:
            raise ValueError("COUNT and UNTIL cannot both be given")
        if self.count is not None and self.count < 1:
            raise ValueError("COUNT must be positive")
        if self.month_day is not None and not 1 <= abs(self.month_day) <= 31:
            raise ValueError("BYMONTHDAY must be 1..31 or -31..-1")
        for weekday, ordinal in self.weekdays:
            if not 0 <= weekday <= 6:
                raise ValueError(f"bad weekday {weekday}")
            if ordinal and self.freq is not Freq.MONTHLY:
                raise ValueError("ordinal weekdays need FREQ=MONTHLY")
        if self.month_day is not None and self.freq not in (Freq.MONTHLY, Freq.YEARLY):
            raise ValueError("BYMONTHDAY needs FREQ=MONTHLY or YEARLY")


def _parse_date(text: str) -> date:
    if not re.fullmatch(r"\d{8}", text):
        raise ValueError(f"UNTIL must be YYYYMMDD, got {text!r}")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _parse_byday(text: str) -> tuple[tuple[int, int], ...]:
    result = []
    for item in text.split(","):
        m = _BYDAY.match(item.strip().upper())
        if not m:
            raise ValueError(f"bad BYDAY item {item!r}")
        ordinal = int(m.group(1)) if m.group(1) else 0
        result.append((WEEKDAY_CODES.index(m.group(2)), ordinal))
    return tuple(result)


def parse_rrule(text: str) -> Rule:
    """Parse ``FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR`` into a :class:`Rule`."""
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:"):]
    parts: dict[str, str] = {}
    for chunk in filter(None, text.split(";")):
        key, sep, value = chunk.partition("=")
        if not sep or not value:
            raise ValueError(f"bad rule part {chunk!r}")
        key = key.strip().upper()
        if key in parts:
            raise ValueError(f"{key} given twice")
        parts[key] = value.strip()
    if "FREQ" not in parts:
        raise ValueError("FREQ is required")
    unknown = set(parts) - {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY"}
    if unknown:
        raise ValueError(f"unsupported rule parts: {', '.join(sorted(unknown))}")
    try:
        freq = Freq(parts["FREQ"].upper())
    except ValueError:
        raise ValueError(f"unsupported FREQ {parts['FREQ']!r}") from None
    return Rule(
        freq=freq,
        interval=int(parts.get("INTERVAL", "1")),
        count=int(parts["COUNT"]) if "COUNT" in parts else None,
        until=_parse_date(parts["UNTIL"]) if "UNTIL" in parts else None,
        weekdays=_parse_byday(parts["BYDAY"]) if "BYDAY" in parts else (),
        month_day=int(parts["BYMONTHDAY"]) if "BYMONTHDAY" in parts else None,
    )


def format_rrule(rule: Rule) -> str:
    """The inverse of :func:`parse_rrule` (parts in a fixed order)."""
    parts = [f"FREQ={rule.freq.value}"]
    if rule.interval != 1:
        parts.append(f"INTERVAL={rule.interval}")
    if rule.count is not None:
        parts.append(f"COUNT={rule.count}")
    if rule.until is not None:
        parts.append(f"UNTIL={rule.until:%Y%m%d}")
    if rule.weekdays:
        items = [f"{o if o else ''}{WEEKDAY_CODES[w]}" for w, o in rule.weekdays]
        parts.append("BYDAY=" + ",".join(items))
    if rule.month_day is not None:
        parts.append(f"BYMONTHDAY={rule.month_day}")
    return ";".join(parts)
