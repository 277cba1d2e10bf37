"""One schema upgrade at a time per project file, and backups that are complete or absent.

Two coder processes opening an old project together (the TUI and a script, two team members on
a shared drive) both saw the old schema and both backed up and upgraded, and one crashed. A lock
file beside the project serialises the upgrade; whoever gets it second finds the schema already
upgraded and goes on. The backup is written under a hidden temporary name, flushed to disk and
only then renamed, so a kill or a full disk never leaves a file that looks like a backup but is
empty or cut short.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; upgrades there are not serialised
    fcntl = None  # type: ignore[assignment]


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.upgrade-lock")


@contextmanager
def upgrade_lock(path: Path) -> Iterator[None]:
    """Hold the project's upgrade lock (waiting for another process to finish its upgrade)."""
    if fcntl is None:
        yield
        return
    lock = lock_path(path)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
        # Tidy up after a finished upgrade: a process still waiting on this (now unlinked)
        # file finds the schema at head, as does anyone who comes later. After a failure the
        # file stays, so that two later openers still take turns.
        lock.unlink(missing_ok=True)
    finally:
        with suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_sqlite_copy(source: Path, dest: Path) -> Path:
    """Copy a SQLite database (WAL folded in) to `dest` via a temporary file and a rename."""
    partial = dest.with_name(f".{dest.name}.partial")
    for stale in dest.parent.glob(f".{source.name}.backup-*.partial"):
        stale.unlink(missing_ok=True)  # left by a killed upgrade; we hold the lock
    try:
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        with open(partial, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, dest)
        _fsync_dir(dest.parent)
    except BaseException:
        for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal")):
            leftover.unlink(missing_ok=True)
        Path(f"{partial}-shm").unlink(missing_ok=True)
        raise
    return dest
