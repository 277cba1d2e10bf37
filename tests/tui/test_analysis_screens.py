"""The analysis screens in the workspace (issue 12): matrix, co-occurrence, coding query and
word frequency, each reached by its key, each drilling down to passages and from there into
the transcript. Every figure on screen is checked against the engine run on a fresh read of
the project, and drill-downs against the codings themselves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Input, OptionList, Static

from coder.analysis.cooccur import cooccur
from coder.analysis.matrix import matrix
from coder.analysis.query import run_query
from coder.services.analysis.gather import gather
from coder.services.analysis.saved import saved_queries
from coder.services.project.store import Project
from coder.tui.screens.chart import ChartScreen
from coder.tui.screens.cooccur import CooccurScreen
from coder.tui.screens.drill import DrillScreen
from coder.tui.screens.matrix import MatrixScreen
from coder.tui.screens.query import QueryScreen
from coder.tui.screens.words import WordsScreen
from tests.analysis.test_gather import code_sample

from .conftest import settle


@pytest.fixture
def coded(sample: Path) -> Path:
    code_sample(sample)
    return sample


@pytest.fixture
def app(coded: Path) -> Iterator[object]:
    from coder.tui.app import CoderApp

    project = Project.open(coded)
    try:
        yield CoderApp(project)
    finally:
        project.close()


def fresh(path: Path):  # type: ignore[no-untyped-def]
    with Project.open(path) as p:
        return gather(p)


def cell_text(table: DataTable, row: int, col: int) -> str:  # type: ignore[type-arg]
    value = table.get_cell_at((row, col))
    return value.plain if isinstance(value, Text) else str(value)


async def test_matrix_shows_the_engine_counts_and_drills_into_the_transcript(
    app, coded: Path
) -> None:  # type: ignore[no-untyped-def]
    corpus = fresh(coded)
    expected = matrix(corpus, "participant", "passages")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        table = screen.table
        assert table.row_count == len(expected.rows) + 1
        assert len(table.columns) == len(expected.cols) + 2
        for r, row in enumerate(expected.rows):
            assert cell_text(table, r, 0).strip() == row.code  # (cut with … when drawn)
            shown = [cell_text(table, r, c + 1) for c in range(len(expected.cols))]
            assert shown == [f"{int(x):,}" for x in row.cells]
            assert cell_text(table, r, len(expected.cols) + 1) == f"{int(row.total):,}"
        last = len(expected.rows)
        assert cell_text(table, last, len(expected.cols) + 1) == str(expected.total)
        # a leaf code with passages for some participant: count them from the codings
        r, c = next(
            (r, c)
            for r, row in enumerate(expected.rows)
            for c, x in enumerate(row.cells)
            if x and not any(o.parent == row.code_id for o in corpus.codes)
        )
        row = expected.rows[r]
        source_of = {s.id: s.participant for s in corpus.sources}
        spans = {
            (k.source, k.start, k.end)
            for k in corpus.codings
            if k.code == row.code_id and source_of[k.source] == expected.cols[c]
        }
        assert row.cells[c] == len(spans)
        table.move_cursor(row=r, column=c + 1)
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        assert sorted(loc for _, loc in drill.items) == sorted(spans)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is ws
        first = sorted(spans, key=lambda s: (s[1], s[2]))[0]
        assert ws.state.doc.source.info.id == first[0]
        assert ws.transcript.selection == first[1:]


async def test_matrix_switches_columns_cells_and_bins(app, coded: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = fresh(coded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        await pilot.press("v")
        await settle(pilot)
        assert screen.result is not None and screen.result.cell == "participants"
        assert screen.result == matrix(corpus, "participant", "participants")
        await pilot.press("c")
        await settle(pilot)
        assert screen.result.by == "organisation"
        title = screen.query_one("#analysis-title", Static).render()
        assert "organisation" in str(title)
        await pilot.press("c", "c", "c")  # source, coder, then the first attribute
        await settle(pilot)
        assert screen.result.by.startswith("attr:")
        year = "attr:Year established"
        screen.by = year
        screen.recompute()
        await settle(pilot)
        four = len(screen.result.cols)
        await pilot.press("minus")
        await settle(pilot)
        from coder.analysis.groups import Bins

        assert screen.bins == Bins(count=3) and len(screen.result.cols) <= four
        assert screen.result == matrix(corpus, year, "participants", Bins(count=3))
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.workspace


async def test_matrix_bins_cut_where_the_researcher_says(app, coded: Path) -> None:  # type: ignore[no-untyped-def]
    from coder.analysis.groups import Bins
    from coder.tui.dialogs.prompt import PromptScreen

    corpus = fresh(coded)
    year = "attr:Year established"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        await pilot.press("k")  # participants' columns: no bins to cut
        await settle(pilot)
        assert app.screen is screen
        screen.by = year
        screen.recompute()
        await settle(pilot)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        prompt = app.screen.query_one("#prompt-input", Input)
        assert prompt.value == "4"
        prompt.value = ""
        await pilot.press(*"2000, 2005", "enter")
        await settle(pilot)
        assert app.screen is screen and screen.bins == Bins(cuts=(2000.0, 2005.0))
        want = matrix(corpus, year, "passages", Bins(cuts=(2000, 2005)))
        assert screen.result == want and len(want.cols) >= 3
        assert want.cols[0].endswith("1999") and want.cols[1] == "2000–2004"
        assert [c.label.plain for c in screen.table.ordered_columns[1:-1]] == list(want.cols)
        assert "cut at 2000, 2005" in str(screen.query_one("#analysis-title", Static).render())
        # Enter on a cut column lists exactly the passages it counts
        screen.table.cursor_coordinate = screen.table.cursor_coordinate._replace(row=0, column=2)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DrillScreen)
        assert len(app.screen.items) == want.rows[0].cells[1]  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("k")  # a wrong answer: one line, the bins stay
        await settle(pilot)
        app.screen.query_one("#prompt-input", Input).value = "soon"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and screen.bins == Bins(cuts=(2000.0, 2005.0))
        await pilot.press("plus")  # back to equal bins
        await settle(pilot)
        assert screen.bins == Bins(count=5)
        assert screen.result == matrix(corpus, year, "passages", Bins(count=5))


async def test_matrix_charts_draw_the_same_picture_twice(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        pictures = []
        for key in ("h", "h", "b"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, ChartScreen)
            plot = app.screen.query_one("#chart-plot")
            pictures.append(plot.render().plain)  # type: ignore[union-attr]
            await pilot.press("escape")
            await settle(pilot)
        assert pictures[0] == pictures[1] and pictures[0] != pictures[2]
        assert "Codes by participant" in pictures[0] and "P01" in pictures[2]


async def test_cooccur_counts_and_drills_to_meeting_passages(app, coded: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = fresh(coded)
    expected = cooccur(corpus, "overlap")
    used = [k for k, row in enumerate(expected.counts) if row[k] > 0]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("f8")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CooccurScreen)
        table = screen.table
        assert table.row_count == len(used)
        i, j = next(
            (i, j)
            for i in range(len(used))
            for j in range(len(used))
            if i != j and expected.counts[used[i]][used[j]]
        )
        assert cell_text(table, i, j + 1) == str(expected.counts[used[i]][used[j]])
        table.move_cursor(row=i, column=j + 1)
        await pilot.press("enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        assert len(drill.items) == expected.counts[used[i]][used[j]]
        # each listed pair overlaps a coding of each of the two codes
        a, b = expected.code_ids[used[i]], expected.code_ids[used[j]]
        for _, (sid, s, e) in drill.items:
            for code in (a, b):
                assert any(
                    k.source == sid and k.code == code and k.start < e and k.end > s
                    for k in corpus.codings
                )
        await pilot.press("escape")
        await pilot.press("j")
        await settle(pilot)
        assert cell_text(table, i, j + 1) == f"{expected.jaccard[used[i]][used[j]]:.2f}"
        await pilot.press("u")  # by turn
        await settle(pilot)
        assert screen.result == cooccur(corpus, "turn")
        await pilot.press("u", "u", "plus")  # near:15
        await settle(pilot)
        assert screen.result.by == "near:15"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is ws


async def test_query_runs_reports_errors_saves_and_jumps(app, coded: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = fresh(coded)
    first = corpus.tree_order[0].name
    names = [c.name for c in corpus.tree_order if c.name not in ("Bonding", "Spreading")][:3]
    expr = f'"{names[0]}" OR "{names[1]}"'
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueryScreen)
        await pilot.press(*'"', *"Nope AND")
        await pilot.press("enter")
        await settle(pilot)
        status = str(screen.query_one("#analysis-status", Static).render())
        assert "position" in status and "\n" not in status
        screen.query_one("#query-expr", Input).value = expr
        await pilot.press("enter")
        await settle(pilot)
        hits = run_query(corpus, expr)
        assert [(v.source_id, v.start, v.end) for v in screen.views] == [
            (h.source_id, h.start, h.end) for h in hits
        ]
        assert screen.query_one("#query-results", OptionList).option_count == len(hits) > 0
        # the interviewer's turns too
        screen.query_one("#query-all").value = True  # type: ignore[attr-defined]
        await settle(pilot)
        assert len(screen.views) == len(run_query(corpus, expr, speaker="all")) > len(hits)
        screen.query_one("#query-where", Input).value = "Year established >= 2000"
        screen.query_one("#query-name", Input).value = "young labels"
        await pilot.press("ctrl+s")
        await settle(pilot)
        with Project.open(coded) as p:
            saved = saved_queries(p)
        assert [(q.name, q.expr, q.where, q.speaker) for q in saved] == [
            ("young labels", expr, ("Year established >= 2000",), "all")
        ]
        assert [q.name for q in screen.saved] == ["young labels"]
        # run it again from the list of saved queries, after clearing the inputs
        screen.query_one("#query-expr", Input).value = f'"{first}"'
        screen.query_one("#query-saved").value = "young labels"  # type: ignore[attr-defined]
        await settle(pilot)
        assert screen.query_one("#query-expr", Input).value == expr
        from coder.analysis.filters import parse_where

        again = run_query(corpus, expr, [parse_where("Year established >= 2000")], "all")
        assert len(screen.views) == len(again)
        assert again
        await pilot.press("ctrl+o", "enter")
        await settle(pilot)
        assert app.screen is ws
        assert ws.transcript.selection == (again[0].start, again[0].end)


async def test_words_counts_and_keyword_in_context(app, coded: Path) -> None:  # type: ignore[no-untyped-def]
    from coder.analysis.words import word_frequency
    from coder.services.analysis.gather import tokens

    corpus = fresh(coded)
    expected = word_frequency(corpus, tokens(corpus), top=100)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ws = app.workspace
        await pilot.press("f10")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, WordsScreen)
        table = screen.table
        assert [cell_text(table, r, 0) for r in range(3)] == [w.word for w in expected.words[:3]]
        assert cell_text(table, 0, 1) == f"{expected.words[0].total:,}"
        await pilot.press("g")
        await settle(pilot)
        assert screen.result is not None and len(screen.result.groups) == 12
        assert len(table.columns) == 14
        # words within one code (and below it), chosen in the list of codes
        theme = corpus.tree_order[0]
        screen.query_one("#words-code").value = theme.id  # type: ignore[attr-defined]
        await settle(pilot)
        within = word_frequency(corpus, tokens(corpus), theme.id, "participant", top=100)
        assert screen.result == within and within.words != expected.words
        screen.query_one("#words-code").clear()  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        drill = app.screen
        assert isinstance(drill, DrillScreen)
        word = expected.words[1].word
        assert len(drill.items) == expected.words[1].total
        sid, s, e = drill.items[0][1]
        text = next(x.text for x in corpus.sources if x.id == sid)
        assert text[s:e] in drill.items[0][0].plain and word
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is ws
        assert ws.transcript.selection == (s, e) and text[s:e]


async def test_analysis_screens_are_in_the_palette(app) -> None:  # type: ignore[no-untyped-def]
    from coder.tui.commands import CoderCommands

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        provider = CoderCommands(app.screen)
        names = [n for n, _, _ in provider._commands()]
        assert {"Matrix", "Co-occurrence", "Coding query", "Word frequency"} <= set(names)
        await pilot.press("f7")
        await settle(pilot)
        provider = CoderCommands(app.screen)
        names = [n for n, _, _ in provider._commands()]
        assert {"Heat map", "Bars", "Columns", "Cell"} <= set(names)


async def test_query_coders_hint_names_the_projects_coders(coded: Path) -> None:
    """F9's coders filter showed the made-up hint "coders: ana, bo (all)" in every project."""
    import sqlite3

    from coder.tui.app import CoderApp

    con = sqlite3.connect(coded)
    con.execute("UPDATE coders SET name = 'Ruth' WHERE name = 'ana'")
    con.execute("UPDATE coders SET name = 'Sam' WHERE name = 'bo'")
    con.commit()
    con.close()
    with Project.open(coded) as project:
        app = CoderApp(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("f9")
            await settle(pilot)
            assert isinstance(app.screen, QueryScreen)
            hint = app.screen.query_one("#query-coders", Input).placeholder
            assert hint == "coders: Ruth, Sam (all)"
