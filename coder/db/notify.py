"""Telling open workspaces that the project changed.

On PostgreSQL every unit of work ends with `pg_notify` on a channel named after the project's
database and schema. The notification belongs to the transaction: PostgreSQL delivers it when
the writes commit, and never when they roll back, so a listener refreshes exactly when there is
something new to see. SQLite needs nothing here: readers watch `PRAGMA data_version`.
"""

from __future__ import annotations

import hashlib
import threading

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

_channels: dict[str, str] = {}
_lock = threading.Lock()


def channel_for(conn: Connection) -> str:
    """The notification channel of the PostgreSQL project `conn` is connected to."""
    key = conn.engine.url.render_as_string(hide_password=True)
    with _lock:
        cached = _channels.get(key)
    if cached is not None:
        return cached
    db, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
    channel = "coder_" + hashlib.sha256(f"{db}\x00{schema}".encode()).hexdigest()[:24]
    with _lock:
        _channels[key] = channel
    return channel


def announce_change(session: Session) -> None:
    """Queue a change notification in the session's transaction (PostgreSQL only)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    conn = session.connection()
    conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel_for(conn)})
