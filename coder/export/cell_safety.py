"""Keeping data from becoming a live formula in a spreadsheet (CSV and formula injection).

Participant names, quotes and code names come from other people. Excel, LibreOffice and Google
Sheets run a cell that starts with `=`, `+`, `-` or `@` (a tab or CR in front works too) as a
formula, so `=HYPERLINK(...)` or `=cmd|...` in a transcript would act when a colleague opens the
export. As OWASP advises, such a CSV cell gets a leading single quote; XLSX cells are written as
typed strings (openpyxl would otherwise store a text starting with `=` as a formula). A plain
number in a numeric column (`-3`) is a number and is left as it is.
"""

from __future__ import annotations

import re

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?%?$")


def is_number(text: str) -> bool:
    """True for a plain number such as `12`, `-3` or `4.5`."""
    return bool(_NUMBER.match(text.strip()))


def risky(text: str) -> bool:
    """True when a spreadsheet would read `text` as a formula."""
    return text.startswith(_TRIGGERS)


def csv_cell(text: str, numeric: bool = False) -> str:
    """`text` made safe for a CSV cell (a leading quote when it would start a formula)."""
    if numeric and is_number(text):
        return text
    return "'" + text if risky(text) else text
