"""Agreement statistics checked against scikit-learn and the `krippendorff` package.

A slow but obvious reference builds every coder's yes/no vector unit by unit (character by
character at character level), and the reference packages compute κ and α from those vectors;
the vectorised engine must give the same counts and the same figures.
"""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from coder.analysis.agreement import columns, compare
from coder.analysis.agreement_model import AgreementResult, CodeInput, SourceInput
from coder.analysis.records import CodingRec as CodingInput
from coder.analysis.segments import paragraphs, sentences
from coder.errors import UserError

TEXT_1 = "We started early. Did it help? Yes!\nThe second line is here.\n\nA last paragraph."
TEXT_2 = "Short one. Another short one.\nAnd a third sentence here."
SOURCES = [
    SourceInput(1, "one", TEXT_1, turns=((0, 36), (36, 60), (62, len(TEXT_1)))),
    SourceInput(2, "two", TEXT_2),
]
CODES = [
    CodeInput(10, "Bonding", "g-10"),
    CodeInput(11, "Reacting", "g-11"),
    CodeInput(12, "Unused", "g-12"),
]


def _units(src: SourceInput, unit: str) -> list[tuple[int, int]]:
    if unit == "char":
        return [(i, i + 1) for i in range(len(src.text))]
    if unit == "sentence":
        return [tuple(b) for b in sentences(src.text).tolist()]  # type: ignore[misc]
    if unit == "paragraph":
        return [tuple(b) for b in paragraphs(src.text).tolist()]  # type: ignore[misc]
    if unit == "turn":
        return list(src.turns) or [tuple(b) for b in paragraphs(src.text).tolist()]  # type: ignore[misc]
    return [(0, len(src.text))]


def naive(
    sources: list[SourceInput],
    code: int,
    codings: list[CodingInput],
    coders: list[str],
    unit: str,
    skip: bool,
) -> list[list[int]]:
    """One 0/1 vector per coder over the units that count, for one code, built by loops."""
    rows: list[list[int]] = [[] for _ in coders]

    def hit(c: CodingInput, src: SourceInput, s: int, e: int) -> bool:
        return c.source == src.id and c.coder in coders and c.start < e and c.end > s

    for src in sources:
        for s, e in _units(src, unit):
            if skip and not any(hit(c, src, s, e) for c in codings):
                continue
            for i, who in enumerate(coders):
                rows[i].append(
                    int(
                        any(
                            hit(c, src, s, e) and c.code == code and c.coder == who for c in codings
                        )
                    )
                )
    return rows


def check_against_reference(
    result: AgreementResult, codings: list[CodingInput], sources: list[SourceInput], skip: bool
) -> None:
    coders = list(result.coders)
    for entry in result.codes:
        a, b = naive(sources, entry.code_id, codings, coders, result.unit, skip)[:2]
        f = entry.figures
        both = sum(x and y for x, y in zip(a, b, strict=True))
        assert (f.units, f.both) == (len(a), both)
        assert f.only_a == sum(a) - both and f.only_b == sum(b) - both
        assert f.neither == len(a) - sum(a) - sum(b) + both
        if len(set(a) | set(b)) < 2:
            assert f.kappa is None and f.alpha is None and f.reason
            continue
        assert f.kappa == pytest.approx(cohen_kappa_score(a, b))
        assert f.alpha == pytest.approx(
            krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal")
        )


CODINGS = [
    CodingInput(1, 0, 17, 10, "ann"),  # first sentence
    CodingInput(1, 3, 29, 10, "ben"),  # partial overlap, reaches the second sentence
    CodingInput(1, 18, 29, 10, "ann"),  # adjacent to ann's first span
    CodingInput(1, 36, 60, 11, "ann"),
    CodingInput(1, 40, 50, 11, "ben"),
    CodingInput(1, 62, 79, 11, "ben"),  # only ben used Reacting here
    CodingInput(2, 0, 10, 10, "ann"),
    CodingInput(2, 30, 56, 10, "ben"),
    CodingInput(2, 11, 29, 11, "cat"),  # a third coder, ignored with two
]


@pytest.mark.parametrize("unit", ["char", "sentence", "turn", "paragraph", "source"])
@pytest.mark.parametrize("uncoded", ["count", "skip"])
def test_two_coders_match_sklearn_and_krippendorff(unit: str, uncoded: str) -> None:
    result = compare(
        SOURCES,
        CODES,
        CODINGS,
        ["ann", "ben"],
        unit=unit,  # type: ignore[arg-type]
        uncoded=uncoded,
    )  # type: ignore[arg-type]
    check_against_reference(result, CODINGS, SOURCES, uncoded == "skip")


def test_defaults_say_how_uncoded_text_counts() -> None:
    assert compare(SOURCES, CODES, CODINGS, ["ann", "ben"], unit="char").uncoded == "count"
    sent = compare(SOURCES, CODES, CODINGS, ["ann", "ben"], unit="sentence")
    assert sent.uncoded == "skip"
    # Sentences nobody coded ("Another short one." in source two) are left out.
    assert sent.units_compared < sum(len(sentences(s.text)) for s in SOURCES)


