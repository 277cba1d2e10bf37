"""Who is coding: the one place that resolves the coder's name.

Every coding, memo and suggestion decision records its coder, so the name must be stable from
one session to the next. It is stored once per user account (`coder config user NAME`) in a
small JSON file in the user's config folder (platformdirs), and can be overridden per command
(`--coder`) or per shell (`CODER_NAME`). Without any of these the login name is used, and the
workspace asks once (it checks `configured_user_name()`).
"""

from __future__ import annotations

import getpass
import json
import os
import tempfile
from pathlib import Path

from platformdirs import user_config_dir

from coder.errors import UserError

ENV_NAME = "CODER_NAME"
CONFIG_FILE = "config.json"
MAX_NAME = 200
FALLBACK = "researcher"


class IdentityError(UserError):
    """A user-facing problem with the coder's name or the config file (one line)."""


def config_path() -> Path:
    """The user's coder config file (it may not exist yet)."""
    return Path(user_config_dir("coder", appauthor=False)) / CONFIG_FILE


def _read_config() -> dict[str, object]:
    path = config_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise IdentityError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        raise IdentityError(
            f"{path}: not valid JSON (line {exc.lineno}); fix or delete it"
        ) from exc
    if not isinstance(data, dict):
        raise IdentityError(f"{path}: expected a JSON object; fix or delete it")
    return data


def clean_name(name: str) -> str:
    """A coder's name as stored: one line, inner spaces collapsed, at most 200 characters."""
    clean = " ".join(name.split())
    if not clean:
        raise IdentityError("a coder's name cannot be empty")
    if len(clean) > MAX_NAME:
        raise IdentityError(f"a coder's name is at most {MAX_NAME} characters")
    return clean


def configured_user_name() -> str | None:
    """The name saved with `coder config user`, or None when none is saved."""
    value = _read_config().get("user")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def set_user_name(name: str) -> str:
    """Save the coder's name in the user's config file (atomically); returns the stored name."""
    clean = clean_name(name)
    data = _read_config()
    data["user"] = clean
    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=2)
                fh.write("\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise IdentityError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    return clean


def login_name() -> str:
    """The operating system's login name, or "researcher" where there is none."""
    try:
        return getpass.getuser() or FALLBACK
    except Exception:  # no login name in some containers
        return FALLBACK


def current_coder(override: str | None = None) -> str:
    """The coder's name: `override` (--coder), else $CODER_NAME, else the saved name, else the
    login name."""
    for candidate in (override, os.environ.get(ENV_NAME)):
        if candidate and candidate.strip():
            return clean_name(candidate)
    return configured_user_name() or login_name()


def coder_source(override: str | None = None) -> str:
    """Where `current_coder` took the name from: "option", "environment", "config" or "login"
    (the workspace asks for a name once when it is "login")."""
    if override and override.strip():
        return "option"
    if (os.environ.get(ENV_NAME) or "").strip():
        return "environment"
    return "config" if configured_user_name() else "login"
