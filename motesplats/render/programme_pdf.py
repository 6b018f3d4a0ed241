"""The printed programme: a PDF a secretariat can hand out, laid out for each kind of event.

A conference gets a cover, a day-by-day timetable with parallel sessions side by side, the
speaker list, practical information and the agendas of its meetings; a formal meeting gets a
kallelse och föredragningslista with the roster summoned; a political week lists our own
activities; a study trip its itinerary, hotel and contacts; a ceremony its programme in the
event's two languages side by side, as equals.

Everything organisers wrote is escaped before it reaches reportlab's paragraph markup, so data is
printed as written. Text is in the embedded Noto Sans only, and nothing private (participants'
e-mail addresses, booking references) is ever printed: this is a handout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial
from datetime import date, datetime
from itertools import zip_longest
from xml.sax.saxutils import escape

import arrow
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, KeepTogether, NextPageTemplate,
                                PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)

from motesplats import fonts
from motesplats.model import AgendaItem, Person, Session, Venue
from motesplats.render.dates import day_span
from motesplats.render.labels import label
from motesplats.render.pdf_archive import as_pdfa
from motesplats.render.pdf_outline import Marked, PageTotalCanvas, one_line, shrunk_to_fit
from motesplats.render.programme import CHAIR_ROLES, Day, Programme, Slot, Stop

ACCENT = colors.HexColor("#1d4f7c")       # Mälardalsrådet blue
ACCENT_TINT = colors.HexColor("#e8eff6")
ACCENT_SOFT = colors.HexColor("#f4f7fb")
RULE = colors.HexColor("#c9d5e2")
INK = colors.HexColor("#1c1f24")
MUTED = colors.HexColor("#5b6472")
QUIET_KINDS = ("break", "meal", "registration")   # printed lighter: not what people come for


@dataclass(frozen=True)
class Paper:
    """What changes with the paper size: margins, type sizes, how many parallel sessions fit a row."""

    size: tuple[float, float]
    margin: float
    base: float            # body type size in points
    time_width: float
    max_parallel: int


PAPERS = {
    "A4": Paper(A4, 20 * mm, 9.5, 25 * mm, 3),
    "A5": Paper(A5, 12 * mm, 8.0, 22 * mm, 2),
}
UNITS = 12   # timetable content columns: a session spans 9 and its room 3; parallel ones 6 or 4 each


def render(programme: Programme, paper: str = "A4", organisation: str = "") -> bytes:
    """The programme as a PDF on A4 or A5; `organisation` signs it (default: the event's organiser)."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    fonts.register()
    organisation = organisation or (programme.event.organiser.name if programme.event.organiser else "")
    return _build(programme, PAPERS[paper], organisation)


# ---- the document ----

class _NumberedCanvas(PageTotalCanvas):
    """Pages numbered "Sida 2 av 5", in each of the programme's page languages."""

    def __init__(self, *args, layout: "_Layout", **kwargs):
        super().__init__(*args, **kwargs)
        self._layout = layout

    def draw_foot(self, total: int) -> None:
        layout = self._layout
        width, _ = layout.paper.size
        margin = layout.paper.margin
        n = self.getPageNumber()
        page = "   ·   ".join(label("page", language).format(n=n, total=total) for language in layout.page_languages)
        self.saveState()
        self.setFont(fonts.REGULAR, layout.base - 1.5)
        self.setFillColor(MUTED)
        self.drawRightString(width - margin, margin - 2 * mm, page)
        self.restoreState()


class _Document(BaseDocTemplate):
    def __init__(self, buffer, layout: "_Layout", **metadata):
        self.layout = layout
        paper = layout.paper
        super().__init__(buffer, pagesize=paper.size, leftMargin=paper.margin, rightMargin=paper.margin,
                         topMargin=paper.margin + 4 * mm, bottomMargin=paper.margin + 6 * mm,
                         initialFontName=fonts.REGULAR, invariant=1, creator="motesplats", **metadata)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("first", [frame], onPage=self._first_page),
                               PageTemplate("body", [frame], onPage=self._page)])

    def _first_page(self, canv, doc):
        canv.showOutline()
        self._footer(canv)

    def _page(self, canv, doc):
        layout = self.layout
        width, height = layout.paper.size
        margin = layout.paper.margin
        canv.saveState()
        titles = layout.running_titles
        gutter = layout.base * 1.6
        column = (width - 2 * margin - gutter * (len(titles) - 1)) / len(titles)
        for n, title in enumerate(titles):
            header = Paragraph(e(one_line(title, layout.running.fontName, layout.running.fontSize, column)),
                               layout.running)
            header.wrapOn(canv, column, margin)
            header.drawOn(canv, margin + n * (column + gutter), height - margin + 0.5 * mm)
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(0.8)
        canv.line(margin, height - margin - 1 * mm, width - margin, height - margin - 1 * mm)
        canv.restoreState()
        self._footer(canv)

    def _footer(self, canv):
        layout = self.layout
        width, _ = layout.paper.size
        margin = layout.paper.margin
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(margin, margin + 2 * mm, width - margin, margin + 2 * mm)
        canv.setFont(fonts.REGULAR, layout.base - 1.5)
        canv.setFillColor(MUTED)
        canv.drawString(margin, margin - 2 * mm, layout.organisation)
        canv.restoreState()  # the page number is drawn by _NumberedCanvas once the total is known


