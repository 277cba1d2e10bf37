"""deleted codings remembered, so a merge does not bring them back

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

Issue 11. `coder merge` adds what PROJECT lacks; a coding deleted here but still in a
colleague's older copy looked like something PROJECT lacked, and came back. `coding_tombstones`
keeps each deleted coding as merge matches codings across copies: the source's text hash, the
code's GUID, the span and the coder's name (and the coding's GUID). A new table: nothing
existing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coding_tombstones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coding_guid", sa.String(length=36), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("code_guid", sa.String(length=36), nullable=False),
        sa.Column("start_pos", sa.Integer(), nullable=False),
        sa.Column("end_pos", sa.Integer(), nullable=False),
        sa.Column("coder", sa.String(length=200), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coding_tombstones")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_coding_tombstones_coding_guid"), "coding_tombstones", ["coding_guid"]
    )
    op.create_index(
        "ix_coding_tombstones_source", "coding_tombstones", ["source_sha256", "start_pos"]
    )


def downgrade() -> None:
    op.drop_index("ix_coding_tombstones_source", table_name="coding_tombstones")
    op.drop_index(op.f("ix_coding_tombstones_coding_guid"), table_name="coding_tombstones")
    op.drop_table("coding_tombstones")
