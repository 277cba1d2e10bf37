"""import_survey and `coder import-survey` on real projects (SQLite, and PostgreSQL when
reachable): participants with typed attributes, sources with question turns, one transaction,
one-line refusals with nothing stored."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coder.cli.survey import import_survey as survey_cli
from coder.errors import UserError
from coder.services.project.store import Project
from coder.services.sources import survey as survey_service
from coder.services.sources.cases import list_cases
from coder.services.sources.survey import SurveyError, import_survey
from coder.services.sources.transcripts import get_source, list_sources

SHEET = Path(__file__).resolve().parents[2] / "transcripts_sample" / "survey_fans_social_media.csv"
with SHEET.open(encoding="utf-8", newline="") as _handle:
    _TABLE = list(csv.reader(_handle))
HEADERS, ROWS = _TABLE[0], _TABLE[1:]
OPEN = HEADERS[5:8]
EMPTY = sum(1 for row in ROWS for cell in row[5:8] if not cell.strip())


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_sample_survey_imported(project: Project) -> None:
    result = import_survey(project, SHEET, id_column="respondent", open_columns=OPEN)
    assert (result.respondents, result.participants_created) == (20, 20)
    assert (result.sources_imported, result.duplicates) == (20, 0)
    assert EMPTY > 0 and result.empty_answers == EMPTY
    assert result.answers == 60 - EMPTY
    types = {a.name: a.type for a in result.attributes}
    assert types == {"role": "text", "staff": "integer", "founded": "integer", "country": "text"}
    cases = {c.name: c for c in list_cases(project)}
    assert cases["S05"].values["staff"] == 8 and cases["S05"].values["country"] == "UK"
    sources = {s.name: s for s in list_sources(project)}
    assert set(sources) == {f"survey_fans_social_media S{n:02d}" for n in range(1, 21)}
    s06 = sources["survey_fans_social_media S06"]
    assert s06.case_name == "S06" and s06.format == "survey"
    text = get_source(project, s06.id)
    said = [(t.speaker, text.text[t.start : t.end]) for t in text.turns]
    assert said == [
        ("Question", OPEN[0]),
        ("S06", ROWS[5][5]),
        ("Question", OPEN[2]),
        ("S06", ROWS[5][7]),
    ]


def test_per_answer_and_reimport(sqlite_project: Project) -> None:
    first = import_survey(
        sqlite_project,
        SHEET,
        id_column="RESPONDENT",
        open_columns=OPEN,
        attribute_columns=["staff"],
        per_answer=True,
    )
    assert first.sources_imported == 60 - EMPTY
    assert [a.name for a in first.attributes] == ["staff"]
    again = import_survey(
        sqlite_project, SHEET, id_column="respondent", open_columns=OPEN, per_answer=True
    )
    assert (again.participants_created, again.participants_updated) == (0, 20)
    assert (again.sources_imported, again.duplicates) == (0, 60 - EMPTY)
    assert sqlite_project.counts()["sources"] == 60 - EMPTY


def test_reimport_updates_values_and_adds_respondents(project: Project, tmp_path: Path) -> None:
    """Stored in bulk, a second sheet still replaces a participant's typed values, adds new
    respondents, and names a source whose name is taken "(2)"."""
    import_survey(project, SHEET, id_column="respondent", open_columns=OPEN)
    rows = [list(r) for r in ROWS[:2]]
    rows[0][HEADERS.index("staff")] = "9"
    rows[0][6] = "A changed answer."
    rows[1][0] = "S99"
    rows[1][5] = "A new answer."
    second = _write_csv(tmp_path / "survey_fans_social_media.csv", [HEADERS, *rows])
    again = import_survey(project, second, id_column="respondent", open_columns=OPEN)
    assert (again.participants_created, again.participants_updated) == (1, 1)
    assert (again.sources_imported, again.duplicates) == (2, 0)
    cases = {c.name: c for c in list_cases(project)}
    assert cases[ROWS[0][0]].values["staff"] == 9
    assert cases["S99"].values["staff"] == int(ROWS[1][HEADERS.index("staff")])
    names = {s.name: s.case_name for s in list_sources(project)}
    assert names["survey_fans_social_media S99"] == "S99"
    assert names[f"survey_fans_social_media {ROWS[0][0]} (2)"] == ROWS[0][0]


def test_xlsx_and_windows_csv(sqlite_project: Project, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "age", "Café au lait?"])
    sheet.append([1, 31, "Oui, très bien."])
    sheet.append([2, 44, None])
    book.save(tmp_path / "s.xlsx")
    result = import_survey(
        sqlite_project, tmp_path / "s.xlsx", id_column="id", open_columns=["café au lait?"]
    )
    assert (result.sources_imported, result.empty_answers) == (1, 1)
    assert {a.name: a.type for a in result.attributes} == {"age": "integer"}
    cp = _write_csv(tmp_path / "w.csv", [["id", "Réponse"], ["x", "Déjà vu"]], "cp1252")
    import_survey(sqlite_project, cp, id_column="id", open_columns=["Réponse"])
    texts = [get_source(sqlite_project, s.id).text for s in list_sources(sqlite_project)]
    assert any("Oui, très bien." in t for t in texts) and any("x: Déjà vu" in t for t in texts)


@pytest.mark.parametrize(
    ("rows", "kwargs", "message"),
    [
        ([HEADERS, *ROWS, ROWS[2]], {}, "row 22: respondent id 'S03' already used on row 4"),
        (
            [HEADERS, *ROWS],
            {"open_columns": [*OPEN, "Favourite band"]},
            "no column named 'Favourite band'",
        ),
        (
            [HEADERS, *ROWS],
            {"attribute_columns": ["age"]},
            "no column named 'age' for an attribute",
        ),
    ],
    ids=["duplicate-id", "unknown-open-column", "unknown-attribute"],
)
def test_refused_with_nothing_stored(
    project: Project, tmp_path: Path, rows: list[list[str]], kwargs: dict[str, object], message: str
) -> None:
    path = _write_csv(tmp_path / "bad.csv", rows)
    args: dict[str, object] = {"id_column": "respondent", "open_columns": OPEN, **kwargs}
    before = project.counts()
    with pytest.raises(SurveyError) as info:
        import_survey(project, path, **args)  # type: ignore[arg-type]
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)
    assert "\n" not in str(info.value)
    assert project.counts() == before


def test_one_transaction(sqlite_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the sources and turns were written leaves no participant, value or
    source behind."""
    real = survey_service.store_sources

    def failing(*args: object, **kwargs: object) -> object:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("disk full")

    monkeypatch.setattr(survey_service, "store_sources", failing)
    with pytest.raises(RuntimeError):
        import_survey(sqlite_project, SHEET, id_column="respondent", open_columns=OPEN)
    counts = sqlite_project.counts()
    assert (counts["sources"], counts["cases"]) == (0, 0)
    assert list_cases(sqlite_project) == [] and list_sources(sqlite_project) == []


