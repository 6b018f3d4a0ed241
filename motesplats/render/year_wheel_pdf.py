"""The årshjul on one A4 landscape page, to print and pin on the wall: the wheel on the left, the
legend and the numbered list of what is on it on the right (a long list runs on to further pages).

The wheel is drawn from the same layout as the web page's SVG. Only the embedded Noto Sans is
used; organisers' text is escaped before it reaches reportlab's paragraph markup.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas
from reportlab.platypus import Paragraph

from motesplats import fonts
from motesplats.render import year_wheel
from motesplats.render.labels import label
from motesplats.render.year_wheel import MONTH_BANDS, MONTH_INNER, OUTER, STYLES, Layout, Wheel

PAGE = landscape(A4)
MARGIN = 12 * mm
HEADER = 17 * mm
GUTTER = 9 * mm
WHEEL_RADIUS = 76 * mm  # leaves the list beside it room for a deadline on one line
COLUMN_LEFT = MARGIN + 2 * WHEEL_RADIUS + GUTTER
COLUMN_WIDTH = PAGE[0] - MARGIN - COLUMN_LEFT
INK = colors.HexColor(year_wheel.INK)
MUTED = colors.HexColor("#4a5360")
ACCENT = colors.HexColor("#0b4f8a")
RULE = colors.HexColor("#c9d5e2")
LIST_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0)  # the list's font size: the largest that fits beside the wheel
COLUMNS = 3  # on the pages the list runs on to
MONTH_SIZE = 29.0  # wheel units: smaller than on screen, large enough on paper
MARKER = 5.4  # points: the radius of a list entry's badge
MONTH_WIDTH = 19 * mm  # the list's left margin, for the months' names ("September" at 9 points)
TEXT_INDENT = MONTH_WIDTH + 2 * MARKER + 2 * mm
MONTH_SPACE = 2 * mm


def render(wheel: Wheel) -> bytes:
    """The wheel's PDF."""
    fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, invariant=1, initialFontName=fonts.REGULAR, lang=wheel.language)
    canvas.setTitle(f"{wheel.title} – {wheel.organisation}")
    canvas.setAuthor(wheel.organisation)
    canvas.setSubject(wheel.subtitle)
    canvas.setCreator("motesplats")
    _header(canvas, wheel)
    _wheel(canvas, wheel, year_wheel.layout(wheel))
    top = _legend(canvas, wheel)
    _list(canvas, wheel, top)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _header(canvas: Canvas, wheel: Wheel) -> None:
    top = PAGE[1] - MARGIN
    canvas.setFillColor(ACCENT)
    canvas.setFont(fonts.BOLD, 20)
    canvas.drawString(MARGIN, top - 18, wheel.title)
    canvas.setFillColor(INK)
    canvas.setFont(fonts.BOLD, 11)
    canvas.drawRightString(PAGE[0] - MARGIN, top - 10, wheel.organisation)
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.REGULAR, 9)
    canvas.drawRightString(PAGE[0] - MARGIN, top - 22, wheel.subtitle)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN, top - HEADER + 4 * mm, PAGE[0] - MARGIN, top - HEADER + 4 * mm)


# ---- the wheel ----

class _Place:
    """Wheel units (radius 500, y down) to points on the page."""

    def __init__(self) -> None:
        self.scale = WHEEL_RADIUS / (OUTER + 4)
        self.cx, self.cy = MARGIN + WHEEL_RADIUS, (PAGE[1] - HEADER) / 2  # in the middle, under the heading

    def at(self, x: float, y: float) -> tuple[float, float]:
        return self.cx + x * self.scale, self.cy - y * self.scale

    def polar(self, radius: float, degrees: float) -> tuple[float, float]:
        return self.at(*year_wheel.point(radius, degrees))


