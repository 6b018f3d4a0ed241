"""Printed programmes as readers get them: the PDF parsed back with pypdf, text, fonts, outline, metadata."""

from __future__ import annotations

import io
import re
from functools import lru_cache

import pytest
from pypdf import PdfReader

from motesplats.render.programme import build_programme
from motesplats.render.programme_pdf import render
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace
from tests.conftest import REPOSITORY
from tests.pdfa import archived

BASE14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
          "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
          "Times-BoldItalic", "Symbol", "ZapfDingbats"}


@lru_cache(maxsize=None)
def _example_plan():
    return check_workspace(open_workspace(REPOSITORY)).plan


@lru_cache(maxsize=None)
def _example_pdf(event_id: str, language: str = "sv", paper: str = "A4") -> bytes:
    plan = _example_plan()
    return render(build_programme(plan, plan.event(event_id), language), paper=paper)


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    """All pages' text with whitespace (and so line breaks in wrapped paragraphs) made single spaces."""
    return " ".join(" ".join((page.extract_text() or "").split()) for page in _reader(pdf).pages)


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in _reader(pdf).pages]


def _chunks(pdf: bytes) -> list[tuple[int, str, float, float, float]]:
    """(page, text, x, y, font size) of each piece of text drawn, for checks on where things are."""
    found = []
    for number, page in enumerate(_reader(pdf).pages, 1):
        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                found.append((number, text.strip(), cm[4] + tm[4], cm[5] + tm[5], size * tm[0]))
        page.extract_text(visitor_text=visit)
    return found


def _outline_entries(reader: PdfReader) -> list:
    entries = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                entries.append(item)
    walk(reader.outline)
    return entries


def _outline_titles(reader: PdfReader) -> list[str]:
    return [entry.title for entry in _outline_entries(reader)]


def _outline_pages(reader: PdfReader) -> dict[str, int]:
    """Each bookmark's title and the page (from 0) it opens."""
    return {entry.title: reader.get_destination_page_number(entry) for entry in _outline_entries(reader)}


def _tiny_pdf(tiny, event_id: str, language: str = "sv", paper: str = "A4") -> bytes:
    checked = tiny.check()
    assert checked.plan is not None, checked
    return render(build_programme(checked.plan, checked.plan.event(event_id), language), paper=paper)


# ---- conference ----

def test_conference_timetable_has_sessions_times_rooms_and_speakers():
    text = _text(_example_pdf("malartinget-2018"))
    for expected in ("Mälartinget 2018", "Individen och individens förutsättningar att växa",
                     "09:00–10:00", "Registrering och kaffe", "Foajén",
                     "10:30–11:15", "Individen i en global kunskapsregion", "Stora salen", "Amira Haddad",
                     "Moderator: Johanna Vesterlund", "Partner", "Uppsala kommun, Region Uppsala", "Arrangör",
                     "13:00–14:15", "Parallella programpunkter".upper(), "SAL B", "SAL C", "SAL D",
                     "Mälartingets middag på Uppsala slott", "Rikssalen",
                     "Talare och moderatorer", "Praktisk information", "Vaksalagatan 1, 753 20 Uppsala",
                     "Två minuters promenad från Uppsala centralstation",
                     "Rådsmöte 2018: Föredragningslista", "Val av två justerare tillika rösträknare"):
        assert expected in text, expected


def test_parallel_sessions_are_side_by_side_one_column_per_room():
    for paper in ("A4", "A5"):
        chunks = _chunks(_example_pdf("malartinget-2018", paper=paper))
        rooms = {}   # the first parallel row: the seminars on Thursday afternoon
        for page, text, x, y, _ in chunks:
            if text in ("SAL B", "SAL C", "SAL D"):
                rooms.setdefault(text, (page, x, y))
        assert set(rooms) == {"SAL B", "SAL C", "SAL D"}
        (page_b, x_b, y_b), (page_c, x_c, y_c) = rooms["SAL B"], rooms["SAL C"]
        assert page_b == page_c and abs(y_b - y_c) < 0.5 and x_b < x_c, paper
        if paper == "A4":   # three fit side by side on A4; A5 stacks the third under the first
            assert abs(rooms["SAL D"][2] - y_b) < 0.5 and rooms["SAL D"][1] > x_c
        else:
            assert rooms["SAL D"][2] < y_b and abs(rooms["SAL D"][1] - x_b) < 0.5


