from datetime import date

import pytest

from recur.agenda import Agenda, Event


@pytest.fixture
def agenda():
    a = Agenda()
    a.add(Event.from_text("standup", date(2024, 1, 1), "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"))
    a.add(Event.from_text("sync", date(2024, 1, 3), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR"))
    a.add(Event.from_text("board", date(2024, 1, 1), "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3"))
    a.add(Event("launch", date(2024, 1, 26)))
    return a


def test_on_lists_events_alphabetically(agenda):
    assert agenda.on(date(2024, 1, 26)) == ["board", "launch", "standup"]


def test_nothing_at_the_weekend(agenda):
    assert agenda.on(date(2024, 1, 6)) == []


def test_fortnightly_sync_skips_the_off_week(agenda):
    assert agenda.on(date(2024, 1, 8)) == ["standup"]
    assert agenda.on(date(2024, 1, 15)) == ["standup", "sync"]


def test_count_limited_event_stops(agenda):
    assert agenda.on(date(2024, 3, 29)) == ["board", "standup", "sync"]
    assert agenda.on(date(2024, 4, 26)) == ["standup", "sync"]


def test_cancel_an_occurrence(agenda):
    agenda["standup"].cancel(date(2024, 1, 26))
    assert agenda.on(date(2024, 1, 26)) == ["board", "launch"]


def test_cancel_a_day_without_the_event(agenda):
    with pytest.raises(ValueError):
        agenda["board"].cancel(date(2024, 1, 25))


def test_between_orders_by_date_then_name(agenda):
    assert agenda.between(date(2024, 1, 18), date(2024, 1, 19)) == [
        (date(2024, 1, 18), "standup"),
        (date(2024, 1, 19), "standup"),
        (date(2024, 1, 19), "sync"),
    ]


def test_busiest_days(agenda):
    busy = agenda.busiest_days(date(2024, 1, 22), date(2024, 1, 28), minimum=3)
    assert busy == {date(2024, 1, 26): ["board", "launch", "standup"]}


def test_next_event_skips_cancelled(agenda):
    agenda["standup"].cancel(date(2024, 1, 8))
    assert agenda.next_event(date(2024, 1, 5)) == (date(2024, 1, 9), "standup")


def test_duplicate_names_rejected(agenda):
    with pytest.raises(ValueError):
        agenda.add(Event("launch", date(2024, 2, 1)))


def test_one_off_event_is_not_repeated():
    event = Event("launch", date(2024, 1, 26))
    assert event.dates_between(date(2024, 1, 1), date(2024, 12, 31)) == [date(2024, 1, 26)]
    assert event.next_after(date(2024, 1, 26)) is None
