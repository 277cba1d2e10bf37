"""Review mode from the workspace: walk through the passages the suggester would code, for
the open transcript (any code) or for the highlighted code (across the project)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coder.tui.screens.review import ReviewScreen
from coder.tui.screens.workspace_host import WorkspaceHost

Target = tuple[int, int, int]  # source id, start, end


class ReviewActions(WorkspaceHost):
    """Mixed into WorkspaceScreen."""

    if TYPE_CHECKING:

        def train_soon(self) -> None: ...
        def jump_to(self, location: Target | None) -> None: ...

    # --- review mode --------------------------------------------------------------------------

    def action_review_source(self) -> None:
        doc = self.state.doc
        if doc is None:
            self.notify("Open a transcript first (F2).", severity="warning")
            return
        self.open_review(source=(doc.source.info.id, doc.source.info.name))

    def action_review_code(self) -> None:
        self.review_code(self.codetree.code_id)

    def review_code(self, code_id: int | None) -> None:
        info = self.state.codes.get(code_id) if code_id is not None else None
        if info is None:
            self.notify("Highlight a code in the codebook (F3) first.", severity="warning")
        elif not info.codable:
            self.notify(
                f"{info.name} only groups sub-codes; review one of them.", severity="warning"
            )
        else:
            self.open_review(code=info)

    def open_review(self, code: Any = None, source: tuple[int, str] | None = None) -> None:
        """Review mode for one code (across the project) or one source (any code)."""
        screen = ReviewScreen(code=code, source=source)

        def done(location: Target | None) -> None:
            if screen.decided:
                self.train_soon()
            app = self.coder_app
            if location is not None and app.changed_elsewhere:
                # Codings changed in review: reload here rather than on resume, whose reload
                # of the open transcript would otherwise overtake the jump.
                app.changed_elsewhere = False
                self.reload(doc=False)
                self.transcript.focus()
                self.load_doc(location[0], (location[1], location[2]))
            else:
                self.jump_to(location)

        self.coder_app.push_screen(screen, done)
