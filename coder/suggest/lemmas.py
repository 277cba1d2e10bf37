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
from coder.vocab.notes import NOTE, NOTE_SPAN


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

_OWN_LEMMA = frozenset({"media", "data", "bit", "feed", "politics", "physics", "graphics"})
"""Words that interviews use as nouns and that the lookup table, which does not see the
sentence, turns into another word ("social media" into "medium", "a bit" into "bite", "the
feed" into "fee"): word frequency counts them as they are."""


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


def _lemma(word: str) -> str:
    """The lemma word frequency counts `word` under."""
    base = _base(word)
    low = base.lower()
    return low if low in _OWN_LEMMA else lemma(base)


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


class Lemmatizer:
    """Words to lemma ids, numbered in the order the lemmas are first met, kept across calls
    so that a text lemmatised piece by piece (coder.vocab.pieces) gets the same ids as when
    lemmatised whole."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self._forms: dict[str, int] = {}
        self._note_end = 0  # where a note that ran past the last piece ends

    def scan(
        self, text: str, starts: array[int], ends: array[int], lemmas: array[int], pos: int = 0,
        endpos: int | None = None,
    ) -> int:  # fmt: skip
        """Append the start, end and lemma id of every word of `text[pos:endpos]` to the three
        arrays (offsets into the whole text); returns how many words there were. Words inside
        a transcriber's note (coder.vocab.notes) are not the participant's and are passed
        over; pieces of one text go in order from `pos` 0, so a note that runs on past a
        piece's end is remembered for the next."""
        ids, forms = self.ids, self._forms
        add_start, add_end, add_lemma = starts.append, ends.append, lemmas.append
        before = len(starts)
        end = len(text) if endpos is None else endpos
        for a, b in self._spoken(text, pos, end):
            for m in WORD.finditer(text, a, b):
                w = m.group()
                v = forms.get(w)
                if v is None:
                    v = ids.setdefault(_lemma(w), len(ids))
                    forms[w] = v
                add_start(m.start())
                add_end(m.end())
                add_lemma(v)
        return len(starts) - before

    def _spoken(self, text: str, pos: int, end: int) -> list[tuple[int, int]]:
        """The stretches of `text[pos:end]` between transcribers' notes."""
        start = max(pos, self._note_end) if pos else 0
        stretches = []
        for m in NOTE.finditer(text, start, min(len(text), end + NOTE_SPAN)):
            if m.start() >= end:
                break
            stretches.append((start, m.start()))
            start = m.end()
        self._note_end = start if start > end else 0
        stretches.append((start, end))
        return stretches


def lemmatize(texts: Sequence[str]) -> Lemmatized:
    """The words of `texts` (in order) with their lemmas."""
    stops = _stop_words()
    lz = Lemmatizer()
    # machine integers, not lists of int objects: a 20 MB transcript has millions of words,
    # and lists would hold about 36 bytes per number where these hold 8
    starts, ends, lemmas = (array("q") for _ in range(3))
    counts = [lz.scan(text, starts, ends, lemmas) for text in texts]
    vocab = tuple(lz.ids)
    return Lemmatized(
        vocab,
        content_words(vocab, stops),
        np.repeat(np.arange(len(counts), dtype=np.int64), counts),
        np.frombuffer(starts, dtype=np.int64),
        np.frombuffer(ends, dtype=np.int64),
        np.frombuffer(lemmas, dtype=np.int64),
    )
