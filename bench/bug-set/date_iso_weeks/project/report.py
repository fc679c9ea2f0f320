"""Weekly hour reports and billing built from timesheets."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from isoweek import IsoWeek, week_range
from timesheet import STANDARD_WEEK, Timesheet

CENT = Decimal("0.01")


def weekly_rows(sheet: Timesheet) -> list[tuple[str, Decimal, Decimal]]:
    """``(week, hours, overtime)`` for every week of the sheet's span.

    Weeks without entries are listed with zero hours so gaps are visible.
    """
    span = sheet.span()
    if span is None:
        return []
    totals = sheet.by_week()
    rows = []
    for week in week_range(*span):
        hours = totals.get(week, Decimal("0"))
        rows.append((str(week), hours, max(hours - STANDARD_WEEK, Decimal("0"))))
    return rows


def render(sheet: Timesheet) -> str:
    """Plain-text report, one line per week."""
    lines = [f"Hours for {sheet.person}"]
    for week, hours, overtime in weekly_rows(sheet):
        line = f"{week}  {hours:>6} h"
        if overtime:
            line += f"  (+{overtime} overtime)"
        lines.append(line)
    return "\n".join(lines)


def invoice_week(sheet: Timesheet, week: IsoWeek, rates: dict[str, Decimal]) -> dict[str, Decimal]:
    """Amount per project for ``week`` at the given hourly rates, rounded to cents."""
    hours = sheet.by_week_and_project().get(week, {})
    missing = sorted(set(hours) - set(rates))
    if missing:
        raise KeyError(f"no rate for {', '.join(missing)}")
    return {project: (h * rates[project]).quantize(CENT, rounding=ROUND_HALF_UP) for project, h in hours.items()}


def average_week(sheet: Timesheet) -> Decimal:
    """Mean hours over the sheet's span, counting empty weeks."""
    rows = weekly_rows(sheet)
    if not rows:
        return Decimal("0")
    total = sum((hours for _, hours, _ in rows), Decimal("0"))
    return (total / len(rows)).quantize(CENT, rounding=ROUND_HALF_UP)


def busiest_week(sheet: Timesheet) -> tuple[str, Decimal] | None:
    """The week with most hours; the earliest one on a tie."""
    best = None
    for week, hours, _ in weekly_rows(sheet):
        if best is None or hours > best[1]:
            best = (week, hours)
    return best
