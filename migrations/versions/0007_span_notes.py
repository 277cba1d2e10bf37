"""notes on uncoded text: memos anchored to a span of a source

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

Issue 13, item 4. A researcher can attach a note to a span that carries no code (NVivo's
annotations; REFI-QDA's Note on a PlainTextSelection). It is a memo of a fourth kind, "span",
on its source, with `start_pos` and `end_pos` (code points, end exclusive, as codings have).
The existing memos table is reused, so the memo list, manager, undo and export see notes with
no new table; existing rows keep NULL positions.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite rebuilds the table for these changes: keep AUTOINCREMENT, so a deleted memo's id is
# never handed to a new one (undo and team merges rely on it).
KEEP_IDS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    with op.batch_alter_table("memos", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column("start_pos", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("end_pos", sa.Integer(), nullable=True))
        batch_op.drop_constraint(op.f("ck_memos_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_memos_kind"), "kind IN ('code','source','project','span')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM memos WHERE kind = 'span'")
    with op.batch_alter_table("memos", table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(op.f("ck_memos_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_memos_kind"), "kind IN ('code','source','project')"
        )
        batch_op.drop_column("end_pos")
        batch_op.drop_column("start_pos")
