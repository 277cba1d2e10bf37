"""Table 2 quotes as journals print them (issue 13.18): fillers out, starting at a sentence,
at most N words, with [...] for what is left out."""

from __future__ import annotations

from coder.export.exemplars import quote_text, trim_quote

LONG = (
    "We post every day. Fans answer within minutes and we answer back, one by one, "
    "which takes hours but it is worth it because they remember"
)


def test_fillers_go_and_the_quote_starts_at_a_sentence() -> None:
    text = "and so on. Um, we reply to every fan, (laughs) uh, even the rude ones."
    assert trim_quote(text, 40) == "[…] We reply to every fan, even the rude ones."


def test_long_quotes_are_cut_with_a_marker() -> None:
    assert (
        trim_quote(LONG, 12)
        == "We post every day. Fans answer within minutes and we answer back […]"
    )
    assert trim_quote(LONG, 5) == "We post every day. […]"  # a sentence end in the 2nd half


def test_no_cut_when_it_fits_and_speaker_labels_still_go() -> None:
    assert trim_quote("Yes, we do.", 5) == "Yes, we do."
    assert quote_text("Helen: Um, yes we do.", {"Helen"}, words=10) == "Yes we do."
    assert quote_text("Helen: Um, yes we do.", {"Helen"}) == "Um, yes we do."  # as before
