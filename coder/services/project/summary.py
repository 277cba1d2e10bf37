"""A project's schema revision and row counts, read without the ORM.

`coder info` should answer at once. Importing the ORM models and the undo history costs more
than reading the counts, so the summary opens the engine through the schema lifecycle (which
creates nothing and upgrades an old project, exactly as any open does) and counts with Core
constructs that name the tables. `Project.counts` uses the same counting, so both agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, column, func, select, table
from sqlalchemy.exc import DBAPIError

from coder.db.lifecycle import UpgradeResult, current_revision, open_engine
from coder.services.project.db_faults import fault

__all__ = ["ProjectSummary", "UpgradeResult", "read_summary", "table_counts"]


@dataclass(frozen=True)
class ProjectSummary:
    """What `coder info` shows: the schema revision, the row counts, any upgrade made."""

    revision: str | None
    counts: dict[str, int]
    upgrade: UpgradeResult


def table_counts(conn: Connection) -> dict[str, int]:
    """Row counts of the main tables, and the words in all sources."""

    def rows(name: str) -> int:
        return conn.scalar(select(func.count()).select_from(table(name))) or 0

    words: Select[Any] = select(func.coalesce(func.sum(column("words")), 0)).select_from(
        table("sources")
    )
    return {
        "sources": rows("sources"),
        "words": conn.scalar(words) or 0,
        "cases": rows("cases"),
        "organisations": rows("organisations"),
        "codes": rows("codes"),
        "codings": rows("codings"),
    }


def read_summary(target: str | Path) -> ProjectSummary:
    """Open the project at `target` (upgrading it if it is old), count, and close it again."""
    engine, upgrade = open_engine(target)
    try:
        with engine.connect() as conn:
            counts = table_counts(conn)
        return ProjectSummary(current_revision(engine), counts, upgrade)
    except DBAPIError as exc:
        raise fault(str(target), exc) from exc
    finally:
        engine.dispose()
