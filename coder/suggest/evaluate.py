"""How good are the suggestions on this researcher's own coding?

Cross-validation split by group (participant, or source when there are no participants), so
that no interview is on both sides. Every passage is predicted once, by a model that never saw
its interview; metrics are computed on the pooled predictions:

- recall@k: for each coded passage, the share of its codes found among the top k suggestions,
  averaged over coded passages; precision@1: how often the top suggestion is one of its codes.
- per code, from the model's decisions (which codes apply): Cohen's kappa and F1 against the
  researcher, over every passage (uncoded ones count as "no"), for codes with at least
  `min_support` coded passages; macro-F1 and mean kappa average them.
- the same for a most-frequent-code baseline (ranks codes by how often they were used in the
  training folds and applies the most frequent one everywhere).

`select_method` runs this for each candidate Method and keeps the best (mean kappa plus
recall@3), which is how a project gets its own choice.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from coder.suggest.calibrate import cross_fitted, fit_thresholds
from coder.suggest.components import Terms
from coder.suggest.features import F32, Rows, Vocabulary, vectorize
from coder.suggest.learn import learn
from coder.suggest.model import (
    CANDIDATES,
    DEFAULT,
    CodeTerms,
    Example,
    Method,
    Scorer,
    build_vocabulary,
)
from coder.suggest.results import Scores
from coder.suggest.vectors import TermVectors


@dataclass(frozen=True, slots=True)
class CodeScore:
    key: int
    support: int
    kappa: float
    f1: float


@dataclass(frozen=True, slots=True)
class Metrics(Scores):
    """The Scores of one evaluation, with what they were measured on."""

    passages: int
    coded: int
    per_code: tuple[CodeScore, ...] = ()
    predicted_per_passage: float = 0.0  # codes applied per passage by the decisions
    actual_per_passage: float = 0.0  # codes the researcher applied per passage


@dataclass(frozen=True, slots=True)
class Evaluation:
    method: Method
    metrics: Metrics
    baseline: Metrics
    groups: int
    folds: int
    candidates: tuple[tuple[str, float, float], ...] = ()  # (name, kappa, recall@3)


def kappa(gold: np.ndarray, pred: np.ndarray) -> float:
    """Cohen's kappa of two boolean vectors (1.0 when both agree perfectly on one class)."""
    g = gold.astype(bool)
    p = pred.astype(bool)
    if not len(g):
        return 0.0
    po = float((g == p).mean())
    pe = float(g.mean() * p.mean() + (1 - g.mean()) * (1 - p.mean()))
    if pe >= 1.0:
        return 1.0 if po == 1.0 else 0.0
    return (po - pe) / (1 - pe)


def metrics(
    scores: np.ndarray,
    decisions: np.ndarray,
    gold: Sequence[frozenset[int]],
    keys: Sequence[int],
    min_support: int = 3,
) -> Metrics:
    """Metrics of scores/decisions (passages x keys) against gold code sets."""
    col = {k: j for j, k in enumerate(keys)}
    r1 = r3 = p1 = 0.0
    coded = 0
    for i, g in enumerate(gold):
        gs = {col[k] for k in g if k in col}
        if not gs:
            continue
        coded += 1
        order = np.argsort(-scores[i], kind="stable")[:3]
        r1 += len(gs & {int(order[0])}) / len(gs)
        r3 += len(gs & {int(x) for x in order}) / len(gs)
        p1 += float(int(order[0]) in gs)
    per: list[CodeScore] = []
    support = Counter(k for g in gold for k in g)
    for k in keys:
        if support[k] < min_support:
            continue
        j = col[k]
        y = np.array([k in g for g in gold])
        p = decisions[:, j].astype(bool)
        tp = float((y & p).sum())
        f1 = 2 * tp / (y.sum() + p.sum()) if (y.sum() + p.sum()) else 0.0
        per.append(CodeScore(k, int(support[k]), kappa(y, p), f1))
    n = max(coded, 1)
    return Metrics(
        r1 / n,
        r3 / n,
        p1 / n,
        float(np.mean([c.f1 for c in per])) if per else 0.0,
        float(np.mean([c.kappa for c in per])) if per else 0.0,
        len(gold),
        coded,
        tuple(per),
        float(decisions.sum(1).mean()) if len(gold) else 0.0,
        float(np.mean([len([k for k in g if k in col]) for g in gold])) if gold else 0.0,
    )


