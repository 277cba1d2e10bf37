"""Who is coding: `coder config user` saved per user, --coder and CODER_NAME override it."""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from coder.services.codebook.codes import create_code
from coder.services.coding import codings as coding_svc
from coder.services.project.store import Project
from coder.services.team import identity
from coder.services.team.identity import (
    IdentityError,
    configured_user_name,
    current_coder,
    set_user_name,
)
from tests.team.helpers import add_source


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private config folder and no CODER_NAME."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.delenv("CODER_NAME", raising=False)
    return tmp_path / "cfg"


def _config_cli() -> ModuleType:
    """coder.cli.config (loaded from its file while coder/cli.py still shadows the package)."""
    try:
        return importlib.import_module("coder.cli.config")
    except ModuleNotFoundError:
        path = Path(identity.__file__).parents[2] / "cli" / "config.py"
        spec = importlib.util.spec_from_file_location("coder_cli_config", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


def test_unset_name_falls_back_to_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identity, "login_name", lambda: "login-person")
    assert configured_user_name() is None
    assert current_coder() == "login-person"
    assert identity.coder_source() == "login"


def test_saved_name_is_used_and_overridden(home: Path) -> None:
    assert set_user_name("  Dana   Scully ") == "Dana Scully"
    stored = json.loads((home / "coder" / "config.json").read_text(encoding="utf-8"))
    assert stored == {"user": "Dana Scully"}
    assert configured_user_name() == "Dana Scully"
    assert current_coder() == "Dana Scully"
    assert current_coder("Fox") == "Fox"


def test_environment_overrides_saved_name(monkeypatch: pytest.MonkeyPatch) -> None:
    set_user_name("Dana")
    monkeypatch.setenv("CODER_NAME", "Walter")
    assert current_coder() == "Walter"
    assert current_coder("Fox") == "Fox"
    assert identity.coder_source() == "environment"


def test_bad_names_and_broken_config_are_one_line_errors(home: Path) -> None:
    with pytest.raises(IdentityError, match="empty"):
        set_user_name("   ")
    with pytest.raises(IdentityError, match="at most 200"):
        set_user_name("x" * 201)
    (home / "coder").mkdir(parents=True)
    (home / "coder" / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IdentityError, match="not valid JSON"):
        configured_user_name()


def test_codings_record_the_saved_coder(tmp_path: Path) -> None:
    set_user_name("Dana")
    with Project.create(tmp_path / "p.coder") as p:
        src_id = add_source(p, "Some words here.")
        code = create_code(p, "Theme")
        mine = coding_svc.apply_code(p, src_id, 0, 4, code.id)
        theirs = coding_svc.apply_code(p, src_id, 5, 10, code.id, coder="Fox")
    assert (mine.coder, theirs.coder) == ("Dana", "Fox")


def test_config_user_command_saves_and_shows() -> None:
    cli = _config_cli()
    runner = CliRunner()
    out = runner.invoke(cli.config, ["user", "Dana Scully"])
    assert out.exit_code == 0, out.output
    assert "coding as Dana Scully" in out.output
    assert configured_user_name() == "Dana Scully"
    shown = runner.invoke(cli.config, ["user"])
    assert shown.exit_code == 0 and shown.output.startswith("Dana Scully (from ")
    bad = runner.invoke(cli.config, ["user", "  "])
    assert isinstance(bad.exception, IdentityError)
