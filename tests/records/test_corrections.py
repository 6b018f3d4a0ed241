"""Corrections (rättelser): a sealed record is never rewritten; what its minutes got wrong is
corrected by a dated, adjusted addendum sealed as its own folder beside it and published beside the
minutes, and `check` holds the data to the newest facts."""

from __future__ import annotations

import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from motesplats.build import SECRET_FILE, build
from motesplats.outputs import Request
from motesplats.problems import ProblemsFound
from motesplats.workspace import open_workspace
from tests.test_records import EVENTS, JUNE, MARCH, MINUTES_ONLY, edit, errors, line_of, record_of

WAS = "Inga övriga frågor anmäls."
IS = "Therese Wiklund anmäler en fråga om regionala cykelleder; frågan tas upp vid nästa sammanträde."
LAST_DECISION = 'text = "Ordföranden tackar de närvarande och förklarar mötet avslutat."'
FIRST_CORRECTION = record_of(JUNE) + ".rattelse-2018-08-20"


@pytest.fixture
def workspace(example_files: Path) -> Path:
    (example_files / SECRET_FILE).write_text("ab" * 32 + "\n", encoding="ascii")
    return example_files


def june_decision(root: Path, old: str, new: str) -> None:
    """Make the June meeting's decision under § 22 (its item 10) read `new` instead of `old`."""
    edit(root / EVENTS, f'text = "{old}"', f'text = "{new}"', after=f'id = "{JUNE}"')


def add_correction(root: Path, adjusted: str, paragraphs: str = "[22]", text: str = "Beslutet under § 22 "
                   "saknade Therese Wiklunds anmälda fråga.") -> int:
    """Add a correction under the June minutes; return the line of its table."""
    entry = f'\n\n[[event.minutes.correction]]\nadjusted = {adjusted}\nparagraphs = {paragraphs}\ntext = "{text}"'
    edit(root / EVENTS, LAST_DECISION, LAST_DECISION + entry, after=f'id = "{JUNE}"')
    return line_of(root / EVENTS, "[[event.minutes.correction]]", after=f'id = "{JUNE}"')


def add_covering(root: Path, meeting: str, adjusted: str, covers: str, text: str) -> int:
    """Add a correction covering `covers` (TOML, e.g. '["attendance"]') and no § under `meeting`'s
    minutes; return the line of its table."""
    entry = f'[[event.minutes.correction]]\nadjusted = {adjusted}\ncovers = {covers}\ntext = "{text}"\n\n'
    first_decision = "[[event.minutes.decision]]"
    edit(root / EVENTS, first_decision, entry + first_decision, after=f'id = "{meeting}"')
    return line_of(root / EVENTS, "[[event.minutes.correction]]", after=f'id = "{meeting}"')


def digests(root: Path) -> dict[str, str]:
    """Every file under records/ by path, with its SHA-256."""
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted((root / "records").rglob("*")) if path.is_file()}


def links(page: Path) -> dict[str, str]:
    """Each link of an HTML page: href -> its text."""
    found: dict[str, str] = {}

    class Links(HTMLParser):
        href = None

        def handle_starttag(self, tag, attrs):
            if tag == "a":
                self.href = dict(attrs).get("href")
                found[self.href] = ""

        def handle_endtag(self, tag):
            self.href = None if tag == "a" else self.href

        def handle_data(self, data):
            if self.href is not None:
                found[self.href] += data

    Links().feed(page.read_text(encoding="utf-8"))
    return {href: " ".join(text.split()) for href, text in found.items()}


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_an_edited_decision_is_an_error_until_a_correction_names_its_paragraph(workspace):
    june_decision(workspace, WAS, IS)
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, line_of(workspace / EVENTS, "item = 10", after=f'id = "{JUNE}"') - 1)
    assert "§ 22" in problem.message and record_of(JUNE) in problem.message
    assert "undo the edit" in problem.hint
    assert "'[[event.minutes.correction]]', 'adjusted = YYYY-MM-DD', 'paragraphs = [22]'" in problem.hint
    add_correction(workspace, "2018-08-20")
    assert errors(workspace) == []


def test_build_seals_the_correction_beside_the_record_and_publishes_it_beside_the_minutes(workspace, cli):
    before = digests(workspace)
    june_decision(workspace, WAS, IS)
    add_correction(workspace, "2018-08-20")
    result = cli("--workspace", str(workspace), "build", "--only", "minutes", "--quiet")
    assert result.exit_code == 0, result.output
    assert f"Sealed {FIRST_CORRECTION}" in result.output
    after = digests(workspace)
    assert {path: after[path] for path in before} == before  # not a byte of the record changed
    folder = workspace / FIRST_CORRECTION
    assert sorted(path for path in after if path not in before) == \
        [f"{FIRST_CORRECTION}/{name}" for name in ("correction.sv.pdf", "facts.json", "manifest.json")]
    manifest = json.loads((folder / "manifest.json").read_bytes())
    record_manifest = (workspace / record_of(JUNE) / "manifest.json").read_bytes()
    assert manifest["corrects"]["meeting"] == JUNE and manifest["corrects"]["paragraphs"] == [22]
    assert manifest["corrects"]["record"] == hashlib.sha256(record_manifest).hexdigest()
    facts = json.loads((folder / "facts.json").read_bytes())
    sealed = json.loads((workspace / record_of(JUNE) / "facts.json").read_bytes())
    assert [p["decision"]["text"]["sv"] for p in facts["paragraphs"] if p["number"] == 22] == [IS]
    assert [p for p in facts["paragraphs"] if p["number"] != 22] == [p for p in sealed["paragraphs"] if p["number"] != 22]

    minutes = workspace / "build" / "minutes"
    published = minutes / f"{JUNE}.rattelse-2018-08-20.sv.pdf"
    assert published.read_bytes() == (folder / "correction.sv.pdf").read_bytes()
    assert (minutes / f"{JUNE}.sv.pdf").read_bytes() == (workspace / record_of(JUNE) / "minutes.sv.pdf").read_bytes()
    assert (minutes / f"{JUNE}.p22.sv.pdf").read_bytes() == \
        (workspace / record_of(JUNE) / "extract.p22.sv.pdf").read_bytes()
    text = pdf_text(published)
    assert PdfReader(published).metadata.title == "Rättelse av protokoll: Styrelsemöte 8 juni 2018, § 22"
    assert "RÄTTELSE AV PROTOKOLL" in text and "§ 22" in text and "måndag 20 augusti 2018" in text
    assert f"Beslut, tidigare lydelse {WAS}" in text and f"Beslut, ny lydelse {IS}" in text
    assert "Anna-Karin Lindqvist, ordförande" in text and "Ahmed Karimi, justerare" in text
    assert errors(workspace) == []
    build(open_workspace(workspace), Request(("page",)))
    assert links(workspace / "build" / "index.html")[f"minutes/{JUNE}.rattelse-2018-08-20.sv.pdf"] == \
        "Rättelse av protokoll måndag 20 augusti 2018"

    # A second change after the correction is sealed is an error again, held to the corrected facts ...
    june_decision(workspace, IS, "Inga frågor anmäls.")
    (problem,) = errors(workspace)
    assert f"as corrected in {FIRST_CORRECTION}" in problem.message and "paragraphs = [22]" in problem.hint
    # ... and a correction of the correction is a second folder, sealed by 'seal MEETING', whose
    # 'before' is the first correction's 'now'.
    add_correction(workspace, "2018-09-03", text="Rättelsen av den 20 augusti rättas.")
    sealing = cli("--workspace", str(workspace), "seal", JUNE)
    assert sealing.exit_code == 0, sealing.output
    second = workspace / (record_of(JUNE) + ".rattelse-2018-09-03")
    assert f"Sealed {record_of(JUNE)}.rattelse-2018-09-03" in sealing.output
    assert {path: digest for path, digest in digests(workspace).items() if path in after} == after
    assert f"Beslut, tidigare lydelse {IS}" in pdf_text(second / "correction.sv.pdf")
    assert errors(workspace) == []
    build(open_workspace(workspace), MINUTES_ONLY)
    assert (minutes / f"{JUNE}.rattelse-2018-09-03.sv.pdf").read_bytes() == (second / "correction.sv.pdf").read_bytes()
    assert published.read_bytes() == (folder / "correction.sv.pdf").read_bytes()


