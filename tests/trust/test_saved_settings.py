"""Issue 13 item 7: previews and evaluations never change what the project remembers."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.cli import main
from coder.export.columns import TableConfig
from coder.services.project.store import Project
from coder.services.reports import layout, table1, table2


def test_preview_to_stdout_does_not_remember_columns(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project.open(sample) as project:
        labels = [c.label for c in table2.table2_columns(project)]
    out = tmp_path / "t2.docx"
    assert main(["export", "table2", str(sample), "-o", str(out), "--columns", labels[0]]) == 0
    with Project.open(sample) as project:
        saved = layout.load_config(project, "table2")
    assert len(saved.columns) == 1
    both = ",".join(labels[:2])
    code = main(
        [
            "export",
            "table2",
            str(sample),
            "-o",
            "-",
            "--format",
            "md",
            "--columns",
            both,
            "--caption",
            "X",
        ]
    )
    assert code == 0 and "X" in capsys.readouterr().out
    with Project.open(sample) as project:
        assert layout.load_config(project, "table2") == saved


def test_remembered_caption_stays_with_its_columns(sample: Path) -> None:
    with Project.open(sample) as project:
        labels = [(c.key, c.label) for c in table2.table2_columns(project)]
        layout.save_config(project, "table2", TableConfig((labels[0],), "Table 2. Approaches only"))
        same = table2.table2_data(project)
        assert same.caption == "Table 2. Approaches only"
        other = table2.table2_data(project, TableConfig(tuple(labels[:2])))
        assert other.caption != "Table 2. Approaches only"
        given = table2.table2_data(project, TableConfig(tuple(labels[:2]), "Mine"))
        assert given.caption == "Mine"
        # Table 1 never shows Table 2's caption.
        assert table1.table1_data(project).caption != "Table 2. Approaches only"
