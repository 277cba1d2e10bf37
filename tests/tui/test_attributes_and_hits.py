"""Issue 13.19: a participant's attributes seen and edited in the workspace (key i), and
search hits that show the codes on them and are coded from the list (1-9, c)."""

from __future__ import annotations

import pytest

from coder.errors import UserError
from coder.services.coding.codings import codings_for_source
from coder.services.coding.search_hits import code_hit, hit_sentence, with_codes
from coder.services.coding.workspace import list_source_entries, text_units
from coder.services.project.store import Project
from coder.services.sources.case_attributes import case_card, set_attributes
from coder.services.sources.search import search
from coder.tui.dialogs.attributes import AttributesScreen
from coder.tui.screens.search import SearchScreen

from .conftest import settle

YEARS = "Interview (min)"


def _field(card, name: str):  # type: ignore[no-untyped-def]
    return next(f for f in card.fields if f.name == name)


def test_attributes_are_typed_checked_and_undone(sample) -> None:  # type: ignore[no-untyped-def]
    with Project.open(sample) as project:
        sid = list_source_entries(project)[0].id
        card = case_card(project, sid)
        assert card is not None and card.name == "P01" and card.organisation == "A"
        years, position = _field(card, YEARS), _field(card, "Position")
        assert (years.type, years.value) == ("integer", "130")
        with pytest.raises(UserError, match=r"Interview \(min\) takes a whole number"):
            set_attributes(
                project, card.case_id, {position.attribute_id: "CEO", years.attribute_id: "2,5"}
            )
        after = case_card(project, sid)
        assert after is not None and _field(after, "Position").value == "Vice President"
        changed = set_attributes(
            project, card.case_id, {years.attribute_id: "15", position.attribute_id: ""}
        )
        assert _field(changed, YEARS).value == "15" and _field(changed, "Position").value == ""
        result = project.history.undo(project)
        assert result.done, result.message
    with Project.open(sample) as project:
        again = case_card(project, sid)
        assert again is not None
        assert _field(again, YEARS).value == "130"
        assert _field(again, "Position").value == "Vice President"


async def test_i_shows_and_edits_the_participant(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        sid = ws.state.doc.source.info.id
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AttributesScreen)
        card = dialog.card
        years = _field(card, YEARS)
        box = dialog.query_one(f"#attr-{years.attribute_id}")
        box.focus()
        box.value = "x1"
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert app.screen is dialog  # refused: not a whole number
        assert "whole number" in str(dialog.query_one("#attr-problem").render())
        box.value = "21"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is ws
        stored = case_card(reopen(), sid)
        assert stored is not None and _field(stored, YEARS).value == "21"
        await pilot.press("ctrl+z")
        await settle(pilot)
        stored = case_card(reopen(), sid)
        assert stored is not None and _field(stored, YEARS).value == "130"


def test_a_hit_is_coded_on_its_sentence(sample) -> None:  # type: ignore[no-untyped-def]
    with Project.open(sample) as project:
        hit = search(project, "answering")[0]
        code = project_code(project)
        coding = code_hit(project, hit, code)
        assert coding.start <= hit.start < hit.end <= coding.end
        assert coding.end - coding.start > hit.end - hit.start  # the sentence, not the word
        (shown,) = with_codes(project, [hit])
        assert coding.code_name in shown.codes
        assert with_codes(project, [hit], coders=["someone else"])[0].codes == ()
        assert any(c.id == coding.id for c in codings_for_source(project, hit.source_id))


def test_hit_sentence_spans_every_sentence_it_touches() -> None:
    text = "One here. Two words there. Three."
    sentences = text_units(text).sentences
    assert hit_sentence(text, [], 14, 19) == sentences[1]
    assert hit_sentence(text, [], 5, 14) == (sentences[0][0], sentences[1][1])


def project_code(project: Project) -> int:
    from coder.services.codebook.codes import flat_codes

    return next(c.id for c in flat_codes(project) if c.codable)


async def test_search_hits_are_coded_from_the_list(app, reopen) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        first = ws.state.code_on(1)
        assert first is not None
        await pilot.press("slash", *"answering", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen) and screen.hits
        await pilot.press("down", "1")
        await settle(pilot)
        hit = screen.hits[0]
        name = ws.state.codes[first].name
        assert hit.codes == (name,)
        label = screen.query_one("#search-results").get_option_at_index(0).prompt
        assert name in label.plain
        stored = codings_for_source(reopen(), hit.source_id)
        assert any(c.code_id == first and c.start <= hit.start < c.end for c in stored)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert screen.hits[0].codes == ()
        await pilot.press("1", "escape")
        await settle(pilot)
        assert app.screen is ws
        assert ws.state.counts[first].codings == 1  # the workspace reloaded what was coded


async def test_i_in_the_sources_list_shows_the_highlighted_participant(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        open_id = ws.state.doc.source.info.id
        await pilot.press("f2")
        while ws.sources.source_id in (None, open_id):
            await pilot.press("down")
        highlighted = ws.sources.source_id
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AttributesScreen)
        want = case_card(ws.app.project, highlighted)
        assert want is not None and dialog.card == want
        assert dialog.card.case_id != case_card(ws.app.project, open_id).case_id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is ws and ws.focused is ws.sources
