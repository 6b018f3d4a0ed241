"""Name badges and table cards: who gets one, what each says, and how it sits on the paper.

Every check reads the PDF back (pypdf text and page boxes, the content stream's drawing
operators, pdffonts where installed) rather than trusting the renderer's own numbers.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

from motesplats import badge_styles, fonts
from motesplats.badge_styles import load_layout, load_roles
from motesplats.render import badges_pdf
from motesplats.render.badges_pdf import (attendees, date_span, qr_matrix, qr_payload, qr_rectangles, render_badges,
                                          sort_key, vcard)
from motesplats.render.table_cards_pdf import render_table_cards
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace
from tests.conftest import REPOSITORY

MM = 72 / 25.4


@pytest.fixture(scope="module")
def plan():
    return check_workspace(open_workspace(REPOSITORY)).plan


@pytest.fixture(scope="module")
def malartinget(plan):
    return plan.event("malartinget-2018")


@pytest.fixture(scope="module")
def sheet(plan, malartinget) -> bytes:
    return render_badges(plan, malartinget, load_layout("a4-8up"), load_roles())


@pytest.fixture(scope="module")
def lanyard(plan, malartinget) -> bytes:
    return render_badges(plan, malartinget, load_layout("a6-lanyard"), load_roles())


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with a name wrapped onto two lines joined again ('Anna-\\nKarin' too)."""
    texts = []
    for page in pypdf.PdfReader(BytesIO(pdf)).pages:
        text = page.extract_text()
        text = re.sub(r"-\s*\n\s*", "-", text)
        texts.append(re.sub(r"\s+", " ", text))
    return texts


def count(name: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text))


# ---------------------------------------------------------------- who gets a badge


def test_everyone_on_the_events_rosters_and_programme_gets_one_badge(plan, malartinget):
    people = attendees(plan, malartinget)
    ids = [attendee.person.id for attendee in people]
    assert len(ids) == len(set(ids))
    expected = {member.person.id for roster in malartinget.participants for member in roster.members}
    expected |= {p.id for s in malartinget.sessions for p in (*s.speakers, *s.moderators)}
    expected |= {p.id for p in malartinget.contacts}
    expected |= {m.person.id for s in malartinget.sessions for r in s.summoned for m in r.members}
    assert set(ids) == expected


def test_roles_speaker_beats_plain_member_staff_keep_staff_and_chair_keeps_chair(plan, malartinget):
    roles = {attendee.person.id: attendee.role for attendee in attendees(plan, malartinget)}
    assert roles["mats-ekstrom"] == "vice ordförande"     # vice chair of the council, also on a panel
    assert roles["helena-forsberg"] == "talare"           # council member speaking on a panel
    assert roles["amira-haddad"] == "talare"
    assert roles["johanna-vesterlund"] == "moderator"
    assert roles["asa-oberg"] == "personal"               # staff roster
    assert roles["johan-ekelund"] == "personal"           # staff who moderates a seminar stays staff
    assert roles["anna-karin-lindqvist"] == "ordförande"


def test_people_on_no_roster_are_guests(plan):
    meeting = plan.event("regionstyrelsen-2020-01-28")
    roles = {attendee.person.id: attendee.role for attendee in attendees(plan, meeting)}
    assert roles["anton-vastberg"] == "gäst"              # the contact, not on the regional board
    assert roles["irene-svenonius"] == "ordförande"       # presents agenda items and chairs


def test_sorted_by_surname_swedish_order_with_a_ring_and_umlauts_last(plan, malartinget):
    surnames = [attendee.person.surname for attendee in attendees(plan, malartinget)]
    assert [sort_key(s) for s in surnames] == sorted(sort_key(s) for s in surnames)
    tail = surnames[-12:]
    assert surnames.index("Żółć") < surnames.index("Åberg") < surnames.index("Öberg")
    assert tail[-1].startswith("Ö")
    assert surnames.index("Çağlar") < surnames.index("Dahlgren")   # Ç sorts as C
    assert sorted(["Öberg", "Åkerlund", "Ärlig", "Zetterberg", "andersson", "Östlund", "Ångström", "Élise"],
                  key=sort_key) == ["andersson", "Élise", "Zetterberg", "Åkerlund", "Ångström", "Ärlig", "Öberg",
                                    "Östlund"]