def group_folds(groups: Sequence[str], folds: int, seed: int = 0) -> list[list[int]]:
    """Indices of each fold; every group falls in exactly one fold."""
    names = sorted(set(groups))
    random.Random(seed).shuffle(names)
    k = max(2, min(folds, len(names)))
    fold_of = {g: i % k for i, g in enumerate(names)}
    out: list[list[int]] = [[] for _ in range(k)]
    for i, g in enumerate(groups):
        out[fold_of[g]].append(i)
    return [f for f in out if f]


@dataclass
class Prepared:
    """Examples vectorised once, so that many splits and methods can be scored cheaply."""

    examples: list[Example]
    codes: list[CodeTerms]
    vocab: Vocabulary
    text: Rows
    context: Rows
    calibration: tuple[Rows, Rows]
    embedding: F32 | None = None  # word vectors per term (coder.suggest.vectors)

    @classmethod
    def build(
        cls,
        examples: Sequence[Example],
        codes: Sequence[CodeTerms],
        calibration: Sequence[tuple[Terms, Terms | None]],
        vectors: TermVectors | None = None,
    ) -> Prepared:
        """Vectorise once. Decisions are calibrated on the sample of the project's passages
        plus the examples themselves (their text only, never their codes)."""
        vocab = build_vocabulary(examples, calibration, codes)
        text = vectorize([e.terms.keys for e in examples], vocab)
        context = vectorize([e.context.keys if e.context else () for e in examples], vocab)
        cal = (
            vectorize([t.keys for t, _ in calibration], vocab).concat(text),
            vectorize([c.keys if c else () for _, c in calibration], vocab).concat(context),
        )
        embedding = vectors(vocab.terms()) if vectors is not None else None
        return cls(list(examples), list(codes), vocab, text, context, cal, embedding)

    def run(
        self,
        train: Sequence[int],
        test: Sequence[int],
        method: Method,
        codes: Sequence[CodeTerms] | None = None,
    ) -> tuple[Scorer, np.ndarray, np.ndarray]:
        """Train on `train`, return (scorer, scores, decisions) for `test`."""
        context = self.context.take(train)
        mixed = self.text.take(train).mix(context, method.context_weight)
        learned = learn(
            mixed, [self.examples[i] for i in train], len(self.vocab), method.keep_terms, context
        )
        scorer = Scorer(
            self.vocab, codes or self.codes, learned, method, self.calibration, self.embedding
        )
        s = scorer.score(self.text.take(test), self.context.take(test))
        return scorer, s, scorer.decide(s)


