"""A screen's or pane's part as an attribute: `transcript = Child(TranscriptView)`.

Screens and panes read their parts all the time; each part used to be a four-line property
around `query_one`. This descriptor is that lookup written once: reading the attribute finds
the one child of that kind (or the one matching `selector`) at that moment, and raises
Textual's NoMatches when there is none, exactly as the property did.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, overload

from textual.dom import DOMNode
from textual.widget import Widget

W = TypeVar("W", bound=Widget)


class Child(Generic[W]):
    """The one descendant of type `kind` (and matching `selector`, when given)."""

    def __init__(self, kind: type[W], selector: str | None = None) -> None:
        self.kind = kind
        self.selector = selector

    @overload
    def __get__(self, node: None, owner: Any) -> Child[W]: ...

    @overload
    def __get__(self, node: DOMNode, owner: Any) -> W: ...

    def __get__(self, node: DOMNode | None, owner: Any) -> Child[W] | W:
        if node is None:
            return self
        if self.selector is None:
            return node.query_one(self.kind)
        return node.query_one(self.selector, self.kind)
