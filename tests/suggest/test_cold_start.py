"""Suggestions from the first minute: a codebook alone ranks codes, whatever the project holds
(no transcripts, or one transcript that never uses a code's words)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coder.cli import main
from coder.services.codebook.codes import CodeFields, create_code
from coder.services.project.store import Project
from coder.services.sources.transcripts import import_files


def _project(tmp_path: Path, transcripts: int) -> Path:
    target = tmp_path / "cold.coder"
    with Project.create(target) as project:
        create_code(project, "Scholar", None, CodeFields(description="An academic at work"))
        create_code(project, "Funding", None, CodeFields(description="Money and grants"))
        if transcripts:
            doc = tmp_path / "P01.txt"
            doc.write_text(
                "Interviewer: How did the year go?\n\nP01: We moved house and the garden "
                "took most of the summer.\n",
                "utf-8",
            )
            import_files(project, [doc])
    return target


@pytest.mark.parametrize("transcripts", [0, 1])
def test_codebook_alone_ranks_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], transcripts: int
) -> None:
    target = _project(tmp_path, transcripts)
    assert main(["suggest", str(target), "--text", "Scholar", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in found][:1] == ["Scholar"]
    assert found[0]["evidence"] == ["Scholar"]
    assert main(["suggest", str(target), "--text", "grants and money", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in found] == ["Funding"]