def test_cli_imports_with_many_values(tmp_path: Path) -> None:
    target = tmp_path / "study.coder"
    Project.create(target).close()
    runner = CliRunner()
    args = [
        str(target),
        str(SHEET),
        "--open",
        *OPEN,
        "--id",
        "respondent",
        "--attributes",
        "staff",
        "country",
    ]
    result = runner.invoke(survey_cli, args)
    assert result.exit_code == 0, result.output
    assert "20 respondents (20 new participants, 0 updated), 3 questions" in result.output
    assert f"{EMPTY} empty answers skipped" in result.output
    assert "attributes: staff (integer), country (text)" in result.output
    again = runner.invoke(
        survey_cli,
        [*args[:2], "--id", "respondent", "--open", OPEN[0], "--per-answer", "--json"],
    )
    assert again.exit_code == 0, again.output
    data = json.loads(again.output)
    answered = 20 - sum(1 for r in ROWS if not r[5].strip())
    # S16 answered only the first question: that answer's text is already stored as S16's source.
    assert (data["sources_imported"], data["duplicates"]) == (answered - 1, 1)
    # without --attributes every column that is neither the id nor open becomes an attribute
    assert [a["name"] for a in data["attributes"]] == [*HEADERS[1:5], *OPEN[1:]]


def test_cli_refuses_in_one_line(tmp_path: Path) -> None:
    target = tmp_path / "study.coder"
    Project.create(target).close()
    result = CliRunner().invoke(
        survey_cli, [str(target), str(SHEET), "--id", "who", "--open", OPEN[0]]
    )
    assert isinstance(result.exception, UserError)
    assert str(result.exception).startswith(f"{SHEET}: no column named 'who'")
    missing = CliRunner().invoke(survey_cli, [str(target), str(SHEET), "--id", "respondent"])
    assert missing.exit_code == 2 and "--open" in missing.output
