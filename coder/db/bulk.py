"""A bigger page cache for the length of one bulk write (a .qdpx import, a large transcript).

SQLite's default page cache is 2 MB. A bulk insert into a table with several indexes (codings
have six) then keeps evicting the index pages it is about to touch again, and spends most of
its time re-reading them. For the length of one transaction the connection gets BULK_CACHE_KB
of cache instead and is put back afterwards; PostgreSQL manages its own buffers, so this is a
no-op there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

BULK_CACHE_KB = 131_072
DEFAULT_CACHE_KB = 2_000  # SQLite's own default (PRAGMA cache_size=-2000)


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
