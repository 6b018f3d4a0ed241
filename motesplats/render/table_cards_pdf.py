"""Table cards for a dinner or a signing ceremony: folded tent cards, one person per sheet.

The sheet is folded across its middle into a tent. Both faces show the name (and the
organisation), so the guests across the table and the person's neighbours can read it; the
upper half is drawn turned 180°, so that once folded it stands the right way up. The fold is
marked with a light dashed line and small ticks at the edges, which disappear into the fold.

Who gets a card and in which order is what the badges use (`badges_pdf.attendees`).
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.pdfgen.canvas import Canvas

from motesplats import fonts
from motesplats.badge_styles import RoleStyles
from motesplats.model import Event, Person, Plan
from motesplats.render.badges_pdf import LEADING, attendees, fit_text, new_canvas, plain_streams
from motesplats.render.labels import label
from motesplats.render.pdf_outline import one_line

# paper -> (page size in landscape, pt), name size range, organisation size, margin (pt)
PAPERS = {
    "A4": (landscape(A4), 72.0, 40.0, 26.0, 42.0),
    "A5": (landscape(A5), 52.0, 30.0, 18.0, 30.0),
}
_INK = (0.10, 0.10, 0.12)
_GREY = (0.35, 0.35, 0.38)
_CAP, _DESCENT = 0.714, 0.24


def _face(canvas: Canvas, person: Person, width: float, height: float, paper: str, footer: str) -> None:
    """One face, its bottom edge at y = 0 and its top at the fold (y = height)."""
    _, largest, smallest, org_size, margin = PAPERS[paper]
    inner = width - 2 * margin
    org_lines, org_size = fit_text(person.organisation, fonts.REGULAR, inner, org_size * 2.3, org_size,
                                   org_size * 0.75, 2)
    footer_size = org_size * 0.55
    org_height = (len(org_lines) * LEADING) * org_size if org_lines else 0.0
    usable = height - 2 * margin - footer_size * 2 - org_height
    name_lines, name_size = fit_text(person.name, fonts.BOLD, inner, usable, largest, smallest, 2)
    name_height = name_size * (_CAP + (len(name_lines) - 1) * LEADING)
    block = name_height + (org_size * (0.6 + _CAP + (len(org_lines) - 1) * LEADING) if org_lines else 0.0)
    # the name and organisation centred in the face, a little above the middle (the eye's centre)
    top = footer_size * 2 + (height - footer_size * 2 + block) / 2 + height * 0.03
    top = min(top, height - margin)
    canvas.setFillColorRGB(*_INK)
    canvas.setFont(fonts.BOLD, name_size)
    baseline = top - name_size * _CAP
    for number, line in enumerate(name_lines):
        if number:
            baseline -= name_size * LEADING
        canvas.drawCentredString(width / 2, baseline, line)
    if org_lines:
        canvas.setFillColorRGB(*_GREY)
        canvas.setFont(fonts.REGULAR, org_size)
        baseline -= name_size * _DESCENT + org_size * (0.6 + _CAP)
        for number, line in enumerate(org_lines):
            if number:
                baseline -= org_size * LEADING
            canvas.drawCentredString(width / 2, baseline, line)
    if footer:
        canvas.setFillColorRGB(*_GREY)
        shown = one_line(footer, fonts.REGULAR, footer_size, inner)  # a long title shortened, not microscopic
        lines, size = fit_text(shown, fonts.REGULAR, inner, footer_size * 1.2, footer_size, 5.0, 1)
        canvas.setFont(fonts.REGULAR, size)
        canvas.drawCentredString(width / 2, margin * 0.6, lines[0])


def _fold(canvas: Canvas, width: float, height: float) -> None:
    """A light dashed line across the middle, and short solid ticks at both edges."""
    middle = height / 2
    canvas.setStrokeColorRGB(0.72, 0.72, 0.72)
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 4)
    canvas.line(18, middle, width - 18, middle)
    canvas.setDash()
    canvas.line(0, middle, 10, middle)
    canvas.line(width - 10, middle, width, middle)


def render_table_cards(plan: Plan, event: Event, paper: str = "A4", language: str = "sv",
                       roles: RoleStyles | None = None, footer: bool = True) -> bytes:
    """A PDF with one tent card per attendee (surname order) on A4 or A5 landscape sheets.

    `footer` adds the event's title in small type along each face's bottom edge.
    """
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; use one of {', '.join(PAPERS)}")
    with plain_streams():
        return _render(plan, event, paper, language, roles, footer)


def _render(plan: Plan, event: Event, paper: str, language: str, roles: RoleStyles | None, footer: bool) -> bytes:
    (width, height), *_ = PAPERS[paper]
    title = event.title.get(language, plan.settings.language)
    buffer = BytesIO()
    canvas = new_canvas(buffer, width, height, f"{title}: {label('table cards', language)}")
    face_height = height / 2
    for attendee in attendees(plan, event, roles):
        person = attendee.person
        text = title if footer else ""
        _face(canvas, person, width, face_height, paper, text)  # the near face, as it stands
        canvas.saveState()
        canvas.translate(width, height)  # the far face: turned half a turn about the sheet's centre
        canvas.rotate(180)
        _face(canvas, person, width, face_height, paper, text)
        canvas.restoreState()
        _fold(canvas, width, height)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
