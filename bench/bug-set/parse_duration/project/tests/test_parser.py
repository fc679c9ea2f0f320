from datetime import timedelta

import pytest

from durations import DurationError, UnknownUnitError, parse_compact, parse_duration, parse_iso


@pytest.mark.parametrize("text, expected", [
    ("1h30m", timedelta(hours=1, minutes=30)),
    ("2 days, 4 hrs", timedelta(days=2, hours=4)),
    (".25s", timedelta(milliseconds=250)),
    ("-3m 10s", -timedelta(minutes=3, seconds=10)),
], ids=["compact", "words", "fraction", "negative"])
def test_parse_compact(text, expected):
    assert parse_compact(text) == expected


def test_decimal_fractions_are_exact():
    assert parse_compact("0.1s") * 3 == parse_compact("0.3s")
    assert parse_compact("1.5h") == timedelta(minutes=90)


@pytest.mark.parametrize("text", ["30m1h", "1h junk"])
def test_parse_compact_errors(text):
    with pytest.raises(DurationError):
        parse_compact(text)


def test_unknown_unit():
    with pytest.raises(UnknownUnitError):
        parse_compact("3 fortnights")


@pytest.mark.parametrize("text, expected", [
    ("P2DT3H4M", timedelta(days=2, hours=3, minutes=4)),
    ("-PT1,5S", -timedelta(seconds=1.5)),
], ids=["full", "negative_comma"])
def test_parse_iso(text, expected):
    assert parse_iso(text) == expected


@pytest.mark.parametrize("text", ["P1DT", "P1M", "PT1.5H30M"])
def test_parse_iso_errors(text):
    with pytest.raises(DurationError):
        parse_iso(text)


def test_parse_duration_dispatch():
    assert parse_duration(" 90 ") == timedelta(seconds=90)
    assert parse_duration("-2.5") == timedelta(seconds=-2.5)
    assert parse_duration("P1W") == timedelta(weeks=1)
    assert parse_duration("1 day 2 hours") == timedelta(days=1, hours=2)
