"""The workspace's side trees (codebook, sources) share one look: no root line, a narrow guide,
a one-cell scrollbar and no sideways scrolling in a narrow column."""

from __future__ import annotations

from typing import TypeVar

from textual.widgets import Tree

T = TypeVar("T")


class SideTree(Tree[T]):
    """A Tree drawn as a side panel; `auto_expand` says whether Enter also opens a branch."""

    DEFAULT_CSS = "SideTree { scrollbar-size-vertical: 1; overflow-x: hidden; }"

    def __init__(self, label: str, *, auto_expand: bool, id: str | None = None) -> None:  # noqa: A002
        super().__init__(label, id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = auto_expand
