"""`--coder NAME` on every command that writes codings or memos, over CODER_NAME and the saved
name; without it, the identity resolution decides (coder.services.team.identity)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from coder.cli import main
from coder.refi.model import RefiCoding, RefiProject, RefiSource
from coder.refi.qdpx_write import write_qdpx
from coder.services.codebook.codes import create_code
from coder.services.coding.listing import list_codings
from coder.services.project.store import Project
from coder.services.team.identity import current_coder, set_user_name
from coder.vocab.dto import CodeSpec
from tests.team.helpers import add_source


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.delenv("CODER_NAME", raising=False)


def coders(target: str) -> list[str]:
    with Project.open(target) as p:
        return [r.coder for r in list_codings(p)]


def test_code_takes_coder_then_environment_then_saved_name(
    any_target: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project.create(any_target) as p:
        add_source(p, "We reply to every fan. We share every post.", "one")
        create_code(p, "Reacting")
    set_user_name("Dana")
    assert main(["code", any_target, "one", "0", "5", "Reacting"]) == 0
    monkeypatch.setenv("CODER_NAME", "Walter")
    assert main(["code", any_target, "one", "6", "11", "Reacting"]) == 0
    assert main(["code", any_target, "one", "12", "17", "Reacting", "--coder", "Sam"]) == 0
    capsys.readouterr()
    assert coders(any_target) == ["Dana", "Walter", "Sam"]
    assert main(["code", any_target, "one", "0", "5", "Reacting", "--coder", "x" * 201]) == 1
    assert "at most 200 characters" in capsys.readouterr().err


def test_import_project_gives_unattributed_codings_to_coder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = CodeSpec("Reacting", str(uuid.uuid4()))
    src = RefiSource(str(uuid.uuid4()), "one", "We reply to every fan.",
                     codings=(RefiCoding(str(uuid.uuid4()), str(code.guid), 0, 8),))  # fmt: skip
    path = tmp_path / "other.qdpx"
    path.write_bytes(write_qdpx(RefiProject("Other tool", (code,), (src,))))
    target = str(tmp_path / "in.coder")
    assert main(["import-project", target, str(path), "--coder", "Kim"]) == 0, capsys.readouterr()
    assert coders(target) == ["Kim"]


def test_open_codes_as_the_given_coder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import coder.launch

    seen: list[str] = []
    monkeypatch.setenv("CODER_NAME", "")  # so that what `--coder` sets is undone afterwards
    monkeypatch.setattr(coder.launch, "open_workspace", lambda t: seen.append(current_coder()) or 0)
    target = tmp_path / "p.coder"
    Project.create(target).close()
    assert main(["open", str(target), "--coder", "  Ruth  Smith "]) == 0
    assert seen == ["Ruth Smith"]