class _Table(Table):
    """A table whose plain-string cells (the empty ones under a span) use Noto Sans too: reportlab
    would otherwise set Helvetica, and a base-14 font would end up in the PDF. A row goes on to
    the next page whole where it can; one that fits in no page (a very long title in a narrow
    cell) goes on across pages (reportlab splits within a row only when no whole row fits)."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **{"splitInRow": 1, **kw})
        self.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR)]))


def _build(programme: Programme, paper: Paper, organisation: str) -> bytes:
    layout = _Layout(programme, paper, organisation)
    buffer = io.BytesIO()
    kind = programme.event.kind
    subject = layout.word("notice and agenda") if kind == "formal_meeting" else \
        f"{layout.word('programme')} – {label(kind, programme.language)}"
    doc = _Document(buffer, layout, title=programme.title, author=organisation, subject=subject,
                    lang=programme.language, keywords=programme.event.id)
    story = [NextPageTemplate("body"), *LAYOUTS.get(kind, _conference)(layout)]
    doc.build(story, canvasmaker=partial(_NumberedCanvas, layout=layout))
    if kind == "formal_meeting":  # a kallelse is kept with the meeting's record: PDF/A-2b
        return as_pdfa(buffer.getvalue(), title=programme.title, language=programme.language)
    return buffer.getvalue()


# ---- type and small pieces ----

def e(text: str) -> str:
    """Data as paragraph markup: escaped, line breaks kept."""
    return escape(text or "").replace("\n", "<br/>")


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Layout:
    """The styles and helpers of one rendering: one paper size, one programme."""

    def __init__(self, programme: Programme, paper: Paper, organisation: str):
        self.p = programme
        self.paper = paper
        self.organisation = organisation
        self.base = base = paper.base
        self.width = paper.size[0] - 2 * paper.margin
        self.running_titles = (programme.title,)
        self.page_languages = (programme.language,)
        font = fonts.FAMILY

        def style(name, **kw):
            defaults = dict(fontName=font, fontSize=base, leading=base * 1.38, textColor=INK)
            defaults.update(kw)
            return ParagraphStyle(name, **defaults)

        small = base - 1.3
        self.body = style("body", spaceAfter=base * 0.5)
        self.cell = style("cell")
        self.cell_title = style("cell-title", fontName=fonts.BOLD, fontSize=base + 0.5, leading=(base + 0.5) * 1.3)
        self.quiet_title = style("quiet-title", textColor=MUTED)
        self.small = style("small", fontSize=small, leading=small * 1.38, textColor=MUTED)
        self.small_ink = style("small-ink", fontSize=small, leading=small * 1.38)
        self.time_style = style("time", fontName=fonts.BOLD)
        self.header = style("header", fontName=fonts.BOLD, fontSize=small, leading=small * 1.3, textColor=ACCENT)
        self.day = style("day", fontName=fonts.BOLD, fontSize=base + 2, leading=(base + 2) * 1.3,
                         textColor=colors.white)
        self.h1 = style("h1", fontName=fonts.BOLD, fontSize=base * 2.4, leading=base * 2.4 * 1.18, textColor=ACCENT,
                        spaceAfter=base * 0.6)
        self.cover_title = style("cover-title", fontName=fonts.BOLD, fontSize=base * 3, leading=base * 3 * 1.15,
                                 textColor=colors.white)
        self.cover_subtitle = style("cover-subtitle", fontSize=base * 1.45, leading=base * 1.45 * 1.35,
                                    textColor=colors.white)
        self.banner_title = style("banner-title", fontName=fonts.BOLD, fontSize=base * 2.1,
                                  leading=base * 2.1 * 1.18, textColor=colors.white)
        self.banner_subtitle = style("banner-subtitle", fontSize=base * 1.2, leading=base * 1.2 * 1.35,
                                     textColor=colors.white)
        self.kicker = style("kicker", fontName=fonts.BOLD, fontSize=small, leading=small * 1.4,
                            textColor=colors.HexColor("#bcd3ea"))
        self.kicker_dark = style("kicker-dark", fontName=fonts.BOLD, fontSize=small, leading=small * 1.4,
                                 textColor=ACCENT, alignment=TA_RIGHT)
        self.h2 = style("h2", fontName=fonts.BOLD, fontSize=base * 1.6, leading=base * 1.6 * 1.25, textColor=ACCENT,
                        spaceBefore=base * 1.6, spaceAfter=base * 0.7)
        self.h3 = style("h3", fontName=fonts.BOLD, fontSize=base + 1.5, leading=(base + 1.5) * 1.3,
                        spaceBefore=base * 0.9, spaceAfter=base * 0.3)
        self.lead = style("lead", fontSize=base + 1, leading=(base + 1) * 1.45, spaceAfter=base)
        self.fact_label = style("fact-label", fontName=fonts.BOLD, fontSize=small, leading=base * 1.38,
                                textColor=ACCENT)
        self.fact = style("fact", fontSize=base + 0.5, leading=(base + 0.5) * 1.38)
        self.running = style("running", fontSize=base - 1.5, leading=(base - 1.5) * 1.25, textColor=MUTED)
        self.ceremony_title = style("ceremony-title", fontName=fonts.BOLD, fontSize=base * (1.9 if base > 9 else 1.6),
                                    leading=base * (1.9 if base > 9 else 1.6) * 1.2, textColor=colors.white)
        self.compact_title = style("compact-title", fontName=fonts.BOLD, fontSize=base, leading=base * 1.3)
        self.cover_date = style("cover-date", fontName=fonts.BOLD, fontSize=base * 1.45, leading=base * 1.45 * 1.35,
                                textColor=colors.white)

    # words and text
    def word(self, key: str, language: str | None = None) -> str:
        language = language or self.p.language
        if language == self.p.language and key in self.p.words:
            return self.p.words[key]
        return label(key, language)

    def text(self, value, language: str | None = None) -> str:
        if language is None:
            return self.p.text(value)
        return value.get(language, *self.p.languages)

    def time(self, moment: datetime) -> str:
        """The clock time as markup, with the zone (if any) on its own smaller line."""
        shown = self.p.time(moment)
        if " " in shown:
            clock_part, zone = shown.split(" ", 1)
            return f"{e(clock_part)}<br/><font size={self.base - 2}>{e(zone)}</font>"
        return e(shown)

    def span(self, start: datetime, end: datetime) -> str:
        first, last = self.p.time(start), self.p.time(end)
        return f"{e(first)}–{e(last)}"

    # flowables
    def fitted(self, text: str, style: ParagraphStyle, width: float, height: float) -> ParagraphStyle:
        """`style` for a title in a box that cannot break across pages: smaller type for a long one."""
        return shrunk_to_fit(e(text), style, width, height, self.base)

    def para(self, markup: str, style=None) -> Paragraph:
        return Paragraph(markup, style or self.cell)

    def heading(self, text: str, level: int = 0, style=None) -> list:
        """A section heading that never ends a page: it moves on when less than a few lines remain."""
        return [CondPageBreak(self.base * 9), Marked(e(text), style or self.h2, text, level)]

    def facts(self, rows: list[tuple[str, str]], label_width: float | None = None) -> Table:
        """Label and value pairs: Tid, Plats, Arrangör … (values are markup)."""
        label_width = label_width or self.base * 8
        data = [[self.para(e(key), self.fact_label), self.para(value, self.fact)] for key, value in rows if value]
        table = _Table(data, colWidths=[label_width, self.width - label_width], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
        return table

    def banner(self, kicker: str, title: str, subtitle: str, cover: bool = False, when: str = "") -> Table:
        """The accent block at the top of a first page: kind, title, subtitle, in white; on a cover
        it fills the upper part of the page, with the dates at its foot."""
        padding = self.base * (2.4 if cover else 1.6)
        room = (self.width - 2 * padding, self.paper.size[1] * (0.3 if cover else 0.2))
        cells = [self.para(e(kicker.upper()), self.kicker),
                 self.para(e(title), self.fitted(title, self.cover_title if cover else self.banner_title, *room))]
        if subtitle:
            cells += [Spacer(1, self.base * 0.6),
                      self.para(e(subtitle), self.fitted(subtitle, self.cover_subtitle if cover
                                                         else self.banner_subtitle, *room))]
        if when:
            cells += [Spacer(1, self.base * 2), self.para(e(when), self.cover_date)]
        commands = [("BACKGROUND", (0, 0), (-1, -1), ACCENT),
                    ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                    ("TOPPADDING", (0, 0), (-1, -1), padding), ("BOTTOMPADDING", (0, 0), (-1, -1), padding)]
        table = _Table([[cells]], colWidths=[self.width])
        table.setStyle(TableStyle(commands))
        if cover:   # at least 45 % of the page, growing with a long title
            _, height = table.wrap(self.width, self.paper.size[1])
            extra = max(0.0, self.paper.size[1] * 0.45 - height)
            table = _Table([[[Spacer(1, extra), *cells]]], colWidths=[self.width])
            table.setStyle(TableStyle(commands))
        return table

    def grid_style(self, header_rows: int = 1, day_row: bool = False) -> list:
        """Rules and padding shared by every list: light rules between rows, an accent under the header."""
        pad = self.base * 0.55
        commands = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), pad),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), pad),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 1.1),
                    ("LINEBELOW", (0, header_rows), (-1, -1), 0.4, RULE),
                    ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.9, ACCENT)]
        if day_row:
            commands += [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                         ("TOPPADDING", (0, 0), (-1, 0), pad * 1.1), ("BOTTOMPADDING", (0, 0), (-1, 0), pad * 1.1),
                         ("BOTTOMPADDING", (0, 1), (-1, 1), pad * 0.6), ("TOPPADDING", (0, 1), (-1, 1), pad * 0.9)]
        else:
            commands += [("BOTTOMPADDING", (0, 0), (-1, 0), pad * 0.6)]
        return commands

    def day_row(self, day: Day, level: int = 1) -> Marked:
        return Marked(e(_first_upper(day.heading)), self.day, _first_upper(day.heading), level)

    # people
    def person(self, person: Person, with_title: bool = True) -> str:
        """'<b>Name</b>, title, organisation': never the e-mail address."""
        details = [part for part in ((person.title if with_title else ""), person.organisation) if part]
        tail = f" <font color='#5b6472'>({e(', '.join(details))})</font>" if details else ""
        return f"<b>{e(person.name)}</b>{tail}"

    def people_line(self, key: str, people, language: str | None = None, detailed: bool = True) -> str:
        if not people:
            return ""
        names = ", ".join(self.person(p, with_title=False) if detailed else f"<b>{e(p.name)}</b>" for p in people)
        return f"<font color='#1d4f7c'>{e(self.word(key, language))}:</font> {names}"

    def status_badge(self, status: str, language: str | None = None) -> str:
        if status in ("tentative", "cancelled"):
            word = label(status, language or self.p.language).upper()
            return f" <font color='#a85400' size={self.base - 1.5}><b>{e(word)}</b></font>"
        return ""

    def session_cell(self, session: Session, language: str | None = None, compact: bool = False,
                     show_room: bool = False, show_time: bool = False) -> list:
        """What one session says in a timetable cell: title, kind, description, speakers, moderators."""
        quiet = session.kind in QUIET_KINDS and not session.speakers
        parts = []
        if show_room and session.room:
            parts.append(self.para(e(session.room.name.upper()), self.header))
        if show_time:
            parts.append(self.para(self.span(session.start, session.end), self.small))
        title = e(self.text(session.title, language)) + self.status_badge(session.status, language)
        style = self.quiet_title if quiet else self.compact_title if compact else self.cell_title
        parts.append(self.para(title, style))
        description = self.text(session.description, language) if session.description else ""
        if description and not compact:
            parts.append(self.para(e(description), self.small))
        for key, people in (("speakers", session.speakers), ("moderators", session.moderators)):
            line = self.people_line(key, people, language, detailed=not compact)
            if line:
                parts.append(self.para(line, self.small_ink))
        return parts

    def place(self, session: Session, with_address: bool = False) -> list:
        """Room, and the venue when it is not the event's own."""
        lines = []
        if session.room:
            lines.append(f"<b>{e(session.room.name)}</b>")
        venue = session.venue
        if venue is not None and (venue != self.p.event.venue or with_address):
            lines.append(e(venue.name) if session.room else f"<b>{e(venue.name)}</b>")
            if with_address:
                address = _address(venue)
                if address:
                    lines.append(f"<font color='#5b6472'>{e(address)}</font>")
        return [self.para("<br/>".join(lines), self.small_ink)] if lines else []