def _sector(canvas: Canvas, place: _Place, inner: float, outer: float, start: float, end: float, fill: str) -> None:
    canvas.setFillColor(colors.HexColor(fill))
    path = canvas.beginPath()
    if end - start >= 360:
        path.circle(place.cx, place.cy, outer * place.scale)
        path.circle(place.cx, place.cy, inner * place.scale)
        canvas.drawPath(path, stroke=0, fill=1, fillMode=FILL_EVEN_ODD)
        return
    o, i = outer * place.scale, inner * place.scale
    path.moveTo(*place.polar(outer, start))
    path.arcTo(place.cx - o, place.cy - o, place.cx + o, place.cy + o, 90 - start, -(end - start))
    path.arcTo(place.cx - i, place.cy - i, place.cx + i, place.cy + i, 90 - end, end - start)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _wheel(canvas: Canvas, wheel: Wheel, shape: Layout) -> None:
    place = _Place()
    for month, (start, end) in enumerate(shape.months, 1):
        _sector(canvas, place, MONTH_INNER, OUTER, start, end, MONTH_BANDS[month % 2])
    for band in shape.bands:
        _sector(canvas, place, band.inner, band.outer, 0, 360, STYLES[band.ring].band)
    canvas.setStrokeColor(colors.white)
    canvas.setLineWidth(4 * place.scale)
    for start, _ in shape.months:
        canvas.line(*place.polar(shape.bands[-1].inner, start), *place.polar(OUTER, start))
    bands = {band.ring: band for band in shape.bands}
    for mark in shape.marks:
        band = bands[mark.ring]
        _sector(canvas, place, band.inner, band.outer, mark.start, mark.end, STYLES[mark.ring].mark)
    canvas.setLineWidth(2.5 * place.scale)
    for badge in shape.badges:
        if badge.leader:
            canvas.setStrokeColor(colors.HexColor(STYLES[badge.ring].ink))
            x1, y1, x2, y2 = badge.leader
            canvas.line(*place.at(x1, y1), *place.at(x2, y2))
    for badge in shape.badges:
        _badge(canvas, badge.ring, *place.at(badge.x, badge.y), badge.radius * place.scale,
               year_wheel.number_size(badge.radius, badge.number) * place.scale, str(badge.number))
    _month_names(canvas, wheel, shape, place)
    size = min(shape.centre * 0.62, 120.0) * place.scale
    canvas.setFillColor(INK)
    canvas.setFont(fonts.BOLD, size)
    canvas.drawCentredString(place.cx, place.cy - size * 0.36, str(wheel.year))


def _month_names(canvas: Canvas, wheel: Wheel, shape: Layout, place: _Place) -> None:
    canvas.setFillColor(INK)
    size = MONTH_SIZE * place.scale
    for month, (start, end) in enumerate(shape.months, 1):
        middle = (start + end) / 2
        x, y = place.polar((MONTH_INNER + OUTER) / 2, middle)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.rotate(-year_wheel.month_label_rotation(middle))
        canvas.setFont(fonts.BOLD, size)
        canvas.drawCentredString(0, -size * 0.35, year_wheel.month_name(month, wheel.language))
        canvas.restoreState()


def _badge(canvas: Canvas, ring: str, x: float, y: float, radius: float, size: float, text: str) -> None:
    """A numbered badge in its ring's colour and shape (filled circle, filled square, or ring)."""
    style = STYLES[ring]
    ink = colors.HexColor(style.ink)
    canvas.setFillColor(ink)
    canvas.setStrokeColor(ink)
    if style.shape == "square":
        side = radius * 1.76
        canvas.roundRect(x - side / 2, y - side / 2, side, side, radius * 0.3, stroke=0, fill=1)
    elif style.shape == "ring":
        stroke = radius * 0.2
        canvas.setLineWidth(stroke)
        canvas.setFillColor(colors.white)
        canvas.circle(x, y, radius - stroke / 2, stroke=1, fill=1)
    else:
        canvas.circle(x, y, radius, stroke=0, fill=1)
    canvas.setFillColor(ink if style.shape == "ring" else colors.white)
    canvas.setFont(fonts.BOLD, size)
    canvas.drawCentredString(x, y - size * 0.36, text)


# ---- the legend and the list ----

def _legend(canvas: Canvas, wheel: Wheel) -> float:
    """The rings' colours and how to read the wheel, at the top of the right column; returns where
    the list may begin."""
    y = PAGE[1] - MARGIN - HEADER - 2 * mm
    x = COLUMN_LEFT
    for ring in wheel.rings:
        _badge(canvas, ring, x + MARKER, y - MARKER, MARKER, 8, "")
        canvas.setFillColor(INK)
        canvas.setFont(fonts.REGULAR, 10)
        name = year_wheel.ring_name(ring, wheel.language)
        canvas.drawString(x + 2 * MARKER + 2 * mm, y - MARKER - 3.5, name)
        x += 2 * MARKER + 5 * mm + canvas.stringWidth(name, fonts.REGULAR, 10)
    how = Paragraph(escape(label("year wheel how", wheel.language)), _style(8, MUTED))
    _, height = how.wrap(COLUMN_WIDTH, PAGE[1])
    how.drawOn(canvas, COLUMN_LEFT, y - 2 * MARKER - 2 * mm - height)
    top = y - 2 * MARKER - 2 * mm - height - 4 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(COLUMN_LEFT, top + 2 * mm, PAGE[0] - MARGIN, top + 2 * mm)
    return top


