"""The warm, in-process suggester of one project: pipeline + model + scorer, no database.

coder.services.suggestions.scoring keeps one Runtime per open project and feeds it rows it read from
the database; everything here works on plain values, so it can be driven from a worker thread
and tested without a project. Rebuilding the scorer after a codebook edit only re-reads the
codes that changed, so a renamed code or a new keyword is used at the next keystroke.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from coder.suggest.evaluate import Evaluation, Prepared, enough_for_selection, select_method
from coder.suggest.features import Rows, vectorize
from coder.suggest.incremental import Updatable
from coder.suggest.model import (
    DEFAULT,
    CodeTerms,
    CodeText,
    Example,
    Method,
    Scorer,
    SuggestModel,
    code_terms,
    fit,
)
from coder.suggest.pipeline import Analyzed, Pipeline, evidence, first_spans
from coder.suggest.ready import ReadyScorer, codes_key
from coder.suggest.results import CodeEvaluation, EvaluationReport, Quality, Scores
from coder.suggest.vectors import term_vectors, unknown_vectors


@dataclass(frozen=True, slots=True)
class Scored:
    """One code suggested for one passage."""

    key: int
    score: float
    z: float
    applies: bool
    evidence: tuple[str, ...]


class Runtime:
    """A project's suggester, safe to share between threads."""

    def __init__(self, nlp_model: str | None = None) -> None:
        self.pipeline = Pipeline(nlp_model)
        self.nlp_model = nlp_model
        self.model: SuggestModel | None = None
        self.lock = threading.RLock()
        self._codes: dict[int, CodeText] = {}
        self._terms: dict[CodeText, CodeTerms] = {}
        self._scorer: Scorer | None = None
        self._scorer_for: tuple[int, tuple[CodeText, ...]] | None = None
        self.ready: ReadyScorer | None = None  # a scorer stored with the model
        self.analyzed: dict[tuple[int, int, int], Analyzed] = {}  # (source, start, end)
        self.calibration: tuple[tuple[int, int], list[Analyzed]] | None = None
        # The pipeline's word vectors per term, when it has a vectors table.
        self.vectors = term_vectors(self.pipeline.nlp)
        # The last full fit, for updating it with new passages (coder.suggest.incremental).
        self.updatable: Updatable | None = None

    # -- codebook -------------------------------------------------------------------------
    def set_codes(self, codes: Sequence[CodeText]) -> list[CodeTerms]:
        """Make these the codes to suggest (cheap when nothing changed)."""
        with self.lock:
            missing = [c for c in codes if c not in self._terms]
            if missing and self.ready is not None and self.ready.key == self.codes_key(codes):
                stored = {t.key: t for t in self.ready.terms}
                for c in missing:
                    self._terms[c] = stored[c.key]
                missing = []
            for c in missing:
                self._terms[c] = code_terms(c, self.pipeline.terms)
            if len(self._terms) > 4 * max(len(codes), 50):
                keep = set(codes)
                self._terms = {c: t for c, t in self._terms.items() if c in keep}
            self._codes = {c.key: c for c in codes}
            self.pipeline.set_codes(codes)
            return [self._terms[c] for c in codes]

    def code_terms(self) -> list[CodeTerms]:
        return [self._terms[c] for c in self._codes.values()]

    def scorer(self) -> Scorer:
        """The scorer for the current model and codes (rebuilt only when either changed)."""
        with self.lock:
            if self.model is None:
                raise RuntimeError("no suggestion model yet: train() first")
            key = (id(self.model), tuple(self._codes.values()))
            if self._scorer is None or self._scorer_for != key:
                r, m = self.ready, self.model
                vectors = (
                    (m.embedding, r.mt)
                    if r and m.embedding is not None and r.mt is not None
                    else None
                )
                uses_vectors = m.embedding is not None and m.method.vector_weight > 0
                if (
                    r is not None
                    and r.key == self.codes_key(list(self._codes.values()))
                    and (vectors is not None or not uses_vectors)
                ):
                    self._scorer = Scorer.restore(
                        m.vocab, m.method, r.keys, r.wt, r.mu, r.sd, r.trained, r.ct, m.learned,
                        vectors,
                    )  # fmt: skip
                else:
                    self._scorer = self.model.scorer(self.code_terms())
                self._scorer_for = key
            return self._scorer

    def codes_key(self, codes: Sequence[CodeText]) -> str:
        return codes_key(codes, self.nlp_model)

    def ready_scorer(self, fingerprint: list[int]) -> ReadyScorer:
        """The current scorer, to store with the model (coder.suggest.ready)."""
        with self.lock:
            sc = self.scorer()
            codes = list(self._codes.values())
            return ReadyScorer(
                self.codes_key(codes), fingerprint, list(sc.keys), sc.wt, sc.mu, sc.sd,
                sorted(sc.trained), self.code_terms(), sc.ct, sc.mt,
            )  # fmt: skip

    # -- training -------------------------------------------------------------------------
    def train(
        self,
        examples: Sequence[Example],
        calibration: Sequence[Analyzed],
        method: Method = DEFAULT,
        select: bool = False,
    ) -> tuple[SuggestModel, Evaluation | None, float]:
        """Fit a model (optionally choosing the method by cross-validation first).

        Returns (model, evaluation if a selection ran, seconds). The model is installed."""
        t0 = time.perf_counter()
        cal = [(a.terms, a.context) for a in calibration]
        codes = self.code_terms()
        chosen: Evaluation | None = None
        if select:
            prep = Prepared.build(examples, codes, cal, self.vectors)
            if enough_for_selection(prep):
                chosen = select_method(prep)
                method = chosen.method
        model = fit(examples, cal, codes, method, vectors=self.vectors)
        with self.lock:
            self.model = model
            self._scorer = None
            self.ready = None
        return model, chosen, time.perf_counter() - t0

    def install(self, model: SuggestModel, ready: ReadyScorer | None = None) -> None:
        """Use a stored model (and the scorer stored with it, when its codes still match)."""
        if model.embedding is None and self.vectors is not None:
            model.embedding = self.vectors(model.vocab.terms())
        with self.lock:
            self.model = model
            self._scorer = None
            self.ready = ready

    # -- suggesting -----------------------------------------------------------------------
    def rows(self, passages: Sequence[Analyzed]) -> tuple[Rows, Rows]:
        assert self.model is not None
        vocab = self.model.vocab
        return (
            vectorize([p.terms.keys for p in passages], vocab),
            vectorize([p.context.keys if p.context else () for p in passages], vocab),
        )

    def score(self, passages: Sequence[Analyzed]) -> tuple[Scorer, Rows, np.ndarray]:
        scorer = self.scorer()
        text, ctx = self.rows(passages)
        phrases = [
            [scorer.column[k] for k, _s, _e in p.phrases if k in scorer.column] for p in passages
        ]
        unknown = None
        if scorer.emb is not None and self.vectors is not None and self.model is not None:
            docs = [p.terms.keys for p in passages]
            unknown = unknown_vectors(docs, self.model.vocab, self.vectors)
        return scorer, text, scorer.score(text, ctx, phrases, unknown)

    def suggest(
        self,
        passages: Sequence[Analyzed],
        top: int = 5,
        only_applying: bool = False,
        keep: Callable[[int], bool] | None = None,
    ) -> list[list[Scored]]:
        """Ranked suggestions for each passage (score > 0; `only_applying`: only codes the
        decision rule applies)."""
        if not passages:
            return []
        scorer, text, s = self.score(passages)
        decide = scorer.decide(s)
        z = scorer.zscores(s)
        terms = self.model.vocab.terms() if self.model is not None else []
        out: list[list[Scored]] = []
        for i, p in enumerate(passages):
            allowed = s[i] > 0
            if only_applying:
                allowed &= decide[i]
            cols = np.flatnonzero(allowed)
            if keep is not None:
                cols = cols[[keep(scorer.keys[int(j)]) for j in cols]] if len(cols) else cols
            cols = cols[np.argsort(-s[i, cols], kind="stable")][:top]
            first = first_spans(p.terms) if len(cols) else {}
            out.append(
                [
                    Scored(
                        scorer.keys[int(j)],
                        float(s[i, j]),
                        float(z[i, j]),
                        bool(decide[i, j]),
                        self.evidence(p, text, i, int(j), scorer, terms, first),
                    )
                    for j in cols
                ]
            )
        return out

    def candidates(
        self,
        parts: Sequence[tuple[int, int, Analyzed]],
        key: int | None,
        done: Sequence[tuple[int, int, int]],
    ) -> list[tuple[int, int, Scored]]:
        """Review mode: (start, end, suggestion) the decision rule applies, for one code (or
        any), leaving out spans already coded with it or where it was rejected (`done`:
        (code, start, end))."""
        ranked = self.suggest(
            [a for _s, _e, a in parts],
            top=len(self._codes) if key is not None else 3,
            only_applying=True,
            keep=(lambda k: k == key) if key is not None else None,
        )
        out = []
        for (start, end, _a), row in zip(parts, ranked, strict=True):
            for sc in row:
                if not any(k == sc.key and a < end and b > start for k, a, b in done):
                    out.append((start, end, sc))
        return out

    def evidence(
        self,
        p: Analyzed,
        text: Rows,
        i: int,
        column: int,
        scorer: Scorer,
        terms: Sequence[str],
        first: dict[str, tuple[int, int]] | None = None,
    ) -> tuple[str, ...]:
        key = scorer.keys[column]
        hits = [(s, e) for k, s, e in p.phrases if k == key]
        contrib = [t for t, _v in scorer.contributions(text, i, column)]
        return evidence(p.text, first if first is not None else p.terms, contrib, terms, hits)


