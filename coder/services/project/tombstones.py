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
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from coder.db.models import Code, Coder, Coding, CodingTombstone, Source, utcnow

TOMBSTONES = cast(Table, CodingTombstone.__table__)
# (source text hash, code GUID, start, end, coder name, lower-cased)
TombKey = tuple[str, str, int, int, str]


def bury(s: Session, rows: Iterable[Coding]) -> None:
    """Remember codings about to be deleted (or moved off their code) in this transaction."""
    rows = list(rows)
    if not rows:
        return
    hashes = _lookup(s, Source.id, Source.sha256, {r.source_id for r in rows})
    guids = _lookup(s, Code.id, Code.guid, {r.code_id for r in rows})
    names = _lookup(s, Coder.id, Coder.name, {r.coder_id for r in rows})
    now = utcnow()
    s.connection().execute(
        insert(TOMBSTONES),
        [
            {
                "coding_guid": r.guid,
                "source_sha256": hashes[r.source_id],
                "code_guid": guids[r.code_id],
                "start_pos": r.start,
                "end_pos": r.end,
                "coder": names[r.coder_id],
                "deleted_at": now,
            }
            for r in rows
        ],
    )


def _lookup(s: Session, key: Any, value: Any, ids: set[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    wanted = sorted(ids)
    for k in range(0, len(wanted), 500):
        q = select(key, value).where(key.in_(wanted[k : k + 500]))
        out.update({int(i): str(v) for i, v in s.execute(q)})
    return out


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
