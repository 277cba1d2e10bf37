"""framework matrix summaries; cached lemmas for word frequency

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

Issue 12. `framework_cells` keeps the summary a researcher writes for one participant and one
theme (the framework matrix), one row per pair. `lemma_cache` keeps each source's words and
lemmas, keyed by the hash of its text, so word frequency on a large study does not lemmatise
ten million words on every call. Both are new tables: nothing existing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "framework_cells",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_framework_cells_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["codes.id"],
            name=op.f("fk_framework_cells_code_id_codes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coders.id"], name=op.f("fk_framework_cells_coder_id_coders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_cells")),
        sa.UniqueConstraint("case_id", "code_id", name=op.f("uq_framework_cells_case_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_framework_cells_code_id"), "framework_cells", ["code_id"], unique=False
    )
    op.create_table(
        "lemma_cache",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_lemma_cache_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_lemma_cache")),
    )


def downgrade() -> None:
    op.drop_table("lemma_cache")
    op.drop_index(op.f("ix_framework_cells_code_id"), table_name="framework_cells")
    op.drop_table("framework_cells")
