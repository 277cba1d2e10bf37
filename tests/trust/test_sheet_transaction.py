"""Issue 13 item 9: a participant sheet naming an unknown source stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.services.project.store import Project
from coder.services.sources.cases import CasesError, import_cases, list_attributes, list_cases
from coder.services.sources.transcripts import import_files


def test_unknown_source_stores_nothing(project: Project, tmp_path: Path) -> None:
    transcript = tmp_path / "P1.txt"
    transcript.write_text("Interviewer: Hello?\nP1: Hi there.\n", "utf-8")
    import_files(project, [transcript])
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "Participant,Organisation,Role,Source\n"
        "P1,Alpha,Owner,P1.txt\n"
        "P2,Beta,Intern,P2_missing.txt\n",
        "utf-8",
    )
    with pytest.raises(CasesError) as err:
        import_cases(project, str(sheet))
    message = str(err.value)
    assert "\n" not in message and str(sheet) in message and "P2_missing.txt" in message
    assert "row 3" in message
    assert list_cases(project) == []
    assert list_attributes(project) == []
    assert project.counts()["organisations"] == 0


def test_known_sources_still_link(project: Project, tmp_path: Path) -> None:
    transcript = tmp_path / "P1.txt"
    transcript.write_text("Interviewer: Hello?\nP1: Hi there.\n", "utf-8")
    import_files(project, [transcript])
    sheet = tmp_path / "people.csv"
    sheet.write_text("Participant,Source\nP1,P1.txt\n", "utf-8")
    result = import_cases(project, str(sheet))
    assert result.sources_linked == 1 and result.unmatched_sources == ()


@pytest.mark.parametrize(
    ("sheet", "kwargs", "problem"),
    [
        ("Person,Age\nAda,30\n", {}, "no participant column"),
        ("Participant,Age\nAda,30\n", {"participant_column": "Who"}, "no column named 'Who'"),
        ("Participant,Age\nAda,30\n ,31\n", {}, "row 3: the 'Participant' cell is empty"),
        ("Participant,Age\nAda,30\nAda,31\n", {}, "'Ada' appears on more than one row"),
    ],
)
def test_every_refusal_names_the_sheet(
    project: Project, tmp_path: Path, sheet: str, kwargs: dict[str, str], problem: str
) -> None:
    """ "coder: no participant column; ..." did not say which file, unlike every other
    refusal of a sheet."""
    from coder.services.sources.cases import CaseSheetSpec

    path = tmp_path / "people.csv"
    path.write_text(sheet, "utf-8")
    with pytest.raises(CasesError) as err:
        import_cases(project, str(path), CaseSheetSpec(**kwargs))
    message = str(err.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message
    assert list_cases(project) == []
