"""The PDF/A-2b markers (ISO 19005-2, level B) as an archive's validator reads them, checked with
pypdf and the standard library's XML parser rather than the pikepdf that wrote them."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from PIL import ImageCms
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/"}
PRINT, NOT_SHOWN = 4, 1 | 2 | 32 | 256  # Invisible, Hidden, NoView, ToggleNoView


@dataclass(frozen=True)
class Archived:
    """What a PDF/A-2b file says about itself."""

    title: str
    language: str
    created: str | None   # the dates as the XMP gives them
    modified: str | None
    fonts: int            # fonts found in the pages' resources, all embedded
    annotations: int      # annotations, all printed


def archived(pdf: bytes) -> Archived:
    """Assert that `pdf` carries every PDF/A-2b marker; return what its metadata says."""
    reader = PdfReader(io.BytesIO(pdf))
    assert "/Encrypt" not in reader.trailer
    identifier = reader.trailer["/ID"]
    assert len(identifier) == 2 and all(len(part) == 16 for part in identifier)
    root = reader.trailer["/Root"]
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    data = profile.get_data()
    assert profile["/N"] == 3 and data[36:40] == b"acsp" and data[16:20] == b"RGB " and data[12:16] == b"mntr"
    assert data[8] < 5  # ICC version 4 at most
    ImageCms.buildTransform(ImageCms.ImageCmsProfile(io.BytesIO(data)), ImageCms.createProfile("LAB"), "RGB", "LAB")
    metadata = root["/Metadata"].get_object()
    assert "/Filter" not in metadata  # an archive reads the XMP without decoding it
    xmp = ElementTree.fromstring(metadata.get_data())

    def value(path: str) -> str | None:
        """A property written as an element or, as RDF allows for plain text, as an attribute."""
        found = xmp.find(f".//rdf:Description/{path}", NS)
        if found is not None:
            return found.text
        prefix, name = path.split(":", 1)
        attributes = [d.get(f"{{{NS[prefix]}}}{name}") for d in xmp.iterfind(".//rdf:Description", NS)]
        return next((found for found in attributes if found is not None), None)

    assert value("pdfaid:part") == "2" and value("pdfaid:conformance") == "B"
    title, language = value("dc:title/rdf:Alt/rdf:li"), value("dc:language/rdf:Bag/rdf:li")
    assert root["/Lang"] == language and title and language
    info = reader.trailer["/Info"].get_object()
    assert info["/Title"] == title and value("pdf:Producer")
    created, modified = value("xmp:CreateDate"), value("xmp:ModifyDate")
    for key, xmp_date in (("/CreationDate", created), ("/ModDate", modified)):
        assert _moment(info.get(key), pdf=True) == _moment(xmp_date), key
    fonts = sum(_embedded_fonts(page["/Resources"]) for page in reader.pages)
    annotations = 0
    for page in reader.pages:
        for annotation in page.get("/Annots", ()):
            flags = annotation.get_object().get("/F", 0)
            assert flags & PRINT and not flags & NOT_SHOWN, annotation.get_object()
            annotations += 1
    assert not re.search(rb"/(JavaScript|JS|Launch|LZWDecode|EmbeddedFiles)\b", pdf)
    return Archived(title, language, created, modified, fonts, annotations)


PDF_DATE = re.compile(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:(Z)|([+-])(\d\d)'?(\d\d)?'?)?$")


def _moment(date: str | None, pdf: bool = False) -> datetime | None:
    """A PDF date (D:20261202173222Z) or an XMP one (2026-12-02T17:32:22+00:00) as a datetime."""
    if date is None:
        return None
    if not pdf:
        return datetime.fromisoformat(date)
    year, month, day, hour, minute, second, utc, sign, hours, minutes = PDF_DATE.match(date).groups()
    zone = timezone.utc if utc else None
    if sign:
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
        zone = timezone(offset if sign == "+" else -offset)
    return datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0),
                    tzinfo=zone)


def _embedded_fonts(resources) -> int:
    """The fonts in `resources` and in its form XObjects', asserting each has its program inside."""
    resources = resources.get_object() if resources is not None else DictionaryObject()
    count = 0
    for name, font in resources.get("/Font", DictionaryObject()).items():
        font = font.get_object()
        described = font["/DescendantFonts"][0].get_object() if font["/Subtype"] == "/Type0" else font
        descriptor = described["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name} ({font['/BaseFont']}) not embedded"
        count += 1
    for xobject in resources.get("/XObject", DictionaryObject()).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            count += _embedded_fonts(xobject.get("/Resources"))
    return count

