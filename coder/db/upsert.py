"""INSERT ... ON CONFLICT DO NOTHING on both backends.

Concurrent clients may create the same row at the same moment (a coder's name on first use,
the same coding from two windows). A uniqueness constraint decides who wins; the loser's insert
quietly does nothing and it reads the winner's row, inside the same transaction, so neither
sees an error. SQLAlchemy spells the statement per dialect; this module picks the right one.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from coder.db.models import Base


def insert_ignore(session: Session, model: type[Base], values: dict[str, Any]) -> int | None:
    """Insert one row of `model` (column names as keys); its new id, or None when a unique
    constraint already holds an equal row."""
    table = cast(Table, model.__table__)
    dialect = session.get_bind().dialect.name
    # Each dialect's module is imported when it is used: PostgreSQL's pulls in its async
    # drivers and asyncio, a noticeable part of a quick command's start on SQLite.
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert

        stmt: Any = insert(table)
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(table)
    else:  # pragma: no cover - coder supports SQLite and PostgreSQL only
        raise NotImplementedError(f"no ON CONFLICT for {dialect}")
    stmt = stmt.values(**values).on_conflict_do_nothing().returning(table.c.id)
    new_id = session.execute(stmt).scalar()
    return int(new_id) if new_id is not None else None