def test_char_level_counts_uncoded_text_as_nvivo_does() -> None:
    src = [SourceInput(1, "s", "x" * 100)]
    codings = [CodingInput(1, 0, 10, 10, "a"), CodingInput(1, 5, 15, 10, "b")]
    f = compare(src, CODES[:1], codings, ["a", "b"]).codes[0].figures
    assert (f.units, f.both, f.only_a, f.only_b, f.neither) == (100, 5, 5, 5, 85)
    assert f.percent == pytest.approx(90.0)
    skipped = compare(src, CODES[:1], codings, ["a", "b"], uncoded="skip").codes[0].figures
    assert (skipped.units, skipped.neither) == (15, 0)


def test_overlapping_spans_of_one_coder_count_once() -> None:
    src = [SourceInput(1, "s", "y" * 50)]
    codings = [
        CodingInput(1, 0, 30, 10, "a"),
        CodingInput(1, 10, 40, 10, "a"),
        CodingInput(1, 40, 45, 10, "a"),
        CodingInput(1, 20, 45, 10, "b"),
    ]
    f = compare(src, CODES[:1], codings, ["a", "b"]).codes[0].figures
    assert (f.both, f.only_a, f.only_b, f.neither) == (25, 20, 0, 5)


def test_degenerate_cases_are_said_plainly() -> None:
    src = [SourceInput(1, "s", "One. Two. Three.")]
    always = [CodingInput(1, 0, 16, 10, who) for who in ("a", "b")]
    result = compare(src, CODES, always, ["a", "b"], unit="sentence")
    bonding, reacting, _ = result.codes
    assert bonding.figures.kappa is None and bonding.figures.alpha is None
    assert "both coders applied this code to every unit" in (bonding.figures.reason or "")
    assert bonding.figures.percent == 100.0
    assert reacting.figures.kappa is None and reacting.figures.alpha is None
    assert "neither coder applied this code" in (reacting.figures.reason or "")
    assert result.to_json()["codes"][1]["kappa"] is None
    # No double-coded source at all: no units, no figure.
    alone = compare(src, CODES, always[:1], ["a", "b"])
    assert alone.overall.units == 0 and alone.overall.percent is None
    assert alone.overall.reason == "no units to compare"


def test_json_has_the_fixed_keys() -> None:
    data = compare(SOURCES, CODES, CODINGS, ["ann", "ben"], unit="sentence").to_json()
    assert {"unit", "coders", "overall", "codes"} <= data.keys()
    assert data["unit"] == "sentence" and data["coders"] == ["ann", "ben"]
    keys = {
        "code",
        "guid",
        "units",
        "both",
        "only_a",
        "only_b",
        "neither",
        "percent",
        "kappa",
        "alpha",
    }
    for entry in data["codes"]:
        assert keys <= entry.keys()
    assert [e["code"] for e in data["codes"]] == ["Bonding", "Reacting", "Unused"]
    assert data["codes"][0]["guid"] == "g-10"


def test_only_double_coded_sources_are_compared_unless_asked() -> None:
    codings = [*CODINGS, CodingInput(3, 0, 4, 10, "ann")]
    sources = [*SOURCES, SourceInput(3, "three", "only ann coded this")]
    result = compare(sources, CODES, codings, ["ann", "ben"])
    assert result.sources_compared == 2 and result.sources_total == 3
    assert [s.source for s in result.sources] == ["one", "two"]
    assert result.double_coded_share == pytest.approx(
        (len(TEXT_1) + len(TEXT_2)) / (len(TEXT_1) + len(TEXT_2) + 19)
    )
    every = compare(sources, CODES, codings, ["ann", "ben"], all_sources=True)
    assert every.sources_compared == 3
    assert every.codes[0].figures.only_a == result.codes[0].figures.only_a + 4


def test_per_source_and_overall_pool_every_code() -> None:
    result = compare(SOURCES, CODES, CODINGS, ["ann", "ben"], unit="sentence")
    for field in ("units", "both", "only_a", "only_b", "neither"):
        by_code = sum(getattr(c.figures, field) for c in result.codes)
        by_source = sum(getattr(s.figures, field) for s in result.sources)
        assert getattr(result.overall, field) == by_code == by_source
    pooled: list[list[int]] = [[], []]
    for code in CODES:
        a, b = naive(SOURCES, code.id, CODINGS, ["ann", "ben"], "sentence", True)
        pooled[0] += a
        pooled[1] += b
    assert result.overall.kappa == pytest.approx(cohen_kappa_score(*pooled))
    assert result.overall.alpha == pytest.approx(
        krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal")
    )


def fleiss_by_hand(rows: list[list[int]]) -> float:
    """Fleiss' κ from the textbook formulas, unit by unit."""
    m, n = len(rows), len(rows[0])
    yes = [sum(r[u] for r in rows) for u in range(n)]
    p_units = [(k * k + (m - k) ** 2 - m) / (m * (m - 1)) for k in yes]
    p_yes = sum(yes) / (n * m)
    pe = p_yes**2 + (1 - p_yes) ** 2
    return (sum(p_units) / n - pe) / (1 - pe)


