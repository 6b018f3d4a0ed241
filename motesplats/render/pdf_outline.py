"""Pieces the PDF renderers share: headings that put themselves in the outline (the bookmarks a
reader's sidebar shows), and a canvas that draws each page's foot once the page count is known."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph


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

    def __init__(self, text, style, outline: str, level: int = 0):
        super().__init__(text, style)
        self.outline = (outline, level)
        self._marked = False

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
