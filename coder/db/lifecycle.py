"""The schema lifecycle: new projects are created at head, older ones backed up then upgraded.

This follows Taguette's recipe. A brand-new database gets `create_all()` and is stamped at the
Alembic head. A database at an older revision is first copied beside itself (SQLite's online
backup API, so a WAL file is folded in) and only then upgraded. The Alembic scripts ship inside
the installed package as `coder.migrations`, so an installed coder can upgrade by itself.

Opening a project that is already at head is the common case and must be quick (`coder info`
is meant to answer in well under a second): it reads `alembic_version` with plain SQL and
compares it to HEAD_REVISION, and imports Alembic only to create, stamp or upgrade. A test
keeps HEAD_REVISION equal to the head of the shipped scripts.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from coder.db.engine import is_read_only, is_url, make_engine, target_url
from coder.db.upgrade_lock import atomic_sqlite_copy, upgrade_lock
from coder.errors import UserError

if TYPE_CHECKING:
    from alembic.config import Config

HEAD_REVISION = "0008"
"""The newest revision in migrations/versions (tests/test_migrations.py checks they agree)."""


class ProjectError(UserError):
    """A user-facing problem opening a project (one line)."""


@dataclass(frozen=True)
class UpgradeResult:
    """What opening a project did to its schema."""

    created: bool
    upgraded_from: str | None
    backup: str | None  # a file path (SQLite) or a schema name (PostgreSQL)


def migrations_dir() -> Path:
    """Where the Alembic scripts are, inside the installed package."""
    import coder.migrations

    return Path(coder.migrations.__file__).resolve().parent


def alembic_config(url: str) -> Config:
    """An Alembic Config built in code (no alembic.ini needed at run time)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest schema revision this coder knows (without importing Alembic)."""
    return HEAD_REVISION


def scripts_head_revision() -> str:
    """The head of the shipped Alembic scripts, read by Alembic (slow: imports it)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine, tables: set[str] | None = None) -> str | None:
    """The revision a database is at, or None when it has no Alembic stamp."""
    if tables is None:
        tables = set(inspect(engine).get_table_names())
    if "alembic_version" not in tables:
        return None
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    if len(rows) != 1:
        return None if not rows else ",".join(sorted(str(r[0]) for r in rows))
    return str(rows[0][0])


def _sqlite_path(target: str | Path) -> Path | None:
    return None if is_url(str(target)) else Path(target).expanduser().resolve()


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy a SQLite project beside itself, consistently, before a schema change."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    return atomic_sqlite_copy(path, dest)


def backup_schema(engine: Engine, revision: str) -> str:
    """Copy every table into a new schema of the same server database before an upgrade."""
    stamp = datetime.now(UTC).strftime("%Y%m%d_%H%M%S")
    with engine.begin() as conn:
        current = conn.exec_driver_sql("SELECT current_schema()").scalar()
        name = f"{current}_backup_{revision}_{stamp}"[:63]
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
        for table in inspect(conn).get_table_names():
            conn.exec_driver_sql(f'CREATE TABLE "{name}"."{table}" AS TABLE "{current}"."{table}"')
    return name