def _baseline(
    prep: Prepared, train: Sequence[int], test: Sequence[int], keys: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    freq = Counter(c for i in train for c in prep.examples[i].codes)
    base = np.array([freq[k] + 1e-6 * (len(keys) - j) for j, k in enumerate(keys)], np.float32)
    s = np.tile(base, (len(test), 1))
    d = np.zeros_like(s, bool)
    if freq:
        d[:, int(np.argmax(base))] = True
    return s, d


@dataclass
class Fold:
    """One method's out-of-fold scores and z-scores over the examples of a subset."""

    method: Method
    metrics: Metrics
    baseline: Metrics
    scores: np.ndarray
    z: np.ndarray
    decisions: np.ndarray


def out_of_fold(
    prep: Prepared,
    methods: Sequence[Method] = (DEFAULT,),
    folds: int = 5,
    seed: int = 0,
    min_support: int = 3,
    subset: Sequence[int] | None = None,
    codes: Sequence[CodeTerms] | None = None,
) -> tuple[list[Fold], list[list[int]]]:
    """Every example scored by a model that never saw its group, for each method; and the
    folds (positions in `subset`)."""
    idx = list(range(len(prep.examples))) if subset is None else list(subset)
    groups = [prep.examples[i].group for i in idx]
    splits = group_folds(groups, folds, seed)
    keys = [c.key for c in (codes or prep.codes)]
    gold = [prep.examples[i].codes for i in idx]
    out = []
    base_s = np.zeros((len(idx), len(keys)), np.float32)
    base_d = np.zeros_like(base_s, bool)
    for m_i, method in enumerate(methods):
        s_all = np.zeros((len(idx), len(keys)), np.float32)
        z_all = np.zeros_like(s_all)
        d_all = np.zeros_like(s_all, bool)
        for fold in splits:
            test = [idx[j] for j in fold]
            fold_set = set(fold)
            train = [idx[j] for j in range(len(idx)) if j not in fold_set]
            scorer, s, d = prep.run(train, test, method, codes)
            s_all[fold], d_all[fold] = s, d
            z_all[fold] = np.where(s > 0, scorer.zscores(s), -np.inf)
            if m_i == 0:
                base_s[fold], base_d[fold] = _baseline(prep, train, test, keys)
        out.append(
            Fold(
                method,
                metrics(s_all, d_all, gold, keys, min_support),
                metrics(base_s, base_d, gold, keys, min_support),
                s_all,
                z_all,
                d_all,
            )
        )
    return out, splits


def calibrated(
    prep: Prepared,
    run: Fold,
    splits: Sequence[Sequence[int]],
    subset: Sequence[int] | None,
    keys: Sequence[int],
    min_support: int,
) -> tuple[Method, Metrics]:
    """The method with per-code thresholds learned on its out-of-fold z-scores, and the
    metrics of thresholds cross-fitted the same way (never fitted on the passages scored)."""
    idx = list(range(len(prep.examples))) if subset is None else list(subset)
    gold = [prep.examples[i].codes for i in idx]
    y = np.array([[k in g for k in keys] for g in gold], bool).reshape(len(gold), len(keys))
    decisions = cross_fitted(y, run.z, splits, run.decisions)
    m = metrics(run.scores, decisions, gold, keys, min_support)
    base, own = fit_thresholds(y, run.z)
    pairs = tuple((int(k), round(float(t), 3)) for k, t in zip(keys, own, strict=True))
    return replace(run.method, thresholds=pairs, base_threshold=base), m


MARGIN = 0.03  # a candidate must beat the default by this much (kappa + recall@3) to win
# Calibrated decisions must beat the cold-start rule's kappa by this much on the same
# out-of-fold scores: on about one code per passage (the Scrum study) per-code thresholds
# fitted on a few hundred passages measured well out of fold and worse on new participants.
CALIBRATION_MARGIN = 0.03


def keeps_rate(tuned: Metrics, rule: Metrics) -> bool:
    """Whether calibrated decisions apply codes per passage no further from the researcher's
    own rate than the cold-start rule does. Mean kappa over codes, measured on a few dozen
    coded passages, rises by applying rare codes more often; thresholds that do so fit noise.
    On the Scrum study (about 2 codes per passage) such thresholds measured +0.03 to +0.04 out
    of fold while applying 2.8 to 3.3 codes per passage, and lost 0.01 to 0.02 kappa on the
    participants not yet coded; on the Shuffle survey (6.9) calibration moves towards the
    researcher's rate and is kept."""
    return abs(tuned.predicted_per_passage - tuned.actual_per_passage) <= abs(
        rule.predicted_per_passage - rule.actual_per_passage
    )


def enough_for_selection(prep: Prepared, subset: Sequence[int] | None = None) -> bool:
    """Enough coding to tell candidates apart (below this, the default is used)."""
    idx = range(len(prep.examples)) if subset is None else subset
    coded = [prep.examples[i] for i in idx if prep.examples[i].codes]
    return len(coded) >= 40 and len({e.group for e in coded}) >= 5


def best_of(results: Sequence[tuple[Method, Metrics, Metrics]]) -> tuple[Method, Metrics, Metrics]:
    """The best candidate, but the default unless another beats it by MARGIN: on little
    data the differences between candidates are mostly noise."""

    def value(r: tuple[Method, Metrics, Metrics]) -> float:
        return r[1].kappa + r[1].recall_at_3

    default = next((r for r in results if r[0] == DEFAULT), None)
    best = max(results, key=value)
    if default is not None and value(best) < value(default) + MARGIN:
        return default
    return best


def _plain(m: Method) -> Method:
    return replace(m, name="", vector_weight=0.0)


def eligible(
    prep: Prepared,
    candidates: Sequence[Method],
    subset: Sequence[int] | None = None,
    codes: Sequence[CodeTerms] | None = None,
) -> list[Method]:
    """The candidates worth cross-validating on this project. Choosing among more candidates
    on a few dozen participants picks noise more often, so each kind is offered only where it
    can help:

    - the learned context prior, where the codebook groups codes by question or most coded
      passages are under a heading (coder.suggest.headings; on the Scrum interviews, with
      neither, it lost up to 0.04 kappa on held-out participants when cross-validation
      picked it);
    - the neighbours' vote, where passages carry two or more codes on average (the Shuffle
      survey: +0.01 to +0.02 kappa, +0.03 recall@3; on the Scrum study, about one code per
      passage, it added nothing held out);
    - a candidate that only changes word vectors, where the pipeline has them."""
    idx = range(len(prep.examples)) if subset is None else subset
    coded = [prep.examples[i].codes for i in idx if prep.examples[i].codes]
    many = bool(coded) and sum(len(c) for c in coded) / len(coded) >= 2.0
    headed = bool(coded) and 2 * sum(
        prep.examples[i].headed for i in idx if prep.examples[i].codes
    ) >= len(coded)
    grouped = headed or any(c.question for c in (codes or prep.codes))
    out = []
    for m in candidates:
        if m != DEFAULT and (
            (m.context_prior > 0 and not grouped)
            or (m.knn_weight > 0 and not many)
            or (prep.embedding is None and _plain(m) == _plain(DEFAULT))
        ):
            continue
        out.append(m)
    return out


def select_method(
    prep: Prepared,
    subset: Sequence[int] | None = None,
    folds: int = 5,
    seed: int = 0,
    candidates: Sequence[Method] = CANDIDATES,
    codes: Sequence[CodeTerms] | None = None,
    min_support: int = 3,
) -> Evaluation:
    """Cross-validate each candidate and return the best (mean kappa + recall@3), with its
    decisions calibrated per code when calibrated decisions measure better (kappa) than the
    cold-start rule on the same out-of-fold scores."""
    candidates = eligible(prep, candidates, subset, codes)
    runs, splits = out_of_fold(prep, candidates, folds, seed, min_support, subset, codes)
    results = [(r.method, r.metrics, r.baseline) for r in runs]
    best = best_of(results)
    run = next(r for r in runs if r.method == best[0])
    keys = [c.key for c in (codes or prep.codes)]
    method, scores = best[0], best[1]
    tuned, tuned_scores = calibrated(prep, run, splits, subset, keys, min_support)
    if tuned_scores.kappa >= scores.kappa + CALIBRATION_MARGIN and keeps_rate(tuned_scores, scores):
        method, scores = tuned, tuned_scores
    idx = range(len(prep.examples)) if subset is None else subset
    groups = len({prep.examples[i].group for i in idx})
    return Evaluation(
        method,
        scores,
        best[2],
        groups,
        min(folds, groups),
        tuple((m.name, r.kappa, r.recall_at_3) for m, r, _ in results),
    )
