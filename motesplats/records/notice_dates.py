"""The law's dates for the notice of adjusted minutes, on the Swedish calendar.

A council's minutes are adjusted (justerade) within its limit after the meeting, 14 days in law
(KL 5 kap. 69 §); the adjustment is posted on the notice board (anslagstavlan) "senast andra
dagen efter justeringen" (KL 8 kap. 12 §); an appeal (laglighetsprövning) must come in "inom tre
veckor från den dag då det tillkännagavs på anslagstavlan" (KL 13 kap. 5 §), and the notice "får
inte tas bort före utgången av tiden för överklagande" (KL 8 kap. 12 §). Lag (1930:173) om
beräkning av lagstadgad tid moves the last day of each of these periods: "infaller sista dagen å
lördag, söndag eller annan allmän helgdag, midsommarafton, julafton eller nyårsafton, må åtgärden
vidtagas å nästa söckendag". Its words cover every action the law wants "före eller senast viss
dag eller inom viss tid", so the adjustment and the posting are moved like the appeal.

Pure functions of dates: the notice board, its feeds and `check` share them.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

HOLIDAY_CATEGORIES = ("public", "de_facto")  # de facto: midsommarafton, julafton, nyårsafton
APPEAL_PERIOD = timedelta(weeks=3)  # KL 13 kap. 5 §
POSTING_WITHIN = timedelta(days=2)  # KL 8 kap. 12 §: senast andra dagen efter justeringen
ADJUSTMENT_LIMIT = timedelta(days=14)  # KL 5 kap. 69 §


@lru_cache(maxsize=None)
def swedish_holidays(year: int) -> holidays.HolidayBase:
    """Sweden's public holidays and the de facto ones (the three aftnar) of `year`, named in
    Swedish; Sundays only where they are holidays in their own right (påskdagen, pingstdagen)."""
    return holidays.country_holidays("SE", years=year, language="sv", categories=HOLIDAY_CATEGORIES)


def is_closed(day: date) -> bool:
    """A day on which lag 1930:173 lets a period's last day pass: Saturday, Sunday, a public
    holiday, midsommarafton, julafton or nyårsafton."""
    return day.weekday() >= 5 or day in swedish_holidays(day.year)


def next_weekday_if_closed(day: date) -> date:
    """`day`, or when it is closed, the next day that is not (nästa söckendag, lag 1930:173)."""
    while is_closed(day):
        day += timedelta(days=1)
    return day


def latest_adjustment(meeting_day: date, limit: timedelta = ADJUSTMENT_LIMIT) -> date:
    """The last day the minutes of a meeting held on `meeting_day` may be adjusted."""
    return next_weekday_if_closed(meeting_day + limit)


def latest_posting(adjusted: date) -> date:
    """The last day the adjustment may be posted: the second day after it, moved past a closed day."""
    return next_weekday_if_closed(adjusted + POSTING_WITHIN)


def appeal_period(posted: date) -> tuple[date, date]:
    """The first and last day to appeal a decision whose adjustment was posted on `posted`: three
    weeks from the posting end on the same weekday three weeks later, moved past a closed day."""
    return posted, next_weekday_if_closed(posted + APPEAL_PERIOD)


def taken_down(posted: date) -> date:
    """The day the notice may come down: the day after the last day to appeal."""
    return appeal_period(posted)[1] + timedelta(days=1)


def notice_comes_down(posted: date, posting: timedelta = APPEAL_PERIOD) -> date:
    """The day a notice of adjustment posted on `posted` comes down: after the organ's `posting`
    period, and never before the day after the last day to appeal (KL 8 kap. 12 §)."""
    return max(posted + posting, taken_down(posted))
