"""recordings linked to transcripts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

Issue 15. `source_media` links a source to the audio or video it was transcribed from: the
file's path (relative to the project's folder when inside it), its kind, MIME type and
duration. Turn start times were already kept in `turns.timestamp` since 0001. A new table:
nothing existing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_media",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("duration", sa.Float(), nullable=True),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('audio', 'video')", name=op.f("ck_source_media_kind")),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_source_media_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_source_media")),
    )


def downgrade() -> None:
    op.drop_table("source_media")
