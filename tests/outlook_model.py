"""A model of how Outlook reads a VTIMEZONE: one yearly rule per observance, from the STANDARD and
the DAYLIGHT block with the latest DTSTART ([MS-OXCICAL] 2.1.3.1.1.19, [MS-STANOICAL] 2.2.47).
Outlook itself cannot run here; feeds and invitations are checked against this model."""

from __future__ import annotations

from datetime import date, datetime, timedelta

_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def _outlook_rule(block) -> tuple[int, int, int, "object"]:
    """(month, week, weekday, wall time) as Outlook keeps an observance ([MS-OXCICAL] 2.1.3.1.1.19,
    [MS-STANOICAL] 2.2.47): its RRULE, or without one the weekday occurrence of its DTSTART
    ("4th Sunday" even when that is the month's last)."""
    start = block["DTSTART"].dt
    if "RRULE" in block:
        rule = block["RRULE"]
        byday = str(rule["BYDAY"][0])
        week, weekday = int(byday[:-2] or 1), _DAYS[byday[-2:]]
        return int(rule["BYMONTH"][0]), week, weekday, start.time()
    return start.month, (start.day - 1) // 7 + 1, start.weekday(), start.time()


def _occurrence(year: int, month: int, week: int, weekday: int) -> date:
    if week in (-1, 5):  # the last such weekday of the month
        following = date(year + (month == 12), month % 12 + 1, 1)
        day = following - timedelta(days=1)
        return day - timedelta(days=(day.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def outlook_offset(vtimezone, local: datetime) -> timedelta:
    """The UTC offset Outlook gives a local time in this zone: one yearly rule per observance,
    from the STANDARD and the DAYLIGHT block with the latest DTSTART."""
    latest = {}
    for kind in ("STANDARD", "DAYLIGHT"):
        blocks = vtimezone.walk(kind)
        if blocks:
            latest[kind] = max(blocks, key=lambda block: block["DTSTART"].dt)
    standard_offset = latest["STANDARD"]["TZOFFSETTO"].td
    if "DAYLIGHT" not in latest:
        return standard_offset
    to_summer, to_winter = (_outlook_rule(latest[kind]) for kind in ("DAYLIGHT", "STANDARD"))
    summer = datetime.combine(_occurrence(local.year, *to_summer[:3]), to_summer[3])
    winter = datetime.combine(_occurrence(local.year, *to_winter[:3]), to_winter[3])
    in_summer = summer <= local < winter if summer < winter else not winter <= local < summer
    return latest["DAYLIGHT"]["TZOFFSETTO"].td if in_summer else standard_offset
