"""Lock waits, for the workspace's status line.

A write that meets another program's lock waits and retries (coder.db.retry). The workspace
installs one listener here and shows "waiting for another program (N s)" while it is called
with a number, and clears the status when it is called with None. The TUI may not import
coder.db, so this service module hands the hook over.
"""

from __future__ import annotations

from coder.db.retry import BUSY_SECONDS, ProjectBusy, WaitListener, set_wait_listener

__all__ = ["BUSY_SECONDS", "ProjectBusy", "WaitListener", "set_wait_listener"]
