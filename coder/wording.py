"""Small helpers for the words coder shows researchers."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """ "1 coding", "2 codings", "1,204 passages" (irregular plurals given as `plural`)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def figure(value: float | None, digits: int = 2) -> str:
    """A statistic as tables show it: a dash when undefined, and never -0.00 for a value that
    rounds to zero (round() keeps the sign of a small negative; adding 0.0 drops it)."""
    return "\u2014" if value is None else f"{round(value, digits) + 0.0:.{digits}f}"
