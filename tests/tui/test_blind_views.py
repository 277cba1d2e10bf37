"""Blind mode everywhere: with the project setting on, "ann" sees only her own codings in the
coverage of the source list, the retrieval view, the suggestions review and the analysis
screens, not only in the transcript and the code counts. Each view reads through a service
that takes whose codings to count; the service side is checked on its own as well."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.analysis.segments import sentences
from coder.services.analysis.gather import gather
from coder.services.codebook.codes import find_code
from coder.services.coding.codings import apply_code
from coder.services.coding.workspace import (
    list_source_entries,
    passage_count,
    passage_page,
    source_coverage,
)
from coder.services.project.settings import Key, put_setting
from coder.services.project.store import Project
from coder.services.sources.transcripts import get_source
from coder.services.suggestions.scoring import decisions_on, reject, review_candidates

from .conftest import settle
from .team_data import code_two_coders

ANN = ["ann"]


@pytest.fixture
def blind(sample: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, int], int]:
    """The sample coded by ann and ben (ben alone also codes a later sentence of the first
    source, and he alone uses the second code), in blind mode, opened as ann."""
    monkeypatch.setenv("CODER_NAME", "ann")
    codes = code_two_coders(sample)
    with Project.open(sample) as p:
        first = list_source_entries(p)[0].id
        start, end = sentences(get_source(p, first).text)[10].tolist()
        apply_code(p, first, start, end, next(iter(codes.values())), coder="ben")
        put_setting(p, Key.BLIND_CODING, "1")
    return sample, codes, first


def test_services_count_only_the_named_coders(blind: tuple[Path, dict[str, int], int]) -> None:
    path, codes, first = blind
    only_ben = list(codes.values())[1]
    with Project.open(path) as p:
        assert source_coverage(p, [first], ANN)[first] < source_coverage(p, [first])[first]
        assert passage_count(p, [only_ben]) > 0 and passage_count(p, [only_ben], ANN) == 0
        assert passage_page(p, [only_ben], offset=0, limit=50, coders=ANN) == []
        assert {c.coding.coder for c in passage_page(p, list(codes.values()), offset=0, limit=500,
                                              coders=ANN)} == {"ann"}  # fmt: skip
        assert {c.coder for c in gather(p, ANN).codings} == {"ann"}
        assert {c.coder for c in gather(p).codings} == {"ann", "ben"}


def test_review_leaves_out_only_my_own_codings_and_rejections(sample: Path) -> None:
    with Project.open(sample) as p:
        reacting = find_code(p, "Reacting").id
        top = review_candidates(p, code_id=reacting, limit=5)
        a, b = top[0], top[1]
        apply_code(p, a.source_id, a.start, a.end, reacting, coder="ben")
        reject(p, b.source_id, b.start, b.end, reacting, coder="ben")
        everyone = {(c.source_id, c.start) for c in review_candidates(p, code_id=reacting)}
        mine = {(c.source_id, c.start) for c in review_candidates(p, code_id=reacting, coders=ANN)}
        assert (a.source_id, a.start) not in everyone and (b.source_id, b.start) not in everyone
        assert {(a.source_id, a.start), (b.source_id, b.start)} <= mine
        key = (b.source_id, b.start, b.end, reacting)
        assert decisions_on(p, [key]) == {key: "reject"}
        assert decisions_on(p, [key], ANN) == {}


def _app(path: Path):  # type: ignore[no-untyped-def]
    from coder.tui.app import CoderApp

    return CoderApp(Project.open(path))


async def test_blind_coverage_retrieval_and_analysis_show_only_mine(
    blind: tuple[Path, dict[str, int], int],
) -> None:
    from coder.tui.screens.matrix import MatrixScreen
    from coder.tui.screens.retrieval import RetrievalScreen
    from coder.tui.widgets.passages import PassageList

    path, codes, first = blind
    only_ben = list(codes.values())[1]
    with Project.open(path) as p:
        mine, everyone = source_coverage(p, [first], ANN)[first], source_coverage(p)[first]
    app = _app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        assert ws.blind and app.shown_coders() == ANN
        assert ws.state.coverage[first] == pytest.approx(mine) and mine < everyone
        await pilot.press("f3")
        while ws.codetree.code_id != only_ben:
            await pilot.press("down")
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, RetrievalScreen)
        assert app.screen.query_one(PassageList).total == 0  # ben's codings stay hidden
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        assert app.screen.corpus is not None
        assert {c.coder for c in app.screen.corpus.codings} == {"ann"}
    app.project.close()


async def test_blind_review_is_not_shaped_by_others_codings(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coder.tui.screens.review import ReviewScreen
    from coder.tui.widgets.codebook import CodebookTree

    monkeypatch.setenv("CODER_NAME", "ann")
    with Project.open(sample) as p:
        reacting = find_code(p, "Reacting").id
        a = review_candidates(p, code_id=reacting, limit=1)[0]
        apply_code(p, a.source_id, a.start, a.end, reacting, coder="ben")
        put_setting(p, Key.BLIND_CODING, "1")
    app = _app(sample)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        tree = app.workspace.query_one(CodebookTree)
        while tree.code_id != reacting:
            await pilot.press("down")
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        shown = {(c.source_id, c.start) for c in app.screen.candidates}
        assert (a.source_id, a.start) in shown  # ben coded it; ann has not: still offered
    app.project.close()


def test_uncoding_removes_only_the_codings_in_view(
    blind: tuple[Path, dict[str, int], int],
) -> None:
    """In blind mode ann removes a code from a passage: ben's hidden coding of it stays."""
    from coder.services.coding.codings import codings_for_source, uncode_span

    path, codes, first = blind
    shared = next(iter(codes.values()))
    with Project.open(path) as p:
        start, end = sentences(get_source(p, first).text)[0].tolist()
        assert uncode_span(p, first, start, end, shared, ANN) == 1
        left = {(c.coder, c.code_id) for c in codings_for_source(p, first) if c.start == start}
        assert ("ben", shared) in left and ("ann", shared) not in left


