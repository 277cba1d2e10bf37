"""`coder merge`: bring a colleague's work into this project without losing anything.

OTHER may be another coder project (a `.coder` file or a database URL) or a REFI-QDA `.qdpx`
from any tool. Either is first read into the same plain records a .qdpx import uses
(`RefiProject`, via `gather_project` or `read_qdpx`), so there is one merger for all of them.
Sources are matched by the hash of their text, codes by GUID and then by name under their
(matched) parent, participants by name, coders by name. Who coded is kept. What this project
lacks is added or filled in; where both differ, this project's version stays and the
difference is reported as a conflict. Codings already here (by GUID, or the same coder's same
span and code) are not added again, so merging the same file twice adds nothing.

The whole merge is one transaction. A dry run performs exactly the same steps and rolls them
back, so what it reports is what the merge would do, and it writes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from coder.db.engine import is_url
from coder.db.models import Code, Coder, Coding, Memo, Source, new_guid, utcnow
from coder.db.retry import retry_writes
from coder.db.upsert import insert_ignore
from coder.errors import UserError
from coder.ingest.turns import find_turns
from coder.refi.model import RefiProject
from coder.refi.plan import normalise, unique
from coder.refi.qdpx_read import read_qdpx
from coder.services.codebook.codes import PALETTE
from coder.services.exchange.refi_project import gather_project
from coder.services.project.store import Project
from coder.services.sources.transcripts import count_words, insert_turns, text_sha256
from coder.services.team.merge_cases import CaseMerger
from coder.vocab.dto import CodeSpec

CODINGS = cast(Table, Coding.__table__)
BATCH = 20_000
KINDS = ("coder", "code", "attribute", "organisation", "participant", "source", "coding", "memo")


_CODING_DETAIL = {
    "add": "",
    "change": "memo or exemplar filled in",
    "conflict": "changed here since (recoded, moved or re-spanned); kept as here",
}


class MergeError(UserError):
    """OTHER cannot be merged (one line naming it)."""


@dataclass(frozen=True, slots=True)
class MergeItem:
    """One line of the plan: `count` things of `kind` added, changed or in conflict."""

    kind: str
    action: str
    name: str
    detail: str = ""
    count: int = 1


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What a merge did (or, with `dry_run`, would do). Counts are per kind."""

    other: str
    dry_run: bool
    added: dict[str, int]
    changed: dict[str, int]
    conflicts: dict[str, int]
    items: tuple[MergeItem, ...]
    warnings: tuple[str, ...] = field(default=())


class _DryRun(Exception):  # noqa: N818 - control flow, never seen by the user
    def __init__(self, report: MergeReport) -> None:
        self.report = report


def read_other(other: str) -> RefiProject:
    """OTHER as plain records: a .qdpx read in full, or another project gathered."""
    if is_url(other):
        with Project.open(other) as p:
            return gather_project(p)
    path = Path(other)
    if not path.is_file():
        raise MergeError(f"{other}: no such file")
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"PK"):
        return read_qdpx(path)
    if head.startswith(b"SQLite format 3"):
        with Project.open(path) as p:
            return gather_project(p)
    raise MergeError(f"{other}: not a coder project (.coder), a database URL or a .qdpx")