@pytest.mark.parametrize(("adjusted", "paragraphs", "key", "message"), [
    ("2018-08-20", "[22, 40]", "paragraphs", "names § 40, not a § of styrelsemote-2018-06-08 (§ 13–23)"),
    ("2018-06-10", "[22]", "adjusted", "adjusted on 2018-06-10, before the minutes it corrects (2018-06-13)"),
])
def test_a_correction_outside_the_meeting_or_before_its_adjustment_is_an_error_at_its_line(
        workspace, adjusted, paragraphs, key, message):
    june_decision(workspace, WAS, IS)
    at = add_correction(workspace, adjusted, paragraphs)
    found = errors(workspace)
    assert [(p.file, p.line) for p in found if "correction" in p.message] == \
        [(EVENTS, at + (1 if key == "adjusted" else 0))]
    assert any(message in p.message for p in found)


def test_a_correction_of_a_paragraph_the_data_has_not_changed_is_an_error(workspace):
    at = add_correction(workspace, "2018-08-20")
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, at) and "names § 22, which says what its record says" in problem.message


def test_a_tampered_correction_is_an_error_like_a_record(workspace):
    june_decision(workspace, WAS, IS)
    add_correction(workspace, "2018-08-20")
    build(open_workspace(workspace), MINUTES_ONLY)
    document = workspace / FIRST_CORRECTION / "correction.sv.pdf"
    document.write_bytes(document.read_bytes() + b"%changed\n")
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (f"{FIRST_CORRECTION}/correction.sv.pdf", 1)
    assert "no longer matches its manifest" in problem.message and "git checkout" in problem.hint
    with pytest.raises(ProblemsFound):
        build(open_workspace(workspace), MINUTES_ONLY)


def test_a_sealed_correction_stands_and_a_new_one_comes_after_it(workspace):
    june_decision(workspace, WAS, IS)
    at = add_correction(workspace, "2018-08-20")
    build(open_workspace(workspace), MINUTES_ONLY)
    edit(workspace / EVENTS, "saknade Therese", "glömde Therese")
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, at) and FIRST_CORRECTION in problem.message
    edit(workspace / EVENTS, "glömde Therese", "saknade Therese")
    june_decision(workspace, IS, "Inga frågor anmäls.")
    earlier = add_correction(workspace, "2018-08-01")
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, earlier) and "dated before" in problem.message


CHAIR_AWAY = ('apologies = ["jonas-ek", ', 'apologies = ["jonas-ek", "goran-sandelin", ')
MARCH_CORRECTION = record_of(MARCH) + ".rattelse-2018-04-03"


def test_an_attendance_change_is_an_error_until_a_correction_covers_the_attendance(workspace):
    edit(workspace / "attendance" / f"{MARCH}.toml", *CHAIR_AWAY)
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (f"attendance/{MARCH}.toml", 1)
    assert "goran-sandelin: present → away with apologies" in problem.message
    assert "undo the edit" in problem.hint
    assert "'[[event.minutes.correction]]', 'adjusted = YYYY-MM-DD', 'covers = [\"attendance\"]'" in problem.hint
    # A correction covers what it names and nothing else: one of the time leaves the attendance an error.
    at = add_covering(workspace, MARCH, "2018-04-03", '["time"]', "Tiden rättas.")
    found = errors(workspace)
    assert sorted((p.file, p.line) for p in found) == sorted([(f"attendance/{MARCH}.toml", 1), (EVENTS, at)])
    assert any("covers the time, which the data states as its record does" in p.message for p in found)
    edit(workspace / EVENTS, 'covers = ["time"]', 'covers = ["attendance"]', after=f'id = "{MARCH}"')
    assert errors(workspace) == []


