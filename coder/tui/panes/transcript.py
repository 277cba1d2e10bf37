"""The transcript pane: the open transcript and what the researcher does to its codings.

It owns applying a code to the selection, taking one off, a coding's memo and exemplar mark,
and notes on uncoded text (a memo anchored to the selected span, marked ✎ in the margin).
Every write goes through the app's Writer (one ordered lane, committed before the result comes
back) and comes back as a typed message (`Coded`, `Uncoded`, `CodingUpdated`, `NotesChanged`)
that bubbles to the screen; the screen then asks this pane to draw the result (`show_coded`,
`show_uncoded`, `show_updated`) and updates the counts, slots and coverage that go with it,
so a coding is on screen within a frame of the key press.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical

from coder.services.codebook.memos import delete_memo, save_memo
from coder.services.codebook.notes import add_note, note_label, notes_in
from coder.services.coding.codings import apply_code, set_coding_memo, set_exemplar, uncode_span
from coder.services.sources.player import play_passage
from coder.tui.child import Child
from coder.tui.context import DIALOG, context
from coder.tui.dialogs.memo import MemoResult, MemoScreen
from coder.tui.dialogs.pick import Choice, PickScreen, keyed_code, pick_code
from coder.tui.messages import Coded, CodingUpdated, NotesChanged, PlayStarted, Uncoded
from coder.tui.state import WorkspaceState
from coder.tui.widgets.transcript import TranscriptView
from coder.vocab.dto import CodingInfo, MemoInfo
from coder.vocab.turns import coverage_chars
from coder.wording import count

if TYPE_CHECKING:
    from coder.services.project.store import Project


class TranscriptPane(Vertical):
    """The bordered pane around the transcript, with the coding actions and notes."""

    def __init__(self, state: WorkspaceState, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes="pane")
        self.state = state

    def compose(self) -> ComposeResult:
        yield TranscriptView(id="transcript")

    view: Child[TranscriptView] = Child(TranscriptView)

    # --- applying codes -----------------------------------------------------------------------

    def apply(self, code_id: int) -> None:
        """Apply a code to the transcript selection (committed, then drawn)."""
        doc, info = self.state.doc, self.state.codes.get(code_id)
        if doc is None or info is None:
            return
        if not info.codable:
            self.notify(
                f"{info.name} only groups sub-codes; apply one of them.", severity="warning"
            )
            return
        start, end = self.view.selection
        source_id, project = doc.source.info.id, context(self).project
        context(self).writer.submit(
            self,
            f"code {info.name}",
            lambda: apply_code(project, source_id, start, end, code_id),
            Coded,
        )

    def quick_code(self, n: int) -> None:
        code_id = keyed_code(self, self.state, n)
        if code_id is not None:
            self.apply(code_id)

    def find_code(self) -> None:
        if self.state.doc is None:
            self.notify("Open a transcript first (F2).", severity="warning")
            return
        pick_code(self, "Apply which code to the selection?", self.state, self.apply)

    def show_coded(self, coding: CodingInfo) -> bool:
        """Draw a coding that was applied; False if it was already there."""
        current = self.view.codings
        is_new = all(c.id != coding.id for c in current)
        if is_new and self.is_open(coding.source_id):
            self.view.set_codings([*current, coding])
        return is_new

    def is_open(self, source_id: int) -> bool:
        return self.state.doc is not None and self.state.doc.source.info.id == source_id

    def coverage(self) -> float:
        """The share of the open transcript's characters that are coded."""
        doc = self.state.doc
        chars = len(doc.source.text) or 1 if doc is not None else 1
        return coverage_chars((c.start, c.end) for c in self.view.codings) / chars

    # --- playing the recording --------------------------------------------------------------

    def play(self) -> None:
        """Play the passage under the cursor from its start time in an external player."""
        doc = self.state.doc
        if doc is None:
            self.notify("Open a transcript first (F2).", severity="warning")
            return
        self._play(context(self).project, doc.source.info.id, self.view.selection[0])

    @work(thread=True, exclusive=True, group="play")
    def _play(self, project: Project, source_id: int, offset: int) -> None:
        self.post_message(PlayStarted(play_passage(project, source_id, offset)))

    # --- removing, memos, exemplars -----------------------------------------------------------

    def for_coding(self, what: str, then: Callable[[CodingInfo], None]) -> None:
        """Run `then` for the coding under the selection, asking which if there are several."""
        here = self.view.codings_here()
        if not here:
            self.notify("No coding on the selected passage.", severity="warning")
        elif len(here) == 1:
            then(here[0])
        else:
            self._pick_coding(what, here, then)

    @work(group=DIALOG)
    async def _pick_coding(
        self, what: str, here: list[CodingInfo], then: Callable[[CodingInfo], None]
    ) -> None:
        text = self.state.doc.source.text if self.state.doc is not None else ""
        choices = [
            Choice(
                c,
                c.code_name,
                Text("■ ", style=c.code_color),
                f"by {c.coder} · “{' '.join(text[c.start : c.end].split())[:40]}…”",
            )
            for c in here
        ]
        picked = await self.app.push_screen_wait(PickScreen(f"{what}: which coding?", choices))
        if picked is not None:
            then(picked)

    def uncode(self) -> None:
        here = self.view.codings_here()
        doc = self.state.doc
        if doc is None or not here:
            self.notify("No code on the selected passage.", severity="warning")
            return
        start, end = self.view.selection
        codes = {c.code_id: c for c in here}
        sid = doc.source.info.id

        def remove(code_id: int | None) -> None:
            if code_id is None:
                return
            project, shown = context(self).project, context(self).shown_coders()
            context(self).writer.submit(
                self,
                f"uncode {codes[code_id].code_name}",
                lambda: uncode_span(project, sid, start, end, code_id, shown),
                lambda n: Uncoded(code_id, start, end, n),
            )

        if len(codes) == 1:
            remove(next(iter(codes)))
            return
        choices = [
            Choice(cid, c.code_name, Text("■ ", style=c.code_color), f"by {c.coder}")
            for cid, c in codes.items()
        ]
        self.app.push_screen(PickScreen("Remove which code from this passage?", choices), remove)

    def show_uncoded(self, event: Uncoded) -> None:
        keep = [
            c
            for c in self.view.codings
            if not (c.code_id == event.code_id and c.start < event.end and c.end > event.start)
        ]
        self.view.set_codings(keep)
        name = self.state.codes[event.code_id].name if event.code_id in self.state.codes else "code"
        self.notify(f"Removed {name} from {count(event.removed, 'coding')}", timeout=2)

    def show_updated(self, info: CodingInfo) -> None:
        self.view.set_codings([info if c.id == info.id else c for c in self.view.codings])

    def coding_memo(self) -> None:
        """A memo on the coding here, or, on text with no coding, a note on the selection."""
        if self.state.doc is not None and not self.view.codings_here():
            self.note()
        else:
            self.for_coding("Memo", self._edit_memo)

    def _edit_memo(self, c: CodingInfo) -> None:
        project = context(self).project

        def save(result: MemoResult | None) -> None:
            if result is not None:
                context(self).writer.submit(
                    self,
                    "save memo",
                    lambda: set_coding_memo(project, c.id, result.text),
                    CodingUpdated,
                )

        self.app.push_screen(
            MemoScreen(
                f"Memo on this {c.code_name} coding (by {c.coder})", c.memo, quote=c.snippet
            ),
            save,
        )

    def exemplar(self) -> None:
        self.for_coding("Exemplar", self._toggle_exemplar)

    def _toggle_exemplar(self, c: CodingInfo) -> None:
        project = context(self).project

        def said(info: CodingInfo) -> CodingUpdated:
            state = "exemplar ★" if info.exemplar else "not an exemplar"
            return CodingUpdated(info, f"{info.code_name}: {state}")

        context(self).writer.submit(
            self, "mark exemplar", lambda: set_exemplar(project, c.id, not c.exemplar), said
        )

    # --- notes on uncoded text ----------------------------------------------------------------

    def note(self) -> None:
        """Open the note on the selected text, or write a new one (several: ask which)."""
        doc = self.state.doc
        if doc is None:
            return
        here = self.view.notes_here()
        if not here:
            self._write_note(None)
        elif len(here) == 1:
            self._write_note(here[0])
        else:
            text = doc.source.text
            choices = [Choice(n, note_label(n, text), None, n.text[:60]) for n in here]
            self.app.push_screen(PickScreen("Which note?", choices), self._write_note)

    def _write_note(self, note: MemoInfo | None) -> None:
        doc = self.state.doc
        if doc is None:
            return
        sid, text = doc.source.info.id, doc.source.text
        start, end = self.view.selection
        if note is not None and note.start is not None and note.end is not None:
            start, end = note.start, note.end
        project, writer = context(self).project, context(self).writer
        if note is None and not text[start:end].strip():
            self.notify("Select some text to write a note on.", severity="warning")
            return

        def saved(result: MemoResult | None) -> None:
            if result is None:
                return
            if note is None and result.empty:
                self.notify("Empty note: nothing saved", timeout=2)
                return
            said = "Note deleted (Ctrl+Z brings it back)" if result.delete else "Note saved"
            writer.submit(
                self,
                "save note",
                lambda: store_note(project, sid, (start, end), note, result),
                lambda notes: NotesChanged(sid, notes, said),
            )

        heading = "Note on this text" if note is None else "Note on the text"
        self.app.push_screen(
            MemoScreen(
                heading,
                note.text if note is not None else "",
                title=note.title if note is not None else "",
                quote=text[start:end],
                deletable=note is not None,
                needs_text=True,
            ),
            saved,
        )

    def on_notes_changed(self, event: NotesChanged) -> None:
        event.stop()
        if self.is_open(event.source_id):
            self.view.set_notes(event.notes)
        if event.said:
            self.notify(event.said, timeout=2)


def store_note(
    project: Project,
    source_id: int,
    span: tuple[int, int],
    note: MemoInfo | None,
    result: MemoResult,
) -> tuple[MemoInfo, ...]:
    """Add, save or delete a note (in the writer's thread); the source's notes afterwards."""
    if note is None:
        add_note(project, source_id, *span, result.text, title=result.title)
    elif result.delete:
        delete_memo(project, note.id)
    else:
        save_memo(project, kind="span", text=result.text, title=result.title, memo_id=note.id)
    return tuple(notes_in(project, source_id))
