"""Storing a REFI-QDA project that was read from a .qdpx into a new or empty project.

`Importer` does plain inserts inside the caller's one transaction: coders, the code tree,
attributes, organisations and participants, sources with their speaker turns, codings (in
batches through coder.db.bulk.insert_rows, as many as 200,000 of them), and memos; every GUID
is kept. Each part is one method, so a new kind of element gets a method of its own, called
from coder.services.exchange.refi_project.import_project.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Table, insert, select
from sqlalchemy.orm import Session

from coder.db.bulk import BATCH_ROWS, deferred_indexes, insert_rows, large_text
from coder.db.models import (
    Attribute,
    AttributeValue,
    Case,
    Coder,
    Coding,
    Memo,
    Organisation,
    Source,
    utcnow,
)
from coder.ingest.turn_worker import TurnWorker
from coder.refi.model import RefiProject, RefiSource
from coder.services.codebook.transfer import code_row
from coder.services.project.settings import Key, write
from coder.services.project.store import Project
from coder.services.sources.cases import set_typed
from coder.services.sources.transcripts import (
    TURN_COLUMNS,
    TURNS,
    count_words,
    text_sha256,
)
from coder.vocab.dto import CodeSpec

CODINGS = cast(Table, Coding.__table__)
SOURCES = cast(Table, Source.__table__)
TURNS_PER_STATEMENT = 50  # narrow rows: SQLite's work per statement shared (coder.db.bulk)
CODING_COLUMNS = ("guid", "source_id", "code_id", "start_pos", "end_pos", "snippet", "coder_id",
                  "created_at", "memo", "exemplar")  # fmt: skip


class Importer:
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
        """Sources with their turns, then their codings in batches; returns codings stored.
        The codings' plain indexes are built once at the end (coder.db.bulk.deferred_indexes)."""
        with deferred_indexes(self.s.connection(), CODINGS):
            return self._sources(case_of)

    def _sources(self, case_of: dict[str, int]) -> int:
        s, n = self.s, 0
        default_coder = self.project.coder_id(s, self.coder)
        now = utcnow()
        rows: list[tuple[object, ...]] = []
        # Two REFI users may be one coder here (the same name): keep one coding per coder.
        stored: set[tuple[int, int, int, int, int]] = set()
        conn = s.connection()
        # The turns are found in a second process meanwhile (coder.ingest.turn_worker) and
        # stored after the codings, in the order of the sources: the same rows and ids.
        with TurnWorker([src.text for src in self.proj.sources]) as worker:
            ids = [self._source(conn, src, case_of, now) for src in self.proj.sources]
            for src, source_id in zip(self.proj.sources, ids, strict=True):
                for c in src.codings:
                    coder_id = self.users.get(c.user_guid or "", default_coder)
                    code_id = self.code_ids[c.code_guid]
                    key = (source_id, code_id, c.start, c.end, coder_id)
                    if key in stored:
                        continue
                    stored.add(key)
                    rows.append((c.guid, source_id, code_id, c.start, c.end,
                                 src.text[c.start : c.end], coder_id, c.created or now, c.memo,
                                 c.exemplar))  # fmt: skip
                if len(rows) >= BATCH_ROWS:
                    n += insert_rows(conn, CODINGS, CODING_COLUMNS, rows)
                    rows = []
            n += insert_rows(conn, CODINGS, CODING_COLUMNS, rows)
            # As insert_turns(lemmas=False) stores them: the lemma cache is left to the first
            # word count (lemma_cache.fresh_blobs), where it would be most of the import's time.
            turns = (
                (source_id, i, *turn)
                for source_id, found in zip(ids, worker.results(), strict=True)
                for i, turn in enumerate(found)
            )
            insert_rows(conn, TURNS, TURN_COLUMNS, turns, per_statement=TURNS_PER_STATEMENT)
        return n

    def _source(
        self, conn: Connection, src: RefiSource, case_of: dict[str, int], now: datetime
    ) -> int:
        """Store one source's row; returns its id."""
        # A Core insert per source (its id is needed for its turns and codings): the ORM's
        # unit of work would cost more than the row, a thousand times over.
        with large_text(self.s, src.text) as text:  # SQLite keeps no copy of a large text
            key = conn.execute(
                insert(SOURCES).values(text=text),
                {
                    "guid": src.guid,
                    "name": src.name[:400],
                    "filename": src.name[:400],
                    "format": "txt",
                    "encoding": "utf-8",
                    "sha256": src.sha256 or text_sha256(src.text),  # normalise hashed it
                    "words": count_words(src.text),
                    "case_id": case_of.get(src.guid),
                    "imported_at": src.created or now,
                },
            ).inserted_primary_key
        assert key is not None  # a single-row INSERT
        return int(key[0])

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
