"""The notice of adjustment (anslag om justerat protokoll) as a one-page PDF, sealed with the minutes.

It states what KL 8 kap. 12 § wants the notice board to say: which organ's minutes of which
meeting were adjusted and when, the day the notice went up and comes down, where the minutes are
kept, and how and until when the decisions may be appealed (KL 13 kap.). Laid out with the
minutes' type, colours and table helpers; no signature, as the law asks none.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Frame, PageTemplate, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from motesplats import fonts
from motesplats.render.dates import plain_day
from motesplats.render.labels import label
from motesplats.render.minutes_pdf import (ACCENT, BASE, BODY, H1, H2, KICKER, MARGIN, SMALL, WIDTH, facts_table, TextTable, e)
from motesplats.render.notices import Notice
from motesplats.render.pdf_archive import as_pdfa
from motesplats.render.pdf_outline import Marked, shrunk_to_fit


def render(notice: Notice, organisation: str, language: str) -> bytes:
    """The notice of adjustment `notice` in `language`, from `organisation`."""
    fonts.register()

    def word(key: str) -> str:
        return label(key, language)

    def day(value) -> str:
        return plain_day(value, language) if value else ""

    kind = word("notice of adjustment")
    top = TextTable([[Paragraph(f"<b>{e(organisation)}</b>", BODY), Paragraph(e(kind.upper()), KICKER)]],
                 colWidths=[WIDTH * 0.55, WIDTH * 0.45])
    top.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), BASE * 0.6)]))
    name = notice.organ or notice.title
    rows = [(word("organ"), notice.organ), (word("meeting heading"), notice.title),
            (word("meeting date"), day(notice.meeting_day)), (word("notice adjusted"), day(notice.adjusted)),
            (word("posted"), day(notice.up)), (word("notice last appeal day"), day(notice.last_appeal_day)),
            (word("taken down"), day(notice.down)), (word("notice kept at"), notice.kept_at)]
    story = [top, Spacer(1, BASE * 1.4),
             Marked(e(name), shrunk_to_fit(e(name), H1, WIDTH, A4[1] * 0.2, BASE + 1.5), f"{kind}: {name}"),
             Paragraph(e(word("notice adjusted text").format(date=day(notice.meeting_day))), BODY),
             Spacer(1, BASE * 0.6), facts_table([(key, e(value)) for key, value in rows], BASE * 17),
             Marked(e(word("notice how to appeal")), H2, word("notice how to appeal")),
             Paragraph(e(word("notice appeal text").format(date=day(notice.last_appeal_day))), BODY),
             Paragraph(e(word("notice period rule")), SMALL)]
    buffer = io.BytesIO()
    title = f"{kind}: {name}, {notice.title}"
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=title, author=organisation,
                            subject=notice.organ, lang=language, invariant=1, creator="motesplats",
                            initialFontName=fonts.REGULAR)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame])])
    doc.build(story)
    return as_pdfa(buffer.getvalue(), title=title, language=language, dated=notice.up)
