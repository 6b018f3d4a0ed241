"""The notice of adjustment's dates on the real Swedish calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motesplats.records.notice_dates import (
    appeal_period, is_closed, latest_adjustment, latest_posting, next_weekday_if_closed, swedish_holidays,
    taken_down,
)

# --- the calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize("day, name", [
    (date(2018, 1, 6), "Trettondedag jul"),
    (date(2018, 3, 30), "Långfredagen"),
    (date(2018, 4, 1), "Påskdagen"),
    (date(2018, 4, 2), "Annandag påsk"),
    (date(2018, 5, 1), "Första maj"),
    (date(2018, 5, 10), "Kristi himmelsfärdsdag"),
    (date(2018, 6, 6), "Nationaldagen"),
    (date(2018, 6, 22), "Midsommarafton"),
    (date(2018, 6, 23), "Midsommardagen"),
    (date(2018, 11, 3), "Alla helgons dag"),
    (date(2018, 12, 24), "Julafton"),
    (date(2018, 12, 25), "Juldagen"),
    (date(2018, 12, 26), "Annandag jul"),
    (date(2018, 12, 31), "Nyårsafton"),
    (date(2019, 1, 1), "Nyårsdagen"),
])
def test_the_calendar_knows_the_holidays_and_the_three_aftnar(day, name):
    assert swedish_holidays(day.year)[day] == name
    assert is_closed(day)


def test_an_ordinary_sunday_is_closed_but_not_a_holiday():
    """Sundays are closed under lag 1930:173, but the holiday calendar (which also warns about
    events on holidays) lists only the Sundays that are holidays in their own right."""
    sunday = date(2018, 3, 25)
    assert sunday not in swedish_holidays(2018)
    assert is_closed(sunday) and is_closed(sunday - timedelta(days=1))


@pytest.mark.parametrize("day", [date(2018, 3, 29), date(2018, 11, 2), date(2018, 12, 27), date(2018, 6, 21)])
def test_a_weekday_next_to_a_holiday_is_open(day):
    """Skärtorsdagen, the Friday before alla helgons dag, the day after annandag jul and the day
    before midsommarafton are ordinary working days."""
    assert not is_closed(day)
    assert next_weekday_if_closed(day) == day


@pytest.mark.parametrize("day, next_open", [
    (date(2018, 3, 25), date(2018, 3, 26)),   # a Sunday
    (date(2018, 3, 24), date(2018, 3, 26)),   # a Saturday
    (date(2018, 3, 30), date(2018, 4, 3)),    # Good Friday: past Easter Day and Easter Monday
    (date(2018, 5, 10), date(2018, 5, 11)),   # Ascension Day
    (date(2018, 5, 1), date(2018, 5, 2)),     # May Day
    (date(2018, 6, 6), date(2018, 6, 7)),     # National Day
    (date(2018, 6, 22), date(2018, 6, 25)),   # midsommarafton, midsommardagen, a Sunday
    (date(2018, 11, 3), date(2018, 11, 5)),   # Alla helgons dag, a Saturday
    (date(2018, 12, 24), date(2018, 12, 27)),  # julafton, juldagen, annandag jul
    (date(2018, 12, 31), date(2019, 1, 2)),   # nyårsafton, nyårsdagen
    (date(2020, 1, 6), date(2020, 1, 7)),     # trettondedag jul on a Monday
])
def test_a_closed_day_moves_to_the_next_weekday(day, next_open):
    assert next_weekday_if_closed(day) == next_open


# --- the law's periods -------------------------------------------------------------------------


@pytest.mark.parametrize("posted, last_day", [
    (date(2018, 3, 26), date(2018, 4, 16)),   # the example's board meeting: a Monday to a Monday
    (date(2018, 3, 4), date(2018, 3, 26)),    # posted on a Sunday: ends on a Sunday, runs to Monday
    (date(2018, 3, 9), date(2018, 4, 3)),     # ends on Good Friday: runs past Easter to Tuesday
    (date(2018, 4, 19), date(2018, 5, 11)),   # ends on Ascension Day
    (date(2018, 5, 16), date(2018, 6, 7)),    # ends on National Day
    (date(2018, 6, 1), date(2018, 6, 25)),    # ends on midsommarafton
    (date(2018, 12, 3), date(2018, 12, 27)),  # ends on julafton
    (date(2018, 12, 10), date(2019, 1, 2)),   # ends on nyårsafton
    (date(2019, 12, 16), date(2020, 1, 7)),   # ends on trettondedag jul
])
def test_the_appeal_period_is_three_weeks_from_the_posting(posted, last_day):
    assert appeal_period(posted) == (posted, last_day)
    assert taken_down(posted) == last_day + timedelta(days=1)


@pytest.mark.parametrize("adjusted, last_posting", [
    (date(2018, 3, 13), date(2018, 3, 15)),   # a Tuesday: by Thursday
    (date(2018, 3, 23), date(2018, 3, 26)),   # a Friday: Sunday, so Monday (the example's board)
    (date(2018, 5, 25), date(2018, 5, 28)),   # the example's council: Friday to Monday
    (date(2018, 3, 28), date(2018, 4, 3)),    # Good Friday and Easter
    (date(2018, 6, 20), date(2018, 6, 25)),   # midsommarafton
    (date(2018, 12, 22), date(2018, 12, 27)),  # julafton
    (date(2018, 12, 29), date(2019, 1, 2)),   # a Monday that is nyårsafton, then nyårsdagen
])
def test_the_adjustment_is_posted_by_the_second_day_after_it(adjusted, last_posting):
    assert latest_posting(adjusted) == last_posting


@pytest.mark.parametrize("meeting_day, limit, last", [
    (date(2018, 3, 16), timedelta(days=14), date(2018, 4, 3)),   # 30 March is Good Friday
    (date(2018, 6, 13), timedelta(days=14), date(2018, 6, 27)),
    (date(2018, 12, 10), timedelta(days=14), date(2018, 12, 27)),  # julafton
    (date(2018, 3, 16), timedelta(days=7), date(2018, 3, 23)),
    (date(2018, 3, 17), timedelta(days=7), date(2018, 3, 26)),   # a Saturday
])
def test_the_last_day_to_adjust(meeting_day, limit, last):
    assert latest_adjustment(meeting_day, limit) == last


def test_the_law_s_limit_is_the_default():
    assert latest_adjustment(date(2018, 3, 16)) == latest_adjustment(date(2018, 3, 16), timedelta(days=14))
