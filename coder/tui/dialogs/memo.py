"""Writing a memo (on a coding, a code or a transcript) in a text area.

Ctrl+S saves. Escape with unsaved changes asks whether to save them, so a memo is never
thrown away by a stray key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from coder.tui import keymap
from coder.tui.context import context
from coder.tui.dialogs.confirm import close_asking
from coder.tui.messages import Noted
from coder.tui.widgets.memo_area import MemoArea
from coder.vocab.dto import MemoInfo


@dataclass(frozen=True)
class MemoResult:
    title: str
    text: str


class MemoScreen(ModalScreen[MemoResult | None]):
    """Returns the memo's title and text, or None when nothing is to be saved."""

    BINDINGS = keymap.keys(keymap.DIALOG)

    def __init__(
        self, heading: str, text: str = "", *, title: str | None = None, quote: str = ""
    ) -> None:
        super().__init__()
        self._heading = heading
        self._quote = " ".join(quote.split())
        self._text = text
        self._title = title  # None: this kind of memo has no title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo"):
            yield Static(self._heading, classes="dialog-title", markup=False)
            if self._quote:
                short = self._quote if len(self._quote) <= 160 else self._quote[:159] + "…"
                yield Static(f"“{short}”", classes="dialog-hint memo-quote", markup=False)
            if self._title is not None:
                yield Input(
                    self._title, placeholder="Title (e.g. Summary, Implication)", id="memo-title"
                )
            yield MemoArea(self._text, id="memo-text", soft_wrap=True, show_line_numbers=False)
            yield Static("Ctrl+S save · Escape close", classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(MemoArea)
        area.focus()
        area.move_cursor(area.document.end)

    def _result(self) -> MemoResult:
        title = self.query_one("#memo-title", Input).value if self._title is not None else ""
        return MemoResult(title.strip(), self.query_one(MemoArea).text)

    def _changed(self) -> bool:
        r = self._result()
        return r.text.strip() != self._text.strip() or (
            self._title is not None and r.title != (self._title or "").strip()
        )

    def action_save(self) -> None:
        self.dismiss(self._result())

    def action_cancel(self) -> None:
        close_asking(self, self._changed(), "Unsaved memo", "memo", self._result)


async def edit_memo(
    node: Widget,
    heading: str,
    default_title: str,
    read: Callable[[], list[MemoInfo]],
    write: Callable[[MemoResult], Any],
) -> None:
    """Open the first memo `read` finds (or a new one titled `default_title`) and save what the
    researcher writes with `write`: the code-memo and source-memo flow. Run it in a worker of
    `node` (it waits for the dialog); `read` runs in a thread, `write` through the Writer."""
    memos = await node.run_worker(read, thread=True, group="memo-read").wait()
    first = memos[0] if memos else None
    others = f" ({len(memos)} memos; showing the first)" if len(memos) > 1 else ""
    result = await node.app.push_screen_wait(
        MemoScreen(
            heading + others,
            first.text if first else "",
            title=first.title if first else default_title,
        )
    )
    if result is not None:
        context(node).writer.submit(
            node, "save memo", lambda: write(result), lambda _memo: Noted("Memo saved", 1.5)
        )
