"""What `check` refuses outright: values with a hidden line break, text past its length limit,
files too large to read, templates that cannot be used, and dates at the ends of the calendar."""

from __future__ import annotations

import pytest

from motesplats.badge_styles import parse_colour
from tests.validate.test_rules import EVENTS, SETTINGS, assert_at, edit, only_error


# --- whole values: Python's $ matches before a final line break --------------------------------

def test_an_id_with_a_trailing_line_break_is_refused(tiny):
    edit(tiny, EVENTS, 'id = "konferens"', 'id = "konferens\\n"')
    assert_at(only_error(tiny.check()), EVENTS, 2, "not a usable id", "lowercase letters")


def test_an_organiser_address_with_a_trailing_line_break_is_refused(tiny):
    edit(tiny, SETTINGS, 'email = "info@example.org"', 'email = "info@example.org\\n"')
    assert_at(only_error(tiny.check()), SETTINGS, tiny.line_of(SETTINGS, "email ="), "not an e-mail address")


@pytest.mark.parametrize("setting, written", [("languages", '["sv", "en\\n", "fr"]'),
                                              ("audiences", '["public", "board\\n"]')])
def test_settings_with_a_trailing_line_break_are_refused(tiny, setting, written):
    old = {"languages": '["sv", "en", "fr"]', "audiences": '["public", "board"]'}[setting]
    edit(tiny, SETTINGS, f"{setting} = {old}", f"{setting} = {written}")
    problems = [p for p in tiny.check().errors if p.file == SETTINGS]
    assert problems and all(p.line == tiny.line_of(SETTINGS, f"{setting} =") for p in problems)


@pytest.mark.parametrize("colour", ["#fff\n", "+1+1+1", "#1 2 3 ", "##ffffff", "#1_2_3_"])
def test_a_colour_is_all_hex_digits(colour):
    assert parse_colour(colour) is None
    assert parse_colour("#1a2B3c") == (0x1a / 255, 0x2b / 255, 0x3c / 255)
