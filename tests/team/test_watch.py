"""Others' new codings are noticed: PRAGMA data_version on SQLite, LISTEN/NOTIFY on PostgreSQL."""

from __future__ import annotations

import pytest

from coder.services.codebook.codes import create_code
from coder.services.coding import codings as coding_svc
from coder.services.project.settings import put_setting
from coder.services.project.store import Project
from coder.services.team.watch import ChangeWatcher
from tests.team.helpers import add_source


def test_another_clients_coding_is_noticed_once(any_target: str) -> None:
    with Project.create(any_target) as mine:
        sid = add_source(mine, "We answer every comment.")
        code = create_code(mine, "Reacting").id
        with ChangeWatcher(mine) as watcher, Project.open(any_target) as theirs:
            assert watcher.poll() is False
            coding_svc.apply_code(theirs, sid, 0, 9, code, coder="Ben")
            assert watcher.poll() is True
            assert watcher.poll() is False
            # a write that rolls back announces nothing
            with pytest.raises(RuntimeError), theirs.transaction() as s:
                from coder.db.models import Setting

                s.add(Setting(key="x", value="y"))
                s.flush()
                raise RuntimeError("abandoned")
            assert watcher.poll() is False
            put_setting(theirs, "layout", "wide")
            coding_svc.apply_code(mine, sid, 10, 16, code, coder="Ana")
            assert watcher.poll() is True
            assert watcher.poll() is False


def test_watchers_of_two_postgres_projects_do_not_hear_each_other(pg_url: str) -> None:
    import psycopg

    schema = pg_url.rsplit("%3D", 1)[1]
    other_schema = f"{schema}_b"
    raw = pg_url.split("?")[0].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{other_schema}"')
    try:
        other_url = pg_url.replace(f"%3D{schema}", f"%3D{other_schema}")
        with Project.create(pg_url) as a, Project.create(other_url) as b:
            with ChangeWatcher(a) as wa, ChangeWatcher(b) as wb:
                assert wa.channel != wb.channel
                put_setting(b, "k", "v")
                assert (wa.poll(), wb.poll()) == (False, True)
    finally:
        with psycopg.connect(raw, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{other_schema}" CASCADE')
