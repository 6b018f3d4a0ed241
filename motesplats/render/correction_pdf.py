"""A correction (rättelse) of adjusted minutes as PDF, laid out as the minutes are: their heading,
the day the correction was adjusted and its text, the time, place or present list and each § with
what it said and what it says now, and lines for those who adjust it to sign."""

from __future__ import annotations

from reportlab.platypus import KeepTogether, Paragraph, Spacer

from motesplats import fonts
from motesplats.render.correction import Change, CorrectedFact, CorrectedParagraph, CorrectionDocument
from motesplats.render.minutes_pdf import (
    BASE, BODY, H2, PARAGRAPH, WIDTH, PLAIN, facts_table, document_heading, finished_pdf, signature_line, TextTable, e,
)
from motesplats.render.pdf_outline import Marked


def render_correction(document: CorrectionDocument) -> bytes:
    fonts.register()
    minutes, word = document.minutes, document.minutes.word
    kind = word("correction")
    story = [*document_heading(minutes, kind, document.span), Spacer(1, BASE * 0.4),
             facts_table([(word("correction adjusted"), e(minutes.long_date(document.adjusted)))], BASE * 12),
             Marked(e(word("what is corrected")), H2, word("what is corrected")), Paragraph(e(document.text), BODY)]
    for fact in document.covered:
        story.append(KeepTogether(_fact(document, fact)))
    for paragraph in document.paragraphs:
        story.append(KeepTogether(_paragraph(document, paragraph)))
    lines = [signature_line(person, role) for person, role in document.signers]
    cells = [lines[i:i + 2] for i in range(0, len(lines), 2)]
    story += [Marked(e(word("signatures")), H2, word("signatures")),
              TextTable([row + [""] * (2 - len(row)) for row in cells] or [["", ""]], colWidths=[WIDTH / 2] * 2,
                     style=PLAIN)]
    return finished_pdf(minutes, story, f"{kind}: {minutes.title}, {document.concerns}")


def _paragraph(document: CorrectionDocument, paragraph: CorrectedParagraph) -> list:
    heading = TextTable([[Paragraph(f"§ {paragraph.number}", PARAGRAPH),
                       Marked(e(paragraph.title), PARAGRAPH, f"§ {paragraph.number} {paragraph.title}", 1)]],
                     colWidths=[BASE * 5, WIDTH - BASE * 5], style=PLAIN)
    return [Spacer(1, BASE), heading, *_changes(document, paragraph.changes)]


def _fact(document: CorrectionDocument, fact: CorrectedFact) -> list:
    """The time, place or present list: its heading where a § has its number and title."""
    heading = TextTable([[Marked(e(fact.title), PARAGRAPH, fact.title, 1)]], colWidths=[WIDTH], style=PLAIN)
    return [Spacer(1, BASE), heading, *_changes(document, fact.changes)]


def _changes(document: CorrectionDocument, changes: tuple[Change, ...]) -> list:
    """Each change as two lines: what it said before, and (in bold) what it says now."""
    word = document.minutes.word
    return [facts_table([(f"{change.label}, {word('said before').lower()}", e(change.before)),
                    (f"{change.label}, {word('says now').lower()}", f"<b>{e(change.now)}</b>")],
                   BASE * 14, indent=BASE * 5) for change in changes]
