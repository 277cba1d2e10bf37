"""The spaCy side: registered components, lemma terms, phrase patterns, evidence."""

from __future__ import annotations

import pytest
from spacy.language import Language

from coder.suggest.components import add_components, phrase_component
from coder.suggest.nlp import new_pipeline
from coder.suggest.pipeline import Pipeline, TurnSpan, context_span, evidence, passages_of


def test_components_are_registered_factories_with_validated_settings() -> None:
    assert Language.has_factory("coder_terms")
    assert Language.has_factory("coder_phrases")
    nlp = new_pipeline()
    with pytest.raises(Exception, match="bigrams"):
        nlp.add_pipe("coder_terms", config={"bigrams": "sometimes"})


def test_terms_are_lower_case_lemmas_with_spans_and_bigrams() -> None:
    nlp = add_components(new_pipeline())
    doc = nlp("Reviews were written. Our Street Teams organised meetups!")
    terms = doc._.coder_terms
    assert "review" in terms.keys and "street team" in terms.keys
    assert "were" not in terms.keys and "our" not in terms.keys
    for key, start, end in zip(terms.keys, terms.starts, terms.ends, strict=True):
        assert doc.text[start:end].strip(), key
    # no bigram across the sentence boundary
    assert "write street" not in terms.keys


def test_phrase_matcher_matches_lemmas_whatever_the_case() -> None:
    nlp = add_components(new_pipeline())
    phrase_component(nlp).set_phrases({"7": ["street team", "Fan art"]})
    doc = nlp("Their STREET TEAMS made wonderful fan art.")
    found = {doc.text[s:e] for _k, s, e in doc._.coder_phrases}
    assert found == {"STREET TEAMS", "fan art"}


def test_passages_split_long_turns_and_carry_the_question() -> None:
    text = (
        "Interviewer: Do you answer fans?\n\nAnna: "
        + "We reply to every message. " * 20
        + "\n\nInterviewer: Thanks.\n"
    )
    q0 = text.index("Do you")
    a0 = text.index("We reply")
    a1 = text.index("\n\nInterviewer: Thanks") - 1
    turns = [
        TurnSpan(q0, text.index("\n\nAnna"), "Interviewer"),
        TurnSpan(a0, a1, "Anna"),
        TurnSpan(text.index("Thanks."), len(text) - 1, "Interviewer"),
    ]
    assert context_span(turns, a0 + 10) == (turns[0].start, turns[0].end)
    parts = passages_of(Pipeline(), text, turns, max_words=30)
    assert len(parts) > 1  # 100 words cut into runs of sentences
    assert all(a0 <= s < e <= a1 for s, e, _a in parts)  # interviewer turns left out
    for s, e, a in parts:
        assert a.text == text[s:e]
        assert a.context is not None and "answer" in a.context.keys


def test_evidence_is_always_words_of_the_passage() -> None:
    p = Pipeline()
    [a] = p.analyze([("We replied to every single comment they left.", None)])
    vocab = sorted(set(a.terms.keys))
    ids = [vocab.index(k) for k in ("reply", "comment", "reply single") if k in vocab]
    ev = evidence(a.text, a.terms, ids, vocab, [])
    assert ev and all(e in a.text for e in ev)


def test_negation_and_degree_words_count_only_with_the_word_they_qualify() -> None:
    nlp = add_components(new_pipeline())
    fewer = nlp("Since Scrum we ship fewer bugs.")._.coder_terms.keys
    more = nlp("Since Scrum we ship more bugs, and it doesn’t help.")._.coder_terms.keys
    assert "less bug" in fewer and "more bug" in more and "not help" in more
    # alone they would match nearly every passage
    assert not {"less", "more", "not"} & set(fewer + more)
    assert "less bug" not in more
