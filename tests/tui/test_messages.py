"""The workspace coordinates through messages that say what happened: a coding is a
`CodingsChanged` naming the coding, never a re-posted `SelectionChanged`."""

from __future__ import annotations

from textual.message import Message

from coder.tui.messages import Coded, CodingsChanged, SelectionChanged, WriteDone

from .conftest import settle


async def test_a_coding_is_told_as_codings_changed_not_as_a_selection(app) -> None:  # type: ignore[no-untyped-def]
    seen: list[Message] = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        seen.clear()
        await pilot.press("2")
        await settle(pilot)
        sid = ws.state.doc.source.info.id
        on_passage = ws.suggestions.sg.on_passage  # the suggestions heard of it too
    once = list({id(m): m for m in seen}.values())  # a bubbling message is seen at each node
    kinds = [type(m) for m in once]
    assert SelectionChanged not in kinds  # the selection did not move
    (coded,) = [m for m in once if isinstance(m, Coded)]
    (changed,) = [m for m in once if isinstance(m, CodingsChanged)]
    assert changed.source_id == sid and changed.added == (coded.coding,) and not changed.removed
    assert kinds.index(Coded) < kinds.index(CodingsChanged)
    assert any(isinstance(m, WriteDone) and m.label == "code Approaching" for m in once)
    assert on_passage == frozenset({coded.coding.code_id})
