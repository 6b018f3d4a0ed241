"""Headings that put themselves in a PDF's outline (the bookmarks a reader's sidebar shows)."""

from __future__ import annotations

from reportlab.platypus import Paragraph


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
