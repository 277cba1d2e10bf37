"""Writing a memo (on a coding, a code or a transcript) in a text area.

Ctrl+S saves. Escape with unsaved changes asks whether to save them, so a memo is never
thrown away by a stray key.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from coder.tui import keymap
from coder.tui.context import context
from coder.tui.dialogs.confirm import close_asking
from coder.tui.dialogs.pick import Choice, PickScreen
from coder.tui.messages import Noted
from coder.tui.widgets.memo_area import MemoArea
from coder.vocab.dto import MemoInfo


@dataclass(frozen=True)
class MemoResult:
    title: str
    text: str
    delete: bool = False  # the researcher asked to delete the memo (Ctrl+D)

    @property
    def empty(self) -> bool:
        return not self.title.strip() and not self.text.strip()


@dataclass(frozen=True)
class MemoTarget:
    """What a code, source or project memo is on."""

    kind: str  # code, source or project
    code_id: int | None = None
    source_id: int | None = None


class MemoScreen(ModalScreen[MemoResult | None]):
    """Returns the memo's title and text, or None when nothing is to be saved."""

    BINDINGS = [
        *keymap.keys(keymap.DIALOG),
        Binding("ctrl+d", "delete", "Delete memo", id="dialog.delete_memo",
                tooltip="Delete this memo (Ctrl+Z brings it back)", priority=True),
    ]  # fmt: skip

    def __init__(
        self,
        heading: str,
        text: str = "",
        *,
        title: str | None = None,
        quote: str = "",
        deletable: bool = False,
        needs_text: bool = False,
    ) -> None:
        super().__init__()
        self._deletable = deletable
        self._needs_text = needs_text  # a note: a title alone cannot be stored
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
            hint = "Ctrl+S save · Escape close" + (" · Ctrl+D delete" if self._deletable else "")
            yield Static(hint, classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(MemoArea)
        area.move_cursor(area.document.end)
        if self._title is not None:
            self.query_one("#memo-title", Input).focus()  # shown first, so typed first
        else:
            area.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._deletable if action == "delete" else True

    def action_delete(self) -> None:
        self.dismiss(MemoResult("", "", delete=True))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(MemoArea).focus()  # Enter in the title goes on to the text

    def _result(self) -> MemoResult:
        title = self.query_one("#memo-title", Input).value if self._title is not None else ""
        return MemoResult(title.strip(), self.query_one(MemoArea).text)

    def _changed(self) -> bool:
        r = self._result()
        return r.text.strip() != self._text.strip() or (
            self._title is not None and r.title != (self._title or "").strip()
        )

    def action_save(self) -> None:
        result = self._result()
        if self._needs_text and not result.text.strip() and not result.empty:
            # Closing would throw the title away ("a note needs some text" came after the
            # dialog had gone): stay, and say what is missing.
            self.notify("A note needs some text: write it under the title.", severity="warning")
            self.query_one(MemoArea).focus()
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        close_asking(self, self._changed(), "Unsaved memo", "memo", self._result)


def memo_choice(m: MemoInfo) -> Choice:
    words = " ".join(m.text.split())
    return Choice(
        m.id, m.title or "(untitled)", detail=words[:60] + ("…" if len(words) > 60 else "")
    )


async def edit_memo(node: Widget, heading: str, default_title: str, target: MemoTarget) -> None:
    """The memos on one code, source or the project: with none, a new one titled
    `default_title`; otherwise a list to open any of them or start a new one. Saving keeps the
    memo's identity (a new title renames it); an empty new memo saves nothing; Ctrl+D deletes
    (undoable). Run it in a worker of `node` (it waits for the dialogs)."""
    from coder.services.codebook.memos import list_memos

    project = context(node).project
    shown = context(node).shown_coders()  # blind mode: only my own memos

    def read() -> list[MemoInfo]:
        return list_memos(
            project,
            code_id=target.code_id,
            source_id=target.source_id,
            kind=target.kind,
            coders=shown,
        )

    memos = await node.run_worker(read, thread=True, group="memo-read").wait()
    memo: MemoInfo | None = None
    if memos:
        choices = [memo_choice(m) for m in memos]
        choices.append(Choice(0, "+ New memo", detail="write another memo here"))
        picked = await node.app.push_screen_wait(
            PickScreen(f"{heading}: {len(memos)} memo(s)", choices, "Type part of a title…")
        )
        if picked is None:
            return
        memo = next((m for m in memos if m.id == picked), None)
    result = await node.app.push_screen_wait(
        MemoScreen(
            heading,
            memo.text if memo else "",
            title=memo.title if memo else default_title,
            deletable=memo is not None,
        )
    )
    save_result(node, result, target, memo.id if memo else None)


def save_result(
    node: Widget, result: MemoResult | None, target: MemoTarget, memo_id: int | None
) -> None:
    """Write what the memo dialog returned: delete, save, or (an empty new memo) nothing."""
    from coder.services.codebook.memos import delete_memo, save_memo

    project = context(node).project
    writer = context(node).writer
    if result is None:
        return
    if result.delete and memo_id is not None:
        writer.submit(
            node,
            "delete memo",
            lambda: delete_memo(project, memo_id),
            lambda _r: Noted("Memo deleted (Ctrl+Z brings it back)", 3),
        )
    elif result.empty and memo_id is None:
        node.post_message(Noted("Empty memo: nothing saved", 2))
    else:
        writer.submit(
            node,
            "save memo",
            lambda: save_memo(
                project,
                kind=target.kind,
                code_id=target.code_id,
                source_id=target.source_id,
                title=result.title,
                text=result.text,
                memo_id=memo_id,
            ),
            lambda _memo: Noted("Memo saved", 1.5),
        )
