"""The store on SQLite and PostgreSQL: schema at head, codings, invariants, undo, codebook edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from coder.db.lifecycle import head_revision
from coder.ingest import ParsedSource, Turn
from coder.services.codebook import codes as codes_svc
from coder.services.codebook.codes import CodebookError, CodeFields
from coder.services.coding import codings as coding_svc
from coder.services.coding.codings import CodingError
from coder.services.project.check import check_project
from coder.services.project.store import Project
from coder.services.sources.transcripts import get_source, list_sources, store_parsed

TEXT = "Interviewer: How do you reach fans?\n\nAna: We answer every comment. Every single one.\n"


def _source(project: Project, text: str = TEXT, name: str = "s1") -> int:
    label = "Interviewer: "
    a0 = text.index("Ana: ") + 5
    parsed = ParsedSource(
        text=text,
        turns=(
            Turn("Interviewer", len(label), text.index("?") + 1, 1.0),
            Turn("Ana", a0, len(text.rstrip()), 4.5),
        ),
        format="txt",
        encoding="utf-8",
    )
    out = store_parsed(project, parsed, name=name, filename=f"{name}.txt")
    assert out.status == "imported" and out.source_id is not None
    return out.source_id


def _code(project: Project, name: str, parent: int | None = None) -> int:
    return codes_svc.create_code(project, name, parent).id


def test_new_project_is_at_head(project: Project) -> None:
    assert project.schema_revision() == head_revision()
    assert project.upgrade.created


def test_sqlite_uses_wal_and_foreign_keys(sqlite_project: Project) -> None:
    with sqlite_project.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_source_roundtrip_with_turns(project: Project) -> None:
    sid = _source(project)
    st = get_source(project, sid)
    assert st.text == TEXT
    assert [t.speaker for t in st.turns] == ["Interviewer", "Ana"]
    assert (
        st.text[st.turns[1].start : st.turns[1].end] == "We answer every comment. Every single one."
    )
    assert st.turns[1].timestamp == 4.5
    assert list_sources(project)[0].words == len(TEXT.split())


def test_duplicate_text_detected_by_hash(project: Project) -> None:
    _source(project)
    again = store_parsed(
        project, ParsedSource(TEXT, (), "txt", "utf-8"), name="copy", filename="copy.txt"
    )
    assert again.status == "duplicate"
    assert len(list_sources(project)) == 1


def test_coding_snippet_equals_text_and_check_passes(project: Project) -> None:
    sid = _source(project)
    code = _code(project, "Reacting")
    start = TEXT.index("We answer")
    c = coding_svc.apply_code(project, sid, start, start + 24, code, coder="ana")
    assert c.snippet == "We answer every comment."
    assert c.coder == "ana"
    report = check_project(project)
    assert report.ok, report.problems
    assert report.codings == 1


def test_unicode_offsets_are_code_points(project: Project) -> None:
    text = "Q: Café 😀 fans?\n\nA: Ñandú was our first 🎸 record.\n"
    sid = store_parsed(
        project, ParsedSource(text, (), "txt", "utf-8"), name="u", filename="u.txt"
    ).source_id
    assert sid is not None
    code = _code(project, "Approaching")
    start = text.index("🎸")
    c = coding_svc.apply_code(project, sid, start, start + 8, code)
    assert c.snippet == "🎸 record"
    assert check_project(project).ok


def test_check_reports_a_tampered_snippet(project: Project) -> None:
    sid = _source(project)
    code = _code(project, "Reacting")
    coding_svc.apply_code(project, sid, 0, 11, code)
    with project.engine.begin() as conn:
        conn.execute(text("UPDATE codings SET snippet = 'something else'"))
    report = check_project(project)
    assert not report.ok
    assert report.problems[0].kind == "snippet"


def test_bad_spans_and_uncodable_codes_are_refused(project: Project) -> None:
    sid = _source(project)
    code = _code(project, "Reacting")
    for start, end in ((5, 5), (-1, 3), (0, len(TEXT) + 1)):
        with pytest.raises(CodingError):
            coding_svc.apply_code(project, sid, start, end, code)
    theme = codes_svc.create_code(project, "Theme", fields=CodeFields(codable=False))
    with pytest.raises(CodingError, match="only groups"):
        coding_svc.apply_code(project, sid, 0, 5, theme.id)
    assert coding_svc.codings_for_source(project, sid) == []


def test_overlapping_codings_and_codes_at(project: Project) -> None:
    sid = _source(project)
    a, b = _code(project, "Reacting"), _code(project, "Bonding")
    start = TEXT.index("We answer")
    coding_svc.apply_code(project, sid, start, start + 24, a)
    coding_svc.apply_code(project, sid, start + 10, start + 40, b)
    # same code, same span twice is one coding
    coding_svc.apply_code(project, sid, start, start + 24, a)
    here = coding_svc.codings_at(project, sid, start + 15)
    assert sorted(c.code_name for c in here) == ["Bonding", "Reacting"]
    assert len(coding_svc.codings_for_source(project, sid)) == 2


def test_undo_redo_coding(project: Project) -> None:
    sid = _source(project)
    code = _code(project, "Reacting")
    c = coding_svc.apply_code(project, sid, 0, 11, code)
    assert project.history.undo(project).done
    assert coding_svc.codings_for_source(project, sid) == []
    assert project.history.redo(project).done
    back = coding_svc.codings_for_source(project, sid)
    assert [(x.guid, x.start, x.end) for x in back] == [(c.guid, 0, 11)]
    coding_svc.remove_coding(project, c.id)
    assert coding_svc.codings_for_source(project, sid) == []
    project.history.undo(project)
    assert [x.guid for x in coding_svc.codings_for_source(project, sid)] == [c.guid]


def test_undo_does_not_clobber_a_change_made_elsewhere(project: Project) -> None:
    sid = _source(project)
    code = _code(project, "Reacting")
    c = coding_svc.apply_code(project, sid, 0, 11, code)
    other = Project.open(project.target)
    try:
        coding_svc.set_coding_memo(other, c.id, "written by the other window")
    finally:
        other.close()
    result = project.history.undo(project)
    assert not result.done and "changed since" in result.message
    assert coding_svc.get_coding(project, c.id).memo == "written by the other window"


def test_merge_moves_codings_and_folds_duplicates(project: Project) -> None:
    sid = _source(project)
    a, b = _code(project, "Answering"), _code(project, "Reacting")
    coding_svc.apply_code(project, sid, 0, 11, a)
    coding_svc.apply_code(project, sid, 0, 11, b)
    coding_svc.apply_code(project, sid, 20, 30, a)
    moved = codes_svc.merge_codes(project, a, b)
    assert moved == 1
    spans = sorted(
        (c.start, c.end, c.code_name) for c in coding_svc.codings_for_source(project, sid)
    )
    assert spans == [(0, 11, "Reacting"), (20, 30, "Reacting")]
    assert [c.name for c in codes_svc.flat_codes(project)] == ["Reacting"]
    project.history.undo(project)
    spans = sorted(
        (c.start, c.end, c.code_name) for c in coding_svc.codings_for_source(project, sid)
    )
    assert spans == [(0, 11, "Answering"), (0, 11, "Reacting"), (20, 30, "Answering")]


def test_delete_code_reports_impact_and_is_undoable(project: Project) -> None:
    sid = _source(project)
    theme = _code(project, "Bonding")
    sub = _code(project, "Reacting", theme)
    coding_svc.apply_code(project, sid, 0, 11, sub)
    coding_svc.apply_code(project, sid, 12, 20, theme)
    assert codes_svc.delete_impact(project, theme) == (2, 1)
    assert codes_svc.delete_code(project, theme) == 2
    assert codes_svc.flat_codes(project) == []
    assert project.history.undo(project).done
    names = [(c.name, c.depth, c.codings) for c in codes_svc.flat_codes(project)]
    assert names == [("Bonding", 0, 1), ("Reacting", 1, 1)]


def test_rename_move_and_edit_codes(project: Project) -> None:
    bonding = _code(project, "Bonding")
    spreading = _code(project, "Spreading")
    r = _code(project, "Reacting", spreading)
    codes_svc.move_code(project, r, bonding)
    codes_svc.update_code(
        project,
        r,
        CodeFields(name="Reacting to fans", color="#AA0000", description="reciprocal caring"),
    )
    tree = codes_svc.code_tree(project)
    assert [n.code.name for n in tree] == ["Bonding", "Spreading"]
    child = tree[0].children[0].code
    assert (child.name, child.color, child.description) == (
        "Reacting to fans",
        "#aa0000",
        "reciprocal caring",
    )
    with pytest.raises(CodebookError):
        codes_svc.move_code(project, bonding, r)  # under its own child
    with pytest.raises(CodebookError):
        codes_svc.update_code(project, r, CodeFields(color="red"))
    project.history.undo(project)
    assert codes_svc.code_tree(project)[0].children[0].code.name == "Reacting"


def test_counts_in_tree(project: Project) -> None:
    sid = _source(project)
    code = _code(project, "Reacting")
    coding_svc.apply_code(project, sid, 0, 11, code)
    coding_svc.apply_code(project, sid, 12, 20, code)
    info = codes_svc.flat_codes(project)[0]
    assert (info.codings, info.sources) == (2, 1)


def test_second_process_sees_committed_coding(tmp_path: Path) -> None:
    target = tmp_path / "shared.coder"
    with Project.create(target) as a:
        sid = _source(a)
        code = _code(a, "Reacting")
        with Project.open(target) as b:
            coding_svc.apply_code(a, sid, 0, 11, code)
            assert len(coding_svc.codings_for_source(b, sid)) == 1


def test_rolled_back_action_leaves_no_undo_entry(project: Project) -> None:
    sid = _source(project)
    code = _code(project, "Reacting")
    with pytest.raises(RuntimeError), project.transaction() as s:
        coding_svc.apply_code_in(project, s, sid, 0, 11, code)
        raise RuntimeError("the disk filled up")
    assert coding_svc.codings_for_source(project, sid) == []
    assert project.history.next_undo() == "create code Reacting"
