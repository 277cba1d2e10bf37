"""Agreement gathered from a real project (SQLite and PostgreSQL) and written as a table.

Codings of the second coder are inserted through the ORM: on this branch the coding service
still folds a second coder's identical coding into the first coder's (issue 11), which is fixed
elsewhere.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from sklearn.metrics import cohen_kappa_score

from coder.db.models import Coder, Coding
from coder.errors import UserError
from coder.ingest import ParsedSource
from coder.ingest.records import Turn
from coder.services.codes import create_code
from coder.services.project import Project
from coder.services.sources import store_parsed
from coder.services.team.agreement import agreement, agreement_table, write_agreement

TEXT = "Interviewer: How was it?\nAnna: It was hard. We had no rota.\nAnna: Then it got better."
OTHER = "Nobody coded this one by the second coder."


def _setup(project: Project) -> dict[str, int]:
    turns = (Turn("Interviewer", 13, 24, None), Turn("Anna", 31, 59, None),
             Turn("Anna", 66, len(TEXT), None))  # fmt: skip
    ids = {}
    for name, text, tt in (("one", TEXT, turns), ("two", OTHER, ())):
        out = store_parsed(
            project,
            ParsedSource(text=text, turns=tt, format="txt", encoding="utf-8"),
            name=name,
            filename=name,
        )
        assert out.source_id is not None
        ids[name] = out.source_id
    ids["hard"] = create_code(project, "Hard times").id
    theme = create_code(project, "Change")
    ids["better"] = create_code(project, "Better", parent_id=theme.id).id
    ids["change"] = theme.id
    spans = [
        ("ann", "one", 31, 43, "hard"),  # "It was hard."
        ("ben", "one", 31, 59, "hard"),  # the whole turn
        ("ann", "one", 66, 85, "better"),
        ("ben", "one", 66, 85, "better"),  # identical span, second coder
        ("ann", "two", 0, 6, "hard"),  # ben never coded source two
    ]
    with project.transaction() as s:
        coders = {n: Coder(name=n) for n in ("ann", "ben", "cat")}
        s.add_all(coders.values())
        s.flush()
        for who, src, start, end, code in spans:
            text = TEXT if src == "one" else OTHER
            s.add(
                Coding(
                    source_id=ids[src],
                    code_id=ids[code],
                    start=start,
                    end=end,
                    snippet=text[start:end],
                    coder_id=coders[who].id,
                )
            )
    return ids


def test_agreement_from_the_project(project: Project) -> None:
    _setup(project)
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
    _setup(sqlite_project)
    with pytest.raises(UserError, match="no coder named 'zoe'.*ann, ben, cat"):
        agreement(sqlite_project, ["ann", "zoe"])
    with pytest.raises(UserError, match="two different coders"):
        agreement(sqlite_project, ["ann", "ann"])
    with pytest.raises(UserError, match="no code named"):
        agreement(sqlite_project, ["ann", "ben"], codes=["Missing"])


def test_agreement_table_written_and_reopened(sqlite_project: Project, tmp_path: Path) -> None:
    _setup(sqlite_project)
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
