"""Suggestions in the workspace and review mode, driven with keys on the sample study.

Every decision is checked where it lands: codings through coder.services.coding.codings, decisions
in the project's SuggestionDecision table (read on a second connection), and the model's view of
a rejected passage through coder.services.suggestions.scoring on a reopened project.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from coder.db.models import SuggestionDecision
from coder.services.codebook.codes import find_code
from coder.services.coding.codings import apply_code, codings_for_source
from coder.services.project.store import Project
from coder.services.suggestions.scoring import review_candidates, suggest_for_span
from coder.tui.screens.review import ReviewScreen
from coder.tui.widgets.codebook import CodebookTree
from coder.tui.widgets.suggestions import NOT_MEASURED

from .conftest import settle

REPLY = "I reply to everything."  # P01, Helen: a sentence written for Reacting


def decisions(
    project: Project, kinds: tuple[str, ...] = ("accept", "reject")
) -> list[tuple[str, int | None, int, int]]:
    """Decisions of these kinds, oldest first ("seen" marks are left out unless asked for)."""
    with project.reading() as s:
        rows = s.scalars(select(SuggestionDecision).order_by(SuggestionDecision.id))
        return [(d.decision, d.code_id, d.start, d.end) for d in rows if d.decision in kinds]


def code_id(ws, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(cid for cid, info in ws.state.codes.items() if info.name == name)


def sentence_of(ws, phrase: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    at = ws.state.doc.source.text.index(phrase)
    return next(s for s in ws.state.doc.units.sentences if s[0] <= at < s[1])


async def cursor_to(pilot, phrase: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Put the cursor on the sentence before `phrase`'s, then move down onto it with j."""
    ws = pilot.app.workspace
    target = sentence_of(ws, phrase)
    sentences = list(ws.state.doc.units.sentences)
    before = sentences[sentences.index(target) - 1]
    ws.transcript.select(*before)
    await pilot.press("j")
    await settle(pilot)
    assert ws.transcript.selection == target
    return target


def names(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.label for item in ws.suggestions.items]