Span = tuple[int, int, int]  # (source id, start, end)


def merge_spans(
    codings: Sequence[tuple[int, int, int, int]],
    decisions: Sequence[tuple[int, int, int, int | None, str]],
) -> dict[Span, tuple[set[int], set[int], bool]]:
    """Codings (source, start, end, code) and reject/seen decisions (source, start, end,
    code, decision) as one entry per span: (codes, rejected codes, read and left uncoded).
    A "seen" passage that overlaps any coding was not left uncoded, so it is not counted."""
    spans: dict[Span, tuple[set[int], set[int], bool]] = {}
    covered: dict[int, list[tuple[int, int]]] = {}
    for sid, a, b, k in codings:
        spans.setdefault((sid, a, b), (set(), set(), False))[0].add(k)
        covered.setdefault(sid, []).append((a, b))
    for sid, a, b, rk, what in decisions:
        if what == "reject" and rk is not None:
            spans.setdefault((sid, a, b), (set(), set(), False))[1].add(int(rk))
        elif what == "seen" and not any(x < b and y > a for x, y in covered.get(sid, ())):
            codes, rej, _ = spans.get((sid, a, b), (set(), set(), False))
            spans[(sid, a, b)] = (codes, rej, True)
    return spans


def examples_from(
    spans: dict[Span, tuple[set[int], set[int], bool]],
    analyzed: dict[Span, Analyzed],
    case_of: dict[int, int | None],
) -> tuple[list[Example], str]:
    """Training examples, grouped by participant when sources have them (else by source)."""
    by_case = any(case_of.get(sid) is not None for sid, _a, _b in spans)
    examples = []
    for (sid, a, b), (codes, rej, seen) in sorted(spans.items()):
        an = analyzed.get((sid, a, b))
        if an is None:
            continue
        case = case_of.get(sid)
        group = f"case:{case}" if by_case and case is not None else f"source:{sid}"
        examples.append(
            Example(an.terms, an.context, frozenset(codes), frozenset(rej), seen, group, an.headed)
        )
    return examples, "participant" if by_case else "source"


