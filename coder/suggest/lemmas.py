"""Every word of a set of texts with its lemma, for word frequency and keyword-in-context.

This reuses the one offline pipeline of coder.suggest.nlp (its regex word splitter and its
lookup lemmatizer table) and coder_terms' stop words, so word counts and suggestions agree on
what a word and a stop word are. It returns flat arrays so coder.analysis.words counts them
without spaCy; callers cache the result (lemmas change only when the texts do).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from coder.suggest.components import _stop_words
from coder.suggest.nlp import WORD, lemma


@dataclass(frozen=True)
class Lemmatized:
    """Flat token arrays (text index, start, end, lemma id), the lemma vocabulary, and for
    each lemma whether it is a content word (not a stop word, two letters or more)."""

    vocab: tuple[str, ...]
    content: npt.NDArray[np.bool_]
    text: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    lemma: npt.NDArray[np.int64]


_NEGATED = {"ca": "can", "wo": "will", "sha": "shall", "ai": "be"}


def _base(word: str) -> str:
    """The word without a clitic: the regex word splitter keeps "it's", "don't" and "label's"
    whole, where spaCy's tokenizer would split off "'s" and "n't"; counting "it" (a stop
    word) and "label" is what a researcher expects."""
    low = word.lower().replace("’", "'")
    if "'" not in low:
        return word
    if low.endswith("n't") and len(low) > 3:
        stem = low[:-3]  # don't -> do, can't -> can, won't -> will
        return _NEGATED.get(stem, stem)
    return low.split("'", 1)[0] or low


def content_words(
    vocab: Sequence[str], stops: frozenset[str] | None = None
) -> npt.NDArray[np.bool_]:
    """For each lemma, whether it counts as a content word: not a stop word, two letters or
    more, at least one of them a letter."""
    stops = _stop_words() if stops is None else stops
    return np.array(
        [len(v) >= 2 and v not in stops and any(c.isalpha() for c in v) for v in vocab],
        dtype=bool,
    )


def lemmatize(texts: Sequence[str]) -> Lemmatized:
    """The words of `texts` (in order) with their lemmas."""
    stops = _stop_words()
    ids: dict[str, int] = {}
    forms: dict[str, int] = {}
    # machine integers, not lists of int objects: a 20 MB transcript has millions of words,
    # and lists would hold about 36 bytes per number where these hold 8
    text_i, starts, ends, lemmas = (array("q") for _ in range(4))
    for i, text in enumerate(texts):
        for m in WORD.finditer(text):
            w = m.group()
            v = forms.get(w)
            if v is None:
                lem = lemma(_base(w))
                v = ids.setdefault(lem, len(ids))
                forms[w] = v
            text_i.append(i)
            starts.append(m.start())
            ends.append(m.end())
            lemmas.append(v)
    vocab = tuple(ids)
    return Lemmatized(
        vocab,
        content_words(vocab, stops),
        np.frombuffer(text_i, dtype=np.int64),
        np.frombuffer(starts, dtype=np.int64),
        np.frombuffer(ends, dtype=np.int64),
        np.frombuffer(lemmas, dtype=np.int64),
    )