def _address(venue: Venue) -> str:
    return ", ".join(part for part in (venue.address, f"{venue.postcode} {venue.city}".strip()) if part)


# ---- conference ----

def _conference(layout: _Layout) -> list:
    p = layout.p
    story = _cover(layout)
    story += [PageBreak(), *layout.heading(layout.word("programme"))]
    for day in p.days:
        story += [CondPageBreak(layout.paper.size[1] / 5), _timetable(layout, day), Spacer(1, layout.base * 1.4)]
    if p.speakers:
        story += _speaker_list(layout)
    story += _practical(layout)
    for meeting in p.meetings:
        story += _meeting_agenda(layout, meeting)
    return story


def _cover(layout: _Layout) -> list:
    p = layout.p
    event = p.event
    when = _first_upper(p.dates) + (f", {p.hours}" if p.hours else "")
    story = [layout.banner(label(event.kind, p.language), p.title, p.subtitle, cover=True, when=when),
             Spacer(1, layout.base * 2.4)]
    facts = [(layout.word("place"), e(p.place))]
    if event.partners:
        facts.append((layout.word("partners"), e(", ".join(event.partners))))
    if event.organiser:
        facts.append((layout.word("organiser"), e(event.organiser.name)))
    if event.url:
        facts.append((label("website", p.language), e(event.url)))
    story += [layout.facts(facts), Spacer(1, layout.base * 2)]
    if p.description:
        story.append(layout.para(e(p.description), layout.lead))
    if event.status != "confirmed":
        story.append(layout.para(layout.status_badge(event.status), layout.body))
    return story