class _Merger:
    """The merge's steps, in one session (see the module docstring for the rules)."""

    def __init__(self, s: Session, project: Project, proj: RefiProject, coder: str | None):
        self.s, self.project, self.proj, self.coder = s, project, proj, coder
        self.items: list[MergeItem] = []
        self.grouped: Counter[tuple[str, str, str, str]] = Counter()
        self.users: dict[str, int] = {}
        self.coder_names: dict[int, str] = {}
        self.code_ids: dict[str, int] = {}
        self.source_ids: dict[str, int] = {}
        self._default: int | None = None
        self.coded = {c.code_guid for src in proj.sources for c in src.codings}

    def note(self, kind: str, action: str, name: str, detail: str = "") -> None:
        self.items.append(MergeItem(kind, action, name, detail))

    def default_coder(self) -> int:
        """Who coded what OTHER does not attribute: --coder, else the current coder."""
        if self._default is None:
            before = set(self.s.scalars(select(Coder.id)))
            self._default = self.project.coder_id(self.s, self.coder)
            name = self.s.scalar(select(Coder.name).where(Coder.id == self._default)) or ""
            self.coder_names[self._default] = name
            if self._default not in before:
                self.note("coder", "add", name, "for what OTHER does not attribute")
        return self._default

    def coders(self) -> None:
        """Read this project's coders; OTHER's are matched by name when first used."""
        rows = list(self.s.execute(select(Coder.id, Coder.name, Coder.guid)))
        self.by_name = {name.lower(): cid for cid, name, _g in rows}
        self.coder_guids = {g for _i, _n, g in rows}
        self.coder_names.update({cid: name for cid, name, _g in rows})
        self.refi_users = {u.guid: u for u in self.proj.users}

    def user(self, guid: str | None) -> int:
        """The coder id for OTHER's user `guid` (added on first use), else the default coder."""
        u = self.refi_users.get(guid or "")
        if u is None:
            return self.default_coder()
        cid = self.users.get(u.guid)
        if cid is not None:
            return cid
        name = " ".join(u.name.split())[:200] or "unnamed"
        cid = self.by_name.get(name.lower())
        if cid is None:
            guid_ = u.guid if u.guid not in self.coder_guids else new_guid()
            values = {"name": name, "guid": guid_, "created_at": utcnow()}
            cid = insert_ignore(self.s, Coder, values) or self.s.scalar(
                select(Coder.id).where(Coder.name == name)
            )
            assert cid is not None
            self.by_name[name.lower()] = cid
            self.coder_names[cid] = name
            self.note("coder", "add", name)
        self.users[u.guid] = cid
        return cid

    def codes(self) -> None:
        rows = list(self.s.scalars(select(Code)))
        self.by_guid = {c.guid: c for c in rows}
        self.by_place = {(c.parent_id, c.name.lower()): c for c in rows}
        for spec in self.proj.codes:
            self.code(spec, None, spec.name)
        self.s.flush()

    def code(self, spec: CodeSpec, parent_id: int | None, path: str) -> None:
        row = self.by_guid.get(spec.guid or "")
        if row is not None:
            if row.parent_id != parent_id:
                self.note("code", "conflict", path, "placed elsewhere here; kept where it is")
            elif row.name != spec.name:
                self.note("code", "conflict", path, f"called {row.name!r} here; name kept")
        else:
            row = self.by_place.get((parent_id, spec.name.lower()))
        if row is None:
            siblings = [c for (p, _n), c in self.by_place.items() if p == parent_id]
            row = Code(
                guid=spec.guid or new_guid(),
                parent_id=parent_id,
                name=spec.name[:400],
                description=spec.description,
                inclusion=spec.inclusion,
                exclusion=spec.exclusion,
                keywords=list(spec.keywords),
                examples=list(spec.examples),
                position=len(siblings),
                codable=spec.codable,
                color=spec.color or PALETTE[len(self.by_guid) % len(PALETTE)],
            )
            self.s.add(row)
            self.s.flush()
            self.by_guid[row.guid] = row
            self.by_place[(parent_id, row.name.lower())] = row
            self.note("code", "add", path)
        else:
            self.fill_code(row, spec, path)
        self.code_ids[spec.guid or ""] = row.id
        for child in spec.children:
            self.code(child, row.id, f"{path}/{child.name}")

    def fill_code(self, row: Code, spec: CodeSpec, path: str) -> None:
        for name in ("description", "inclusion", "exclusion"):
            mine, theirs = (getattr(row, name) or "").strip(), getattr(spec, name).strip()
            if theirs and not mine:
                setattr(row, name, theirs)
                self.note("code", "change", path, f"{name} filled in")
            elif theirs and theirs != mine:
                self.note("code", "conflict", path, f"{name} differs; kept as here")
        for name in ("keywords", "examples"):
            mine_list = list(getattr(row, name) or [])
            extra = [k for k in getattr(spec, name) if k not in mine_list]
            if extra:
                setattr(row, name, mine_list + extra)
                self.note("code", "change", path, f"{len(extra)} {name} added")
        if not row.codable and spec.guid in self.coded:
            row.codable = True
            self.note("code", "change", path, "made codable (OTHER has codings of it)")

    def sources(self, case_ids: dict[str, int]) -> None:
        s = self.s
        by_hash = {h: (sid, cid) for sid, h, cid in s.execute(
            select(Source.id, Source.sha256, Source.case_id))}  # fmt: skip
        names = {n.lower() for n in s.scalars(select(Source.name))}
        guids = set(s.scalars(select(Source.guid)))
        case_of = {g: case_ids[c.guid] for c in self.proj.cases for g in c.source_guids}
        for src in self.proj.sources:
            digest = text_sha256(src.text)
            case_id = case_of.get(src.guid)
            if digest in by_hash:
                sid, here = by_hash[digest]
                if case_id is not None and here is None:
                    s.get_one(Source, sid).case_id = case_id
                    self.note("source", "change", src.name, "participant set")
                elif case_id is not None and here != case_id:
                    self.note("source", "conflict", src.name, "another participant's here; kept")
                self.source_ids[src.guid] = sid
                continue
            name = unique(src.name[:400], names)
            row = Source(
                guid=src.guid if src.guid not in guids else new_guid(),
                name=name,
                filename=name,
                format="txt",
                encoding="utf-8",
                text=src.text,
                sha256=digest,
                words=count_words(src.text),
                case_id=case_id,
                imported_at=src.created or utcnow(),
            )
            s.add(row)
            s.flush()
            insert_turns(s, row.id, find_turns(src.text))
            by_hash[digest] = (row.id, case_id)
            self.source_ids[src.guid] = row.id
            self.note("source", "add", name, "" if name == src.name else f"was {src.name!r}")

    def codings(self) -> None:
        s = self.s
        ids = list(self.source_ids.values())
        # key -> [id, memo, exemplar] of a coding here; None for one this merge adds
        here: dict[tuple[int, int, int, int, int], list[Any] | None] = {}
        by_guid: dict[str, tuple[int, int, int, int, int]] = {}
        for chunk in range(0, len(ids), 500):
            for cid, guid, *span, memo, ex in s.execute(
                select(Coding.id, Coding.guid, Coding.source_id, Coding.code_id, Coding.start,
                       Coding.end, Coding.coder_id, Coding.memo, Coding.exemplar)
                .where(Coding.source_id.in_(ids[chunk : chunk + 500]))
            ):  # fmt: skip
                k = cast(tuple[int, int, int, int, int], tuple(span))
                here[k] = [cid, memo or "", bool(ex)]
                by_guid[guid] = k
        all_guids = set(s.scalars(select(Coding.guid)))
        batch: list[dict[str, object]] = []
        for src in self.proj.sources:
            sid = self.source_ids[src.guid]
            for c in src.codings:
                coder_id = self.user(c.user_guid)
                key = (sid, self.code_ids[c.code_guid], c.start, c.end, coder_id)
                who = (src.name, self.coder_names.get(coder_id, ""))
                if key in here and here[key] is None:  # added just now (two users, one coder)
                    continue
                row = here.get(key)
                if row is None and c.guid in all_guids:
                    if by_guid.get(c.guid) != key:
                        self.grouped[("coding", "conflict", *who)] += 1
                    continue
                if row is not None:
                    self.fill_coding(row, c.memo, c.exemplar, who)
                    continue
                batch.append(dict(
                    guid=c.guid, source_id=sid, code_id=key[1], start_pos=c.start,
                    end_pos=c.end, snippet=src.text[c.start : c.end], coder_id=coder_id,
                    created_at=c.created or utcnow(), memo=c.memo, exemplar=c.exemplar,
                ))  # fmt: skip
                here[key] = None
                all_guids.add(c.guid)
                self.grouped[("coding", "add", *who)] += 1
                if len(batch) >= BATCH:
                    s.connection().execute(insert(CODINGS), batch)
                    batch = []
        if batch:
            s.connection().execute(insert(CODINGS), batch)

    def fill_coding(self, row: list[Any], memo: str, exemplar: bool, who: tuple[str, str]) -> None:
        """Add OTHER's memo (unless this one holds it) and exemplar mark to coding `row`."""
        cid, mine, marked = row
        values: dict[str, object] = {}
        if memo.strip() and memo.strip() not in mine:
            row[1] = values["memo"] = f"{mine}\n{memo.strip()}" if mine else memo.strip()
        if exemplar and not marked:
            row[2] = values["exemplar"] = True
        if values:
            self.s.execute(update(Coding).where(Coding.id == cid).values(**values))
            self.grouped[("coding", "change", *who)] += 1

    def memos(self) -> None:
        s = self.s
        existing = {m.guid: m for m in s.scalars(select(Memo))}
        same = {(m.kind, m.code_id, m.source_id, m.title, m.text) for m in existing.values()}
        for n in self.proj.notes:
            code_id = self.code_ids.get(n.target_guid or "") if n.kind == "code" else None
            on_source = n.kind in ("source", "span")  # a note on uncoded text keeps its span
            source_id = self.source_ids.get(n.target_guid or "") if on_source else None
            kind = n.kind if (code_id or source_id or n.kind == "project") else "project"
            label = n.title or "(untitled)"
            m = existing.get(n.guid)
            if m is not None:
                if n.text.strip() and not (m.text or "").strip():
                    m.text = n.text
                    self.note("memo", "change", label, "text filled in")
                elif n.text.strip() and n.text.strip() not in (m.text or ""):
                    self.note("memo", "conflict", label, "text differs; kept as here")
                continue
            if (kind, code_id, source_id, n.title, n.text) in same:
                continue
            coder_id = self.user(n.user_guid)
            s.add(Memo(
                guid=n.guid, kind=kind, title=n.title[:400], text=n.text, code_id=code_id,
                source_id=source_id, coder_id=coder_id, created_at=n.created or utcnow(),
                start=n.start if kind == "span" else None, end=n.end if kind == "span" else None,
                updated_at=n.modified or n.created or utcnow(),
            ))  # fmt: skip
            self.note("memo", "add", label, kind)

    def report(self, other: str, dry_run: bool) -> MergeReport:
        items = self.items + [
            MergeItem(kind, action, f"{source} by {coder}", _CODING_DETAIL[action], n)
            for (kind, action, source, coder), n in sorted(self.grouped.items())
        ]
        totals: dict[str, Counter[str]] = {a: Counter() for a in ("add", "change", "conflict")}
        for item in items:
            totals[item.action][item.kind] += item.count
        order = {k: i for i, k in enumerate(KINDS)}
        items.sort(key=lambda i: (order.get(i.kind, 99), i.action != "add", i.name))

        def counts(action: str) -> dict[str, int]:
            return {k: totals[action][k] for k in KINDS if totals[action][k]}

        return MergeReport(other, dry_run, counts("add"), counts("change"),
                           counts("conflict"), tuple(items), self.proj.warnings)  # fmt: skip


@retry_writes
def _merge_records(
    project: Project, proj: RefiProject, other: str, *, dry_run: bool, coder: str | None
) -> MergeReport:
    try:
        with project.transaction() as s:
            m = _Merger(s, project, proj, coder)
            m.coders()
            m.codes()
            cases = CaseMerger(s, proj, m.note)
            cases.attributes()
            cases.cases()
            m.sources(cases.case_ids)
            m.codings()
            m.memos()
            s.flush()
            report = m.report(other, dry_run)
            if dry_run:
                raise _DryRun(report)  # rolls the transaction back: nothing is written
    except _DryRun as done:
        return done.report
    return report


def merge_project(
    project: Project, other: str, *, dry_run: bool = False, coder: str | None = None
) -> MergeReport:
    """Merge OTHER (a .coder file, a database URL or a .qdpx) into `project`, in one
    transaction; with `dry_run`, report what would change and write nothing.

    Args:
        project: The open project that receives the work.
        other: Where the colleague's work is.
        dry_run: Report only.
        coder: Who coded what OTHER does not attribute to anyone (default: the current coder).
    """
    proj = normalise(read_other(other))
    return _merge_records(project, proj, other, dry_run=dry_run, coder=coder)
