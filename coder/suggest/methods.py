"""The candidate scoring methods; a project keeps the one its own coding measures best."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Method:
    """One candidate way of scoring (the per-project choice is among these)."""

    name: str = "fused"
    prior_weight: float = 0.5
    context_weight: float = 0.3
    z: float = 2.0
    rho: float = 0.8
    reject_weight: float = 0.5
    seen_weight: float = 0.2
    exclusion_weight: float = 0.5
    phrase_boost: float = 0.0
    keep_terms: int = 500
    expand_weight: float = 0.15
    expand_share: float = 0.016
    # Learned on the researcher's coding by cross-validation (coder.suggest.calibrate): a
    # z-score threshold per code (code id, threshold), and one for codes without their own.
    # Empty: the cold-start rule decides.
    thresholds: tuple[tuple[int, float], ...] = ()
    base_threshold: float = 2.0
    # The context prior (coder.suggest.context): how much the passage's context (the question
    # before it) counts towards a code whose coded passages had similar contexts
    # (`context_prior`; 0 turns it off), or whose codebook group asks that question
    # (`question_prior`: on by default, as it only acts where the codebook has group
    # questions). Both fade as the code's examples grow: weight * context_fade /
    # (context_fade + examples).
    context_prior: float = 0.0
    question_prior: float = 0.3
    context_fade: float = 20.0
    # The neighbours' vote (coder.suggest.neighbours): the `knn_k` most similar coded
    # passages vote for codes with at least `knn_min` examples, added at `knn_weight`.
    knn_weight: float = 0.0
    knn_k: int = 10
    knn_min: int = 8
    # Word vectors (coder.suggest.vectors): only act when the pipeline has a vectors table.
    vector_weight: float = 0.3

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Method:
        raw = json.loads(text)
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        if "thresholds" in known:
            known["thresholds"] = tuple((int(k), float(t)) for k, t in known["thresholds"])
        return cls(**known)


DEFAULT = Method()
CANDIDATES: tuple[Method, ...] = (
    DEFAULT,
    Method(name="codebook-led", prior_weight=0.65),
    Method(name="coding-led", prior_weight=0.35),
    Method(name="no-context", context_weight=0.0),
    Method(name="fused-loose", z=1.5),
    Method(name="coding-led-loose", prior_weight=0.35, z=1.5),
    Method(name="relative", z=99.0),
    Method(name="coding-led-relative", prior_weight=0.35, z=99.0),
    Method(name="unexpanded", expand_weight=0.0),
    Method(name="context-prior", context_prior=0.3),
    Method(name="context-led", context_prior=0.5, context_fade=1e6),
    Method(name="neighbours", knn_weight=0.15),
    Method(name="context-neighbours", context_prior=0.3, knn_weight=0.15),
    # Many codes per passage (a survey): the neighbours' vote without the question mixed in
    # measured +0.01 to +0.02 kappa and +0.03 recall@3 over no-context on the Shuffle study.
    Method(name="no-context-neighbours", context_weight=0.0, knn_weight=0.15),
    Method(name="no-vectors", vector_weight=0.0),
)
