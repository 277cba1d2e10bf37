"""The one rule for a name that is already taken: add " (2)", " (3)"... until it is free.

Merging a code into another moves its sub-codes under a parent that may already have one of the
same name; a REFI-QDA import or a team merge brings in names coder already holds. All of them
rename the same way, so that a researcher sees one pattern everywhere. Leaf module: imports
nothing of ours.
"""

from __future__ import annotations


def free_name(name: str, taken: set[str]) -> str:
    """`name`, or "name (2)", "name (3)"... whichever is free among `taken` (lower-cased,
    so the test is case-insensitive); the name chosen is added to `taken`."""
    out, n = name, 2
    while out.lower() in taken:
        out = f"{name} ({n})"
        n += 1
    taken.add(out.lower())
    return out
