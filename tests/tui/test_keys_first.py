"""Keys first: suggestions only for the passage the cursor rests on, and background training
held back while keys arrive (waiting for workers and timers by state, never by sleeping)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from coder.services.suggestions import gate, process
from coder.tui.panes.suggestions import SuggestionsPane, SuggestionsReady

from .conftest import settle


def targets(ws) -> list[tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    sid = ws.state.doc.source.info.id
    return [(sid, a, b) for a, b in list(ws.state.doc.units.sentences)[3:6]]


async def test_passages_passed_over_are_never_worked_out(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import coder.services.suggestions.scoring as scoring

    asked: list[tuple[int, int, int]] = []
    real = scoring.suggest_for_span

    def spy(project: Any, sid: int, a: int, b: int, **kw: Any) -> Any:
        asked.append((sid, a, b))
        return real(project, sid, a, b, **kw)

    monkeypatch.setattr(scoring, "suggest_for_span", spy)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        pane = ws.query_one(SuggestionsPane)
        first, second, third = targets(ws)
        asked.clear()
        for t in (first, second, third):  # three moves before the debounce can end
            pane.follow(t, frozenset())
        await settle(pilot)
        assert asked == [third]
        assert pane.sg.found is not None and pane.sg.target == third


async def test_a_cancelled_suggestion_worker_does_not_post(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import coder.services.suggestions.scoring as scoring

    started, go = threading.Event(), threading.Event()
    real = scoring.suggest_for_span

    def slow(project: Any, sid: int, a: int, b: int, **kw: Any) -> Any:
        if not go.is_set():
            started.set()
            go.wait(30)
        return real(project, sid, a, b, **kw)

    monkeypatch.setattr(scoring, "suggest_for_span", slow)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        pane = ws.query_one(SuggestionsPane)
        first, second, _ = targets(ws)
        posted: list[tuple[int, int, int]] = []
        real_post = pane.post_message

        def record(message: Any) -> bool:
            if isinstance(message, SuggestionsReady):
                posted.append(message.target)
            return real_post(message)

        monkeypatch.setattr(pane, "post_message", record)
        pane.follow(first, frozenset())
        while not started.is_set():  # the debounce ended and the worker is working `first` out
            await pilot.pause()
        pane.follow(second, frozenset())  # the cursor moves on mid-work
        go.set()
        await settle(pilot)
        assert first not in posted
        assert posted[-1] == second and pane.sg.target == second


async def test_keys_hold_training_back_until_they_stop(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import coder.tui.panes.suggestions as pane_module

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.workspace.query_one(SuggestionsPane)
        monkeypatch.setattr(pane_module, "QUIET", 60.0)  # however slow the machine is today
        await pilot.press("j")
        assert process.held()
        assert pane._quiet is not None  # the timer that lets training go on
        await pilot.press("j")
        assert process.held()
        pane._quiet.stop()
        pane._quiet = None
        monkeypatch.setattr(pane_module, "QUIET", 0.05)
        await pilot.press("j")  # held again, for a moment
        while process.held():  # QUIET seconds after the last key, the timer releases it
            await pilot.pause()
        assert pane._quiet is None


def test_training_waits_at_its_pause_points_while_held() -> None:
    event = threading.Event()
    event.set()
    gate.install(event)
    try:
        assert gate.pause_point() is False  # open: no wait
        event.clear()  # keys arrive
        done = threading.Event()

        def training_step() -> None:
            gate.pause_point()
            done.set()

        step = threading.Thread(target=training_step)
        step.start()
        assert not done.wait(0.3)  # still held back
        event.set()  # the keys stopped
        step.join()
        assert done.is_set()
    finally:
        gate.install(None)


def test_the_training_process_shares_the_gate(sample: Path) -> None:
    process.hold()
    try:
        waited = process._pool().submit(gate.pause_point).result(timeout=60)
        assert waited is True  # the child saw the gate closed
        process.release()
        assert process._pool().submit(gate.pause_point).result(timeout=60) is False
    finally:
        process.release()
        process.shutdown(wait=True)


async def test_moving_on_lays_nothing_out_and_leaves_the_footer(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A step to the next passage while the list shows suggestions: the list stays on screen
    with '…' as its one (unselectable) line, and the footer is not recomposed while the answer
    is being worked out; once in, the list shows it."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        pane = ws.query_one(SuggestionsPane)
        first, second, _ = targets(ws)
        pane.follow(first, frozenset())
        await settle(pilot)
        assert pane.items and pane.has_class("-has-items")
        recomposed: list[int] = []
        monkeypatch.setattr(ws, "refresh_bindings", lambda: recomposed.append(1))
        pane.follow(second, frozenset())
        await pilot.pause()
        assert pane.has_class("-has-items") and pane.items == []
        options = pane.options
        assert options.option_count == 1 and options.get_option_at_index(0).disabled
        assert pane.highlighted_item is None  # nothing for Enter or y to take
        assert recomposed == []
        await settle(pilot)
        assert pane.sg.target == second and pane.items
        assert options.option_count == len(pane.items)
        assert len(recomposed) <= 1  # only if y/n availability changed
