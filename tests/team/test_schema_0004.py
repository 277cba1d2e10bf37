"""Revision 0004: a fresh project and an upgraded one have the same schema; duplicates are
folded and clashing names renamed on upgrade; ids are never reused on SQLite."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from coder.db.lifecycle import alembic_config, head_revision
from coder.db.models import Base
from coder.services.coding import codings as coding_svc
from coder.services.project.store import Project
from tests.team.helpers import add_source

OLD = Path(__file__).parents[1] / "data" / "project-rev0001.coder"


def _signature(engine: Engine) -> dict[str, Any]:
    """Everything about the tables that matters: columns, keys, constraints and indexes."""
    out: dict[str, Any] = {}
    with engine.connect() as conn:
        insp = inspect(conn)
        for table in sorted(Base.metadata.tables):
            cols = [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)]
            out[table] = {
                "columns": sorted(cols),
                "pk": insp.get_pk_constraint(table)["constrained_columns"],
                "fks": sorted(
                    (
                        tuple(f["constrained_columns"]),
                        f["referred_table"],
                        str((f.get("options") or {}).get("ondelete")),
                    )
                    for f in insp.get_foreign_keys(table)
                ),
                "unique": sorted(
                    (u["name"], tuple(u["column_names"]))
                    for u in insp.get_unique_constraints(table)
                ),
                "checks": sorted(str(c["name"]) for c in insp.get_check_constraints(table)),
            }
        if engine.dialect.name == "sqlite":
            for name, table, sql in conn.exec_driver_sql(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
                "AND sql IS NOT NULL ORDER BY name"
            ):
                out.setdefault(table, {}).setdefault("indexes", []).append(
                    (name, " ".join(sql.split()))
                )
            for name, sql in conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
            ):
                if name in out:
                    out[name]["autoincrement"] = "AUTOINCREMENT" in sql
        else:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
            for table in Base.metadata.tables:
                rows = conn.execute(
                    text(
                        "SELECT indexname, indexdef FROM pg_indexes "
                        "WHERE schemaname = current_schema() AND tablename = :t"
                    ),
                    {"t": table},
                )
                out[table]["indexes"] = sorted((n, d.replace(f"{schema}.", "")) for n, d in rows)
    return out


def test_fresh_and_upgraded_sqlite_projects_have_the_same_schema(tmp_path: Path) -> None:
    Project.create(tmp_path / "fresh.coder").close()
    shutil.copy(OLD, tmp_path / "old.coder")
    with Project.open(tmp_path / "old.coder") as old:
        assert old.upgrade.upgraded_from == "0001"
    fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.coder'}")
    upgraded = create_engine(f"sqlite:///{tmp_path / 'old.coder'}")
    a, b = _signature(fresh), _signature(upgraded)
    assert a == b
    assert all(a[t]["autoincrement"] for t in ("codings", "codes", "memos", "coders"))
    assert (
        "uq_codes_sibling_name",
        "CREATE UNIQUE INDEX uq_codes_sibling_name ON codes (coalesce(parent_id, 0), lower(name))",
    ) in a["codes"]["indexes"]
    assert (
        "uq_codings_span_code_coder",
        ("source_id", "start_pos", "end_pos", "code_id", "coder_id"),
    ) in a["codings"]["unique"]


def test_fresh_and_upgraded_postgres_projects_have_the_same_schema(pg_url: str) -> None:
    import psycopg

    schema = pg_url.rsplit("%3D", 1)[1]
    other = f"{schema}_old"
    raw = pg_url.split("?")[0].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{other}"')
    old_url = pg_url.replace(f"%3D{schema}", f"%3D{other}")
    try:
        Project.create(pg_url).close()
        engine = create_engine(old_url)
        cfg = alembic_config(old_url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0003")
        engine.dispose()
        with Project.open(old_url) as p:
            assert p.upgrade.upgraded_from == "0003"
            backup = p.upgrade.backup
        fresh, upgraded = create_engine(pg_url), create_engine(old_url)
        assert _signature(fresh) == _signature(upgraded)
        fresh.dispose()
        upgraded.dispose()
    finally:
        with psycopg.connect(raw, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{other}" CASCADE')
            if backup:
                conn.execute(f'DROP SCHEMA IF EXISTS "{backup}" CASCADE')


def test_upgrade_folds_duplicate_codings_and_renames_clashing_codes(tmp_path: Path) -> None:
    path = tmp_path / "dups.coder"
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.exec_driver_sql(
            "INSERT INTO coders (id, guid, name, created_at) VALUES "
            "(1, 'g-a', 'alex', '2026-01-01'), (2, 'g-b', 'bea', '2026-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO sources (id, guid, name, filename, format, text, sha256, words, "
            "imported_at) VALUES (1, 'g-s', 's', 's.txt', 'txt', 'We answer every comment.', "
            "'h', 4, '2026-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO codes (id, guid, parent_id, name, description, inclusion, exclusion, "
            "keywords, examples, color, position, codable) VALUES "
            "(1, 'g-c1', NULL, 'Reacting', '', '', '', '[]', '[]', '#888888', 0, 1), "
            "(2, 'g-c2', NULL, 'reacting', '', '', '', '[]', '[]', '#888888', 1, 1), "
            "(3, 'g-c3', 1, 'Fans', '', '', '', '[]', '[]', '#888888', 0, 1), "
            "(4, 'g-c4', 2, 'Fans', '', '', '', '[]', '[]', '#888888', 0, 1)"
        )
        values = ", ".join(
            f"({i}, 'g-k{i}', 1, 1, 0, 9, 'We answer', {coder}, '2026-01-01', '{memo}', {ex})"
            for i, coder, memo, ex in [
                (1, 1, "first", 0),
                (2, 1, "second", 1),
                (3, 1, "first", 0),
                (4, 2, "", 0),  # another coder: kept
            ]
        )
        conn.exec_driver_sql(
            "INSERT INTO codings (id, guid, source_id, code_id, start_pos, end_pos, snippet, "
            f"coder_id, created_at, memo, exemplar) VALUES {values}"
        )
    engine.dispose()
    with Project.open(path) as p:
        assert p.upgrade.upgraded_from == "0003"
        rows = sorted(
            (c.id, c.coder, c.memo, c.exemplar) for c in coding_svc.codings_for_source(p, 1)
        )
        assert rows == [(1, "alex", "first\nsecond", True), (4, "bea", "", False)]
    db = sqlite3.connect(path)
    names = db.execute("SELECT id, parent_id, name FROM codes ORDER BY id").fetchall()
    assert names == [
        (1, None, "Reacting"),
        (2, None, "reacting (2)"),
        (3, 1, "Fans"),
        (4, 2, "Fans"),
    ]
    db.close()


def test_ids_are_never_reused_on_sqlite(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.coder") as p:
        sid = add_source(p, "We answer every comment.")
        from coder.services.codebook.codes import create_code, delete_code

        code = create_code(p, "Reacting")
        first = coding_svc.apply_code(p, sid, 0, 9, code.id)
        coding_svc.remove_coding(p, first.id)
        again = coding_svc.apply_code(p, sid, 0, 9, code.id)
        assert again.id > first.id
        delete_code(p, code.id)
        assert create_code(p, "Reacting").id > code.id


def test_the_schema_refuses_a_second_identical_coding(any_target: str) -> None:
    with Project.create(any_target) as p:
        sid = add_source(p, "We answer every comment.")
        from coder.services.codebook.codes import create_code

        code = create_code(p, "Reacting")
        c = coding_svc.apply_code(p, sid, 0, 9, code.id)
        with pytest.raises(IntegrityError), p.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO codings (guid, source_id, code_id, start_pos, end_pos, snippet, "
                    "coder_id, created_at, memo, exemplar) SELECT 'other', source_id, code_id, "
                    "start_pos, end_pos, snippet, coder_id, created_at, memo, exemplar "
                    "FROM codings WHERE id = :id"
                ),
                {"id": c.id},
            )
        with pytest.raises(IntegrityError), p.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO codes (guid, parent_id, name, description, inclusion, exclusion,"
                    " keywords, examples, color, position, codable) VALUES ('x', NULL, "
                    "'REACTING', '', '', '', '[]', '[]', '#888888', 1, true)"
                )
            )
    assert head_revision() >= "0004"
