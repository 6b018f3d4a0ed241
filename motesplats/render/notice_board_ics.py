"""The notice board as an iCalendar feed (RFC 5545, build/notice-board/notices.ics): one all-day
entry per notice that has gone up, from the day it was posted to the day it comes down, so that
a subscriber sees in their calendar how long each may be appealed. Written with the project's
iCalendar layer, like every other feed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ics.grammar.parse import Container, ContentLine

from motesplats.render import icalendar_text as ical
from motesplats.render.feed_entries import Entry
from motesplats.render.feeds import PRODID, vevent_text
from motesplats.render.labels import label
from motesplats.render.notices import CALENDAR, FOLDER, Board, Notice, heading, stated


def render(board: Board, base_url: str, time_zone: str, domain: str, day: date) -> bytes:
    """The feed on the build's `day`; each entry's UID is the notice's id under the workspace's `domain`."""
    name = f"{label('notice board', board.language)} – {board.organisation}"
    header = Container("VCALENDAR", *[
        ContentLine("VERSION", {}, "2.0"), ContentLine("PRODID", {}, ical.text_value(PRODID)),
        ContentLine("CALSCALE", {}, "GREGORIAN"), ContentLine("NAME", {}, ical.text_value(name)),
        ContentLine("X-WR-CALNAME", {}, ical.text_value(name)), ContentLine("X-WR-TIMEZONE", {}, time_zone),
        ContentLine("SOURCE", {"VALUE": ["URI"]}, f"{base_url}/{CALENDAR}"),
        ContentLine("URL", {"VALUE": ["URI"]}, f"{base_url}/{FOLDER}/")])
    zone = ZoneInfo(time_zone)
    entries = [_vevent(notice, board.language, base_url, domain, zone) for notice in board.notices]
    # As in every other feed, the workspace's zone is always there (X-WR-TIMEZONE names it): a
    # calendar needs at least one component (RFC 5545, 3.6) even before any notice has gone up.
    years = [shown.year for notice in board.notices for shown in (notice.up, notice.down)] or [day.year]
    zone_text = ical.serialize(ical.vtimezone(time_zone, min(years), max(years)))
    return ical.serialize(header, [zone_text, *entries]).encode("utf-8")


def _vevent(notice: Notice, language: str, base_url: str, domain: str, zone: ZoneInfo) -> str:
    links = [f"{base_url}/{path}" for path in (notice.notice_pdf, notice.minutes_pdf) if path]
    entry = Entry(uid=f"notice-board.{notice.id}@{domain}", summary=heading(notice, language), start=notice.up,
                  end=notice.down + timedelta(days=1), status="CONFIRMED",
                  description="\n".join(f"{key}: {value}" for key, value in stated(notice, language)),
                  location=notice.place if notice.kind == "announcement" else notice.kept_at,
                  url=f"{base_url}/{FOLDER}/#{notice.id}", attachments=tuple(links))
    # Stamped with the day it was posted: a notice never changes once up, so its entry stays the same bytes.
    stamp = ical.utc_stamp(datetime.combine(notice.up, time(), zone))
    return vevent_text(entry, 0, stamp, ())
