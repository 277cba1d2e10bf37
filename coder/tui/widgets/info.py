"""The passage line: what the selection covers, which codes are on it and who coded them."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from coder.vocab.dto import CodingInfo


class PassageInfo(Static):
    """One line under the transcript describing the selection."""

    DEFAULT_CSS = "PassageInfo { height: 1; padding: 0 1; background: $boost; }"

    def show(self, words: int, codings: Sequence[CodingInfo]) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{words} word{'s' if words != 1 else ''} · ", style="dim")
        if not codings:
            text.append("not coded", style="dim italic")
            text.append("  (1-9 or c to code)", style="dim")
        coders = sorted({c.coder for c in codings})
        seen: set[int] = set()
        for c in codings:
            if c.code_id in seen:
                continue
            seen.add(c.code_id)
            text.append("■", style=c.code_color)
            text.append(f" {c.code_name}", style="bold")
            if len(coders) > 1:
                who = sorted({d.coder for d in codings if d.code_id == c.code_id})
                text.append(f" ({', '.join(who)})", style="dim")
            if any(d.exemplar for d in codings if d.code_id == c.code_id):
                text.append(" ★", style="yellow")
            if any(d.memo for d in codings if d.code_id == c.code_id):
                text.append(" ✎", style="cyan")
            text.append("  ")
        if len(coders) == 1:
            text.append(f"— coded by {coders[0]}", style="dim")
        self.update(text, layout=False)

    def message(self, text: str) -> None:
        self.update(Text(text, style="dim", no_wrap=True, overflow="ellipsis"), layout=False)
