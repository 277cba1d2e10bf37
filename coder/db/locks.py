"""Row locks for units of work that must not interleave with other writers.

A code merge or delete must see every coding of the code, including one another client commits
while it runs. On PostgreSQL the unit of work first locks the code rows (SELECT ... FOR UPDATE,
in id order so two such units cannot deadlock); a concurrent coding of those codes then waits at
its foreign-key check and, when the code is gone, fails instead of being cascaded away unseen.
SQLite needs nothing: a writer holds the whole database from BEGIN IMMEDIATE on.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Code


def lock_codes(session: Session, code_ids: Iterable[int]) -> None:
    """Lock these code rows until the transaction ends (PostgreSQL; a no-op on SQLite)."""
    ids = sorted(set(code_ids))
    if not ids or session.get_bind().dialect.name != "postgresql":
        return
    session.execute(select(Code.id).where(Code.id.in_(ids)).order_by(Code.id).with_for_update())
