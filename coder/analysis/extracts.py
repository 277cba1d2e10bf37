"""Passage-level extracts for other tools: the 0/1 code matrix and the quote table.

The code matrix has one row per coded passage (a distinct source span) with its source,
participant, organisation and attributes, then one 0/1 column per code (1: the passage is
coded with that very code), the layout R, SPSS and Stata read (QualCoder #954). The quote
table has one row per coding: the passage, its code path, participant, attributes and where
it sits, as turn number, speaker and recording time (QualCoder #740).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from coder.analysis.records import AttrValue, Corpus, SourceRec


@dataclass(frozen=True, slots=True)
class CodeMatrix:
    """`attributes` name the attribute columns; `codes` (paths) the 0/1 columns."""

    attributes: tuple[str, ...]
    codes: tuple[str, ...]
    rows: tuple[CodeMatrixRow, ...]


@dataclass(frozen=True, slots=True)
class PassageRow:
    """Where a passage sits and whose words it is: the fields every extract row starts with."""

    source: str
    start: int
    end: int
    participant: str | None
    organisation: str | None
    values: tuple[AttrValue, ...]


@dataclass(frozen=True, slots=True)
class CodeMatrixRow(PassageRow):
    flags: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Quote(PassageRow):
    """One coding as a quote with everything needed to find it again."""

    text: str
    code: str
    turn: int | None
    speaker: str | None
    timestamp: float | None
    coder: str


def _attribute_names(corpus: Corpus) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for s in corpus.sources for name in s.attributes))


def _whose(
    src: SourceRec, start: int, end: int, attrs: tuple[str, ...]
) -> tuple[str, int, int, str | None, str | None, tuple[AttrValue, ...]]:
    """The PassageRow fields of src[start:end], its values in the order of `attrs`."""
    values = tuple(src.attributes.get(a) for a in attrs)
    return src.name, start, end, src.participant, src.organisation, values


def code_matrix(corpus: Corpus) -> CodeMatrix:
    """The 0/1 code matrix, passages in source order then by position."""
    attrs = _attribute_names(corpus)
    codes = corpus.tree_order
    col = {c.id: k for k, c in enumerate(codes)}
    by_span: dict[tuple[int, int, int], set[int]] = {}
    for c in corpus.codings:
        if c.source in corpus.source_index and c.code in col:
            by_span.setdefault((c.source, c.start, c.end), set()).add(col[c.code])
    order = corpus.source_index
    rows = []
    for (sid, start, end), cols in sorted(
        by_span.items(), key=lambda kv: (order[kv[0][0]], kv[0][1], kv[0][2])
    ):
        src = corpus.sources[order[sid]]
        rows.append(
            CodeMatrixRow(
                *_whose(src, start, end, attrs),
                flags=tuple(1 if k in cols else 0 for k in range(len(codes))),
            )
        )
    return CodeMatrix(attrs, tuple(corpus.paths[c.id] for c in codes), tuple(rows))


@dataclass(frozen=True, slots=True)
class QuoteTable:
    """`attributes` name the values of each quote."""

    attributes: tuple[str, ...]
    quotes: tuple[Quote, ...]


def quotes(corpus: Corpus) -> QuoteTable:
    """Every coding as a quote, in source order, by position, then code path."""
    attrs = _attribute_names(corpus)
    turns: dict[int, list[tuple[int, int, int, str | None, float | None]]] = {}
    for t in sorted(corpus.turns, key=lambda t: (t.source, t.start)):
        turns.setdefault(t.source, []).append((t.start, t.end, t.position, t.speaker, t.timestamp))
    starts = {sid: [x[0] for x in ts] for sid, ts in turns.items()}
    order = corpus.source_index
    out: list[tuple[int, Quote]] = []
    for c in corpus.codings:
        if c.source not in order or c.code not in corpus.paths:
            continue
        src = corpus.sources[order[c.source]]
        turn = speaker = stamp = None
        # the turn the passage starts in, or else the first one it reaches into
        found = turns.get(c.source, [])
        k = bisect.bisect_right(starts.get(c.source, []), c.start) - 1
        if k < 0 or found[k][1] <= c.start:
            k += 1
        if 0 <= k < len(found) and found[k][0] < c.end and found[k][1] > c.start:
            _, _, pos, speaker, stamp = found[k]
            turn = pos + 1
        out.append(
            (
                order[c.source],
                Quote(
                    *_whose(src, c.start, c.end, attrs),
                    text=src.text[c.start : c.end],
                    code=corpus.paths[c.code],
                    turn=turn,
                    speaker=speaker,
                    timestamp=stamp,
                    coder=c.coder,
                ),
            )
        )
    out.sort(key=lambda iq: (iq[0], iq[1].start, iq[1].end, iq[1].code))
    return QuoteTable(attrs, tuple(q for _, q in out))
