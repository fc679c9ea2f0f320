from datetime import date
from itertools import islice

from recur.expand import between, first_after, matches, occurrences
from recur.rules import parse_rrule


def first(text, start, n):
    return list(islice(occurrences(parse_rrule(text), start), n))


def test_daily_every_third_day_until_is_inclusive():
    assert first("FREQ=DAILY;INTERVAL=3;UNTIL=20240113", date(2024, 1, 1), 10) == [
        date(2024, 1, 1),
        date(2024, 1, 4),
        date(2024, 1, 7),
        date(2024, 1, 10),
        date(2024, 1, 13),
    ]


def test_daily_on_weekdays():
    assert first("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", date(2024, 3, 8), 3) == [
        date(2024, 3, 8),
        date(2024, 3, 11),
        date(2024, 3, 12),
    ]


def test_weekly_defaults_to_start_weekday():
    assert first("FREQ=WEEKLY;INTERVAL=2", date(2024, 1, 3), 3) == [
        date(2024, 1, 3),
        date(2024, 1, 17),
        date(2024, 1, 31),
    ]


def test_weekly_by_day_with_count():
    assert first("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=5", date(2024, 1, 4), 10) == [
        date(2024, 1, 4),
        date(2024, 1, 9),
        date(2024, 1, 11),
        date(2024, 1, 16),
        date(2024, 1, 18),
    ]


def test_fortnightly_monday_and_friday_from_a_wednesday():
    # weeks are counted Monday to Sunday from the start's week: 1 Jan, 15 Jan, 29 Jan ...
    assert first("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR", date(2024, 1, 3), 5) == [
        date(2024, 1, 5),
        date(2024, 1, 15),
        date(2024, 1, 19),
        date(2024, 1, 29),
        date(2024, 2, 2),
    ]


def test_every_third_week_on_sunday_and_monday():
    assert first("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,SU", date(2024, 1, 10), 4) == [
        date(2024, 1, 14),
        date(2024, 1, 29),
        date(2024, 2, 4),
        date(2024, 2, 19),
    ]


def test_monthly_on_31st_skips_short_months():
    assert first("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4", date(2024, 1, 31), 10) == [
        date(2024, 1, 31),
        date(2024, 3, 31),
        date(2024, 5, 31),
        date(2024, 7, 31),
    ]


def test_monthly_last_friday():
    assert first("FREQ=MONTHLY;BYDAY=-1FR", date(2024, 1, 1), 3) == [
        date(2024, 1, 26),
        date(2024, 2, 23),
        date(2024, 3, 29),
    ]


def test_quarterly_last_day_of_month():
    assert first("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=-1", date(2024, 1, 15), 3) == [
        date(2024, 1, 31),
        date(2024, 4, 30),
        date(2024, 7, 31),
    ]


def test_yearly_on_leap_day_only_in_leap_years():
    assert first("FREQ=YEARLY", date(2020, 2, 29), 2) == [date(2020, 2, 29), date(2024, 2, 29)]


def test_matches_nothing_before_start():
    rule = parse_rrule("FREQ=DAILY")
    assert not matches(rule, date(2024, 5, 1), date(2024, 4, 30))
    assert matches(rule, date(2024, 5, 1), date(2024, 5, 1))


def test_between_is_inclusive():
    rule = parse_rrule("FREQ=MONTHLY;BYDAY=2TU")
    assert between(rule, date(2024, 1, 1), date(2024, 2, 13), date(2024, 3, 12)) == [
        date(2024, 2, 13),
        date(2024, 3, 12),
    ]


def test_first_after_ends_with_the_rule():
    rule = parse_rrule("FREQ=DAILY;COUNT=2")
    assert first_after(rule, date(2024, 1, 1), date(2024, 1, 1)) == date(2024, 1, 2)
    assert first_after(rule, date(2024, 1, 1), date(2024, 1, 2)) is None
