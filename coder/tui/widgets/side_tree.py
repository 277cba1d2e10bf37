"""The workspace's side trees (codebook, sources) share one look: no root line, a narrow guide,
a one-cell scrollbar and no sideways scrolling in a narrow column."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from textual.widgets import Tree
from textual.widgets.tree import TreeNode

T = TypeVar("T")


class SideTree(Tree[T]):
    """A Tree drawn as a side panel; `auto_expand` says whether Enter also opens a branch."""

    DEFAULT_CSS = "SideTree { scrollbar-size-vertical: 1; overflow-x: hidden; }"
    _building = False  # inside building(): adding nodes does not invalidate the lines

    def __init__(self, label: str, *, auto_expand: bool, id: str | None = None) -> None:  # noqa: A002
        super().__init__(label, id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = auto_expand

    @contextmanager
    def building(self) -> Iterator[None]:
        """Add many nodes at once: Tree invalidates its lines and asks for a layout after every
        node it adds (1,700 times for a study of 1,000 sources); inside this block that
        happens once, at the end."""
        self._building = True
        try:
            yield
        finally:
            self._building = False
            self._invalidate()

    def _invalidate(self) -> None:
        if not self._building:
            super()._invalidate()

    def get_label_width(self, node: TreeNode[T]) -> int:
        """Labels are cut to the panel's width and the panel never scrolls sideways, so the
        widest label need not be known: Tree would otherwise draw every label of the tree,
        folded or not, to measure it, each time its lines are rebuilt. Lines are padded to
        the panel's width whatever this says."""
        return 0
