"""Every attribute value of the project, per participant and per organisation: the one read
behind the analysis corpus (typed values) and Table 1 (values as the researcher typed them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Attribute, AttributeValue

T = TypeVar("T")
ByOwner = dict[int, dict[str, T]]  # participant (or organisation) id -> attribute name -> value

Convert = Callable[[str, str | None, int | None, float | None, date | None], T]
"""(attribute type, text, whole number, number, date) -> the value as the caller wants it."""


def attribute_values(s: Session, convert: Convert[T]) -> tuple[ByOwner[T], ByOwner[T]]:
    """Each participant's own values and each organisation's shared ones, by attribute name,
    each value made by `convert` from its stored columns."""
    own: ByOwner[T] = {}
    shared: ByOwner[T] = {}
    rows = s.execute(
        select(
            Attribute.name,
            Attribute.type,
            AttributeValue.case_id,
            AttributeValue.organisation_id,
            AttributeValue.value_text,
            AttributeValue.value_int,
            AttributeValue.value_num,
            AttributeValue.value_date,
        ).join(Attribute, AttributeValue.attribute_id == Attribute.id)
    )
    for name, type_, case_id, org_id, text, i, num, day in rows:
        if case_id is not None:
            own.setdefault(case_id, {})[name] = convert(type_, text, i, num, day)
        elif org_id is not None:
            shared.setdefault(org_id, {})[name] = convert(type_, text, i, num, day)
    return own, shared
