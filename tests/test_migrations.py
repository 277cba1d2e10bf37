"""Schema migrations: one head, models match migrations, old projects backed up and upgraded."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from coder.db.lifecycle import alembic_config, head_revision, scripts_head_revision
from coder.db.models import Base
from coder.services.coding import codings as coding_svc
from coder.services.project.check import check_project
from coder.services.project.store import Project

OLD = Path(__file__).parent / "data" / "project-rev0001.coder"


def test_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


def test_migrations_build_what_the_models_describe(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    engine = create_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_downgrade_then_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    engine = create_engine(url)
    cfg = alembic_config(url)
    for step in ("head", "base", "head"):
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.upgrade if step == "head" else command.downgrade)(cfg, step)
    with engine.connect() as conn:
        assert (
            conn.execute(text("select version_num from alembic_version")).scalar()
            == head_revision()
        )


def test_old_project_is_backed_up_then_upgraded_with_rows_intact(tmp_path: Path) -> None:
    path = tmp_path / "fieldwork.coder"
    shutil.copy(OLD, path)
    with Project.open(path) as project:
        assert project.upgrade.upgraded_from == "0001"
        assert project.upgrade.backup is not None
        backup = Path(project.upgrade.backup)
        assert backup.exists() and backup.parent == tmp_path
        assert project.schema_revision() == head_revision()
        codings = coding_svc.codings_for_source(project, 1)
        assert [(c.snippet, c.code_name, c.coder, c.memo, c.exemplar) for c in codings] == [
            ("Always, to every comment.", "Reacting", "alex", "clear case", False)
        ]
        assert check_project(project).ok
        counts = project.counts()
        assert (counts["sources"], counts["cases"], counts["codes"]) == (1, 1, 2)
        # the new column works
        coding_svc.set_exemplar(project, codings[0].id)
        # and so does a note on uncoded text (0007: a memo of kind "span" with its positions)
        from coder.services.codebook.notes import add_note, notes_in

        add_note(project, 1, 0, 6, "asked twice")
        assert [(n.start, n.end) for n in notes_in(project, 1)] == [(0, 6)]
    # the backup is the untouched old project
    db = sqlite3.connect(backup)
    assert db.execute("select version_num from alembic_version").fetchone() == ("0001",)
    assert db.execute("select count(*) from codings").fetchone() == (1,)
    db.close()
    # opening again does not back up again
    with Project.open(path) as again:
        assert again.upgrade.backup is None


def test_old_project_upgrades_on_postgres(pg_url: str) -> None:
    engine = create_engine(pg_url)
    cfg = alembic_config(pg_url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text(
                "INSERT INTO coders (guid, name, created_at) VALUES "
                "('c0de0000-0000-4000-8000-000000000001', 'alex', now())"
            )
        )
    engine.dispose()
    with Project.open(pg_url) as project:
        assert project.upgrade.upgraded_from == "0001"
        assert project.upgrade.backup is not None
        assert project.schema_revision() == head_revision()
        with project.transaction() as s:  # 0007's check constraint takes a note's kind
            s.execute(text("INSERT INTO memos (guid, kind, title, text, start_pos, end_pos, "
                           "created_at, updated_at) VALUES ('c0de0000-0000-4000-8000-0000000000"
                           "02', 'span', '', 'n', 0, 1, now(), now())"))  # fmt: skip
    with engine.connect() as conn:
        copied = conn.execute(text(f'SELECT name FROM "{project.upgrade.backup}".coders')).all()
        assert copied == [("alex",)]
    engine.dispose()
    import psycopg

    raw = pg_url.split("?")[0].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{project.upgrade.backup}" CASCADE')


def test_head_constant_matches_the_shipped_scripts() -> None:
    # HEAD_REVISION lets a project at head open without importing Alembic; a new migration
    # must move it too, or every project would be "upgraded" on each open.
    assert head_revision() == scripts_head_revision()


def test_opening_a_project_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "quick.coder"
    Project.create(path).close()
    code = (
        "import sys\n"
        "from coder.services.project.store import Project\n"
        f"Project.open({str(path)!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
