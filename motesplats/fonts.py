"""The fonts shipped with motesplats, registered once for reportlab.

Noto Sans covers Latin Extended, Greek, Cyrillic and Vietnamese, so Åsa Öberg, Łukasz Żółć,
Şükrü Çağlar, Nguyễn Văn Anh and Σωκράτης all print as written; reportlab embeds a subset of
it in each PDF, which print shops require.

The renderers draw with these fonts and the validator warns about names they cannot draw, so
the fonts sit beside both rather than under render/.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "NotoSans"
STYLES = {  # reportlab name -> (file, bold, italic)
    "NotoSans": ("NotoSans-Regular.ttf", 0, 0),
    "NotoSans-Bold": ("NotoSans-Bold.ttf", 1, 0),
    "NotoSans-Italic": ("NotoSans-Italic.ttf", 0, 1),
    "NotoSans-BoldItalic": ("NotoSans-BoldItalic.ttf", 1, 1),
}
REGULAR, BOLD, ITALIC, BOLD_ITALIC = STYLES


@lru_cache(maxsize=None)
def register() -> str:
    """Register the family with reportlab (once per process); return its name for styles."""
    for name, (_, bold, italic) in STYLES.items():
        _style(name)
        addMapping(FAMILY, bold, italic, name)
    return FAMILY


@lru_cache(maxsize=None)
def _style(name: str) -> TTFont:
    """One style of the family, read and registered (reading a font file takes a twentieth of a second)."""
    with resources.as_file(resources.files("motesplats") / "data" / "fonts" / STYLES[name][0]) as path:
        font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    return font


def missing_characters(text: str) -> set[str]:
    """Characters of `text` the shipped font cannot draw (they would print as empty boxes)."""
    glyphs = _style(REGULAR).face.charToGlyph
    return {char for char in text if not char.isspace() and ord(char) not in glyphs}
