"""Parse and format human and ISO 8601 durations."""

from durations.formatter import format_clock, format_compact, format_iso
from durations.parser import DurationError, parse_compact, parse_duration, parse_iso
from durations.units import UnknownUnitError, canonical_unit

__all__ = [
    "DurationError", "UnknownUnitError", "canonical_unit", "format_clock",
    "format_compact", "format_iso", "parse_compact", "parse_duration", "parse_iso",
]
