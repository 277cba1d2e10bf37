"""Table 2's Passages (n) counts passages, not codings: as `coder matrix` counts them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from coder.cli import main
from tests.conftest import CODEBOOKS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_a_passage_two_coders_coded_counts_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With Ruth and Sam both coding a passage, Table 2 said 30 passages where the matrix
    (and the transcript) had 17: every coder's coding of a span was counted as a passage."""
    project = str(tmp_path / "t.coder")
    book = str(CODEBOOKS / "bonding-spreading.yaml")
    run(capsys, "init", project, "--codebook", book)
    text = "Interviewer: And fans?\nAlice: We reply to every message. We post diaries.\n"
    (tmp_path / "p01.txt").write_text(text)
    run(capsys, "import", project, str(tmp_path / "p01.txt"))
    reply = (text.index("We reply"), text.index(" We post"))
    diary = (text.index("We post"), len(text) - 1)
    for who, code, (start, end) in (
        ("Ruth", "Bonding/Reacting", reply),
        ("Sam", "Bonding/Reacting", reply),
        ("Ruth", "Bonding/Reacting", diary),
        ("Sam", "Bonding/Approaching", reply),
    ):
        run(capsys, "code", project, "p01", str(start), str(end), code, "--coder", who)
    out = tmp_path / "t2.csv"
    run(capsys, "export", "table2", project, "-o", str(out), "--theme-rows")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    head = rows[0]
    passages = {(r[0], r[1]): int(r[head.index("Passages (n)")]) for r in rows[1:]}
    assert passages[("Bonding", "Reacting")] == 2
    assert passages[("Bonding", "Approaching")] == 1
    assert passages[("Bonding", "Overall")] == 2  # the reply passage once, for all three
    matrix = json.loads(run(capsys, "matrix", project, "--json"))
    totals = {r["path"]: r["total"] for r in matrix["rows"]}
    assert totals["Bonding/Reacting"] == 2 and totals["Bonding"] == 2
