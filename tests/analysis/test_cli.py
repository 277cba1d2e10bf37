"""The analysis commands through click's CliRunner on a real SQLite sample study.

They need the click CLI (coder/cli/params.py, branch cli-click); until that is merged the
module is skipped as a whole, with that reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("coder.cli.params", reason="needs the click CLI (branch cli-click)")

from click.testing import CliRunner  # noqa: E402

from coder.cli.analysis import cooccur, matrix, query, words  # noqa: E402
from coder.errors import UserError  # noqa: E402
from tests.analysis.test_gather import code_sample  # noqa: E402


@pytest.fixture
def coded(sample: Path) -> Path:
    code_sample(sample)
    return sample


def run(cmd, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cmd, list(args), catch_exceptions=True)


def test_matrix_json_shape_and_text(coded: Path) -> None:
    out = run(matrix, str(coded), "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert list(data) == ["cols", "rows", "totals"]
    assert data["cols"][0] == "P01" and len(data["cols"]) == 12
    assert list(data["rows"][0]) == ["code", "guid", "path", "cells", "total"]
    assert sum(data["totals"]) == 36
    words = json.loads(
        run(matrix, str(coded), "--cols", "coder", "--cell", "words", "--json").output
    )
    assert words["cols"] == ["ana", "bo"]
    text = run(matrix, str(coded), "--cols", "attr:Year established", "--bins", "2").output
    assert text.splitlines()[0].startswith("Code") and "Total" in text
    bad = run(matrix, str(coded), "--cols", "attr:Height")
    assert bad.exit_code != 0 and isinstance(bad.exception, UserError)
    assert run(matrix, str(coded), "--cell", "minutes").exit_code == 2


def test_cooccur(coded: Path) -> None:
    data = json.loads(run(cooccur, str(coded), "--by", "near:5", "--json").output)
    assert set(data) == {"by", "codes", "counts", "jaccard"}
    n = len(data["codes"])
    assert all(data["counts"][i][j] == data["counts"][j][i] for i in range(n) for j in range(n))
    assert any(data["counts"][i][j] for i in range(n) for j in range(n) if i != j)
    assert run(cooccur, str(coded), "--by", "turn").exit_code == 0
    assert isinstance(run(cooccur, str(coded), "--by", "page").exception, UserError)


def test_query(coded: Path) -> None:
    out = run(query, str(coded), '"Approaching" OR "Reacting"', "--json")
    hits = json.loads(out.output)
    assert hits and set(hits[0]) == {"source", "start", "end", "text", "codes"}
    every = json.loads(run(query, str(coded), '"Approaching"', "--speaker", "all", "--json").output)
    only = json.loads(run(query, str(coded), '"Approaching"', "--json").output)
    assert len(every) > len(only)
    rock = run(query, str(coded), '"Approaching"', "--where", "Genre(s) contains rock", "--json")
    assert {h["source"][:3] for h in json.loads(rock.output)} < {h["source"][:3] for h in every}
    saved = run(
        query,
        str(coded),
        '"Approaching"',
        "--where",
        "Genre(s) contains rock",
        "--save",
        "rock",
        "--json",
    )
    assert json.loads(saved.output) == json.loads(rock.output)
    again = run(query, str(coded), "@rock", "--json")
    assert json.loads(again.output) == json.loads(rock.output)
    assert isinstance(run(query, str(coded), "@nope").exception, UserError)
    bad = run(query, str(coded), '"Approaching" AND')
    assert isinstance(bad.exception, UserError) and "position" in str(bad.exception)


def test_words(coded: Path) -> None:
    data = json.loads(run(words, str(coded), "--top", "5", "--json").output)
    assert data["groups"] == ["all"] and len(data["words"]) == 5
    grouped = json.loads(run(words, str(coded), "--group", "organisation", "--json").output)
    assert len(grouped["groups"]) == 10
    in_code = run(words, str(coded), "--code", "Approaching", "--top", "3")
    assert in_code.exit_code == 0 and len(in_code.output.splitlines()) == 4
    kwic = run(words, str(coded), "--kwic", "radio")
    assert "[radio]" in kwic.output
    assert isinstance(run(words, str(coded), "--code", "Nope").exception, UserError)


def test_words_say_when_there_is_nothing(coded: Path) -> None:
    """`--kwic` for a word that never occurs printed nothing at all, and a table with no words
    printed only its header: each now says so in a line (exit 0, and --json stays [])."""
    out = run(words, str(coded), "--kwic", "zyzzyva")
    assert out.exit_code == 0
    assert out.output.strip() == (
        "no occurrence of 'zyzzyva' outside interviewer turns (--interviewer looks there too)"
    )
    out = run(words, str(coded), "--kwic", "zyzzyva", "--interviewer", "--code", "Approaching")
    assert out.output.strip() == "no occurrence of 'zyzzyva' in 'Approaching'"
    assert json.loads(run(words, str(coded), "--kwic", "zyzzyva", "--json").output) == []


def test_kwic_keeps_every_occurrence_unless_top_is_given(coded: Path) -> None:
    """`coder words --kwic fans --top 3` printed all the lines: --top now cuts them when it is
    given, and without it every occurrence is still shown."""
    every = json.loads(run(words, str(coded), "--kwic", "fan", "--json").output)
    assert len(every) > 3
    three = json.loads(run(words, str(coded), "--kwic", "fan", "--top", "3", "--json").output)
    assert three == every[:3]
    text = run(words, str(coded), "--kwic", "fan", "--top", "2").output.strip().splitlines()
    assert len(text) == 2


def test_words_of_a_project_with_no_participant_turns(tmp_path: Path) -> None:
    from coder.services.project.store import Project
    from coder.services.sources.transcripts import import_files

    path = tmp_path / "q.coder"
    text = tmp_path / "only-questions.txt"
    text.write_text("Interviewer: Shall we talk about records?\nInterviewer: Or labels?\n", "utf-8")
    with Project.create(path) as project:
        import_files(project, [text])
    out = run(words, str(path))
    assert out.exit_code == 0
    assert out.output.strip() == (
        "no words to count outside interviewer turns (--interviewer counts them)"
    )
    assert "record" in run(words, str(path), "--interviewer").output


def test_analysis_exports_to_dash_say_they_are_files() -> None:
    """`coder export quotes PROJECT -o -` said "-: cannot tell the format from 'no suffix'",
    while the journal tables print to the terminal with -o -."""
    from coder.services.analysis.exports import output_format

    with pytest.raises(UserError) as err:
        output_format("quotes", "-")
    assert str(err.value) == "-o -: quotes is written to a file, named with .docx, .xlsx, .csv, .md"
    with pytest.raises(UserError) as err:
        output_format("matrix", "-")
    assert str(err.value).endswith(".png, .svg; 'coder matrix' prints it")
    assert output_format("quotes", "q.csv") == "csv"


def test_shares_print_with_two_decimals(coded: Path) -> None:
    """The text tables of --jaccard and --cell percent mixed 1.0, 0.4 and 0.1667 in a column."""
    jac = run(cooccur, str(coded), "--jaccard").output.splitlines()[1:]
    figures = [x for line in jac for x in line.split()[-len(jac) :]]
    assert figures and all(len(x.split(".")[1]) == 2 for x in figures), figures
    pct = run(matrix, str(coded), "--cell", "percent").output.splitlines()[1:]
    assert all(len(x.split(".")[1]) == 2 for line in pct for x in line.split()[-13:])
