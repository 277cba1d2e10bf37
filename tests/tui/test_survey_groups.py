"""The workspace puts a new theme under the survey question of the answer being read (a real
Textual pilot on the sample study with the sample survey imported and grouped)."""

from __future__ import annotations

from pathlib import Path

from coder.services.codebook.codes import flat_codes
from coder.services.codebook.questions import group_by_question
from coder.services.project.store import Project
from coder.services.sources.survey import import_survey
from coder.services.sources.transcripts import list_sources
from tests.survey.test_import import OPEN, SHEET
from tests.survey.test_questions import QUESTIONS, _answer, _answered

from .conftest import settle


async def test_new_theme_goes_under_the_answers_question(sample: Path) -> None:
    from coder.tui.app import CoderApp

    with Project.open(sample) as project:
        import_survey(project, SHEET, id_column="respondent", open_columns=OPEN)
        group_by_question(project)
        sid, start, end = _answer(project, _answered(1)[0], 1)
        group = next(c.id for c in flat_codes(project) if c.name == QUESTIONS[1])
        interview = next(s.id for s in list_sources(project) if s.format != "survey")
    project = Project.open(sample)
    try:
        app = CoderApp(project)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            ws = app.workspace
            ws.load_doc(sid)
            await settle(pilot)
            ws.transcript.select(start + 2, end - 1)
            await settle(pilot)
            await pilot.press("f3", "home", "a", *"Word of mouth", "enter")
            await settle(pilot)
            ws.load_doc(interview)  # not a survey answer: a theme stays a theme
            await settle(pilot)
            await pilot.press("f3", "home", "a", *"Touring", "enter")
            await settle(pilot)
    finally:
        project.close()
    with Project.open(sample) as reopened:
        parents = {c.name: c.parent_id for c in flat_codes(reopened)}
    assert parents["Word of mouth"] == group
    assert parents["Touring"] is None


async def test_palette_groups_codes_by_question_and_undo(sample: Path) -> None:
    from coder.services.codebook.codes import create_code
    from coder.services.coding.codings import apply_code
    from coder.tui.app import CoderApp

    with Project.open(sample) as project:
        import_survey(project, SHEET, id_column="respondent", open_columns=OPEN)
        sid, start, end = _answer(project, _answered(2)[0], 2)
        merch = create_code(project, "Merch")
        apply_code(project, sid, start, end, merch.id)
    project = Project.open(sample)
    try:
        app = CoderApp(project)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.workspace.load_doc(sid)
            await settle(pilot)
            await pilot.press("ctrl+p", *"Group codes by question")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            with Project.open(sample) as seen:
                parents = {c.name: c.parent_id for c in flat_codes(seen)}
            assert parents["Merch"] == next(
                c.id for c in flat_codes(project) if c.name == QUESTIONS[2]
            )
            assert all(q in parents for q in QUESTIONS)
            await pilot.press("ctrl+z")
            await settle(pilot)
    finally:
        project.close()
    with Project.open(sample) as reopened:
        parents = {c.name: c.parent_id for c in flat_codes(reopened)}
    assert parents["Merch"] is None
    assert not any(q in parents for q in QUESTIONS)
