from datetime import date

import pytest

from recur.rules import Freq, Rule, format_rrule, parse_rrule


def test_parse_weekly_rule():
    rule = parse_rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR")
    assert rule == Rule(Freq.WEEKLY, interval=2, weekdays=((0, 0), (4, 0)))


def test_parse_accepts_prefix_and_lower_case():
    assert parse_rrule("RRULE:freq=daily;count=3") == Rule(Freq.DAILY, count=3)


def test_parse_ordinal_weekdays_and_until():
    rule = parse_rrule("FREQ=MONTHLY;BYDAY=-1FR,2TU;UNTIL=20241231")
    assert rule.weekdays == ((4, -1), (1, 2))
    assert rule.until == date(2024, 12, 31)


@pytest.mark.parametrize(
    "text",
    [
        "INTERVAL=2",
        "FREQ=HOURLY",
        "FREQ=DAILY;COUNT=3;UNTIL=20240101",
        "FREQ=DAILY;FREQ=WEEKLY",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYDAY=2MO",
        "FREQ=DAILY;BYSETPOS=1",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;UNTIL=2024-01-01",
    ],
)
def test_parse_rejects(text):
    with pytest.raises(ValueError):
        parse_rrule(text)


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR",
        "FREQ=MONTHLY;COUNT=6;BYDAY=-1FR",
        "FREQ=YEARLY;UNTIL=20300101;BYMONTHDAY=15",
    ],
)
def test_format_round_trips(text):
    assert format_rrule(parse_rrule(text)) == text
