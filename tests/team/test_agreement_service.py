"""Agreement gathered from a real project (SQLite and PostgreSQL) and written as a table."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from sklearn.metrics import cohen_kappa_score

from coder.errors import UserError
from coder.services.project.store import Project
from coder.services.team.agreement import agreement, agreement_table, write_agreement
from tests.team.agreement_fixtures import TEXT, two_coder_project


def test_agreement_from_the_project(project: Project) -> None:
    two_coder_project(project)
    result = agreement(project, ["ann", "ben"], unit="char")
    assert result.sources_compared == 1 and result.sources_total == 2
    assert [c.code for c in result.codes] == ["Hard times", "Change", "Better"]
    hard = result.codes[0].figures
    assert (hard.units, hard.both, hard.only_a, hard.only_b) == (len(TEXT), 12, 0, 16)
    a = [int(31 <= i < 43) for i in range(len(TEXT))]
    b = [int(31 <= i < 59) for i in range(len(TEXT))]
    assert hard.kappa == pytest.approx(cohen_kappa_score(a, b))
    better = result.codes[2].figures
    assert (better.both, better.only_a, better.only_b, better.kappa) == (19, 0, 0, 1.0)
    assert result.codes[1].figures.kappa is None  # nobody coded the theme itself

    turns = agreement(project, ["ann", "ben"], unit="turn", codes=["Change/Better", "hard times"])
    assert [c.code for c in turns.codes] == ["Better", "Hard times"]
    assert turns.uncoded == "skip" and turns.units_compared == 2
    assert turns.codes[1].figures.both == 1


def test_bad_names_are_one_line_errors(sqlite_project: Project) -> None:
    two_coder_project(sqlite_project)
    with pytest.raises(UserError, match="no coder named 'zoe'.*ann, ben, cat"):
        agreement(sqlite_project, ["ann", "zoe"])
    with pytest.raises(UserError, match="two different coders"):
        agreement(sqlite_project, ["ann", "ann"])
    with pytest.raises(UserError, match="no code named"):
        agreement(sqlite_project, ["ann", "ben"], codes=["Missing"])


def test_agreement_table_written_and_reopened(sqlite_project: Project, tmp_path: Path) -> None:
    two_coder_project(sqlite_project)
    result = agreement(sqlite_project, ["ann", "ben"], unit="sentence")
    assert agreement_table(result).rows[-1][0] == "All codes"
    out = tmp_path / "agreement.docx"
    assert write_agreement(result, out) == "docx"
    doc = docx.Document(io.BytesIO(out.read_bytes()))
    assert doc.tables[0].rows[0].cells[3].text == "Only ann"
    assert any("Two coders (ann and ben)" in p.text for p in doc.paragraphs)
    with pytest.raises(UserError, match="cannot tell the format"):
        write_agreement(result, tmp_path / "agreement.pdf")
    assert not (tmp_path / "agreement.pdf").exists()