def _timetable(layout: _Layout, day: Day) -> Table:
    """One day: time, session, room; parallel sessions side by side under one time, a few per row."""
    paper = layout.paper
    unit = (layout.width - paper.time_width) / UNITS
    header = [layout.para(e(layout.word("time")), layout.header),
              layout.para(e(_first_upper(label("session", layout.p.language))), layout.header),
              *[""] * (UNITS - 4), layout.para(e(layout.word("room")), layout.header), "", ""]
    rows = [[layout.day_row(day), *[""] * UNITS], header]
    commands = layout.grid_style(header_rows=2, day_row=True)
    commands += [("SPAN", (1, 1), (UNITS - 3, 1)), ("SPAN", (UNITS - 2, 1), (UNITS, 1))]
    for slot in day.slots:
        first = len(rows)
        if not slot.parallel:
            session = slot.sessions[0]
            rows.append([layout.para(layout.span(session.start, session.end), layout.time_style),
                         layout.session_cell(session), *[""] * (UNITS - 4), layout.place(session), "", ""])
            commands += [("SPAN", (1, first), (UNITS - 3, first)), ("SPAN", (UNITS - 2, first), (UNITS, first))]
            if session.kind in QUIET_KINDS:
                commands.append(("BACKGROUND", (0, first), (-1, first), ACCENT_SOFT))
            continue
        rows.append([layout.para(layout.span(slot.start, slot.end), layout.time_style),
                     layout.para(e(layout.word("parallel sessions").upper()), layout.header), *[""] * (UNITS - 1)])
        commands += [("SPAN", (1, first), (UNITS, first)), ("BOTTOMPADDING", (0, first), (-1, first), 1),
                     ("LINEBELOW", (0, first), (-1, first), 0, colors.white)]
        per_row = min(paper.max_parallel, len(slot.sessions))
        width = UNITS // per_row
        for start in range(0, len(slot.sessions), per_row):
            row = [""] * (UNITS + 1)
            index = len(rows)
            for n, session in enumerate(slot.sessions[start:start + per_row]):
                column = 1 + n * width
                same = session.start == slot.start and session.end == slot.end
                cell = layout.session_cell(session, compact=True, show_room=True, show_time=not same)
                place = [line for line in layout.place(session)] if session.venue != layout.p.event.venue else []
                row[column] = cell + place
                commands += [("SPAN", (column, index), (column + width - 1, index)),
                             ("BACKGROUND", (column, index), (column + width - 1, index), ACCENT_TINT),
                             ("LINEAFTER", (column + width - 1, index), (column + width - 1, index), 3, colors.white),
                             ("LINEBELOW", (column, index), (column + width - 1, index), 3, colors.white)]
            rows.append(row)
        last = len(rows) - 1
        commands += [("SPAN", (0, first), (0, last)), ("LINEBELOW", (0, last), (-1, last), 0.4, RULE)]
    if not day.slots:
        rows.append(["", layout.para(e(label("nothing planned", layout.p.language)), layout.small),
                     *[""] * (UNITS - 1)])
        commands.append(("SPAN", (1, 2), (UNITS, 2)))
    table = _Table(rows, colWidths=[paper.time_width] + [unit] * UNITS, repeatRows=2)
    table.setStyle(TableStyle(commands))
    return table


