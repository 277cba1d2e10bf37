"""Deleted codings, remembered so that a merge does not bring them back.

`coder merge` adds what this project lacks. A coding deleted here but still present in a
colleague's older copy would look like something lacking, so every service that deletes a
coding (or moves it to another code) buries it here first: the source's text hash, the code's
GUID, the span and the coder's name, which is how a merge matches codings across copies whose
ids differ. Undo does not dig a tombstone up: a coding that is back is present, and present
codings are never added twice anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import DateTime, Table, insert, literal, select
from sqlalchemy.orm import Session

from coder.db.models import Code, Coder, Coding, CodingTombstone, Source, utcnow

TOMBSTONES = cast(Table, CodingTombstone.__table__)
# (source text hash, code GUID, start, end, coder name, lower-cased)
TombKey = tuple[str, str, int, int, str]


def bury(s: Session, rows: Iterable[Coding]) -> None:
    """Remember codings about to be deleted in this transaction (copied in the database, a
    chunk of ids at a time: a big code merge can fold away thousands)."""
    ids = sorted({r.id for r in rows})
    if not ids:
        return
    s.flush()  # the rows as the caller sees them
    now = utcnow()
    for k in range(0, len(ids), 500):
        picked = (
            select(
                Coding.guid,
                Source.sha256,
                Code.guid,
                Coding.start,
                Coding.end,
                Coder.name,
                literal(now, DateTime(timezone=True)),
            )
            .join(Source, Source.id == Coding.source_id)
            .join(Code, Code.id == Coding.code_id)
            .join(Coder, Coder.id == Coding.coder_id)
            .where(Coding.id.in_(ids[k : k + 500]))
        )
        s.execute(insert(TOMBSTONES).from_select(_COLUMNS, picked))


_COLUMNS = [
    "coding_guid", "source_sha256", "code_guid", "start_pos", "end_pos", "coder", "deleted_at"
]  # fmt: skip


def buried(s: Session, hashes: Sequence[str]) -> tuple[set[TombKey], set[str]]:
    """The tombstones of codings in sources with these text hashes: their keys (see TombKey)
    and their coding GUIDs."""
    keys: set[TombKey] = set()
    guids: set[str] = set()
    wanted = sorted(set(hashes))
    for k in range(0, len(wanted), 500):
        q = select(
            CodingTombstone.source_sha256,
            CodingTombstone.code_guid,
            CodingTombstone.start,
            CodingTombstone.end,
            CodingTombstone.coder,
            CodingTombstone.coding_guid,
        ).where(CodingTombstone.source_sha256.in_(wanted[k : k + 500]))
        for digest, code, start, end, coder, guid in s.execute(q):
            keys.add((digest, code, start, end, coder.lower()))
            guids.add(guid)
    return keys, guids
