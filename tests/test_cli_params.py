"""The shared CLI pieces feature commands are written against: PROJECT, --json, emit_json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click
from click.testing import CliRunner

from coder.cli.params import PROJECT, emit_json, json_option, open_project


@dataclass(frozen=True)
class Row:
    name: str
    when: date
    file: Path
    tags: tuple[str, ...]


@click.command()
@click.argument("project", type=PROJECT)
@json_option
def probe(project: str, as_json: bool) -> None:
    if as_json:
        emit_json({"project": project, "rows": [Row("é", date(2024, 2, 29), Path("a/b"), ("x",))]})
    else:
        with open_project(project) as opened:
            click.echo(str(opened.counts()["sources"]))


def test_emit_json_turns_dataclasses_dates_and_paths_into_json() -> None:
    result = CliRunner().invoke(probe, ["postgresql://h/db", "--json"])
    assert result.exit_code == 0, result.output
    assert "é" in result.output  # not escaped
    assert json.loads(result.output) == {
        "project": "postgresql://h/db",
        "rows": [{"name": "é", "when": "2024-02-29", "file": "a/b", "tags": ["x"]}],
    }


def test_open_project_reads_a_project_and_refuses_a_missing_one(tmp_path: Path) -> None:
    from coder.cli import main
    from coder.errors import UserError

    target = tmp_path / "p.coder"
    assert main(["init", str(target)]) == 0
    assert CliRunner().invoke(probe, [str(target)]).output == "0\n"
    missing = CliRunner().invoke(probe, [str(tmp_path / "nope.coder")])
    assert isinstance(missing.exception, UserError) and "nope.coder" in str(missing.exception)
