"""`check` on what the web must not show: markers left open or where nothing honours them, an item
left off the web without its reason, and personal identity numbers in anything published."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from motesplats.problems import is_error
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace
from tests.conftest import before_sealing

EVENTS = "events/styrelsemoten-2018.toml"
JUNE = 'id = "styrelsemote-2018-06-08"'
TODAY = date(2018, 12, 31)


@pytest.fixture
def root(example_files: Path) -> Path:
    return before_sealing(example_files)


def edit(path: Path, old: str, new: str, after: str = JUNE) -> int:
    """Replace the first `old` after `after`; return the line it is on."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old, text.index(after) if after else 0)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text[:at].count("\n") + 1


def problems(root: Path):
    return check_workspace(open_workspace(root), today=TODAY).problems


def test_an_unclosed_marker_is_an_error_at_its_line(root):
    line = edit(root / EVENTS, 'text = "Inga övriga frågor anmäls."',
                'text = "Styrelsen beviljar [[ej webb]]Kalle Svensson bidrag."')
    (found,) = [p for p in problems(root) if is_error(p)]
    assert (found.file, found.line) == (EVENTS, line)
    assert "[[ej webb]] is never closed with [[/ej webb]]" in found.message and "'text' of the decision" in found.message


def test_a_marker_the_web_copy_cannot_honour_is_an_error(root):
    line = edit(root / EVENTS, 'proposal = "Styrelsen lägger lägesrapporten till handlingarna."',
                'proposal = "Styrelsen lägger [[ej webb]]den hemliga[[/ej webb]] lägesrapporten till handlingarna."')
    (found,) = [p for p in problems(root) if is_error(p)]
    assert (found.file, found.line) == (EVENTS, line)
    assert "'proposal' of the agenda item" in found.message and "shown as written" in found.message


def test_an_item_left_off_the_web_says_why(root):
    line = edit(root / EVENTS, 'documents = ["Lägesrapport En Bättre Matchning, juni 2018"]\n',
                'documents = ["Lägesrapport En Bättre Matchning, juni 2018"]\nweb = false\n') + 1
    (found,) = [p for p in problems(root) if is_error(p)]
    assert (found.file, found.line) == (EVENTS, line) and "web_reason" in found.hint


def test_a_personal_identity_number_in_a_title_is_a_warning_that_hides_its_last_digits(root):
    line = edit(root / EVENTS, 'title = "Övriga frågor"', 'title = "Övriga frågor: ansökan från 19811218-9876"')
    found = [p for p in problems(root) if "personal identity number" in p.message]
    assert [(p.file, p.line, is_error(p)) for p in found] == [(EVENTS, line, False)]
    assert "'title' of the agenda item" in found[0].message and "will show on the web" in found[0].message
    assert "19811218-XXXX" in found[0].message and "9876" not in found[0].message + found[0].hint


def test_a_personal_identity_number_in_a_roster_is_a_warning_at_its_row(root):
    roster = root / "events" / "board.csv"
    rows = roster.read_text(encoding="utf-8").split("\n")
    rows[3] = rows[3].replace(";", ";811218-9876 ", 1)  # the name column of the third person
    roster.write_text("\n".join(rows), encoding="utf-8")
    found = [p for p in problems(root) if "personal identity number" in p.message]
    assert [(p.file, p.line) for p in found] == [("events/board.csv", 4)]
    assert "the name column" in found[0].message


def test_phone_numbers_and_organisation_numbers_are_not_warned_about(root):
    edit(root / EVENTS, 'text = "Inga övriga frågor anmäls."',
         'text = "Frågor till kansliet, 0701234567 eller 08-123 456 78; Mälardalsrådet, org.nr 556036-0793."')
    assert not [p for p in problems(root) if "personal identity number" in p.message]
