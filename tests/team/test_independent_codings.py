"""Each coder's codings are their own; stale ids cannot act on another row."""

from __future__ import annotations

import pytest

from coder.db.retry import WriteConflict
from coder.services.codebook.codes import create_code, merge_codes
from coder.services.coding import codings as coding_svc
from coder.services.project.store import Project
from tests.team.helpers import add_source


def test_same_span_by_two_coders_is_two_codings(project: Project) -> None:
    sid = add_source(project, "We answer every comment.")
    code = create_code(project, "Reacting")
    ana = coding_svc.apply_code(project, sid, 0, 9, code.id, coder="Ana")
    ben = coding_svc.apply_code(project, sid, 0, 9, code.id, coder="Ben")
    assert ana.id != ben.id and (ana.coder, ben.coder) == ("Ana", "Ben")
    again = coding_svc.apply_code(project, sid, 0, 9, code.id, coder="Ana")
    assert again.id == ana.id
    assert len(coding_svc.codings_for_source(project, sid)) == 2
    # undo of Ben's coding removes his, not Ana's
    assert project.history.undo(project).done
    assert [c.coder for c in coding_svc.codings_for_source(project, sid)] == ["Ana"]


def test_merge_keeps_each_coders_codings_and_folds_only_the_same_coders(project: Project) -> None:
    sid = add_source(project, "We answer every comment.")
    a, b = create_code(project, "Reacting"), create_code(project, "Answering")
    coding_svc.apply_code(project, sid, 0, 9, a.id, coder="Ana", memo="from a")
    coding_svc.apply_code(project, sid, 0, 9, b.id, coder="Ana")
    coding_svc.apply_code(project, sid, 0, 9, a.id, coder="Ben")
    create_code(project, "Sub", a.id)
    create_code(project, "Sub", b.id)
    assert merge_codes(project, a.id, b.id) == 1
    rows = sorted(
        (c.coder, c.code_name, c.memo) for c in coding_svc.codings_for_source(project, sid)
    )
    assert rows == [("Ana", "Answering", "from a"), ("Ben", "Answering", "")]
    assert project.history.undo(project).done
    assert len(coding_svc.codings_for_source(project, sid)) == 3


def test_a_stale_window_cannot_act_on_a_changed_coding(project: Project) -> None:
    sid = add_source(project, "We answer every comment.")
    a, b = create_code(project, "Reacting"), create_code(project, "Answering")
    shown = coding_svc.apply_code(project, sid, 0, 9, a.id)
    merge_codes(project, a.id, b.id)  # another window merged: the coding is now Answering's
    with pytest.raises(WriteConflict, match="changed since"):
        coding_svc.remove_coding(project, shown.id, source_id=sid, code_id=a.id)
    with pytest.raises(WriteConflict, match="changed since"):
        coding_svc.set_coding_memo(project, shown.id, "x", source_id=sid, code_id=a.id)
    coding_svc.remove_coding(project, shown.id, source_id=sid, code_id=b.id)
    with pytest.raises(WriteConflict, match="deleted meanwhile"):
        coding_svc.set_exemplar(project, shown.id)


def test_redo_that_would_duplicate_a_coding_says_so(project: Project) -> None:
    sid = add_source(project, "We answer every comment.")
    code = create_code(project, "Reacting")
    coding_svc.apply_code(project, sid, 0, 9, code.id, coder="Ana")
    assert project.history.undo(project).done
    with Project.open(project.target) as other:  # another window codes the same span again
        coding_svc.apply_code(other, sid, 0, 9, code.id, coder="Ana")
    result = project.history.redo(project)
    assert not result.done and "equal item was stored since" in result.message
    assert len(coding_svc.codings_for_source(project, sid)) == 1