def report_of(ev: Evaluation, split: str, names: dict[int, str]) -> EvaluationReport:
    """An Evaluation as the service reports it (code names instead of keys)."""
    m, b = ev.metrics, ev.baseline
    return EvaluationReport(
        ev.method.name,
        split,
        ev.groups,
        ev.folds,
        m.passages,
        m.coded,
        Scores(m.recall_at_1, m.recall_at_3, m.precision_at_1, m.macro_f1, m.kappa),
        Scores(b.recall_at_1, b.recall_at_3, b.precision_at_1, b.macro_f1, b.kappa),
        tuple(
            CodeEvaluation(c.key, names[c.key], c.support, c.kappa, c.f1)
            for c in m.per_code
            if c.key in names
        ),
        ev.candidates,
        (m.predicted_per_passage, m.actual_per_passage),
        bool(ev.method.thresholds),
    )


def choice_json(ev: Evaluation, coded: int) -> str:
    """The project's chosen method, as stored in its settings."""
    return json.dumps({"method": json.loads(ev.method.to_json()), "coded": coded})


def parse_choice(raw: str) -> tuple[Method, int]:
    """(method, coded passages when it was chosen); the default when nothing (valid) is
    stored."""
    try:
        data = json.loads(raw)
        return Method.from_json(json.dumps(data["method"])), int(data.get("coded", 0))
    except (ValueError, KeyError, TypeError):
        return DEFAULT, 0


RELIABLE_KAPPA = 0.4  # below this per-code kappa (or unmeasured) a code is "not yet reliable"


def unreliable(ev: Evaluation, names: dict[int, str]) -> list[str]:
    """Codes whose decisions are not yet reliable on this coding, weakest first: measured
    with kappa below RELIABLE_KAPPA, or with too few coded passages to be measured."""
    measured = {c.key: c.kappa for c in ev.metrics.per_code}
    weak = sorted((k for k in measured if measured[k] < RELIABLE_KAPPA), key=measured.__getitem__)
    unmeasured = sorted((k for k in names if k not in measured), key=names.__getitem__)
    return [names[k] for k in [*weak, *unmeasured] if k in names]


def quality_json(ev: Evaluation, names: dict[int, str] | None = None) -> str:
    return json.dumps(
        {
            "recall_at_3": ev.metrics.recall_at_3,
            "kappa": ev.metrics.kappa,
            "n": ev.metrics.coded,
            "method": ev.method.name,
            "unreliable": unreliable(ev, names or {}),
        }
    )


def parse_quality(raw: str) -> Quality:
    """What the workspace's quality line shows: the measured figure and the codes not yet
    reliable."""
    try:
        data = json.loads(raw)
        r3, n = float(data["recall_at_3"]), int(data["n"])
        weak = tuple(str(x) for x in data.get("unreliable", []))
        return Quality(f"suggestions right {r3:.0%} in top 3 on your coding", r3, n, weak)
    except (ValueError, KeyError, TypeError):
        return Quality(
            "suggestions not yet measured on your coding (code passages in 3 or "
            "more interviews, then run 'coder suggest evaluate')",
            None,
            0,
        )
