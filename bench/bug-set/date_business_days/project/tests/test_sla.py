from datetime import date

import pytest

from business import BusinessCalendar
from holidays import standard_calendar
from sla import Ticket, breach_report, due_date, is_breached, payment_due, working_days_to_resolve


@pytest.fixture
def cal():
    return BusinessCalendar(standard_calendar())


def test_normal_ticket_gets_five_business_days(cal):
    assert due_date(Ticket("T-1", date(2024, 3, 13)), cal) == date(2024, 3, 20)


def test_ticket_opened_on_weekend_starts_monday(cal):
    assert due_date(Ticket("T-2", date(2024, 3, 16), "urgent"), cal) == date(2024, 3, 19)


def test_high_priority_over_thanksgiving(cal):
    assert due_date(Ticket("T-3", date(2024, 11, 27), "high"), cal) == date(2024, 12, 3)


def test_urgent_ticket_before_christmas_weekend(cal):
    # 25 December 2027 is a Saturday: the office is closed on Friday the 24th
    assert due_date(Ticket("T-4", date(2027, 12, 23), "urgent"), cal) == date(2027, 12, 27)


def test_unknown_priority_rejected():
    with pytest.raises(ValueError):
        Ticket("T-5", date(2024, 1, 2), "critical")


def test_breach_on_deadline_day_is_not_a_breach(cal):
    ticket = Ticket("T-6", date(2024, 3, 13), resolved=date(2024, 3, 20))
    assert not is_breached(ticket, cal, as_of=date(2024, 4, 1))
    late = Ticket("T-7", date(2024, 3, 13), resolved=date(2024, 3, 21))
    assert is_breached(late, cal, as_of=date(2024, 4, 1))


def test_breach_report(cal):
    tickets = [
        Ticket("A", date(2024, 3, 4), "urgent", resolved=date(2024, 3, 5)),
        Ticket("B", date(2024, 3, 4), "urgent", resolved=date(2024, 3, 7)),
        Ticket("C", date(2024, 3, 6), "low"),
        Ticket("D", date(2024, 3, 1), "high"),
    ]
    assert breach_report(tickets, cal, as_of=date(2024, 3, 8)) == {
        "met": ["A"],
        "breached": ["B", "D"],
        "open": ["C"],
    }


def test_payment_due_net_30(cal):
    assert payment_due(date(2024, 3, 4), 30, cal) == date(2024, 4, 3)


def test_payment_due_moves_back_at_month_end(cal):
    assert payment_due(date(2024, 8, 1), 30, cal) == date(2024, 8, 30)


def test_payment_due_on_friday_before_independence_day(cal):
    assert payment_due(date(2026, 6, 3), 30, cal) == date(2026, 7, 6)


def test_working_days_to_resolve(cal):
    ticket = Ticket("E", date(2024, 3, 15), resolved=date(2024, 3, 20))
    assert working_days_to_resolve(ticket, cal) == 3
    same_day = Ticket("F", date(2024, 3, 16), resolved=date(2024, 3, 16))
    assert working_days_to_resolve(same_day, cal) == 0
