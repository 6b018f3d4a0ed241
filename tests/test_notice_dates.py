"""The notice of adjustment's dates on the real Swedish calendar, and `check`'s warnings about
minutes adjusted or posted late."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import before_sealing

from motesplats.problems import Severity
from motesplats.records.notice_dates import (
    appeal_period, is_closed, latest_adjustment, latest_posting, next_weekday_if_closed, swedish_holidays,
    notice_comes_down, taken_down,
)
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace

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


# --- warnings in check -------------------------------------------------------------------------

BOARD_EVENTS = "events/styrelsemoten-2018.toml"
AFTER_THE_YEAR = date(2021, 1, 1)


@pytest.fixture
def example_files(example_files: Path) -> Path:
    """The example before its minutes were sealed: these tests change what its records hold."""
    return before_sealing(example_files)


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, relative: str, fragment: str) -> int:
    lines = (root / relative).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if fragment in line)


def warnings(root: Path) -> list[str]:
    checked = check_workspace(open_workspace(root), today=AFTER_THE_YEAR)
    assert not checked.errors, checked.errors
    assert all(p.severity is Severity.WARNING for p in checked.warnings)
    return [str(p) for p in checked.warnings]


def test_the_example_posts_on_the_monday_after_a_friday_adjustment(example_files):
    """The board's March minutes are adjusted on a Friday and posted on the Monday, three days
    later: the second day is a Sunday, so lag 1930:173 allows the Monday; no warning."""
    assert warnings(example_files) == []


def test_a_notice_posted_late_is_a_warning_at_the_minutes(example_files):
    edit(example_files, BOARD_EVENTS, "posted = 2018-03-26", "posted = 2018-03-27")
    line = line_of(example_files, BOARD_EVENTS, "[event.minutes]")
    assert warnings(example_files) == [
        f"{BOARD_EVENTS}:{line}: warning: the notice of adjustment was posted 4 days after the adjustment; "
        "KL 8 kap. 12 § wants it by the second day after, here 2018-03-26; check the date; if it is right, the "
        "notice was posted late (the appeal period runs from the posting all the same)"]


def test_minutes_adjusted_after_easter_are_within_the_law_s_limit(example_files):
    """The board met on 16 March 2018; the fourteenth day after is Good Friday, so the limit runs
    to the Tuesday after Easter, and one day more is late."""
    edit(example_files, BOARD_EVENTS, "adjusted = 2018-03-23\nadjusted_place = \"Mälardalsrådets kansli, "
         "Stockholm\"\nposted = 2018-03-26", "adjusted = 2018-04-03\nadjusted_place = \"Mälardalsrådets "
         "kansli, Stockholm\"\nposted = 2018-04-04")
    assert warnings(example_files) == []
    edit(example_files, BOARD_EVENTS, "adjusted = 2018-04-03", "adjusted = 2018-04-04")
    line = line_of(example_files, BOARD_EVENTS, "[event.minutes]")
    assert warnings(example_files) == [
        f"{BOARD_EVENTS}:{line}: warning: the minutes of styrelsemote-2018-03-16 were adjusted 19 days after "
        "the meeting; the organ's limit is 14 days, so the last day was 2018-04-03; check the date; if it "
        "is right, the minutes were adjusted late"]


def test_the_organ_s_own_adjustment_limit(example_files):
    """The board adjusts its 16 March minutes on the 23rd: within seven days, but not six."""
    edit(example_files, "events/rosters.toml", 'deputies = "personal"\n',
         'deputies = "personal"\nadjustment_limit = "7 days"\n')
    assert warnings(example_files) == []
    edit(example_files, "events/rosters.toml", 'adjustment_limit = "7 days"', 'adjustment_limit = "6 days"')
    found = warnings(example_files)
    assert len(found) == 1
    assert "styrelsemote-2018-03-16 were adjusted 7 days after the meeting; the organ's limit is 6 days" in found[0]


@pytest.mark.parametrize("posted, posting, comes_down", [
    (date(2018, 3, 26), timedelta(weeks=3), date(2018, 4, 17)),  # the day after the last day to appeal
    (date(2018, 12, 3), timedelta(weeks=3), date(2018, 12, 28)),  # the appeal runs past julafton to the 27th
    (date(2018, 3, 26), timedelta(weeks=4), date(2018, 4, 23)),  # an organ that posts longer than the law
    (date(2018, 3, 26), timedelta(weeks=1), date(2018, 4, 17)),  # never before the appeal period is over
])
def test_a_notice_comes_down_after_the_organ_s_period_and_never_before_the_appeal_ends(posted, posting, comes_down):
    assert notice_comes_down(posted, posting) == comes_down
