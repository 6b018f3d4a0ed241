"""Cells a spreadsheet would run as formulas, and how every CSV motesplats writes keeps them text.

Excel, LibreOffice and Google Sheets treat a cell that begins with =, +, -, @, a tab or a
carriage return as a formula (CSV injection: `=HYPERLINK(...)` in a name sent round as a
participant list). Such a cell is written with a leading apostrophe, which the spreadsheet shows
as text and hides; reading the CSV back (a roster) drops it again, so the name as data (on
badges, in feeds and programmes) is the name as typed.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_START)


def safe_cell(value: str) -> str:
    """`value` as a CSV cell no spreadsheet runs."""
    return "'" + value if looks_like_formula(value) else value


def cell_value(cell: str) -> str:
    """The value a `safe_cell` holds: without the apostrophe that kept a spreadsheet from running it."""
    return cell[1:] if cell.startswith("'") and looks_like_formula(cell[1:]) else cell