def test_build_seals_a_correction_of_the_attendance_beside_the_record_with_the_present_list_before_and_after(
        workspace, cli):
    before = digests(workspace)
    sealed = json.loads((workspace / record_of(MARCH) / "facts.json").read_bytes())
    edit(workspace / "attendance" / f"{MARCH}.toml", *CHAIR_AWAY)
    add_covering(workspace, MARCH, "2018-04-03", '["attendance"]',
                 "Göran Sandelin hade förhinder och var inte närvarande.")
    result = cli("--workspace", str(workspace), "build", "--only", "minutes", "--quiet")
    assert result.exit_code == 0, result.output
    assert f"Sealed {MARCH_CORRECTION}" in result.output
    after = digests(workspace)
    assert {path: after[path] for path in before} == before  # not a byte of the record changed
    folder = workspace / MARCH_CORRECTION
    corrects = json.loads((folder / "manifest.json").read_bytes())["corrects"]
    assert (corrects["paragraphs"], corrects["covers"]) == ([], ["attendance"])
    facts = json.loads((folder / "facts.json").read_bytes())
    assert ["goran-sandelin", True] in facts["attendance"]["absent"]
    assert "goran-sandelin" not in [row[0] for row in facts["attendance"]["members"]]
    assert {k: v for k, v in facts.items() if k != "attendance"} == {k: v for k, v in sealed.items() if k != "attendance"}

    document = folder / "correction.sv.pdf"
    assert PdfReader(document).metadata.title == "Rättelse av protokoll: Styrelsemöte 16 mars 2018, Närvarolista"
    text = pdf_text(document)
    present_before = text[text.index("Närvarande ledamöter, tidigare lydelse"):text.index("Närvarande ledamöter, ny lydelse")]
    present_now = text[text.index("Närvarande ledamöter, ny lydelse"):text.index("Frånvarande, tidigare lydelse")]
    absent_now = text[text.index("Frånvarande, ny lydelse"):]
    assert "Göran Sandelin" in present_before and "Göran Sandelin" not in present_now
    assert "Göran Sandelin (S) (förhinder)" in absent_now
    assert (workspace / "build" / "minutes" / f"{MARCH}.rattelse-2018-04-03.sv.pdf").read_bytes() == document.read_bytes()
    assert errors(workspace) == []


def test_a_time_change_is_covered_by_a_correction_of_the_time(workspace):
    edit(workspace / EVENTS, "end = 2018-06-08T12:30:00", "end = 2018-06-08T13:00:00", after=f'id = "{JUNE}"')
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, line_of(workspace / EVENTS, f'id = "{JUNE}"') - 1)
    assert "the time" in problem.message and "'covers = [\"time\"]'" in problem.hint
    add_covering(workspace, JUNE, "2018-06-20", '["time"]', "Sammanträdet slutade kl. 13.00.")
    assert errors(workspace) == []
    before = digests(workspace)
    build(open_workspace(workspace), MINUTES_ONLY)
    after = digests(workspace)
    assert {path: after[path] for path in before} == before
    folder = workspace / (record_of(JUNE) + ".rattelse-2018-06-20")
    assert json.loads((folder / "facts.json").read_bytes())["when"]["end"] == "2018-06-08T13:00:00+02:00"
    text = pdf_text(folder / "correction.sv.pdf")
    assert "Tid, tidigare lydelse fredag 8 juni 2018, 09:30–12:30" in text
    assert "Tid, ny lydelse fredag 8 juni 2018, 09:30–13:00" in text
    assert errors(workspace) == []


def test_a_correction_covering_an_attendance_that_did_not_change_is_an_error_at_its_line(workspace):
    at = add_covering(workspace, MARCH, "2018-04-03", '["attendance"]', "Närvarolistan rättas.")
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, at)
    assert "covers the attendance, which the data states as its record does" in problem.message
    assert 'leave "attendance" out of covers' in problem.hint


def test_a_correction_naming_nothing_or_an_unknown_part_is_an_error_at_its_line(workspace):
    at = add_covering(workspace, MARCH, "2018-04-03", '["närvaro"]', "Närvarolistan rättas.")
    (problem,) = [p for p in errors(workspace) if "närvaro" in p.message]
    assert (problem.file, problem.line) == (EVENTS, at + 2) and "'närvaro' is not a known covers" in problem.message
    assert "attendance, time, place" in problem.hint
    edit(workspace / EVENTS, 'covers = ["närvaro"]', "covers = []")
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, at) and "names no § and covers nothing else" in problem.message
