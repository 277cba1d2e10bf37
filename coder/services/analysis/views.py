"""What the workspace's analysis screens show of a drill-down: passages with their text.

coder.analysis answers a drill-down with bare spans (source id, start, end, code ids); a
screen needs the source's name, the participant, the passage's words and the code paths to
list it, and the span to jump into the transcript. These helpers turn one into the other on
the Corpus the screen already holds, so a drill-down costs no second trip to the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coder.analysis.query import Hit
from coder.analysis.records import Corpus, Passage


@dataclass(frozen=True, slots=True)
class PassageView(Hit):
    """One passage as a list shows it (a query's Hit, or any drill-down's passage), with the
    participant whose source it is; `source_id`, `start`, `end` locate it."""

    participant: str | None = None


def passage_views(corpus: Corpus, passages: Iterable[Passage]) -> tuple[PassageView, ...]:
    """Each passage with its source, participant, text and code paths."""
    by_id = {s.id: s for s in corpus.sources}
    out = []
    for p in passages:
        src = by_id[p.source]
        out.append(
            PassageView(
                src.name,
                p.start,
                p.end,
                src.text[p.start : p.end],
                tuple(corpus.paths[c] for c in p.codes),
                p.source,
                src.participant,
            )
        )
    return tuple(out)


def pair_views(corpus: Corpus, pairs: Iterable[tuple[Passage, Passage]]) -> tuple[PassageView, ...]:
    """Each meeting pair of a co-occurrence cell as one passage, from the first start to the
    last end (both passages are in the same source), with both codes."""
    joined = []
    for a, b in pairs:
        codes = tuple(dict.fromkeys((*a.codes, *b.codes)))
        joined.append(Passage(a.source, min(a.start, b.start), max(a.end, b.end), codes))
    return passage_views(corpus, joined)


def attribute_names(corpus: Corpus) -> tuple[str, ...]:
    """Every participant or organisation attribute some source has, sorted by name."""
    return tuple(sorted({name for s in corpus.sources for name in s.attributes}))


def hit_views(corpus: Corpus, hits: Iterable[Hit]) -> tuple[PassageView, ...]:
    """A query's hits as passages (with the participant, which a Hit does not carry)."""
    who = {s.id: s.participant for s in corpus.sources}
    return tuple(
        PassageView(h.source, h.start, h.end, h.text, h.codes, h.source_id, who.get(h.source_id))
        for h in hits
    )
