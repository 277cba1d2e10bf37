"""A code's codebook text as weighted lemma terms: the prior side of the suggestion model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from coder.suggest.components import Terms


@dataclass(frozen=True, slots=True)
class CodeText:
    """What the codebook says about one code (key: the code id)."""

    key: int
    name: str
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    # The question of the code's group in the codebook (a parent theme whose description, or
    # name, is a question): what passages of this code are answers to. "" when there is none.
    question: str = ""

    def phrases(self) -> list[str]:
        return [self.name, *self.keywords]


@dataclass(frozen=True, slots=True)
class CodeTerms:
    """A code's codebook text reduced to terms: the prior side and the exclusion side."""

    key: int
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    question: tuple[str, ...] = ()  # terms of the code's group question (CodeText.question)


# How many times a code's name / each keyword counts in its prior. Term frequency is sublinear
# (1 + ln n), so the name's words weigh about 8 times a word of the definition and keywords
# about 5 times: on the Scrum study, most codes are a name and little else, and the name is
# what a researcher codes by (first-cycle recall@3 +0.03, pattern +0.03, against the 3 / 2
# repeats used before; benchmarks/suggest_scrum.py).
NAME_REPEAT = 1000
KEYWORD_REPEAT = 50


def code_terms(
    code: CodeText,
    featurize: Featurize,
    name_repeat: int = NAME_REPEAT,
    keyword_repeat: int = KEYWORD_REPEAT,
) -> CodeTerms:
    """Weighted terms of a code's definition (repetition is the weight: NAME_REPEAT,
    KEYWORD_REPEAT; 1 and 1 make every word of the codebook count alike)."""
    named = [(code.name, name_repeat)] + [(k, keyword_repeat) for k in code.keywords]
    named = [(x, n) for x, n in named if x.strip()]
    inc: list[str] = []
    for t, (_x, n) in zip(featurize([x for x, _n in named]), named, strict=True):
        inc.extend(t.keys * n)
    for t in featurize(
        [x for x in (code.description, code.inclusion, *code.examples) if x.strip()]
    ):
        inc.extend(t.keys)
    exc: list[str] = []
    if code.exclusion.strip():
        for t in featurize([code.exclusion]):
            exc.extend(t.keys)
    question: tuple[str, ...] = ()
    if code.question.strip():
        question = tuple(featurize([code.question])[0].keys)
    return CodeTerms(code.key, tuple(inc), tuple(exc), question)


def group_question(description: str, name: str) -> str:
    """The question a codebook group stands for: its description when that is a question,
    else its name when that is one (a theme named after a survey question), else ""."""
    for text in (description, name):
        if text.strip().endswith("?"):
            return text.strip()
    return ""


class Featurize(Protocol):
    """Anything that turns texts into Terms (coder.suggest.pipeline.Pipeline.terms)."""

    def __call__(self, texts: Sequence[str]) -> list[Terms]: ...
