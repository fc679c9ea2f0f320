"""Duration units, their aliases and integer arithmetic on microseconds.

All computations in this package use integer microseconds so that values
such as ``0.1s`` are exact.
"""

from __future__ import annotations

import difflib

MICROSECOND = 1
MILLISECOND = 1_000 * MICROSECOND
SECOND = 1_000 * MILLISECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY

#: Canonical unit symbols, largest first.
ORDER = ("w", "d", "h", "m", "s", "ms", "us")

SIZES = {
    "w": WEEK, "d": DAY, "h": HOUR, "m": MINUTE,
    "s": SECOND, "ms": MILLISECOND, "us": MICROSECOND,
}

ALIASES = {
    "week": "w", "weeks": "w", "wk": "w", "wks": "w",
    "day": "d", "days": "d",
    "hour": "h", "hours": "h", "hr": "h", "hrs": "h",
    "minute": "m", "minutes": "m", "min": "m", "mins": "m",
    "second": "s", "seconds": "s", "sec": "s", "secs": "s",
    "millisecond": "ms", "milliseconds": "ms", "msec": "ms", "msecs": "ms",
    "microsecond": "us", "microseconds": "us", "usec": "us", "µs": "us",
}


class UnknownUnitError(ValueError):
    """A unit name that is neither canonical nor a known alias."""

    def __init__(self, name: str):
        known = list(SIZES) + list(ALIASES)
        guess = difflib.get_close_matches(name.lower(), known, n=1)
        hint = f" (did you mean {guess[0]!r}?)" if guess else ""
        super().__init__(f"unknown duration unit {name!r}{hint}")
        self.name = name


def canonical_unit(name: str) -> str:
    """Map a unit name or alias to its canonical symbol (case-insensitive)."""
    key = name.strip().lower()
    if key in SIZES:
        return key
    if key in ALIASES:
        return ALIASES[key]
    raise UnknownUnitError(name)


def unit_size(name: str) -> int:
    """Size of a unit in microseconds."""
    return SIZES[canonical_unit(name)]


def units_from(largest: str = "w", smallest: str = "us") -> tuple[str, ...]:
    """Canonical units between *largest* and *smallest*, inclusive."""
    lo, hi = ORDER.index(canonical_unit(largest)), ORDER.index(canonical_unit(smallest))
    if lo > hi:
        raise ValueError(f"{largest!r} is smaller than {smallest!r}")
    return ORDER[lo:hi + 1]


def split(micros: int, units: tuple[str, ...] = ORDER) -> list[tuple[str, int]]:
    """Break a non-negative number of microseconds into ``(unit, count)``
    pairs, largest unit first, omitting zero counts.  Whatever is smaller
    than the last unit in *units* is discarded."""
    if micros < 0:
        raise ValueError("split() needs a non-negative amount")
    parts = []
    for name in units:
        size = SIZES[name]
        if micros >= size:
            count, micros = divmod(micros, size)
            parts.append((name, count))
    return parts


def round_to(micros: int, size: int) -> int:
    """Round a non-negative amount to a multiple of *size*, halves upward."""
    return (micros + size // 2) // size * size
