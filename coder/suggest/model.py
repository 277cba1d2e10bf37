"""The suggestion model: the codebook as a prior, the researcher's own coding as evidence.

Every code gets one weight vector over lemma terms (tf-idf space), and a passage's score for a
code is the dot product of its unit tf-idf vector with that weight vector:

- prior (cold start): the code's name (weighted most: NAME_REPEAT), keywords
  (KEYWORD_REPEAT), description, inclusion criteria and examples, as one tf-idf vector; its
  exclusion criteria as a second vector that is subtracted (`exclusion_weight`).
- learned: once a code has codings, the unit centroid of its coded passages is blended in
  (`prior_weight` keeps the codebook in), the centroid of passages where the researcher
  rejected it is subtracted (`reject_weight`), and so is, for every code alike, the centroid of
  passages the researcher read and left uncoded (`seen_weight`: lowers every score there, so the
  decision rule below says "nothing here").
- expansion: each code also gets the centroid of the project passages it scores highest
  (`expand_weight`; coder.suggest.expand), so words that keep company with its words count.
- context: the last heading and the turn before the passage by another speaker
  (coder.suggest.headings) are added at `context_weight`, and matched on their own against
  the contexts each code was used under and its codebook group's question (`context_prior`,
  fading with the code's examples; coder.suggest.context); and a code whose name or keyword
  phrase occurs in the passage gets `phrase_boost` per distinct phrase (up to two).

All of this is linear: one (terms x codes) matrix, and scoring a batch is one sparse-dense
product. Which codes a passage "gets" is decided per code on a z-score against the project's
own passages (a calibration sample): where its z >= `z`, or where it scores within `rho` of
the passage's best code and above that code's average, both bars rising with the number of
codes against the codes per passage the researcher applies (calibrate.decision_bars), and no
passage getting more than a few times that many codes (calibrate.at_most).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from coder.suggest.calibrate import at_most, capped, codes_per_passage, decision_bars
from coder.suggest.components import Terms
from coder.suggest.context import context_matrix
from coder.suggest.expand import expansion
from coder.suggest.features import (
    F32,
    Rows,
    Vocabulary,
    dense_triples,
    sparse_triples,
    vectorize,
)
from coder.suggest.learn import Example, Learned, learn
from coder.suggest.methods import CANDIDATES, DEFAULT, Method
from coder.suggest.neighbours import neighbours_of, stored_neighbours
from coder.suggest.prior import CodeTerms, CodeText, Featurize, code_terms
from coder.suggest.stored import pack, unpack
from coder.suggest.vectors import TermVectors, code_vectors, vector_scores

__all__ = [
    "CANDIDATES",
    "DEFAULT",
    "CodeTerms",
    "CodeText",
    "Example",
    "Featurize",
    "Learned",
    "Method",
    "SuggestModel",
    "code_terms",
    "fit",
    "learn",
]


class Scorer:
    """A ready-to-score model: codebook prior + learned parts, as one (terms x codes) matrix."""

    def __init__(
        self,
        vocab: Vocabulary,
        codes: Sequence[CodeTerms],
        learned: Learned,
        method: Method,
        calibration: tuple[Rows, Rows] | None = None,
        embedding: F32 | None = None,  # (terms x dims) word vectors (coder.suggest.vectors)
    ) -> None:
        self.vocab = vocab
        self.method = method
        self.keys = [c.key for c in codes]
        self.column = {k: j for j, k in enumerate(self.keys)}
        v = len(vocab)
        # Normalised over the terms passages use, so that codebook words no passage has
        # used do not dilute the words that can match (they still count when they occur).
        seen = vocab.seen_mask()
        prior = _unit_over(_dense([c.include for c in codes], vocab), seen)
        excl = _unit_over(_dense([c.exclude for c in codes], vocab), seen)
        w = prior - method.exclusion_weight * excl
        a = method.prior_weight
        for i, k in enumerate(learned.keys):
            j = self.column.get(k)
            if j is not None and learned.counts[i] > 0:
                w[j] = a * w[j] + (1 - a) * learned.pos[i, :v]
        for i, k in enumerate(learned.rej_keys):
            j = self.column.get(k)
            if j is not None:
                w[j] -= method.reject_weight * learned.rej[i, :v]
        if learned.n_seen:
            w -= method.seen_weight * learned.seen[None, :v]
        # The calibration passages read with their context, mixed once for both uses below.
        pool = (
            calibration[0].mix(calibration[1], method.context_weight)
            if calibration is not None
            else None
        )
        if pool is not None and method.expand_weight > 0 and pool.n >= 20:
            w += method.expand_weight * expansion(
                np.ascontiguousarray(w.T, dtype=np.float32), pool, method.expand_share
            )
        self.wt: F32 = np.ascontiguousarray(w.T, dtype=np.float32)  # (V, C)
        question = _unit_over(_dense([c.question for c in codes], vocab), seen)
        self.ct: F32 | None = context_matrix(vocab, codes, learned, method, question)
        self.knn = neighbours_of(learned, method, self.column, v)
        self.emb, self.mt = None, None
        if embedding is not None and method.vector_weight > 0:
            self.emb = embedding
            self.mt = code_vectors(prior, learned, self.column, embedding, a)
        self.trained = {k for k, n in zip(learned.keys, learned.counts, strict=True) if n}
        self.rate = codes_per_passage(learned.nn_codes)
        self.mu = np.zeros(len(self.keys), np.float32)
        self.sd = np.ones(len(self.keys), np.float32)
        if calibration is not None and pool is not None and pool.n >= 5:
            s = self.score(calibration[0], calibration[1])
            self.mu = s.mean(0).astype(np.float32)
            self.sd = (s.std(0) + 1e-6).astype(np.float32)

    @classmethod
    def restore(
        cls,
        vocab: Vocabulary,
        method: Method,
        keys: Sequence[int],
        wt: F32,
        mu: F32,
        sd: F32,
        trained: Sequence[int],
        ct: F32 | None = None,
        learned: Learned | None = None,
        vectors: tuple[F32, F32] | None = None,  # (embedding, code vectors)
    ) -> Scorer:
        """A scorer from what a built one stored (coder.suggest.ready): no rebuild."""
        self = cls.__new__(cls)
        self.vocab, self.method, self.keys = vocab, method, list(keys)
        self.column = {k: j for j, k in enumerate(self.keys)}
        self.wt, self.mu, self.sd, self.trained = wt, mu, sd, set(trained)
        self.ct = ct
        self.knn = neighbours_of(learned, method, self.column, len(vocab)) if learned else None
        self.rate = codes_per_passage(learned.nn_codes) if learned else None
        self.emb, self.mt = vectors if vectors is not None else (None, None)
        return self

    def score(
        self,
        text: Rows,
        context: Rows | None = None,
        phrases: Sequence[Sequence[int]] | None = None,
        unknown: F32 | None = None,
    ) -> F32:
        """Scores (passages x codes). `phrases[i]`: columns whose name/keyword occurs in i;
        `unknown`: word vectors of terms outside the vocabulary (vectors.unknown_vectors)."""
        raw = text
        if context is not None:
            text = text.mix(context, self.method.context_weight)
        s = text.dot(self.wt)
        if context is not None and self.ct is not None:
            s += context.dot(self.ct)
        if self.knn is not None:
            s += self.method.knn_weight * self.knn.vote(text)
        if self.emb is not None and self.mt is not None:
            s += self.method.vector_weight * vector_scores(raw, self.emb, self.mt, unknown)
        if phrases is not None and self.method.phrase_boost:
            for i, cols in enumerate(phrases):
                for j, n in Counter(cols).items():
                    s[i, j] += self.method.phrase_boost * min(n, 2)
        return s

    def decide(self, s: F32) -> np.ndarray:
        """Which codes apply to each passage (bool, same shape as s; a row may be all False:
        "no code" is an answer).

        Calibrated (the method carries thresholds learned by cross-validation on the
        researcher's coding, coder.suggest.calibrate): a code applies where its z-score
        reaches its own threshold, which follows how often this researcher applies it.
        And the cold-start rule (decision_bars): a code applies where its z-score clears the
        bar for a code on its own, or where it scores within `rho` of the passage's best code
        and clears the bar for a code near the best. Either way a passage gets at most a few
        times the codes per passage the researcher applies (calibrate.at_most), best first."""
        if not s.size:
            return np.zeros(s.shape, bool)
        z = (s - self.mu) / self.sd
        top = s.max(1, keepdims=True)
        near = (s >= self.method.rho * top) & (s > 0)
        alone, close = decision_bars(self.method.z, s.shape[1], self.rate)
        out: np.ndarray = (z >= alone) | (near & (z >= close))
        if self.method.thresholds:
            out |= (z >= self.threshold_row()) & (s > 0)
        return capped(s, out, at_most(self.rate))

    def threshold_row(self) -> F32:
        """Each column's z threshold (codes without their own take the base threshold)."""
        own = dict(self.method.thresholds)
        base = self.method.base_threshold
        return np.array([own.get(k, base) for k in self.keys], np.float32)

    def zscores(self, s: F32) -> F32:
        return ((s - self.mu) / self.sd).astype(np.float32)

    def contributions(
        self, text: Rows, i: int, column: int, limit: int = 8
    ) -> list[tuple[int, float]]:
        """The `limit` largest (term id, contribution) of passage i's own terms to its score
        for a column."""
        idx, dat = text.row(i)
        vals = dat * self.wt[idx, column]
        positive = np.flatnonzero(vals > 0)
        order = positive[np.argsort(-vals[positive], kind="stable")][:limit]
        return [(int(idx[k]), float(vals[k])) for k in order]


def _unit_over(m: F32, mask: np.ndarray) -> F32:
    """Rows scaled to unit norm over the `mask` terms; a row none of whose terms is in the
    mask (a codebook-only project, or a code no passage has used a word of yet) is scaled
    over all its terms instead, so the codebook alone still ranks codes from the first
    minute, whatever the project holds."""
    norms = np.linalg.norm(m[:, mask], axis=1, keepdims=True)
    full = np.linalg.norm(m, axis=1, keepdims=True)
    norms = np.where(norms > 0, norms, full)
    return np.where(norms > 0, m / np.maximum(norms, 1e-12), 0.0).astype(np.float32)


def _dense(docs: Sequence[Sequence[str]], vocab: Vocabulary) -> F32:
    """Sublinear tf-idf (not normalised) rows over the whole vocabulary."""
    out = np.zeros((len(docs), len(vocab)), np.float32)
    for r, d in enumerate(docs):
        for t, c in Counter(d).items():
            i = vocab.index.get(t)
            if i is not None:
                out[r, i] = (1.0 + math.log(c)) * vocab.idf[i]
    return out


@dataclass
class SuggestModel:
    """Everything needed to rebuild a Scorer, in a form that can be saved with the project."""

    vocab: Vocabulary
    learned: Learned
    method: Method
    calibration: tuple[Rows, Rows]
    meta: dict[str, object] = field(default_factory=dict)
    # The pipeline's word vectors per vocabulary term (never stored: taken from the pipeline).
    embedding: F32 | None = field(default=None, repr=False, compare=False)

    def scorer(self, codes: Sequence[CodeTerms]) -> Scorer:
        return Scorer(
            self.vocab, codes, self.learned, self.method, self.calibration, self.embedding
        )

    def with_method(self, method: Method) -> SuggestModel:
        return replace(self, method=method)

    def to_bytes(self) -> bytes:
        arrays: dict[str, np.ndarray] = {
            "idf": self.vocab.idf,
            "seen_terms": self.vocab.seen_mask(),
            "pos": sparse_triples(self.learned.pos),
            "rej": sparse_triples(self.learned.rej),
            "seen": self.learned.seen,
            "cal_text_indptr": self.calibration[0].indptr,
            "cal_text_indices": self.calibration[0].indices,
            "cal_text_data": self.calibration[0].data,
            "cal_ctx_indptr": self.calibration[1].indptr,
            "cal_ctx_indices": self.calibration[1].indices,
            "cal_ctx_data": self.calibration[1].data,
        }
        if self.learned.ctx is not None:
            arrays["ctx"] = sparse_triples(self.learned.ctx)
        if self.learned.nn is not None and self.learned.nn_codes is not None:
            nn, codes = self.learned.nn, self.learned.nn_codes
            arrays["nn_indptr"], arrays["nn_indices"], arrays["nn_data"] = (
                nn.indptr, nn.indices, nn.data
            )  # fmt: skip
            arrays["nn_codes_indptr"] = np.cumsum([0] + [len(c) for c in codes]).astype(np.int32)
            arrays["nn_codes"] = np.array([k for c in codes for k in c], np.int64)
        header = {
            "version": 2,  # 2 adds "ctx" and "nn*" (optional); version 1 models load without
            "terms": self.vocab.terms(),
            "oov_idf": self.vocab.oov_idf,
            "method": asdict(self.method),
            "keys": self.learned.keys,
            "counts": self.learned.counts,
            "rej_keys": self.learned.rej_keys,
            "rej_counts": self.learned.rej_counts,
            "n_seen": self.learned.n_seen,
            "meta": self.meta,
        }
        return pack(header, arrays, compress=True)

    @classmethod
    def from_bytes(cls, data: bytes) -> SuggestModel:
        with unpack(data) as (header, z):
            vocab = Vocabulary(
                {t: i for i, t in enumerate(header["terms"])},
                z["idf"].astype(np.float32),
                float(header["oov_idf"]),
                z["seen_terms"].astype(bool),
            )
            width = len(vocab)
            learned = Learned(
                header["keys"],
                dense_triples(z["pos"], len(header["keys"]), width),
                header["counts"],
                header["rej_keys"],
                dense_triples(z["rej"], len(header["rej_keys"]), width),
                header["rej_counts"],
                z["seen"].astype(np.float32),
                header["n_seen"],
                dense_triples(z["ctx"], len(header["keys"]), width) if "ctx" in z.files else None,
                *stored_neighbours(z),
            )
            cal = (
                Rows(z["cal_text_indptr"], z["cal_text_indices"], z["cal_text_data"]),
                Rows(z["cal_ctx_indptr"], z["cal_ctx_indices"], z["cal_ctx_data"]),
            )
        method = Method.from_json(json.dumps(header["method"]))
        return cls(vocab, learned, method, cal, header.get("meta", {}))


def fit(
    examples: Sequence[Example],
    calibration: Sequence[tuple[Terms, Terms | None]],
    codes: Sequence[CodeTerms],
    method: Method = DEFAULT,
    vocab: Vocabulary | None = None,
    max_terms: int = 40_000,
    vectors: TermVectors | None = None,
) -> SuggestModel:
    """Train: a vocabulary from every passage at hand, then the learned centroids (and the
    terms' word vectors, when the pipeline has them)."""
    if vocab is None:
        vocab = build_vocabulary(examples, calibration, codes, max_terms)
    text = vectorize([e.terms.keys for e in examples], vocab)
    context = vectorize([e.context.keys if e.context else () for e in examples], vocab)
    learned = learn(
        text.mix(context, method.context_weight),
        examples,
        len(vocab),
        method.keep_terms,
        context,
    )
    # Decisions are calibrated on the project's passages and the researcher's own selections.
    cal = (
        vectorize([t.keys for t, _ in calibration], vocab).concat(text),
        vectorize([c.keys if c else () for _, c in calibration], vocab).concat(context),
    )
    return SuggestModel(
        vocab,
        learned,
        method,
        cal,
        {"examples": len(examples), "coded": sum(1 for e in examples if e.codes)},
        vectors(vocab.terms()) if vectors is not None else None,
    )


def build_vocabulary(
    examples: Sequence[Example],
    calibration: Sequence[tuple[Terms, Terms | None]],
    codes: Sequence[CodeTerms],
    max_terms: int = 40_000,
) -> Vocabulary:
    """Idf over the passages at hand (unlabelled ones count too), capped at `max_terms`."""
    docs: list[Sequence[str]] = [e.terms.keys for e in examples]
    docs += [e.context.keys for e in examples if e.context is not None]
    docs += [t.keys for t, _ in calibration]
    docs += [c.keys for _, c in calibration if c is not None]
    extra = [c.include for c in codes] + [c.exclude for c in codes]
    vocab = Vocabulary.build(docs, extra + [c.question for c in codes if c.question])
    if len(vocab) <= max_terms:
        return vocab
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d))
    must = {t for c in codes for t in (*c.include, *c.exclude, *c.question)}
    ranked = sorted(vocab.index, key=lambda t: (t not in must, -df[t], t))[:max_terms]
    keep = sorted(ranked)
    old = np.array([vocab.index[t] for t in keep], np.int64)
    return Vocabulary(
        {t: i for i, t in enumerate(keep)}, vocab.idf[old], vocab.oov_idf, vocab.seen_mask()[old]
    )
