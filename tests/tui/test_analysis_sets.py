"""Sets as filters on the analysis screens (issue 13.15): S keeps the matrix, co-occurrence
and word counts to a set's sources and codes, then to the next set, then to all again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from coder.analysis.groups import Bins
from coder.analysis.matrix import matrix
from coder.analysis.subset import restrict
from coder.db.models import Source
from coder.refi.model import RefiSet
from coder.services.exchange.sets import store_sets
from coder.services.project.store import Project
from coder.tui.screens.matrix import MatrixScreen
from coder.tui.screens.words import WordsScreen
from tests.analysis.test_gather import code_sample

from .conftest import settle


@pytest.fixture
def app(sample: Path) -> Iterator[object]:
    from coder.tui.app import CoderApp

    code_sample(sample)
    with Project.open(sample) as project, project.transaction() as s:
        guids = list(s.scalars(select(Source.guid).order_by(Source.name)))[:2]
        store_sets(s, (RefiSet("set-1", "Wave 1", "", tuple(guids)),))
    project = Project.open(sample)
    try:
        yield CoderApp(project)
    finally:
        project.close()


async def test_s_keeps_the_matrix_to_a_set(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen) and screen.corpus is not None
        whole = screen.corpus
        assert len(whole.sources) == 12
        await pilot.press("S")
        await settle(pilot)
        assert screen.set_name == "Wave 1"
        assert len(screen.corpus.sources) == 2
        assert "set Wave 1" in str(screen.query_one("#analysis-title").render())
        narrowed = restrict(whole, {s.id for s in screen.corpus.sources})
        assert screen.result == matrix(narrowed, screen.by, screen.cell, Bins(count=screen.bins))
        assert screen.result != matrix(whole, screen.by, screen.cell, Bins(count=screen.bins))
        await pilot.press("S")
        await settle(pilot)
        assert screen.set_name is None and screen.corpus is whole
        await pilot.press("escape", "f10")
        await settle(pilot)
        words = app.screen
        assert isinstance(words, WordsScreen)
        total = sum(w.total for w in words.result.words)
        await pilot.press("S")
        await settle(pilot)
        assert words.tokens_of is words.corpus and len(words.corpus.sources) == 2
        assert sum(w.total for w in words.result.words) < total
