"""Open the coding workspace, importing the Textual app only when it is needed.

The CLI and the core never import Textual themselves; this is the one door to the TUI.
"""

from __future__ import annotations


def open_workspace(target: str, greeting: str = "") -> int:
    """Run the TUI on a project until the researcher quits (`greeting` is shown on opening)."""
    try:
        from coder.tui.app import run
    except ImportError:  # the workspace is not built yet: print what we have
        from coder.services.project.store import Project

        with Project.open(target) as project:
            counts = project.counts()
        print(f"{target}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        return 0
    return int(run(target, greeting))
