"""Ctrl+E: export Table 1, Table 2, the codebook or the coded extracts from the workspace.

For the tables the researcher ticks, orders and renames columns and sets the caption while a
preview shows the rows the file will hold; then picks a format and where to save (by default
beside the project file). Export writes the file in a worker thread through the same service
call as `coder export table1|table2`, which also remembers the columns and caption in the
project, so the next export from the CLI or this dialog lays the table out the same way; the
dialog also offers the same file again while coder runs. A path that cannot be written gets one
line in the dialog, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, Tab, Tabs
from textual.worker import get_current_worker

from coder.errors import UserError
from coder.export.columns import TableConfig
from coder.tui import keymap
from coder.tui.child import Child
from coder.tui.context import context
from coder.tui.dialogs.confirm import ConfirmScreen
from coder.tui.widgets import export_jobs as jobs
from coder.tui.widgets.export_columns import ColumnItem, ColumnList
from coder.tui.widgets.export_jobs import BY_KEY, KINDS, Kind
from coder.tui.widgets.export_preview import Preview, PreviewTable
from coder.tui.widgets.export_target import ExportTarget, project_folder, resolve_target

if TYPE_CHECKING:
    from coder.services.project.store import Project

HINT = "Ctrl+PgUp/PgDn tab · Space tick · Shift+↑↓ move · Ctrl+S export"


class ExportScreen(ModalScreen[str | None]):
    """Returns the path written, or None when closed without exporting."""

    BINDINGS = keymap.keys(keymap.EXPORT)
    last_paths: ClassVar[dict[tuple[str, str], str]] = {}  # (project, kind) -> path written

    def __init__(self, kind: str = "table1") -> None:
        super().__init__()
        self.kind = BY_KEY[kind]
        self._items: dict[str, list[ColumnItem]] = {}
        self._captions: dict[str, str] = {}
        self._previews: dict[tuple[str, tuple[str, ...]], Preview] = {}

    @property
    def project(self) -> Project:
        return context(self).project

    columns: Child[ColumnList] = Child(ColumnList)

    preview: Child[PreviewTable] = Child(PreviewTable)

    target: Child[ExportTarget] = Child(ExportTarget)

    caption: Child[Input] = Child(Input, "#export-caption")

    def compose(self) -> ComposeResult:
        folder = project_folder(self.project.target)
        with VerticalScroll(classes="dialog export", id="export-dialog"):
            yield Tabs(*(Tab(k.tab, id=f"export-{k.key}") for k in KINDS), id="export-kind")
            with Horizontal(id="export-table-options"):
                yield ColumnList(id="export-columns")
                with Vertical(id="export-fields"):
                    with Horizontal(classes="export-row"):
                        yield Label("Header")
                        yield Input(
                            id="export-header",
                            compact=True,
                            placeholder="the highlighted column's header",
                        )
                    with Horizontal(classes="export-row"):
                        yield Label("Caption")
                        yield Input(id="export-caption", compact=True, placeholder="Table 1. …")
                    yield Static("", id="export-column-help", markup=False)
            yield PreviewTable(id="export-preview")
            yield Static("", id="export-note", markup=False)
            yield ExportTarget(str(folder / f"{self.kind.key}.docx"), id="export-target")
            yield Static("", id="export-error", markup=False)
            with Horizontal(id="export-buttons"):
                yield Static(HINT, classes="dialog-hint")
                yield Button("Export", variant="primary", id="export-go", compact=True)
                yield Button("Close", id="export-close", compact=True)

    def on_resize(self) -> None:
        # At 80x24 the column list and the preview give up rows so that the format, the file
        # name and the Export button stay on screen.
        self.set_class(self.size.height < 34, "-short")

    def action_kind(self, step: int) -> None:
        tabs = self.query_one("#export-kind", Tabs)
        if step > 0:
            tabs.action_next_tab()
        else:
            tabs.action_previous_tab()

    def on_mount(self) -> None:
        self.set_class(self.app.size.height < 34, "-short")
        self.query_one("#export-dialog").border_title = "Export"
        self.columns.border_title = "Columns"
        self.query_one("#export-kind", Tabs).active = f"export-{self.kind.key}"
        self._switch(self.kind)
        self.columns.focus()

    # --- what to export ---------------------------------------------------------------------

    @on(Tabs.TabActivated, "#export-kind")
    def _tab(self, event: Tabs.TabActivated) -> None:
        kind = BY_KEY[(event.tab.id or "").removeprefix("export-")]
        if kind is not self.kind:
            self._switch(kind)

    def _switch(self, kind: Kind) -> None:
        old = self.kind
        if old.table and old.key in self._items:
            self._items[old.key] = self.columns.items
            self._captions[old.key] = self.caption.value
        self.kind = kind
        self.target.set_kind(kind.key, kind.formats, self.last_paths.get(self._memory(kind.key)))
        self.query_one("#export-table-options").display = kind.table
        self.error("")
        self.preview.clear(columns=True)
        self._note("Loading…")
        if kind.table and kind.key not in self._items:
            self.columns.set_items([])
            self.caption.value = ""
            self._load_table(kind.key)
            return
        if kind.table:
            self.columns.set_items(self._items[kind.key])
            self.caption.value = self._captions[kind.key]
        self._refresh_preview()

    @work(thread=True, group="export-load")
    def _load_table(self, kind: str) -> None:
        self.post_message(jobs.load_table(self.project, kind))

    def on_table_loaded(self, event: jobs.TableLoaded) -> None:
        self._previews[(event.kind, event.preview.keys)] = event.preview
        if event.kind in self._items:
            return
        self._items[event.kind] = event.items
        self._captions[event.kind] = event.caption
        if event.kind == self.kind.key:
            self.columns.set_items(event.items)
            self.caption.value = event.caption
            self._refresh_preview()

    # --- columns, headers, caption and the preview -------------------------------------------

    def _wanted(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.columns.columns()) if self.kind.table else ()

    def _refresh_preview(self) -> None:
        """Show the preview for the current choice, fetching it if it is not at hand."""
        kind, wanted = self.kind.key, self._wanted()
        if self.kind.table and not wanted:
            self.preview.clear(columns=True)
            self._note("Tick at least one column.")
            return
        cached = self._previews.get((kind, wanted))
        if cached is not None:
            self._draw(cached)
        else:
            self._fetch_preview(kind, self.columns.columns() if self.kind.table else ())

    @work(thread=True, exclusive=True, group="export-preview")
    def _fetch_preview(self, kind: str, columns: jobs.Columns) -> None:
        preview = jobs.preview(self.project, kind, columns)
        if not get_current_worker().is_cancelled:
            self.post_message(jobs.PreviewReady(kind, tuple(k for k, _ in columns), preview))

    def on_preview_ready(self, event: jobs.PreviewReady) -> None:
        self._previews[(event.kind, event.keys)] = event.preview
        if event.kind == self.kind.key and event.keys == self._wanted():
            self._draw(event.preview)

    def _draw(self, preview: Preview) -> None:
        self.preview.show(preview, dict(self.columns.columns()) if self.kind.table else {})
        self._note(preview.note)
        self._caption_title()

    def _note(self, text: str) -> None:
        self.query_one("#export-note", Static).update(text)

    def _caption_title(self) -> None:
        caption = self.caption.value.strip() if self.kind.table else ""
        self.preview.border_title = Text(caption or f"Preview: {self.kind.tab}")

    def on_column_list_changed(self, event: ColumnList.Changed) -> None:
        self.error("")
        self._refresh_preview()

    @on(ColumnList.OptionHighlighted, "#export-columns")
    def _highlighted(self, event: ColumnList.OptionHighlighted) -> None:
        item = self.columns.current
        if item is None:
            return
        header = self.query_one("#export-header", Input)
        if header.value != item.header and not header.has_focus:
            header.value = item.header
        help_text = f"{item.default}: {item.description}" if item.description else item.default
        self.query_one("#export-column-help", Static).update(help_text)

    @on(Input.Changed, "#export-header")
    def _rename(self, event: Input.Changed) -> None:
        if not event.input.has_focus:
            return  # filled in for the highlighted column, not typed
        if event.value.strip() and self.columns.rename(event.value):
            if self.preview.preview is not None:
                self.preview.show(self.preview.preview, dict(self.columns.columns()))

    @on(Input.Submitted, "#export-header")
    def _renamed(self, event: Input.Submitted) -> None:
        self.columns.rename(event.value)  # an emptied field goes back to the default header
        self.columns.focus()

    @on(Input.Changed, "#export-caption")
    def _caption(self, event: Input.Changed) -> None:
        self._caption_title()

    @on(Input.Changed, "#export-path")
    def _path(self, event: Input.Changed) -> None:
        self.error("")

    # --- export -------------------------------------------------------------------------------

    def error(self, text: str) -> None:
        """Show one line above the buttons (empty to clear it)."""
        self.query_one("#export-error", Static).update(" ".join(text.split()))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-go":
            self.action_export()
        elif event.button.id == "export-close":
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        """Check the path, ask before replacing a file, then write in a worker."""
        kind, target = self.kind, self.target
        config = TableConfig()
        if kind.table:
            if not self.columns.columns():
                self.error("Tick at least one column to export.")
                return
            config = TableConfig(self.columns.columns(), self.caption.value.strip())
        folder = project_folder(self.project.target)
        try:
            path = resolve_target(target.path_text, target.fmt, kind.formats, folder)
        except UserError as exc:
            self.error(str(exc))
            return
        fmt = target.fmt
        if not path.exists():
            self._write(kind.key, path, fmt, config)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(kind.key, path, fmt, config)

        ask = ConfirmScreen("Replace the file?", f"{path} exists.", yes="Replace", no="Keep it")
        self.app.push_screen(ask, answered)

    def _write(self, kind: str, path: Path, fmt: str, config: TableConfig) -> None:
        self.error("")
        self._note(f"Writing {path.name}…")
        self.query_one("#export-go", Button).disabled = True
        self._export(kind, path, fmt, config)

    @work(thread=True, exclusive=True, group="export-write")
    def _export(self, kind: str, path: Path, fmt: str, config: TableConfig) -> None:
        try:
            summary = jobs.write(self.project, kind, path, fmt, config)
        except UserError as exc:
            self.post_message(jobs.ExportFailed(str(exc)))
        except OSError as exc:
            self.post_message(jobs.ExportFailed(f"{path}: {exc.strerror or exc}"))
        else:
            self.post_message(jobs.Exported(kind, path, summary))

    def on_export_failed(self, event: jobs.ExportFailed) -> None:
        self.query_one("#export-go", Button).disabled = False
        self._refresh_preview()
        self.error(event.error)

    def _memory(self, kind: str) -> tuple[str, str]:
        return (self.project.target, kind)

    def on_exported(self, event: jobs.Exported) -> None:
        self.last_paths[self._memory(event.kind)] = str(event.path)
        self.app.notify(f"wrote {event.path}: {event.summary}", title="Exported")
        self.dismiss(str(event.path))
