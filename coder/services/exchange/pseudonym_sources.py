"""Pseudonymising the sources: names, file names, texts, turns, codings and decisions.

The review and the copy walk the sources the same way (`rewrite_source`), so the review lists
exactly what the copy will change. The copy rewrites the working file a batch of sources at a
time (see `coder.services.exchange.pseudonymise`): each source's turns and suggestion
decisions are moved with one executemany, its codings deleted and re-inserted with their ids
and GUIDs, and nothing of a batch stays in the session once it is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from coder.db.models import Coding, Memo, Source, SuggestionDecision, Turn
from coder.services.sources.transcripts import count_words, text_sha256
from coder.vocab.names import free_name
from coder.vocab.pseudonym import Hit

__all__ = ["Replacer", "rewrite_source", "source_names"]

Span = Callable[[int, int], tuple[int, int]]


class Replacer(Protocol):
    """What finds and records the replacements (`pseudonymise._Run`)."""

    def text(
        self, where: str, text: str, *, file: bool = False, apply: bool = True
    ) -> tuple[str, list[Hit]]: ...

    def rewrite(self, where: str, text: str) -> tuple[str, Span]: ...

    def whole(self, where: str, value: str) -> str: ...


def source_names(s: Session, run: Replacer) -> dict[int, tuple[str, str]]:
    """Each source's id -> (its name as the review labels it, its pseudonymised name); a name
    that pseudonymising makes equal to another's gets " (2)"."""
    originals = {sid: n for sid, n in s.execute(select(Source.id, Source.name).order_by(Source.id))}
    taken: set[str] = set()
    return {
        sid: (name, free_name(run.text(f"source {name} name", name, file=True)[0], taken))
        for sid, name in originals.items()
    }


def rewrite_source(
    s: Session, run: Replacer, sid: int, label: str, name: str, *, write: bool
) -> None:
    """Find (and with `write`, apply) every replacement in one source and what points into it."""
    filename, text = s.execute(select(Source.filename, Source.text).where(Source.id == sid)).one()
    new_file = run.text(f"source {label} filename", filename, file=True)[0]
    new_text, span = run.rewrite(label, text)
    turns = s.execute(
        select(Turn.id, Turn.speaker, Turn.start, Turn.end)
        .where(Turn.source_id == sid)
        .order_by(Turn.position)
    ).all()
    speakers = [run.whole(f"source {label} speaker", t.speaker or "") for t in turns]
    codings = list(s.scalars(select(Coding).where(Coding.source_id == sid)))
    memos = [run.text(f"coding {c.guid} memo", c.memo)[0] for c in codings]
    if not write:
        s.expunge_all()
        return
    s.execute(
        update(Source)
        .where(Source.id == sid)
        .values(name=name, filename=new_file, text=new_text, sha256=text_sha256(new_text),
                words=count_words(new_text))
    )  # fmt: skip
    moved: list[dict[str, Any]] = []
    for t, speaker in zip(turns, speakers, strict=True):
        start, end = span(t.start, t.end)
        moved.append({"id": t.id, "start": start, "end": end, "speaker": speaker or t.speaker})
    if moved:
        s.execute(update(Turn), moved)  # by primary key, as one executemany
    decided = s.execute(
        select(SuggestionDecision.id, SuggestionDecision.start, SuggestionDecision.end).where(
            SuggestionDecision.source_id == sid
        )
    ).all()
    if decided:
        rows = [dict(zip(("start", "end"), span(d.start, d.end), strict=True)) | {"id": d.id}
                for d in decided]  # fmt: skip
        s.execute(update(SuggestionDecision), rows)
    notes = s.execute(  # notes on uncoded text move with their words, as codings do
        select(Memo.id, Memo.start, Memo.end).where(
            Memo.kind == "span", Memo.source_id == sid, Memo.start.is_not(None)
        )
    ).all()
    placed = [dict(zip(("start", "end"), span(n.start, n.end), strict=True)) | {"id": n.id}
              for n in notes if n.end is not None]  # fmt: skip
    if placed:
        s.execute(update(Memo), placed)
    _recode(s, sid, codings, memos, new_text, span)
    s.expunge_all()


def _recode(
    s: Session,
    sid: int,
    codings: list[Coding],
    memos: list[str],
    text: str,
    span: Span,
) -> None:
    """Re-store the source's codings at their new offsets: deleted and inserted with the same
    ids and GUIDs, so no intermediate state meets the uniqueness rule. Two codings that a
    replacement makes identical (same code, coder and span) become one, memos joined."""
    rows: dict[tuple[int, int, int, int], dict[str, object]] = {}
    for c, memo in zip(codings, memos, strict=True):
        start, end = span(c.start, c.end)
        k = (start, end, c.code_id, c.coder_id)
        if k in rows:
            prev = rows[k]
            prev["memo"] = "\n\n".join(m for m in (str(prev["memo"]), memo) if m)
            prev["exemplar"] = bool(prev["exemplar"]) or c.exemplar
            continue
        rows[k] = {
            "id": c.id, "guid": c.guid, "source_id": sid, "code_id": c.code_id,
            "start": start, "end": end, "snippet": text[start:end], "coder_id": c.coder_id,
            "created_at": c.created_at, "memo": memo, "exemplar": c.exemplar,
        }  # fmt: skip
    s.execute(delete(Coding).where(Coding.source_id == sid))
    if rows:
        s.execute(insert(Coding), list(rows.values()))