def _speaker_list(layout: _Layout) -> list:
    p = layout.p
    name_width = layout.width * 0.42
    rows = [[layout.para(e(label("name", p.language)), layout.header),
             layout.para(e(_first_upper(label("sessions", p.language))), layout.header)]]
    for person, titles in p.speakers:
        about = ", ".join(part for part in (person.title, person.organisation) if part)
        who = [layout.para(f"<b>{e(person.name)}</b>", layout.cell)]
        if about:
            who.append(layout.para(e(about), layout.small))
        rows.append([who, [layout.para(e(title), layout.small_ink) for title in titles]])
    table = _Table(rows, colWidths=[name_width, layout.width - name_width], repeatRows=1)
    table.setStyle(TableStyle(layout.grid_style() + [("TOPPADDING", (0, 1), (-1, -1), layout.base * 0.35),
                                                     ("BOTTOMPADDING", (0, 1), (-1, -1), layout.base * 0.45)]))
    return [*layout.heading(layout.word("speakers and moderators")), table]


def _practical(layout: _Layout) -> list:
    p = layout.p
    story = layout.heading(layout.word("practical information"))
    for venue in p.venues:
        story.append(KeepTogether(_venue_block(layout, venue)))
    if p.contacts:
        story += _contacts(layout)
    return story


def _venue_block(layout: _Layout, venue: Venue, title: str = "") -> list:
    p = layout.p
    block = [layout.para(e(title or venue.name), layout.h3)]
    if title:
        block.append(layout.para(f"<b>{e(venue.name)}</b>", layout.cell))
    lines = [line for line in (venue.address, f"{venue.postcode} {venue.city}".strip(), venue.country) if line]
    if lines:
        block.append(layout.para(e(", ".join(lines)), layout.cell))
    if venue.directions:
        block.append(layout.para(f"<font color='#1d4f7c'>{e(label('directions', p.language))}:</font> "
                                 f"{e(p.text(venue.directions))}", layout.cell))
    if venue.url:
        block.append(layout.para(e(venue.url), layout.small))
    return block


def _contacts(layout: _Layout, language: str | None = None) -> list:
    """Contacts with title and organisation, never their e-mail addresses."""
    p = layout.p
    rows = []
    for person in p.contacts:
        about = ", ".join(part for part in (person.title, person.organisation) if part)
        rows.append([layout.para(f"<b>{e(person.name)}</b>", layout.cell), layout.para(e(about), layout.cell)])
    table = _Table(rows, colWidths=[layout.width * 0.42, layout.width * 0.58], hAlign="LEFT")
    table.setStyle(TableStyle(layout.grid_style(header_rows=1)[:5] + [("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
    return [KeepTogether([layout.para(e(layout.word("contacts", language)), layout.h3), table])]


def _meeting_agenda(layout: _Layout, meeting: Session) -> list:
    """A session's own numbered agenda (the council meeting), with time, room and who is summoned."""
    p = layout.p
    title = f"{p.text(meeting.title)}: {layout.word('agenda')}"
    story = [CondPageBreak(layout.paper.size[1] / 3), Marked(e(title), layout.h2, title, 0)]
    when = f"{e(_first_upper(day_span(meeting.start.date(), meeting.start.date(), p.language)))}, " \
           f"{layout.span(meeting.start, meeting.end)}"
    where = ", ".join(part for part in ((meeting.room.name if meeting.room else ""),
                                        (meeting.venue.name if meeting.venue else "")) if part)
    facts = [(layout.word("time"), when), (layout.word("place"), e(where))]
    if meeting.summoned:
        facts.append((layout.word("summoned"), e(", ".join(p.text(r.title) for r in meeting.summoned))))
    story += [layout.facts(facts), Spacer(1, layout.base)]
    if meeting.description:
        story.append(layout.para(e(p.text(meeting.description)), layout.body))
    story.append(_agenda_table(layout, meeting.agenda))
    return story


def _agenda_table(layout: _Layout, items: tuple[AgendaItem, ...]) -> Table:
    """Numbered items: the item with its proposal, documents and notes; the presenter beside it."""
    p = layout.p
    number_width, presenter_width = layout.base * 3.2, layout.width * 0.24
    rows = [[layout.para(e(layout.word("item number")), layout.header),
             layout.para(e(label("agenda item", p.language)), layout.header),
             layout.para(e(layout.word("presenter")), layout.header)]]
    for item in items:
        cell = [layout.para(f"<b>{e(p.text(item.title))}</b>", layout.cell_title)]
        if item.proposal:
            cell.append(Spacer(1, 2))
            cell.append(layout.para(f"<font color='#1d4f7c'><b>{e(layout.word('proposal'))}:</b></font> "
                                    f"{e(p.text(item.proposal))}", layout.cell))
        if item.documents:
            documents = "<br/>".join(f"– {e(document)}" for document in item.documents)
            cell.append(Spacer(1, 2))
            cell.append(layout.para(f"<font color='#1d4f7c'><b>{e(layout.word('documents'))}:</b></font><br/>"
                                    f"{documents}", layout.small_ink))
        if item.notes:
            cell.append(Spacer(1, 2))
            cell.append(layout.para(f"<i>{e(p.text(item.notes))}</i>", layout.small))
        presenter = []
        if item.presenter:
            presenter.append(layout.para(f"<b>{e(item.presenter.name)}</b>", layout.small_ink))
            if item.presenter.title:
                presenter.append(layout.para(e(item.presenter.title), layout.small))
        rows.append([layout.para(f"<b>{item.number}</b>", layout.time_style), cell, presenter])
    table = _Table(rows, colWidths=[number_width, layout.width - number_width - presenter_width, presenter_width],
                  repeatRows=1)
    table.setStyle(TableStyle(layout.grid_style()))
    return table


# ---- formal meeting: kallelse och föredragningslista ----

def _formal_meeting(layout: _Layout) -> list:
    p = layout.p
    event = p.event
    organiser = event.organiser.name if event.organiser else layout.organisation
    top = _Table([[layout.para(f"<b>{e(organiser)}</b>", layout.fact),
                  layout.para(e(layout.word("notice and agenda").upper()), layout.kicker_dark)]],
                colWidths=[layout.width * 0.55, layout.width * 0.45])
    top.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), layout.base * 0.6)]))
    story = [top, Spacer(1, layout.base * 1.6),
             Marked(e(p.title), layout.fitted(p.title, layout.h1, layout.width, layout.paper.size[1] * 0.25), p.title, 0)]
    place = ", ".join(part for part in (event.venue.name if event.venue else "", event.room.name if event.room else "")
                      if part)
    address = _address(event.venue) if event.venue else ""
    facts = [(layout.word("time"), e(_first_upper(p.dates)) + (f", {e(p.hours)}" if p.hours else "")),
             (layout.word("place"), e(place) + (f"<br/><font color='#5b6472'>{e(address)}</font>" if address else "")),
             (layout.word("summoned"), e(", ".join(p.text(s.roster.title) for s in p.summoned)))]
    story += [layout.facts(facts), Spacer(1, layout.base * 1.2)]
    if event.status != "confirmed":
        story.append(layout.para(layout.status_badge(event.status), layout.body))
    if p.description:
        story.append(layout.para(e(p.description), layout.small))
    sessions = [slot for day in p.days for slot in day.slots]
    if sessions:
        story += [*layout.heading(layout.word("programme")), _session_list(layout, sessions)]
    if p.agenda:
        story += [*layout.heading(layout.word("agenda")), _agenda_table(layout, p.agenda)]
    for summons in p.summoned:
        story += _roster(layout, summons)
    if p.contacts:
        story += [Spacer(1, layout.base * 0.5), *_contacts(layout)]
    return story


