"""The one grammar for the values researchers type: integers, numbers and ISO dates.

Participant sheets, Table 1's column alignment, the REFI-QDA plan and the .qdpx writer all ask
"is this a number?". They used to answer with four rules that disagreed about "2,5". Now there
is one: a number uses a decimal point (an optional exponent is allowed), so "2,5" is text
everywhere, since in the sheets coder reads a comma separates thousands or list items and
`float` refuses it. Dates are ISO (yyyy-mm-dd) and must exist. Surrounding spaces are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Literal

ValueType = Literal["integer", "number", "date", "text"]

_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
_NUMBER = re.compile(_DECIMAL.pattern + r"([eE][+-]?\d+)?", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def is_integer(text: str) -> bool:
    """ "14", "-3", "+7"; not "1.0", not "1,000"."""
    return _INTEGER.fullmatch(text.strip()) is not None


def is_decimal(text: str) -> bool:
    """A number without an exponent ("2.5", ".5", "3"): the form xs:decimal accepts."""
    return _DECIMAL.fullmatch(text.strip()) is not None


def is_number(text: str) -> bool:
    """ "2.5", "14", "1e3"; not "2,5", not "Less than 1"."""
    return _NUMBER.fullmatch(text.strip()) is not None


def is_date(text: str) -> bool:
    """An ISO date that exists ("2013-03-14"; not "2013-02-30", not "14/03/2013")."""
    t = text.strip()
    if _DATE.fullmatch(t) is None:
        return False
    try:
        date.fromisoformat(t)
    except ValueError:
        return False
    return True


def fits(text: str, type_: str) -> bool:
    """Whether a value's text parses as the given type (anything fits "text")."""
    rule = _RULES.get(type_)
    return rule is None or rule(text)


_RULES = {"integer": is_integer, "number": is_number, "date": is_date}


def infer_type(values: Iterable[str]) -> ValueType:
    """The narrowest type all non-empty values fit: integer, number, date, else text."""
    vals = [v.strip() for v in values if v.strip()]
    if not vals:
        return "text"
    for kind in ("integer", "number", "date"):
        if all(fits(v, kind) for v in vals):
            return kind
    return "text"


def mostly_numbers(texts: Iterable[str]) -> bool:
    """True when at least half the non-empty texts are numbers ("14", "2.5", not "Less than 1")."""
    vals = [t for t in texts if t.strip()]
    return bool(vals) and sum(is_number(t) for t in vals) * 2 >= len(vals)


def parse_value(raw: str, type_: str) -> int | float | date | str | None:
    """The typed value of a text (None when empty); the text must fit the type."""
    v = raw.strip()
    if not v:
        return None
    if type_ == "integer":
        return int(v)
    if type_ == "number":
        return float(v)
    if type_ == "date":
        return date.fromisoformat(v)
    return v
