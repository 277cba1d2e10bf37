"""Shared fixtures: real projects on SQLite files and, when reachable, on PostgreSQL.

`any_target` runs a test once per backend. PostgreSQL tests use a throwaway schema on the
server at 127.0.0.1:5432 (database `test`, or $CODER_TEST_PG_URL) and are skipped, with the
reason, when no server answers.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# The researcher's own `coder config user` name and CODER_NAME must not reach the tests: a
# name such as "Ruth Evans" is one the sample study pseudonymises, and a saved name skips the
# workspace's "Who is coding?" question. Session fixtures see this folder; each test gets its
# own (below).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="coder-test-config-")
os.environ.pop("CODER_NAME", None)


@pytest.fixture(autouse=True)
def _own_user_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh, empty user config folder for every test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("user-config")))
    monkeypatch.delenv("CODER_NAME", raising=False)


PG_BASE = os.environ.get("CODER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_reachable() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        url = PG_BASE.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, connect_timeout=3):
            return None
    except Exception as exc:
        return f"PostgreSQL not reachable: {str(exc).splitlines()[0] if str(exc) else exc}"


_PG_PROBLEM = _pg_reachable()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A database URL whose search_path is a fresh schema, dropped afterwards."""
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    import psycopg

    schema = f"coder_test_{uuid.uuid4().hex[:12]}"
    raw = PG_BASE.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(raw, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh project location on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "study.coder")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def project(any_target: str):  # type: ignore[no-untyped-def]
    from coder.services.project.store import Project

    with Project.create(any_target) as p:
        yield p


@pytest.fixture
def sqlite_project(tmp_path: Path):  # type: ignore[no-untyped-def]
    from coder.services.project.store import Project

    with Project.create(tmp_path / "study.coder") as p:
        yield p


REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "transcripts_sample"
CODEBOOKS = REPO / "codebooks"


@pytest.fixture
def write_text(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(name: str, text: str, encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.write_bytes(text.encode(encoding))
        return p

    return make


@pytest.fixture(scope="session")
def sample_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 12-interview sample study with its codebook (built once per test run)."""
    from coder.services.project.sample import build_sample_study

    return build_sample_study(tmp_path_factory.mktemp("sample") / "s.coder")


@pytest.fixture
def sample(sample_master: Path, tmp_path: Path) -> Path:
    """A private copy of the sample study (codebook, participants, no codings)."""
    import shutil

    target = tmp_path / "s.coder"
    shutil.copy(sample_master, target)
    return target
