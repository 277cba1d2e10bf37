"""The export dialog's table options: Table 2's layout and quote length, and the Word page.

The same choices as `coder export table2 --layout themes|subthemes --quote-words N --page
a4|letter`: the dialog fills them from the remembered layout and hands them to the same service
call, so the next export from either place starts from them. Changing the layout or the quote
length changes the rows, so the pane says so (`Changed`) and the dialog fetches the preview
again; the page only matters to the Word file.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, RadioButton, RadioSet

from coder.export.columns import LAYOUTS, PAGES, TableConfig, check_quote_words

LAYOUT_LABELS = {"subthemes": "Sub-themes", "themes": "Themes"}
PAGE_LABELS = {"letter": "Letter", "a4": "A4"}


class TableOptions(Vertical):
    """Layout (Table 2), page, and quote words (Table 2), kept as plain values."""

    @dataclass
    class Changed(Message):
        """The layout or the quote length changed: the rows the table holds change too."""

        options: TableOptions

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.table_layout = "subthemes"
        self.page_size = "letter"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="export-row", id="export-layout-row"):
            yield Label("Layout")
            with RadioSet(id="export-layout", classes="export-choice"):
                for key in LAYOUTS:
                    yield RadioButton(
                        LAYOUT_LABELS[key],
                        value=key == self.table_layout,
                        id=f"export-layout-{key}",
                    )
        with Horizontal(classes="export-row", id="export-page-row"):
            yield Label("Page")
            with RadioSet(id="export-page", classes="export-choice"):
                for key in PAGES:
                    yield RadioButton(
                        PAGE_LABELS[key], value=key == self.page_size, id=f"export-page-{key}"
                    )
            yield Label("Words", id="export-words-label")
            yield Input(
                id="export-words",
                compact=True,
                type="integer",
                max_length=4,
                placeholder="all",
                tooltip="quote words: trim quotes to at most this many words "
                "(empty: whole passages)",
            )

    def show_for(self, table: str) -> None:
        """Table 2 has every option; Table 1 only the page."""
        two = table == "table2"
        self.query_one("#export-layout-row").display = two
        self.query_one("#export-words-label").display = two
        self.query_one("#export-words").display = two

    def set_config(self, config: TableConfig) -> None:
        """Show a remembered layout (empty fields keep the defaults)."""
        self.table_layout = config.layout if config.layout in LAYOUTS else "subthemes"
        self.page_size = config.page if config.page in PAGES else "letter"
        self.query_one(f"#export-layout-{self.table_layout}", RadioButton).value = True
        self.query_one(f"#export-page-{self.page_size}", RadioButton).value = True
        words = self.query_one("#export-words", Input)
        words.value = str(config.quote_words) if config.quote_words else ""

    def state(self) -> TableConfig:
        """What is shown, unchecked, to show again later (see `set_config`)."""
        text = self.query_one("#export-words", Input).value.strip()
        words = int(text) if text.isdigit() else 0
        return TableConfig(layout=self.table_layout, quote_words=words, page=self.page_size)

    @property
    def quote_words(self) -> int:
        """The quote length typed (0: whole passages); ColumnError when out of range."""
        text = self.query_one("#export-words", Input).value.strip()
        return check_quote_words(int(text) if text.lstrip("-").isdigit() else 0) or 0

    def config(self, table: str) -> TableConfig:
        """These options as a TableConfig (columns and caption left empty).

        Raises:
            ColumnError: when the quote length is out of range.
        """
        if table != "table2":
            return TableConfig(page=self.page_size)
        return TableConfig(
            layout=self.table_layout, quote_words=self.quote_words, page=self.page_size
        )

    @on(RadioSet.Changed, "#export-layout")
    def _layout(self, event: RadioSet.Changed) -> None:
        event.stop()
        layout = (event.pressed.id or "").removeprefix("export-layout-")
        if layout in LAYOUTS and layout != self.table_layout:
            self.table_layout = layout
            self.post_message(self.Changed(self))

    @on(RadioSet.Changed, "#export-page")
    def _page(self, event: RadioSet.Changed) -> None:
        event.stop()
        page = (event.pressed.id or "").removeprefix("export-page-")
        if page in PAGES:
            self.page_size = page

    @on(Input.Changed, "#export-words")
    def _words(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))
