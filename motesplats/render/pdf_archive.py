"""PDF/A-2b for what is kept: reportlab's PDF finished as an archive copy (ISO 19005-2, level B).

Minutes, extracts and notices are public records a registry keeps for decades; PDF/A is the
format archives accept (Riksarkivet's too). reportlab stays the renderer and already embeds every
font; pikepdf (qpdf) adds what reportlab cannot: the sRGB output intent the colours are read
against, XMP metadata saying the file is PDF/A-2b, and a trailer /ID worked out from the content.

The same PDF and arguments always give the same bytes: nothing here reads the clock, and the
dates in the file are the document's own (the day it was adjusted or posted), not when it was made.
"""

from __future__ import annotations

import io
import struct
from datetime import date
from functools import lru_cache

PRODUCER = "ReportLab PDF Library; PDF/A-2b by pikepdf"
SRGB = "sRGB IEC61966-2.1"
PRINT, NOT_SHOWN = 4, 1 | 2 | 32 | 256  # annotation flags: Print; Invisible, Hidden, NoView, ToggleNoView


def as_pdfa(pdf: bytes, *, title: str, language: str, dated: date | None = None) -> bytes:
    """`pdf` (from reportlab, every font embedded) as PDF/A-2b titled `title` in `language` (a BCP 47
    tag: "sv"). `dated` is the day the document bears (its adjustment, its posting): the file's
    creation and modification dates; without it the file carries no dates rather than invented
    ones. Raises ValueError for a font that is not embedded, which no PDF/A may contain."""
    import pikepdf  # only the commands that write a record pay for loading it

    with pikepdf.open(io.BytesIO(pdf)) as document:
        _refuse_fonts_not_embedded(document)
        _set_info(document, title, dated)
        document.Root.Lang = pikepdf.String(language)
        document.Root.OutputIntents = pikepdf.Array([_srgb_output_intent(document)])
        for page in document.pages:
            for annotation in page.obj.get("/Annots", ()):
                flags = int(annotation.get("/F", 0))
                annotation.F = (flags | PRINT) & ~NOT_SHOWN
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp.load_from_docinfo(document.docinfo, raise_failure=True)
            xmp["dc:language"] = [language]
            xmp["pdfaid:part"] = "2"
            xmp["pdfaid:conformance"] = "B"
        out = io.BytesIO()
        # 1.7: the profile is ICC version 4, which PDF reads from 1.5 on
        document.save(out, min_version="1.7", deterministic_id=True)
    return out.getvalue()


def _set_info(document, title: str, dated: date | None) -> None:
    """The Info dictionary, every entry of it one the XMP metadata can say the same way."""
    import pikepdf
    info = document.docinfo
    for key in ("/Trapped", "/CreationDate", "/ModDate"):  # reportlab's invariant dates are 1 January 2000
        if key in info:
            del info[key]
    for key in [key for key, value in info.items() if str(value) == ""]:
        del info[key]
    info.Title = pikepdf.String(title)
    info.Producer = pikepdf.String(PRODUCER)
    if dated is not None:
        info.CreationDate = info.ModDate = pikepdf.String(f"D:{dated:%Y%m%d}")


def _refuse_fonts_not_embedded(document) -> None:
    """Every font object in the file has its program inside it (a standard-14 Helvetica does not)."""
    import pikepdf
    for font in document.objects:
        if not isinstance(font, pikepdf.Dictionary) or font.get("/Type") != "/Font" or font.get("/Subtype") == "/Type3":
            continue
        described = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
        descriptor = described.get("/FontDescriptor", {})
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            raise ValueError(f"the font {font.get('/BaseFont')} is not embedded, and PDF/A needs every font embedded")


def _srgb_output_intent(document):
    import pikepdf
    profile = pikepdf.Stream(document, srgb_profile())
    profile.N = 3
    profile.Alternate = pikepdf.Name.DeviceRGB
    return document.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1, OutputConditionIdentifier=SRGB,
        RegistryName="http://www.color.org", Info=SRGB, DestOutputProfile=profile))


PROFILE_DATE, PROFILE_ID = slice(24, 36), slice(84, 100)  # in the ICC header (ICC.1:2010, 7.2)


@lru_cache(maxsize=None)
def srgb_profile() -> bytes:
    """An ICC profile of sRGB, made by Little CMS through Pillow (which reportlab and pikepdf both
    need): made here rather than shipped or fetched, and free of anyone's licence ("No copyright,
    use freely"). Little CMS stamps it with the time it is made; it is dated 1 January 2000
    instead, so that the same document always gives the same bytes, and its profile ID (an MD5
    that would cover the date) is left zero, which says "not computed"."""
    from PIL import ImageCms
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[PROFILE_DATE] = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)
    profile[PROFILE_ID] = bytes(16)
    return bytes(profile)