# ---------------------------------------------------------------- the 8-up sheet


def test_every_name_once_with_diacritics_intact(plan, malartinget, sheet):
    people = attendees(plan, malartinget)
    text = " ".join(pages_text(sheet))
    for attendee in people:
        assert count(attendee.person.name, text) == 1, attendee.person.name
    for name in ("Åsa Öberg", "Łukasz Żółć", "Şükrü Çağlar", "Nguyễn Văn Anh"):
        assert count(name, text) == 1


def test_eight_per_sheet_in_order_on_a4(plan, malartinget, sheet):
    people = attendees(plan, malartinget)
    reader = pypdf.PdfReader(BytesIO(sheet))
    assert len(reader.pages) == math.ceil(len(people) / 8)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.01)
    texts = pages_text(sheet)
    for number, text in enumerate(texts):
        for attendee in people[number * 8:number * 8 + 8]:
            assert count(attendee.person.name, text) == 1


def test_role_words_and_event_with_date_on_the_badges(plan, malartinget, sheet):
    text = " ".join(pages_text(sheet))
    for word in ("LEDAMOT", "TALARE", "MODERATOR", "PERSONAL", "ORDFÖRANDE"):
        assert word in text
    assert text.count("Mälartinget 2018 · 17–18 maj 2018") == len(attendees(plan, malartinget))
    english = pages_text(render_badges(plan, malartinget, load_layout("a4-8up"), language="en"))[0]
    assert "17–18 May 2018" in english and "MEMBER" in english


def _lines(pdf: bytes, page: int = 0) -> list[tuple[float, float, float, float]]:
    """Straight lines drawn on a page (x1, y1, x2, y2): the crop marks."""
    content = pypdf.PdfReader(BytesIO(pdf)).pages[page].get_contents().get_data().decode("latin-1")
    found = re.findall(r"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l", content)
    return [tuple(map(float, line)) for line in found]


def test_crop_marks_lie_outside_every_badge_and_continue_the_cut_lines(sheet):
    layout = load_layout("a4-8up")
    boxes = [(x, y, x + layout.badge_width * MM, y + layout.badge_height * MM)
             for x, y in (layout.badge_origin(i) for i in range(8))]
    marks = _lines(sheet)
    assert len(marks) >= 2 * 3 + 2 * 5  # 3 vertical cut lines top and bottom, 5 horizontal ones left and right
    for x1, y1, x2, y2 in marks:
        for left, bottom, right, top in boxes:
            inside = max(x1, x2) > left + 0.01 and min(x1, x2) < right - 0.01 and \
                max(y1, y2) > bottom + 0.01 and min(y1, y2) < top - 0.01
            assert not inside
    cuts_x = {round(v, 1) for box in boxes for v in (box[0], box[2])}
    assert {round(x1, 1) for x1, y1, x2, y2 in marks if x1 == x2} == cuts_x


def test_one_embedded_noto_subset_per_style_and_no_helvetica(sheet, tmp_path):
    reader = pypdf.PdfReader(BytesIO(sheet))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
    assert all("NotoSans" in name for name in fonts), fonts
    assert not any("Helvetica" in name for name in fonts)
    if shutil.which("pdffonts"):
        path = tmp_path / "badges.pdf"
        path.write_bytes(sheet)
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        rows = rows.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows)  # the emb column
        assert not any("Helvetica" in row for row in rows)
        assert len(rows) <= 4  # one subset (or a few 256-glyph chunks) per style, not one per page


def test_small_enough_for_ten_thousand(plan, malartinget, sheet):
    assert len(sheet) / len(attendees(plan, malartinget)) < 2048


# ---------------------------------------------------------------- double-sided


