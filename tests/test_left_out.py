"""The web copy and the archive copy of the minutes, through `build` on a copy of the example: what is
marked (a whole §, a passage) and personal identity numbers are left out of what is published, the
record keeps the whole minutes beside the web copy, and the web copy comes down after its period."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from motesplats.build import SECRET_FILE, build
from motesplats.outputs import Request
from motesplats.workspace import open_workspace
from tests.conftest import before_sealing

JUNE = "styrelsemote-2018-06-08"
MARCH = "styrelsemote-2018-03-16"
RECORD = Path("records/board/2018") / JUNE
EVENTS = "events/styrelsemoten-2018.toml"
MINUTES_ONLY = Request(("minutes",))
LEFT_OUT = "utelämnat i webbversionen"
NUMBER = "811218-9876"
BUILT = datetime(2018, 12, 31, 12, tzinfo=timezone.utc)


def edit(path: Path, old: str, new: str, after: str = "") -> None:
    """Replace the first `old` after `after`."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old, text.index(after) if after else 0)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


@pytest.fixture
def marked(example_files: Path) -> Path:
    """The example before sealing, with the June meeting's § 19 (item 7) left off the web and a
    passage and a personal identity number in its § 22 (item 10) decision."""
    root = before_sealing(example_files)
    (root / SECRET_FILE).write_text("ab" * 32 + "\n", encoding="ascii")
    events = root / EVENTS
    edit(events, 'documents = ["Lägesrapport En Bättre Matchning, juni 2018"]\n',
         'documents = ["Lägesrapport En Bättre Matchning, juni 2018"]\nweb = false\nweb_reason = "OSL 21 kap. 7 §"\n')
    edit(events, 'text = "Inga övriga frågor anmäls."',
         f'text = "Styrelsen beviljar [[ej webb]]Kalle Svensson, Storgatan 1[[/ej webb]] bidrag. '
         f'Sökanden {NUMBER} underrättas."', after=f'id = "{JUNE}"')
    return root


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(content: bytes) -> str:
    parser = _Text()
    parser.feed(content.decode("utf-8"))
    return " ".join(" ".join(parser.parts).split())


def test_the_web_copy_leaves_out_what_is_marked_and_the_record_keeps_it_whole(marked):
    build(open_workspace(marked), MINUTES_ONLY, now=BUILT)
    record = marked / RECORD
    manifest = json.loads((record / "manifest.json").read_bytes())
    assert {"minutes.sv.pdf", "minutes.sv.html", "minutes.sv.web.pdf", "minutes.sv.web.html"} <= set(manifest["files"])
    assert manifest["left_out_of_web"] == [19, 22]

    for archive in (pdf_text((record / "minutes.sv.pdf").read_bytes()),
                    html_text((record / "minutes.sv.html").read_bytes())):
        assert "Kalle Svensson, Storgatan 1" in archive and NUMBER in archive
        assert "Styrelsen lägger lägesrapporten till handlingarna." in archive
        assert LEFT_OUT not in archive.lower() and "ej webb" not in archive  # whole, the markers gone
    for web in (pdf_text((record / "minutes.sv.web.pdf").read_bytes()),
                html_text((record / "minutes.sv.web.html").read_bytes())):
        assert "Kalle" not in web and "Storgatan" not in web and "9876" not in web
        assert f"Styrelsen beviljar [{LEFT_OUT}] bidrag. Sökanden [{LEFT_OUT}] underrättas." in web
        # § 19 keeps its number, title and reason, and nothing else of it is shown
        assert f"§ 19 En Bättre Matchning: lägesrapport om den storregionala systembilden " \
               f"Utelämnat i webbversionen (OSL 21 kap. 7 §)" in web
        assert "lägesrapporten till handlingarna" not in web and "Johan Ekelund" not in web
        assert "Webbversion" in web

    # What is published is the web copy, byte for byte; the extracts of § 19 and § 22 stay in the
    # record, whole, for dispatch, and are not published.
    published = marked / "build" / "minutes"
    assert (published / f"{JUNE}.sv.pdf").read_bytes() == (record / "minutes.sv.web.pdf").read_bytes()
    assert (published / f"{JUNE}.sv.html").read_bytes() == (record / "minutes.sv.web.html").read_bytes()
    assert not (published / f"{JUNE}.p19.sv.pdf").exists() and not (published / f"{JUNE}.p22.sv.pdf").exists()
    assert (published / f"{JUNE}.p21.sv.pdf").read_bytes() == (record / "extract.p21.sv.pdf").read_bytes()
    assert "Kalle Svensson" in pdf_text((record / "extract.p22.sv.pdf").read_bytes())

    # A record with nothing left out has one copy, published as it is.
    march = marked / "records/board/2018" / MARCH
    assert not any(".web." in name for name in json.loads((march / "manifest.json").read_bytes())["files"])
    assert (published / f"{MARCH}.sv.pdf").read_bytes() == (march / "minutes.sv.pdf").read_bytes()


def test_a_draft_is_published_as_its_web_copy(marked):
    events = marked / EVENTS
    edit(events, "adjusted = 2018-06-13\n", "")
    edit(events, "posted = 2018-06-14\n", "")
    build(open_workspace(marked), MINUTES_ONLY, now=BUILT)
    assert not (marked / RECORD).exists()
    (pdf,) = (marked / "build" / "minutes").glob(f"{JUNE}-*.sv.pdf")
    (page,) = (marked / "build" / "minutes").glob(f"{JUNE}-*.sv.html")
    for web in (pdf_text(pdf.read_bytes()), html_text(page.read_bytes())):
        assert f"[{LEFT_OUT}]" in web and "Kalle" not in web and NUMBER not in web
        assert "Utelämnat i webbversionen (OSL 21 kap. 7 §)" in web


def test_the_web_copy_comes_down_after_the_organs_period_and_the_record_stays(marked):
    edit(marked / "events/rosters.toml", "public_minutes = true\n", 'public_minutes = true\nweb_minutes_for = "2 years"\n')
    workspace = open_workspace(marked)
    build(workspace, MINUTES_ONLY, now=datetime(2020, 6, 11, 12, tzinfo=timezone.utc))  # adjusted 2018-06-13
    published = marked / "build" / "minutes"
    assert (published / f"{JUNE}.sv.pdf").is_file() and (published / f"{JUNE}.p21.sv.pdf").is_file()
    sealed = {path.name: path.read_bytes() for path in (marked / RECORD).iterdir()}

    report = build(workspace, MINUTES_ONLY, now=datetime(2020, 6, 13, 12, tzinfo=timezone.utc))
    assert not list(published.glob(f"{JUNE}.*")) and not list(published.glob(f"{MARCH}.*"))
    assert f"minutes/{JUNE}.sv.pdf" in report.removed
    assert (published / "styrelsemote-2018-11-30.sv.pdf").is_file()  # adjusted in December: still up
    assert {path.name: path.read_bytes() for path in (marked / RECORD).iterdir()} == sealed
