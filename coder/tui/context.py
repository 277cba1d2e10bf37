"""What screens, panes and dialogs may use of the running app, as a Protocol.

The app imports the screens; if the screens imported the app back to reach the open project
and the Writer, the two would form an import cycle. They import this leaf module instead and
call `context(self)`; `CoderApp` satisfies the Protocol.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from coder.services.project.store import Project
    from coder.tui.writer import Writer


class CoderContext(Protocol):
    """The app as the rest of the TUI sees it."""

    project: Project
    writer: Writer
    changed_elsewhere: bool  # a screen above the workspace changed codings

    def save_slots(self, slots: Sequence[int | None]) -> None: ...

    def shown_coders(self) -> list[str] | None:
        """Whose codings every screen shows, as the workspace does (None: everyone's; in
        blind mode only the current coder's). Screens pass it to the services they read."""
        ...


def context(node: DOMNode) -> CoderContext:
    """The running coder app of `node`."""
    return cast("CoderContext", node.app)


DIALOG = "dialog"
"""The worker group of flows that wait for the researcher to answer a dialog
(`push_screen_wait`): they run as long as the dialog is open, so tests waiting for the
workspace to settle leave them out."""
