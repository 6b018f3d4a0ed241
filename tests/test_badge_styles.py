"""Badge layouts and role styles read as data: the built-in ones, a workspace's own, and their mistakes."""

from __future__ import annotations

import pytest

from motesplats.badge_styles import contrast, layout_names, layout_problems, load_layout, load_roles, readable_text
from motesplats.problems import ProblemsFound


# ---------------------------------------------------------------- roles and contrast


def test_contrast_rule():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert readable_text("#FBC02D", "#FFFFFF") == "#000000"
    assert readable_text("#0D47A1", "#FFFFFF") == "#FFFFFF"


def test_every_built_in_band_is_readable():
    roles = load_roles()
    assert roles.problems == ()
    for style in [*roles.styles.values(), roles.default]:
        assert contrast(style.band, style.text) >= 4.5, style.key


def test_a_workspace_colour_that_fails_contrast_is_replaced_and_reported(tiny):
    tiny.write("templates/badges/roles.toml", """\
        [role.ledamot]
        band = "#FFEB3B"
        text = "#FFFFFF"

        [role."hedersgäst"]
        word = { sv = "Hedersgäst", en = "Guest of honour" }
        band = "#000000"
        text = "#FFFFFF"
        """)
    roles = load_roles(tiny.root / "templates")
    assert roles.style("ledamot").text == "#000000"
    assert roles.word("ledamot", "sv") == "Ledamot"          # the built-in words stay
    assert roles.word("hedersgäst", "en") == "Guest of honour"
    [problem] = roles.problems
    assert problem.file == "templates/badges/roles.toml" and problem.line == 1
    assert "ledamot" in problem.message and "#000000" in problem.hint


# ---------------------------------------------------------------- layouts


def test_the_built_in_layouts_are_listed_and_clean():
    assert {"a4-8up", "a4-8up-duplex", "a6-lanyard"} <= set(layout_names())
    assert layout_problems() == []
    layout = load_layout("a4-8up")
    assert (layout.per_page, layout.source) == (8, "(built-in) layouts/a4-8up.toml")


def test_a_broken_layout_is_reported_with_file_and_line(tiny):
    tiny.write("templates/badges/layouts/too-big.toml", """\
        [page]
        width = 210
        height = 297
        [badge]
        width = 120
        height = 55
        columns = 2
        rows = 4
        colums = 3
        """)
    with pytest.raises(ProblemsFound) as raised:
        load_layout("too-big", tiny.root / "templates")
    [problem] = raised.value.problems
    assert problem.file == "templates/badges/layouts/too-big.toml" and problem.line == 9
    assert "colums" in problem.message
    with pytest.raises(ProblemsFound):
        load_layout("no-such-layout", tiny.root / "templates")
    tiny.write("templates/badges/layouts/too-big.toml", "[page]\nwidth = 210\nheight = 297\n"
               "[badge]\nwidth = 120\nheight = 55\ncolumns = 2\nrows = 4\n")
    problems = layout_problems(tiny.root / "templates")
    assert any("do not fit the page" in p.message and p.file.endswith("too-big.toml") for p in problems)
