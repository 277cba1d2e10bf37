"""Issue 13 item 6: hostile or broken codebook files are refused in one line naming the line."""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

import pytest

from coder.cli import main
from coder.errors import UserError
from coder.refi.codebook import write_qdc
from coder.services.codebook import codes as codes_svc
from coder.services.codebook.files import import_codebook_file
from coder.services.project.store import Project
from coder.vocab.codebook_limits import MAX_CODE_DEPTH, MAX_NAME_CHARS
from coder.vocab.dto import Codebook, CodeSpec
from tests.export.refi_fixtures import zipped


def _refused(project: Project, path: Path, line: int | None = None) -> str:
    started = time.monotonic()
    with pytest.raises(UserError) as err:
        import_codebook_file(project, path)
    # A hang guard (alias bombs grew forever), not a speed target.
    assert time.monotonic() - started < 120
    message = str(err.value)
    assert "\n" not in message and len(message) < 300
    assert str(path) in message
    if line is not None:
        assert f"line {line}" in message
    assert codes_svc.flat_codes(project) == []
    return message


def test_unclosed_quote_is_refused(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "book.yaml"
    path.write_text(
        "codebook: x\n"
        "codes:\n"
        "  - name: Coping\n"
        '  - name: "Reacting\n'
        "    description: how people respond\n"
        '  - name: "Other"\n'
        "    description: the rest\n",
        "utf-8",
    )
    _refused(sqlite_project, path, line=4)


def test_alias_bomb_is_refused_quickly(sqlite_project: Project, tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        prev = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{prev}]")
    lines.append("codes:\n  - name: x\n    keywords: *a9")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert path.stat().st_size < 2000
    assert "alias" in _refused(sqlite_project, path, line=1)


def test_alias_cycle_is_refused(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text("codes: &c\n  - name: x\n    children: *c\n", "utf-8")
    _refused(sqlite_project, path, line=1)


def _nested_yaml(depth: int) -> str:
    out = ["codes:"]
    for level in range(depth):
        pad = "  " * (2 * level)
        out.append(f"{pad}  - name: c{level}")
        if level < depth - 1:
            out.append(f"{pad}    children:")
    return "\n".join(out) + "\n"


def test_deep_nesting_is_refused(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(_nested_yaml(500), "utf-8")
    assert "deep" in _refused(sqlite_project, path)


def test_allowed_depth_imports(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(_nested_yaml(MAX_CODE_DEPTH), "utf-8")
    import_codebook_file(sqlite_project, path)
    assert len(codes_svc.flat_codes(sqlite_project)) == MAX_CODE_DEPTH


def test_deep_qdc_is_refused(sqlite_project: Project, tmp_path: Path) -> None:
    spec = CodeSpec(name="c499")
    for level in range(498, -1, -1):
        spec = CodeSpec(name=f"c{level}", children=(spec,))
    path = tmp_path / "deep.qdc"
    path.write_bytes(write_qdc(Codebook(title="", codes=(spec,))))
    assert "deep" in _refused(sqlite_project, path)


def test_long_name_is_refused(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text("codes:\n  - name: ok\n  - name: " + "x" * 10_000 + "\n", "utf-8")
    message = _refused(sqlite_project, path, line=3)
    assert str(MAX_NAME_CHARS) in message


def test_long_name_in_qdc_is_refused(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "long.qdc"
    path.write_bytes(write_qdc(Codebook(title="", codes=(CodeSpec(name="x" * 10_000),))))
    _refused(sqlite_project, path)


def test_too_many_codes_is_refused(sqlite_project: Project, tmp_path: Path) -> None:
    from coder.vocab.codebook_limits import MAX_CODES

    path = tmp_path / "many.yaml"
    path.write_text(
        "codes:\n" + "".join(f"  - name: c{i}\n" for i in range(MAX_CODES + 1)), "utf-8"
    )
    _refused(sqlite_project, path)


def test_deep_qdpx_import_project_is_one_line(tmp_path: Path) -> None:
    opening = "".join(f'<Code guid="{_guid(i)}" name="c{i}" isCodable="true">' for i in range(500))
    qde = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="deep"><CodeBook><Codes>'
        + opening
        + "</Code>" * 500
        + "</Codes></CodeBook></Project>"
    )
    qdpx = tmp_path / "deep.qdpx"
    qdpx.write_bytes(zipped({"project.qde": qde}))
    target = tmp_path / "new.coder"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["import-project", str(target), str(qdpx)])
    assert code == 1
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and "deep" in lines[0] and str(qdpx) in lines[0]
    assert not target.exists()


def _guid(i: int) -> str:
    return f"00000000-0000-4000-8000-{i:012d}"
