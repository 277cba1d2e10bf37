"""Word frequency and keyword-in-context on lemmas from the project's offline pipeline."""

from __future__ import annotations

from collections import Counter

import pytest

from coder.analysis.records import CodeRec, CodingRec, Corpus, SourceRec, TurnRec
from coder.analysis.words import Tokens, kwic, passages_at, word_frequency
from coder.errors import UserError
from coder.suggest.lemmas import lemmatize
from coder.suggest.nlp import lemma

Q1 = "Interviewer: What do you do with the songs?\n"
A1 = "Ann: The songs were playing, and I was writing songs about labels.\n"
Q2 = "Interviewer: And the label?\n"
A2 = "Ben: Labels sign bands. Bands play songs; the label pays the bands.\n"


def build() -> tuple[Corpus, Tokens]:
    texts = [Q1 + A1, Q2 + A2]
    sources = [
        SourceRec(1, "ann", texts[0], "Ann", None, {"Genre(s)": "Rock"}),
        SourceRec(2, "ben", texts[1], "Ben", None, {"Genre(s)": "Jazz"}),
    ]
    turns = [
        TurnRec(1, 0, len(Q1), "Interviewer", True),
        TurnRec(1, len(Q1), len(texts[0]), "Ann", False),
        TurnRec(2, 0, len(Q2), "Interviewer", True),
        TurnRec(2, len(Q2), len(texts[1]), "Ben", False),
    ]
    bands = texts[1].index("Bands play")
    codings = [CodingRec(2, bands, bands + len("Bands play songs"), 2)]
    codes = [CodeRec(1, "m", "Music"), CodeRec(2, "p", "Playing", 1)]
    corpus = Corpus(codes, sources, codings, turns)
    lem = lemmatize(texts)
    return corpus, Tokens(lem.vocab, lem.content, lem.text, lem.start, lem.end, lem.lemma)


def naive(corpus: Corpus, interviewer: bool) -> Counter[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    counts: Counter[str] = Counter()
    for s in corpus.sources:
        for t in corpus.turns:
            if t.source != s.id or (t.is_interviewer and not interviewer):
                continue
            for w in s.text[t.start : t.end].replace(";", " ").replace(",", " ").split():
                w = w.strip(".?:")
                lem = lemma(w)
                if lem not in STOP_WORDS and len(lem) > 1 and lem not in {"ann", "ben"}:
                    counts[lem] += 1
    return counts


def test_frequency_matches_a_naive_count_without_stop_words() -> None:
    corpus, tokens = build()
    table = word_frequency(corpus, tokens, top=100)
    got = {w.word: w.total for w in table.words}
    want = naive(corpus, interviewer=False)
    want.update({"ann": 1, "ben": 1})  # the speaker labels are words of the participants' turns
    assert got == dict(want)
    # three lemmas tie at 3: alphabetical order
    assert [(w.word, w.total) for w in table.words[:4]] == [
        ("band", 3),
        ("label", 3),
        ("song", 3),
        ("play", 2),
    ]
    assert "the" not in got and "interviewer" not in got and "do" not in got
    with_i = {w.word: w.total for w in word_frequency(corpus, tokens, interviewer=True).words}
    assert with_i["interviewer"] == 2 and with_i["song"] == 4


def test_by_code_group_and_top() -> None:
    corpus, tokens = build()
    in_code = word_frequency(corpus, tokens, code=1)
    assert {(w.word, w.total) for w in in_code.words} == {("band", 1), ("play", 1), ("song", 1)}
    grouped = word_frequency(corpus, tokens, group="attr:Genre(s)", top=2)
    assert grouped.groups == ("Jazz", "Rock")
    assert [(w.word, w.counts) for w in grouped.words] == [("band", (3, 0)), ("label", (2, 1))]
    assert grouped.to_json()["groups"] == ["Jazz", "Rock"]
    with pytest.raises(UserError):
        word_frequency(corpus, tokens, top=0)


def test_speaker_labels_and_headers_are_not_speech() -> None:
    text = "Interview 7\n\nInterviewer: Songs?\n\nHelen: Songs, songs.\n"
    q = text.index("Songs?")
    a = text.index("Songs, songs.")
    corpus = Corpus(
        [CodeRec(1, "x", "X")],
        [SourceRec(1, "s", text, "Helen"), SourceRec(2, "plain", "Interview about songs")],
        [],
        [TurnRec(1, q, q + 6, "Interviewer", True), TurnRec(1, a, a + 13, "Helen", False)],
    )
    lem = lemmatize([s.text for s in corpus.sources])
    tokens = Tokens(lem.vocab, lem.content, lem.text, lem.start, lem.end, lem.lemma)
    got = {w.word: w.total for w in word_frequency(corpus, tokens).words}
    assert got == {"song": 3, "interview": 1}  # the second source has no turns: all of it
    every = {w.word: w.total for w in word_frequency(corpus, tokens, interviewer=True).words}
    assert every == {"song": 4, "interview": 1}


def test_kwic_and_drill_down() -> None:
    corpus, tokens = build()
    lines = kwic(corpus, tokens, "band", width=10)
    assert [(x.source, x.word) for x in lines] == [
        ("ben", "bands"),
        ("ben", "Bands"),
        ("ben", "bands"),
    ]
    assert lines[1].left == "gn bands. " and lines[1].right == " play song"
    assert lines[1].codes == ("Music/Playing",) and lines[0].codes == ()
    (p,) = passages_at(corpus, lines[1].source_id, lines[1].start, lines[1].end)
    assert corpus.sources[1].text[p.start : p.end] == "Bands play songs"
    assert kwic(corpus, tokens, "label")[0].left.endswith("songs about ")
    assert len(kwic(corpus, tokens, "label")) == 3  # the interviewer's "label" is left out
    assert len(kwic(corpus, tokens, "label", interviewer=True)) == 4
    assert kwic(corpus, tokens, "zebra") == ()


def test_contractions_and_possessives_count_as_their_word() -> None:
    lem = lemmatize(["It's the label's band; we don't know, won't, they’re great labels."])
    words = [lem.vocab[i] for i in lem.lemma.tolist()]
    assert words[:3] == ["it", "the", "label"]
    content = {lem.vocab[i] for i in lem.lemma.tolist() if lem.content[i]}
    assert content == {"label", "band", "great"}


def test_kwic_codes_are_those_of_the_passages_at_each_occurrence(random_corpus: Corpus) -> None:
    lem = lemmatize([s.text for s in random_corpus.sources])
    tokens = Tokens(lem.vocab, lem.content, lem.text, lem.start, lem.end, lem.lemma)
    lines = kwic(random_corpus, tokens, "wc", interviewer=True)
    assert len(lines) > 10 and any(x.codes for x in lines) and any(not x.codes for x in lines)
    for x in lines:
        at = passages_at(random_corpus, x.source_id, x.start, x.end)
        assert x.codes == tuple(sorted({random_corpus.paths[c] for p in at for c in p.codes}))
