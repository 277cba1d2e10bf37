"""Bulk writes: a bigger page cache for one transaction, and plain executemany for many rows.

SQLite's default page cache is 2 MB. A bulk insert into a table with several indexes (codings
have six) then keeps evicting the index pages it is about to touch again, and spends most of
its time re-reading them. For the length of one transaction the connection gets BULK_CACHE_KB
of cache instead and is put back afterwards; PostgreSQL manages its own buffers, so this is a
no-op there.

`insert_rows` stores many rows of one table. A Core executemany spends several microseconds per
row in SQLAlchemy (compiling parameters, running each column's type processor through generic
machinery); on a .qdpx import of 200,000 codings that was a third of the time. On SQLite the
rows go to the driver's executemany directly, each value passed once through its column's bind
processor (datetimes become SQLite's text form exactly as SQLAlchemy would store them). Other
databases keep Core's executemany, whose batched multi-row VALUES is already quick there.

`deferred_indexes` drops a table's plain (non-unique) indexes for the length of a bulk load into
it and builds them again at the end, inside the same transaction: building an index from the
finished table costs a fraction of keeping it current row by row (200,000 codings: 1.65 s of
inserts became 1.1 s). The indexes that enforce UNIQUE constraints stay, so every check still
happens as the rows arrive; if the load fails, the rollback brings the dropped indexes back.

`large_text` stores a transcript's text without leaving a copy of it behind: SQLite keeps the
values last bound to a prepared statement until it runs again, and Python's sqlite3 caches its
statements and never clears their bindings, so a 20 MB text given as a parameter stayed in
memory twice (once in the str, once in SQLite) until the next source was stored.

`written_once` is for filling a project file that was just created: in WAL mode every page of
the one big transaction is written twice (into the -wal file at commit, then into the database
by the checkpoint). A rollback journal holds only the pages that existed before the
transaction, which for a new file is the empty schema, so the data is written once, straight
into the file; the commit stays atomic (a crash leaves a hot journal that SQLite rolls back).
The file is put back into WAL afterwards. A .qdpx import of 200,000 codings: commit 0.42 s of
CPU became 0.16 s.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from itertools import chain, islice
from typing import Any

from sqlalchemy import Connection, Engine, Table, Text, cast, func, insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

BULK_CACHE_KB = 131_072
DEFAULT_CACHE_KB = 2_000  # SQLite's own default (PRAGMA cache_size=-2000)
BATCH_ROWS = 20_000
_MAX_PARAMETERS = 999  # per statement, in SQLite before 3.32
LARGE_TEXT_CHARS = 1 << 20  # texts shorter than this are bound as they are
_TEXT_FUNCTION = "coder_large_text"


@contextmanager
def bulk_cache(s: Session) -> Iterator[None]:
    """Inside the caller's transaction: a large page cache on SQLite until the block ends."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size=-{DEFAULT_CACHE_KB}")


@contextmanager
def deferred_indexes(conn: Connection, table: Table) -> Iterator[None]:
    """Inside the caller's transaction on SQLite: `table`'s plain indexes dropped while the
    block runs and made again, with the same SQL, when it ends without an error (see module
    docstring). Elsewhere, or when the table already has rows, nothing changes."""
    if (
        conn.dialect.name != "sqlite"
        or conn.exec_driver_sql(f'SELECT 1 FROM "{table.name}" LIMIT 1').first()
    ):
        yield
        return
    plain = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql LIKE 'CREATE INDEX%' ORDER BY rowid",
        (table.name,),
    ).all()
    for name, _sql in plain:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield  # on an error the caller's rollback restores the indexes with everything else
    for _name, sql in plain:
        conn.exec_driver_sql(sql)


@contextmanager
def written_once(engine: Engine) -> Iterator[None]:
    """On an SQLite file with no other connection to it (one this process just created), a
    rollback journal instead of WAL while the block runs, and WAL again once it has ended
    without an error (see module docstring). Elsewhere nothing changes. Either switch is
    only a saving: one that cannot be made (the file busy) leaves the mode as it was, and
    every new connection puts the file into WAL anyway (coder.db.engine)."""
    if engine.dialect.name != "sqlite":
        yield
        return
    _journal_mode(engine, "DELETE")
    yield  # on an error the caller removes the file it created
    _journal_mode(engine, "WAL")


