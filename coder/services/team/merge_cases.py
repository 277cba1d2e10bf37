"""Merging a colleague's participants, their attributes and organisations into this project.

Part of `coder merge` (coder.services.team.merge). Participants are matched by name,
attributes by name within their scope, organisations by name. What this project lacks is
added or filled in; where both have a different value, this project's stays and the difference
is reported as a conflict, so nothing here is ever overwritten.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coder.db.models import Attribute, AttributeValue, Case, Organisation, new_guid
from coder.refi.model import RefiProject
from coder.services.sources.case_attributes import new_value_row, owner_is_org
from coder.services.sources.cases import set_typed
from coder.vocab.values import fits

Note = Callable[[str, str, str, str], None]
"""(kind, action, name, detail): records one line of the merge report."""


def _value_text(v: AttributeValue | None) -> str:
    return (v.value_text or "").strip() if v is not None else ""


class CaseMerger:
    """Matches and adds participants inside the merge's transaction."""

    def __init__(self, s: Session, proj: RefiProject, note: Note) -> None:
        self.s, self.proj, self.note = s, proj, note
        self.attrs: dict[str, Attribute] = {}
        self.case_ids: dict[str, int] = {}  # OTHER's case GUID -> this project's case id

    def attributes(self) -> None:
        s = self.s
        rows = list(s.scalars(select(Attribute)))
        by_key = {(a.scope, a.name.lower()): a for a in rows}
        guids = {a.guid for a in rows}
        position = max((a.position for a in rows), default=-1) + 1
        for v in self.proj.variables:
            if v.role == "organisation":
                continue
            found = by_key.get((v.scope, v.name.lower())) or next(
                (a for a in rows if a.name.lower() == v.name.lower()), None
            )
            if found is None:
                found = Attribute(
                    guid=v.guid if v.guid not in guids else new_guid(),
                    name=v.name[:200],
                    type=v.type,
                    scope=v.scope,
                    position=position,
                )
                position += 1
                s.add(found)
                self.note("attribute", "add", v.name, v.type)
            self.attrs[v.guid] = found
        s.flush()

    def _organisation(self, name: str) -> Organisation:
        org = self.s.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name)
            self.s.add(org)
            self.s.flush()
            self.note("organisation", "add", name, "")
        return org

    def cases(self) -> None:
        s = self.s
        org_var = next((v.guid for v in self.proj.variables if v.role == "organisation"), None)
        guids = set(s.scalars(select(Case.guid)))
        for case in self.proj.cases:
            values = dict(case.values)
            oname = values.get(org_var, "").strip()[:200] if org_var else ""
            row = s.scalar(select(Case).where(Case.name == case.name)) or s.scalar(
                select(Case).where(func.lower(Case.name) == case.name.lower())
            )
            org = self._organisation(oname) if oname else None
            new = row is None
            if row is None:
                row = Case(
                    guid=case.guid if case.guid not in guids else new_guid(),
                    name=case.name[:200],
                    description=case.description,
                    organisation=org,
                )
                s.add(row)
                s.flush()
                self.note("participant", "add", case.name, oname)
            else:
                self._fill_case(row, case.description, org)
            self.case_ids[case.guid] = row.id
            for vg, text in case.values:
                attr = self.attrs.get(vg)
                if attr is not None and text.strip():
                    self._value(row, attr, text.strip(), quiet=new)

    def _fill_case(self, row: Case, description: str, org: Organisation | None) -> None:
        if description.strip() and not (row.description or "").strip():
            row.description = description
            self.note("participant", "change", row.name, "description filled in")
        if org is not None and row.organisation_id != org.id:
            if row.organisation_id is None:
                row.organisation_id = org.id
                self.note("participant", "change", row.name, f"organisation set to {org.name}")
            else:
                self.note("participant", "conflict", row.name, f"organisation {org.name} kept out")

    def _value(self, case: Case, attr: Attribute, text: str, *, quiet: bool) -> None:
        s = self.s
        own = s.scalar(
            select(AttributeValue).where(
                AttributeValue.attribute_id == attr.id, AttributeValue.case_id == case.id
            )
        )
        shared = None
        if case.organisation_id is not None:
            shared = s.scalar(
                select(AttributeValue).where(
                    AttributeValue.attribute_id == attr.id,
                    AttributeValue.organisation_id == case.organisation_id,
                )
            )
        current = _value_text(own) or _value_text(shared)
        what = f"{attr.name} = {text}"
        if current == text:
            return
        if current:
            self.note("participant", "conflict", case.name, f"{what} kept out (here: {current})")
            return
        if not fits(text, attr.type):
            self.note("participant", "conflict", case.name, f"{what} is not {attr.type}; kept out")
            return
        row = own or (shared if owner_is_org(attr, case) else None)
        if row is None:
            row = new_value_row(s, attr, case)
        set_typed(row, text, attr.type)
        s.flush()
        if not quiet:
            self.note("participant", "change", case.name, f"{what} filled in")
