"""suggestion decisions, stored models and exemplar quotes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Adds what the suggestion engine learns from (accepts and rejects), where it keeps its trained
model, and the flag that marks a coding as an exemplar quote for Table 2.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("exemplar", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "suggestion_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=True),
        sa.Column("start_pos", sa.Integer(), nullable=False),
        sa.Column("end_pos", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("coder_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('accept','reject','seen')", name=op.f("ck_suggestion_decisions_decision")
        ),
        sa.ForeignKeyConstraint(
            ["code_id"],
            ["codes.id"],
            name=op.f("fk_suggestion_decisions_code_id_codes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coders.id"], name=op.f("fk_suggestion_decisions_coder_id_coders")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_suggestion_decisions_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_decisions")),
    )
    with op.batch_alter_table("suggestion_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suggestion_decisions_code_id"), ["code_id"], unique=False
        )
        batch_op.create_index(
            "ix_suggestion_decisions_source", ["source_id", "start_pos"], unique=False
        )

    op.create_table(
        "model_blobs",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_model_blobs")),
    )


def downgrade() -> None:
    op.drop_table("model_blobs")
    with op.batch_alter_table("suggestion_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestion_decisions_source")
        batch_op.drop_index(batch_op.f("ix_suggestion_decisions_code_id"))
    op.drop_table("suggestion_decisions")
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.drop_column("exemplar")
