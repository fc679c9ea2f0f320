"""Business-day arithmetic over a :class:`holidays.HolidayCalendar`."""

from __future__ import annotations

from datetime import date, timedelta

from holidays import SATURDAY, SUNDAY, HolidayCalendar

ONE_DAY = timedelta(days=1)


class BusinessCalendar:
    """Weekends plus the holidays of a :class:`HolidayCalendar`."""

    def __init__(self, holidays: HolidayCalendar, weekend: tuple[int, ...] = (SATURDAY, SUNDAY)) -> None:
        self.holidays = holidays
        self.weekend = frozenset(weekend)

    def is_business_day(self, d: date) -> bool:
        return d.weekday() not in self.weekend and not self.holidays.is_holiday(d)

    def roll_forward(self, d: date) -> date:
        """``d`` itself when it is a business day, else the next one."""
        while not self.is_business_day(d):
            d += ONE_DAY
        return d

    def roll_backward(self, d: date) -> date:
        """``d`` itself when it is a business day, else the previous one."""
        while not self.is_business_day(d):
            d -= ONE_DAY
        return d

    def modified_following(self, d: date) -> date:
        """Roll forward unless that leaves the month; then roll backward."""
        forward = self.roll_forward(d)
        if forward.month != d.month:
            return self.roll_backward(d)
        return forward

    def add_business_days(self, d: date, n: int) -> date:
        """Move ``n`` business days from ``d`` (the start day is not counted).

        ``n = 0`` rolls a non-business day forward.  Negative ``n`` moves back.
        """
        if n == 0:
            return self.roll_forward(d)
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_business_day(d):
                remaining -= 1
        return d

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in ``[start, end)``; negative when ``end < start``."""
        if end < start:
            return -self.business_days_between(end, start)
        count = 0
        d = start
        while d < end:
            if self.is_business_day(d):
                count += 1
            d += ONE_DAY
        return count

    def business_days_in_month(self, year: int, month: int) -> list[date]:
        d = date(year, month, 1)
        days = []
        while d.month == month:
            if self.is_business_day(d):
                days.append(d)
            d += ONE_DAY
        return days

    def last_business_day_of_month(self, year: int, month: int) -> date:
        return self.business_days_in_month(year, month)[-1]