def _style(size: float, colour=INK, font: str = fonts.REGULAR) -> ParagraphStyle:
    return ParagraphStyle(f"wheel-{size}-{font}", fontName=font, fontSize=size, leading=size * 1.3, textColor=colour)


@dataclass(frozen=True)
class _Row:
    """One entry of the list: its badge, its text and its month (named beside the month's first
    entry, and again at the top of a column)."""

    number: int
    ring: str
    text: Paragraph
    month: str
    opens_month: bool


def _rows(wheel: Wheel, size: float) -> list[_Row]:
    rows = []
    for month, numbered in year_wheel.by_month(wheel):
        for n, (number, entry) in enumerate(numbered):
            text = f"<b>{escape(year_wheel.when(entry, wheel.language))}</b>  {escape(entry.label)}"
            rows.append(_Row(number, entry.ring, Paragraph(text, _style(size)),
                             year_wheel.month_name(month, wheel.language), n == 0))
    return rows


def _height(row: _Row, width: float, first: bool) -> float:
    """A row's height in a column `width` wide (wrapping its text to that width); a month's first
    row is set apart from the month before, but not at the top of a column."""
    size = row.text.style.fontSize
    space = MONTH_SPACE if row.opens_month and not first else 0
    return space + max(row.text.wrap(width - TEXT_INDENT, PAGE[1])[1], 2 * MARKER) + size * 0.3


def _list(canvas: Canvas, wheel: Wheel, top: float) -> None:
    """The numbered list beside the wheel at the largest size that fits; what does not fit even at
    the smallest runs on to pages of three columns."""
    for size in LIST_SIZES:
        rows = _rows(wheel, size)
        if sum(_height(row, COLUMN_WIDTH, n == 0) for n, row in enumerate(rows)) <= top - MARGIN:
            break
    left = _stack(canvas, rows, COLUMN_LEFT, top, COLUMN_WIDTH)
    width = (PAGE[0] - 2 * MARGIN - GUTTER * (COLUMNS - 1)) / COLUMNS
    while left:
        canvas.showPage()
        _header(canvas, wheel)
        for column in range(COLUMNS):
            left = _stack(canvas, left, MARGIN + column * (width + GUTTER), PAGE[1] - MARGIN - HEADER, width)


def _stack(canvas: Canvas, rows: list[_Row], x: float, top: float, width: float) -> list[_Row]:
    """Draw rows down one column from `top`; return those that did not fit (a row taller than a
    whole column is drawn anyway)."""
    y = top
    for index, row in enumerate(rows):
        first = y == top
        height = _height(row, width, first)
        if y - height < MARGIN and not first:
            return rows[index:]
        if row.opens_month and not first:
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.5)
            canvas.line(x, y - MONTH_SPACE / 2, x + width, y - MONTH_SPACE / 2)
            _row(canvas, row, x, y - MONTH_SPACE, width, named=True)
        else:
            _row(canvas, row, x, y, width, named=first or row.opens_month)
        y -= height
    return []


def _row(canvas: Canvas, row: _Row, x: float, top: float, width: float, named: bool) -> None:
    """The badge and the text, and when `named` the month's name in the column's left margin."""
    _, text_height = row.text.wrap(width - TEXT_INDENT, PAGE[1])
    size, leading = row.text.style.fontSize, row.text.style.leading
    middle = top - max(MARKER, leading / 2)  # the first line's middle, where the badge sits
    if named:
        canvas.setFillColor(ACCENT)
        canvas.setFont(fonts.BOLD, size)
        canvas.drawString(x, middle - size * 0.36, row.month)
    _badge(canvas, row.ring, x + MONTH_WIDTH + MARKER, middle, MARKER, MARKER * (1.05 if row.number < 100 else 0.82),
           str(row.number))
    row.text.drawOn(canvas, x + TEXT_INDENT, middle + leading / 2 - text_height)
