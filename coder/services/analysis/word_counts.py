"""Word frequency as `coder words` and the exports ask for it, from the lemma cache alone.

Over everything (the common question) it reads each source's lemma counts, a few kilobytes,
and adds them up per group: no source text, no codings, no turns and no spaCy are loaded.
Within a code it unpacks, one source at a time, the words of only the sources holding that
code's passages and counts those inside them. Either way the numbers are those of
`coder.analysis.words.word_frequency`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coder.analysis.groups import Bins
from coder.analysis.intervals import IntArray
from coder.analysis.records import Corpus
from coder.analysis.words import WordTable, counts_in_spans, frequency_from_counts
from coder.services.analysis.gather import gather_outline
from coder.services.analysis.lemma_blob import read_counts, read_words
from coder.services.analysis.lemma_cache import fresh_blobs
from coder.services.analysis.set_filter import in_sets
from coder.services.project.store import Project


def word_table(
    project: Project,
    code: str | None = None,
    group: str | None = None,
    top: int = 30,
    interviewer: bool = False,
    bins: Bins | None = None,
    sets: Sequence[str] = (),
) -> WordTable:
    """The `top` lemmas without stop words: everywhere or within `code` (a name or path, and
    the codes below it), overall or by `group`; interviewer turns only with `interviewer`;
    within the named `sets` of sources or codes, when given."""
    corpus, code_id = gather_outline(project, code)
    corpus = in_sets(project, corpus, sets)
    if code_id is not None:
        return _in_code(project, corpus, group, top, interviewer, bins)
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


def _in_code(
    project: Project,
    corpus: Corpus,
    group: str | None,
    top: int,
    interviewer: bool,
    bins: Bins | None,
) -> WordTable:
    """Counts within the code (its codings are the corpus's): source by source, only the
    sources holding its passages, so no corpus-wide word arrays are built."""
    arr = corpus.arrays
    order = np.argsort(arr.src, kind="stable")
    bounds = np.searchsorted(arr.src[order], np.arange(len(corpus.sources) + 1))
    holding = [src.id for k, src in enumerate(corpus.sources) if bounds[k + 1] > bounds[k]]
    blobs = fresh_blobs(project, holding)
    counts: list[tuple[Sequence[str], IntArray] | None] = []
    for k, src in enumerate(corpus.sources):
        data = blobs.get(src.id)
        if data is None:
            counts.append(None)
            continue
        w = read_words(data)
        start, end = (np.empty(len(w.gaps), dtype=np.int64) for _ in range(2))
        w.offsets_into(start, end)
        rows = order[bounds[k] : bounds[k + 1]]
        spans = (arr.start[rows], arr.end[rows])
        n = counts_in_spans(start, w.lemma, w.speech, w.content, spans, interviewer)
        counts.append((w.vocab[: w.content], n))
    return frequency_from_counts(corpus, counts, group, top, bins)
