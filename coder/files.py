"""Files coder reads and writes whole: small inputs read under a size cap, outputs written
so that they are either all there or not there at all.

Every export (tables, documents, codebooks, .qdpx) is written to a temporary file in the target
folder and renamed into place, so a failed or interrupted export never leaves half a file
behind. Bottom layer: the services, the CLI and the TUI all write through this.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from coder.errors import UserError


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write bytes to `path` via a temporary file in the same folder and a rename."""
    atomic_write_with(path, lambda fh: fh.write(data))


def atomic_write_with(path: str | Path, fill: Callable[[BinaryIO], object]) -> None:
    """As atomic_write, for output too big to hold in memory: `fill` writes into the open
    temporary file (a .qdpx with recordings inside, streamed from their files)."""
    p = Path(path)
    if not p.parent.exists():
        raise UserError(f"{p}: folder {p.parent} does not exist")
    try:
        _write_replace(p, fill)
    except OSError as exc:  # full disk, read-only folder, file name too long...
        raise UserError(f"{p}: cannot write: {exc.strerror or exc}") from exc


def _write_replace(p: Path, fill: Callable[[BinaryIO], object]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
        # mkstemp makes the file private (0600); an export should get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_capped(path: Path, limit: int, error: type[UserError], note: str = "") -> bytes:
    """A small input file's bytes (a codebook), refused in one line when missing or too big.

    Args:
        path: The file.
        limit: Largest size accepted, in bytes.
        error: The UserError subclass the caller's users know (RefiError, ...).
        note: Appended to the too-big message (e.g. "; not a codebook").
    """
    if not path.is_file():
        raise error(f"{path}: no such file")
    if path.stat().st_size > limit:
        raise error(f"{path}: larger than {limit // 2**20} MB{note}")
    return path.read_bytes()
