"""A corpus narrowed to some sources and some codes: how a set filters an analysis.

Sets (MAXQDA document sets, ATLAS.ti code groups, issue 13.15) name a group of sources or of
codes. Rather than teach every statistic about them, the corpus itself is narrowed: the
matrix, co-occurrence, queries and word counts then see only the set's sources (with their
codings and turns) and only the set's codes (with the themes above them, so the tree stays
whole, but only the set's codes' codings).
"""

from __future__ import annotations

from collections.abc import Collection

from coder.analysis.records import Corpus


def restrict(
    corpus: Corpus,
    sources: Collection[int] | None = None,
    codes: Collection[int] | None = None,
) -> Corpus:
    """The corpus with only `sources` and only `codes` (None: all of them)."""
    keep_sources = set(sources) if sources is not None else None
    keep_codes = set(codes) if codes is not None else None
    tree = list(corpus.codes)
    if keep_codes is not None:
        parent = {c.id: c.parent for c in tree}
        shown = set()
        for cid in keep_codes:
            node: int | None = cid
            while node is not None and node not in shown and node in parent:
                shown.add(node)
                node = parent[node]
        tree = [c for c in tree if c.id in shown]
    return Corpus(
        codes=tree,
        sources=[s for s in corpus.sources if keep_sources is None or s.id in keep_sources],
        codings=[
            c
            for c in corpus.codings
            if (keep_sources is None or c.source in keep_sources)
            and (keep_codes is None or c.code in keep_codes)
        ],
        turns=[t for t in corpus.turns if keep_sources is None or t.source in keep_sources],
    )
