"""The disagreement review service: which units differ, and decisions that undo in one step."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.errors import UserError
from coder.services.coding.codings import codings_for_source
from coder.services.project.store import Project
from coder.services.team.review import decide, disagreements
from tests.tui.team_data import code_two_coders


@pytest.fixture
def two(sample: Path) -> Path:
    code_two_coders(sample)
    return sample


def test_lists_units_whose_code_sets_differ(two: Path) -> None:
    with Project.open(two) as project:
        found = disagreements(project, "ann", "ben")
    # per source, odd sentences 1, 3, 5 differ; even ones agree
    assert len(found) == 6
    first = found[0]
    assert first.codes("a") != first.codes("b")
    assert len(first.b) == 2 and any(c.memo == "Ben: [b]x" for c in first.b)
    assert first.text


def test_unknown_coder_and_same_coder_are_one_line(two: Path) -> None:
    with Project.open(two) as project:
        with pytest.raises(UserError, match="no coder named 'zed'"):
            disagreements(project, "ann", "zed")
        with pytest.raises(UserError, match="two different"):
            disagreements(project, "ann", "ann")


@pytest.mark.parametrize(("choice", "expected"), [("a", 1), ("b", 2), ("both", 3), ("neither", 0)])
def test_decision_writes_consensus_and_undoes_in_one_step(
    two: Path, choice: str, expected: int
) -> None:
    with Project.open(two) as project:
        d = disagreements(project, "ann", "ben")[0]
        decision = decide(project, d, choice, note="agreed in meeting")  # type: ignore[arg-type]
        mine = [c for c in codings_for_source(project, d.source_id) if c.coder == "consensus"]
        assert len(mine) == expected == decision.added
        assert all(c.memo == "agreed in meeting" for c in mine)
        result = project.history.undo(project)
        assert result.done
        left = [c for c in codings_for_source(project, d.source_id) if c.coder == "consensus"]
        assert left == []


def test_deciding_again_replaces_the_earlier_decision(two: Path) -> None:
    with Project.open(two) as project:
        d = disagreements(project, "ann", "ben")[0]
        decide(project, d, "both")
        second = decide(project, d, "a")
        assert second.removed == 2 and second.added == 0
        mine = {c.code_id for c in codings_for_source(project, d.source_id)
                if c.coder == "consensus"}  # fmt: skip
        assert mine == {c.code_id for c in d.a}


def test_accept_b_into_coder_a_makes_a_match_b(two: Path) -> None:
    with Project.open(two) as project:
        d = disagreements(project, "ann", "ben")[0]
        decide(project, d, "b", into="ann")
        after = disagreements(project, "ann", "ben")
        assert all((x.source_id, x.start) != (d.source_id, d.start) for x in after)
