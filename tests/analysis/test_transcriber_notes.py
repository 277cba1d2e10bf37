"""Transcribers' notes ("(laughs)", "[crosstalk]", "[Label H]") are not what a participant said:
word frequency leaves their words out, wherever a long text is cut into pieces, and a quote
drops the non-verbal ones but keeps an editor's brackets."""

from __future__ import annotations

import pytest

from coder.export.exemplars import trim_quote
from coder.services.analysis.lemma_blob import build, read_counts
from coder.services.analysis.word_counts import word_table
from coder.services.project.store import Project
from coder.suggest.lemmas import lemmatize
from tests.team.helpers import add_source

TEXT = (
    "We post every day (laughs) and [crosstalk] the fans reply [inaudible 00:12:03] at once.\n"
    "[Label H] sells vinyl. (both laugh) Social media is the feed we watch a bit (long pause)\n"
    "and the data says so. [An open bracket never closed goes on and on about records and"
    " tours and merchandise, far longer than any note a transcriber writes down here.\n"
    "Chuckles (chuckles) coughs.\n"
)


def _counted(text: str) -> set[str]:
    lem = lemmatize([text])
    return {lem.vocab[int(v)] for v in lem.lemma}


def test_the_words_of_notes_are_not_counted() -> None:
    words = _counted(TEXT)
    assert {"laugh", "crosstalk", "inaudible", "label", "pause"}.isdisjoint(words)
    # the open bracket is no note: its words are the participant's
    assert {"post", "fan", "reply", "sell", "vinyl", "record", "tour", "merchandise"} <= words
    # a note's word said outside brackets is a word like any other
    assert {"chuckle", "cough"} <= words


def test_nouns_the_lookup_table_would_turn_into_other_words_keep_their_form() -> None:
    words = _counted(TEXT)
    assert {"media", "feed", "bit", "data"} <= words
    assert {"medium", "fee", "bite", "datum"}.isdisjoint(words)


@pytest.mark.parametrize("size", [1, 7, 20, 33, 64, 90, 150])
def test_a_note_cut_by_a_piece_end_is_still_a_note(size: int) -> None:
    turns = [(0, len(TEXT), False)]
    whole, n = build(TEXT, turns, piece_chars=1 << 20)
    cut, m = build(TEXT, turns, piece_chars=size)
    assert cut == whole and m == n
    assert "laugh" not in read_counts(whole).words


def test_word_frequency_leaves_notes_out(sqlite_project: Project) -> None:
    add_source(sqlite_project, TEXT * 3, "p01")
    words = {w.word: w.total for w in word_table(sqlite_project, top=200).words}
    assert words["fan"] == 3 and words["media"] == 3
    assert not {"laugh", "crosstalk", "inaudible", "label", "medium"} & words.keys()


def test_a_quote_drops_non_verbal_notes_and_keeps_the_editors_brackets() -> None:
    quote = "[Label H] sells vinyl (chuckles) and [crosstalk] the fans reply [inaudible]."
    assert trim_quote(quote, 40) == "[Label H] sells vinyl and the fans reply."
