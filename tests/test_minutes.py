"""Minutes and extracts through the CLI: read back with pdftotext and pdffonts as a registry and
a print shop would, and linked from feeds and the subscription page once adjusted."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import icalendar
import pytest

from motesplats.build import SECRET_FILE
from tests.pdfa import archived

BOARD_MARCH = "styrelsemote-2018-03-16"
REGIONAL_BOARD = "regionstyrelsen-2020-01-28"
SECRET = "6d6f7465736e706c617473" * 4


@pytest.fixture
def workspace(example_files: Path) -> Path:
    (example_files / SECRET_FILE).write_text(SECRET + "\n", encoding="ascii")
    return example_files


def before_sealing(workspace: Path, record: str) -> None:
    """The workspace as it was before the meeting's minutes were sealed: no record of them yet."""
    shutil.rmtree(workspace / "records" / record)


def layout_text(path: Path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: .ci/run installs it"
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_text(path: Path) -> str:
    """The text with its line breaks and runs of spaces as single spaces: phrases read across lines."""
    return " ".join(layout_text(path).split())


def paragraph_numbers(path: Path) -> list[int]:
    """The § numbers that begin lines, in order."""
    return [int(n) for n in re.findall(r"^\f?§ ?(\d+)\s", layout_text(path), re.MULTILINE)]


def fonts_of(path: Path) -> list[str]:
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    return [line.split()[0] + (" embedded" if line.split()[-5] == "yes" else " NOT EMBEDDED") for line in lines]


def written(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return result.output.split()


def test_the_board_minutes_read_back_with_present_list_paragraphs_decisions_and_adjusters(workspace, cli):
    files = written(cli("--workspace", str(workspace), "minutes", BOARD_MARCH))
    assert f"build/minutes/{BOARD_MARCH}.sv.pdf" in files and f"build/minutes/{BOARD_MARCH}.sv.html" in files
    assert [f for f in files if re.search(r"\.p\d+\.", f)] == [f"build/minutes/{BOARD_MARCH}.p{n}.sv.pdf" for n in range(1, 13)]
    text = pdf_text(workspace / f"build/minutes/{BOARD_MARCH}.sv.pdf")
    assert "Mälardalsrådets styrelse" in text and "fredag 16 mars 2018, 09:30–12:30" in text
    assert "Närvarande ledamöter (17)" in text and "Olof Hallin (C) (från § 4)" in text
    assert "Emma Forslund (MP) tjänstgör för Jonas Ek (MP)" in text
    assert "Jonas Ek (MP) (förhinder)" in text
    assert "Beslutsför: 18 av 19 ledamöter eller tjänstgörande ersättare, 10 krävs." in text
    assert paragraph_numbers(workspace / f"build/minutes/{BOARD_MARCH}.sv.pdf") == list(range(1, 13))
    assert "Ordföranden hälsar de närvarande välkomna och förklarar mötet öppnat." in text
    assert "Therese Wiklund (SD) reserverar sig mot beslutet." in text
    assert "Expedieras till Medlemmarna, Trafikverket, Akt" in text
    assert "Justerare Helena Forsberg" in text
    assert "Mälardalsrådets kansli, Stockholm, fredag 23 mars 2018" in text
    assert "Datum för anslags uppsättande måndag 26 mars 2018" in text
    assert "Datum för anslags nedtagande tisdag 17 april 2018" in text  # the day after the last day to appeal
    assert "Sida 1 av" in text and "Justerandes signatur" in text
    assert all(font.endswith(" embedded") and "NotoSans" in font
               for font in fonts_of(workspace / f"build/minutes/{BOARD_MARCH}.sv.pdf"))


def test_paragraph_numbers_continue_from_the_boards_earlier_meetings(workspace, cli):
    written(cli("--workspace", str(workspace), "minutes", "styrelsemote-2018-06-08"))
    text = pdf_text(workspace / "build/minutes/styrelsemote-2018-06-08.sv.pdf")
    assert "Paragrafer § 13–23" in text
    assert paragraph_numbers(workspace / "build/minutes/styrelsemote-2018-06-08.sv.pdf") == list(range(13, 24))


def test_an_extract_carries_the_decision_dispatch_and_certificate(workspace, cli):
    written(cli("--workspace", str(workspace), "minutes", REGIONAL_BOARD))
    text = pdf_text(workspace / f"build/minutes/{REGIONAL_BOARD}.p10.sv.pdf")
    assert "PROTOKOLLSUTDRAG" in text and "Region Stockholms regionstyrelse" in text
    assert "§ 10" in text and "Samarbetsavtal mellan Region Stockholm och Regionen Île-de-France" in text
    assert "2. Regiondirektören ges i uppdrag att vidta erforderliga åtgärder för" in text
    assert "Expedieras till Akt, Trafiknämnden, Tillväxt- och regionplanenämnden" in text
    assert "Justerat fredag 31 januari 2020. Rätt utdraget intygar" in text and "Eva Strandberg" in text
    assert "Jens Torstensson" not in text  # an extract is the §, not the attendance


def test_the_certificate_of_posting_keeps_the_notice_up_past_the_last_day_to_appeal(workspace, cli):
    # Posted Monday 3 December 2018: the three weeks end on julafton, so the appeal runs to
    # Thursday 27 December (lag 1930:173) and the notice comes down the day after, not on the 24th.
    november = "styrelsemote-2018-11-30"
    before_sealing(workspace, f"board/2018/{november}")
    events = workspace / "events" / "styrelsemoten-2018.toml"
    text = events.read_text(encoding="utf-8")
    assert "adjusted = 2018-12-05\n" in text
    events.write_text(text.replace("adjusted = 2018-12-05\n", "adjusted = 2018-12-03\nposted = 2018-12-03\n"),
                      encoding="utf-8")
    written(cli("--workspace", str(workspace), "minutes", november))
    text = pdf_text(workspace / f"build/minutes/{november}.sv.pdf")
    assert "Datum för anslags uppsättande måndag 3 december 2018" in text
    assert "Datum för anslags nedtagande fredag 28 december 2018" in text


def test_minutes_not_yet_adjusted_are_a_draft_under_a_private_name(workspace, cli):
    before_sealing(workspace, f"board/2018/{BOARD_MARCH}")
    events = workspace / "events" / "styrelsemoten-2018.toml"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace("adjusted = 2018-03-23\n", "").replace("posted = 2018-03-26\n", ""), encoding="utf-8")
    files = written(cli("--workspace", str(workspace), "minutes", BOARD_MARCH))
    assert len(files) == 2 and all(re.fullmatch(rf"build/minutes/{BOARD_MARCH}-[0-9a-f]{{32}}\.sv\.(pdf|html)", f)
                                   for f in files)
    draft = pdf_text(workspace / files[0])
    assert "UTKAST, EJ JUSTERAT" in draft and "Bevis om anslag" not in draft
    assert archived((workspace / files[0]).read_bytes()).created == "2018-03-16"  # PDF/A-2b, of the meeting's day
    build = cli("--workspace", str(workspace), "build", "--jobs", "1")
    assert build.exit_code == 0, build.output
    assert not (workspace / f"build/minutes/{BOARD_MARCH}.sv.pdf").exists()
    page = (workspace / "build" / "index.html").read_text(encoding="utf-8")
    assert f"minutes/{BOARD_MARCH}" not in page and "minutes/styrelsemote-2018-06-08.sv.pdf" in page


def test_the_web_minutes_escape_what_the_secretary_typed(workspace, cli):
    before_sealing(workspace, f"board/2018/{BOARD_MARCH}")  # the secretary's text, sealed by this build
    events = workspace / "events" / "styrelsemoten-2018.toml"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace('text = "Inga övriga frågor anmäls."',
                                   'text = "Inga <script>alert(1)</script> frågor & inget mer."', 1), encoding="utf-8")
    written(cli("--workspace", str(workspace), "minutes", BOARD_MARCH))
    page = (workspace / f"build/minutes/{BOARD_MARCH}.sv.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "Inga &lt;script&gt;alert(1)&lt;/script&gt; frågor &amp; inget mer." in page
    assert '<h3 id="p11-title"><span class="number">§ 11</span>Övriga frågor</h3>' in page
    assert "Inga <script>alert(1)</script> frågor & inget mer." in pdf_text(workspace / f"build/minutes/{BOARD_MARCH}.sv.pdf")


def test_adjusted_public_minutes_are_linked_from_the_feed_entry_with_a_higher_sequence(workspace, cli):
    before_sealing(workspace, f"regional-board/2020/{REGIONAL_BOARD}")
    events = workspace / "events" / "ile-de-france-2020.toml"
    original = events.read_text(encoding="utf-8")
    events.write_text(original.replace("adjusted = 2020-01-31\n", "").replace("posted = 2020-02-03\n", ""),
                      encoding="utf-8")
    assert cli("--workspace", str(workspace), "build", "--jobs", "1").exit_code == 0
    before = meeting_entry(workspace)
    assert "ATTACH" not in before and "Protokoll:" not in str(before.get("DESCRIPTION"))
    events.write_text(original, encoding="utf-8")
    assert cli("--workspace", str(workspace), "build", "--jobs", "1").exit_code == 0
    after = meeting_entry(workspace)
    link = f"https://kalender.malardalsradet.example/minutes/{REGIONAL_BOARD}.sv.pdf"
    assert str(after["ATTACH"]) == link and after["ATTACH"].params["FMTTYPE"] == "application/pdf"
    assert str(after["DESCRIPTION"]).endswith(f"Protokoll: {link}")
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert (workspace / "build" / f"minutes/{REGIONAL_BOARD}.sv.pdf").is_file()
    assert f'href="minutes/{REGIONAL_BOARD}.sv.pdf"' in (workspace / "build" / "index.html").read_text(encoding="utf-8")


def meeting_entry(workspace: Path):
    (feed,) = (workspace / "build" / "calendars").glob("regional-board-*.ics")
    calendar = icalendar.Calendar.from_ical(feed.read_bytes())
    (found,) = [c for c in calendar.walk("VEVENT") if str(c["UID"]).startswith(f"{REGIONAL_BOARD}@")]
    return found


def test_a_meeting_without_minutes_says_so(workspace, cli):
    before_sealing(workspace, f"regional-board/2020/{REGIONAL_BOARD}")
    events = workspace / "events" / "ile-de-france-2020.toml"
    text = events.read_text(encoding="utf-8")
    start, end = text.index("# The minutes."), text.index("[[event]]\nid = \"signering-ile-de-france-2020\"")
    events.write_text(text[:start] + text[end:], encoding="utf-8")
    result = cli("--workspace", str(workspace), "minutes", REGIONAL_BOARD)
    assert result.exit_code == 1 and f"{REGIONAL_BOARD} has no minutes yet" in result.output
    result = cli("--workspace", str(workspace), "minutes", "signering-ile-de-france-2020")
    assert result.exit_code == 2 and "no meeting 'signering-ile-de-france-2020'" in result.output


def test_the_council_minutes_count_those_checked_in(workspace, cli):
    files = written(cli("--workspace", str(workspace), "minutes", "malartinget-2018/radsmote"))
    log = workspace / "attendance" / "malartinget-2018.radsmote.checkin.log"
    count = len(log.read_text(encoding="utf-8").splitlines())
    text = pdf_text(workspace / files[0])
    assert f"Närvarande ledamöter ({count})" in text
    assert f"Beslutsför: {count} av 200 ledamöter" in text
    assert "Justerare Lena Åkerlund, Ahmed Karimi" in text
    assert "Styrelsens ledamöter och ersättare deltar inte i beslutet." in text


def test_every_minutes_file_has_embedded_fonts_an_outline_metadata_and_no_email_address(workspace, cli):
    from pypdf import PdfReader
    assert cli("--workspace", str(workspace), "build", "--only", "minutes", "--jobs", "1").exit_code == 0
    files = sorted((workspace / "build" / "minutes").iterdir())
    assert len(files) == 2 * 6 + 12 + 11 + 12 + 11 + 5 + 13  # minutes of six meetings, an extract per §
    for path in files:
        text = pdf_text(path) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
        assert not re.search(r"[\w.+-]+@[\w-]+\.\w", text), path.name  # nobody's e-mail address
        if path.suffix != ".pdf":
            continue
        assert all(font.endswith(" embedded") and "NotoSans" in font for font in fonts_of(path)), path.name
        reader = PdfReader(path)
        assert reader.trailer["/Root"]["/Lang"] == "sv" and reader.metadata.author in ("Mälardalsrådet", "Region Stockholm")
    reader = PdfReader(workspace / f"build/minutes/{BOARD_MARCH}.sv.pdf")
    assert reader.metadata.title == "Protokoll: Styrelsemöte 16 mars 2018"
    assert reader.metadata.subject == "Mälardalsrådets styrelse"
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    nested = next(item for item in reader.outline if isinstance(item, list))
    assert top == ["Protokoll: Mälardalsrådets styrelse, fredag 16 mars 2018", "Närvarolista", "Paragrafer",
                   "Underskrifter", "Bevis om anslag"]
    assert [item.title for item in nested][:2] == ["§ 1 Mötets öppnande", "§ 2 Val av justerare"]
    pages = {item.title: reader.get_destination_page_number(item) + 1 for item in [*reader.outline, *nested]
             if not isinstance(item, list)}
    assert pages["§ 1 Mötets öppnande"] == 1 and pages["Bevis om anslag"] == len(reader.pages) > 1
    paragraph_pages = [reader.get_destination_page_number(item) for item in nested]
    assert paragraph_pages == sorted(paragraph_pages) and paragraph_pages[-1] > paragraph_pages[0]  # each on its page


def test_minutes_and_every_extract_sealed_from_now_on_are_pdfa_2b_dated_by_their_adjustment(workspace, cli):
    """Records sealed before keep their bytes (tests/test_records.py); what is sealed now is PDF/A-2b."""
    before_sealing(workspace, "board/2018/styrelsemote-2018-06-08")
    written(cli("--workspace", str(workspace), "build", "--only", "minutes", "--quiet"))
    record = workspace / "records/board/2018/styrelsemote-2018-06-08"
    files = sorted(record.glob("*.pdf"))
    assert [path.name for path in files] == sorted([*(f"extract.p{n}.sv.pdf" for n in range(13, 24)), "minutes.sv.pdf",
                                                    "notice.sv.pdf"])
    for path in files:
        marked = archived(path.read_bytes())
        day = "2018-06-14" if path.name == "notice.sv.pdf" else "2018-06-13"  # the notice bears its posting day
        assert (marked.language, marked.created, marked.modified) == ("sv", day, day), path.name
        assert marked.fonts and marked.title.endswith(("Styrelsemöte 8 juni 2018", f"§ {path.name.split('.')[1][1:]}"))
        assert all(font.endswith(" embedded") and "NotoSans" in font for font in fonts_of(path)), path.name
    assert archived((record / "minutes.sv.pdf").read_bytes()).title == "Protokoll: Styrelsemöte 8 juni 2018"


def test_the_web_minutes_print_on_a4(workspace, cli):
    """Printed from a browser, the web minutes come out on A4 as the PDF minutes do (not US Letter)."""
    from playwright.sync_api import sync_playwright  # missing: the test fails, it does not skip
    from pypdf import PdfReader

    chromium = shutil.which("chromium")
    assert chromium, "the browser test needs Debian's chromium: apt-get install chromium"
    written(cli("--workspace", str(workspace), "minutes", BOARD_MARCH))
    page_file = workspace / f"build/minutes/{BOARD_MARCH}.sv.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            printed = page.pdf(prefer_css_page_size=True)  # as a browser's print dialog: the page's @page rule
        finally:
            browser.close()
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(BytesIO(printed)).pages}
    assert sizes == {(595, 842)}
