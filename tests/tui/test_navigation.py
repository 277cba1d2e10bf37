"""Moving and shaping the selection: sentence, turn, paragraph, word; keys and mouse."""

from __future__ import annotations

from coder.services.coding.codings import codings_for_source
from coder.services.coding.workspace import text_units
from coder.tui.widgets import navigation as nav
from coder.tui.widgets.transcript import GUTTER, TranscriptView
from coder.tui.widgets.transcript_model import TEXT

from .conftest import settle


def test_text_units_split_sentences_paragraphs_and_skip_labels() -> None:
    text = "Title line\n\nAnn: Hello there. Dr. Who came? Yes!\nSecond para.\n\nBob: Fine."
    ann = text.index("Hello")
    bob = text.index("Fine")
    units = text_units(text, [(ann, text.index("\n\nBob")), (bob, len(text))])
    said = [text[s:e] for s, e in units.sentences]
    assert said == ["Title line", "Hello there.", "Dr. Who came?", "Yes!", "Second para.", "Fine."]
    assert [text[s:e] for s, e in units.paragraphs] == [
        "Title line",
        "Hello there. Dr. Who came? Yes!",
        "Second para.",
        "Fine.",
    ]
    assert text[units.words[1][0] : units.words[1][1]] == "line"


def test_navigation_functions() -> None:
    spans = [(0, 5), (6, 10), (11, 20)]
    assert nav.step(spans, (6, 10), 1) == (11, 20)
    assert nav.step(spans, (6, 10), -1) == (0, 5)
    assert nav.step(spans, (0, 5), -1) is None
    assert nav.extend_end(spans, (0, 5), 1) == (0, 10)
    assert nav.extend_end(spans, (0, 10), -1) == (0, 5)
    assert nav.extend_end(spans, (0, 5), -1) == (0, 5)  # never empty
    assert nav.extend_start(spans, (6, 10), 1) == (0, 10)
    assert nav.extend_start(spans, (0, 20), -1) == (6, 20)
    assert nav.snap_to_words(spans, 8, 2) == (0, 10)


async def test_move_by_sentence_turn_and_paragraph(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        t = ws.query_one(TranscriptView)
        text = ws.state.doc.source.text
        units = ws.state.doc.units

        def said() -> str:
            return text[slice(*t.selection)]

        assert said().startswith("Interview P01")
        await pilot.press("down")
        assert said() == "Date: 14 March 2013"
        await pilot.press("j")
        assert said().startswith("Thanks again for making the time")
        await pilot.press("k")
        assert said() == "Date: 14 March 2013"
        await pilot.press("right_square_bracket")
        assert t.selection == units.turns[0]
        assert said().startswith("Thanks again") and said().endswith("recording this?")
        await pilot.press("right_square_bracket")
        assert t.selection == units.turns[1]
        await pilot.press("left_square_bracket")
        assert t.selection == units.turns[0]
        await pilot.press("right_curly_bracket")
        assert t.selection in units.paragraphs and said().startswith("Yes, that's fine.")
        await pilot.press("left_curly_bracket")
        assert said().startswith("Thanks again")
        await pilot.press("end")
        assert t.selection == units.sentences[-1]
        await pilot.press("home")
        assert t.selection == units.sentences[0]


async def test_extend_and_shrink_by_word_and_sentence(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        t = ws.transcript
        text = ws.state.doc.source.text

        def said() -> str:
            return text[slice(*t.selection)]

        await pilot.press("j", "j")
        assert (
            said() == "Thanks again for making the time, I know it's a busy week with the "
            "festival coming up."
        )
        await pilot.press("shift+down")
        assert said().endswith(
            "festival coming up. Before we start, are you okay with me recording this?"
        )
        await pilot.press("shift+up")
        assert said().endswith("festival coming up.")
        await pilot.press("shift+up")  # cannot shrink below one sentence by sentence
        assert said().endswith("festival coming up.")
        await pilot.press("shift+left")  # "up." goes as one: the word with its full stop
        assert said().endswith("with the festival coming")
        await pilot.press("shift+left")
        assert said().endswith("busy week with the festival")
        await pilot.press("shift+right", "shift+right")
        assert said().endswith("festival coming up")
        await pilot.press("alt+right")
        assert said().startswith("again for making")
        await pilot.press("alt+left", "alt+left")
        assert said().startswith("Date: 14 March 2013") is False
        assert said().startswith("2013")
        await pilot.press("alt+right")
        sel = t.selection
        await pilot.press("1")
        await settle(pilot)
        sid = ws.state.doc.source.info.id
    (row,) = codings_for_source(reopen(), sid)
    assert (row.start, row.end) == sel
    assert (
        row.snippet == "Thanks again for making the time, I know it's a busy week with the "
        "festival coming up"
    )


async def test_mouse_click_selects_sentence_and_drag_selects_words(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        t = ws.transcript
        text = ws.state.doc.source.text
        rows = t.layout_.rows
        row = next(
            i
            for i, r in enumerate(rows)
            if r.kind == TEXT and text[r.start : r.end].startswith("Yes, that's fine.")
        )
        y = row - t.scroll_offset.y
        await pilot.click(TranscriptView, offset=(GUTTER + 2, y))
        assert text[slice(*t.selection)] == "Yes, that's fine."
        # Drag from "Go" to "noise": whole words from the first to the last.
        x_go = GUTTER + text[rows[row].start :].index("Go ahead")
        x_noise = GUTTER + text[rows[row].start :].index("noise") + 2
        await pilot.mouse_down(TranscriptView, offset=(x_go, y))
        await pilot.hover(TranscriptView, offset=(x_noise, y))
        await pilot.mouse_up(TranscriptView, offset=(x_noise, y))
        assert text[slice(*t.selection)] == "Go ahead. Sorry about the noise"


def test_word_pattern_matches_the_nlp_one() -> None:
    from coder.services.coding import workspace
    from coder.suggest import nlp

    assert workspace.WORD.pattern == nlp.WORD.pattern
