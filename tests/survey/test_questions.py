"""Survey questions as groups in the codebook: `--group-codes` and `coder codes by-question`
on real projects (SQLite, and PostgreSQL when reachable). The workspace side is in
tests/tui/test_survey_groups.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coder.cli.codes import codes as codes_cli
from coder.cli.survey import import_survey as survey_cli
from coder.services.codebook.codes import (
    CodebookError,
    CodeFields,
    create_code,
    flat_codes,
    update_code,
)
from coder.services.codebook.questions import group_by_question
from coder.services.coding.codings import apply_code
from coder.services.project.store import Project
from coder.services.sources.survey import import_survey
from coder.services.sources.transcripts import get_source, list_sources

from .test_import import OPEN, SHEET

QUESTIONS = [" ".join(q.split()) for q in OPEN]


def _answer(project: Project, respondent: str, question: int) -> tuple[int, int, int]:
    """(source id, start, end) of a respondent's answer to question `question` (0-based)."""
    info = next(s for s in list_sources(project) if s.case_name == respondent)
    doc = get_source(project, info.id)
    turns = list(doc.turns)
    for asked, answer in zip(turns[::2], turns[1::2], strict=True):
        if doc.text[asked.start : asked.end] == QUESTIONS[question]:
            return info.id, answer.start, answer.end
    raise AssertionError(f"{respondent} did not answer question {question + 1}")


def _answered(question: int) -> list[str]:
    from .test_import import ROWS

    return [r[0] for r in ROWS if r[5 + question].strip()]


def _codes(project: Project) -> dict[str, object]:
    return {c.name: c for c in flat_codes(project)}


def test_codes_filed_under_their_question(project: Project) -> None:
    import_survey(project, SHEET, id_column="respondent", open_columns=OPEN)
    one = create_code(project, "Finding releases")
    two = create_code(project, "Mixed feelings")
    three = create_code(project, "Merch")
    kept = create_code(project, "Unused")
    q1 = _answered(0)
    for who in q1[:2]:
        apply_code(project, *_answer(project, who, 0), one.id)
    apply_code(project, *_answer(project, q1[0], 0), two.id)
    apply_code(project, *_answer(project, _answered(1)[0], 1), two.id)
    sid, start, end = _answer(project, _answered(2)[0], 2)
    apply_code(project, sid, start + 1, end, three.id)  # inside the answer, not at its start
    done = group_by_question(project)
    assert [g.question for g in done.groups] == QUESTIONS
    assert all(g.created and not g.code.codable for g in done.groups)
    assert set(done.moved) == {("Finding releases", QUESTIONS[0]), ("Merch", QUESTIONS[2])}
    assert done.left == (("Mixed feelings", "used for 2 questions"),)
    codes = _codes(project)
    groups = {q: codes[q] for q in QUESTIONS}
    assert codes["Finding releases"].parent_id == groups[QUESTIONS[0]].id  # type: ignore[attr-defined]
    assert codes["Merch"].parent_id == groups[QUESTIONS[2]].id  # type: ignore[attr-defined]
    assert codes["Mixed feelings"].parent_id is None  # type: ignore[attr-defined]
    assert codes["Unused"].parent_id is None and kept.parent_id is None  # type: ignore[attr-defined]
    # The link is by GUID: a renamed group is still its question's group, nothing is remade.
    update_code(project, groups[QUESTIONS[0]].id, CodeFields(name="Q1 discovery"))  # type: ignore[attr-defined]
    again = group_by_question(project)
    assert not any(g.created for g in again.groups) and again.moved == ()
    assert again.groups[0].code.name == "Q1 discovery"
    assert len(flat_codes(project)) == 4 + 3


def test_no_survey_refused_in_one_line(project: Project) -> None:
    with pytest.raises(CodebookError) as info:
        group_by_question(project)
    assert "no survey answers" in str(info.value) and "\n" not in str(info.value)
    assert flat_codes(project) == []


def test_import_with_group_codes_and_cli(tmp_path: Path) -> None:
    target = tmp_path / "study.coder"
    Project.create(target).close()
    runner = CliRunner()
    args = [str(target), str(SHEET), "--id", "respondent", "--open", *OPEN, "--group-codes"]
    first = runner.invoke(survey_cli, args)
    assert first.exit_code == 0, first.output
    assert "3 questions grouped in the codebook (3 new themes)" in first.output
    tree = runner.invoke(codes_cli, [str(target)])
    assert tree.exit_code == 0, tree.output
    assert [line.split("  (")[0] for line in tree.output.splitlines()] == QUESTIONS
    again = runner.invoke(survey_cli, [*args, "--json"])
    assert again.exit_code == 0, again.output
    data = json.loads(again.output)
    assert data["duplicates"] == 20 and data["sources_imported"] == 0
    groups = data["question_groups"]["groups"]
    assert [(g["question"], g["created"]) for g in groups] == [(q, False) for q in QUESTIONS]
    by_q = runner.invoke(codes_cli, ["by-question", str(target), "--json"])
    assert by_q.exit_code == 0, by_q.output
    assert json.loads(by_q.output)["moved"] == []
    none = tmp_path / "empty.coder"
    Project.create(none).close()
    refused = runner.invoke(codes_cli, ["by-question", str(none)])
    assert refused.exit_code != 0 and "no survey answers" in str(refused.exception)
