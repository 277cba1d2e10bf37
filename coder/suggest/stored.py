"""The stored form of a trained model and of a ready scorer: numpy arrays and a JSON header in
one .npz, as bytes for the project database.

Loading never unpickles (`allow_pickle=False`): a project from someone else cannot run code
when its model is read.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
from numpy.lib.npyio import NpzFile


def pack(header: Mapping[str, Any], arrays: Mapping[str, np.ndarray], *, compress: bool) -> bytes:
    """`arrays` and `header` (stored as the array "header") as .npz bytes."""
    buf = io.BytesIO()
    stored = {**arrays, "header": np.frombuffer(json.dumps(header).encode(), np.uint8)}
    (np.savez_compressed if compress else np.savez)(buf, **stored)  # type: ignore[arg-type]
    return buf.getvalue()


@contextmanager
def unpack(data: bytes) -> Iterator[tuple[dict[str, Any], NpzFile]]:
    """The header and the arrays of bytes `pack` wrote, open while the `with` lasts."""
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        yield json.loads(bytes(z["header"]).decode()), z
