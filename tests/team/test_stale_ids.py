"""A window acting on an id another window or coder deleted meanwhile ends in one line,
WriteConflict, with nothing stored: never an IntegrityError, never a silent no-op. And memos
belong to their coder: two coders keep memos of the same title on the same code, and one
cannot edit or delete the other's. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import delete, func, select

from coder.db.models import Coding, CodingTombstone, Memo, Source, SuggestionDecision
from coder.db.retry import WriteConflict
from coder.services.codebook.codes import (
    CodeFields,
    create_code,
    delete_code,
    merge_codes,
    move_code,
    update_code,
)
from coder.services.codebook.memos import MemoError, delete_memo, list_memos, save_memo
from coder.services.coding import codings as coding_svc
from coder.services.project.store import Project
from coder.services.suggestions.scoring import accept, mark_seen, reject
from coder.services.team.review import decide, disagreements
from tests.team.helpers import add_source

TEXT = "We answer every comment. Fans notice that. The label shares it."


@dataclass
class Ids:
    source: int
    gone_source: int
    code: int
    gone_code: int
    coding: int
    memo: int


@pytest.fixture
def stale(any_target: str) -> Iterator[tuple[Project, Ids]]:
    """This window (open all along) holds ids; another window then deletes a coding, a code,
    a source and a memo."""
    with Project.create(any_target) as p:
        sid = add_source(p, TEXT, "one")
        lost = add_source(p, "Another interview, deleted later.", "two")
        keep, lose = create_code(p, "Reacting").id, create_code(p, "Doomed").id
        coding = coding_svc.apply_code(p, sid, 0, 9, keep, coder="Ana").id
        memo = save_memo(p, kind="code", code_id=keep, title="Note", text="x", coder="Ana").id
    window = Project.open(any_target)
    with Project.open(any_target) as other:
        coding_svc.remove_coding(other, coding)
        delete_code(other, lose)
        delete_memo(other, memo, coder="Ana")
        with other.transaction() as s:
            s.execute(delete(Source).where(Source.id == lost))
    try:
        yield window, Ids(sid, lost, keep, lose, coding, memo)
    finally:
        window.close()


def _rows(p: Project) -> tuple[int, ...]:
    with p.reading() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Coding, Memo, SuggestionDecision)
        )


WRITES: dict[str, Callable[[Project, Ids], object]] = {
    "apply to a deleted source": lambda p, i: coding_svc.apply_code(p, i.gone_source, 0, 5, i.code),
    "apply a deleted code": lambda p, i: coding_svc.apply_code(p, i.source, 0, 5, i.gone_code),
    "remove a deleted coding": lambda p, i: coding_svc.remove_coding(p, i.coding),
    "memo on a deleted coding": lambda p, i: coding_svc.set_coding_memo(p, i.coding, "m"),
    "exemplar on a deleted coding": lambda p, i: coding_svc.set_exemplar(p, i.coding),
    "uncode a deleted code": lambda p, i: coding_svc.uncode_span(p, i.source, 0, 9, i.gone_code),
    "uncode in a deleted source": lambda p, i: coding_svc.uncode_span(
        p, i.gone_source, 0, 9, i.code
    ),
    "create under a deleted code": lambda p, i: create_code(p, "Child", i.gone_code),
    "rename a deleted code": lambda p, i: update_code(p, i.gone_code, CodeFields(name="X")),
    "move a deleted code": lambda p, i: move_code(p, i.gone_code, None),
    "move under a deleted code": lambda p, i: move_code(p, i.code, i.gone_code),
    "merge a deleted code": lambda p, i: merge_codes(p, i.gone_code, i.code),
    "merge into a deleted code": lambda p, i: merge_codes(p, i.code, i.gone_code),
    "delete a deleted code": lambda p, i: delete_code(p, i.gone_code),
    "edit a deleted memo": lambda p, i: save_memo(
        p, kind="code", code_id=i.code, title="Note", text="y", memo_id=i.memo
    ),
    "memo on a deleted code": lambda p, i: save_memo(p, kind="code", code_id=i.gone_code, text="y"),
    "memo on a deleted source": lambda p, i: save_memo(
        p, kind="source", source_id=i.gone_source, text="y"
    ),
    "delete a deleted memo": lambda p, i: delete_memo(p, i.memo),
    "accept a deleted code": lambda p, i: accept(p, i.source, 0, 9, i.gone_code),
    "reject on a deleted source": lambda p, i: reject(p, i.gone_source, 0, 9, i.code),
    "seen on a deleted source": lambda p, i: mark_seen(p, i.gone_source, 0, 9),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_write_naming_a_deleted_item_is_one_line_and_stores_nothing(
    stale: tuple[Project, Ids], write: str
) -> None:
    window, ids = stale
    before = _rows(window)
    with pytest.raises(WriteConflict, match="deleted meanwhile") as caught:
        WRITES[write](window, ids)
    assert "\n" not in str(caught.value)
    assert _rows(window) == before


def test_a_review_decision_on_a_deleted_code_is_one_line(any_target: str) -> None:
    with Project.create(any_target) as p:
        sid = add_source(p, TEXT, "one")
        a, b = create_code(p, "Reacting").id, create_code(p, "Noticing").id
        coding_svc.apply_code(p, sid, 0, 24, a, coder="Ana")
        coding_svc.apply_code(p, sid, 0, 24, b, coder="Ben")
        (d,) = disagreements(p, "Ana", "Ben")
        with Project.open(any_target) as other:
            delete_code(other, a)
        with pytest.raises(WriteConflict, match="deleted meanwhile"):
            decide(p, d, "a")
        with Project.open(any_target) as other, other.transaction() as s:
            s.execute(delete(Source).where(Source.id == sid))
        with pytest.raises(WriteConflict, match="deleted meanwhile"):
            decide(p, d, "neither", note="neither fits")


def test_deleting_codings_leaves_tombstones(stale: tuple[Project, Ids]) -> None:
    window, _ids = stale
    with window.reading() as s:
        assert s.scalar(select(func.count()).select_from(CodingTombstone)) == 1


def test_two_coders_keep_memos_of_the_same_title(any_target: str) -> None:
    with Project.create(any_target) as p:
        code = create_code(p, "Reacting").id
        ana = save_memo(p, kind="code", code_id=code, title="Summary", text="A's", coder="Ana")
        ben = save_memo(p, kind="code", code_id=code, title="Summary", text="B's", coder="Ben")
        assert ana.id != ben.id
        again = save_memo(p, kind="code", code_id=code, title="Summary", text="A2", coder="Ana")
        assert again.id == ana.id  # by title, a coder finds their own memo
        memos = {(m.author, m.title, m.text) for m in list_memos(p, code_id=code)}
        assert memos == {("Ana", "Summary", "A2"), ("Ben", "Summary", "B's")}
        with pytest.raises(MemoError, match="Ana's"):
            save_memo(p, kind="code", code_id=code, title="Summary", text="x", coder="Ben",
                      memo_id=ana.id)  # fmt: skip
        with pytest.raises(MemoError, match="Ana's"):
            delete_memo(p, ana.id, coder="Ben")
        memos = {(m.author, m.text) for m in list_memos(p, code_id=code)}
        assert memos == {("Ana", "A2"), ("Ben", "B's")}
