"""The coding workspace app: opens a project, shows the workspace, and quits cleanly.

Thin on purpose: the screens do the work. The app owns what every screen shares: the open
project, the Writer that commits actions in order, and the global keys (help, undo, redo,
refresh, theme, quit).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from typing import ClassVar

from textual.app import App
from textual.command import Provider
from textual.notifications import SeverityLevel

from coder.services.coding.workspace import save_quick_codes
from coder.services.project.store import Project
from coder.tui import keymap
from coder.tui.commands import CoderCommands
from coder.tui.dialogs.help import HelpScreen
from coder.tui.messages import WriteFailed
from coder.tui.screens.workspace import WorkspaceScreen
from coder.tui.writer import Writer

SWITCH_INTERVAL = 0.001  # seconds; see CoderApp.__init__


class CoderApp(App[int]):
    """`coder open PROJECT`."""

    CSS_PATH = "app.tcss"
    TITLE = "coder"
    BINDINGS = keymap.keys(keymap.GLOBAL)
    COMMANDS: ClassVar[set[type[Provider] | object]] = App.COMMANDS | {CoderCommands}  # type: ignore[assignment]

    def __init__(self, project: Project, greeting: str = "") -> None:
        super().__init__()
        self.greeting = greeting  # said once the workspace is up (coder demo: where it is)
        # Background work (spaCy analysis, training) holds the GIL in long stretches; by default
        # a waiting thread gets it back only every 5 ms, which a key press would feel. 1 ms keeps
        # the interface thread responsive at a small cost to the workers.
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.project = project
        self.writer = Writer(self)
        self.changed_elsewhere = False  # a screen above the workspace changed codings
        self.sub_title = project.target

    def on_mount(self) -> None:
        if self.greeting:
            self.notify(self.greeting, timeout=10)

    def get_default_screen(self) -> WorkspaceScreen:
        return WorkspaceScreen()

    @property
    def workspace(self) -> WorkspaceScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, WorkspaceScreen)
        return screen

    def save_slots(self, slots: Sequence[int | None]) -> None:
        project, ids = self.project, list(slots)
        self.writer.submit(self, "save quick codes", lambda: save_quick_codes(project, ids))

    def shown_coders(self) -> list[str] | None:
        return self.workspace.shown_coders()

    def on_app_focus(self) -> None:
        """Back from another window: another coder may have changed the project meanwhile."""
        self.workspace.refresh_if_stale()

    def on_write_failed(self, event: WriteFailed) -> None:
        self.notify(event.error, title=f"Could not {event.label}", severity="error")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_undo(self) -> None:
        self.workspace.undo()
        if self.screen is not self.workspace:
            self.changed_elsewhere = True

    def action_redo(self) -> None:
        self.workspace.undo(redo=True)

    def action_refresh(self) -> None:
        self.workspace.refresh_all()
        self.notify("Reloaded from the project", timeout=1.5)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications carry code names, file names and error texts, any of which may hold
        square brackets: they are always shown as plain text, never parsed as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    async def action_quit(self) -> None:
        """Every queued action commits before we go; while one waits (for another program's
        lock, say), the interface stays live and says what it is waiting for."""
        if not self.writer.busy:
            self.exit(0)
            return
        self.notify("Saving your last changes before quitting…", timeout=30)
        self.run_worker(self._quit_when_saved(), group="quit", exclusive=True)

    async def _quit_when_saved(self) -> None:
        while not await asyncio.to_thread(self.writer.wait, 0.5):
            pass
        self.exit(0)


def run(target: str, greeting: str = "") -> int:
    """Open the project at `target` in the workspace; returns the exit status."""
    project = Project.open(target)
    try:
        app = CoderApp(project, greeting)
        app.run()
        return app.return_code or 0
    finally:
        # The training machinery (and spaCy) is imported on first use: never just to stop it.
        process = sys.modules.get("coder.services.suggestions.process")
        if process is not None:
            process.shutdown()
        project.close()