def _run_alembic(engine: Engine, fn: str, revision: str) -> None:
    from alembic import command

    cfg = alembic_config(str(engine.url))
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild a table by copy, drop and rename; with foreign keys on,
            # the drop would cascade into the rows that refer to it. The pragma only takes
            # effect outside a transaction, so it is set on the driver connection first.
            _driver_pragma(conn, "PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                getattr(command, fn)(cfg, revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise ProjectError(f"schema upgrade left a dangling reference: {broken}")
        finally:
            if sqlite:
                _driver_pragma(conn, "PRAGMA foreign_keys=ON")


def _driver_pragma(conn: Connection, sql: str) -> None:
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute(sql)


def prepare_schema(engine: Engine, target: str | Path, *, create: bool) -> UpgradeResult:
    """Bring the database at `engine` to head: create it, or back it up and upgrade it."""
    tables = set(inspect(engine).get_table_names())
    user_tables = tables - {"alembic_version"}
    if not user_tables:
        if not create:
            raise ProjectError(f"{target}: not a coder project (no tables); run 'coder init' first")
        from coder.db.models import Base  # only to create: opening a project needs no ORM

        Base.metadata.create_all(engine)
        _run_alembic(engine, "stamp", "head")
        return UpgradeResult(created=True, upgraded_from=None, backup=None)
    if _other_database(tables):
        raise ProjectError(f"{target}: not a coder project (it has other tables)")
    current = current_revision(engine, tables)
    head = HEAD_REVISION
    if current == head:
        return UpgradeResult(created=False, upgraded_from=None, backup=None)
    path = _sqlite_path(target)
    if path is not None and not is_read_only(engine):
        with upgrade_lock(path):
            # Another process may have upgraded it while we waited for the lock.
            engine.dispose()
            current = current_revision(engine)
            if current == head:
                return UpgradeResult(created=False, upgraded_from=None, backup=None)
            return _upgrade(engine, target, current, head)
    return _upgrade(engine, target, current, head)


def _upgrade(engine: Engine, target: str | Path, current: str | None, head: str) -> UpgradeResult:
    if is_read_only(engine):
        raise ProjectError(
            f"{target}: is read-only and needs an upgrade (schema {current} to {head}); "
            "copy it somewhere writable to open it"
        )
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise ProjectError(
            f"{target}: made by a newer coder (schema {current}); upgrade coder to open it"
        )
    path = _sqlite_path(target)
    if path is not None:
        backup = str(backup_sqlite(path, current or "unversioned"))
    else:
        backup = backup_schema(engine, current or "unversioned")
    _run_alembic(engine, "upgrade", "head")
    return UpgradeResult(created=False, upgraded_from=current, backup=backup)


def _check_file(target: str | Path, path: Path, *, create: bool) -> None:
    """Refuse, before SQLite touches it, a project file that cannot be one. An empty file is
    a project only to create: opening it would write an SQLite header into someone's file."""
    if path.is_dir():
        raise ProjectError(f"{target}: is a folder, not a project file")
    if not path.exists():
        if not create:
            raise ProjectError(f"{target}: no such project; create it with 'coder init'")
        if not path.parent.exists():
            raise ProjectError(f"{target}: folder {path.parent} does not exist")
    elif not _looks_like_sqlite(path):
        raise ProjectError(f"{target}: not a coder project (not an SQLite database)")
    elif not create and path.stat().st_size == 0:
        raise ProjectError(f"{target}: not a coder project (the file is empty)")
    elif _foreign_tables(path):
        # Refused before the engine opens it: opening switches a file to WAL, which would
        # change another program's database on the way to saying it is not ours.
        raise ProjectError(f"{target}: not a coder project (it has other tables)")


def _foreign_tables(path: Path) -> bool:
    """True when the SQLite file at `path` holds tables but no coder project, read over a
    read-only connection that changes nothing (on any doubt: False, and the open decides)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return _other_database({str(name) for (name,) in rows})


def _other_database(tables: set[str]) -> bool:
    """Tables, but not a coder project's (alembic's own table alone is no project either)."""
    return bool(tables - {"alembic_version"}) and "codings" not in tables


def _open_failed(target: str | Path, path: Path | None, exc: Exception) -> ProjectError | None:
    """The one line for a driver error met while opening, or None for a bug to show whole."""
    if path is None and exc.__class__.__module__.startswith(("sqlalchemy", "psycopg")):
        return ProjectError(f"{target_url(target)}: cannot open database: {_first_line(exc)}")
    if isinstance(exc, DBAPIError | sqlite3.Error):  # a damaged or unreadable file
        return ProjectError(f"{target}: cannot open the project: {_first_line(exc)}")
    return None


def open_engine(target: str | Path, *, create: bool = False) -> tuple[Engine, UpgradeResult]:
    """Open (and if asked, create) the project at `target`, with its schema at head."""
    path = _sqlite_path(target)
    if path is not None:
        _check_file(target, path, create=create)
    engine = make_engine(target)
    try:
        result = prepare_schema(engine, target, create=create)
    except ProjectError:
        engine.dispose()
        raise
    except Exception as exc:  # driver errors on a server URL are user-facing
        engine.dispose()
        failed = _open_failed(target, path, exc)
        if failed is not None:
            raise failed from exc
        raise
    return engine, result


def read_revision(target: str | Path) -> str | None:
    """The schema revision of the project at `target` (None: unversioned), upgrading nothing:
    what `coder db current` shows. A file that is not a project is refused in one line."""
    path = _sqlite_path(target)
    if path is not None:
        _check_file(target, path, create=False)
    engine = make_engine(target, read_only=True)
    try:
        tables = set(inspect(engine).get_table_names())
        if "codings" not in tables:
            raise ProjectError(f"{target}: not a coder project (no coder tables)")
        return current_revision(engine, tables)
    except ProjectError:
        raise
    except Exception as exc:
        failed = _open_failed(target, path, exc)
        if failed is not None:
            raise failed from exc
        raise
    finally:
        engine.dispose()


def _looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(16)
    return head == b"SQLite format 3\x00" or head == b""


def _first_line(exc: BaseException) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