def test_framework_counts_and_cells_only_the_named_coders(
    blind: tuple[Path, dict[str, int], int],
) -> None:
    from coder.services.analysis.framework import cell_passages, framework

    path, _codes, _first = blind
    with Project.open(path) as p:

        def total(coders: list[str] | None) -> int:
            return sum(c.passages for row in framework(p, coders).cells for c in row)

        assert 0 < total(ANN) < total(None)
        fw = framework(p, ANN)
        cell = next(c for row in fw.cells for c in row if c.passages)
        mine = cell_passages(p, cell.participant, cell.theme, ANN)
        assert len(mine) == cell.passages
        assert len(cell_passages(p, cell.participant, cell.theme)) >= len(mine)


async def test_blind_uncode_in_the_workspace_keeps_the_hidden_coding(
    blind: tuple[Path, dict[str, int], int],
) -> None:
    from coder.services.coding.codings import codings_for_source

    path, codes, first = blind
    shared = next(iter(codes.values()))
    app = _app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ws = app.workspace
        assert ws.state.doc.source.info.id == first
        mine = next(c for c in ws.transcript.codings if c.code_id == shared)
        ws.transcript.select(mine.start, mine.end)
        await settle(pilot)
        ws.action_uncode()
        await settle(pilot)
        left = {(c.coder, c.code_id, c.start) for c in codings_for_source(app.project, first)}
        assert ("ann", shared, mine.start) not in left
        assert ("ben", shared, mine.start) in left  # hidden from ann, and kept
    app.project.close()


def test_blind_suggestions_learn_only_from_my_own_coding(
    blind: tuple[Path, dict[str, int], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A colleague's choices must not reach a blind coder through the suggester: in blind mode
    the model is trained on the coder's own codings only, and a model trained on another
    coder's work counts as stale (and is not used) for them."""
    from sqlalchemy import func, select

    from coder.db.models import Coder, Coding
    from coder.services.suggestions.training import is_stale, model_info, train

    path, _codes, _first = blind
    with Project.open(path) as p:
        with p.reading() as s:

            def mine(name: str) -> int:
                return (
                    s.scalar(select(func.count(Coding.id)).join(Coder).where(Coder.name == name))
                    or 0
                )

            ann, ben = mine("ann"), mine("ben")
        assert ann != ben and ann > 0 and ben > 0
        as_ann = train(p, select_method=False)
        assert as_ann.coded <= ann < ann + ben  # never more passages than ann's own codings
        assert not is_stale(p)
        monkeypatch.setenv("CODER_NAME", "ben")
        assert is_stale(p) and model_info(p).stale  # ann's model is not ben's
        as_ben = train(p, select_method=False)
        assert not is_stale(p) and as_ben.codes_learned > as_ann.codes_learned  # ben's own
        put_setting(p, Key.BLIND_CODING, "")
        everyone = train(p, select_method=False)
        # ben alone uses the second code: ann's model never learned it, everyone's does
        assert as_ann.codes_learned < everyone.codes_learned
        assert as_ann.coded < everyone.coded


def test_blind_memo_lists_and_notes_are_my_own(blind: tuple[Path, dict[str, int], int]) -> None:
    """A colleague's memos and notes on uncoded text are their reflections: hidden from a blind
    coder like their codings (memos of no known coder, from older projects, stay shown)."""
    from coder.services.codebook.memos import list_memos, save_memo
    from coder.services.codebook.notes import add_note, notes_in
    from coder.services.coding.workspace import load_source

    path, codes, first = blind
    code = next(iter(codes.values()))
    with Project.open(path) as p:
        for who in ("ann", "ben"):
            save_memo(p, kind="code", code_id=code, title="Summary", text=who, coder=who)
            add_note(p, first, 0, 5, f"{who}'s note", coder=who)
        assert {m.text for m in list_memos(p, code_id=code)} == {"ann", "ben"}
        assert [m.text for m in list_memos(p, code_id=code, coders=ANN)] == ["ann"]
        assert {n.text for n in notes_in(p, first)} == {"ann's note", "ben's note"}
        assert [n.text for n in notes_in(p, first, ANN)] == ["ann's note"]
        assert [n.text for n in load_source(p, first, ANN).notes] == ["ann's note"]
