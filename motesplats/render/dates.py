"""Dates and times in the reader's language: 'torsdag 17 maj 2018', 'jeudi 17 mai 2018'."""

from __future__ import annotations

from datetime import date, datetime

import arrow


def long_day(day: date | datetime, language: str) -> str:
    """Weekday, day, month and year: 'torsdag 17 maj 2018', 'Thursday 17 May 2018'."""
    return arrow.get(day).format("dddd D MMMM YYYY", locale=language)


def plain_day(day: date | datetime, language: str) -> str:
    """Day, month and year, as a notice states a date: '26 mars 2018', '26 March 2018'."""
    return arrow.get(day).format("D MMMM YYYY", locale=language)


def short_day(day: date | datetime, language: str) -> str:
    """Abbreviated weekday, day and month: 'tor 17 maj'."""
    return arrow.get(day).format("ddd D MMM", locale=language)


def clock(moment: datetime) -> str:
    """24-hour time: '09:30'."""
    return f"{moment:%H:%M}"


def day_span(first: date, last: date, language: str) -> str:
    """'torsdag 17 maj 2018' or 'torsdag 17 maj – fredag 18 maj 2018'."""
    if first == last:
        return long_day(first, language)
    if first.year == last.year:
        start = arrow.get(first).format("dddd D MMMM", locale=language)
        return f"{start} – {long_day(last, language)}"
    return f"{long_day(first, language)} – {long_day(last, language)}"
