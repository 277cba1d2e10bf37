"""The quick-code bar: which code each number key 1–9 applies, always in sight."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from coder.tui.state import WorkspaceState

SMALL_WORDS = {"a", "an", "and", "of", "the", "to", "for", "in", "on", "with"}


def distinct_names(names: list[str]) -> list[str]:
    """Names that stay apart when shortened: words a name shares at its start with another
    name shrink to initials, and the small words after them go ("Freedom to participate and
    share" and "Freedom of expression" become "F.participate and share", "F.expression")."""
    out = []
    split = [n.split() for n in names]
    for i, words in enumerate(split):
        shared = 0
        for j, other in enumerate(split):
            if j != i:
                k = 0
                while k < min(len(words), len(other)) and words[k] == other[k]:
                    k += 1
                shared = max(shared, k)
        if not shared or shared >= len(words):
            out.append(names[i])
            continue
        rest = words[shared:]
        while len(rest) > 1 and rest[0].lower() in SMALL_WORDS:
            rest = rest[1:]
        out.append("".join(w[0] for w in words[:shared]) + "." + " ".join(rest))
    return out


def qualified_names(names: list[str], ids: list[int], state: WorkspaceState) -> list[str]:
    """Names as the bar shows them: two keys whose codes share a name (a theme "Reacting" and
    Bonding's sub-code "Reacting") say whose each is, as "Bonding/Reacting"."""
    folded = [n.casefold() for n in names]
    out = []
    for name, key, cid in zip(names, folded, ids, strict=True):
        parent = state.codes.get(state.codes[cid].parent_id or -1)
        twin = folded.count(key) > 1
        out.append(f"{parent.name}/{name}" if twin and parent is not None else name)
    return out


class QuickBar(Static):
    """One line: `1 ■ Approaching  2 ■ Reacting …`."""

    DEFAULT_CSS = "QuickBar { height: 1; background: $panel; padding: 0 1; }"

    def show(self, state: WorkspaceState) -> None:
        self._state = state
        self._draw()

    def on_resize(self) -> None:
        if getattr(self, "_state", None) is not None:
            self._draw()

    def _draw(self) -> None:
        state: WorkspaceState = self._state
        text = Text(no_wrap=True, overflow="ellipsis")
        if not any(c in state.codes for c in state.slots if c is not None):
            text.append("No codes yet: press F3 for the codebook, then a to add one.", style="dim")
        shown = [c for c in state.slots if c is not None and c in state.codes]
        names = qualified_names([state.codes[c].name for c in shown], shown, state)
        width = (self.size.width or 200) - 2
        # `1 ■ Name  ` costs 6 cells besides the name; when that leaves too little room for
        # nine names, the number itself wears the code's colour (`1 Name `, 3 cells), so that
        # nine codes still read at 80 columns.
        compact = width - 6 * len(names) < 8 * len(names)
        available = width - (3 if compact else 6) * len(names)
        if sum(map(len, names)) > available:
            names = distinct_names(names)  # they will be cut: keep them telling apart
        # Share the line out so every number shows: the longest names are shortened first.
        room = max(map(len, names)) if names else 0
        while room > 3 and sum(min(len(n), room) for n in names) > available:
            room -= 1
        short = dict(zip(shown, names, strict=True))
        for i, cid in enumerate(state.slots, 1):
            info = state.codes.get(cid) if cid is not None else None
            if cid is None or info is None:
                continue
            name = short[cid] if len(short[cid]) <= room else short[cid][: room - 1] + "…"
            if compact:
                text.append(f"{i}", style=f"bold reverse {info.color}")
                text.append(f" {name} ")
            else:
                text.append(f"{i}", style="bold reverse")
                text.append(" ■", style=info.color)
                text.append(f" {name}  ")
        self.update(text, layout=False)
