"""Time zones and wall-clock times as organisers write them, made exact."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from motesplats.suggest import did_you_mean


@lru_cache(maxsize=None)
def zone(name: str) -> ZoneInfo | None:
    """The time zone called `name`, or None if there is no such IANA zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def zone_hint(name: str) -> str:
    return did_you_mean(name, available_timezones()) or "use an IANA name such as Europe/Stockholm"


def localize(value: datetime | date, zone_name: str) -> tuple[datetime | None, str]:
    """Make a written time exact in `zone_name`; returns (datetime, "") or (None, why not).

    Times written with an offset keep their instant; wall-clock times that a daylight-saving
    change skips or repeats are refused rather than guessed.
    """
    tz = zone(zone_name)
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tz), ""
    if value.tzinfo is not None:
        return value.astimezone(tz), ""
    first, second = value.replace(tzinfo=tz, fold=0), value.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        if _round_trips(first):
            return None, (f"{value:%Y-%m-%d %H:%M} happens twice in {zone_name} "
                          "(clocks go back that night)")
        return None, f"{value:%Y-%m-%d %H:%M} does not exist in {zone_name} (clocks go forward that night)"
    return first, ""


def _round_trips(moment: datetime) -> bool:
    back = moment.astimezone(timezone.utc).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def day_after(day: date) -> date:
    return day + timedelta(days=1)


def instant(moment: datetime) -> datetime:
    """The moment in UTC, for comparing: Python compares two times of one zone by wall clock,
    which is wrong across the autumn change."""
    return moment.astimezone(timezone.utc)
