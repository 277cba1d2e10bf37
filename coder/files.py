"""Writing a file so that it is either all there or not there at all.

Every export (tables, documents, codebooks, .qdpx) is written to a temporary file in the target
folder and renamed into place, so a failed or interrupted export never leaves half a file
behind. Bottom layer: the services, the CLI and the TUI all write through this.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from coder.errors import UserError


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write bytes to `path` via a temporary file in the same folder and a rename."""
    p = Path(path)
    if not p.parent.exists():
        raise UserError(f"{p}: folder {p.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp makes the file private (0600); an export should get the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