def _session_list(layout: _Layout, slots: list[Slot]) -> Table:
    """The meeting's sessions (the invited speaker, the meeting itself): time and what happens."""
    rows = [[layout.para(e(layout.word("time")), layout.header),
             layout.para(e(_first_upper(label("session", layout.p.language))), layout.header)]]
    for slot in slots:
        for session in slot.sessions:
            cell = layout.session_cell(session)
            place = layout.place(session)
            rows.append([layout.para(layout.span(session.start, session.end), layout.time_style), cell + place])
    table = _Table(rows, colWidths=[layout.paper.time_width, layout.width - layout.paper.time_width], repeatRows=1)
    table.setStyle(TableStyle(layout.grid_style()))
    return table


def _roster(layout: _Layout, summons) -> list:
    """Members (chairs first) and deputies in two columns, as a kallelse lists them."""
    p = layout.p
    title = f"{layout.word('summoned')}: {p.text(summons.roster.title)}"
    half = layout.width / 2

    def entry(person: Person, role: str) -> list:
        name = f"<b>{e(person.name)}</b>" + (f" ({e(person.party)})" if person.party else "")
        if role.lower() in CHAIR_ROLES:
            name += f", <font color='#1d4f7c'>{e(role)}</font>"
        cell = [layout.para(name, layout.small_ink)]
        if person.organisation:
            cell.append(layout.para(e(person.organisation), layout.small))
        if person.id in summons.notes:
            cell.append(layout.para(f"<i>{e(summons.notes[person.id])}</i>", layout.small_ink))
        return cell

    rows = [[layout.para(f"{e(layout.word('members'))} ({len(summons.members)})", layout.header),
             layout.para(f"{e(layout.word('deputies'))} ({len(summons.deputies)})", layout.header)]]
    for member, deputy in zip_longest(summons.members, summons.deputies):
        rows.append([entry(*member) if member else "", entry(*deputy) if deputy else ""])
    table = _Table(rows, colWidths=[half, half], repeatRows=1)
    style = layout.grid_style()
    style += [("TOPPADDING", (0, 1), (-1, -1), layout.base * 0.3),
              ("BOTTOMPADDING", (0, 1), (-1, -1), layout.base * 0.35)]
    table.setStyle(TableStyle(style))
    return [*layout.heading(title), table]


# ---- festival week: our own activities ----

def _festival_week(layout: _Layout) -> list:
    p = layout.p
    event = p.event
    story = [layout.banner(label(event.kind, p.language), p.title, p.subtitle), Spacer(1, layout.base * 1.4)]
    facts = [(layout.word("time"), e(_first_upper(p.dates)) + (f", {e(p.hours)}" if p.hours else "")),
             (layout.word("place"), e(p.place))]
    if event.organiser:
        facts.append((layout.word("organiser"), e(event.organiser.name)))
    if event.url:
        facts.append((label("website", p.language), e(event.url)))
    story += [layout.facts(facts), Spacer(1, layout.base)]
    if p.description:
        story.append(layout.para(e(p.description), layout.body))
    story += layout.heading(layout.word("own activities"))
    for day in p.days:
        story += [CondPageBreak(layout.paper.size[1] / 5), _activities(layout, day), Spacer(1, layout.base * 1.4)]
    if p.contacts:
        story += _contacts(layout)
    return story


