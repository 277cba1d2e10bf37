"""Small helpers for the words coder shows researchers."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """ "1 coding", "2 codings", "1,204 passages" (irregular plurals given as `plural`)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
