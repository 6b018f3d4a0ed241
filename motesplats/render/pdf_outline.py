"""Pieces the PDF renderers share: headings that put themselves in the outline (the bookmarks a
reader's sidebar shows), a canvas that draws each page's foot once the page count is known, and
titles of any length in boxes of fixed size."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

ELLIPSIS = "…"


class PageTotalCanvas(Canvas):
    """Holds each finished page until the last, so every foot can say "Sida 2 av 5": one layout
    pass instead of two. Subclasses draw the foot in `draw_foot`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held: list[dict] = []

    def showPage(self):
        self._held.append(dict(self.__dict__))
        self._startPage()
        # The page is written out at save(); the document counts it now, so that bookmarks made
        # on the pages after it name their own page rather than the first.
        self._doc.pageCounter += 1

    def save(self):
        total = len(self._held)
        self._doc.pageCounter = 1  # counted again as each page is written
        for state in self._held:
            self.__dict__.update(state)
            self.draw_foot(total)
            super().showPage()
        super().save()

    def draw_foot(self, total: int) -> None:
        raise NotImplementedError


class Marked(Paragraph):
    """A paragraph that puts itself in the PDF outline when first drawn (a repeated table header
    row is drawn again on the next page, and must not add the entry twice)."""

    def __init__(self, text, style, outline: str = "", level: int = 0, **paragraph):
        super().__init__(text, style, **paragraph)
        self.outline = (outline, level)
        self._marked = not outline

    def split(self, availWidth, availHeight):
        """A heading too long for the rest of the page goes on over the next: its first part
        carries the outline entry (reportlab makes the parts without one)."""
        parts = super().split(availWidth, availHeight)
        if parts and not self._marked:
            parts[0].outline, parts[0]._marked = self.outline, False
        return parts

    def draw(self):
        super().draw()
        if not self._marked:
            self._marked = True
            canv = self.canv
            number = getattr(canv, "_motesplats_outline", 0) + 1
            canv._motesplats_outline = number
            key = f"section-{number}"
            canv.bookmarkHorizontal(key, 0, self.height + 4)
            canv.addOutlineEntry(self.outline[0], key, level=self.outline[1], closed=False)


def shrunk_to_fit(markup: str, style: ParagraphStyle, width: float, height: float,
                  smallest: float) -> ParagraphStyle:
    """`style`, its type made smaller (not below `smallest`) until `markup` wraps into `height`:
    a long title takes a few lines of smaller type rather than more than a page, which a table
    cell (a banner) cannot split."""
    size = style.fontSize
    while size > smallest:
        fitted = ParagraphStyle(f"{style.name}-{size:.2f}", parent=style, fontSize=size,
                                leading=size * style.leading / style.fontSize)
        if Paragraph(markup, fitted).wrap(width, height)[1] <= height:
            return fitted
        size = max(smallest, size * 0.9)
    return ParagraphStyle(f"{style.name}-{size:.2f}", parent=style, fontSize=size,
                          leading=size * style.leading / style.fontSize)


def one_line(text: str, font: str, size: float, width: float) -> str:
    """`text` as it fits on one line `width` wide: whole, or cut after a word with an ellipsis.
    For what repeats a title where there is room for one line (a running header, a badge's
    event line); the title itself is printed whole elsewhere."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and stringWidth(" ".join(words) + ELLIPSIS, font, size) > width:
        words.pop()
    shown = " ".join(words)
    while shown and stringWidth(shown + ELLIPSIS, font, size) > width:
        shown = shown[:-1]  # one word longer than the line
    return shown.rstrip(" ,;:–-") + ELLIPSIS
