"""The quick-code bar: which code each number key 1–9 applies, always in sight."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from coder.tui.state import WorkspaceState


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
        if not state.slots:
            text.append("No codes yet: press F3 for the codebook, then a to add one.", style="dim")
        names = [state.codes[c].name for c in state.slots if c in state.codes]
        # Share the line out so every number shows: the longest names are shortened first.
        room = max(len(n) for n in names) if names else 0
        available = (self.size.width or 200) - 2 - 6 * len(names)
        while room > 3 and sum(min(len(n), room) for n in names) > available:
            room -= 1
        for i, cid in enumerate(state.slots, 1):
            info = state.codes.get(cid)
            if info is None:
                continue
            name = info.name if len(info.name) <= room else info.name[: room - 1] + "…"
            text.append(f"{i}", style="bold reverse")
            text.append(" ■", style=info.color)
            text.append(f" {name}  ")
        self.update(text, layout=False)
