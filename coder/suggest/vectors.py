"""Meaning beyond shared words: word vectors from the researcher's own spaCy pipeline.

Abstract codes often share no words with their passages. When the pipeline named in the
project setting `nlp.model` has a vectors table (an installed trained pipeline such as
en_core_web_md; coder never downloads one), each vocabulary term gets its vector, and a
passage's vector is its tf-idf row times that (terms x dims) table: the idf-weighted mean of
its words' vectors, computed with the same sparse product as every other score. A code's
vector blends its codebook text's vector with its coded passages' (the same `prior_weight`
as the term scores). The cosine of passage to code, centred over the codes (so it moves the
ranking, not every score at once), is added at `vector_weight`. Without vectors nothing
changes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from spacy.language import Language

from coder.suggest.features import F32, Rows, Vocabulary, unit_rows
from coder.suggest.learn import Learned

TermVectors = Callable[[Sequence[str]], F32]


def term_vectors(nlp: Language) -> TermVectors | None:
    """A function from term strings to their vectors (a term of several words takes the mean
    of those that have one; a term without any, zeros), or None when the pipeline has no
    vectors."""
    vocab = nlp.vocab
    shape = vocab.vectors.shape
    if not shape[0] or not shape[1]:
        return None
    dims = int(shape[1])

    def lookup(terms: Sequence[str]) -> F32:
        out = np.zeros((len(terms), dims), np.float32)
        for i, term in enumerate(terms):
            found = [np.asarray(vocab.get_vector(w)) for w in term.split() if vocab.has_vector(w)]
            if found:
                out[i] = np.mean(np.stack(found), axis=0)
        return out

    return lookup


def code_vectors(
    prior: F32, learned: Learned, column: dict[int, int], embedding: F32, prior_weight: float
) -> F32:
    """(dims x codes) unit code vectors: the codebook prior's vector (`prior`: codes x
    terms) blended with the coded passages' centroid vector where the code has codings."""
    v = embedding.shape[0]
    out = unit_rows(prior[:, :v] @ embedding)
    for i, k in enumerate(learned.keys):
        j = column.get(k)
        if j is not None and learned.counts[i] > 0:
            own = unit_rows((learned.pos[i : i + 1, :v] @ embedding).astype(np.float32))[0]
            out[j] = prior_weight * out[j] + (1 - prior_weight) * own
    return np.ascontiguousarray(unit_rows(out.astype(np.float32)).T)


def unknown_vectors(docs: Sequence[Sequence[str]], vocab: Vocabulary, lookup: TermVectors) -> F32:
    """(passages x dims) what the terms the model's vocabulary does not know add to each
    passage's vector, weighted as coder.suggest.features.vectorize weighs them (a word no
    coded passage used is where vectors help most)."""
    out = np.zeros((len(docs), 0), np.float32)
    for i, d in enumerate(docs):
        counts = Counter(d)
        weights = {
            t: (1.0 + math.log(c))
            * (float(vocab.idf[vocab.index[t]]) if t in vocab.index else vocab.oov_idf)
            for t, c in counts.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        unknown = [t for t in weights if t not in vocab.index]
        if not unknown:
            continue
        vecs = lookup(unknown)
        if not out.shape[1]:
            out = np.zeros((len(docs), vecs.shape[1]), np.float32)
        out[i] = np.array([weights[t] / norm for t in unknown], np.float32) @ vecs
    return out


def vector_scores(text: Rows, embedding: F32, mt: F32, unknown: F32 | None = None) -> F32:
    """(passages x codes) cosine of each passage's vector to each code's, centred per
    passage over the codes (`unknown`: what out-of-vocabulary terms add, unknown_vectors)."""
    dv = text.dot(embedding)
    if unknown is not None and unknown.shape == dv.shape:
        dv += unknown
    s: F32 = unit_rows(dv) @ mt
    out: F32 = (s - s.mean(1, keepdims=True)).astype(np.float32)
    return out
