"""No name from the participants sheet (nor a speaker label, nor the names list) survives in any
file exported from the pseudonymised sample study: docx, xlsx, csv, md and qdpx, unzipped."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from coder.cli import main
from coder.services.project.store import Project
from tests.pseudonymise.conftest import LISTED, sheet_names

EXPORTS = [
    ("table1", "docx"), ("table1", "xlsx"), ("table1", "csv"), ("table1", "md"),
    ("table2", "docx"), ("table2", "xlsx"), ("table2", "csv"), ("table2", "md"),
    ("codebook", "docx"), ("codebook", "md"), ("extracts", "docx"), ("extracts", "md"),
    ("qdpx", "qdpx"), ("agreement", "docx"), ("agreement", "xlsx"), ("agreement", "csv"),
]  # fmt: skip


def _export_all(project: Path, folder: Path, *flag: str) -> list[Path]:
    folder.mkdir()
    files = []
    for kind, ext in EXPORTS:
        out = folder / f"{kind}.{ext}"
        extra = ["--coders", "ana", "ben"] if kind == "agreement" else []
        assert main(["export", kind, str(project), "-o", str(out), *extra, *flag]) == 0, out
        files.append(out)
    return files


def _contents(path: Path) -> str:
    """The file's text, every member of a zip (docx, xlsx, qdpx) included."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_text(encoding="utf-8-sig")


def _survivors(files: list[Path], names: set[str]) -> set[tuple[str, str]]:
    found = set()
    for f in files:
        text = _contents(f)
        for name in names:
            if re.search(r"\b" + re.escape(name) + r"\b", text):
                found.add((f.name, name))
    return found


@pytest.fixture
def names(study: Path) -> set[str]:
    with Project.open(study) as project:
        return sheet_names(project) | set(LISTED)


def test_no_name_survives_the_export_flag(
    study: Path, names: set[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = _export_all(study, tmp_path / "plain")
    assert {"Helen", "Marcus Bell", "Dennis"} <= {n for _f, n in _survivors(plain, names)}
    shared = _export_all(study, tmp_path / "shared", "--pseudonymise")
    assert _survivors(shared, names) == set()
    assert "no key written" in capsys.readouterr().err


def test_no_name_survives_in_exports_of_the_copy(
    study: Path, names: set[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "shared.coder"
    assert main(["pseudonymise", str(study), "--out", str(out)]) == 0
    assert main(["check", str(out)]) == 0
    key = Path(f"{out}.key.csv").read_text(encoding="utf-8-sig")
    assert "Helen,P01" in key and "Marcus Bell,P04" in key
    assert _survivors(_export_all(out, tmp_path / "copy"), names) == set()
    capsys.readouterr()


def test_no_name_survives_in_the_shared_file_itself(
    study: Path, names: set[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shared .coder, byte for byte: not in a framework summary the researcher wrote, not
    in word frequency's lemma cache (filled at import with the original words), not in pages
    the rewrite freed."""
    from coder.services.analysis.framework import framework, set_summary
    from coder.services.analysis.word_counts import word_table

    with Project.open(study) as p:
        fw = framework(p)
        set_summary(p, fw.participants[0], fw.themes[0], "Helen and Marcus Bell spoke of Dennis.")
        assert word_table(p).words  # the lemma cache is filled and read
    out = tmp_path / "shared.coder"
    assert main(["pseudonymise", str(study), "--out", str(out)]) == 0
    raw = b"".join(f.read_bytes() for f in tmp_path.glob("shared.coder*") if "key" not in f.name)
    left = {n for n in names if re.search(rb"\b" + re.escape(n.encode()) + rb"\b", raw)}
    assert left == set()
    with Project.open(out) as p:
        summary = framework(p).cells[0][0].summary
    assert summary and "Helen" not in summary and "Dennis" not in summary
    capsys.readouterr()
