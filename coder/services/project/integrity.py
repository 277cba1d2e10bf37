"""Is the database itself sound? The storage half of `coder check`.

`coder check` used to test only coder's own invariants, by reading rows; on a damaged file it
either said "ok" (the damage was in pages it never read) or crashed with a traceback. SQLite can
check every page itself (`PRAGMA integrity_check`, plus `foreign_key_check` for rows pointing at
missing rows). PostgreSQL keeps its own pages; there coder uses amcheck when the server has it,
and otherwise checks that every table is in the catalog and can be read to the end.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from coder.db.lifecycle import ProjectError
from coder.db.models import Base
from coder.services.project.store import Project
from coder.vocab.dto import CheckProblem

MAX_REPORTED = 20


def first_line(exc: BaseException) -> str:
    """The driver's message without SQLAlchemy's SQL echo and background links."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else exc.__class__.__name__


def damaged(project: Project, detail: str) -> ProjectError:
    """The one-line error for a project whose storage is damaged."""
    return ProjectError(
        f"{project.target}: the project is damaged ({detail}); restore it from a backup"
    )


def storage_problems(project: Project) -> list[CheckProblem]:
    """Check the database's own structures.

    Returns:
        Problems that leave the data readable (rows pointing at missing rows).

    Raises:
        ProjectError: In one line, when pages, indexes or tables are damaged or missing.
    """
    try:
        with project.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                return _sqlite(project, conn)
            return _postgres(project, conn)
    except SQLAlchemyError as exc:
        raise damaged(project, first_line(exc)) from exc


def _sqlite(project: Project, conn: Connection) -> list[CheckProblem]:
    rows = [str(r[0]) for r in conn.exec_driver_sql(f"PRAGMA integrity_check({MAX_REPORTED})")]
    if rows != ["ok"]:
        # Rows can hold several lines ("*** in database main ***" then the findings).
        lines = [ln.strip() for r in rows for ln in r.splitlines() if ln.strip()]
        lines = [ln for ln in lines if not ln.startswith("***")] or ["unknown damage"]
        more = f", and {len(lines) - 1} more findings" if len(lines) > 1 else ""
        raise damaged(project, f"SQLite integrity check: {lines[0]}{more}")
    problems: list[CheckProblem] = []
    counts: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        counts[(str(table), str(parent))] = counts.get((str(table), str(parent)), 0) + 1
    for (table, parent), n in sorted(counts.items()):
        problems.append(
            CheckProblem("foreign-key", f"{n} rows of {table} point at missing rows of {parent}")
        )
    return problems


def _postgres(project: Project, conn: Connection) -> list[CheckProblem]:
    present = set(inspect(conn).get_table_names())
    missing = sorted(set(Base.metadata.tables) - present)
    if missing:
        raise damaged(project, f"table {missing[0]} is missing")
    for table in Base.metadata.sorted_tables:
        # A full read touches every heap page, so damaged pages surface as errors here.
        conn.execute(text(f'SELECT count(*) FROM "{table.name}"')).scalar()
    has_amcheck = conn.execute(
        text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")
    ).scalar()
    if has_amcheck:
        conn.execute(
            text(
                "SELECT bt_index_check(c.oid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_am a ON a.oid = c.relam "
                "WHERE n.nspname = current_schema() AND a.amname = 'btree'"
            )
        ).all()
    return []