async def test_reacting_sentence_shows_reacting_with_its_evidence(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        start, end = await cursor_to(pilot, REPLY)
        items = ws.suggestions.items
        assert 1 <= len(items) <= 5
        reacting = next(i for i in items if i.label == "Reacting")
        assert items[0] is reacting and reacting.mark == "y"  # what y would accept
        sentence = ws.state.doc.source.text[start:end].lower()
        words = [w for w in reacting.detail.split(" · ") if w]
        assert words and all(w.lower() in sentence for w in words)
        assert reacting.score is not None and reacting.score > items[-1].score
        assert ws.suggestions.quality_text == NOT_MEASURED
        assert not ws.hint.display  # the panel is on screen at 120 columns
        assert "suggest_accept" in {
            a.binding.action for a in ws.active_bindings.values() if a.binding.show
        }


async def test_y_accepts_the_top_suggestion(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        span = await cursor_to(pilot, REPLY)
        reacting = code_id(ws, "Reacting")
        await pilot.press("y")
        await settle(pilot)
        assert [c.code_name for c in ws.transcript.codings] == ["Reacting"]
        marks = {i.label: i.mark for i in ws.suggestions.items}
        assert marks["Reacting"] == "✓"
        sid = ws.state.doc.source.info.id
    project = reopen()
    assert [(c.code_name, c.start, c.end) for c in codings_for_source(project, sid)] == [
        ("Reacting", *span)
    ]
    assert decisions(project) == [("accept", reacting, *span)]


async def test_n_rejects_and_the_code_drops_for_that_passage(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        span = await cursor_to(pilot, REPLY)
        reacting = code_id(ws, "Reacting")
        assert names(ws)[0] == "Reacting"
        await pilot.press("n")
        await settle(pilot)  # the reject is written, the model retrained, the panel refreshed
        shown = ws.suggestions.items
        assert all(i.label != "Reacting" or i.mark == "✗" for i in shown)
        if "Reacting" in names(ws):
            assert names(ws).index("Reacting") == len(shown) - 1
        top = ws.top_suggestion()
        assert top is None or top.code_id != reacting
        sid = ws.state.doc.source.info.id
    project = reopen()
    assert decisions(project) == [("reject", reacting, *span)]
    assert codings_for_source(project, sid) == []
    # The retrained model was stored: a fresh process no longer puts Reacting first there.
    again = suggest_for_span(project, sid, *span)
    assert not again or again[0].code_id != reacting


async def test_a_passage_read_and_left_is_marked_seen_and_trains_as_a_negative(  # type: ignore[no-untyped-def]
    app, reopen, monkeypatch
) -> None:
    import coder.tui.panes.suggestions as ws_suggest

    monkeypatch.setattr(ws_suggest, "READ_SECONDS", 0.3)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        span = await cursor_to(pilot, REPLY)  # rests there: its suggestions are shown
        assert ws.suggestions.items
        await pilot.pause(0.4)  # long enough to read it
        await pilot.press("j")  # and moves on without coding it
        await settle(pilot)
        after = ws.transcript.selection
        sid = ws.state.doc.source.info.id
    project = reopen()
    seen = decisions(project, ("seen",))
    assert ("seen", None, *span) in seen
    assert ("seen", None, *after) not in seen  # still under the cursor: not read yet
    assert decisions(project) == []  # nothing accepted or rejected, nothing coded
    assert codings_for_source(project, sid) == []
    from coder.services.suggestions.scoring import train

    report = train(project)
    assert report.seen >= 1  # the read, uncoded passage is a negative for training


async def test_the_list_accepts_and_rejects_any_suggestion(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        span = await cursor_to(pilot, REPLY)
        await pilot.press("s")
        assert ws.suggestions.options.has_focus
        second = ws.suggestions.items[1].key[1]
        await pilot.press("down", "delete")  # reject the second one
        await settle(pilot)
        await pilot.press("home", "enter")  # accept the (new) first one
        await settle(pilot)
        first = ws.transcript.codings[0].code_id
        await pilot.press("escape")
        assert ws.transcript.has_focus
    project = reopen()
    assert decisions(project) == [("reject", second.code_id, *span), ("accept", first, *span)]


async def test_quality_line_shows_the_measured_figure(sample: Path) -> None:
    from coder.tui.app import CoderApp

    with Project.open(sample) as project:  # about 60 coded passages in many interviews
        for name in (
            "Approaching",
            "Reacting",
            "Encouraging participation",
            "Freedom to participate and share",
            "Freedom of expression",
        ):
            cid = find_code(project, name).id
            for c in review_candidates(project, code_id=cid, limit=12):
                apply_code(project, c.source_id, c.start, c.end, cid)
    project = Project.open(sample)
    try:
        app = CoderApp(project)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            text = app.workspace.suggestions.quality_text
            assert re.fullmatch(
                r"Suggestions right \d+% in top 3 on your coding "
                r"\(\d\d coded passages\)\.( Not yet reliable: [^.]+\.)?",
                text,
            ), text
    finally:
        project.close()


async def test_at_80x24_the_status_line_offers_the_top_suggestion(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ws = app.workspace
        assert not ws.query_one("#suggestions-pane").display
        span = await cursor_to(pilot, REPLY)
        assert ws.hint.display
        hint = str(ws.hint.render())
        assert re.search(r"y/n ■ Reacting \d\.\d\d", hint), hint
        shown = {a.binding.action for a in ws.active_bindings.values() if a.binding.show}
        assert "suggest_accept" not in shown  # the footer keeps its room for Help
        assert "help" in shown
        await pilot.press("y")
        await settle(pilot)
        sid = ws.state.doc.source.info.id
    rows = codings_for_source(reopen(), sid)
    assert [(c.code_name, c.start, c.end) for c in rows] == [("Reacting", *span)]


async def test_review_a_code_from_the_tree(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        reacting = code_id(ws, "Reacting")
        await pilot.press("f3")
        tree = ws.query_one(CodebookTree)
        while tree.code_id != reacting:
            await pilot.press("down")
        await pilot.press("R")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        cands = screen.candidates
        assert len(cands) >= 5
        assert {c.suggestion.code_id for c in cands} == {reacting}
        assert all(c.suggestion.evidence for c in cands[:5])
        assert "reply" in " ".join(c.text for c in cands[:5]).lower()
        first, second = cands[0], cands[1]
        await pilot.press("y")  # accept the first; the cursor moves on to the second
        await pilot.press("n")
        await settle(pilot)
        assert screen.states[:2] == ["accepted", "rejected"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is ws
        assert ws.state.counts[reacting].codings == 1  # the workspace reloaded its counts
    project = reopen()
    coded = codings_for_source(project, first.source_id)
    assert [(c.code_id, c.start, c.end) for c in coded] == [(reacting, first.start, first.end)]
    assert decisions(project) == [
        ("accept", reacting, first.start, first.end),
        ("reject", reacting, second.start, second.end),
    ]
    left = review_candidates(project, code_id=reacting)
    assert all(
        (c.source_id, c.start)
        not in {(first.source_id, first.start), (second.source_id, second.start)}
        for c in left
    )


async def test_review_this_source_from_the_palette_and_jump(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        sid = ws.state.doc.source.info.id
        await pilot.press("ctrl+p", *"Review suggestions")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.candidates and {c.source_id for c in screen.candidates} == {sid}
        assert len({c.suggestion.code_id for c in screen.candidates}) > 1  # any code
        await pilot.press("down")  # over the separator to the second candidate
        assert screen.current() == 1
        target = screen.candidates[1]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is ws
        assert ws.transcript.selection == (target.start, target.end)
        assert ws.transcript.has_focus
    project = reopen()
    assert decisions(project) == [] and codings_for_source(project, sid) == []


async def test_help_and_palette_list_the_suggestion_keys(app) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    from coder.tui.commands import workspace_commands
    from coder.tui.dialogs.help import help_table

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        console = Console(record=True, width=120, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(help_table())
        text = console.export_text()
        for words in (
            "Accept the top suggestion",
            "Reject the top suggestion",
            "Review the passages the suggester would code with the highlighted",
            "Apply the code to the highlighted passage",
        ):
            assert words in text
        commands = [name for name, _help, _run in workspace_commands(app.workspace)]
        assert "Review suggestions for Bonding / Reacting" in commands
        assert "Review suggestions" in commands and "Accept" in commands


async def test_the_panel_offers_y_and_n_only_when_there_is_a_top_suggestion(app) -> None:  # type: ignore[no-untyped-def]
    from coder.tui.widgets.suggestions import KEYS, NO_TOP_KEYS

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        keys = ws.suggestions.query_one("#suggestions-keys")
        states = set()
        for sentence in list(ws.state.doc.units.sentences)[:60]:
            ws.transcript.select(*sentence)
            await settle(pilot)
            top = ws.top_suggestion() is not None
            assert str(keys.render()) == (KEYS if top else NO_TOP_KEYS)
            states.add(top)
            if states == {True, False}:
                break
        assert states == {True, False}  # both kinds of passage were seen


async def test_review_follows_undo_and_y_on_a_rejected_row_accepts(app, reopen) -> None:  # type: ignore[no-untyped-def]
    """Undo in review mode un-marks the row and takes the accept out of the training data;
    `y` on a rejected row applies it after all (withdrawing the rejection)."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        reacting = code_id(ws, "Reacting")
        await pilot.press("f3")
        tree = ws.query_one(CodebookTree)
        while tree.code_id != reacting:
            await pilot.press("down")
        await pilot.press("R")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        first = screen.candidates[0]
        await pilot.press("y")
        await settle(pilot)
        assert screen.states[0] == "accepted"
        assert "✓ coded" in app.export_screenshot().replace("&#160;", " ")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert screen.states[0] == ""  # no longer shown as coded
        assert "✓ coded" not in app.export_screenshot().replace("&#160;", " ")
        project = reopen()
        assert decisions(project) == []
        assert codings_for_source(project, first.source_id) == []
        await pilot.press("k", "n")  # back on the first row (the cursor had moved on)
        await settle(pilot)
        assert screen.states[0] == "rejected"
        await pilot.press("k", "y")  # changed my mind
        await settle(pilot)
        assert screen.states[0] == "accepted"
    project = reopen()
    assert decisions(project) == [("accept", reacting, first.start, first.end)]
    coded = codings_for_source(project, first.source_id)
    assert [(c.code_id, c.start, c.end) for c in coded] == [(reacting, first.start, first.end)]
