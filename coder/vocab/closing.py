"""The one way a thing that holds something open (a project's engine, a zip, a watcher's
connection) works in a `with` statement: entering gives the thing, leaving closes it.

Leaf module: imports nothing of ours.
"""

from __future__ import annotations

from typing import Self


class Closing:
    """Held open until `close`; `with thing:` closes it on the way out, error or not."""

    def close(self) -> None:
        """Let go of what is held open (subclasses say what)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
