"""The workspace's team side: who is coding, whose codings are shown, others' work arriving,
and lock waits.

A plain base class of WorkspaceScreen (on top of WorkspaceNavigation). Its handlers run before
the reading side's (Textual dispatches along the MRO), so a loaded transcript's codings are cut
to the chosen view before the transcript draws them, and counts are fetched for the coders in
view. It also
- asks for the coder's name once when none is configured, and shows it in the status line;
- polls the project about once a second (an interval timer starting a short worker) and,
  when someone committed, reads the open transcript's codings and redraws them and the counts
  if they differ from what is shown;
- shows "waiting for another writer…" while a write waits for a lock (the retry layer calls
  the listener on the writer's thread; it is marshalled here with call_from_thread).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Static

from coder.services.coding.codings import codings_for_source
from coder.services.coding.workspace import rollup_counts, source_coverage
from coder.services.team.busy import set_wait_listener
from coder.services.team.identity import (
    IdentityError,
    coder_source,
    current_coder,
    login_name,
    set_user_name,
)
from coder.services.team.view import blind_mode, coder_names, counts_by, set_blind_mode
from coder.services.team.watch import ChangeWatcher
from coder.tui.context import DIALOG, context
from coder.tui.dialogs.confirm import ConfirmScreen
from coder.tui.dialogs.pick import Choice, PickScreen
from coder.tui.dialogs.prompt import PromptScreen
from coder.tui.messages import CountsLoaded, CoverageLoaded, DocLoaded, WriteDone, WriteFailed
from coder.tui.screens.workspace_navigation import WorkspaceNavigation
from coder.tui.state import WorkspaceState
from coder.vocab.dto import CodingInfo

POLL_EVERY = 1.0  # seconds between looks for others' commits
EVERYONE, MINE = "", None  # the view: everyone's codings, only mine, or a colleague's name
BLIND_ON = "turn blind coding on"  # the write's label, to know when it has landed


@dataclass
class TeamLoaded(Message):
    blind: bool
    coders: list[str]


@dataclass
class OthersChanged(Message):
    """Someone else committed to the project since the last look; the open source's codings
    as they are now."""

    source_id: int | None
    codings: tuple[CodingInfo, ...]


@dataclass
class LockWait(Message):
    waited: float | None


class TeamStatus(Static):
    """Who is coding and whose codings are shown; a lock wait when there is one."""

    DEFAULT_CSS = """
    TeamStatus { width: auto; height: 1; padding: 0 1; color: $text-muted; dock: right; }
    TeamStatus.-waiting { color: $warning; text-style: bold; }
    """


def coder_letters(names: list[str]) -> dict[str, str]:
    """One distinct letter per coder for the stripes: an initial, else another of its letters,
    else a digit."""
    out: dict[str, str] = {}
    for name in names:
        used = set(out.values())
        letter = next(
            (ch.upper() for ch in name if ch.isalnum() and ch.upper() not in used),
            next((d for d in "123456789" if d not in used), "?"),
        )
        out[name] = letter
    return out


class WorkspaceTeam(WorkspaceNavigation):
    """Team coding in the workspace (see the module docstring)."""

    def __init__(self, state: WorkspaceState) -> None:
        super().__init__(state)
        self.view: str | None = EVERYONE
        self.blind = False
        self.team_ready = False  # until the blind setting is read, only my codings are shown
        self.hidden_at_start = False  # codings of others were held back before that
        self.coders: list[str] = []
        self._watcher: ChangeWatcher | None = None
        self._wrote = False
        self._others_pending = False  # others committed while a screen was above this one
        self._waited: float | None = None
        self._blind_saving = False  # turned on here, not saved yet: stale reads keep it on
        self._busy_polls = 0  # polls in a row that found a write still running
        self._slow_write = False  # the wait shown comes from that, not from the retry layer

    def on_mount(self) -> None:
        self.query_one("#status").mount(TeamStatus("", id="team-status", markup=False))
        self._show_team()
        app = self.app
        main = threading.get_ident()

        def waited(seconds: float | None) -> None:
            if threading.get_ident() == main:
                self.post_message(LockWait(seconds))
            else:
                app.call_from_thread(self.post_message, LockWait(seconds))

        set_wait_listener(waited)
        self.load_team()
        self.start_watching()
        self.set_interval(POLL_EVERY, self._poll, name="team-poll")
        if coder_source() == "login":
            self.ask_name()

    def on_unmount(self) -> None:
        set_wait_listener(None)
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None

    # --- who is coding --------------------------------------------------------------------------

    @property
    def me(self) -> str:
        try:
            return current_coder()
        except IdentityError:
            return login_name()

    @work(group=DIALOG)
    async def ask_name(self) -> None:
        name = await self.app.push_screen_wait(
            PromptScreen(
                "Who is coding? Your codings are saved under this name (once per computer).",
                login_name(),
                "your name",
            )
        )
        if name is None:
            return
        try:
            saved = set_user_name(name)
        except IdentityError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Coding as {saved}", timeout=2)
        self._show_team()

    def _show_team(self) -> None:
        if self.blind:
            whose = " · blind"
        elif self.view == EVERYONE:
            whose = ""  # the usual case says only who is coding (room for the passage line)
        elif self.view is MINE:
            whose = " · my codings"
        else:
            whose = f" · {self.view}'s codings"
        status = self.query_one(TeamStatus)
        if self._waited is not None:
            status.update(f"waiting for another writer… {self._waited:.0f} s")
            status.add_class("-waiting")
        else:
            status.update(f"● {self.me}{whose}")
            status.tooltip = Text(  # coders' names are shown as typed, never as markup
                f"Coding as {self.me}; showing "
                + (
                    "only my codings (blind coding)"
                    if self.blind
                    else (whose[3:] or "everyone's codings")
                )
                + " (w to change)"
            )
            status.remove_class("-waiting")

    def on_lock_wait(self, event: LockWait) -> None:
        self._waited = event.waited
        self._show_team()

    # --- whose codings ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="team-load")
    def load_team(self) -> None:
        project = context(self).project
        self.post_message(TeamLoaded(blind_mode(project), coder_names(project)))

    def on_screen_resume(self) -> None:
        self.load_team()  # the agreement screen may have revealed a blind project
        doc = self.state.doc
        if self._others_pending and doc is not None:
            # Show what others committed meanwhile on the open transcript only: a full reload
            # would undo a jump made from the screen above (retrieval, search, analysis).
            self._others_pending = False
            self.poll_once(False, doc.source.info.id, force=True)

    def on_team_loaded(self, event: TeamLoaded) -> None:
        blind = event.blind or self._blind_saving
        changed = blind != self.blind
        first, self.team_ready = not self.team_ready, True
        self.blind, self.coders = blind, event.coders
        if self.blind and self.view is not MINE:
            self.view, changed = MINE, True
        others = any(c != self.me for c in self.coders)
        if changed or (first and not self.blind and others):
            # Shown so far: my codings only (the safe guess until blind mode was known).
            self.reload(tree=False, counts=self.state.counts_ready, doc=self.hidden_at_start)
            self.load_coverage()
        self._show_team()

    def shown_coders(self) -> list[str] | None:
        """The coders whose codings are in view (None: everyone)."""
        if self.blind or self.view is MINE or not self.team_ready:
            return [self.me]
        return None if self.view == EVERYONE else [str(self.view)]

    def on_doc_loaded(self, event: DocLoaded) -> None:
        """Before the transcript draws: keep the codings in view, and letter the coders."""
        shown = self.shown_coders()
        doc = event.doc
        if shown is not None:
            event.doc = replace(doc, codings=tuple(c for c in doc.codings if c.coder in shown))
            if not self.team_ready and len(event.doc.codings) < len(doc.codings):
                self.hidden_at_start = True
        self._letter_coders(event.doc.codings)

    def _letter_coders(self, codings: tuple[CodingInfo, ...] | list[CodingInfo]) -> None:
        """A letter per coder in the stripes, when more than one coder is in view."""
        names = sorted({c.coder for c in codings} | set(self.shown_coders() or self.coders))
        self.transcript.coder_marks = coder_letters(names) if len(names) > 1 else {}

    @work(thread=True, exclusive=True, group="load-coverage")
    def load_coverage(self, source_ids: list[int] | None = None) -> None:
        coverage = source_coverage(context(self).project, source_ids, self.shown_coders())
        self.post_message(CoverageLoaded(coverage))

    @work(thread=True, exclusive=True, group="load-coverage-one")
    def load_coverage_of(self, source_id: int) -> None:
        coverage = source_coverage(context(self).project, [source_id], self.shown_coders())
        self.post_message(CoverageLoaded(coverage))

    @work(thread=True, exclusive=True, group="load-counts")
    def load_counts(self) -> None:
        project = context(self).project
        shown = self.shown_coders()
        self.post_message(
            CountsLoaded(counts_by(project, shown), True, rollup_counts(project, shown))
        )

    @work(thread=True, group="load-counts-some")
    def load_some_counts(self, code_ids: list[int]) -> None:
        project = context(self).project
        shown = self.shown_coders()
        counts = counts_by(project, shown, code_ids)
        self.post_message(CountsLoaded(counts, False, rollup_counts(project, shown)))

    def set_view(self, view: str | None) -> None:
        if self.blind and view is not MINE:
            self.notify(
                "Blind coding is on: only your own codings are shown until the agreement "
                "screen (K) reveals them.",
                severity="warning",
            )
            return
        self.view = view
        self._show_team()
        self.reload(tree=False)
        self.load_coverage()

    @work(group=DIALOG)
    async def action_whose_codings(self) -> None:
        project = context(self).project
        worker = self.run_worker(lambda: coder_names(project), thread=True, group="team-names")
        self.coders = list(await worker.wait() or [])
        choices = [Choice(EVERYONE, "Everyone's codings"), Choice("\0mine", "My codings")]
        choices += [Choice(n, f"{n}'s codings") for n in self.coders if n != self.me]
        picked = await self.app.push_screen_wait(PickScreen("Whose codings to show?", choices))
        if picked is not None:
            self.set_view(MINE if picked == "\0mine" else str(picked))

    @work(group=DIALOG)
    async def action_blind_mode(self) -> None:
        if self.blind:
            self.notify("Blind coding is already on; the agreement screen (K) reveals.")
            return
        sure = await self.app.push_screen_wait(
            ConfirmScreen(
                "Turn blind coding on?",
                "Everyone on this project then sees only their own codings and counts until "
                "someone reveals them on the agreement screen (K).",
                yes="Blind coding",
            )
        )
        if sure:
            project = context(self).project
            self._blind_saving = True
            context(self).writer.submit(self, BLIND_ON, lambda: set_blind_mode(project, True))
            self.blind, self.view = True, MINE
            self._show_team()
            self.reload(tree=False)
            self.load_coverage()

    def action_agreement(self) -> None:
        from coder.tui.screens.agreement import AgreementScreen

        self.app.push_screen(AgreementScreen())

    def action_disagreements(self) -> None:
        from coder.tui.screens.agreement import pick_pair
        from coder.tui.screens.disagreements import DisagreementScreen

        pair = pick_pair([c for c in self.coders], ())
        if len(pair) < 2:
            self.notify("The review needs codings by two coders.", severity="warning")
            return
        self.app.push_screen(DisagreementScreen(pair[0], pair[1]))

    # --- others' work arriving ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="team-watch")
    def start_watching(self) -> None:
        try:
            self._watcher = ChangeWatcher(context(self).project)
        except Exception as exc:  # the workspace still works, only without live updates
            self.app.log.error("no live updates", exc)

    def on_write_done(self, event: WriteDone) -> None:
        self._wrote = True
        self._blind_saved(event.label)

    def on_write_failed(self, event: WriteFailed) -> None:
        self._blind_saved(event.label)  # the screen says why; here: show the setting as it is

    def _blind_saved(self, label: str) -> None:
        if label == BLIND_ON and self._blind_saving:
            self._blind_saving = False
            self.load_team()

    def _poll(self) -> None:
        if context(self).writer.busy:
            # A write taking seconds is waiting for a lock inside SQLite's busy timeout, before
            # the retry layer hears of it: say so already.
            self._busy_polls += 1
            if self._busy_polls >= 2 and (self._waited is None or self._slow_write):
                self._slow_write, self._waited = True, float(self._busy_polls - 1)
                self._show_team()
            return
        self._busy_polls = 0
        if self._slow_write:
            self._slow_write, self._waited = False, None
            self._show_team()
        if self._watcher is None:
            return
        own, self._wrote = self._wrote, False
        doc = self.state.doc
        self.poll_once(own, doc.source.info.id if doc is not None else None)

    @work(thread=True, exclusive=True, group="team-poll")
    def poll_once(self, own_writes: bool, source_id: int | None, force: bool = False) -> None:
        watcher = self._watcher
        if not force and (watcher is None or not watcher.poll() or own_writes):
            return
        project = context(self).project
        codings = tuple(codings_for_source(project, source_id)) if source_id is not None else ()
        self.post_message(OthersChanged(source_id, codings))

    def on_others_changed(self, event: OthersChanged) -> None:
        """Someone committed: show the open transcript's new codings (only if they differ:
        this program's own background saves also count as commits) and fetch the counts."""
        self.load_team()
        if self.screen is not self.app.screen:
            self._others_pending = True
            return
        doc = self.state.doc
        if doc is None or doc.source.info.id != event.source_id:
            return
        shown = self.shown_coders()
        fresh = [c for c in event.codings if shown is None or c.coder in shown]
        if {(c.id, c.memo, c.exemplar) for c in fresh} == {
            (c.id, c.memo, c.exemplar) for c in self.transcript.codings
        }:
            return
        if any(c.code_id not in self.state.codes for c in fresh):
            self.load_tree()
        self.state.doc = replace(doc, codings=tuple(fresh))
        self._letter_coders(fresh)
        self.transcript.set_codings(fresh)
        self.load_counts()