@pytest.mark.parametrize("unit", ["char", "sentence", "paragraph"])
def test_three_coders_use_fleiss_and_alpha(unit: str) -> None:
    coders = ["ann", "ben", "cat"]
    codings = [
        *CODINGS,
        CodingInput(1, 0, 20, 10, "cat"),
        CodingInput(1, 40, 70, 11, "cat"),
        CodingInput(2, 0, 40, 10, "cat"),
    ]
    result = compare(SOURCES, CODES, codings, coders, unit=unit)  # type: ignore[arg-type]
    assert result.kappa_method == "Fleiss"
    for entry in result.codes[:2]:
        rows = naive(SOURCES, entry.code_id, codings, coders, unit, unit != "char")
        f = entry.figures
        assert f.only_a is None and f.units == len(rows[0])
        assert f.both == sum(all(r[u] for r in rows) for u in range(f.units))
        assert f.kappa == pytest.approx(fleiss_by_hand(rows))
        assert f.alpha == pytest.approx(
            krippendorff.alpha(reliability_data=rows, level_of_measurement="nominal")
        )
    assert result.codes[2].figures.reason and "no coder applied" in result.codes[2].figures.reason


def test_bad_requests_are_user_errors() -> None:
    with pytest.raises(UserError, match="two different coders"):
        compare(SOURCES, CODES, CODINGS, ["ann", "ann"])
    with pytest.raises(UserError, match="unknown unit"):
        compare(SOURCES, CODES, CODINGS, ["ann", "ben"], unit="word")  # type: ignore[arg-type]


def test_codings_outside_the_text_are_clipped_and_unknown_ids_ignored() -> None:
    src = [SourceInput(1, "s", "z" * 20)]
    codings = [
        CodingInput(1, 15, 90, 10, "a"),
        CodingInput(1, -5, 18, 10, "b"),
        CodingInput(9, 0, 5, 10, "a"),
        CodingInput(1, 0, 5, 99, "a"),
    ]
    f = compare(src, CODES[:1], codings, ["a", "b"]).codes[0].figures
    assert (f.units, f.both, f.only_a, f.only_b, f.neither) == (20, 3, 2, 15, 0)


def test_sentence_and_paragraph_rules() -> None:
    text = "  Hello there. \u201cQuoted!\u201d Then...\nNo stop here  \n\n   \nLast?"
    cut = [text[s:e] for s, e in sentences(text).tolist()]
    assert cut == ["Hello there.", "\u201cQuoted!\u201d", "Then...", "No stop here", "Last?"]
    lines = [text[s:e] for s, e in paragraphs(text).tolist()]
    assert lines == ["Hello there. \u201cQuoted!\u201d Then...", "No stop here", "Last?"]


@pytest.mark.parametrize("seed", range(12))
def test_random_spans_match_the_naive_count(seed: int) -> None:
    rng = random.Random(seed)
    words = ["alpha", "beta.", "gamma!", "delta", "\n", "eps?", "zeta"]
    sources = []
    for sid in range(1, 4):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(5, 40)))
        turns = sorted({rng.randrange(len(text) + 1) for _ in range(4)} | {0, len(text)})
        sources.append(
            SourceInput(sid, f"s{sid}", text, turns=tuple(zip(turns, turns[1:], strict=False)))
        )
    coders = ["a", "b", "c"][: rng.choice([2, 3])]
    codings = []
    for _ in range(rng.randint(1, 40)):
        src = rng.choice(sources)
        s = rng.randrange(len(src.text))
        e = min(len(src.text), s + rng.randint(1, 25))
        codings.append(CodingInput(src.id, s, e, rng.choice([10, 11, 12]), rng.choice(coders)))
    unit = rng.choice(["char", "sentence", "turn", "paragraph", "source"])
    skip = rng.random() < 0.5
    result = compare(
        sources,
        CODES,
        columns(codings),
        coders,
        unit=unit,  # type: ignore[arg-type]
        uncoded="skip" if skip else "count",
        all_sources=True,
    )
    for entry in result.codes:
        rows = np.array(naive(sources, entry.code_id, codings, coders, unit, skip))
        f = entry.figures
        assert f.units == rows.shape[1]
        assert f.both == int(rows.all(axis=0).sum())
        assert f.neither == int((~rows.any(axis=0)).sum())
        if len(coders) == 2:
            assert f.only_a == int((rows[0] & ~rows[1]).sum())
            assert f.only_b == int((rows[1] & ~rows[0]).sum())
        if f.alpha is not None:
            assert f.alpha == pytest.approx(
                krippendorff.alpha(reliability_data=rows, level_of_measurement="nominal")
            )
        else:
            assert f.reason and (f.units == 0 or len(np.unique(rows)) == 1)
