"""The notice board as an Atom feed (RFC 4287, build/notice-board/notices.atom): one entry per
notice that has gone up, its id the notice's address on the board's page (stable for as long as
the notice exists), updated the day it was posted."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from xml.etree.ElementTree import Element, SubElement, tostring
from zoneinfo import ZoneInfo

from motesplats.render.labels import label
from motesplats.render.notices import ATOM, FOLDER, Board, Notice, heading, stated

NAMESPACE = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # no XML 1.0 document may hold these


def render(board: Board, base_url: str, time_zone: str, today: date) -> bytes:
    """The feed; with no notice yet, updated `today`."""
    zone = ZoneInfo(time_zone)
    page = f"{base_url}/{FOLDER}/"
    notices = board.notices
    feed = Element("feed", {"xmlns": NAMESPACE, "xml:lang": board.language})
    SubElement(feed, "id").text = page
    SubElement(feed, "title").text = _NOT_XML.sub("", f"{label('notice board', board.language)} – {board.organisation}")
    SubElement(feed, "updated").text = _moment(max((n.up for n in notices), default=today), zone)
    SubElement(SubElement(feed, "author"), "name").text = board.organisation
    SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": f"{base_url}/{ATOM}"})
    SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": page})
    for notice in notices:
        _entry(feed, notice, board.language, base_url, page, zone)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"


def _entry(feed: Element, notice: Notice, language: str, base_url: str, page: str, zone: ZoneInfo) -> None:
    entry = SubElement(feed, "entry")
    SubElement(entry, "id").text = f"{page}#{notice.id}"
    SubElement(entry, "title").text = _NOT_XML.sub("", heading(notice, language))
    SubElement(entry, "updated").text = SubElement(entry, "published").text = _moment(notice.up, zone)
    SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": f"{page}#{notice.id}"})
    for path in (notice.notice_pdf, notice.minutes_pdf):
        if path:
            SubElement(entry, "link", {"rel": "related", "type": "application/pdf", "href": f"{base_url}/{path}"})
    text = "\n".join(f"{key}: {value}" for key, value in stated(notice, language))
    SubElement(entry, "content", {"type": "text"}).text = _NOT_XML.sub("", text)


def _moment(day: date, zone: ZoneInfo) -> str:
    """The start of `day` where the workspace is, as RFC 3339: '2018-06-14T00:00:00+02:00'."""
    return datetime.combine(day, time(), zone).isoformat()
