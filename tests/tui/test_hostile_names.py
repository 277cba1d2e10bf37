"""Whatever a researcher typed or imported is drawn as plain text: names that look like
markup (`[/]`, `[bold]x`, `[@click=app.quit]`, `\\[`), emoji and right-to-left text in codes,
participants, sources, speakers, memos, coders and attribute values must neither crash a
screen or dialog nor be interpreted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coder.db.models import Attribute, AttributeValue, Case, Code, Coder, Source, Turn
from coder.services.codebook.memos import save_memo
from coder.services.codebook.notes import add_note
from coder.services.coding.codings import apply_code, set_coding_memo
from coder.services.coding.workspace import list_source_entries, load_source
from coder.tui.dialogs.attributes import AttributesScreen
from coder.tui.dialogs.code_edit import CodeEditScreen
from coder.tui.dialogs.help import HelpScreen
from coder.tui.dialogs.memo import MemoScreen
from coder.tui.dialogs.pick import PickScreen
from coder.tui.screens.export import ExportScreen
from coder.tui.screens.retrieval import RetrievalScreen
from coder.tui.screens.search import SearchScreen
from coder.tui.screens.workspace import WorkspaceScreen

from .conftest import settle

HOSTILE = ["[/]", "[bold]x", "[@click=app.quit]q", "\\[", "😀 emoji", "مرحبا بالعالم", "[red"]


def poison(project) -> None:  # type: ignore[no-untyped-def]
    """Give every name in the sample study a hostile one, and code and memo with them."""
    with project.transaction() as s:
        for i, code in enumerate(s.scalars(select(Code).order_by(Code.id))):
            code.name = f"{HOSTILE[i % len(HOSTILE)]} {i}"
            code.description = HOSTILE[i % len(HOSTILE)]
        for i, case in enumerate(s.scalars(select(Case).order_by(Case.id))):
            case.name = f"{HOSTILE[i % len(HOSTILE)]} P{i}"
        for i, src in enumerate(s.scalars(select(Source).order_by(Source.id))):
            src.name = f"{HOSTILE[(i + 1) % len(HOSTILE)]} S{i}"
        for i, turn in enumerate(s.scalars(select(Turn).order_by(Turn.id))):
            if turn.speaker:
                turn.speaker = f"{HOSTILE[i % len(HOSTILE)]}"
        for i, attr in enumerate(s.scalars(select(Attribute))):
            attr.name = f"{HOSTILE[i % len(HOSTILE)]} a{i}"
        for v in s.scalars(select(AttributeValue)):
            if v.value_text is not None:
                v.value_text = "[/]"
        for coder in s.scalars(select(Coder)):
            coder.name = "[b]coder[/b] [/]"
        s.add(Coder(name="[/] other"))
    entries = list_source_entries(project)
    doc = load_source(project, entries[0].id)
    code_ids = [c.id for c in project_codes(project)]
    for i, cid in enumerate(code_ids[:6]):
        start, end = doc.units.sentences[i + 2]
        coding = apply_code(project, entries[0].id, start, end, cid)
        set_coding_memo(project, coding.id, HOSTILE[i % len(HOSTILE)])
    save_memo(project, kind="code", title="[/] title", text="[bold]body", code_id=code_ids[0])
    save_memo(
        project, kind="source", title="[@click=app.quit]", text="\\[", source_id=entries[0].id
    )
    save_memo(project, kind="project", title="[/]", text="[/]")
    add_note(project, entries[0].id, *doc.units.sentences[0], "[/] note", title="[bold]note")


def project_codes(project):  # type: ignore[no-untyped-def]
    from coder.services.codebook.codes import flat_codes

    return flat_codes(project)


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    import html

    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


async def close_dialog(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("escape")
    await settle(pilot)
    if not isinstance(pilot.app.screen, WorkspaceScreen):
        await pilot.press("n")  # "save the changes?" -> no
        await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_screen_and_dialog_shows_hostile_names_as_text(app, reopen, size) -> None:  # type: ignore[no-untyped-def]
    poison(reopen())
    if True:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            ws = app.workspace
            assert app.is_running
            shown = screen_text(app)
            assert "[bold]x" in shown  # drawn as typed, not as bold "x"
            assert "[/] P0" in shown or size[0] < 100
            assert "[bold]x S0" in shown  # the open transcript's title
            # The codebook tree, the source list, the transcript with its speakers.
            await pilot.press("f3", "down", "down")
            await settle(pilot)
            await pilot.press("e")
            assert isinstance(app.screen, CodeEditScreen)
            await close_dialog(pilot)
            await pilot.press("m")
            assert isinstance(app.screen, (MemoScreen, PickScreen))  # the memos, or a new one
            await close_dialog(pilot)
            await pilot.press("o")
            assert isinstance(app.screen, PickScreen)
            await close_dialog(pilot)
            await pilot.press("home", "v")
            await settle(pilot)
            assert isinstance(app.screen, RetrievalScreen)
            assert "[/] 0" in screen_text(app)
            await pilot.press("m")
            await settle(pilot)
            await close_dialog(pilot)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("f2", "M")
            await settle(pilot)
            assert isinstance(app.screen, (MemoScreen, PickScreen))  # the memos, or a new one
            await close_dialog(pilot)
            await pilot.press("f4", "right_square_bracket", "right_square_bracket")
            await pilot.press("c")
            assert isinstance(app.screen, PickScreen)
            await pilot.press(*"[/")
            await close_dialog(pilot)
            await pilot.press("i")  # the participant's attributes (issue 13.19)
            await settle(pilot)
            assert isinstance(app.screen, AttributesScreen)
            await close_dialog(pilot)
            await pilot.press("slash", *"the", "enter")
            await settle(pilot)
            assert isinstance(app.screen, SearchScreen)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("ctrl+e")
            await settle(pilot)
            assert isinstance(app.screen, ExportScreen)
            for _ in range(4):
                await pilot.press("tab")
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("f12")  # every memo, the note on uncoded text too
            await settle(pilot)
            assert "[bold]note" in screen_text(app) and "[/] note" in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("f1")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is ws and app.is_running


def _drawn(tooltip) -> str:  # type: ignore[no-untyped-def]
    """The tooltip as Textual's Tooltip widget (a Static) draws it: a str is parsed as
    markup there, so "[/]" raised MarkupError as soon as the mouse rested on it."""
    from textual.widgets import Static

    return str(Static(tooltip).render())


async def test_a_coder_named_like_markup_can_open_the_workspace(
    sample, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """`coder open --coder "[/]"` crashed at once with MarkupError (the status line's
    "● NAME"), and so did a colleague's name in "w"'s view of their codings."""
    from coder.services.project.store import Project
    from coder.tui.app import CoderApp
    from coder.tui.screens.workspace_team import TeamStatus

    monkeypatch.setenv("CODER_NAME", "[/] [bold]me")
    with Project.open(sample) as project:
        with project.transaction() as s:
            for attr in s.scalars(select(Attribute)):
                attr.name = f"[/] {attr.name}"
        app = CoderApp(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.is_running
            status = app.workspace.query_one(TeamStatus)
            assert "● [/] [bold]me" in str(status.render())
            assert "Coding as [/] [bold]me" in _drawn(status.tooltip)
            assert "● [/] [bold]me" in screen_text(app)
            app.workspace.set_view("[b]colleague[/]")
            await settle(pilot)
            assert "[b]colleague[/]'s codings" in str(status.render())
            await pilot.press("i")  # each attribute's field has its name as a tooltip
            await settle(pilot)
            assert isinstance(app.screen, AttributesScreen)
            tips = [_drawn(w.tooltip) for w in app.screen.query("Input") if w.tooltip]
            assert tips and all("[/] " in t for t in tips)
