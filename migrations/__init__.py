"""Alembic migration scripts for coder projects (installed as coder.migrations)."""
