"""What the WorkspaceScreen mixins use of the screen they are mixed into.

CodingActions, CodebookActions, SuggestActions and ReviewActions all derive from
WorkspaceHost, which declares (for the type checker only) the parts of WorkspaceScreen they
share; at run time it is an empty class and the screen itself provides them. What only one
mixin needs stays declared in that mixin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.worker import Worker

    from coder.tui.app import CoderApp
    from coder.tui.state import WorkspaceState
    from coder.tui.widgets.codebook import CodebookTree
    from coder.tui.widgets.transcript import TranscriptView


class WorkspaceHost:
    """Base of the WorkspaceScreen mixins (see the module docstring)."""

    if TYPE_CHECKING:
        state: WorkspaceState

        @property
        def coder_app(self) -> CoderApp: ...
        @property
        def transcript(self) -> TranscriptView: ...
        @property
        def codetree(self) -> CodebookTree: ...
        def notify(self, message: str, **kw: Any) -> None: ...
        def reload(
            self, *, tree: bool = True, counts: bool = True, doc: bool = True, sources: bool = False
        ) -> None: ...
        def load_doc(
            self, source_id: int, select: tuple[int, int] | None = None, keep_view: bool = False
        ) -> Worker[None]: ...
