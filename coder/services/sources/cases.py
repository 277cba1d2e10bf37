"""Participants (cases), their organisations and typed attributes.

A participants sheet (CSV or XLSX) has one row per participant. One column names the
participant, an optional one the organisation (a record label where two people were
interviewed), an optional one the transcript(s) to link. Every other column becomes a typed
attribute. Attributes whose values are shared by everyone in an organisation (genre, year
established) are stored once on the organisation, so they stay consistent. The whole sheet is
one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Attribute, AttributeValue, Case, Organisation, Source
from coder.db.retry import retry_writes
from coder.errors import UserError
from coder.services.project.settings import Key, write
from coder.services.project.store import Project
from coder.services.sources.sheets import SheetError, infer_type, parse_value, read_sheet
from coder.vocab.dto import AttributeInfo, AttrValue, CaseInfo, CasesImportResult
from coder.vocab.kinds import AttributeScope, AttributeType

__all__ = [
    "CasesError",
    "CaseSheetSpec",
    "import_cases",
    "list_cases",
    "list_attributes",
    "set_case_attribute",
    "SheetError",
]

PARTICIPANT_HEADERS = ("participant", "case", "name", "id", "participant id")
ORG_HEADERS = ("organisation", "organization", "org", "label", "company", "group")
SOURCE_HEADERS = ("source", "sources", "file", "transcript", "filename")


class CasesError(UserError):
    """A user-facing problem with a participants sheet (one line)."""


@dataclass(frozen=True)
class CaseSheetSpec:
    participant_column: str | None = None
    organisation_column: str | None = None
    source_column: str | None = None
    organisation_attributes: tuple[str, ...] | None = None  # None: detect shared values


def _pick(
    headers: Sequence[str], wanted: str | None, defaults: tuple[str, ...], what: str, required: bool
) -> str | None:
    lower = {h.strip().lower(): h for h in headers}
    if wanted is not None:
        if wanted.strip().lower() not in lower:
            raise CasesError(f"no column named {wanted!r} (columns: {', '.join(headers)})")
        return lower[wanted.strip().lower()]
    for d in defaults:
        if d in lower:
            return lower[d]
    if required:
        raise CasesError(
            f"no {what} column; name one with --{what}-column (columns: {', '.join(headers)})"
        )
    return None


@retry_writes
def import_cases(
    project: Project, path: str, spec: CaseSheetSpec | None = None
) -> CasesImportResult:
    """Create or update participants from a CSV/XLSX sheet, in one transaction."""
    spec = spec or CaseSheetSpec()
    headers, rows = read_sheet(path)
    try:  # what is wrong with the sheet names the sheet, as every other refusal does
        pcol = _pick(headers, spec.participant_column, PARTICIPANT_HEADERS, "participant", True)
        ocol = _pick(headers, spec.organisation_column, ORG_HEADERS, "organisation", False)
        scol = _pick(headers, spec.source_column, SOURCE_HEADERS, "source", False)
        assert pcol is not None
        attr_cols = [h for h in headers if h not in (pcol, ocol, scol) and h.strip()]
        for n, row in enumerate(rows, 2):
            if not row.get(pcol, "").strip():
                raise CasesError(f"row {n}: the {pcol!r} cell is empty")
        names = [r[pcol].strip() for r in rows]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise CasesError(f"participant {dupes[0]!r} appears on more than one row")
        org_attrs = _org_attributes(rows, attr_cols, ocol, spec.organisation_attributes)
    except CasesError as exc:
        raise CasesError(f"{path}: {exc}") from None
    types = {h: infer_type([r.get(h, "") for r in rows]) for h in attr_cols}
    with project.transaction() as s:
        attrs = {
            h: _attribute(s, h, types[h], "organisation" if h in org_attrs else "case", i)
            for i, h in enumerate(attr_cols)
        }
        orgs: dict[str, Organisation] = {}
        created = updated = linked = 0
        unmatched: list[str] = []
        for n, row in enumerate(rows, 2):
            org = None
            if ocol and row.get(ocol, "").strip():
                oname = row[ocol].strip()
                org = orgs.get(oname) or _get_or_create(s, Organisation, oname)
                orgs[oname] = org
            case = s.scalar(select(Case).where(Case.name == row[pcol].strip()))
            if case is None:
                case = Case(name=row[pcol].strip(), description="")
                s.add(case)
                created += 1
            else:
                updated += 1
            case.organisation = org
            s.flush()
            for h, attr in attrs.items():
                owner = org if attr.scope == "organisation" else case
                if owner is None:  # organisation attribute but no organisation: keep on case
                    owner = case
                _set_value(s, attr, owner, row.get(h, ""))
            if scol:
                for ref in _split_refs(row.get(scol, "")):
                    src = _match_source(s, ref)
                    if src is None:
                        # Raised inside the transaction: the whole sheet is rolled back.
                        raise CasesError(
                            f"{path}: row {n}: no source matches {ref!r} (import it first); "
                            "nothing stored"
                        )
                    else:
                        src.case_id = case.id
                        linked += 1
        if ocol:
            # Table 1 heads the organisation column the way the researcher's sheet did.
            write(s, Key.ORG_LABEL, ocol.strip())
        infos = tuple(_attr_info(a) for a in attrs.values())
    return CasesImportResult(created, updated, len(orgs), linked, infos, tuple(unmatched))


def _org_attributes(
    rows: list[dict[str, str]], cols: list[str], ocol: str | None, given: tuple[str, ...] | None
) -> set[str]:
    if ocol is None:
        return set()
    if given is not None:
        lower = {c.lower(): c for c in cols}
        missing = [g for g in given if g.lower() not in lower]
        if missing:
            raise CasesError(f"no column named {missing[0]!r} for organisation attributes")
        return {lower[g.lower()] for g in given}
    groups: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        if r.get(ocol, "").strip():
            groups.setdefault(r[ocol].strip(), []).append(r)
    if not any(len(g) > 1 for g in groups.values()):
        return set()
    shared = set()
    for c in cols:
        if all(len({m.get(c, "").strip() for m in g}) == 1 for g in groups.values()):
            shared.add(c)
    return shared


def _split_refs(cell: str) -> list[str]:
    return [p.strip() for p in cell.replace(";", "\n").splitlines() if p.strip()]


def _match_source(s: Session, ref: str) -> Source | None:
    for col in (Source.filename, Source.name):
        found = s.scalar(select(Source).where(col == ref))
        if found is not None:
            return found
    stem = ref.rsplit(".", 1)[0]
    return s.scalar(select(Source).where(Source.name == stem))


def _get_or_create(s: Session, model: type[Organisation], name: str) -> Organisation:
    row = s.scalar(select(model).where(model.name == name))
    if row is None:
        row = model(name=name)
        s.add(row)
        s.flush()
    return row


def _attribute(s: Session, name: str, type_: str, scope: str, position: int) -> Attribute:
    attr = s.scalar(select(Attribute).where(Attribute.name == name))
    if attr is None:
        attr = Attribute(name=name, type=type_, scope=scope, position=position)
        s.add(attr)
    else:
        if attr.type != type_:
            # Widen rather than lose data: existing values are re-typed as text on conflict.
            attr.type = "text" if type_ == "text" or attr.type == "text" else type_
        attr.scope, attr.position = scope, position
    s.flush()
    return attr


def _set_value(s: Session, attr: Attribute, owner: Case | Organisation, raw: str) -> None:
    is_case = isinstance(owner, Case)
    q = select(AttributeValue).where(AttributeValue.attribute_id == attr.id)
    q = q.where(
        AttributeValue.case_id == owner.id
        if is_case
        else AttributeValue.organisation_id == owner.id
    )
    row = s.scalar(q)
    if row is None:
        row = AttributeValue(
            attribute_id=attr.id,
            case_id=owner.id if is_case else None,
            organisation_id=None if is_case else owner.id,
        )
        s.add(row)
    set_typed(row, raw, attr.type)


def typed_columns(raw: str, type_: str) -> dict[str, object]:
    """The one typed-value rule: the text as typed, plus the typed column its type fills
    (column name -> value, for an ORM row or a bulk INSERT alike)."""
    value = parse_value(raw, type_)
    return {
        "value_text": raw.strip() if raw.strip() else None,
        "value_int": value if type_ == "integer" and isinstance(value, int) else None,
        "value_num": float(value) if type_ == "number" and isinstance(value, float) else None,
        "value_date": value if type_ == "date" and isinstance(value, date) else None,
    }


def set_typed(row: AttributeValue, raw: str, type_: str) -> None:
    """Write a raw value into an attribute-value row by :func:`typed_columns`."""
    for column, value in typed_columns(raw, type_).items():
        setattr(row, column, value)


def _typed(v: AttributeValue, type_: str) -> AttrValue:
    if type_ == "integer" and v.value_int is not None:
        return v.value_int
    if type_ == "number" and v.value_num is not None:
        return v.value_num
    if type_ == "date" and v.value_date is not None:
        return v.value_date
    return v.value_text


def _attr_info(a: Attribute) -> AttributeInfo:
    kind, scope = cast(AttributeType, a.type), cast(AttributeScope, a.scope)  # as stored
    return AttributeInfo(a.id, a.guid, a.name, kind, scope, a.position)


def list_attributes(project: Project) -> list[AttributeInfo]:
    with project.reading() as s:
        return [
            _attr_info(a)
            for a in s.scalars(select(Attribute).order_by(Attribute.position, Attribute.name))
        ]


def list_cases(project: Project) -> list[CaseInfo]:
    """Every participant with own and organisation attribute values, by organisation then name."""
    with project.reading() as s:
        attrs = {a.id: a for a in s.scalars(select(Attribute))}
        case_vals: dict[int, dict[str, AttrValue]] = {}
        org_vals: dict[int, dict[str, AttrValue]] = {}
        for v in s.scalars(select(AttributeValue)):
            a = attrs[v.attribute_id]
            if v.case_id is not None:
                case_vals.setdefault(v.case_id, {})[a.name] = _typed(v, a.type)
            elif v.organisation_id is not None:
                org_vals.setdefault(v.organisation_id, {})[a.name] = _typed(v, a.type)
        sources: dict[int, list[str]] = {}
        for cid, name in s.execute(
            select(Source.case_id, Source.name)
            .where(Source.case_id.is_not(None))
            .order_by(Source.name)
        ):
            if cid is not None:
                sources.setdefault(cid, []).append(name)
        out = []
        for case, org in s.execute(
            select(Case, Organisation).outerjoin(
                Organisation, Organisation.id == Case.organisation_id
            )
        ):
            out.append(
                CaseInfo(
                    id=case.id,
                    guid=case.guid,
                    name=case.name,
                    description=case.description or "",
                    organisation_id=case.organisation_id,
                    organisation=org.name if org else None,
                    values=case_vals.get(case.id, {}),
                    organisation_values=org_vals.get(org.id, {}) if org else {},
                    source_names=tuple(sources.get(case.id, ())),
                )
            )
    return sorted(out, key=lambda c: (c.organisation or "~", c.name))


@retry_writes
def set_case_attribute(project: Project, case_name: str, attribute: str, raw: str) -> None:
    """Set one participant attribute (created as text if new)."""
    with project.transaction() as s:
        case = s.scalar(select(Case).where(Case.name == case_name))
        if case is None:
            raise CasesError(f"no participant named {case_name!r}")
        attr = s.scalar(select(Attribute).where(Attribute.name == attribute))
        if attr is None:
            attr = _attribute(s, attribute, "text", "case", 999)
        if attr.scope == "organisation" and case.organisation is not None:
            _set_value(s, attr, case.organisation, raw)
        else:
            _set_value(s, attr, case, raw)
