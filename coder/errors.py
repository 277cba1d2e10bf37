"""The one base class for user mistakes.

Anything raised as a UserError is printed by the CLI (and shown by the TUI) as one line with a
non-zero exit, never a traceback. Bugs stay ordinary exceptions, so they keep their traceback.
"""

from __future__ import annotations


class UserError(ValueError):
    """A problem the user can fix: bad input, a missing file, a name that does not exist."""
