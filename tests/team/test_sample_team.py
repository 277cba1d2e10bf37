"""The demo study has two coders (Ruth and Sam on P01 and P04) and the bundled survey; the plain
study the test fixtures build stays as it was (no codings, twelve interviews)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from coder.cli import main
from coder.services.coding.listing import list_codings
from coder.services.project.sample import (
    DOUBLE_CODING,
    apply_double_coding,
    build_sample_study,
    data_dir,
)
from coder.services.project.store import Project
from coder.services.reports.table1 import table1_data
from coder.services.sources.cases import list_cases
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "demo.coder"
    return build_sample_study(target, second_coder=True, survey=True)


def sheet_rows() -> list[dict[str, str]]:
    with (SAMPLE / DOUBLE_CODING).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_row_is_one_coding_by_its_coder(demo: Path) -> None:
    rows = sheet_rows()
    assert data_dir("transcripts_sample") == SAMPLE and len(rows) == 47
    with Project.open(demo) as p:
        stored = list_codings(p)
    want = sorted((r["Source"], r["Coder"], r["Code"].split("/")[-1], r["Quote"]) for r in rows)
    got = sorted((c.source[:3], c.coder, c.code, c.text) for c in stored)
    assert got == want
    # Where Ruth and Sam agree, the same span is two codings, one each.
    both = {(c.source, c.start, c.end, c.code) for c in stored if c.coder == "Ruth"} & {
        (c.source, c.start, c.end, c.code) for c in stored if c.coder == "Sam"
    }
    assert len(both) >= 10


def test_survey_respondents_are_participants_and_table1_stays_readable(demo: Path) -> None:
    with Project.open(demo) as p:
        counts = p.counts()
        cases = {c.name for c in list_cases(p)}
        table = table1_data(p)
    assert counts["sources"] == 32 and counts["cases"] == 32
    assert {f"S{i:02d}" for i in range(1, 21)} | {f"P{i:02d}" for i in range(1, 13)} == cases
    heads = [c.label for c in table.columns]
    assert heads[:3] == ["Participant", "Label", "Position"]
    assert heads[-4:] == ["Role", "Staff", "Founded", "Country"]
    first = {r.cells[0]: r.cells for r in table.rows}
    assert first["P01"][1:3] == ("A", "Vice President") and first["P01"][-1] == ""
    assert first["S01"][-4:] == ("Owner", "3", "2009", "UK")
    assert [c.numeric for c in table.columns][-3:-1] == [True, True]


def test_agreement_on_the_demo(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["agreement", str(demo), "--coders", "Ruth", "Sam", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["coders"] == ["Ruth", "Sam"]
    kappa = data["overall"]["kappa"]
    assert kappa is not None and 0.5 < kappa < 0.9  # substantial, not perfect, agreement
    reacting = next(c for c in data["codes"] if c["code"] == "Reacting")
    assert reacting["both"] > 0 and reacting["only_a"] + reacting["only_b"] > 0


def test_the_fixture_study_is_unchanged(sample_master: Path) -> None:
    with Project.open(sample_master) as p:
        counts = p.counts()
    assert (counts["sources"], counts["codings"], counts["cases"]) == (12, 0, 12)


def test_a_quote_not_in_its_source_is_a_bug(sample: Path, tmp_path: Path) -> None:
    bad = tmp_path / "double.csv"
    bad.write_text("Source,Coder,Code,Quote\nP01,Ruth,Bonding/Reacting,Never said this.\n")
    with Project.open(sample) as p:
        with pytest.raises(ValueError, match=r"row 2: quote not found in P01"):
            apply_double_coding(p, bad)
        assert p.counts()["codings"] == 0
