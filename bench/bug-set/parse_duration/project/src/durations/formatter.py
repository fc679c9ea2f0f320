"""Rendering :class:`datetime.timedelta` values for humans and machines."""

from __future__ import annotations

from datetime import timedelta

from durations.units import DAY, HOUR, MINUTE, SECOND, SIZES, canonical_unit, round_to, split, units_from

_ONE_MICROSECOND = timedelta(microseconds=1)


def _to_micros(value: timedelta) -> int:
    return value // _ONE_MICROSECOND


def format_compact(value: timedelta, max_units: int | None = None,
                   smallest: str = "s", largest: str = "w", sep: str = " ") -> str:
    """``timedelta(hours=1, minutes=30)`` -> ``'1h 30m'``.

    The value is rounded (halves up, by magnitude) to the *smallest* unit.
    With *max_units*, only that many units are shown, starting at the
    largest non-zero one, and the value is rounded to the last unit shown;
    rounding may carry into larger units (``59m 59s`` -> ``'1h'``).
    """
    micros = _to_micros(value)
    sign = "-" if micros < 0 else ""
    micros = abs(micros)
    units = units_from(largest, smallest)
    micros = round_to(micros, SIZES[units[-1]])
    parts = split(micros, units)
    if max_units is not None:
        if max_units < 1:
            raise ValueError("max_units must be at least 1")
        if len(parts) > max_units:
            first = units.index(parts[0][0])
            kept = units[first:first + max_units]
            micros = round_to(micros, SIZES[kept[-1]])
            parts = split(micros, units)[:max_units]
    if not parts:
        return f"0{units[-1]}"
    return sign + sep.join(f"{count}{name}" for name, count in parts)


def format_iso(value: timedelta) -> str:
    """ISO 8601 form using days, hours, minutes and (fractional) seconds."""
    micros = _to_micros(value)
    sign = "-" if micros < 0 else ""
    micros = abs(micros)
    days, micros = divmod(micros, DAY)
    hours, micros = divmod(micros, HOUR)
    minutes, micros = divmod(micros, MINUTE)
    seconds, micros = divmod(micros, SECOND)
    date_part = f"{days}D" if days else ""
    time_part = ""
    if hours:
        time_part += f"{hours}H"
    if minutes:
        time_part += f"{minutes}M"
    if seconds or micros:
        frac = f".{micros:06d}".rstrip("0") if micros else ""
        time_part += f"{seconds}{frac}S"
    if not date_part and not time_part:
        return "PT0S"
    return f"{sign}P{date_part}" + (f"T{time_part}" if time_part else "")


def format_clock(value: timedelta, precision: str = "s") -> str:
    """Stopwatch style: ``'1:02:03'``, ``'26:00:00'``, ``'0:00:01.250'``.

    *precision* is ``'s'`` or ``'ms'``; hours are not wrapped into days.
    """
    unit = canonical_unit(precision)
    if unit not in ("s", "ms"):
        raise ValueError("precision must be 's' or 'ms'")
    micros = _to_micros(value)
    sign = "-" if micros < 0 else ""
    micros = round_to(abs(micros), SIZES[unit])
    hours, micros = divmod(micros, HOUR)
    minutes, micros = divmod(micros, MINUTE)
    seconds, micros = divmod(micros, SECOND)
    text = f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    if unit == "ms":
        text += f".{micros // 1000:03d}"
    return text
