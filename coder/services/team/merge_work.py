"""`coder merge`, the work side: OTHER's sources matched by the hash of their text, then its
codings and memos onto the matched sources and codes.

Codings already here (by GUID, or the same coder's same span and code) are not added again,
so merging the same file twice adds nothing; their memo and exemplar mark are filled in.
Codings deleted here (coder.services.project.tombstones) are not brought back: they are
counted as skipped.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from coder.db.models import Coding, Memo, Source, new_guid, utcnow
from coder.ingest.turns import find_turns
from coder.refi.model import RefiProject
from coder.refi.plan import unique
from coder.services.project.tombstones import buried
from coder.services.sources.transcripts import add_source, count_words, text_sha256
from coder.services.team.merge_codebook import CodeMerger, CoderMatcher
from coder.services.team.merge_report import MergeLog

CODINGS = cast(Table, Coding.__table__)
BATCH = 20_000
Key = tuple[int, int, int, int, int]  # source, code, start, end, coder (ids here)


class WorkMerger:
    """Sources, codings and memos of OTHER, once coders and codes are matched."""

    def __init__(
        self,
        s: Session,
        proj: RefiProject,
        log: MergeLog,
        coders: CoderMatcher,
        codes: CodeMerger,
    ) -> None:
        self.s, self.proj, self.log, self.coders, self.codes = s, proj, log, coders, codes
        self.source_ids: dict[str, int] = {}
        self.hashes: dict[str, str] = {}  # OTHER's source GUID -> text hash

    def sources(self, case_ids: dict[str, int]) -> None:
        s, note = self.s, self.log.note
        by_hash = {h: (sid, cid) for sid, h, cid in s.execute(
            select(Source.id, Source.sha256, Source.case_id))}  # fmt: skip
        names = {n.lower() for n in s.scalars(select(Source.name))}
        guids = set(s.scalars(select(Source.guid)))
        case_of = {g: case_ids[c.guid] for c in self.proj.cases for g in c.source_guids}
        for src in self.proj.sources:
            digest = text_sha256(src.text)
            self.hashes[src.guid] = digest
            case_id = case_of.get(src.guid)
            if digest in by_hash:
                sid, here = by_hash[digest]
                if case_id is not None and here is None:
                    s.get_one(Source, sid).case_id = case_id
                    note("source", "change", src.name, "participant set")
                elif case_id is not None and here != case_id:
                    note("source", "conflict", src.name, "another participant's here; kept")
                self.source_ids[src.guid] = sid
                continue
            name = unique(src.name[:400], names)
            row = add_source(
                s,
                src.text,
                find_turns(src.text),
                guid=src.guid if src.guid not in guids else new_guid(),
                name=name,
                filename=name,
                format="txt",
                encoding="utf-8",
                sha256=digest,
                words=count_words(src.text),
                case_id=case_id,
                imported_at=src.created or utcnow(),
            )
            by_hash[digest] = (row.id, case_id)
            self.source_ids[src.guid] = row.id
            note("source", "add", name, "" if name == src.name else f"was {src.name!r}")

    def _here(self) -> tuple[dict[Key, list[Any] | None], dict[str, Key]]:
        """Codings of the matched sources: key -> [id, memo, exemplar], and GUID -> key."""
        ids = list(self.source_ids.values())
        here: dict[Key, list[Any] | None] = {}
        by_guid: dict[str, Key] = {}
        for chunk in range(0, len(ids), 500):
            for cid, guid, *span, memo, ex in self.s.execute(
                select(Coding.id, Coding.guid, Coding.source_id, Coding.code_id, Coding.start,
                       Coding.end, Coding.coder_id, Coding.memo, Coding.exemplar)
                .where(Coding.source_id.in_(ids[chunk : chunk + 500]))
            ):  # fmt: skip
                k = cast(Key, tuple(span))
                here[k] = [cid, memo or "", bool(ex)]
                by_guid[guid] = k
        return here, by_guid

    def codings(self) -> None:
        s, log = self.s, self.log
        # key -> [id, memo, exemplar] of a coding here; None for one this merge adds
        here, by_guid = self._here()
        all_guids = set(s.scalars(select(Coding.guid)))
        graves, grave_guids = buried(s, list(self.hashes.values()))
        code_guid = self.codes.guid_of
        batch: list[dict[str, object]] = []
        for src in self.proj.sources:
            sid, digest = self.source_ids[src.guid], self.hashes[src.guid]
            for c in src.codings:
                coder_id = self.coders.user(c.user_guid)
                code_id = self.codes.ids[c.code_guid]
                key = (sid, code_id, c.start, c.end, coder_id)
                coder = self.coders.names.get(coder_id, "")
                if key in here and here[key] is None:  # added just now (two users, one coder)
                    continue
                row = here.get(key)
                if row is None and c.guid in all_guids:
                    if by_guid.get(c.guid) != key:
                        log.coding("conflict", src.name, coder)
                    continue
                if row is not None:
                    self.fill_coding(row, c.memo, c.exemplar, (src.name, coder))
                    continue
                grave = (digest, code_guid.get(code_id, ""), c.start, c.end, coder.lower())
                if c.guid in grave_guids or grave in graves:
                    log.skipped_deleted += 1  # deleted here since: stays deleted
                    continue
                batch.append(dict(
                    guid=c.guid, source_id=sid, code_id=code_id, start_pos=c.start,
                    end_pos=c.end, snippet=src.text[c.start : c.end], coder_id=coder_id,
                    created_at=c.created or utcnow(), memo=c.memo, exemplar=c.exemplar,
                ))  # fmt: skip
                here[key] = None
                all_guids.add(c.guid)
                log.coding("add", src.name, coder)
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
            self.log.coding("change", *who)

    def memos(self) -> None:
        s, note = self.s, self.log.note
        existing = {m.guid: m for m in s.scalars(select(Memo))}
        same = {(m.kind, m.code_id, m.source_id, m.title, m.text) for m in existing.values()}
        for n in self.proj.notes:
            code_id = self.codes.ids.get(n.target_guid or "") if n.kind == "code" else None
            on_source = n.kind in ("source", "span")  # a note on uncoded text keeps its span
            source_id = self.source_ids.get(n.target_guid or "") if on_source else None
            kind = n.kind if (code_id or source_id or n.kind == "project") else "project"
            label = n.title or "(untitled)"
            m = existing.get(n.guid)
            if m is not None:
                if n.text.strip() and not (m.text or "").strip():
                    m.text = n.text
                    note("memo", "change", label, "text filled in")
                elif n.text.strip() and n.text.strip() not in (m.text or ""):
                    note("memo", "conflict", label, "text differs; kept as here")
                continue
            if (kind, code_id, source_id, n.title, n.text) in same:
                continue
            coder_id = self.coders.user(n.user_guid)
            s.add(Memo(
                guid=n.guid, kind=kind, title=n.title[:400], text=n.text, code_id=code_id,
                source_id=source_id, coder_id=coder_id, created_at=n.created or utcnow(),
                start=n.start if kind == "span" else None, end=n.end if kind == "span" else None,
                updated_at=n.modified or n.created or utcnow(),
            ))  # fmt: skip
            note("memo", "add", label, kind)
