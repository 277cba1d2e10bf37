"""The framework matrix: summaries kept in the project (SQLite and PostgreSQL), a cell's
passages, undo, the `coder framework` forms and the Word export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from coder.cli import cli
from coder.db.models import Case, Code, Source
from coder.errors import UserError
from coder.services.analysis import framework as fw
from coder.services.codebook.codes import delete_code, merge_codes
from coder.services.coding.codings import apply_code
from coder.services.project.store import Project
from tests.analysis.test_gather import code_sample
from tests.team.helpers import add_source

TEXT = "We answer every fan. The label sends vinyl. We thank them on the radio."


def _study(p: Project) -> dict[str, int]:
    """Two participants, a theme with a sub-code and a second theme, a few codings."""
    a, b = add_source(p, TEXT, "ann"), add_source(p, TEXT + " More.", "ben")
    with p.transaction() as s:
        ann, ben = Case(name="Ann"), Case(name="Ben")
        bonding, spreading = Code(name="Bonding", position=0), Code(name="Spreading", position=1)
        s.add_all([ann, ben, bonding, spreading])
        s.flush()
        reply = Code(name="Replying", parent_id=bonding.id)
        s.add(reply)
        s.get_one(Source, a).case_id = ann.id
        s.get_one(Source, b).case_id = ben.id
        s.flush()
        ids = {"bonding": bonding.id, "reply": reply.id, "spreading": spreading.id}
    apply_code(p, a, 0, 20, ids["reply"], coder="ana")
    apply_code(p, a, 0, 20, ids["bonding"], coder="ana")  # same span: one passage
    apply_code(p, a, 47, 70, ids["reply"], coder="ana")
    apply_code(p, a, 21, 42, ids["spreading"], coder="ana")
    apply_code(p, b, 0, 20, ids["spreading"], coder="ana")
    return ids


def test_summaries_round_trip(project: Project) -> None:
    _study(project)
    assert fw.get_summary(project, "Ann", "Bonding") == ""
    cell = fw.set_summary(project, "Ann", "Bonding", "  Answers fans herself.\nDaily.  ")
    assert cell.summary == "Answers fans herself.\nDaily." and cell.passages == 2
    fw.set_summary(project, "ann", "spreading", "Vinyl via the label")  # any case
    fw.set_summary(project, "Ann", "Bonding", "Answers every fan")  # replaces
    assert fw.get_summary(project, "Ann", "Bonding") == "Answers every fan"
    m = fw.framework(project)
    assert m.participants == ("Ann", "Ben") and m.themes == ("Bonding", "Spreading")
    grid = [[(c.summary, c.passages) for c in row] for row in m.cells]
    assert grid == [[("Answers every fan", 2), ("Vinyl via the label", 1)], [("", 0), ("", 1)]]
    passages = fw.cell_passages(project, "Ann", "Bonding")
    assert [(x.start, x.end) for x in passages] == [(0, 20), (47, 70)]
    assert passages[0].text == TEXT[0:20]
    assert passages[0].codes == ("Bonding", "Bonding/Replying")
    fw.set_summary(project, "Ann", "Bonding", "")
    assert fw.get_summary(project, "Ann", "Bonding") == ""
    with pytest.raises(UserError, match="no participant"):
        fw.set_summary(project, "Zed", "Bonding", "x")
    with pytest.raises(UserError, match="no theme"):
        fw.set_summary(project, "Ann", "Replying", "x")  # a sub-code is not a theme


def test_a_saved_summary_can_be_undone(sqlite_project: Project) -> None:
    p = sqlite_project
    _study(p)
    fw.set_summary(p, "Ann", "Bonding", "first")
    fw.set_summary(p, "Ann", "Bonding", "second")
    assert p.history.next_undo() == "framework summary"
    p.history.undo(p)
    assert fw.get_summary(p, "Ann", "Bonding") == "first"
    p.history.undo(p)
    assert fw.get_summary(p, "Ann", "Bonding") == ""
    p.history.redo(p)
    assert fw.get_summary(p, "Ann", "Bonding") == "first"


def test_undo_of_a_deleted_or_merged_theme_brings_its_summaries_back(project: Project) -> None:
    p = project
    ids = _study(p)
    fw.set_summary(p, "Ann", "Bonding", "Answers fans herself")
    fw.set_summary(p, "Ben", "Bonding", "Leaves it to the label")
    fw.set_summary(p, "Ann", "Spreading", "Vinyl via the label")

    def cells() -> dict[tuple[str, str], str]:
        m = fw.framework(p)
        return {(c.participant, c.theme): c.summary for row in m.cells for c in row if c.summary}

    written = cells()
    assert len(written) == 3
    delete_code(p, ids["bonding"])
    assert cells() == {("Ann", "Spreading"): "Vinyl via the label"}
    p.history.undo(p)
    assert cells() == written and fw.cell_passages(p, "Ann", "Bonding")
    p.history.redo(p)
    assert "Bonding" not in fw.framework(p).themes
    p.history.undo(p)
    assert cells() == written
    merge_codes(p, ids["spreading"], ids["bonding"])
    assert fw.framework(p).themes == ("Bonding",) and len(cells()) == 2
    p.history.undo(p)
    assert cells() == written


@pytest.fixture(scope="module")
def coded(sample_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fw") / "s.coder"
    shutil.copy(sample_master, target)
    code_sample(target)
    return target


def test_cli_forms_and_word_export(coded: Path, tmp_path: Path) -> None:
    run = CliRunner().invoke
    out = run(cli, ["framework", "set", str(coded), "P01", "Bonding", "Replies to every fan"])
    assert out.exit_code == 0 and "wrote P01 | Bonding" in out.output
    run(cli, ["framework", "set", str(coded), "P02", "Spreading", "[red]Vinyl[/red] | radio"])
    listing = run(cli, ["framework", str(coded)])
    assert listing.exit_code == 0 and "P01 | Bonding" in listing.output
    assert "summaries written" in listing.output.splitlines()[-1]
    data = json.loads(run(cli, ["framework", str(coded), "--json"]).output)
    assert data["themes"] == ["Bonding", "Spreading"] and len(data["participants"]) == 12
    cell = next(c for c in data["cells"] if c["participant"] == "P01" and c["theme"] == "Bonding")
    assert cell["summary"] == "Replies to every fan" and cell["passages"] > 0
    shown = json.loads(
        run(cli, ["framework", "show", str(coded), "P01", "Bonding", "--json"]).output
    )
    assert shown["summary"] == "Replies to every fan"
    assert len(shown["passages"]) == cell["passages"]
    bad = run(cli, ["framework", "set", str(coded), "Nobody", "Bonding", "x"])
    assert bad.exit_code != 0 and isinstance(bad.exception, UserError)

    target = tmp_path / "fw.docx"
    assert run(cli, ["export", "framework", str(coded), "-o", str(target)]).exit_code == 0
    doc = Document(str(target))
    table = doc.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Participant", "Bonding", "Spreading"]
    assert rows[1] == ["P01", "Replies to every fan", ""]
    assert rows[2][2] == "[red]Vinyl[/red] | radio"  # plain text, as typed
    assert len(rows) == 13
    assert any(p.text.startswith("Framework matrix") for p in doc.paragraphs)
    md = tmp_path / "fw.md"
    assert run(cli, ["export", "framework", str(coded), "-o", str(md)]).exit_code == 0
    assert "Replies to every fan" in md.read_text(encoding="utf-8")
