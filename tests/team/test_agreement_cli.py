"""`coder agreement PROJECT --coders A B [--unit ...] [--codes NAME...] [--json]`, run with
click's CliRunner on the command object (the lead registers it in coder.cli.COMMANDS)."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from coder.cli.team import agreement, export_agreement, regroup
from coder.db.models import Coder, Coding
from coder.services.project.store import Project
from tests.team.agreement_fixtures import TEXT, two_coder_project

CODE_KEYS = {"code", "guid", "units", "both", "only_a", "only_b", "neither", "percent",
             "kappa", "alpha"}  # fmt: skip


@pytest.fixture
def target(tmp_path: Path) -> str:
    path = tmp_path / "team.coder"
    with Project.create(path) as project:
        two_coder_project(project)
    return str(path)


def test_regroup_spreads_greedy_values() -> None:
    args = ["p.coder", "--coders", "a", "b", "c", "--unit", "turn", "--codes", "X", "Y/Z",
            "--json"]  # fmt: skip
    want = ["p.coder", "--coders", "a", "--coders", "b", "--coders", "c", "--unit", "turn",
            "--codes", "X", "--codes", "Y/Z", "--json"]  # fmt: skip
    assert regroup(args) == want


def test_json_form(target: str) -> None:
    run = CliRunner().invoke(agreement, [target, "--coders", "ann", "ben", "--json"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.output)
    assert data["unit"] == "char" and data["coders"] == ["ann", "ben"]
    assert data["overall"]["units"] == 3 * len(TEXT)
    assert [c["code"] for c in data["codes"]] == ["Hard times", "Change", "Better"]
    for entry in data["codes"]:
        assert CODE_KEYS <= entry.keys()
    assert data["codes"][1]["kappa"] is None and "neither coder" in data["codes"][1]["reason"]


def test_unit_codes_and_three_coders(target: str) -> None:
    run = CliRunner().invoke(
        agreement,
        [target, "--coders", "ann", "ben", "--unit", "turn", "--codes", "Better", "--json"],
    )
    assert run.exit_code == 0, run.output
    data = json.loads(run.output)
    assert data["unit"] == "turn" and [c["code"] for c in data["codes"]] == ["Better"]
    assert data["codes"][0]["kappa"] == 1.0
    # cat exists but coded nothing: no source was coded by all three.
    three = CliRunner().invoke(agreement, [target, "--coders", "ann", "ben", "cat", "--json"])
    assert three.exit_code == 0, three.output
    data = json.loads(three.output)
    assert data["kappa_method"] == "Fleiss" and data["overall"]["reason"] == "no units to compare"


def test_text_output_says_why_kappa_is_missing(target: str) -> None:
    run = CliRunner().invoke(agreement, [target, "--coders", "ann", "ben", "--unit", "sentence"])
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    assert lines[0].split()[:4] == ["code", "units", "both", "only"]
    assert any(line.startswith("All codes") for line in lines)
    assert "Change: neither coder applied this code" in run.output
    assert "Two coders (ann and ben) independently coded 1 of 2 sources" in run.output
    assert "nan" not in run.output.lower()


def test_user_mistakes(target: str, tmp_path: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(agreement, [target, "--coders", "ann", "zoe"])
    assert unknown.exit_code != 0 and "no coder named 'zoe'" in str(unknown.exception)
    bad_unit = runner.invoke(agreement, [target, "--coders", "ann", "ben", "--unit", "word"])
    assert bad_unit.exit_code == 2
    missing = runner.invoke(agreement, [str(tmp_path / "nope.coder"), "--coders", "a", "b"])
    assert missing.exit_code != 0


def test_export_agreement_writes_the_table(target: str, tmp_path: Path) -> None:
    out = tmp_path / "agreement.docx"
    run = CliRunner().invoke(export_agreement, [target, "-o", str(out), "--unit", "sentence"])
    assert run.exit_code == 0, run.output
    assert run.output.strip() == f"wrote {out}: 3 codes, ann and ben"  # the two who coded
    doc = docx.Document(str(out))
    assert doc.tables[0].rows[0].cells[0].text == "Code"
    assert any("Two coders (ann and ben)" in p.text for p in doc.paragraphs)
    md = CliRunner().invoke(export_agreement, [target, "-o", "-", "--format", "md"])
    assert md.exit_code == 0 and "| Hard times |" in md.output
    bad = CliRunner().invoke(export_agreement, [target, "-o", "-"])
    assert bad.exit_code != 0 and "cannot print docx" in str(bad.exception)
    assert "add --format md (or csv)" in str(bad.exception)


def test_export_agreement_asks_which_coders(target: str, tmp_path: Path) -> None:
    with Project.open(target) as project, project.transaction() as s:
        cat = s.scalar(select(Coder.id).where(Coder.name == "cat"))
        coding = s.scalars(select(Coding)).first()
        assert coding is not None
        s.add(Coding(source_id=coding.source_id, code_id=coding.code_id, start=0, end=5,
                     snippet=TEXT[:5], coder_id=cat))  # fmt: skip
    out = tmp_path / "a.xlsx"
    run = CliRunner().invoke(export_agreement, [target, "-o", str(out)])
    assert "coders who coded: ann, ben, cat" in str(run.exception) and not out.exists()
    three = CliRunner().invoke(export_agreement, [target, "-o", str(out), "--coders", "ann",
                                                  "ben", "cat"])  # fmt: skip
    assert three.exit_code == 0, three.output
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(row=2, column=3).value == "All"


def test_a_figure_that_rounds_to_zero_is_never_negative_zero() -> None:
    """The demo's Bonding row printed alpha as -0.00 (α = -0.00015: Ruth alone used it)."""
    from coder.wording import figure

    for show in (figure,):
        assert show(-0.00015) == "0.00"
        assert show(-0.004) == "0.00"
        assert show(-0.006) == "-0.01"
        assert show(-0.04, 1) == "0.0"
        assert show(0.6789) == "0.68"
        assert show(None) == "\u2014"
