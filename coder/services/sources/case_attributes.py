"""A participant's typed attributes as the workspace shows and edits them (issue 13.19).

The sheet import (cases.py) writes attributes in bulk; here a researcher sees the participant
of one transcript and corrects a value or two by hand. Values follow the one grammar of
`coder.vocab.values` (a whole number, a number with a decimal point, an ISO date), a wrong one
is refused in one line naming the attribute, and all the values saved together are one
transaction and one undo step: the rows are recorded in the project's History.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Attribute, AttributeValue, Case, Source
from coder.db.retry import retry_writes
from coder.errors import UserError
from coder.services.project.history import Recorder
from coder.services.project.store import Project
from coder.services.sources.cases import set_typed
from coder.vocab.kinds import AttributeScope, AttributeType
from coder.vocab.values import fits

__all__ = [
    "AttributeField",
    "AttributeValueError",
    "CaseCard",
    "case_card",
    "new_value_row",
    "owner_is_org",
    "set_attributes",
]

TYPE_WORDS: dict[str, str] = {
    "integer": "a whole number (14)",
    "number": "a number with a decimal point (2.5)",
    "date": "a date as yyyy-mm-dd (2013-03-14)",
    "text": "any text",
}


class AttributeValueError(UserError):
    """A value that does not fit its attribute's type, or a participant that is gone."""


@dataclass(frozen=True, slots=True)
class AttributeField:
    """One attribute of a participant: its value as typed ('' when none)."""

    attribute_id: int
    name: str
    type: AttributeType
    scope: AttributeScope  # "organisation": shared by everyone in the organisation
    value: str


@dataclass(frozen=True, slots=True)
class CaseCard:
    """The participant of a transcript, with every attribute (set or not)."""

    case_id: int
    name: str
    organisation: str | None
    source_names: tuple[str, ...]
    fields: tuple[AttributeField, ...]


def case_card(project: Project, source_id: int) -> CaseCard | None:
    """The participant a source is linked to and their attributes; None if it has none."""
    with project.reading() as s:
        case_id = s.scalar(select(Source.case_id).where(Source.id == source_id))
        if case_id is None:
            return None
        return _card(s, case_id)


def _card(s: Session, case_id: int) -> CaseCard | None:
    case = s.get(Case, case_id)
    if case is None:
        return None
    org = case.organisation
    fields = []
    for attr in s.scalars(select(Attribute).order_by(Attribute.position, Attribute.name)):
        row = _value_row(s, attr, case)
        fields.append(
            AttributeField(
                attr.id,
                attr.name,
                cast(AttributeType, attr.type),
                cast(AttributeScope, attr.scope),
                (row.value_text or "") if row is not None else "",
            )
        )
    names = s.scalars(select(Source.name).where(Source.case_id == case_id).order_by(Source.name))
    return CaseCard(case.id, case.name, org.name if org else None, tuple(names), tuple(fields))


def owner_is_org(attr: Attribute, case: Case) -> bool:
    """Whether `attr`'s value for `case` is stored on its organisation (shared by everyone in
    it, as the sheet stores it once) rather than on the participant."""
    return attr.scope == "organisation" and case.organisation_id is not None


def new_value_row(s: Session, attr: Attribute, case: Case) -> AttributeValue:
    """An empty value row for `attr` of `case`, on its owner (`owner_is_org`), added to `s`."""
    on_org = owner_is_org(attr, case)
    row = AttributeValue(
        attribute_id=attr.id,
        case_id=None if on_org else case.id,
        organisation_id=case.organisation_id if on_org else None,
    )
    s.add(row)
    return row


def _value_row(s: Session, attr: Attribute, case: Case) -> AttributeValue | None:
    q = select(AttributeValue).where(AttributeValue.attribute_id == attr.id)
    if owner_is_org(attr, case):
        q = q.where(AttributeValue.organisation_id == case.organisation_id)
    else:
        q = q.where(AttributeValue.case_id == case.id)
    return s.scalar(q)


def check_value(name: str, type_: str, raw: str) -> str | None:
    """Why a typed value does not fit its attribute (one line), or None when it does."""
    if not raw.strip() or fits(raw, type_):
        return None
    return f"{name} takes {TYPE_WORDS.get(type_, type_)}, not {raw.strip()!r}"


@retry_writes
def set_attributes(project: Project, case_id: int, values: Mapping[int, str]) -> CaseCard:
    """Set some attributes of one participant (attribute id → text as typed; '' clears).

    All values are checked first; one that does not fit stores nothing. An organisation
    attribute is changed for the whole organisation, as the sheet stores it once. The writes
    are one transaction and one undo step.
    """
    with project.transaction() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise AttributeValueError(f"participant {case_id} no longer exists")
        attrs = {a.id: a for a in s.scalars(select(Attribute).where(Attribute.id.in_(values)))}
        for attr_id in values:
            if attr_id not in attrs:
                raise AttributeValueError(f"attribute {attr_id} no longer exists")
        for attr_id, raw in values.items():
            problem = check_value(attrs[attr_id].name, attrs[attr_id].type, raw)
            if problem:
                raise AttributeValueError(problem)
        rec = Recorder(s)
        for attr_id, raw in values.items():
            attr = attrs[attr_id]
            row = _value_row(s, attr, case)
            if row is not None and (row.value_text or "") == raw.strip():
                continue
            if not raw.strip():
                if row is not None:
                    rec.touch([row])
                    s.delete(row)
                continue
            if row is None:
                row = new_value_row(s, attr, case)
                set_typed(row, raw, attr.type)
                rec.created([row])
            else:
                rec.touch([row])
                set_typed(row, raw, attr.type)
        rec.record(f"attributes of {case.name}")
        card = _card(s, case_id)
    assert card is not None
    return card
