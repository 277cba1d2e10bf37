"""Alembic environment for coder projects.

coder builds the Alembic Config in code and hands over an open connection
(`config.attributes["connection"]`), so this runs inside coder's own transaction. Batch mode
lets SQLite alter tables by copy-and-move; the naming convention on the metadata gives every
constraint a name batch mode can find.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from coder.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("coder migrations run online only")
run_migrations_online()
