"""The only place that writes iCalendar text (RFC 5545): quoting, escaping, folding, CRLF.

Components are assembled with the `ics` package; its text output falls short of the RFC in ways
subscribers notice (no line folding, parameter values escaped with backslashes instead of quoted,
no DTSTAMP unless `created` is set, no final CRLF), so this module writes ics's content lines
itself. It also writes the VTIMEZONE components that TZID-qualified times need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from ics.grammar.parse import Container, ContentLine

FOLD_AT = 75  # octets per line, CRLF not counted (RFC 5545, 3.1)
_NEEDS_QUOTES = set(',;:')
_PARAM_UNSAFE = {**{code: " " for code in (*range(32), 127)}, ord('"'): "'"}


_CONTROL = {code: None for code in (*range(0, 9), *range(11, 32), 127)}  # all but TAB and LF


def clean_text(text: str) -> str:
    """Text as iCalendar TEXT can carry it: line breaks as \\n, no other control characters."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)


def text_value(text: str) -> str:
    """Escape a TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and line breaks."""
    return clean_text(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value, quoted when it holds , ; or : (RFC 5545, 3.2).

    Double quotes cannot appear inside a parameter value, and control characters are not
    allowed; both become plain characters that keep the meaning readable.
    """
    value = value.translate(_PARAM_UNSAFE)
    return f'"{value}"' if _NEEDS_QUOTES & set(value) else value


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form: 20180517T073000Z."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def local_time(moment: datetime) -> tuple[str, dict[str, list[str]]]:
    """A DATE-TIME with TZID: the wall-clock value and the TZID parameter."""
    return moment.strftime("%Y%m%dT%H%M%S"), {"TZID": [moment.tzinfo.key]}


def date_value(day: date) -> tuple[str, dict[str, list[str]]]:
    return day.strftime("%Y%m%d"), {"VALUE": ["DATE"]}


def duration_value(delta: timedelta) -> str:
    """A DURATION such as -PT1H or -P1D (RFC 5545, 3.3.6), negative for 'before'."""
    seconds = int(abs(delta.total_seconds()))
    sign = "-" if delta.total_seconds() < 0 else ""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days and not rest and not hours and not minutes:
        return f"{sign}P{days // 7}W" if days % 7 == 0 else f"{sign}P{days}D"
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (f"{seconds}S" if seconds else "")
    return f"{sign}P{f'{days}D' if days else ''}T{clock or '0S'}"


def serialize(component: Container, serialized: Iterable[str] = ()) -> str:
    """A component and everything in it as RFC 5545 text: folded lines, each ending in CRLF.

    `serialized` are sub-components already in text form (written once, shared by many feeds),
    placed after the component's own properties and sub-components.
    """
    return "".join(_lines(component, serialized))


def _lines(component: Container, serialized: Iterable[str] = ()) -> Iterable[str]:
    yield f"BEGIN:{component.name}\r\n"
    for item in component:
        if isinstance(item, Container):
            yield from _lines(item)
        else:
            yield fold(_unfolded(item)) + "\r\n"
    yield from serialized
    yield f"END:{component.name}\r\n"


_NOT_VALUE_CHARS = {code: None for code in (*range(0, 9), *range(10, 32), 127)}  # RFC 5545 VALUE-CHAR: all but TAB
_HAS_NOT_VALUE_CHARS = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _unfolded(line: ContentLine) -> str:
    params = "".join(f";{name}={','.join(param_value(_unescape(v)) for v in values)}"
                     for name, values in line.params.items())
    # Whatever a value holds, no line break reaches the file: one could end this property and
    # write properties (or whole entries) of its own. TEXT values come escaped already.
    value = line.value
    if _HAS_NOT_VALUE_CHARS.search(value):  # rare: translating every value would cost a tenth of a feed
        value = value.translate(_NOT_VALUE_CHARS)
    return f"{line.name}{params}:{value}"


def _unescape(value: str) -> str:
    """Undo the backslash escaping ics applies to parameter values, which RFC 5545 does not use."""
    return value.replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def fold(line: str) -> str:
    """Fold a line at 75 octets without splitting a UTF-8 character (RFC 5545, 3.1)."""
    data = line.encode("utf-8")
    if len(data) <= FOLD_AT:
        return line
    parts, start, limit = [], 0, FOLD_AT
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # never cut inside a character: back up to its first byte
            end -= 1
        parts.append(data[start:end])
        start, limit = end, FOLD_AT - 1  # continuation lines start with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8")


@lru_cache(maxsize=None)
def vtimezone(zone_name: str, first_year: int, last_year: int) -> Container:
    """A VTIMEZONE for `zone_name` that is right for every day from first_year to last_year.

    Written as Outlook, Google and Apple write them: one STANDARD and one DAYLIGHT observance,
    each with a yearly RRULE, when the zone's changes follow one rule over those years (all of
    Europe since 1996, North America since 2007). Outlook keeps only one rule per observance (the
    one with the latest DTSTART, [MS-OXCICAL] 2.1.3.1.1.19) and reads a rule without RRULE as
    "the nth weekday" of its DTSTART, so a block per change would end summer time a week early
    in years with five October Sundays. Where the rules changed within the years (or a zone
    moved its offset for good) no yearly rule is right, and each change is written as its own
    observance: exact for readers that follow RFC 5545, the best Outlook can be given.
    """
    tz = ZoneInfo(zone_name)
    # From the year before, so that the observance in force on 1 January of first_year is included.
    start = datetime(first_year - 1, 1, 1, tzinfo=timezone.utc)
    end = datetime(last_year + 1, 1, 1, tzinfo=timezone.utc)
    component = Container("VTIMEZONE", ContentLine("TZID", {}, zone_name))
    transitions = list(_transitions(tz, start, end))
    if not transitions:  # a zone without changes in these years: one STANDARD from the start
        offset = start.astimezone(tz).utcoffset()
        transitions = [(start.astimezone(tz).replace(tzinfo=None), offset, offset, start.astimezone(tz))]
    rules = _yearly_rules(transitions, range(first_year - 1, last_year + 1))
    if rules is not None:
        for (local_start, before, after, moment), rule in rules:
            component.append(_observance(zone_name, local_start, before, after, moment,
                                         ContentLine("RRULE", {}, rule)))
        return component
    for local_start, before, after, moment in transitions:
        component.append(_observance(zone_name, local_start, before, after, moment))
    return component


def _observance(zone_name: str, local_start: datetime, before: timedelta, after: timedelta, moment: datetime,
                *extra: ContentLine) -> Container:
    return Container(
        "DAYLIGHT" if moment.dst() else "STANDARD",
        ContentLine("DTSTART", {}, local_start.strftime("%Y%m%dT%H%M%S")),
        *extra,
        ContentLine("TZOFFSETFROM", {}, _offset(before)),
        ContentLine("TZOFFSETTO", {}, _offset(after)),
        ContentLine("TZNAME", {}, text_value(moment.tzname() or zone_name)),
    )


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _yearly_rules(transitions: list, years: range) -> list | None:
    """[(first change, RRULE value)] for summer and winter time, when both follow one yearly rule
    through `years` (the same month, weekday, week, wall time and offsets each year); else None."""
    by_kind: dict[bool, list] = {True: [], False: []}
    for change in transitions:
        by_kind[bool(change[3].dst())].append(change)
    if any(len(changes) != len(years) for changes in by_kind.values()):
        return None  # no summer time, or a year without (or with two) changes
    found = []
    for changes in by_kind.values():
        shapes = {(local.month, local.weekday(), local.time(), before, after, moment.tzname())
                  for local, before, after, moment in changes}
        if len(shapes) != 1 or [local.year for local, *_ in changes] != list(years):
            return None
        month, weekday = changes[0][0].month, changes[0][0].weekday()
        if all(_is_last_week(local) for local, *_ in changes):
            week = -1
        else:
            weeks = {(local.day - 1) // 7 + 1 for local, *_ in changes}
            if len(weeks) != 1:
                return None
            week = weeks.pop()
        found.append((changes[0], f"FREQ=YEARLY;BYMONTH={month};BYDAY={week}{_WEEKDAYS[weekday]}"))
    return sorted(found, key=lambda item: item[0][0])


def _is_last_week(local: datetime) -> bool:
    return (local + timedelta(days=7)).month != local.month


def _transitions(tz: ZoneInfo, start: datetime, end: datetime):
    """(local wall time at the change, offset before, offset after, aware moment) for each change."""
    moment, offset = start, start.astimezone(tz).utcoffset()
    while moment < end:
        following = moment + timedelta(days=1)
        if following.astimezone(tz).utcoffset() != offset:
            moment = _first_moment_with_new_offset(tz, moment, following, offset)
            new_offset = moment.astimezone(tz).utcoffset()
            # The observance starts at the wall-clock time in the offset that was in force before.
            yield (moment + offset).replace(tzinfo=None), offset, new_offset, moment.astimezone(tz)
            offset = new_offset
        else:
            moment = following


def _first_moment_with_new_offset(tz: ZoneInfo, before: datetime, after: datetime,
                                  offset: timedelta) -> datetime:
    """Bisect to the second at which the offset stops being `offset`."""
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        if middle.astimezone(tz).utcoffset() == offset:
            before = middle
        else:
            after = middle
    return after.replace(microsecond=0)


def _offset(delta: timedelta) -> str:
    total = int(delta.total_seconds())
    sign = "+" if total >= 0 else "-"
    hours, rest = divmod(abs(total), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")