def test_lanyard_is_a6_front_and_back_with_the_name_on_both(plan, malartinget, lanyard):
    people = attendees(plan, malartinget)
    reader = pypdf.PdfReader(BytesIO(lanyard))
    assert len(reader.pages) == 2 * len(people)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(105 * MM, abs=0.01)
    assert float(reader.pages[0].mediabox.height) == pytest.approx(148 * MM, abs=0.01)
    texts = pages_text(lanyard)
    whole = " ".join(texts)
    for number, attendee in enumerate(people):
        assert count(attendee.person.name, whole) == 2, attendee.person.name
        assert count(attendee.person.name, texts[2 * number]) == 1
        assert count(attendee.person.name, texts[2 * number + 1]) == 1


def test_duplex_sheet_mirrors_the_back_so_each_back_lies_behind_its_front(plan, malartinget):
    layout = load_layout("a4-8up-duplex")
    pdf = render_badges(plan, malartinget, layout)
    texts = pages_text(pdf)
    assert len(texts) == 2 * math.ceil(len(attendees(plan, malartinget)) / 8)
    for index in range(8):
        fx, fy = layout.badge_origin(index)
        bx, by = layout.badge_origin(index, back=True)
        assert by == fy
        assert bx == pytest.approx(layout.page_width * MM - fx - layout.badge_width * MM)
    first = attendees(plan, malartinget)[0].person.name
    assert count(first, texts[0]) == 1 and count(first, texts[1]) == 1


# ---------------------------------------------------------------- names that do not fit


def test_long_names_wrap_before_shrinking_below_the_minimum_and_are_never_clipped():
    fonts.register()
    bold = fonts.BOLD
    width = 80 * MM
    lines, size = badges_pdf.fit_text("Anna-Karin Lindqvist Berg", bold, width, 60, 24, 18)
    assert lines == ["Anna-Karin", "Lindqvist Berg"] and size >= 18
    lines, size = badges_pdf.fit_text("Bo Ek", bold, width, 60, 24, 18)
    assert lines == ["Bo Ek"] and size == 24
    very_long = "Maximiliane Alexandra Friederike von Hohenzollern-Sigmaringen-Weißenfels"
    lines, size = badges_pdf.fit_text(very_long, bold, width, 60, 24, 18)
    assert " ".join(lines).replace("- ", "-") == very_long
    assert all(badges_pdf.stringWidth(line, bold, size) <= width + 0.01 for line in lines)


# ---------------------------------------------------------------- layouts are data


def test_a_layout_added_in_the_workspace_is_used_without_code(tiny):
    tiny.write("templates/badges/layouts/a5-2up.toml", """\
        description = "A5 landscape, two 100 x 70 badges"
        [page]
        width = 210
        height = 148
        [badge]
        width = 100
        height = 70
        columns = 2
        rows = 1
        [sheet]
        margin_left = 5
        margin_top = 39
        crop_marks = true
        """)
    checked = tiny.check()
    event = checked.plan.event("konferens")
    layout = load_layout("a5-2up", tiny.root / "templates")
    assert "a5-2up" in badge_styles.layout_names(tiny.root / "templates")
    pdf = render_badges(checked.plan, event, layout)
    reader = pypdf.PdfReader(BytesIO(pdf))
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.width) == pytest.approx(210 * MM, abs=0.01)
    text = pages_text(pdf)[0]
    assert count("Åsa Öberg", text) == 1 and count("Bo Ek", text) == 1


def test_greek_names_print(tiny):
    tiny.append("events/board.csv", "sokratis;Σωκράτης Παπαδόπουλος;ledamot;Περιφέρεια Αττικής;s@example.org;\n")
    checked = tiny.check()
    event = checked.plan.event("konferens")
    text = " ".join(pages_text(render_badges(checked.plan, event, load_layout("a4-8up"))))
    assert count("Σωκράτης Παπαδόπουλος", text) == 1 and "Περιφέρεια Αττικής" in text
    roles = {a.person.id: a.role for a in attendees(checked.plan, event)}
    assert roles == {"asa-oberg": "talare", "bo-ek": "ersättare", "sokratis": "ledamot"}


# ---------------------------------------------------------------- QR codes


def test_checkin_payload_names_event_and_person(plan, malartinget):
    person = next(p for p in plan.people if p.id == "asa-oberg")
    assert qr_payload(malartinget, person) == "motesplats:checkin:malartinget-2018:asa-oberg"


