"""Codebook work from the tree: create, rename, edit, move, merge and delete codes, memos on
codes, quick-code pins, and applying the highlighted code.

Each edit is one undoable service call through the Writer; afterwards the tree (cheap: names
only) and the counts and transcript codings that the edit may have changed are fetched again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coder.services.codebook.codes import (
    CodeFields,
    create_code,
    delete_code,
    delete_impact,
    merge_codes,
    move_code,
    update_code,
)
from coder.services.codebook.memos import list_memos, save_memo
from coder.services.coding.workspace import subtree_ids
from coder.tui.screens.code_edit import CodeEditScreen
from coder.tui.screens.confirm import ConfirmScreen
from coder.tui.screens.memo import MemoResult
from coder.tui.screens.pick import Choice, PickScreen
from coder.tui.screens.prompt import PromptScreen
from coder.tui.screens.workspace_host import WorkspaceHost
from coder.vocab.dto import CodeInfo, CodeNode, MemoInfo
from coder.wording import count

TOP = -1  # the "(top level)" choice when moving a code


class CodebookActions(WorkspaceHost):
    """Mixed into WorkspaceScreen."""

    if TYPE_CHECKING:
        _focus_code: int | None

        def apply(self, code_id: int) -> None: ...
        def slots_changed(self) -> None: ...
        def open_retrieval(self, code_id: int) -> None: ...
        def fetch(self, group: str, fn: Callable[[], Any], then: Callable[[Any], None]) -> None: ...
        def edit_memo(
            self,
            heading: str,
            default_title: str,
            read: Callable[[], list[MemoInfo]],
            write: Callable[[MemoResult], Any],
        ) -> None: ...
        def _write(
            self, label: str, fn: Callable[[], Any], apply: Callable[[Any], None]
        ) -> None: ...
        def code_choices(
            self, only_codable: bool = True, exclude: set[int] | None = None
        ) -> list[Choice]: ...

    def _code(self) -> CodeInfo | None:
        cid = self.codetree.code_id
        info = self.state.codes.get(cid) if cid is not None else None
        if info is None:
            self.notify("Highlight a code in the codebook (F3) first.", severity="warning")
        return info

    def _edited(self, focus: int | None, doc: bool = False) -> Callable[[Any], None]:
        def done(_result: Any) -> None:
            self._focus_code = focus
            self.reload(tree=True, counts=doc, doc=doc)

        return done

    def action_apply_tree_code(self) -> None:
        info = self._code()
        if info is not None:
            self.apply(info.id)

    def action_new_code(self) -> None:
        self._new(under=False)

    def action_new_subcode(self) -> None:
        self._new(under=True)

    def _new(self, under: bool) -> None:
        cid = self.codetree.code_id
        current = self.state.codes.get(cid) if cid is not None else None
        parent = (current.id if under else current.parent_id) if current else None
        where = f" under {self.state.path(parent)}" if parent is not None else " (a theme)"
        project = self.coder_app.project

        def named(name: str | None) -> None:
            if name:
                self._write(
                    f"create {name}",
                    lambda: create_code(project, name, parent),
                    lambda info: self._edited(info.id)(info),
                )

        self.coder_app.push_screen(PromptScreen(f"New code{where}", "", "Name of the code"), named)

    def action_rename_code(self) -> None:
        info = self._code()
        if info is None:
            return
        project = self.coder_app.project

        def named(name: str | None) -> None:
            if name and name != info.name:
                self._write(
                    "rename",
                    lambda: update_code(project, info.id, CodeFields(name=name)),
                    self._edited(info.id, doc=True),
                )

        self.coder_app.push_screen(PromptScreen(f"Rename {info.name}", info.name), named)

    def action_edit_code(self) -> None:
        info = self._code()
        if info is None:
            return
        project = self.coder_app.project

        def saved(fields: CodeFields | None) -> None:
            if fields is not None and fields != CodeFields():
                self._write(
                    "edit code",
                    lambda: update_code(project, info.id, fields),
                    self._edited(info.id, doc=True),
                )

        self.coder_app.push_screen(CodeEditScreen(info, self.state.path(info.id)), saved)

    def action_move_code(self) -> None:
        info = self._code()
        if info is None:
            return
        own = set(subtree_ids(self.state.nodes, info.id))
        choices = [
            Choice(TOP, "(top level: make it a theme)"),
            *self.code_choices(only_codable=False, exclude=own),
        ]
        project = self.coder_app.project

        def chosen(parent: int | None) -> None:
            if parent is None:
                return
            new_parent = None if parent == TOP else parent
            self._write(
                "move code", lambda: move_code(project, info.id, new_parent), self._edited(info.id)
            )

        self.coder_app.push_screen(PickScreen(f"Move {info.name} under…", choices), chosen)

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
        if not 0 <= pos < len(siblings):
            return
        project = self.coder_app.project
        self._write(
            "move code",
            lambda: move_code(project, info.id, info.parent_id, pos),
            self._edited(info.id),
        )

    def action_merge_code(self) -> None:
        info = self._code()
        if info is None:
            return
        own = set(subtree_ids(self.state.nodes, info.id))
        project = self.coder_app.project
        n = self.state.counts.get(info.id)

        def chosen(target: int | None) -> None:
            if target is None:
                return
            dst = self.state.codes[target]
            amount = f"its {count(n.codings, 'coding')}" if n else "its codings"

            def confirmed(yes: bool | None) -> None:
                if yes:

                    def merged(moved: int) -> None:
                        self.notify(
                            f"Merged {info.name} into {dst.name}: {count(moved, 'coding')} moved"
                        )
                        self._edited(target, doc=True)(moved)

                    self._write(
                        f"merge {info.name}", lambda: merge_codes(project, info.id, target), merged
                    )

            self.coder_app.push_screen(
                ConfirmScreen(
                    "Merge codes",
                    f"Merge {info.name} into {dst.name}? {amount.capitalize()} move "
                    f"to {dst.name}, duplicates fold together, and {info.name} goes. "
                    "Ctrl+Z undoes it.",
                    yes="Merge",
                ),
                confirmed,
            )

        self.coder_app.push_screen(
            PickScreen(
                f"Merge {info.name} into…", self.code_choices(only_codable=False, exclude=own)
            ),
            chosen,
        )

    def action_delete_code(self) -> None:
        info = self._code()
        if info is None:
            return
        project = self.coder_app.project

        def impact(counts: tuple[int, int]) -> None:
            codings, subcodes = counts
            parts = [count(codings, "coding")]
            if subcodes:
                parts.append(count(subcodes, "sub-code"))
            msg = f"Delete {info.name}? {' and '.join(parts)} go with it. Ctrl+Z undoes it."

            def confirmed(yes: bool | None) -> None:
                if yes:

                    def deleted(n: int) -> None:
                        self.notify(f"Deleted {info.name} ({count(n, 'coding')})")
                        self._edited(info.parent_id, doc=True)(n)

                    self._write(
                        f"delete {info.name}", lambda: delete_code(project, info.id), deleted
                    )

            self.coder_app.push_screen(ConfirmScreen("Delete code", msg, yes="Delete"), confirmed)

        self.fetch("impact", lambda: delete_impact(project, info.id), impact)

    def action_code_memo(self) -> None:
        info = self._code()
        if info is None:
            return
        project = self.coder_app.project
        self.edit_memo(
            f"Memo on code {info.name}",
            "Summary",
            lambda: list_memos(project, code_id=info.id, kind="code"),
            lambda r: save_memo(project, kind="code", code_id=info.id, title=r.title, text=r.text),
        )

    def action_retrieve_code(self) -> None:
        info = self._code()
        if info is not None:
            self.open_retrieval(info.id)

    def action_pin_code(self) -> None:
        info = self._code()
        if info is None:
            return
        if not info.codable:
            self.notify(f"{info.name} only groups sub-codes.", severity="warning")
            return
        pinned = self.state.toggle_pin(info.id)
        self.slots_changed()
        self.coder_app.save_slots(self.state.slots)
        slot = self.state.slot_of(info.id)
        self.notify(
            f"{info.name} is on key {slot}" if pinned else f"{info.name} unpinned", timeout=2
        )
