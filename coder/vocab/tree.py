"""The one code-tree builder: flat codes in, the tree out, in the codebook's order.

Siblings are ordered by position, then by name (case-insensitively), and each node's depth is
filled in. The services build every tree through this (with or without usage counts, which
ride on the CodeInfo records), so the codebook pane, Table 2 and the exports agree on the order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from coder.vocab.dto import CodeInfo, CodeNode


def build_tree(codes: Sequence[CodeInfo]) -> tuple[CodeNode, ...]:
    """The code tree from flat codes, siblings by position then name, depths filled in."""
    kids: dict[int | None, list[CodeInfo]] = {}
    for c in codes:
        kids.setdefault(c.parent_id, []).append(c)

    def build(parent: int | None, depth: int) -> tuple[CodeNode, ...]:
        found = sorted(kids.get(parent, []), key=lambda c: (c.position, c.name.lower()))
        return tuple(CodeNode(replace(c, depth=depth), build(c.id, depth + 1)) for c in found)

    return build(None, 0)