def _journal_mode(engine: Engine, mode: str) -> None:
    # On the driver's connection: SQLAlchemy's would begin a transaction first, and the
    # journal mode cannot change inside one.
    raw = engine.raw_connection()
    try:
        with suppress(sqlite3.OperationalError):
            raw.driver_connection.execute(f"PRAGMA journal_mode={mode}")  # type: ignore[union-attr]
    finally:
        raw.close()


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    per_statement: int = 1,
) -> int:
    """Insert `rows` (values in the order of `columns`, which are column names) into `table`
    inside the caller's transaction, in batches; returns how many rows were given.

    `per_statement` > 1: on SQLite, that many rows to each INSERT (a multi-row VALUES, within
    SQLite's oldest limit of 999 parameters a statement). SQLite's work per statement, which
    for a table with AUTOINCREMENT includes updating sqlite_sequence, is then shared by the
    rows: for narrow rows it is most of the cost (200,000 speaker turns, 50 a statement: 0.65
    s became 0.28 s). Wide rows with text gain nothing (codings took longer), so it is the
    caller's choice, by table."""
    n = 0
    if conn.dialect.name != "sqlite":
        for batch in _batches(rows):
            conn.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in batch])
            n += len(batch)
        return n
    cols = [table.c[name] for name in columns]
    procs: list[tuple[int, Callable[[Any], Any]]] = []
    for i, col in enumerate(cols):
        proc = col.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if proc is not None:  # dates repeat across a file's codings: convert each once
            procs.append((i, _memo(proc)))
    sql = (
        f'INSERT INTO "{table.name}" ('
        + ", ".join(f'"{c.name}"' for c in cols)
        + ") VALUES ("
        + ", ".join("?" for _ in cols)
        + ")"
    )
    k = max(1, min(per_statement, _MAX_PARAMETERS // len(cols)))
    many = sql + (", (" + ", ".join("?" for _ in cols) + ")") * (k - 1)
    for batch in _batches(rows):
        if procs:
            batch = _processed(batch, procs)
        whole = len(batch) - len(batch) % k if k > 1 else 0  # rows that fill whole statements
        if whole:
            conn.exec_driver_sql(
                many, [tuple(chain.from_iterable(batch[i : i + k])) for i in range(0, whole, k)]
            )
        if whole < len(batch):
            conn.exec_driver_sql(sql, batch[whole:])
        n += len(batch)
    return n


def _processed(
    batch: list[Sequence[Any]], procs: list[tuple[int, Callable[[Any], Any]]]
) -> list[Sequence[Any]]:
    """The batch with each processed column's values converted: by columns (zip), which
    costs a fraction of converting row by row on a batch of 20,000."""
    if not batch:
        return []
    columns: list[Iterable[Any]] = list(zip(*batch, strict=True))
    for i, proc in procs:
        columns[i] = map(proc, columns[i])
    return list(zip(*columns, strict=True))


def _batches(rows: Iterable[Sequence[Any]]) -> Iterator[list[Sequence[Any]]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH_ROWS)):
        yield batch


def _memo(proc: Callable[[Any], Any], size: int = 4096) -> Callable[[Any], Any]:
    """`proc` remembering its first `size` distinct hashable inputs (a file's codings share a
    few dates; unhashable values such as JSON lists are converted every time)."""
    seen: dict[Any, Any] = {}

    def run(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            out = proc(value)
            if len(seen) < size:
                seen[value] = out
            return out
        except TypeError:
            return proc(value)

    return run


@contextmanager
def large_text(s: Session, text: str) -> Iterator[str | ColumnElement[str]]:
    """The value to give a text column in an INSERT or UPDATE that the block flushes.

    On SQLite, for a large text, a call to a one-off SQL function that returns it: SQLite
    holds a function's result only while the statement runs, where a bound parameter's copy
    stays with the cached statement. Text beyond ASCII is returned as its UTF-8 bytes, cast to
    TEXT in SQL: handed over as a str, Python would keep a UTF-8 copy inside the str for as
    long as the str lives. Otherwise (another database, a short text, or a SQLite connection
    that cannot take a function now) the text itself. An ORM attribute given the function
    call is expired by the flush: set it back with `set_committed_value`. One large text at a
    time per session: the function has one name.
    """
    conn = s.connection()
    if conn.dialect.name != "sqlite" or len(text) < LARGE_TEXT_CHARS:
        yield text
        return
    driver = conn.connection.driver_connection
    ascii_only = text.isascii()  # then the str's own bytes are its UTF-8: nothing is copied
    value = (lambda: text) if ascii_only else (lambda: text.encode("utf-8"))
    try:
        driver.create_function(_TEXT_FUNCTION, 0, value)  # type: ignore[union-attr]
    except sqlite3.OperationalError:  # a statement of this connection is still running
        yield text
        return
    call = getattr(func, _TEXT_FUNCTION)()
    try:
        yield call if ascii_only else cast(call, Text)
    finally:
        # let go of the text (Python 3.11 leaves a function that fails in its place); should a
        # statement still be running, the text goes when the connection does
        with suppress(sqlite3.OperationalError):
            driver.create_function(_TEXT_FUNCTION, 0, None)  # type: ignore[union-attr]
