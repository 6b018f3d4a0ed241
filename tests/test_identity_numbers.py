"""Personal identity numbers found in text: the forms Skatteverket writes, the check digit, the date,
and what only looks like one (phone numbers, organisation numbers, dates with their time)."""

from __future__ import annotations

import pytest

from motesplats.identity_numbers import identity_numbers, luhn_valid, masked


def found(text: str) -> list[str]:
    return [match.group(0) for match in identity_numbers(text)]


@pytest.mark.parametrize("number", [
    "811218-9876",      # YYMMDD-NNNN
    "811218+9876",      # over a hundred years old
    "8112189876",       # without the separator
    "19811218-9876",    # with the century
    "198112189876",     # with the century, without the separator
    "811278-9873",      # samordningsnummer: the 18th plus 60
    "20000229-0005",    # a leap day
])
def test_a_personal_identity_number_is_found_in_every_form(number):
    assert found(f"Sökanden ({number}) beviljas bidrag.") == [number]


@pytest.mark.parametrize("number", [
    "811218-9875",      # wrong check digit
    "198112189877",     # wrong check digit, 12 digits
    # each with a right check digit:
    "811318-9875",      # month 13
    "810230-5672",      # 30 February
    "19000229-1235",    # 1900 was not a leap year
    "811292-9875",      # samordningsnummer day 92: 32 December
])
def test_a_number_without_its_check_digit_or_date_is_not_one(number):
    assert found(f"nr {number}") == []


@pytest.mark.parametrize("text", [
    "Ring 0701234567 eller 070-123 45 67",   # phone numbers as Swedes write them
    "+46701234567",
    "Mälardalsrådet, org.nr 556036-0793",    # organisation number: month 60
    "165560360793",                          # the 12-digit form starts with 16
    "20180608T1030",                          # a date with its time
    "2018-06-08 10:30",
    "Dnr 1234567890123",                      # more digits than a number has
    "kl. 811218-9876:30",
])
def test_what_only_looks_like_one_is_not_found(text):
    assert found(text) == []


def test_the_check_digit_is_luhns():
    assert luhn_valid("8112189876") and not luhn_valid("8112189870")


def test_a_number_named_in_a_message_has_its_last_four_digits_hidden():
    assert masked("19811218-9876") == "19811218-XXXX"
    assert masked("8112189876") == "811218XXXX"
