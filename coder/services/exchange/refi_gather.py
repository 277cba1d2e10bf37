"""Gathering a project for a REFI-QDA export (.qdpx): everything the standard can carry.

`gather_project` reads the project into a `RefiProject` (coder.refi.qdpx_write turns it into
the file); `export_qdpx` writes it atomically. `coder merge` gathers the same way to compare
a colleague's file with the project.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from coder.db.models import (
    Attribute,
    AttributeValue,
    Case,
    Code,
    Coder,
    Coding,
    Memo,
    Organisation,
    Source,
)
from coder.export.assemble import spec_tree, value_text
from coder.files import atomic_write
from coder.refi.model import (
    ORG_ATTR_MARK,
    ORG_MARK,
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSource,
    RefiUser,
    RefiVariable,
)
from coder.refi.qdpx_write import write_qdpx
from coder.refi.xml import coin_guid
from coder.services.exchange.sets import read_sets
from coder.services.project.settings import Key, get_setting
from coder.services.project.store import Project
from coder.services.reports.tables import bare_tree


def gather_project(project: Project) -> RefiProject:
    """Everything the standard can carry, from `project`, as a RefiProject."""
    title = get_setting(project, Key.CODEBOOK_TITLE)
    description = get_setting(project, Key.CODEBOOK_DESCRIPTION)
    codes = spec_tree(bare_tree(project))
    org_label = get_setting(project, Key.ORG_LABEL, "Organisation") or "Organisation"
    with project.reading() as s:
        coders = {c.id: RefiUser(c.guid, c.name) for c in s.scalars(select(Coder))}
        attrs = list(s.scalars(select(Attribute).order_by(Attribute.position, Attribute.name)))
        orgs = {o.id: o.name for o in s.scalars(select(Organisation))}
        own: dict[int, dict[int, str]] = defaultdict(dict)
        shared: dict[int, dict[int, str]] = defaultdict(dict)
        for v in s.scalars(select(AttributeValue)):
            text = value_text(v.value_text, v.value_int, v.value_num, v.value_date)
            if v.case_id is not None:
                own[v.case_id][v.attribute_id] = text
            elif v.organisation_id is not None:
                shared[v.organisation_id][v.attribute_id] = text
        case_sources: dict[int, list[str]] = defaultdict(list)
        for cid, sguid in s.execute(
            select(Source.case_id, Source.guid)
            .where(Source.case_id.is_not(None))
            .order_by(Source.id)
        ):
            if cid is not None:
                case_sources[cid].append(sguid)
        org_var = RefiVariable(
            coin_guid("coder", "organisation"),
            org_label,
            "text",
            "case",
            "organisation",
            f"The participant's organisation. {ORG_MARK}",
        )
        variables = ([org_var] if orgs else []) + [
            RefiVariable(
                a.guid,
                a.name,
                a.type,
                a.scope,
                "",
                f"Shared by everyone in the organisation. {ORG_ATTR_MARK}"
                if a.scope == "organisation"
                else "",
            )
            for a in attrs
        ]
        cases = []
        for c in s.scalars(select(Case).order_by(Case.id)):
            vals = [(org_var.guid, orgs[c.organisation_id])] if c.organisation_id else []
            mine, theirs = own.get(c.id, {}), shared.get(c.organisation_id or -1, {})
            for a in attrs:
                text = mine.get(a.id, theirs.get(a.id, ""))
                if text:
                    vals.append((a.guid, text))
            cases.append(
                RefiCase(
                    c.guid,
                    c.name,
                    c.description or "",
                    tuple(vals),
                    tuple(case_sources.get(c.id, ())),
                )
            )
        codings: dict[int, list[RefiCoding]] = defaultdict(list)
        for row in s.execute(
            select(
                Coding.source_id,
                Coding.guid,
                Code.guid,
                Coding.start,
                Coding.end,
                Coding.coder_id,
                Coding.created_at,
                Coding.memo,
                Coding.exemplar,
            )
            .join(Code, Code.id == Coding.code_id)
            .order_by(Coding.source_id, Coding.start, Coding.id)
        ):
            sid, guid, code, start, end, coder, created, memo, ex = row
            user = coders[coder].guid if coder in coders else None
            codings[sid].append(
                RefiCoding(guid, code, start, end, user, created, memo or "", bool(ex))
            )
        sources = [
            RefiSource(guid, name, text, "", imported, None, tuple(codings.get(sid, ())))
            for sid, guid, name, text, imported in s.execute(
                select(
                    Source.id, Source.guid, Source.name, Source.text, Source.imported_at
                ).order_by(Source.id)
            )
        ]
        notes = []
        for m, code_guid, source_guid in s.execute(
            select(Memo, Code.guid, Source.guid)
            .outerjoin(Code, Code.id == Memo.code_id)
            .outerjoin(Source, Source.id == Memo.source_id)
            .order_by(Memo.id)
        ):
            target = code_guid if m.kind == "code" else None
            target = source_guid if m.kind in ("source", "span") else target
            user = coders[m.coder_id].guid if m.coder_id in coders else None
            notes.append(
                RefiNote(
                    m.guid,
                    m.title or "",
                    m.text or "",
                    m.kind,
                    target,
                    user,
                    m.created_at,
                    m.updated_at,
                    m.start,
                    m.end,
                )
            )
        sets = read_sets(s)
    name = title if title and title != "Codebook" else Path(project.target).stem
    return RefiProject(
        name,
        codes,
        tuple(sources),
        tuple(cases),
        tuple(variables),
        tuple(coders.values()),
        tuple(notes),
        description,
        sets=sets,
    )


def export_qdpx(project: Project, path: str | Path) -> RefiProject:
    """Write the project to a .qdpx file (atomically); returns what was written."""
    proj = gather_project(project)
    atomic_write(path, write_qdpx(proj))
    return proj
