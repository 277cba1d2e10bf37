"""Coding straight from the search results, and the codes already on each hit (issue 13.19).

A hit is the few words the researcher searched for; a coding of just those words is rarely
what they mean, so a code applied to a hit covers the sentence(s) holding it, the same unit
the transcript selects with ↓. The codes shown on a hit are those of codings overlapping it,
only of the coders the workspace shows (the researcher's own while blind coding is on).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select

from coder.db.models import Code, Coder, Coding, Source, Turn
from coder.services.coding.codings import apply_code
from coder.services.coding.workspace import Span, text_units
from coder.services.project.store import Project
from coder.vocab.dto import CodingInfo, SearchHit


def hit_sentence(text: str, turns: Sequence[Span], start: int, end: int) -> Span:
    """The sentence(s) of `text` a hit at start..end lies in (the hit itself if in none)."""
    inside = [(s, e) for s, e in text_units(text, turns).sentences if s < end and e > start]
    if not inside:
        return start, end
    return min(start, inside[0][0]), max(end, inside[-1][1])


def code_hit(project: Project, hit: SearchHit, code_id: int) -> CodingInfo:
    """Apply a code to the sentence(s) of a search hit, as this user (one undo step)."""
    with project.reading() as s:
        text = s.scalar(select(Source.text).where(Source.id == hit.source_id)) or ""
        turns = [
            (int(a), int(b))
            for a, b in s.execute(
                select(Turn.start, Turn.end).where(Turn.source_id == hit.source_id)
            )
        ]
    start, end = hit_sentence(text, turns, hit.start, hit.end)
    return apply_code(project, hit.source_id, start, end, code_id)


def with_codes(
    project: Project, hits: Sequence[SearchHit], coders: Sequence[str] | None = None
) -> list[SearchHit]:
    """The hits with the names of the codes overlapping each (one read for all of them),
    counting only the codings of `coders` when given (the coders the workspace shows)."""
    if not hits:
        return []
    q = (
        select(Coding.source_id, Coding.start, Coding.end, Code.name)
        .join(Code, Code.id == Coding.code_id)
        .where(Coding.source_id.in_({h.source_id for h in hits}))
        .order_by(Code.position, Code.name)
    )
    if coders is not None:
        q = q.join(Coder, Coder.id == Coding.coder_id).where(Coder.name.in_(coders))
    with project.reading() as s:
        rows = s.execute(q).all()
    by_source: dict[int, list[tuple[int, int, str]]] = {}
    for sid, a, b, name in rows:
        by_source.setdefault(sid, []).append((a, b, name))
    out = []
    for h in hits:
        names = dict.fromkeys(
            n for a, b, n in by_source.get(h.source_id, ()) if a < h.end and b > h.start
        )
        out.append(replace(h, codes=tuple(names)))
    return out
