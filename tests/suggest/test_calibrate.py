"""Calibrated decisions: per-code thresholds follow the researcher's rate of applying a code,
are measured without being fitted on the passages they score, travel with the method, and
"no code" stays an answer."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
from sklearn.metrics import cohen_kappa_score

from coder.suggest.calibrate import (
    CHANCE_ALONE,
    CHANCE_NEAR,
    GRID,
    MAX_PER_RATE,
    RATE_MIN_CODED,
    at_most,
    codes_per_passage,
    cross_fitted,
    decision_bars,
    fit_thresholds,
    kappa_grid,
)
from coder.suggest.evaluate import metrics
from coder.suggest.features import Vocabulary, vectorize
from coder.suggest.methods import Method
from coder.suggest.model import CodeTerms, Learned, Scorer


def _data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Code 0 is applied to 70% of passages, code 1 to 5%; z is informative for both."""
    rng = np.random.default_rng(seed)
    n = 400
    y = np.stack([rng.random(n) < 0.7, rng.random(n) < 0.05], axis=1)
    z = rng.normal(0.0, 1.0, (n, 2)).astype(np.float32) + 1.5 * y
    return y, z


def test_kappa_grid_matches_scikit_learn() -> None:
    y, z = _data()
    k = kappa_grid(y, z)
    for j in range(2):
        for g in (0, 6, 12):
            want = cohen_kappa_score(y[:, j], z[:, j] >= GRID[g])
            assert abs(k[j, g] - want) < 1e-6


def test_a_code_applied_often_gets_a_lower_threshold() -> None:
    y, z = _data()
    _base, t = fit_thresholds(y, z)
    assert t[0] < t[1]
    applied = (z >= t[None, :]).mean(0)
    assert abs(applied[0] - y[:, 0].mean()) < 0.2  # follows the researcher's rate
    assert applied[1] < 0.2


def test_cross_fitted_decisions_never_see_their_own_fold() -> None:
    y, z = _data()
    splits = [list(range(0, 200)), list(range(200, 400))]
    rule = np.zeros_like(y)
    first = cross_fitted(y, z, splits, rule)
    flipped = y.copy()
    flipped[:200] = ~flipped[:200]  # the first fold's gold changes ...
    second = cross_fitted(flipped, z, splits, rule)
    assert (first[:200] == second[:200]).all()  # ... its decisions do not
    assert not (first[200:] == second[200:]).all()


def _scorer(method: Method) -> Scorer:
    vocab = Vocabulary.build([["a"], ["b"], ["a", "b"], ["c"]])
    codes = [CodeTerms(1, ("a",), ()), CodeTerms(2, ("b",), ())]
    learned = Learned([], np.zeros((0, 3), np.float32), [], [], np.zeros((0, 3), np.float32),
                      [], np.zeros(3, np.float32))  # fmt: skip
    docs = [["a"], ["a"], ["b"], ["c"], ["a", "b"], ["c"]]
    pool = vectorize(docs, vocab)
    return Scorer(vocab, codes, learned, method, (pool, vectorize([[]] * 6, vocab)))


def test_thresholds_apply_a_second_code_and_no_code_is_an_answer() -> None:
    vocab_docs = [["a", "b"], ["c"]]
    cold = _scorer(Method(expand_weight=0.0))
    s = cold.score(vectorize(vocab_docs, cold.vocab))
    assert not cold.decide(s)[1].any()  # a passage with neither code's word: no code
    tuned = _scorer(Method(expand_weight=0.0, thresholds=((1, -5.0), (2, -5.0))))
    d = tuned.decide(s)
    assert d[0].all() and not d[1].any()  # both codes where both score; still none on "c"


def test_thresholds_survive_the_method_json() -> None:
    m = Method(thresholds=((3, 0.5), (7, 1.25)), base_threshold=1.0)
    back = Method.from_json(m.to_json())
    assert back == m and back.thresholds == ((3, 0.5), (7, 1.25))


def test_metrics_report_codes_per_passage() -> None:
    scores = np.array([[0.9, 0.1], [0.2, 0.8], [0.1, 0.1]], np.float32)
    decisions = np.array([[True, True], [False, True], [False, False]])
    gold = [frozenset({1}), frozenset({2}), frozenset()]
    m = metrics(scores, decisions, gold, [1, 2], min_support=1)
    assert m.predicted_per_passage == 1.0 and abs(m.actual_per_passage - 2 / 3) < 1e-9


def test_the_quality_line_names_codes_not_yet_reliable() -> None:
    from coder.suggest.evaluate import CodeScore, Evaluation, Metrics
    from coder.suggest.runtime import parse_quality, quality_json

    per = (CodeScore(1, 30, 0.8, 0.9), CodeScore(2, 12, 0.1, 0.2), CodeScore(3, 9, 0.3, 0.4))
    m = Metrics(0.5, 0.7, 0.5, 0.5, 0.4, 60, 50, per)
    ev = Evaluation(Method(), m, m, 5, 5)
    names = {1: "Strong", 2: "Weak", 3: "Middling", 4: "Rare"}
    from coder.tui.widgets.suggestions import quality_line

    q = parse_quality(quality_json(ev, names))
    assert q.unreliable == ("Weak", "Middling", "Rare")
    assert quality_line(q) == (
        "Suggestions right 70% in top 3 on your coding (50 coded passages). "
        "Not yet reliable: Weak, Middling, Rare."
    )
    assert parse_quality(quality_json(ev)).unreliable == ()


