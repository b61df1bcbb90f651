"""Calendar arithmetic on inclusive spans of days: months, quarters, weeks, shifts."""
from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta

Span = tuple[date, date]


def month_end(year: int, month: int) -> date:
    """The last day of a month: (2024, 2) -> 2024-02-29."""
    return date(year, month, _calendar.monthrange(year, month)[1])


def month_span(year: int, month: int) -> Span:
    """The days of a month: (2023, 9) -> 2023-09-01..2023-09-30."""
    return date(year, month, 1), month_end(year, month)


def months_span(year: int, first: int, last: int) -> Span:
    """Months `first`..`last` of a year: (2023, 1, 9) -> 2023-01-01..2023-09-30."""
    return date(year, first, 1), month_end(year, last)


def year_span(year: int) -> Span:
    """The days of a year."""
    return date(year, 1, 1), date(year, 12, 31)


def quarter_of(day: date) -> int:
    """1..4: the quarter a day falls in."""
    return (day.month - 1) // 3 + 1


def quarter_span(year: int, quarter: int) -> Span:
    """The days of a quarter: (2024, 1) -> 2024-01-01..2024-03-31."""
    return months_span(year, 3 * quarter - 2, 3 * quarter)


def half_span(year: int, half: int) -> Span:
    """The days of a half-year: (2024, 2) -> 2024-07-01..2024-12-31."""
    return months_span(year, 6 * half - 5, 6 * half)


def week_span(day: date) -> Span:
    """Monday to Sunday of the week of `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    """(year, month) moved by `count` months: (2023, 11, 3) -> (2024, 2)."""
    index = year * 12 + month - 1 + count
    return index // 12, index % 12 + 1


def shift(day: date, count: int, unit: str) -> date:
    """`day` moved by `count` units D, W, M or Y; a month end stays in its month."""
    if unit == "D":
        return day + timedelta(days=count)
    if unit == "W":
        return day + timedelta(weeks=count)
    months = count if unit == "M" else 12 * count
    year, month = add_months(day.year, day.month, months)
    return date(year, month, min(day.day, month_end(year, month).day))


def weekday_on_or_before(day: date, weekday: int) -> date:
    """The last `weekday` (0 = Monday) on or before `day`."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def weekday_on_or_after(day: date, weekday: int) -> date:
    """The first `weekday` (0 = Monday) on or after `day`."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)
