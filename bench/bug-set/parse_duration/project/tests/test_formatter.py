from datetime import timedelta

import pytest

from durations import format_clock, format_compact, format_iso, parse_duration


@pytest.mark.parametrize("value, expected", [
    (timedelta(hours=1, minutes=30), "1h 30m"),
    (timedelta(hours=2), "2h"),
    (timedelta(hours=1), "1h"),
    (timedelta(seconds=61), "1m 1s"),
    (timedelta(0), "0s"),
    (-timedelta(minutes=5, seconds=30), "-5m 30s"),
], ids=["mixed", "two_hours", "one_hour", "one_minute_one_second", "zero", "negative"])
def test_format_compact(value, expected):
    assert format_compact(value) == expected


def test_format_compact_rounds_to_smallest_unit():
    assert format_compact(timedelta(seconds=2, milliseconds=500)) == "3s"
    assert format_compact(timedelta(milliseconds=1500), smallest="ms", sep="") == "1s500ms"


def test_max_units_rounds_last_shown_unit():
    value = timedelta(days=3, hours=4, minutes=31)
    assert format_compact(value, max_units=2) == "3d 5h"


def test_max_units_carries_into_larger_unit():
    assert format_compact(timedelta(minutes=59, seconds=59), max_units=1) == "1h"


def test_largest_unit_limits_output():
    assert format_compact(timedelta(days=2, hours=3), largest="h") == "51h"


@pytest.mark.parametrize("value, expected", [
    (timedelta(days=1, hours=2, seconds=3.5), "P1DT2H3.5S"),
    (timedelta(0), "PT0S"),
    (-timedelta(days=2), "-P2D"),
], ids=["full", "zero", "negative"])
def test_format_iso(value, expected):
    assert format_iso(value) == expected


@pytest.mark.parametrize("text", ["PT0.000001S", "-P3DT4M"])
def test_iso_round_trip(text):
    assert format_iso(parse_duration(text)) == text


def test_format_clock():
    assert format_clock(timedelta(hours=26, minutes=2, seconds=3)) == "26:02:03"
    assert format_clock(timedelta(seconds=1.2504), precision="ms") == "0:00:01.250"
    assert format_clock(-timedelta(seconds=59.6)) == "-0:01:00"


def test_compact_round_trip_through_parser():
    for text in ["1d 2h", "3h 15m 10s", "45s", "1d 1h 1m"]:
        assert format_compact(parse_duration(text)) == text
