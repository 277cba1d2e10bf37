"""The long-memo editor (issue 13.16) must behave exactly as Textual's TextArea: the same
wrap after every edit, the same rows drawn, the cursor in the same place."""

from __future__ import annotations

import random

from textual._wrap import compute_wrap_offsets
from textual.app import App, ComposeResult
from textual.widgets import TextArea

from coder.tui.widgets.memo_area import MemoArea
from coder.tui.widgets.memo_wrap import rewrap_after_edit

WORDS = (
    "we talked about the fans and how they reply to every post um a I 漢字 ok "
    "supercalifragilisticexpialidocioussupercalifragilisticexpialidocious"
).split()


def test_rewrap_after_edit_matches_a_full_wrap() -> None:
    rng = random.Random(13)
    for _ in range(600):
        width = rng.choice([5, 11, 20, 37, 80])
        text = "".join(
            rng.choice(WORDS) + rng.choice([" ", " ", "  ", ""])
            for _ in range(rng.randint(0, 1500))
        )
        old = compute_wrap_offsets(text, width, 4)
        a = rng.randint(0, len(text))
        b = rng.randint(a, min(len(text), a + rng.choice([0, 1, 3, 40])))
        typed = rng.choice(["", "x", " ", "xy z", "  ", "word " * rng.randint(0, 40)])
        new = text[:a] + typed + text[b:]
        got = rewrap_after_edit(new, old, a, b, a + len(typed), width, 4)
        assert got == compute_wrap_offsets(new, width, 4), (width, a, b, typed)


class Pair(App[None]):
    CSS = "TextArea { width: 60; height: 20; }"

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield MemoArea(self.text, id="memo", soft_wrap=True, show_line_numbers=False)
        yield TextArea(self.text, id="plain", soft_wrap=True, show_line_numbers=False)


async def drawn(pilot, area: TextArea) -> list[list[object]]:  # type: ignore[no-untyped-def]
    area.focus()
    await pilot.pause()
    return [list(area._render_line(y)) for y in range(area.size.height)]


async def same(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    memo, plain = app.query_one("#memo", MemoArea), app.query_one("#plain", TextArea)
    assert memo.text == plain.text
    mine, theirs = memo.wrapped_document, plain.wrapped_document
    assert mine._wrap_offsets == theirs._wrap_offsets
    assert mine._offset_to_line_info == theirs._offset_to_line_info
    assert mine._line_index_to_offsets == theirs._line_index_to_offsets
    assert memo.cursor_location == plain.cursor_location
    assert memo.scroll_offset == plain.scroll_offset
    assert await drawn(pilot, memo) == await drawn(pilot, plain)


async def test_memo_area_draws_and_edits_as_a_text_area() -> None:
    rng = random.Random(16)
    long = " ".join(rng.choice(WORDS) for _ in range(3000)) + " a bell \x07 rang"
    text = f"Title line\n\n{long}\n\tA tab\there\nlast"
    app = Pair(text)
    async with app.run_test(size=(130, 24)) as pilot:
        memo, plain = app.query_one("#memo", MemoArea), app.query_one("#plain", TextArea)
        for area in (memo, plain):
            area.cursor_blink = False
        await same(pilot)
        for location, keys in [
            ((2, 5000), ["x", "y", "space", "z", "backspace"]),
            ((2, 40), ["space", "space", "backspace", "a"]),
            ((2, len(long)), ["q", "enter", "w"]),
            ((5, 3), ["m", "left", "n"]),
            ((2, 100), ["shift+right", "shift+right", "shift+down", "k"]),
            ((2, 9000), ["up", "up", "down", "end", "x"]),
        ]:
            for area in (memo, plain):
                area.focus()
                area.move_cursor(location)
                for key in keys:
                    await pilot.press(key)
                await pilot.pause()
            await same(pilot)