def _activities(layout: _Layout, day: Day) -> Table:
    """One day of activities: time, what (with its status when not confirmed), where with the address."""
    time_width, place_width = layout.paper.time_width, layout.width * 0.3
    rows = [[layout.day_row(day), "", ""],
            [layout.para(e(layout.word("time")), layout.header),
             layout.para(e(_first_upper(label("session", layout.p.language))), layout.header),
             layout.para(e(layout.word("place")), layout.header)]]
    for slot in day.slots:
        for session in slot.sessions:
            rows.append([layout.para(layout.span(session.start, session.end), layout.time_style),
                         layout.session_cell(session), layout.place(session, with_address=True)])
    if not day.slots:
        rows.append(["", layout.para(e(label("nothing planned", layout.p.language)), layout.small), ""])
    table = _Table(rows, colWidths=[time_width, layout.width - time_width - place_width, place_width], repeatRows=2)
    table.setStyle(TableStyle(layout.grid_style(header_rows=2, day_row=True)))
    return table


# ---- study trip: itinerary ----

def _study_trip(layout: _Layout) -> list:
    p = layout.p
    event = p.event
    story = [layout.banner(label(event.kind, p.language), p.title, p.subtitle), Spacer(1, layout.base * 1.4)]
    city = event.time_zone.rsplit("/", 1)[-1].replace("_", " ")
    facts = [(layout.word("time"), e(_first_upper(p.dates)))]
    if event.hotel:
        facts.append((layout.word("hotel"), f"{e(event.hotel.name)}<br/><font color='#5b6472'>"
                                            f"{e(_address(event.hotel))}</font>"))
    if event.organiser:
        facts.append((layout.word("organiser"), e(event.organiser.name)))
    story += [layout.facts(facts), Spacer(1, layout.base)]
    if p.description:
        story.append(layout.para(e(p.description), layout.body))
    story.append(layout.para(f"<i>{e(label('local times', p.language).format(city=city))}</i>", layout.small))
    story += layout.heading(layout.word("itinerary"))
    for day in p.days:
        story += [CondPageBreak(layout.paper.size[1] / 5), _itinerary(layout, day), Spacer(1, layout.base * 1.4)]
    if event.hotel:
        story += [CondPageBreak(layout.base * 9),
                  KeepTogether(_venue_block(layout, event.hotel, title=layout.word("hotel")))]
    if p.contacts:
        story += [Spacer(1, layout.base * 0.5), *_contacts(layout)]
    return story


def _itinerary(layout: _Layout, day: Day) -> Table:
    """Legs and visits in the order they happen; each leg's times in its own places' time zones."""
    p = layout.p
    time_width, place_width = layout.paper.time_width + 4 * mm, layout.width * 0.3
    rows = [[layout.day_row(day), "", ""],
            [layout.para(e(layout.word("time")), layout.header),
             layout.para(e(_first_upper(label("session", p.language))), layout.header),
             layout.para(e(layout.word("place")), layout.header)]]
    commands = layout.grid_style(header_rows=2, day_row=True)
    for stop in day.stops:
        if stop.leg is not None:
            rows.append(_leg_row(layout, stop))
            commands.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), ACCENT_SOFT))
        elif stop.session is not None:
            session = stop.session
            rows.append([layout.para(layout.time(session.start), layout.time_style),
                         layout.session_cell(session), layout.place(session, with_address=True)])
    table = _Table(rows, colWidths=[time_width, layout.width - time_width - place_width, place_width], repeatRows=2)
    table.setStyle(TableStyle(commands))
    return table


def _leg_row(layout: _Layout, stop: Stop) -> list:
    """A leg: mode, number and carrier; departure and arrival in local time. Never the booking reference."""
    p = layout.p
    leg = stop.leg
    what = " ".join(part for part in (label(leg.mode, p.language) if leg.mode in _MODES else leg.mode, leg.number)
                    if part)
    heading = f"<b>{e(what)}</b>" + (f" <font color='#5b6472'>· {e(leg.carrier)}</font>" if leg.carrier else "")
    times = (f"<font color='#1d4f7c'>{e(layout.word('departs'))}</font> {e(p.time(leg.depart))}   "
             f"<font color='#1d4f7c'>{e(layout.word('arrives'))}</font> {e(p.time(leg.arrive))}")
    cell = [layout.para(heading, layout.cell), layout.para(times, layout.small_ink)]
    if leg.notes:
        cell.append(layout.para(f"<i>{e(p.text(leg.notes))}</i>", layout.small))
    route = e(label("from to", p.language)).format(origin=e(leg.origin.name),
                                                   destination=f"<br/>{e(leg.destination.name)}")
    return [layout.para(layout.time(leg.depart), layout.time_style), cell, layout.para(route, layout.small_ink)]


_MODES = ("flight", "train", "bus", "boat", "car", "walk")


# ---- ceremony: two languages as equals ----

