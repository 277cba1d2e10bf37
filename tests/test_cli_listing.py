"""The plain listings of `coder sources` and `coder cases list`, as a researcher reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.fixture
def mixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    project = str(tmp_path / "m.coder")
    run(capsys, "init", project)
    (tmp_path / "p01.txt").write_text("Interviewer: Why?\nAlice: Because fans reply.\n")
    (tmp_path / "answers.csv").write_text("id,Q1\nr1,I like the band a lot\n")
    (tmp_path / "people.csv").write_text(
        "Participant,Source,Age,Joined\nAlice,p01,34,\nBob,,41,2012-01-01\n"
    )
    run(capsys, "import", project, str(tmp_path / "p01.txt"))
    run(
        capsys,
        "import-survey",
        project,
        str(tmp_path / "answers.csv"),
        "--id",
        "id",
        "--open",
        "Q1",
    )
    run(capsys, "cases", "import", project, str(tmp_path / "people.csv"))
    return project


def test_sources_columns_line_up_with_a_survey_source(
    mixed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 'survey' source's format is six letters; its words column sat one place to the right."""
    lines = run(capsys, "sources", mixed).splitlines()
    assert [" txt " in lines[0], " survey " in lines[1]] == [True, True], lines
    assert len({line.index(" words") for line in lines}) == 1, lines
    assert len({line.index(" turns") for line in lines}) == 1, lines


def test_sources_count_each_sources_speaker_turns(
    mixed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README lists speaker turns among what `coder sources` shows; only --json had them."""
    by = {line.split()[0]: line.split() for line in run(capsys, "sources", mixed).splitlines()}
    assert by["p01"][by["p01"].index("turns") - 1] == "2", by


def test_cases_list_leaves_out_attributes_without_a_value(
    mixed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Alice's empty Joined cell was listed as 'Joined: None'."""
    by = {line.split()[0]: line for line in run(capsys, "cases", "list", mixed).splitlines()}
    assert "None" not in by["Alice"] and "Age: 34" in by["Alice"]
    assert "Joined: 2012-01-01" in by["Bob"]