def test_vcard_shares_name_organisation_and_title_but_never_the_email(plan, malartinget):
    person = next(p for p in plan.people if p.id == "lukasz-zolc")
    card = qr_payload(malartinget, person, "vcard")
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and card.endswith("END:VCARD\r\n")
    assert "N:Żółć;Łukasz;;;" in card and "FN:Łukasz Żółć" in card and "ORG:Mälardalsrådet" in card
    assert "TITLE:Analytiker\\, internationella frågor" in card     # RFC 2426 escaping
    assert person.email and person.email not in card and "EMAIL" not in card
    with pytest.raises(ValueError):
        qr_payload(malartinget, person, "email")


def test_qr_matrix_is_the_standard_symbol(plan, malartinget):
    """Our fast encoder places the same modules as the qrcode package with the same mask."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    person = next(p for p in plan.people if p.id == "valerie-pecresse")
    for payload in (qr_payload(malartinget, person), vcard(person), "x", "Å" * 200):
        reference = qrcode.QRCode(border=0, error_correction=ERROR_CORRECT_M, mask_pattern=badges_pdf.QR_MASK)
        reference.add_data(payload.encode("utf-8"))
        reference.make(fit=True)
        assert qr_matrix(payload) == reference.get_matrix()


def test_qr_rectangles_cover_exactly_the_dark_modules():
    matrix = qr_matrix("motesplats:checkin:malartinget-2018:asa-oberg")
    covered = [[False] * len(matrix) for _ in matrix]
    rectangles = qr_rectangles(matrix)
    for x, y, w, h in rectangles:
        for row in range(y, y + h):
            for col in range(x, x + w):
                assert not covered[row][col]
                covered[row][col] = True
    assert covered == [[bool(v) for v in row] for row in matrix]
    assert len(rectangles) < sum(map(sum, matrix)) / 2  # merged, not one per module


def test_qr_none_draws_no_code(plan, malartinget, sheet):
    without = render_badges(plan, malartinget, load_layout("a4-8up"), qr="none")
    assert len(without) < len(sheet) / 2


# ---------------------------------------------------------------- dates


def test_date_spans_in_each_language():
    from datetime import date
    assert date_span(date(2018, 5, 17), date(2018, 5, 18), "sv") == "17–18 maj 2018"
    assert date_span(date(2018, 5, 17), date(2018, 5, 18), "en") == "17–18 May 2018"
    assert date_span(date(2018, 5, 30), date(2018, 6, 1), "fr") == "30 mai – 1 juin 2018"
    assert date_span(date(2020, 2, 13), date(2020, 2, 13), "fr") == "13 février 2020"


# ---------------------------------------------------------------- table cards


@pytest.mark.parametrize("paper, size", [("A4", (841.89, 595.28)), ("A5", (595.28, 419.53))])
def test_table_cards_show_each_name_twice_one_side_turned(plan, paper, size):
    ceremony = plan.event("signering-ile-de-france-2020")
    pdf = render_table_cards(plan, ceremony, paper=paper, language="fr")
    reader = pypdf.PdfReader(BytesIO(pdf))
    people = attendees(plan, ceremony)
    assert len(reader.pages) == len(people)
    assert float(reader.pages[0].mediabox.width) == pytest.approx(size[0], abs=0.01)
    assert float(reader.pages[0].mediabox.height) == pytest.approx(size[1], abs=0.01)
    for page, attendee in zip(reader.pages, people):
        upright = re.sub(r"\s+", " ", page.extract_text(orientations=(0,)))
        turned = re.sub(r"\s+", " ", page.extract_text(orientations=(180,)))
        assert count(attendee.person.name, upright) == 1
        assert count(attendee.person.name, turned) == 1
        assert count(attendee.person.organisation, upright) >= 1  # the footer may name it too
    names = " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages)
    assert count("Valérie Pécresse", names) == 2 and count("Céline Dupré-Laforêt", names) == 2
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    assert "-1 0 0 -1" in content or "-1 -0 0 -1" in content or "-1 0 -0 -1" in content  # the half turn
    assert "[3 4] 0 d" in content  # the dashed fold line
