"""Turn a project path or database URL into a configured SQLAlchemy engine.

A project is a single SQLite file by default; a team can point coder at PostgreSQL instead by
giving a URL. SQLite gets WAL (so a second process can read while one writes), foreign keys and a
busy timeout, set on every new connection.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT_MS = 10_000
# How long one PostgreSQL statement waits for a lock before it fails with lock_not_available
# (55P03); coder.db.retry then waits and tries again, and gives up with ProjectBusy after
# BUSY_SECONDS. Without it a write behind another client's long transaction waits forever.
PG_LOCK_TIMEOUT_MS = 5_000
WRITE_OPTION = "coder_write"  # execution option of connections that begin a unit of work


def is_url(target: str) -> bool:
    """True when the target names a database server rather than a project file."""
    return "://" in target


def target_url(target: str | Path) -> str:
    """The SQLAlchemy URL for a project path or URL; postgres URLs get the psycopg 3 driver."""
    text = str(target)
    if is_url(text):
        url = make_url(text)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_read_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.close()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _switch_to_wal(cur)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _switch_to_wal(cur: Any) -> None:
    """Put the file in WAL mode (a no-op once it is), waiting out another process doing the same.

    A project from an older coder, or one copied back from a backup, is in rollback-journal
    mode. When two processes open it at the same moment, both switch it to WAL; their locks can
    deadlock, and SQLite then fails one of them at once with "database is locked", skipping the
    busy handler. The other's switch completes, so trying again finds WAL already set.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def read_only_file(target: str | Path) -> bool:
    """True for an existing project file that this user cannot change (read-only file, folder
    or file system): it is then opened read-only, so that reading commands still work."""
    if is_url(str(target)):
        return False
    path = Path(str(target)).expanduser().resolve()
    if not path.is_file():
        return False
    # access() rather than open(): closing a descriptor of a file SQLite has open in this
    # process would drop SQLite's own locks on it.
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def is_read_only(engine: Engine) -> bool:
    """True when `engine` was opened on a read-only project file."""
    return engine.url.query.get("mode") == "ro"


def make_engine(target: str | Path, *, read_only: bool = False) -> Engine:
    """Create an engine for the project at `target` (a file path or a database URL).

    `read_only` opens an SQLite file without the writing pragmas (WAL), for a look that must
    leave the file as it was: it may be another program's database."""
    url = target_url(target)
    if url.startswith("sqlite") and (read_only or read_only_file(target)):
        path = Path(str(target)).expanduser().resolve()
        # immutable when the file cannot be written: no -wal/-shm files are needed (none can
        # be made next to it).
        flags = "mode=ro&immutable=1" if read_only_file(target) else "mode=ro"
        engine = create_engine(
            f"sqlite:///file:{path}?{flags}&uri=true",
            connect_args={"check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_read_pragmas)
        event.listen(engine, "connect", _disable_pysqlite_autobegin)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take control so that writers take
        # the lock at BEGIN and every unit of work is one real transaction.
        event.listen(engine, "connect", _disable_pysqlite_autobegin)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "connect", _pg_lock_timeout)
    return engine


def _pg_lock_timeout(dbapi_conn: Any, _record: Any) -> None:
    # Committed at once: a SET inside a transaction that is rolled back is undone, and the
    # pool rolls back every connection it gets back.
    with dbapi_conn.cursor() as cur:
        cur.execute(f"SET lock_timeout = {int(PG_LOCK_TIMEOUT_MS)}")
    dbapi_conn.commit()


def _disable_pysqlite_autobegin(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn: Any) -> None:
    # A deferred BEGIN that reads and then writes fails at once ("database is locked", no busy
    # wait) when another connection committed in between; a writer that says so up front takes
    # the write lock here instead, waiting up to the busy timeout for it.
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