def _chance_scorer(codes: int, method: Method, coded: list[list[int]]) -> Scorer:
    """A scorer whose z-scores are its scores (average 0, spread 1) over `codes` codes, which
    learned from passages coded `coded`."""
    vocab = Vocabulary.build([["a"]])
    keys = list(range(codes))
    ones, zeros = np.ones(codes, np.float32), np.zeros(codes, np.float32)
    wt = np.zeros((len(vocab), codes), np.float32)
    learned = Learned([], np.zeros((0, 1), np.float32), [], [], np.zeros((0, 1), np.float32),
                      [], np.zeros(1, np.float32), nn_codes=coded)  # fmt: skip
    return Scorer.restore(vocab, method, keys, wt, zeros, ones, [], learned=learned)


def test_a_long_codebook_applies_no_more_codes_on_their_own_by_chance() -> None:
    """Scores that carry no information (normal noise): once the researcher's coding says
    how many codes a passage gets, the bar for a code on its own rises with the number of
    codes, so about CHANCE_ALONE of them per code applied clear it by chance, whatever the
    codebook's length (a fixed z >= 2 lets 1.5 of 64 codes through)."""
    rng = np.random.default_rng(0)
    alone_only = Method(rho=99.0)  # nothing is ever "near the best"
    one_each = [[1]] * RATE_MIN_CODED
    for codes in (64, 200):
        noise = rng.normal(0.0, 1.0, (4000, codes)).astype(np.float32)
        applied = float(_chance_scorer(codes, alone_only, one_each).decide(noise).sum(1).mean())
        assert applied <= CHANCE_ALONE + 0.05, codes
        before = float(_chance_scorer(codes, alone_only, []).decide(noise).sum(1).mean())
        assert before == float((noise >= 2.0).sum(1).mean()) > 1.0  # too few coded: z >= 2
    # many codes per passage (a survey) nearly keep the rule they had, a short codebook too
    alone, near = decision_bars(2.0, 76, 6.8)
    assert alone == 2.0 and 0.0 < near < 0.2
    alone, near = decision_bars(2.0, 16, 1.0)
    assert alone < 2.1 and near < 0.5
    alone, near = decision_bars(2.0, 57, 1.2)
    assert alone > 2.0 and near > 0.0
    assert decision_bars(99.0, 57, 1.2)[0] == 99.0  # "relative": never on its own
    assert codes_per_passage([[1, 2]] * RATE_MIN_CODED) == 2.0
    assert codes_per_passage([[1, 2]] * (RATE_MIN_CODED - 1)) is None


def test_a_passage_gets_at_most_a_few_times_the_codes_the_researcher_applies() -> None:
    """Scores that sit close together on one passage (every code "near the best" and above
    its bars) no longer apply the whole codebook: a researcher who applies one code per
    passage gets at most ceil(MAX_PER_RATE) of them, the best-scoring first; another passage
    is decided as before, and before the rate is known nothing is capped."""
    codes = 20
    s = np.tile(np.linspace(3.0, 2.5, codes, dtype=np.float32), (2, 1))
    s[1] = -1.0
    s[1, 7] = 3.0  # one code clearly on its own
    one_each = [[1]] * RATE_MIN_CODED
    d = _chance_scorer(codes, Method(), one_each).decide(s)
    limit = math.ceil(MAX_PER_RATE * 1.0)
    assert limit < codes
    assert d[0].tolist() == [j < limit for j in range(codes)]  # the best `limit`, in order
    assert d[1].tolist() == [j == 7 for j in range(codes)]
    assert at_most(None) is None and at_most(6.8) == math.ceil(MAX_PER_RATE * 6.8)
    unknown = _chance_scorer(codes, Method(), []).decide(s)
    assert unknown[0].all()  # too few coded passages to know the rate: no cap


def test_near_the_best_lets_chance_near_codes_per_code_applied_through() -> None:
    """With 57 codes and 1.2 codes applied per passage, the bar for a code near the best is
    the z-score that CHANCE_NEAR (5) x 1.2 of 57 noise codes clear."""
    _alone, near = decision_bars(2.0, 57, 1.2)
    assert CHANCE_NEAR == 5.0
    assert abs(57 * (1.0 - NormalDist().cdf(near)) - 6.0) < 1e-6


def test_calibration_that_moves_away_from_the_researchers_rate_is_not_kept() -> None:
    """Thresholds that buy out-of-fold kappa by applying more codes per passage than the
    researcher does are refused; ones that move towards the researcher's rate are kept."""
    from coder.suggest.evaluate import Metrics, keeps_rate

    def measured(kappa: float, predicted: float, actual: float) -> Metrics:
        return Metrics(0.5, 0.7, 0.5, 0.5, kappa, 60, 50, (), predicted, actual)

    rule = measured(0.52, 2.1, 2.0)
    assert not keeps_rate(measured(0.55, 3.3, 2.0), rule)  # two codes a passage: too many
    assert keeps_rate(measured(0.55, 1.95, 2.0), rule)
    survey = measured(0.30, 5.0, 6.9)
    assert keeps_rate(measured(0.34, 6.2, 6.9), survey)  # many codes a passage: towards