def test_speaker_list_gives_organisation_title_and_sessions():
    text = _text(_example_pdf("malartinget-2018"))
    section = text[text.index("Talare och moderatorer Namn"):]
    plan = _example_plan()
    haddad = next(p for p in plan.people if p.name == "Amira Haddad")
    assert f"Amira Haddad {haddad.title}, {haddad.organisation} Individen i en global kunskapsregion" in section


def test_outline_has_an_entry_per_day_and_section():
    reader = _reader(_example_pdf("malartinget-2018"))
    titles = _outline_titles(reader)
    assert "Torsdag 17 maj 2018" in titles and "Fredag 18 maj 2018" in titles
    assert titles.count("Torsdag 17 maj 2018") == 1, "a day continued on the next page is one entry"
    assert {"Program", "Talare och moderatorer", "Praktisk information", "Rådsmöte 2018: Föredragningslista"} \
        <= set(titles)
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"

    page_of = _outline_pages(reader)
    assert page_of["Fredag 18 maj 2018"] > page_of["Torsdag 17 maj 2018"] >= 0  # bookmarks open their own page


@pytest.mark.parametrize("language, expected", [
    ("sv", ["torsdag 17 maj – fredag 18 maj 2018", "torsdag 17 maj 2018", "fredag 18 maj 2018"]),
    ("en", ["thursday 17 may – friday 18 may 2018", "thursday 17 may 2018", "programme", "speakers and moderators"]),
    ("fr", ["jeudi 17 mai – vendredi 18 mai 2018", "vendredi 18 mai 2018", "intervenants et modérateurs"]),
])
def test_dates_and_words_in_the_readers_language(language, expected):
    text = _text(_example_pdf("malartinget-2018", language)).casefold()
    for fragment in expected:
        assert fragment in text, fragment


def test_times_are_24_hour():
    text = _text(_example_pdf("malartinget-2018", "en"))
    assert "19:00–23:00" in text and not re.search(r"\b\d{1,2}(:\d\d)? ?[AP]M\b", text)


# ---- formal meeting ----

def test_board_meeting_is_a_kallelse_with_numbered_agenda():
    text = _text(_example_pdf("styrelsemote-2018-03-16"))
    for expected in ("KALLELSE OCH FÖREDRAGNINGSLISTA", "Mälardalsrådet", "Styrelsemöte 16 mars 2018",
                     "Fredag 16 mars 2018, 09:30–12:30", "Mälardalsrådets kansli, Styrelserummet",
                     "Fleminggatan 20, 112 26 Stockholm", "Nr Ärende Föredragande",
                     "1 Mötets öppnande Anna-Karin Lindqvist",
                     "5 Verksamhetsberättelse 2017 Förslag till beslut: Styrelsen godkänner verksamhetsberättelsen",
                     "Handlingar: – Förslag till verksamhetsberättelse 2017", "12 Mötets avslutande",
                     "Inbjuden talare: Nationell plan för transportinfrastrukturen", "Gunnar Frisk"):
        assert expected in text, expected


def test_board_meeting_lists_19_members_chair_first_and_19_deputies():
    pdf = _example_pdf("styrelsemote-2018-03-16")
    text = _text(pdf)
    assert "Ledamöter (19)" in text and "Ersättare (19)" in text
    roster = next(r for r in _example_plan().rosters if r.id == "board")
    assert len(roster.members) == 38
    for member in roster.members:
        assert member.person.name in text, member.person.name
    names = [m.person.name for m in roster.members]
    chair = next(m.person.name for m in roster.members if m.role == "ordförande")
    section = text[text.index("Ledamöter (19)"):]
    assert min(section.index(name) for name in names) == section.index(chair)
    assert f"{chair} (M), ordförande" in section


