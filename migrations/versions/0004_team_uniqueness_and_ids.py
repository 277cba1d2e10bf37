"""one coding per span, code and coder; unique sibling code names; ids never reused

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05

Several coders share a project (issue 11). Uniqueness must hold when they write at the same
moment, so it moves from "look, then insert" in the services into the schema:

- one coding per (source, start, end, code, coder): each coder's codings are their own, and a
  coder cannot store the same one twice. Existing duplicates are folded first into the row with
  the lowest id, which keeps their memos and exemplar flags;
- code names unique among siblings, case-insensitively, top-level codes included (an expression
  index on COALESCE(parent_id, 0) works on SQLite and PostgreSQL alike). Existing clashes are
  renamed "name (2)", "name (3)"...;
- on SQLite every table with an integer id is rebuilt with AUTOINCREMENT, so a deleted row's id
  is never handed out again and a stale window cannot act on someone else's new row.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODING_KEY = "uq_codings_span_code_coder"
CODE_NAME_KEY = "uq_codes_sibling_name"
CODING_COLUMNS = ["source_id", "start_pos", "end_pos", "code_id", "coder_id"]
# Parents before children, so each rebuilt table's foreign keys find theirs.
ID_TABLES = (
    "coders",
    "organisations",
    "cases",
    "attributes",
    "attribute_values",
    "sources",
    "turns",
    "codes",
    "codings",
    "memos",
    "suggestion_decisions",
)


def _fold_duplicate_codings(bind: sa.engine.Connection) -> None:
    rows = bind.execute(
        sa.text(
            "SELECT id, source_id, start_pos, end_pos, code_id, coder_id, memo, exemplar "
            "FROM codings WHERE (source_id, start_pos, end_pos, code_id, coder_id) IN ("
            " SELECT source_id, start_pos, end_pos, code_id, coder_id FROM codings"
            " GROUP BY source_id, start_pos, end_pos, code_id, coder_id HAVING count(*) > 1)"
            " ORDER BY id"
        )
    ).all()
    keep: dict[tuple[int, ...], tuple[int, list[str], bool]] = {}
    doomed: list[int] = []
    for row in rows:
        key = tuple(row[1:6])
        memo = (row[6] or "").strip()
        if key not in keep:
            keep[key] = (row[0], [memo] if memo else [], bool(row[7]))
            continue
        kept_id, memos, exemplar = keep[key]
        if memo and memo not in memos:
            memos.append(memo)
        keep[key] = (kept_id, memos, exemplar or bool(row[7]))
        doomed.append(row[0])
    if keep:
        bind.execute(
            sa.text("UPDATE codings SET memo = :memo, exemplar = :ex WHERE id = :id"),
            [{"memo": "\n".join(m), "ex": ex, "id": i} for i, m, ex in keep.values()],
        )
    if doomed:
        bind.execute(sa.text("DELETE FROM codings WHERE id = :id"), [{"id": i} for i in doomed])


def _rename_clashing_codes(bind: sa.engine.Connection) -> None:
    rows = bind.execute(sa.text("SELECT id, parent_id, name FROM codes ORDER BY id")).all()
    taken: dict[int, set[str]] = {}
    for code_id, parent_id, name in rows:
        siblings = taken.setdefault(parent_id or 0, set())
        new, n = name, 2
        while new.lower() in siblings:
            new = f"{name} ({n})"
            n += 1
        siblings.add(new.lower())
        if new != name:
            bind.execute(
                sa.text("UPDATE codes SET name = :name WHERE id = :id"),
                {"name": new, "id": code_id},
            )


def upgrade() -> None:
    bind = op.get_bind()
    _fold_duplicate_codings(bind)
    _rename_clashing_codes(bind)
    if bind.dialect.name == "sqlite":
        # coder turns foreign keys off around migrations (see coder.db.lifecycle), so the
        # copy-and-move rebuild cannot cascade.
        for table in ID_TABLES:
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ) as batch_op:
                if table == "codings":
                    batch_op.create_unique_constraint(CODING_KEY, CODING_COLUMNS)
    else:
        op.create_unique_constraint(CODING_KEY, "codings", CODING_COLUMNS)
    # Created after the rebuild: batch mode does not carry expression indexes across.
    op.create_index(
        CODE_NAME_KEY,
        "codes",
        [sa.text("coalesce(parent_id, 0)"), sa.text("lower(name)")],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index(CODE_NAME_KEY, table_name="codes")
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.drop_constraint(CODING_KEY, type_="unique")
