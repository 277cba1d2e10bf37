"""index codings by (code, source)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

The codebook tree shows, for every code, its codings and participants. On a study with
200,000 codings that count reads every coding; with this index it reads the index alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.create_index("ix_codings_code_source", ["code_id", "source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.drop_index("ix_codings_code_source")