@pytest.mark.parametrize("event_id", ["styrelsemote-2018-03-16", "styrelsemote-2018-06-08",
                                      "styrelsemote-2018-09-21", "styrelsemote-2018-11-30",
                                      "regionstyrelsen-2020-01-28"])
def test_board_meetings_fit_a_few_a4_pages(event_id):
    assert 1 <= len(_reader(_example_pdf(event_id)).pages) <= 4


def test_regional_board_item_prints_multi_line_proposal_and_notes():
    text = _text(_example_pdf("regionstyrelsen-2020-01-28"))
    assert "1. Samarbetsavtal mellan Region Stockholm och Regionen Île-de-France godkänns. 2. Regiondirektören" in text
    assert "Beslutsexpediering: Akt, Trafiknämnden" in text
    assert "Ledamöter (15)" in text and "Ersättare (15)" in text


def test_kallelse_in_english_uses_english_words():
    text = _text(_example_pdf("styrelsemote-2018-06-08", "en"))
    for expected in ("NOTICE OF MEETING AND AGENDA", "Friday 8 June 2018", "Presenter", "Proposed decision",
                     "Documents", "Members (19)", "Deputies (19)"):
        assert expected in text, expected


# ---- festival week ----

def test_festival_week_lists_own_activities_with_place_and_status():
    text = _text(_example_pdf("almedalen-2018"))
    for expected in ("Våra aktiviteter", "Måndag 2 juli 2018", "10:00–11:00", "Sal Gotland",
                     "En Bättre Matchning: hur möter högre utbildning regionens kompetensbehov?",
                     "Onsdag 4 juli 2018", "Innovation i allmänhetens tjänst", "PRELIMINÄRT"):
        assert expected in text, expected
    assert text.count("PRELIMINÄRT") == 1, "only the tentative seminar is marked"


# ---- study trip ----

def test_study_trip_legs_show_local_times_and_zones():
    text = _text(_example_pdf("berlin-studieresa-2018"))
    assert "Flyg SK 2677 · SAS Avgång 07:05 (CEST, Stockholm) Ankomst 08:50" in text
    assert "Flyg SK 2680 · SAS Avgång 16:55 Ankomst 18:40 (CEST, Stockholm)" in text
    assert "Stockholm Arlanda Airport, Terminal 5 till" in text
    assert "Alla tider är lokal tid" in text and "Berlin" in text
    for expected in ("Resplan", "Onsdag 10 oktober 2018", "Senatskanzlei Berlin", "Rathausstraße 15, 10178 Berlin",
                     "Hotell", "Scandic Berlin Potsdamer Platz", "Gabriele-Tergit-Promenade 19",
                     "Kontaktpersoner", "Łukasz Żółć"):
        assert expected in text, expected


def test_study_trip_in_a_tiny_workspace_shows_both_zones(tiny):
    tiny.write("events/resa.toml", """
        [[event]]
        id = "resa"
        kind = "study_trip"
        title = "Resan"
        start = 2018-10-10T06:00:00
        end = 2018-10-10T12:00:00
        audiences = ["board"]

        [[event.leg]]
        id = "ut"
        mode = "flight"
        from = "arlanda"
        to = "tegel"
        depart = 2018-10-10T07:05:00
        arrive = 2018-10-10T08:50:00
        number = "SK 1"
        booking = "ZZTOP9"
    """)
    text = _text(_tiny_pdf(tiny, "resa", "en"))
    assert "Flight SK 1" in text and "07:05" in text and "08:50 (CEST, Berlin)" in text
    assert "ZZTOP9" not in text


# ---- ceremony ----

