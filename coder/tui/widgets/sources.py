"""The sources list: transcripts grouped by organisation and participant, each with how much of
it is coded, so a researcher sees at a glance what is left to do.

An organisation with a single transcript takes one row (`A › P01_…`) rather than two; a
participant with several transcripts gets a row of their own above them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets._tree import TOGGLE_STYLE
from textual.widgets.tree import TreeNode

from coder.services.coding.workspace import SourceEntry
from coder.tui import keymap
from coder.tui.messages import OpenSource
from coder.tui.state import WorkspaceState
from coder.tui.widgets.side_tree import SideTree

NO_ORG = "(no organisation)"
NO_CASE = "(no participant)"


@dataclass(frozen=True)
class Row:
    """What a line of the list shows: a group (organisation/participant) or one source."""

    name: str
    members: tuple[int, ...]  # source ids the % is computed over
    source_id: int | None = None
    prefix: str = ""  # dim text before the name (the organisation of a one-row group)
    depth: int = 0


def _pct(fraction: float | None) -> Text:
    if fraction is None:
        return Text("  … ", style="dim")
    pct = round(fraction * 100)
    style = "green" if pct >= 90 else ("yellow" if pct >= 25 else "dim")
    return Text(f"{pct:>3}% ", style=style)


class SourcesTree(SideTree[Row]):
    """Organisation → participant → source; Enter opens a source in the transcript."""

    BINDINGS = keymap.on_screen(keymap.SOURCES)

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        self._state: WorkspaceState | None = None  # before Tree.__init__, which draws labels
        self.current: int | None = None
        super().__init__("Sources", auto_expand=True, id=id)
        self._leaves: dict[int, TreeNode[Row]] = {}
        self._words: dict[int, int] = {}  # each source's words, by id (weights of a group's %)

    @property
    def source_id(self) -> int | None:
        node = self.cursor_node
        return node.data.source_id if node is not None and node.data is not None else None

    def show(self, state: WorkspaceState) -> None:
        """(Re)build the list from the state's entries, keeping collapsed groups collapsed."""
        collapsed = {n.data.name for n in self._groups() if n.data and not n.is_expanded}
        keep = self.source_id if self.source_id is not None else self.current
        self._state = state
        self._words = {e.id: max(1, e.words) for e in state.entries}
        with self.building():
            self._build_rows(state, collapsed)
        if keep is not None:
            self.show_current(keep, move=True)

    def _build_rows(self, state: WorkspaceState, collapsed: set[str]) -> None:
        self.clear()
        self._leaves = {}
        orgs: dict[str, dict[str, list[SourceEntry]]] = {}
        for e in state.entries:
            orgs.setdefault(e.organisation or NO_ORG, {}).setdefault(
                e.case_name or NO_CASE, []
            ).append(e)
        flat = len(orgs) == 1
        for org, cases in orgs.items():
            members = tuple(e.id for es in cases.values() for e in es)
            if len(members) == 1 and not flat:
                (entry,) = [e for es in cases.values() for e in es]
                self._leaf(self.root, entry, prefix=f"{org} › ", depth=0)
                continue
            parent = self.root
            depth = 0
            if not flat:
                parent = self.root.add(
                    Text(org), data=Row(org, members, depth=0), expand=org not in collapsed
                )
                depth = 1
            for case, entries in cases.items():
                if len(entries) == 1 and case != NO_CASE:
                    self._leaf(parent, entries[0], depth=depth)
                    continue
                group = parent.add(
                    Text(case),
                    data=Row(case, tuple(e.id for e in entries), depth=depth),
                    expand=case not in collapsed,
                )
                for e in entries:
                    self._leaf(group, e, depth=depth + 1)
        self.root.expand()

    def _groups(self) -> list[TreeNode[Row]]:
        out: list[TreeNode[Row]] = []
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.data is not None and node.data.source_id is None:
                out.append(node)
                stack.extend(node.children)
        return out

    def _leaf(
        self, parent: TreeNode[Row], e: SourceEntry, prefix: str = "", depth: int = 0
    ) -> None:
        name = e.name
        if e.case_name and not name.lower().startswith(e.case_name.lower()):
            name = f"{e.case_name} · {name}"
        row = Row(name, (e.id,), e.id, prefix, depth)
        self._leaves[e.id] = parent.add_leaf(Text(name), data=row)

    def render_label(self, node: TreeNode[Row], base_style: Style, style: Style) -> Text:
        row = node.data
        if row is None or self._state is None:
            return super().render_label(node, base_style, style)
        coverage = self._state.coverage
        if any(m not in coverage for m in row.members):
            fraction = None
        else:
            words = self._words
            total = sum(words.get(m, 1) for m in row.members) or 1
            fraction = sum(coverage[m] * words.get(m, 1) for m in row.members) / total
        label = _pct(fraction)
        icon = 2 if node.allow_expand else 0
        room = max(6, self.size.width - 1 - self.guide_depth * (row.depth + 1) - icon - 5)
        text = row.prefix + row.name
        if len(text) > room:
            text = text[: room - 1] + "…"
        is_current = row.source_id is not None and row.source_id == self.current
        name_style = "bold reverse" if is_current else ("bold" if row.source_id is None else "")
        if row.prefix and len(row.prefix) < len(text):
            label.append(text[: len(row.prefix)], style="dim")
            label.append(text[len(row.prefix) :], style=name_style)
        else:
            label.append(text, style=name_style)
        label.stylize_before(style)
        if node.allow_expand:
            icon_text = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon_text, base_style + TOGGLE_STYLE), label)
        return label

    def show_current(self, source_id: int, move: bool = False) -> None:
        """Mark the open source; move the cursor to it if asked."""
        old, self.current = self.current, source_id
        for sid in {old, source_id}:
            if sid is not None and sid in self._leaves:
                self._leaves[sid].refresh()
        node = self._leaves.get(source_id)
        if move and node is not None:
            parent = node.parent
            while parent is not None:
                parent.expand()
                parent = parent.parent
            self.call_after_refresh(self.move_cursor, node)

    def update_coverage(self, source_ids: list[int]) -> None:
        """Redraw the % coded of some sources and their groups (after a coding in them)."""
        for sid in source_ids:
            node = self._leaves.get(sid)
            while node is not None and node is not self.root:
                node.refresh()
                node = node.parent

    def redraw(self) -> None:
        """Redraw every row (after coverage for all sources arrived)."""
        for node in [*self._groups(), *self._leaves.values()]:
            node.refresh()

    def on_tree_node_selected(self, event: Tree.NodeSelected[Row]) -> None:
        event.stop()
        row = event.node.data
        if row is not None and row.source_id is not None:
            self.post_message(OpenSource(row.source_id))
