"""The codebook tree: themes and sub-themes, each with its colour, quick-code number, and how
many codings and participants it has.

Rebuilding keeps what the researcher had open and where the cursor was; after a coding only
the labels whose counts changed are redrawn.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets._tree import TOGGLE_STYLE
from textual.widgets.tree import TreeNode

from coder.tui.messages import CodeHighlighted
from coder.tui.state import WorkspaceState
from coder.tui.widgets.side_tree import SideTree
from coder.vocab.dto import CodeInfo, CodeNode


def code_label(info: CodeInfo, state: WorkspaceState, width: int = 0) -> Text:
    """`1 ■ Name ……… 12·3p`: slot, colour, name, then codings and participants at the right
    edge (the name is shortened to fit `width` cells when given). A code with sub-codes counts
    its whole subtree, so a theme never reads 0·0p while its sub-codes hold codings."""
    slot = state.slot_of(info.id)
    head = Text()
    head.append(f"{slot} " if slot else "  ", style="bold")
    head.append("■ ", style=info.color)
    counts = state.rollup.get(info.id, state.counts.get(info.id))  # a theme: its whole subtree
    if counts is not None:
        tail = f" {counts.codings}·{counts.participants}p"
    else:
        tail = " …" if not state.counts_ready else " 0·0p"
    name = info.name
    if width:
        room = max(3, width - head.cell_len - len(tail))
        if len(name) > room:
            name = name[: room - 1] + "…"
        name = name.ljust(room)
    head.append(name, style="" if info.codable else "italic")
    head.append(tail, style="dim")
    return head


class CodebookTree(SideTree[int]):
    """The code tree as drawn (the codebook pane adds what the researcher does with it)."""

    def __init__(
        self,
        state: WorkspaceState | None = None,
        *,
        id: str | None = None,  # noqa: A002
    ) -> None:
        self._state = state  # before Tree.__init__, which draws labels
        super().__init__("Codebook", auto_expand=False, id=id)
        self._code_nodes: dict[int, TreeNode[int]] = {}

    @property
    def code_id(self) -> int | None:
        """The highlighted code."""
        node = self.cursor_node
        return node.data if node is not None else None

    def show(self, state: WorkspaceState, focus_code: int | None = None) -> None:
        """(Re)build the tree from the state, keeping expansion and the cursor."""
        self._state = state
        expanded = {cid for cid, n in self._code_nodes.items() if n.is_expanded}
        first_time = not self._code_nodes
        keep = focus_code if focus_code is not None else self.code_id
        self.clear()
        self._code_nodes = {}

        def add(parent: TreeNode[int], nodes: tuple[CodeNode, ...]) -> None:
            for node in nodes:
                info = node.code
                label = Text(info.name)  # a name is text, never markup
                if node.children:
                    child = parent.add(
                        label, data=info.id, expand=first_time or info.id in expanded
                    )
                    add(child, node.children)
                else:
                    child = parent.add_leaf(label, data=info.id)
                self._code_nodes[info.id] = child

        with self.building():
            add(self.root, state.nodes)
            self.root.expand()
        if keep is not None and keep in self._code_nodes:
            self._reveal(keep)
        elif state.order:
            self._reveal(state.order[0])

    def _reveal(self, code_id: int) -> None:
        node = self._code_nodes[code_id]
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(self.move_cursor, node)

    def select_code(self, code_id: int) -> None:
        if code_id in self._code_nodes:
            self._reveal(code_id)

    def refresh_labels(self, code_ids: list[int] | None = None) -> None:
        """Redraw the labels of some codes (or all) after counts or slots changed."""
        if self._state is None:
            return
        for cid in code_ids if code_ids is not None else list(self._code_nodes):
            node = self._code_nodes.get(cid)
            if node is not None:
                node.refresh()

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        info = self._state.codes.get(node.data) if self._state and node.data else None
        if info is None or self._state is None:
            return super().render_label(node, base_style, style)
        icon = 2 if node.allow_expand else 0
        width = self.size.width - 1 - self.guide_depth * (info.depth + 1) - icon
        label = code_label(info, self._state, max(12, width))
        label.stylize_before(style)
        if node.allow_expand:
            prefix = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((prefix, base_style + TOGGLE_STYLE), label)
        return label

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[int]) -> None:
        event.stop()
        self.post_message(CodeHighlighted(event.node.data))
