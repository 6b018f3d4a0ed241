"""The minutes and their extracts as PDF: what the secretary prints, the chair and adjusters
sign, and the registry files and sends on.

Every page carries the organ, the meeting's date and boxes for the adjusters' initials
(justerandes signatur), as Swedish minutes do. Organisers' text is escaped before it reaches
reportlab's paragraph markup, and only the embedded Noto Sans is used. They are PDF/A-2b, the
format archives keep.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (CondPageBreak, Frame, KeepTogether, PageTemplate, Paragraph, SimpleDocTemplate,
                                Spacer, Table, TableStyle)

from motesplats import fonts
from motesplats.model import Person
from motesplats.render.labels import label
from motesplats.render.pdf_archive import as_pdfa
from motesplats.render.pdf_outline import Marked, PageTotalCanvas, one_line, shrunk_to_fit
from motesplats.render.minutes import MinutesDocument, Paragraph as MinutesParagraph, Row, paragraph_rows, present_rows

ACCENT = colors.HexColor("#1d4f7c")
RULE = colors.HexColor("#c9d5e2")
INK = colors.HexColor("#1c1f24")
MUTED = colors.HexColor("#5b6472")
DRAFT = colors.HexColor("#8a1414")
MARGIN = 20 * mm
BASE = 9.5
WIDTH = A4[0] - 2 * MARGIN


def e(text: str) -> str:
    """Data as paragraph markup: escaped, line breaks kept."""
    return escape(text or "").replace("\n", "<br/>")


def _style(name: str, **kw) -> ParagraphStyle:
    defaults = dict(fontName=fonts.REGULAR, fontSize=BASE, leading=BASE * 1.4, textColor=INK)
    return ParagraphStyle(name, **{**defaults, **kw})


BODY = _style("body", spaceAfter=BASE * 0.4)
SMALL = _style("small", fontSize=BASE - 1.3, leading=(BASE - 1.3) * 1.4, textColor=MUTED)
LABEL = _style("label", fontName=fonts.BOLD, fontSize=BASE - 1.3, leading=BASE * 1.4, textColor=ACCENT)
KICKER = _style("kicker", fontName=fonts.BOLD, fontSize=BASE - 1, textColor=ACCENT, alignment=TA_RIGHT)
H1 = _style("h1", fontName=fonts.BOLD, fontSize=BASE * 2, leading=BASE * 2.4, textColor=ACCENT, spaceAfter=BASE * 0.3)
H2 = _style("h2", fontName=fonts.BOLD, fontSize=BASE * 1.35, leading=BASE * 1.8, textColor=ACCENT,
            spaceBefore=BASE * 1.3, spaceAfter=BASE * 0.5)
PARAGRAPH = _style("paragraph", fontName=fonts.BOLD, fontSize=BASE + 1.5, leading=(BASE + 1.5) * 1.35)
INDENTED = _style("indented", leftIndent=BASE * 13, spaceAfter=BASE * 0.4)
DRAFT_STYLE = _style("draft", fontName=fonts.BOLD, fontSize=BASE, textColor=DRAFT)


def render_minutes(document: MinutesDocument) -> bytes:
    """The whole minutes: heading, present, every §, signatures and the certificate of posting."""
    fonts.register()
    story = [*document_heading(document, document.word("minutes")), *_present(document)]
    story += [Marked(e(document.word("paragraphs")), H2, document.word("paragraphs"))]
    for paragraph in document.paragraphs:
        story.append(KeepTogether(_paragraph(document, paragraph)))
    story += _signatures(document)
    if not document.draft and not document.signing:  # a signed file is posted on the notice board
        story += _posting(document)
    return finished_pdf(document, story, f"{document.word('minutes')}: {document.title}", initials=not document.signing)


def render_extract(document: MinutesDocument, paragraph: MinutesParagraph) -> bytes:
    """One § for dispatch: heading, the § with its decision, and the certificate 'Rätt utdraget intygar'."""
    fonts.register()
    story = [*document_heading(document, document.word("extract"), f"§ {paragraph.number}"),
             Spacer(1, BASE), *_paragraph(document, paragraph), Spacer(1, BASE * 2)]
    certified = document.word("certified").format(date=document.long_date(document.adjusted))
    story.append(KeepTogether([Paragraph(e(certified), BODY), Spacer(1, BASE * 2.2),
                               signature_line(document.secretary, document.word("secretary"))]))
    return finished_pdf(document, story, f"{document.word('extract')}: {document.title}, § {paragraph.number}")


# ---- parts ----

def document_heading(document: MinutesDocument, kind: str, paragraphs: str = "") -> list:
    top = TextTable([[Paragraph(f"<b>{e(document.organisation)}</b>", BODY), Paragraph(e(kind.upper()), KICKER)]],
                 colWidths=[WIDTH * 0.6, WIDTH * 0.4])
    top.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), BASE * 0.6)]))
    heading = f"{kind}: {document.organ or document.title}, {document.day}"
    name = document.organ or document.title
    style = shrunk_to_fit(e(name), H1, WIDTH, A4[1] * 0.25, BASE + 1.5)  # a long name in smaller type
    story = [top, Spacer(1, BASE * 1.4), Marked(e(name), style, heading)]
    if document.draft:
        story.append(Paragraph(e(document.word("draft minutes").upper()), DRAFT_STYLE))
    if document.web_note:
        story.append(Paragraph(e(document.web_note), SMALL))
    facts = [(document.word("meeting date"), f"{document.day}, {document.hours}"),
             (document.word("place"), document.place),
             (document.word("paragraphs"), paragraphs or document.span)]
    if document.organ:
        facts.insert(0, (document.word("meeting heading"), document.title))
    story += [Spacer(1, BASE * 0.6), facts_table([(key, e(value)) for key, value in facts], BASE * 12)]
    return story


def _present(document: MinutesDocument) -> list:
    rows = [(row.label, _markup(row)) for row in present_rows(document)]
    return [Marked(e(document.word("attendance list")), H2, document.word("attendance list")),
            *_rows_that_may_break(rows, BASE * 13)]


def _markup(row: Row) -> str:
    text = ", ".join(map(e, row.entries)) if row.joined else "<br/>".join(map(e, row.entries))
    return f"<b>{text}</b>" if row.strong else text if row.label else f"<i>{text}</i>"


LONG_LIST = 900  # characters of markup: a list longer than about a third of a page


def _rows_that_may_break(rows: list[tuple[str, str]], label_width: float) -> list:
    """Label and value rows; a long value (the council's 160 members) as a label and a paragraph,
    which can run on to the next page where a table row cannot."""
    story, short = [], []
    for key, value in rows:
        if len(value) < LONG_LIST:
            short.append((key, value))
            continue
        if short:
            story.append(facts_table(short, label_width))
            short = []
        story += [Paragraph(e(key), LABEL), Paragraph(value, INDENTED)]
    return story + ([facts_table(short, label_width)] if short else [])


def _paragraph(document: MinutesDocument, paragraph: MinutesParagraph) -> list:
    title = document.text(paragraph.item.title)
    heading = TextTable([[Paragraph(f"§ {paragraph.number}", PARAGRAPH),
                       Marked(e(title), PARAGRAPH, f"§ {paragraph.number} {title}", 1)]],
                     colWidths=[BASE * 5, WIDTH - BASE * 5], style=PLAIN)
    rows = [(row.label, _markup(row)) for row in paragraph_rows(document, paragraph)]
    return [CondPageBreak(BASE * 8), heading, facts_table(rows, BASE * 10, indent=BASE * 5), Spacer(1, BASE * 0.8)]


def _signatures(document: MinutesDocument) -> list:
    word = document.word
    lines = [signature_line(document.secretary, word("secretary"))]
    if document.signing:  # the chair and adjusters sign the file, not a line on paper
        return [CondPageBreak(BASE * 8), Marked(e(word("signatures")), H2, word("signatures")),
                Paragraph(e(word("adjusted by signature")) + ": " + e(", ".join(
                    p.name for p in ((document.chair,) if document.chair else ()) + document.adjusters)) + ".", BODY),
                Spacer(1, BASE), lines[0]]
    if document.chair:
        lines.append(signature_line(document.chair, word("chair")))
    lines += [signature_line(person, word("adjusters")) for person in document.adjusters]
    cells = [lines[i:i + 2] for i in range(0, len(lines), 2)]
    table = TextTable([row + [""] * (2 - len(row)) for row in cells], colWidths=[WIDTH / 2] * 2, style=PLAIN)
    return [CondPageBreak(BASE * 16), Marked(e(word("signatures")), H2, word("signatures")), table]


def signature_line(person: Person, role: str) -> Table:
    table = TextTable([[""], [Paragraph(f"<b>{e(person.name)}</b>, {e(role.lower())}", SMALL)]],
                   colWidths=[WIDTH / 2 - BASE * 2], rowHeights=[BASE * 3.2, None], hAlign="LEFT")
    table.setStyle(TableStyle([("LINEABOVE", (0, 1), (0, 1), 0.6, INK), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), BASE)]))
    return table


def _posting(document: MinutesDocument) -> list:
    word = document.word
    rows = [(word("organ"), e(document.organ)), (word("meeting date"), e(document.long_date(document.meeting.start.date()))),
            (word("posted"), e(document.long_date(document.posted))), (word("taken down"), e(document.long_date(document.taken_down)))]
    box = TextTable([[Marked(e(word("posting")), H2, word("posting"))], [Paragraph(e(word("posting text")), BODY)],
                  [facts_table(rows, BASE * 17)],
                  [Paragraph(e(word("posting rule").format(days=document.posting_days)), SMALL)],
                  [Spacer(1, BASE * 2)], [signature_line(document.secretary, word("secretary"))]],
                 colWidths=[WIDTH])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, ACCENT), ("LEFTPADDING", (0, 0), (-1, -1), BASE),
                             ("RIGHTPADDING", (0, 0), (-1, -1), BASE), ("TOPPADDING", (0, 0), (0, 0), 0)]))
    return [Spacer(1, BASE * 1.5), KeepTogether([box])]


PLAIN = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                     ("RIGHTPADDING", (0, 0), (-1, -1), BASE * 0.6), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)])


def facts_table(rows: list[tuple[str, str]], label_width: float = BASE * 9, indent: float = 0) -> Table:
    """Label and value pairs (values are markup)."""
    data = [[Paragraph(e(key), LABEL), Paragraph(value, BODY)] for key, value in rows if value]
    table = TextTable(data or [["", ""]], colWidths=[indent + label_width, WIDTH - indent - label_width], hAlign="LEFT")
    table.setStyle(PLAIN)
    if indent:
        table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (0, -1), indent)]))
    return table


class TextTable(Table):
    """A table whose plain cells use Noto Sans too (reportlab would set Helvetica, a font not embedded)."""

    def __init__(self, *args, style=None, **kw):
        super().__init__(*args, **kw)
        self.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR)]))
        if style is not None:
            self.setStyle(style)


# ---- the document ----

def finished_pdf(document: MinutesDocument, story: list, title: str, initials: bool = False) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN + 10 * mm, title=title, author=document.organisation,
                            subject=document.organ, lang=document.language, invariant=1, creator="motesplats",
                            initialFontName=fonts.REGULAR)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=_show_outline)])
    footer = f"{document.organ or document.organisation} · {document.day}"
    doc.build(story, canvasmaker=lambda *a, **k: _FooterCanvas(*a, footer=footer, document=document,
                                                                  initials=initials, **k))
    dated = document.adjusted or document.meeting.start.date()  # a draft bears the meeting's day
    return as_pdfa(buffer.getvalue(), title=title, language=document.language, dated=dated)


def _show_outline(canv, doc) -> None:
    if canv.getPageNumber() == 1:
        canv.showOutline()  # readers open the bookmarks beside the first page


class _FooterCanvas(PageTotalCanvas):
    """Each page's foot: the organ and date, 'Sida 2 av 5', and on the minutes boxes for the
    chair's and adjusters' initials."""

    def __init__(self, *args, footer: str, document: MinutesDocument, initials: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer, self._document, self._initials = footer, document, initials

    def draw_foot(self, total: int) -> None:
        document = self._document
        y = MARGIN
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, y + 7 * mm, A4[0] - MARGIN, y + 7 * mm)
        self.setFont(fonts.REGULAR, BASE - 1.5)
        self.setFillColor(MUTED)
        page = label("page", document.language).format(n=self.getPageNumber(), total=total)
        self.drawRightString(A4[0] - MARGIN, y, page)
        box, gap = 9 * mm, 2 * mm
        room = A4[0] - 2 * MARGIN - self.stringWidth(page) - 2 * gap  # what the organ's name may take
        if self._initials:
            signers = len(document.adjusters) + (1 if document.chair else 0)
            right = A4[0] - MARGIN - 24 * mm
            left = right - signers * (box + gap)
            initials = label("initials", document.language)
            self.drawRightString(left - gap, y, initials)
            room = left - 3 * gap - self.stringWidth(initials) - MARGIN
        self.drawString(MARGIN, y, one_line(self._footer, fonts.REGULAR, BASE - 1.5, room))
        if self._initials:
            self.setStrokeColor(MUTED)
            for n in range(signers):
                self.rect(left + n * (box + gap), y - 1.8 * mm, box, 6.5 * mm)
        self.restoreState()
