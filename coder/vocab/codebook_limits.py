"""The documented limits on a codebook file, shared by the YAML reader and the REFI-QDA reader.

A codebook comes from a colleague, an old study or another program; these limits keep a hostile
or broken file from hanging or crashing an import (a 500-level tree exhausts Python's recursion
in every later walk) while staying far above any codebook a research team writes. Leaf module:
imports nothing of ours.
"""

from __future__ import annotations

MAX_CODE_DEPTH = 16
"""Levels of codes: theme = 1, its sub-codes = 2, and so on."""

MAX_NAME_CHARS = 200
"""Characters in a code name."""

MAX_TEXT_CHARS = 100_000
"""Characters in a description, inclusion or exclusion text, keyword or example."""

MAX_CODES = 10_000
"""Codes in one codebook file."""


def too_deep(depth: int) -> str:
    """The one-line reason for refusing a tree deeper than the limit."""
    return f"codes nested deeper than {MAX_CODE_DEPTH} levels (too deep)"


def too_long_name(length: int) -> str:
    """The one-line reason for refusing a long code name."""
    return f"a code name of {length} characters (at most {MAX_NAME_CHARS} allowed)"
