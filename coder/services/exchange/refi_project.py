"""REFI-QDA projects (.qdpx): gathering a project for export, and importing one.

Export gathers everything the standard can carry into a `RefiProject` (coder.export writes it).
Import reads a .qdpx first, entirely, so a hostile or broken file is refused before the project
is touched; then it stores the whole project in one transaction into a new or empty project,
keeping every GUID (codes, sources, codings, participants, attributes, memos, coders), the code
tree, descriptions and colours. Speaker turns are found again in each imported text, as when a
transcript file is imported. What coder cannot hold (pictures, audio, PDF areas) is reported.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from coder.db.bulk import bulk_cache
from coder.db.engine import is_url
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
    utcnow,
)
from coder.errors import UserError
from coder.export.assemble import spec_tree, value_text
from coder.files import atomic_write
from coder.ingest.turns import find_turns
from coder.refi.model import (
    ORG_ATTR_MARK,
    ORG_MARK,
    RefiCase,
    RefiCoding,
    RefiImportSummary,
    RefiNote,
    RefiProject,
    RefiSource,
    RefiUser,
    RefiVariable,
    memos_text,
)
from coder.refi.plan import normalise
from coder.refi.qdpx_read import read_qdpx
from coder.refi.qdpx_write import write_qdpx
from coder.refi.qdpx_zip import QdpxLimits
from coder.refi.xml import coin_guid
from coder.services.codebook.transfer import code_row
from coder.services.exchange.sets import read_sets, store_sets
from coder.services.project.settings import Key, get_setting, write
from coder.services.project.store import Project
from coder.services.reports.tables import bare_tree
from coder.services.sources.cases import set_typed
from coder.services.sources.transcripts import count_words, insert_turns, text_sha256
from coder.vocab.dto import CodeSpec

BATCH = 20_000
CODINGS = cast(Table, Coding.__table__)


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


class ProjectNotEmpty(UserError):
    """Importing a .qdpx into a project that already has data (one line)."""


class _Importer:
    """Stores one normalised RefiProject in one open transaction: plain inserts."""

    def __init__(
        self, s: Session, project: Project, proj: RefiProject, coder: str | None = None
    ) -> None:
        self.s, self.project, self.proj, self.coder = s, project, proj, coder
        self.code_ids: dict[str, int] = {}
        self.users: dict[str, int] = {}

    def coders(self) -> None:
        existing = list(self.s.scalars(select(Coder)))
        by_guid = {c.guid: c.id for c in existing}
        by_name = {c.name.lower(): c.id for c in existing}
        for u in self.proj.users:
            cid = by_guid.get(u.guid) or by_name.get(u.name.lower())
            if cid is None:
                row = Coder(guid=u.guid, name=u.name[:200])
                self.s.add(row)
                self.s.flush()
                cid = by_name[u.name.lower()] = row.id
            self.users[u.guid] = cid

    def code(self, spec: CodeSpec, parent: int | None, position: int) -> None:
        row = code_row(spec, spec.guid, parent, position, len(self.code_ids))
        self.s.add(row)
        self.s.flush()
        self.code_ids[spec.guid or ""] = row.id
        for i, child in enumerate(spec.children):
            self.code(child, row.id, i)

    def cases(self) -> dict[str, int]:
        """Attributes, organisations, cases and values; returns source GUID -> case id."""
        s, proj = self.s, self.proj
        org_spec = next((v for v in proj.variables if v.role == "organisation"), None)
        org_var = org_spec.guid if org_spec is not None else None
        if org_spec is not None and org_spec.name.strip():
            # The organisation variable's name is the researcher's column label ("Label").
            write(s, Key.ORG_LABEL, org_spec.name.strip()[:200])
        attrs = {}
        for i, v in enumerate(x for x in proj.variables if x.role != "organisation"):
            attrs[v.guid] = Attribute(
                guid=v.guid, name=v.name[:200], type=v.type, scope=v.scope, position=i
            )
            s.add(attrs[v.guid])
        orgs: dict[str, Organisation] = {}
        org_values: dict[tuple[int, str], str] = {}
        case_of: dict[str, int] = {}
        s.flush()
        for case in proj.cases:
            vals = dict(case.values)
            oname = vals.get(org_var, "").strip()[:200] if org_var else ""
            org = orgs.get(oname) if oname else None
            if oname and org is None:
                org = orgs[oname] = Organisation(name=oname)
                s.add(org)
            row = Case(
                guid=case.guid, name=case.name[:200], description=case.description, organisation=org
            )
            s.add(row)
            s.flush()
            for vg, text in case.values:
                a = attrs.get(vg)
                if a is None:
                    continue
                if a.scope == "organisation" and org is not None:
                    key = (a.id, oname)
                    if key not in org_values:  # the first member's value is the organisation's
                        org_values[key] = text.strip()
                        s.add(_value(a, text, None, org.id))
                        continue
                    if org_values[key] == text.strip():
                        continue
                s.add(_value(a, text, row.id, None))  # own value, or one differing from the org
            for sg in case.source_guids:
                case_of.setdefault(sg, row.id)
        return case_of

    def sources(self, case_of: dict[str, int]) -> int:
        s, n = self.s, 0
        default_coder = self.project.coder_id(s, self.coder)
        batch: list[dict[str, object]] = []
        # Two REFI users may be one coder here (the same name): keep one coding per coder.
        stored: set[tuple[int, int, int, int, int]] = set()
        for src in self.proj.sources:
            row = Source(
                guid=src.guid,
                name=src.name[:400],
                filename=src.name[:400],
                format="txt",
                encoding="utf-8",
                text=src.text,
                sha256=text_sha256(src.text),
                words=count_words(src.text),
                case_id=case_of.get(src.guid),
                imported_at=src.created or utcnow(),
            )
            s.add(row)
            s.flush()
            insert_turns(s, row.id, find_turns(src.text))
            for c in src.codings:
                coder_id = self.users.get(c.user_guid or "", default_coder)
                key = (row.id, self.code_ids[c.code_guid], c.start, c.end, coder_id)
                if key in stored:
                    continue
                stored.add(key)
                batch.append(
                    dict(
                        guid=c.guid,
                        source_id=row.id,
                        code_id=self.code_ids[c.code_guid],
                        start_pos=c.start,
                        end_pos=c.end,
                        snippet=src.text[c.start : c.end],
                        coder_id=coder_id,
                        created_at=c.created or utcnow(),
                        memo=c.memo,
                        exemplar=c.exemplar,
                    )
                )
                n += 1
            if len(batch) >= BATCH:
                s.connection().execute(insert(CODINGS), batch)
                batch = []
        if batch:
            s.connection().execute(insert(CODINGS), batch)
        return n

    def memos(self) -> None:
        sources = {g: i for g, i in self.s.execute(select(Source.guid, Source.id))}
        for n in self.proj.notes:
            code_id = self.code_ids.get(n.target_guid or "") if n.kind == "code" else None
            source_id = sources.get(n.target_guid or "") if n.kind in ("source", "span") else None
            self.s.add(
                Memo(
                    guid=n.guid,
                    kind=n.kind,
                    title=n.title[:400],
                    text=n.text,
                    code_id=code_id,
                    source_id=source_id,
                    coder_id=self.users.get(n.user_guid or ""),
                    created_at=n.created or utcnow(),
                    updated_at=n.modified or n.created or utcnow(),
                    start=n.start,
                    end=n.end,
                )
            )


def _value(a: Attribute, text: str, case_id: int | None, org_id: int | None) -> AttributeValue:
    row = AttributeValue(attribute_id=a.id, case_id=case_id, organisation_id=org_id)
    set_typed(row, text, a.type)
    row.value_text = text.strip()
    return row


def import_project(
    project: Project, proj: RefiProject, coder: str | None = None
) -> RefiImportSummary:
    """Store `proj` into an empty project, in one transaction (nothing is kept on failure).

    Codings the file attributes to nobody are `coder`'s (default: the current coder)."""
    counts = project.counts()
    if any(counts[k] for k in ("sources", "codes", "cases", "codings")):
        raise ProjectNotEmpty(
            f"{project.target}: already has sources, codes or participants; "
            "import a .qdpx into a new or empty project"
        )
    proj = normalise(proj)
    with project.transaction() as s, bulk_cache(s):
        imp = _Importer(s, project, proj, coder)
        imp.coders()
        for i, spec in enumerate(proj.codes):
            imp.code(spec, None, i)
        n_codings = imp.sources(imp.cases())
        imp.memos()
        n_sets = store_sets(s, proj.sets)
        memos = memos_text([n for n in proj.notes if n.kind == "project"])
        description = "" if proj.description == memos else proj.description
        named = ((Key.CODEBOOK_TITLE, proj.name), (Key.CODEBOOK_DESCRIPTION, description))
        for key, value in named:
            if value:
                write(s, key, value)
    return RefiImportSummary(
        len(proj.sources),
        len(imp.code_ids),
        n_codings,
        len(proj.cases),
        len(proj.notes),
        proj.warnings,
        n_sets,
    )


def import_qdpx(
    target: str, path: str | Path, limits: QdpxLimits | None = None, coder: str | None = None
) -> RefiImportSummary:
    """Read a .qdpx and import it into `target` (created when it does not exist yet).

    The file is read and checked completely before the project is opened; if the import
    then fails, a project file this call created is removed again.
    """
    proj = read_qdpx(path, limits)
    created = not is_url(target) and not Path(target).exists()
    project = Project.open(target, create=True)  # a new file, or an empty database
    try:
        with project:
            return import_project(project, proj, coder)
    except BaseException:
        if created:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise
