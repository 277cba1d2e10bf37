"""The scripting interface, exactly as acceptance checks and researchers use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from coder.cli import cli, main
from tests.conftest import CODEBOOKS, SAMPLE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def study(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    target = str(tmp_path / "s.coder")
    assert run(capsys, "init", target)[0] == 0
    files = sorted(str(p) for p in SAMPLE.glob("P*.*"))
    assert run(capsys, "import", target, *files, "-q")[0] == 0
    assert run(capsys, "cases", "import", target, str(SAMPLE / "participants.csv"))[0] == 0
    assert (
        run(capsys, "codebook", "import", target, str(CODEBOOKS / "bonding-spreading.yaml"))[0] == 0
    )
    return target


def test_sources_json_shape(study: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sources", study, "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data) == 12
    first = next(s for s in data if s["name"].startswith("P03"))
    assert {"name", "case", "format", "words", "turns"} <= set(first)
    assert first["case"] == "P03" and first["format"] == "vtt"
    assert 1500 <= first["words"] <= 4000
    turn = first["turns"][0]
    assert set(turn) >= {"speaker", "start", "end", "text"}
    assert {t["speaker"] for t in first["turns"]} == {"Interviewer", "Sam Okafor"}


def test_codes_json_tree(study: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(capsys, "codes", study, "--json")[1])
    assert [t["name"] for t in data] == ["Bonding", "Spreading"]
    assert [c["name"] for c in data[0]["children"]] == [
        "Approaching",
        "Reacting",
        "Encouraging participation",
    ]
    assert [c["name"] for c in data[1]["children"]] == [
        "Freedom to participate and share",
        "Freedom of expression",
    ]
    assert all(set(n) >= {"name", "guid", "description", "children"} for n in data)


def test_code_command_then_check(study: str, capsys: pytest.CaptureFixture[str]) -> None:
    sources = json.loads(run(capsys, "sources", study, "--json")[1])
    p09 = next(s for s in sources if s["case"] == "P09")
    turn = p09["turns"][1]
    code, out, err = run(
        capsys,
        "code",
        study,
        p09["name"],
        str(turn["start"]),
        str(turn["end"]),
        "Reacting",
        "--coder",
        "maria",
    )
    assert code == 0, err
    assert "Reacting" in out
    code, out, _ = run(capsys, "check", study)
    assert code == 0 and "1 codings" in out and "ok" in out
    tree = json.loads(run(capsys, "codes", study, "--json")[1])
    reacting = tree[0]["children"][1]
    assert reacting["codings"] == 1 and reacting["participants"] == 1


def test_code_command_errors_are_one_line(study: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ("code", study, "nope", "0", "5", "Reacting"),
        ("code", study, "P01_label_a_vice_president", "0", "5", "Nonexistent"),
        ("code", study, "P01_label_a_vice_president", "5", "2", "Reacting"),
        ("code", study, "P01_label_a_vice_president", "0", "5", "Bonding/Nope"),
    ):
        code, out, err = run(capsys, *argv)
        assert code == 1
        assert err.count("\n") == 1 and err.startswith("coder: ")
        assert "Traceback" not in err


def test_participants_and_organisation_attributes(
    study: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(run(capsys, "cases", "list", study, "--json")[1])
    by = {c["name"]: c for c in data}
    assert by["P10"]["organisation"] == "I"
    assert by["P10"]["attributes"]["Position"] == "Digital Media"
    assert by["P10"]["attributes"]["Genre(s)"] == "Rock, Folk etc."
    assert by["P10"]["attributes"]["Year established"] == 2005
    assert by["P08"]["attributes"]["Years in music industry"] == "Less than 1"
    assert by["P11"]["sources"] == ["P11_label_j_manager"]


def test_reimporting_is_detected(study: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "import", study, str(SAMPLE / "P01_label_a_vice_president.txt"))
    assert code == 0
    assert "imported 0 of 1" in out and "same text" in err


def test_failed_file_reported_and_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "s.coder")
    run(capsys, "init", target)
    good = tmp_path / "good.txt"
    good.write_text("Q: Hello?\n\nA: Hi there.\n", "utf-8")
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"this is not a zip")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "import", target, str(bad), str(good), str(empty), "-q")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "broken.docx" in lines[0] and "empty.txt" in lines[1]
    assert "imported 1 of 3" in out
    data = json.loads(run(capsys, "sources", target, "--json")[1])
    assert [s["name"] for s in data] == ["good"]


def test_db_current_and_upgrade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    old = tmp_path / "old.coder"
    shutil.copy(Path(__file__).parent / "data" / "project-rev0001.coder", old)
    code, out, _ = run(capsys, "db", "current", str(old))
    assert code == 0 and out.startswith("0001") and "needs upgrade" in out
    code, out, _ = run(capsys, "db", "upgrade", str(old))
    assert code == 0 and "upgraded 0001" in out and "backup" in out
    assert list(tmp_path.glob("old.coder.backup-0001-*"))
    code, out, _ = run(capsys, "db", "current", str(old))
    assert "up to date" in out


def test_bad_projects_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notdb = tmp_path / "notes.coder"
    notdb.write_text("hello")
    for argv in (
        ("sources", str(tmp_path / "missing.coder")),
        ("sources", str(notdb)),
        ("init", str(notdb)),
        ("codebook", "import", str(notdb), "x.yaml"),
    ):
        code, _, err = run(capsys, *argv)
        assert code == 1 and err.count("\n") == 1 and "Traceback" not in err


def test_init_with_a_bad_codebook_leaves_no_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "z.coder"
    code, _, err = run(capsys, "init", str(target), "--codebook", str(tmp_path / "nope.yaml"))
    assert code == 1 and "nope.yaml" in err and err.count("\n") == 1
    assert not target.exists()
    good = str(CODEBOOKS / "bonding-spreading.yaml")
    assert run(capsys, "init", str(target), "--codebook", good)[0] == 0


def test_every_subcommand_has_help() -> None:
    ctx = click.Context(cli)
    names: list[list[str]] = []
    for name in cli.list_commands(ctx):
        names.append([name])
        sub = cli.get_command(ctx, name)
        if isinstance(sub, click.Group):
            names.extend([name, inner] for inner in sub.list_commands(ctx))
    assert ["import"] in names and ["cases", "import"] in names and ["db", "current"] in names
    for argv in [[]] + names:
        proc = subprocess.run(
            [sys.executable, "-m", "coder.cli", *argv, "--help"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, (argv, proc.stderr)
        assert "usage: coder" in proc.stdout


def test_codes_text_shows_a_themes_roll_up(study: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`coder codes` printed "Spreading  (0 codings, 0 participants)" over sub-codes that
    held codings; the workspace's tree shows the roll-up, and so does this listing now."""
    sources = json.loads(run(capsys, "sources", study, "--json")[1])
    for case, code in (
        ("P01", "Freedom of expression"),
        ("P04", "Freedom to participate and share"),
    ):
        turn = next(s for s in sources if s["case"] == case)["turns"][1]
        args = (study, case, str(turn["start"]), str(turn["end"]), code)
        assert run(capsys, "code", *args)[0] == 0
    lines = run(capsys, "codes", study)[1].splitlines()
    assert (
        "Spreading  (0 codings, 0 participants; with sub-codes 2 codings, 2 participants)" in lines
    )
    assert "  Freedom of expression  (1 coding, 1 participant)" in lines
    assert "Bonding  (0 codings, 0 participants)" in lines  # nothing below it either
    tree = json.loads(run(capsys, "codes", study, "--json")[1])
    assert tree[1]["codings"] == 0  # the JSON keeps its shape: own counts
