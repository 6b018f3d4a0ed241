"""Swedish personal identity numbers (personnummer, samordningsnummer) found in free text.

The web copy of the minutes leaves them out and `check` warns where one would be published. A
number counts when it is written as Skatteverket writes it (YYMMDD-NNNN, YYMMDD+NNNN for someone
over a hundred, YYYYMMDD-NNNN, or the same digits without the separator), its date is a real one
(for a samordningsnummer the day plus 60) and its check digit is right (the Luhn algorithm over
the ten digits). What is not: a phone number (ten digits from 0 without a separator, as Swedish
numbers are written), an organisation number (its month is 20 or more; the 12-digit form starts
with 16), a date with its time (20180608T1030, 08:30), and any run of more digits.
Pure functions: the renderers and the validator share them.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterator

# The digits of a number with no other digit, letter-joined date (T1030) or time (:30) beside it.
_CANDIDATE = re.compile(r"(?<![\w+:.-])(\d{2})?(\d{6})([-+]?)(\d{4})(?![\w:]|[.,]\d)", re.ASCII)
CENTURIES = ("18", "19", "20")
COORDINATION_DAYS = 60  # a samordningsnummer's day is the birth day plus 60


def identity_numbers(text: str) -> Iterator[re.Match]:
    """Each personal identity number in `text`, as the match of its characters."""
    for match in _CANDIDATE.finditer(text):
        century, date, separator, serial = match.groups()
        if century is None and not separator and date.startswith("0"):
            continue  # 0701234567: a phone number as Swedes write one
        if century is not None and century not in CENTURIES:
            continue  # 16 and an organisation number, or some other long number
        if _real_date(century, date) and luhn_valid(date + serial):
            yield match


def masked(number: str) -> str:
    """The number with its last four digits hidden, to name it in a message: '811218-XXXX'."""
    return number[:-4] + "XXXX"


def luhn_valid(digits: str) -> bool:
    """Whether the last of the ten digits is the Luhn check digit of the nine before it."""
    total = 0
    for index, digit in enumerate(digits[:-1]):
        product = int(digit) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10 == int(digits[-1])


def _real_date(century: str | None, date: str) -> bool:
    """Whether YYMMDD (with its century, or in any century a ten-digit number may mean) is a day
    of the calendar, the day counted from 61 for a samordningsnummer."""
    month, day = int(date[2:4]), int(date[4:6])
    if day > COORDINATION_DAYS:
        day -= COORDINATION_DAYS
    if not 1 <= month <= 12 or day < 1:
        return False
    years = [int(century + date[:2])] if century else [int(c + date[:2]) for c in CENTURIES]
    return any(day <= monthrange(year, month)[1] for year in years)
