"""Word frequency as `coder words` and the exports ask for it, from the lemma cache alone.

Over everything (the common question) it reads each source's lemma counts, a few kilobytes,
and adds them up per group: no source text, no codings, no turns and no spaCy are loaded.
Within a code it unpacks the words of only the sources holding that code's passages and
counts those inside them. Either way the numbers are `coder.analysis.words.word_frequency`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from coder.analysis.groups import Bins
from coder.analysis.intervals import IntArray
from coder.analysis.words import WordTable, frequency_from_counts, word_frequency
from coder.services.analysis.gather import gather_outline
from coder.services.analysis.lemma_blob import read_counts
from coder.services.analysis.lemma_cache import cached_tokens, fresh_blobs
from coder.services.project.store import Project


def word_table(
    project: Project,
    code: str | None = None,
    group: str | None = None,
    top: int = 30,
    interviewer: bool = False,
    bins: Bins | None = None,
) -> WordTable:
    """The `top` lemmas without stop words: everywhere or within `code` (a name or path, and
    the codes below it), overall or by `group`; interviewer turns only with `interviewer`."""
    corpus, code_id = gather_outline(project, code)
    if code_id is not None:
        holding = {c.source for c in corpus.codings}
        toks = cached_tokens(project, corpus, holding)
        return word_frequency(corpus, toks, code_id, group, top, interviewer, bins)
    blobs = fresh_blobs(project, [src.id for src in corpus.sources])
    counts: list[tuple[Sequence[str], IntArray] | None] = []
    for src in corpus.sources:
        data = blobs.get(src.id)
        if data is None:
            counts.append(None)
            continue
        c = read_counts(data)
        counts.append((c.words, c.spoken + c.asked if interviewer else c.spoken))
    return frequency_from_counts(corpus, counts, group, top, bins)
