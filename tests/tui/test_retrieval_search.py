"""Retrieval of a code's passages and project-wide lemma-aware search; both jump to text."""

from __future__ import annotations

from coder.services.codebook.codes import flat_codes
from coder.services.coding.codings import apply_code
from coder.services.coding.workspace import list_source_entries, load_source
from coder.services.sources.search import search
from coder.tui.screens.retrieval import RetrievalScreen
from coder.tui.screens.search import SearchScreen
from coder.tui.widgets.passages import PAGE, PassageList

from .conftest import settle


def code_id(project, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(c.id for c in flat_codes(project) if c.name == name)


async def open_retrieval(pilot, ws, name: str) -> None:  # type: ignore[no-untyped-def]
    """F3 to the codebook, down to the code called `name`, `v` for its passages."""
    await pilot.press("f3")
    while ws.state.codes[ws.codetree.code_id].name != name:
        await pilot.press("down")
    await pilot.press("v")
    await settle(pilot)


async def test_retrieval_lists_passages_and_enter_jumps(app, reopen) -> None:  # type: ignore[no-untyped-def]
    setup = reopen()
    reacting = code_id(setup, "Reacting")
    entries = list_source_entries(setup)
    wanted = []
    for e in entries[:3]:
        doc = load_source(setup, e.id)
        s, t = doc.units.sentences[5]
        apply_code(setup, e.id, s, t, reacting)
        wanted.append((e.id, s, t))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await open_retrieval(pilot, ws, "Reacting")
        assert isinstance(app.screen, RetrievalScreen)
        passages = app.screen.query_one(PassageList)
        assert passages.total == 3
        shown = [passages.passage(i) for i in range(3)]
        assert [(p.coding.source_id, p.coding.start, p.coding.end) for p in shown] == wanted
        assert all(p.coding.case_name for p in shown) and shown[0].before
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.screen is ws
        assert ws.state.doc.source.info.id == wanted[2][0]
        assert ws.transcript.selection == wanted[2][1:]


async def test_retrieval_pages_a_large_code(app, reopen) -> None:  # type: ignore[no-untyped-def]
    setup = reopen()
    reacting = code_id(setup, "Reacting")
    sid = list_source_entries(setup)[0].id
    doc = load_source(setup, sid)
    total = PAGE * 3 + 7
    for i in range(total):
        apply_code(setup, sid, doc.units.words[i][0], doc.units.words[i][1], reacting)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        ws.open_retrieval(reacting)
        await settle(pilot)
        passages = app.screen.query_one(PassageList)
        assert passages.total == total
        assert set(passages.pages) == {0}  # only the first page was fetched
        await pilot.press("end")
        await settle(pilot)
        assert passages.cursor == total - 1
        assert max(passages.pages) == 3
        p = passages.passage(total - 1)
        assert (p.coding.start, p.coding.end) == doc.units.words[total - 1]
        await pilot.press("e")  # exemplar from the retrieval view
        await settle(pilot)
        assert passages.passage(total - 1).coding.exemplar


def test_search_service_is_lemma_aware(sample) -> None:  # type: ignore[no-untyped-def]
    from coder.services.project.store import Project

    with Project.open(sample) as project:
        hits = search(project, "answer")
    forms = {h.match.lower() for h in hits}
    assert {"answer", "answering", "answered", "answers"} <= forms
    assert all(h.before or h.after for h in hits)


async def test_search_finds_forms_and_jumps(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"answer", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        matches = [h.match for h in screen.hits]
        assert "answering" in matches and "Answering" in matches
        target = next(i for i, h in enumerate(screen.hits) if h.match == "answering")
        await pilot.press("down")
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is ws
        hit = screen.hits[target]
        assert ws.state.doc.source.info.id == hit.source_id
        assert ws.transcript.selection == (hit.start, hit.end)
        assert ws.state.doc.source.text[hit.start : hit.end] == "answering"


def test_passage_page_matches_passages_for_code(sample) -> None:  # type: ignore[no-untyped-def]
    from coder.services.coding.codings import passages_for_code
    from coder.services.coding.workspace import passage_count, passage_page
    from coder.services.project.store import Project

    with Project.open(sample) as project:
        approaching = code_id(project, "Approaching")
        for e in list_source_entries(project):
            doc = load_source(project, e.id)
            for k in (0, 7, 30):  # includes a title line outside every turn
                s, t = doc.units.sentences[k]
                apply_code(project, e.id, s, t, approaching)
            label_start = doc.units.turns[3][0] - 3  # inside a speaker label: the next turn
            apply_code(project, e.id, label_start, doc.units.turns[3][0] + 10, approaching)
        total = passage_count(project, [approaching])
        assert total == 48
        whole = passages_for_code(project, [approaching], context=120)
        paged = [
            p
            for off in range(0, total, 10)
            for p in passage_page(project, [approaching], offset=off, limit=10, context=120)
        ]
        assert paged == whole


def test_a_hit_keeps_the_spaces_around_it() -> None:
    from coder.tui.screens.search import hit_label
    from coder.vocab.dto import SearchHit

    hit = SearchHit(1, "P01.txt", "P01", 10, 16, "I still\n  ", "answer", " the phone")
    line = hit_label(hit).plain.splitlines()[1]
    assert line == "…I still answer the phone…"


async def test_retrieval_shows_the_whole_passage_under_the_cursor(app, reopen) -> None:  # type: ignore[no-untyped-def]
    setup = reopen()
    reacting = code_id(setup, "Reacting")
    sid = list_source_entries(setup)[0].id
    doc = load_source(setup, sid)
    start, end = doc.units.sentences[3][0], doc.units.sentences[14][1]  # a long passage
    apply_code(setup, sid, start, end, reacting)
    whole = " ".join(doc.source.text[start:end].split())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await open_retrieval(pilot, ws, "Reacting")
        assert isinstance(app.screen, RetrievalScreen)
        assert len(whole) > 600  # more than the list's three lines of it
        shown = str(app.screen.query_one("#retrieval-full").render())
        assert whole in " ".join(shown.split())


async def test_retrieval_says_whose_passage_when_two_coders_coded(app, reopen) -> None:  # type: ignore[no-untyped-def]
    """The demo listed Ruth's and Sam's codings of one sentence as two identical passages:
    with more than one coder in view, each passage's header names its coder."""
    setup = reopen()
    reacting = code_id(setup, "Reacting")
    entry = list_source_entries(setup)[0]
    s, t = load_source(setup, entry.id).units.sentences[5]
    for who in ("Ruth", "Sam [/]"):
        apply_code(setup, entry.id, s, t, reacting, coder=who)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await open_retrieval(pilot, ws, "Reacting")
        passages = app.screen.query_one(PassageList)
        assert passages.total == 2 and passages.show_coders
        shown = "\n".join(
            "".join(seg.text for seg in passages.render_line(y))
            for y in range(passages.size.height)
        )
        assert "■ Reacting · Ruth" in shown and "■ Reacting · Sam [/]" in shown
