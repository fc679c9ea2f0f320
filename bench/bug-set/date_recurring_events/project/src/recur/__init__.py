"""Recurring events on whole days, with a subset of iCalendar RRULE syntax."""

from recur.agenda import Agenda, Event
from recur.expand import between, matches, occurrences
from recur.rules import Freq, Rule, parse_rrule

__all__ = ["Agenda", "Event", "Freq", "Rule", "between", "matches", "occurrences", "parse_rrule"]