def test_ceremony_prints_swedish_and_french_side_by_side_whatever_the_reader():
    for language in ("sv", "en"):
        pdf = _example_pdf("signering-ile-de-france-2020", language)
        text = _text(pdf)
        for expected in ("Undertecknande av samarbetsavtal mellan Region Stockholm",
                         "Signature de l'accord de coopération entre la Région Île-de-France",
                         "Torsdag 13 februari 2020", "Jeudi 13 février 2020",
                         "Välkomnande av delegationerna", "Accueil des délégations",
                         "Avtalets tidsplan", "Calendrier de l'accord", "16 mars 2020", "16 mars 2020",
                         "Arbetsgruppen för genomförandet inleder sitt arbete",
                         "Le groupe de travail chargé de la mise en œuvre commence ses travaux",
                         "Parter", "Parties", "Undertecknare", "Signataires", "Irene Svenonius", "Valérie Pécresse",
                         "Sida 1 av", "Page 1 sur"):
            assert expected in text, (language, expected)
        assert "Welcome of the delegations" not in text


def test_ceremony_columns_are_equal_in_width_and_type_size():
    chunks = _chunks(_example_pdf("signering-ile-de-france-2020"))
    sv = next(c for c in chunks if c[1].startswith("Pressträff"))
    fr = next(c for c in chunks if c[1].startswith("Point presse"))
    assert sv[0] == fr[0] and abs(sv[3] - fr[3]) < 0.5 and sv[4] == fr[4] and sv[2] < fr[2]
    left_title = next(c for c in chunks if c[1] == "Avtalets tidsplan")
    right_title = next(c for c in chunks if c[1] == "Calendrier de l'accord")
    page_width = 595.28
    assert left_title[4] == right_title[4]
    assert abs((right_title[2] - left_title[2]) - (page_width - 2 * left_title[2] + 1.6 * 9.5) / 2) < 2


# ---- what every programme must be ----

def test_markup_in_data_is_printed_literally(tiny):
    tiny.write("events/konferens.toml", """
        [[event]]
        id = "konferens"
        kind = "conference"
        title = "<b>Konferens</b> & <i>vänner</i>"
        start = 2018-05-17T09:00:00
        end = 2018-05-17T16:00:00
        venue = "ukk"
        audiences = ["public"]
        organiser = "testradet"

        [[event.session]]
        id = "opening"
        title = '<b>Ärende & "Budget"</b> <font size=40>stor</font>'
        start = 2018-05-17T09:00:00
        end = 2018-05-17T10:00:00
        room = "sal-a"
        speakers = ["asa-oberg"]

        [[event]]
        id = "mote"
        kind = "formal_meeting"
        title = "Styrelsemöte <br/> & co"
        start = 2018-05-18T09:00:00
        end = 2018-05-18T10:00:00
        venue = "ukk"
        audiences = ["board"]
        summoned = ["board"]

        [[event.agenda]]
        title = '<b>Ärende & "Budget"</b>'
        presenter = "asa-oberg"
        proposal = "Styrelsen beslutar att 2 < 3 & 5 > 4."
        documents = ["<a href='x'>Bilaga</a>"]
    """)
    conference = _text(_tiny_pdf(tiny, "konferens"))
    assert '<b>Ärende & "Budget"</b> <font size=40>stor</font>' in conference
    assert "<b>Konferens</b> & <i>vänner</i>" in conference
    meeting = _text(_tiny_pdf(tiny, "mote"))
    for expected in ('<b>Ärende & "Budget"</b>', "Styrelsemöte <br/> & co", "2 < 3 & 5 > 4.",
                     "<a href='x'>Bilaga</a>", "Ledamöter (1)", "Åsa Öberg", "Ersättare (1)", "Bo Ek"):
        assert expected in meeting, expected
    assert _reader(_tiny_pdf(tiny, "mote")).metadata.title == "Styrelsemöte <br/> & co"


def _fonts(reader: PdfReader):
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            yield font.get_object()


@pytest.mark.parametrize("event_id", ["malartinget-2018", "styrelsemote-2018-03-16", "almedalen-2018",
                                      "berlin-studieresa-2018", "signering-ile-de-france-2020"])
