"""What the suggestion service hands out: frozen dataclasses, safe across threads.

They live here, beside the suggester, rather than in coder.vocab.dto because only the
suggestion service makes them; coder.services.suggestions.scoring re-exports every one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One code suggested for a passage, with the passage's words that made it score."""

    code_id: int
    guid: str
    code_name: str
    color: str
    score: float
    evidence: tuple[str, ...]
    applies: bool = True  # the decision rule (review mode's) would apply it here


@dataclass(frozen=True, slots=True)
class TrainReport:
    method: str
    examples: int
    coded: int
    codes_learned: int
    rejected: int
    seen: int
    seconds: float
    selected: bool


@dataclass(frozen=True, slots=True)
class Quality:
    """How often the suggestions were right on the researcher's own coding."""

    text: str
    recall_at_3: float | None
    n: int
    unreliable: tuple[str, ...] = ()  # codes not yet reliable on this coding, weakest first
    vectors: str = ""  # the spaCy pipeline whose word vectors are used ("" when none)


@dataclass(frozen=True, slots=True)
class ReviewCandidate:
    """A passage the suggester would code, for the researcher to confirm or reject."""

    source_id: int
    source_name: str
    start: int
    end: int
    text: str
    suggestion: Suggestion
    z: float


@dataclass(frozen=True, slots=True)
class CodeEvaluation:
    code_id: int
    code_name: str
    support: int
    kappa: float
    f1: float


@dataclass(frozen=True, slots=True)
class Scores:
    recall_at_1: float
    recall_at_3: float
    precision_at_1: float
    macro_f1: float
    kappa: float


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    method: str
    split_by: str  # participant | source
    groups: int
    folds: int
    passages: int
    coded: int
    scores: Scores
    baseline: Scores
    per_code: tuple[CodeEvaluation, ...]
    candidates: tuple[tuple[str, float, float], ...]  # (method, kappa, recall@3)
    codes_per_passage: tuple[float, float] = (0.0, 0.0)  # (predicted, actual)
    calibrated: bool = False  # decisions use per-code thresholds learned on this coding


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """The stored model, for a status line."""

    trained: bool
    method: str
    coded: int
    examples: int
    updated_at: datetime | None
    stale: bool
