"""Support-ticket deadlines and invoice due dates counted in business days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from business import BusinessCalendar

#: Business days allowed to resolve a ticket, by priority.
RESOLUTION_DAYS = {"urgent": 1, "high": 3, "normal": 5, "low": 10}


@dataclass(frozen=True)
class Ticket:
    key: str
    opened: date
    priority: str = "normal"
    resolved: date | None = None

    def __post_init__(self) -> None:
        if self.priority not in RESOLUTION_DAYS:
            raise ValueError(f"unknown priority {self.priority!r}")
        if self.resolved is not None and self.resolved < self.opened:
            raise ValueError("a ticket cannot be resolved before it is opened")


def due_date(ticket: Ticket, calendar: BusinessCalendar) -> date:
    """Last day on which ``ticket`` may be resolved within its SLA.

    A ticket opened on a weekend or holiday counts as opened on the next
    business day.
    """
    start = calendar.roll_forward(ticket.opened)
    return calendar.add_business_days(start, RESOLUTION_DAYS[ticket.priority])


def is_breached(ticket: Ticket, calendar: BusinessCalendar, as_of: date) -> bool:
    """Whether the SLA is broken, judged on ``as_of`` for open tickets."""
    deadline = due_date(ticket, calendar)
    finished = ticket.resolved if ticket.resolved is not None else as_of
    return finished > deadline


def breach_report(tickets: list[Ticket], calendar: BusinessCalendar, as_of: date) -> dict[str, list[str]]:
    """Ticket keys grouped as ``met``, ``breached`` and ``open`` (not yet due)."""
    report: dict[str, list[str]] = {"met": [], "breached": [], "open": []}
    for ticket in tickets:
        if is_breached(ticket, calendar, as_of):
            report["breached"].append(ticket.key)
        elif ticket.resolved is None:
            report["open"].append(ticket.key)
        else:
            report["met"].append(ticket.key)
    return report


def payment_due(invoice_date: date, terms_days: int, calendar: BusinessCalendar) -> date:
    """Due date of an invoice on ``terms_days`` calendar-day terms (net 30).

    The due date moves to the following business day unless that is in the
    next month, in which case it moves back (modified following).
    """
    if terms_days < 0:
        raise ValueError("terms must not be negative")
    return calendar.modified_following(invoice_date + timedelta(days=terms_days))


def working_days_to_resolve(ticket: Ticket, calendar: BusinessCalendar) -> int:
    """Business days from opening to resolution (0 when resolved the same day)."""
    if ticket.resolved is None:
        raise ValueError(f"{ticket.key} is not resolved")
    start = calendar.roll_forward(ticket.opened)
    if ticket.resolved <= start:
        return 0
    return calendar.business_days_between(start, ticket.resolved)
