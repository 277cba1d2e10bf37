"""Codebook work from the tree: create, rename, edit, move, merge, delete; all undoable."""

from __future__ import annotations

from coder.services.codebook.codes import flat_codes
from coder.services.coding.codings import codings_for_source
from coder.tui.dialogs.code_edit import CodeEditScreen
from coder.tui.dialogs.confirm import ConfirmScreen
from coder.tui.widgets.codebook import CodebookTree

from .conftest import settle


def by_name(project, name: str):  # type: ignore[no-untyped-def]
    return next(c for c in flat_codes(project) if c.name == name)


async def highlight(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    ws = pilot.app.workspace
    await pilot.press("f3")
    tree = ws.query_one(CodebookTree)
    for _ in range(40):
        if ws.state.codes[tree.code_id].name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"{name} not in the tree")


async def test_create_rename_and_edit_code(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await highlight(pilot, "Reacting")
        await pilot.press("A")  # sub-code of Reacting
        await pilot.press(*"Thanking fans", "enter")
        await settle(pilot)
        ws = app.workspace
        tree = ws.query_one(CodebookTree)
        assert ws.state.codes[tree.code_id].name == "Thanking fans"
        await pilot.press("r")  # the old name is selected: typing replaces it
        await pilot.press(*"Thanking people", "enter")
        await settle(pilot)
        await pilot.press("e")
        assert isinstance(app.screen, CodeEditScreen)
        await pilot.press("tab", *"#aa3355")
        await pilot.press("tab", *"Saying thanks in public.")
        await pilot.press("tab", *"Replies that thank")
        await pilot.press("tab", *"Thanks in private messages")
        await pilot.press("ctrl+s")
        await settle(pilot)
    project = reopen()
    code = by_name(project, "Thanking people")
    reacting = by_name(project, "Reacting")
    assert code.parent_id == reacting.id
    assert code.color == "#aa3355"
    assert code.description == "Saying thanks in public."
    assert code.inclusion == "Replies that thank"
    assert code.exclusion == "Thanks in private messages"


async def test_move_code_to_top_and_undo(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await highlight(pilot, "Reacting")
        await pilot.press("o", *"top level", "enter")
        await settle(pilot)
        assert by_name(reopen(), "Reacting").parent_id is None
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert by_name(reopen(), "Reacting").parent_id == by_name(reopen(), "Bonding").id
        await highlight(pilot, "Reacting")
        await pilot.press("shift+up")
        await settle(pilot)
        project = reopen()
        kids = sorted(
            (c for c in flat_codes(project) if c.parent_id == by_name(project, "Bonding").id),
            key=lambda c: c.position,
        )
        assert [c.name for c in kids][:2] == ["Reacting", "Approaching"]


async def test_merge_codes_moves_codings_and_folds_duplicates(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("right_square_bracket", "right_square_bracket", "2", "3")  # same span
        await pilot.press("right_square_bracket", "right_square_bracket", "2")  # another
        await settle(pilot)
        sid = ws.state.doc.source.info.id
        await highlight(pilot, "Approaching")
        await pilot.press("g", *"Reacting", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert "Approaching" not in {i.name for i in ws.state.codes.values()}
        assert {c.code_name for c in ws.transcript.codings} == {"Reacting"}
    project = reopen()
    assert "Approaching" not in {c.name for c in flat_codes(project)}
    rows = codings_for_source(project, sid)
    assert [c.code_name for c in rows] == ["Reacting", "Reacting"]  # the duplicate folded


async def test_delete_code_asks_first(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("right_square_bracket", "right_square_bracket", "3")
        await pilot.press("right_square_bracket", "right_square_bracket", "3")
        await settle(pilot)
        sid = ws.state.doc.source.info.id
        await highlight(pilot, "Reacting")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        body = str(app.screen.query_one(".dialog-body").render())
        assert "2 codings go with it" in body
        await pilot.press("n")  # no: nothing happens
        await settle(pilot)
        assert len(codings_for_source(reopen(), sid)) == 2
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert codings_for_source(reopen(), sid) == []
        assert "Reacting" not in {c.name for c in flat_codes(reopen())}
        assert ws.transcript.codings == []
        await pilot.press("ctrl+z")  # and it comes back, codings and all
        await settle(pilot)
        assert len(codings_for_source(reopen(), sid)) == 2
        assert len(ws.transcript.codings) == 2


async def test_pin_gives_a_code_a_number(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await highlight(pilot, "Bonding")
        await pilot.press("p")  # unpin Bonding (key 1): no other number moves
        await settle(pilot)
        assert ws.state.code_on(1) is None
        assert ws.state.codes[ws.state.code_on(2)].name == "Approaching"
        await pilot.press("j")
        await pilot.press("p")  # the next code in the tree takes the free key 1
        await settle(pilot)
        pinned = ws.state.codes[ws.state.code_on(1)].name
        await pilot.press("escape", "j", "1")
        await settle(pilot)
        sid = ws.state.doc.source.info.id
    project = reopen()
    assert [c.code_name for c in codings_for_source(project, sid)] == [pinned]
    from coder.services.coding.workspace import load_preferences

    slots, _ = load_preferences(project)
    assert slots[0] == by_name(project, pinned).id
    assert slots[1] == by_name(project, "Approaching").id


def keys(ws) -> list[str | None]:  # type: ignore[no-untyped-def]
    """The code name on each number key, as the workspace has them."""
    return [ws.state.codes[c].name if c else None for c in map(ws.state.code_on, range(1, 10))]


async def test_number_keys_move_only_when_the_user_moves_them(app, reopen) -> None:  # type: ignore[no-untyped-def]
    """Applying an unnumbered code gives it no number; merging or deleting a numbered code
    shifts no other number; undo brings the code back on its own key."""
    from coder.services.coding.workspace import load_preferences, save_quick_codes

    setup = reopen()
    codable = [c.id for c in flat_codes(setup) if c.codable]
    save_quick_codes(setup, codable[:5])  # keys 6-9 free; the other codes have no number
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        start = keys(ws)
        assert all(start[:5]) and not any(start[5:])
        unnumbered = next(
            ws.state.codes[c].name
            for c in ws.state.order
            if ws.state.codes[c].codable and ws.state.slot_of(c) is None
        )
        await pilot.press("right_square_bracket", "right_square_bracket", "c")
        await pilot.press(*unnumbered, "enter")
        await settle(pilot)
        assert {c.code_name for c in ws.transcript.codings} == {unnumbered}
        assert keys(ws) == start  # the applied code took no key
        second = start[1]
        await highlight(pilot, second)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert keys(ws) == [start[0], None, *start[2:]]  # key 3 and on stay where they were
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert keys(ws) == start
        await highlight(pilot, start[2])
        await pilot.press("g", *start[4], "enter")
        await pilot.press("y")
        await settle(pilot)
        assert keys(ws) == [*start[:2], None, *start[3:]]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert keys(ws) == start
    project = reopen()
    slots, _ = load_preferences(project)
    assert slots[:5] == codable[:5] and not any(slots[5:])


async def test_square_brackets_in_names_and_errors_are_shown_as_written(  # type: ignore[no-untyped-def]
    sample, reopen
) -> None:
    """A code called "[draft] …" and an error quoting SQL are text, not Textual markup."""
    from coder.services.codebook.codes import CodeFields, update_code
    from coder.services.project.store import Project
    from coder.tui.app import CoderApp
    from coder.tui.panes.suggestions import SuggesterTrained

    with Project.open(sample) as p:
        reacting = next(c for c in flat_codes(p) if c.name == "Reacting")
        update_code(p, reacting.id, CodeFields(name="[draft] Reacting"))
    project = Project.open(sample)
    try:
        app = CoderApp(project)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            ws = app.workspace
            await highlight(pilot, "[draft] Reacting")
            await pilot.press("x")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            body = str(app.screen.query_one(".dialog-body").render())
            assert body.startswith("Delete [draft] Reacting?")
            await pilot.press("n")
            app.notify("could not [SQL: UPDATE model_blobs SET data=?]")
            ws.post_message(SuggesterTrained(None, "OperationalError: [SQL: UPDATE x SET a=?]"))
            await settle(pilot)
            assert "[SQL: UPDATE x SET a=?]" in ws.suggestions.quality_text
            assert app.is_running
    finally:
        project.close()
    assert "[draft] Reacting" in {c.name for c in flat_codes(reopen())}


async def test_palette_runs_codebook_actions_on_the_pane(app) -> None:  # type: ignore[no-untyped-def]
    from coder.tui.dialogs.prompt import PromptScreen

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"New sub-code")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        assert "New code under" in str(app.screen.query_one(".dialog-title").render())


async def test_a_theme_shows_the_counts_of_its_subtree(app, reopen) -> None:  # type: ignore[no-untyped-def]
    from coder.services.coding.codings import apply_code
    from coder.services.coding.workspace import list_source_entries, load_source
    from coder.tui.widgets.codebook import code_label

    setup = reopen()
    entries = list_source_entries(setup)
    for entry, name in ((entries[0], "Approaching"), (entries[1], "Reacting")):
        s, e = load_source(setup, entry.id).units.sentences[4]
        apply_code(setup, entry.id, s, e, by_name(setup, name).id)
    bonding = by_name(setup, "Bonding")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        state = app.workspace.state
        assert state.counts.get(bonding.id) is None  # no coding of its own
        label = code_label(state.codes[bonding.id], state).plain
        assert label.endswith(" 2·2p"), label


async def test_merging_codes_of_the_same_name_says_which_is_which(app, reopen) -> None:  # type: ignore[no-untyped-def]
    """A theme "Reacting" merged into Bonding's "Reacting" asked "Merge Reacting into
    Reacting?" and said "Merged Reacting into Reacting": the dialog and the message now
    name codes by their paths, as the list to pick from does."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await highlight(pilot, "Bonding")
        await pilot.press("a", *"Reacting", "enter")  # a theme beside Bonding, same name
        await settle(pilot)
        ws = app.workspace
        tree = ws.query_one(CodebookTree)
        theme = tree.code_id
        assert ws.state.codes[theme].parent_id is None
        await pilot.press("g", *"Bonding / Reacting", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        body = " ".join(str(app.screen.query_one(".dialog-body").render()).split())
        assert body.startswith("Merge Reacting into Bonding / Reacting?")
        await pilot.press("y")
        await settle(pilot)
        assert theme not in ws.state.codes
    assert [c.name for c in flat_codes(reopen())].count("Reacting") == 1