def test_only_embedded_noto_sans(event_id):
    for paper in ("A4", "A5"):
        found = list(_fonts(_reader(_example_pdf(event_id, paper=paper))))
        assert found
        for font in found:
            name = str(font["/BaseFont"]).lstrip("/")
            assert name.split("+")[-1] not in BASE14 and "NotoSans" in name, name
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"], name


def test_metadata_title_author_subject_and_language():
    reader = _reader(_example_pdf("malartinget-2018", "en"))
    assert reader.metadata.title == "Mälartinget 2018"
    assert reader.metadata.author == "Mälardalsrådet"
    assert reader.metadata.subject == "Programme – conference"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    kallelse = _reader(_example_pdf("styrelsemote-2018-03-16"))
    assert kallelse.metadata.subject == "Kallelse och föredragningslista"
    assert kallelse.trailer["/Root"]["/Lang"] == "sv"


def test_a_kallelse_is_pdfa_2b_in_its_language_and_bears_no_invented_date():
    """The notice of a formal meeting is kept with the meeting's papers; a conference programme is a
    handout and stays as reportlab makes it."""
    for language, title in (("sv", "Styrelsemöte 8 juni 2018"), ("en", "Board meeting 8 June 2018")):
        marked = archived(_example_pdf("styrelsemote-2018-06-08", language))
        assert (marked.title, marked.language) == (title, language)
        assert marked.created is None and marked.fonts >= 2
    assert "/OutputIntents" not in _reader(_example_pdf("malartinget-2018")).trailer["/Root"]


def test_organisation_signs_the_programme(tiny):
    checked = tiny.check()
    plan = checked.plan
    pdf = render(build_programme(plan, plan.event("konferens"), "sv"), organisation="Kansliet, Testrådet")
    assert _reader(pdf).metadata.author == "Kansliet, Testrådet"
    assert "Kansliet, Testrådet" in _pages(pdf)[0]


def test_every_page_is_numbered_with_the_total():
    for event_id in ("malartinget-2018", "berlin-studieresa-2018"):
        pages = _pages(_example_pdf(event_id))
        assert len(pages) > 1
        for number, text in enumerate(pages, 1):
            assert f"Sida {number} av {len(pages)}" in text


def test_a5_is_a5_and_says_the_same():
    for event_id in ("malartinget-2018", "styrelsemote-2018-03-16", "berlin-studieresa-2018"):
        pdf = _example_pdf(event_id, paper="A5")
        reader = _reader(pdf)
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (420, 595)
        a4 = _text(_example_pdf(event_id))
        a5 = _text(pdf)
        for name in ("Anna-Karin Lindqvist", "Ulrika Granström"):
            assert (name in a4) == (name in a5)
    assert "Ledamöter (19)" in _text(_example_pdf("styrelsemote-2018-03-16", paper="A5"))


def test_unknown_paper_is_refused():
    plan = _example_plan()
    with pytest.raises(ValueError):
        render(build_programme(plan, plan.events[0], "sv"), paper="Letter")


def test_tiny_conference_renders_with_one_session(tiny):
    text = _text(_tiny_pdf(tiny, "konferens", "fr"))
    for expected in ("Konferensen", "jeudi 17 mai 2018", "09:00–10:00", "Öppning", "Sal A", "Åsa Öberg",
                     "Uppsala Konsert & Kongress"):
        assert expected.casefold() in text.casefold(), expected


def test_no_email_address_or_booking_reference_in_any_example_programme():
    plan = _example_plan()
    emails = {person.email for person in plan.people if person.email}
    emails |= {organiser.email for organiser in plan.organisers if organiser.email}
    bookings = {leg.booking for event in plan.events for leg in event.legs if leg.booking}
    assert emails and bookings
    for event in plan.events:
        for language in ("sv", "en"):
            pdf = _example_pdf(event.id, language)
            text = _text(pdf)
            assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), (event.id, language)
            for secret in emails | bookings:
                assert secret not in text and secret.encode() not in pdf, (event.id, secret)