def _ceremony(layout: _Layout) -> list:
    p = layout.p
    event = p.event
    languages = tuple(dict.fromkeys((*event.languages, *p.languages)))[:2]
    if len(languages) < 2:
        return _conference(layout)
    layout.page_languages = languages
    layout.running_titles = tuple(event.title.get(language, *p.languages) for language in languages)
    gutter = layout.base * 1.6
    column = (layout.width - gutter) / 2

    def pair(left, right, style=None) -> Table:
        """Two equal columns: the same thing in each language."""
        table = _Table([[left, "", right]], colWidths=[column, gutter, column])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0), *(style or [])]))
        return table

    def both(make) -> Table:
        return pair(make(languages[0]), make(languages[1]))

    def section(key: str) -> list:
        titles = [layout.word(key, language) for language in languages]
        return [CondPageBreak(layout.paper.size[1] / 4),
                pair(Marked(e(titles[0]), layout.h2, " / ".join(titles)), layout.para(e(titles[1]), layout.h2))]

    pad = layout.base * 1.8

    def banner_title(language: str) -> Paragraph:
        title = event.title.get(language, *p.languages)
        room = (layout.width / 2 - 2 * pad, layout.paper.size[1] * 0.3)
        return layout.para(e(title), layout.fitted(title, layout.ceremony_title, *room))

    banner = _Table([[[layout.para(e(label(event.kind, language).upper()), layout.kicker), banner_title(language)]
                     for language in languages]], colWidths=[layout.width / 2] * 2)
    banner.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), ACCENT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                                ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                                ("LINEAFTER", (0, 0), (0, 0), 0.6, colors.HexColor("#5d84ab"))]))
    story = [banner, Spacer(1, layout.base * 1.6)]

    def facts(language):
        when = _first_upper(day_span(event.days[0], event.days[-1], language))
        cell = [layout.para(e(layout.word("time", language)), layout.fact_label),
                layout.para(e(when) + (f", {e(p.hours)}" if p.hours else ""), layout.fact),
                Spacer(1, 3), layout.para(e(layout.word("place", language)), layout.fact_label),
                layout.para(e(p.place), layout.fact)]
        if event.venue and event.venue.directions:
            cell.append(layout.para(e(event.venue.directions.get(language, *p.languages)), layout.small))
        if event.organiser:
            cell += [Spacer(1, 3), layout.para(e(layout.word("organiser", language)), layout.fact_label),
                     layout.para(e(event.organiser.name), layout.fact)]
        return cell

    story += [both(facts), Spacer(1, layout.base * 1.2)]
    if event.description:
        story.append(both(lambda language: [layout.para(e(event.description.get(language, *p.languages)),
                                                        layout.cell)]))
    if event.parties or event.signatories:
        def people(language):
            cell = []
            if event.parties:
                cell += [layout.para(e(layout.word("parties", language)), layout.fact_label),
                         *[layout.para(f"<b>{e(party)}</b>", layout.cell) for party in event.parties],
                         Spacer(1, 4)]
            if event.signatories:
                cell.append(layout.para(e(layout.word("signatories", language)), layout.fact_label))
                cell += [layout.para(layout.person(person), layout.cell) for person in event.signatories]
            return cell
        story += [Spacer(1, layout.base), both(people)]

    story += section("programme")
    story.append(_bilingual_timetable(layout, languages, column, gutter))
    if event.milestones:
        story += section("milestones")
        rows = []
        for milestone in _milestones(event.milestones):
            rows.append([[layout.para(e(_long_date(milestone.date, language)), layout.header),
                          layout.para(e(milestone.title.get(language, *p.languages)), layout.cell)]
                         for language in languages])
        table = _Table([[left, "", right] for left, right in rows], colWidths=[column, gutter, column])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), layout.base * 0.5),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), layout.base * 0.6),
                                   ("LINEBELOW", (0, 0), (0, -1), 0.4, RULE),
                                   ("LINEBELOW", (2, 0), (2, -1), 0.4, RULE)]))
        story.append(table)
    if p.contacts:
        story += section("contacts")
        story.append(both(lambda language: [layout.para(layout.person(person), layout.cell)
                                            for person in p.contacts]))
    return story


def _bilingual_timetable(layout: _Layout, languages: tuple[str, str], column: float, gutter: float) -> Table:
    """Time and room in a narrow first column, then the session in each language, equal widths."""
    p = layout.p
    time_width = layout.paper.time_width
    text_width = (layout.width - time_width - gutter) / 2
    rows = [[layout.para(" / ".join(e(layout.word("time", language)) for language in languages), layout.header),
             layout.para(e(_first_upper(label("session", languages[0]))), layout.header), "",
             layout.para(e(_first_upper(label("session", languages[1]))), layout.header)]]
    commands = layout.grid_style()
    for day in p.days:
        for slot in day.slots:
            for session in slot.sessions:
                when = [layout.para(layout.span(session.start, session.end), layout.time_style)]
                if session.room:
                    when.append(layout.para(e(session.room.name), layout.small))
                rows.append([when, layout.session_cell(session, languages[0]), "",
                             layout.session_cell(session, languages[1])])
                if session.kind in QUIET_KINDS:
                    commands.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), ACCENT_SOFT))
    table = _Table(rows, colWidths=[time_width, text_width, gutter, text_width], repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def _milestones(milestones):
    """Written milestones, and derived ones only where nothing is written for that day: the
    agreement's entry into force is usually written out already, in better words."""
    written = {milestone.date for milestone in milestones if not milestone.derived}
    return sorted((m for m in milestones if not m.derived or m.date not in written), key=lambda m: m.date)


def _long_date(day: date, language: str) -> str:
    """'13 februari 2020', '13 février 2020'."""
    return arrow.get(day).format("D MMMM YYYY", locale=language)


LAYOUTS = {
    "conference": _conference,
    "formal_meeting": _formal_meeting,
    "festival_week": _festival_week,
    "study_trip": _study_trip,
    "ceremony": _ceremony,
}
