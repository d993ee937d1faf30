"""The 3-month deadline of the declaration."""

import calendar
import datetime

DEADLINE_MONTHS = 3


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` (negative: back), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline(jury_date: datetime.date) -> datetime.date:
    return add_months(jury_date, DEADLINE_MONTHS)


def overdue_cutoff(today: datetime.date) -> datetime.date:
    """A jury held before this day is past its deadline today."""
    return add_months(today, -DEADLINE_MONTHS)
