"""The codebook pane: the code tree and everything the researcher does to it from there.

It owns new, rename, edit, move, merge, delete, pin and memo. Each edit is one undoable
service call through the Writer; the pane then posts upward what happened (`CodebookChanged`,
`SlotsChanged`), and the screen fetches again what that may have changed. What belongs to the
transcript (applying a code, its passages, review) is asked of the screen by message.
Questions that lead to further questions (merge: into what, then are you sure) run as workers
that wait for each answer with `push_screen_wait`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work

from coder.services.codebook.codes import (
    CodeFields,
    create_code,
    delete_code,
    delete_impact,
    merge_codes,
    move_code,
    update_code,
)
from coder.services.codebook.questions import Grouping, group_by_question
from coder.services.coding.workspace import subtree_ids
from coder.tui import keymap
from coder.tui.context import DIALOG, context
from coder.tui.dialogs.code_edit import CodeEditScreen
from coder.tui.dialogs.confirm import ConfirmScreen
from coder.tui.dialogs.memo import MemoTarget, edit_memo
from coder.tui.dialogs.pick import Choice, PickScreen, code_choices
from coder.tui.dialogs.prompt import PromptScreen
from coder.tui.messages import ApplyCode, CodebookChanged, ReviewCode, ShowPassages, SlotsChanged
from coder.tui.state import WorkspaceState
from coder.tui.widgets.codebook import CodebookTree
from coder.vocab.dto import CodeInfo, CodeNode
from coder.wording import count

TOP = -1  # the "(top level)" choice when moving a code


def _grouped(done: Grouping) -> str:
    note = (
        f"{count(len(done.groups), 'question')} grouped; "
        f"{count(len(done.moved), 'code')} moved under their question"
    )
    if done.left:
        note += f"; {count(len(done.left), 'code')} left where they were"
    return note


class CodebookPane(CodebookTree):
    """The code tree with its keys; Enter applies the highlighted code to the selection."""

    BINDINGS = keymap.keys(keymap.CODEBOOK)

    def __init__(self, state: WorkspaceState, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(state, id=id)
        self.state = state

    def _code(self) -> CodeInfo | None:
        cid = self.code_id
        info = self.state.codes.get(cid) if cid is not None else None
        if info is None:
            self.notify("Highlight a code in the codebook (F3) first.", severity="warning")
        return info

    def _write(self, label: str, fn: Any, done: Any) -> None:
        context(self).writer.submit(self, label, fn, done)

    def _write_codings(
        self, label: str, fn: Callable[[], int], focus: int | None, said: Callable[[str], str]
    ) -> None:
        """A write that moves or removes codings (it returns how many): then say so."""
        self._write(
            label, fn, lambda n: CodebookChanged(focus, codings=True, note=said(count(n, "coding")))
        )

    def action_apply_tree_code(self) -> None:
        info = self._code()
        if info is not None:
            self.post_message(ApplyCode(info.id))

    def action_retrieve_code(self) -> None:
        info = self._code()
        if info is not None:
            self.post_message(ShowPassages(info.id))

    def action_review_code(self) -> None:
        self.post_message(ReviewCode(self.code_id))

    # --- create, rename, edit -------------------------------------------------------------------

    def action_new_code(self) -> None:
        self._new(under=False)

    def action_new_subcode(self) -> None:
        self._new(under=True)

    def _new(self, under: bool) -> None:
        cid = self.code_id
        current = self.state.codes.get(cid) if cid is not None else None
        parent = (current.id if under else current.parent_id) if current else None
        if parent is None and not under:  # a theme, unless the selection answers a question
            parent = self.state.question_group()  # that has a group: then under the group
        where = f" under {self.state.path(parent)}" if parent is not None else " (a theme)"
        project = context(self).project

        def named(name: str | None) -> None:
            if name:
                self._write(
                    f"create {name}",
                    lambda: create_code(project, name, parent),
                    lambda info: CodebookChanged(info.id),
                )

        self.app.push_screen(PromptScreen(f"New code{where}", "", "Name of the code"), named)

    def group_by_question(self) -> None:
        """Give each survey question a theme and file the codes used for one question under
        it (the palette's "Group codes by question"; undoable)."""
        project = context(self).project
        self._write(
            "group codes by question",
            lambda: group_by_question(project),
            lambda done: CodebookChanged(None, codings=True, note=_grouped(done)),
        )

    def action_rename_code(self) -> None:
        info = self._code()
        if info is None:
            return
        project = context(self).project

        def named(name: str | None) -> None:
            if name and name != info.name:
                self._write(
                    "rename",
                    lambda: update_code(project, info.id, CodeFields(name=name)),
                    lambda _info: CodebookChanged(info.id, codings=True),
                )

        self.app.push_screen(PromptScreen(f"Rename {info.name}", info.name), named)

    def action_edit_code(self) -> None:
        info = self._code()
        if info is None:
            return
        project = context(self).project

        def saved(fields: CodeFields | None) -> None:
            if fields is not None and fields != CodeFields():
                self._write(
                    "edit code",
                    lambda: update_code(project, info.id, fields),
                    lambda _info: CodebookChanged(info.id, codings=True),
                )

        self.app.push_screen(CodeEditScreen(info, self.state.path(info.id)), saved)

    # --- move -----------------------------------------------------------------------------------

    def action_move_code(self) -> None:
        info = self._code()
        if info is None:
            return
        own = set(subtree_ids(self.state.nodes, info.id))
        choices = [
            Choice(TOP, "(top level: make it a theme)"),
            *code_choices(self.state, only_codable=False, exclude=own),
        ]
        project = context(self).project

        def chosen(parent: int | None) -> None:
            if parent is not None:
                new_parent = None if parent == TOP else parent
                self._write(
                    "move code",
                    lambda: move_code(project, info.id, new_parent),
                    lambda _none: CodebookChanged(info.id),
                )

        self.app.push_screen(PickScreen(f"Move {info.name} under…", choices), chosen)

    def _siblings(self, info: CodeInfo) -> list[int]:
        def find(nodes: tuple[CodeNode, ...]) -> tuple[CodeNode, ...] | None:
            for n in nodes:
                if n.code.id == info.parent_id:
                    return n.children
                found = find(n.children)
                if found is not None:
                    return found
            return None

        level = self.state.nodes if info.parent_id is None else (find(self.state.nodes) or ())
        return [n.code.id for n in level]

    def action_shift_code(self, step: int) -> None:
        info = self._code()
        if info is None:
            return
        siblings = self._siblings(info)
        pos = siblings.index(info.id) + step
        if 0 <= pos < len(siblings):
            project = context(self).project
            self._write(
                "move code",
                lambda: move_code(project, info.id, info.parent_id, pos),
                lambda _none: CodebookChanged(info.id),
            )

    # --- merge and delete (they ask first) ------------------------------------------------------

    @work(group=DIALOG)
    async def action_merge_code(self) -> None:
        info = self._code()
        if info is None:
            return
        own = set(subtree_ids(self.state.nodes, info.id))
        n = self.state.counts.get(info.id)
        target: int | None = await self.app.push_screen_wait(
            PickScreen(
                f"Merge {self.state.path(info.id)} into…",
                code_choices(self.state, only_codable=False, exclude=own),
            )
        )
        if target is None:
            return
        # Paths, as the list of codes shows them: two codes may share a name in different
        # places ("Merge Reacting into Reacting?").
        src, dst = self.state.path(info.id), self.state.path(target)
        amount = f"its {count(n.codings, 'coding')}" if n else "its codings"
        question = ConfirmScreen(
            "Merge codes",
            f"Merge {src} into {dst}? {amount.capitalize()} move "
            f"to {dst}, duplicates fold together, and {src} goes. "
            "Ctrl+Z undoes it.",
            yes="Merge",
        )
        if await self.app.push_screen_wait(question):
            project = context(self).project
            self._write_codings(
                f"merge {info.name}",
                lambda: merge_codes(project, info.id, target),
                target,
                lambda moved: f"Merged {src} into {dst}: {moved} moved",
            )

    @work(group=DIALOG)
    async def action_delete_code(self) -> None:
        info = self._code()
        if info is None:
            return
        project = context(self).project
        reading = self.run_worker(
            lambda: delete_impact(project, info.id), thread=True, group="delete-impact"
        )
        codings, subcodes = await reading.wait()
        parts = [count(codings, "coding")]
        if subcodes:
            parts.append(count(subcodes, "sub-code"))
        msg = f"Delete {info.name}? {' and '.join(parts)} go with it. Ctrl+Z undoes it."
        if await self.app.push_screen_wait(ConfirmScreen("Delete code", msg, yes="Delete")):
            self._write_codings(
                f"delete {info.name}",
                lambda: delete_code(project, info.id),
                info.parent_id,
                lambda n: f"Deleted {info.name} ({n})",
            )

    # --- memo and pin ---------------------------------------------------------------------------

    @work(group=DIALOG)
    async def action_code_memo(self) -> None:
        info = self._code()
        if info is None:
            return
        await edit_memo(
            self, f"Memo on code {info.name}", "Summary", MemoTarget("code", code_id=info.id)
        )

    def action_pin_code(self) -> None:
        info = self._code()
        if info is None:
            return
        if not info.codable:
            self.notify(f"{info.name} only groups sub-codes.", severity="warning")
            return
        pinned = self.state.toggle_pin(info.id)
        self.post_message(SlotsChanged())
        context(self).save_slots(self.state.slots)
        slot = self.state.slot_of(info.id)
        self.notify(
            f"{info.name} is on key {slot}" if pinned else f"{info.name} unpinned", timeout=2
        )
