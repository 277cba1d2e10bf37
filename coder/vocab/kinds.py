"""The kinds coder's records carry, as closed sets of strings (the values stored in the database).

Naming them as Literal types lets mypy catch a misspelt kind where a record is built or
compared, while the records stay plain strings for JSON and for the database.
"""

from __future__ import annotations

from typing import Literal

from coder.vocab.values import ValueType

AttributeType = ValueType
"""A participant attribute's type: "text", "integer", "number" or "date"."""

AttributeScope = Literal["case", "organisation"]
"""Whom an attribute describes: one participant, or everyone in an organisation."""

MemoKind = Literal["code", "source", "project", "span"]

ImportStatus = Literal["imported", "duplicate", "failed"]

Decision = Literal["accept", "reject", "seen"]
"""A researcher's answer to a suggestion."""

SourceFormat = Literal["txt", "md", "docx", "vtt", "srt", "odt", "rtf"]
