"""Titles of any length through every renderer that draws one: below `check` (which limits them),
on the example plan with every title made ~935 characters long. Headings wrap and go on over
pages; what repeats a title in a fixed box (a running header, a badge, a table card) is shortened
with an ellipsis and stays readable; nothing crashes or shrinks to a smudge."""

from __future__ import annotations

import dataclasses
import io
import math
from functools import lru_cache

import pytest
from pypdf import PdfReader

from motesplats import meetings
from motesplats.badge_styles import load_layout
from motesplats.model import Plan, Text
from motesplats.render import badges_pdf, minutes_pdf, programme_pdf, table_cards_pdf, year_wheel, year_wheel_pdf
from motesplats.render.minutes import build_minutes
from motesplats.render.programme import build_programme
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace
from tests.conftest import REPOSITORY

WORDS = ("Regionalt samarbete om infrastruktur, kollektivtrafik, kompetensförsörjning och bostadsbyggande "
         "i Stockholm-Mälarregionen ")
LONG = (WORDS * 9)[:935].strip()
READABLE = 5.0  # pt: the smallest type anything is drawn in


def _lengthened(value):
    """`value` with every `title` Text in it (events, sessions, agenda items, rosters) made LONG."""
    if isinstance(value, tuple):
        return tuple(_lengthened(item) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for field in dataclasses.fields(value):
        current = getattr(value, field.name)
        if field.name == "title" and isinstance(current, Text):
            changes[field.name] = Text(tuple((language, LONG) for language, _ in current.translations))
        elif isinstance(current, tuple) or dataclasses.is_dataclass(current):
            changes[field.name] = _lengthened(current)
    return dataclasses.replace(value, **changes)


@lru_cache(maxsize=None)
def _plan() -> Plan:
    return _lengthened(check_workspace(open_workspace(REPOSITORY)).plan)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def _sizes(pdf: bytes) -> list[tuple[str, float]]:
    """(text, size in pt) of each piece of text drawn, turned or not."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        def visit(text, cm, tm, font, size):
            if text.strip():
                found.append((text.strip(), size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])))
        page.extract_text(visitor_text=visit)
    return found


def _readable(pdf: bytes) -> None:
    small = [(text[:40], round(size, 2)) for text, size in _sizes(pdf) if abs(size) < READABLE]
    assert not small, small


@pytest.mark.parametrize("event_id", ["malartinget-2018", "styrelsemote-2018-03-16", "signering-ile-de-france-2020"])
def test_a_long_title_wraps_in_the_programme(event_id):
    plan = _plan()
    pdf = programme_pdf.render(build_programme(plan, plan.event(event_id), "sv"))
    assert LONG in _text(pdf)
    headers = [text for text, _ in _sizes(pdf) if text.endswith("…")]
    assert headers, "the running header shortens the title to its line"
    assert all(len(text) < len(LONG) / 3 for text in headers)


def test_a_long_title_wraps_in_the_minutes_and_extracts():
    plan = _plan()
    meeting = next(m for m in meetings.meetings(plan) if m.key == "styrelsemote-2018-03-16")
    document = build_minutes(plan, meeting, "sv")
    for pdf in (minutes_pdf.render_minutes(document), minutes_pdf.render_extract(document, document.paragraphs[0])):
        assert LONG in _text(pdf)
        _readable(pdf)


@pytest.mark.parametrize("layout", ["a4-8up", "a6-lanyard"])
def test_a_badge_shortens_a_long_event_title_and_keeps_the_dates(layout):
    plan = _plan()
    pdf = badges_pdf.render_badges(plan, plan.event("malartinget-2018"), load_layout(layout))
    _readable(pdf)
    assert "17–18 maj 2018" in _text(pdf) and "…" in _text(pdf)


def test_table_cards_shorten_a_long_title_in_their_foot():
    plan = _plan()
    pdf = table_cards_pdf.render_table_cards(plan, plan.event("signering-ile-de-france-2020"))
    _readable(pdf)
    assert "…" in _text(pdf)


def test_the_year_wheel_lists_long_titles_whole():
    plan = _plan()
    pdf = year_wheel_pdf.render(year_wheel.wheel(plan, 2018, "sv", True))
    assert LONG in _text(pdf)
    _readable(pdf)
