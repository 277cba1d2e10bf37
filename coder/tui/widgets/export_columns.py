"""The export dialog's checklist of table columns: tick, order and rename what the table shows.

The list holds every column the table can show, ticked ones first in table order. Space (or
Enter, or a click) ticks or unticks the highlighted column, Shift+Up/Down moves it, and the
dialog's header field renames it. Columns the table cannot do without (Table 2's theme and
sub-theme, which the merged theme cells hang on) stay ticked and first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coder.tui import keymap


@dataclass(frozen=True)
class ColumnItem:
    """One column in the checklist.

    Attributes:
        key: The column's key ("attr:Position", "participants", ...).
        default: Its default header.
        header: The header the export will write.
        on: Ticked: the table shows it.
        description: What it shows (from the services).
        fixed: Always ticked and kept in front.
    """

    key: str
    default: str
    header: str
    on: bool = True
    description: str = ""
    fixed: bool = False


class ColumnList(OptionList):
    """A checklist whose order is the order of the table's columns."""

    BINDINGS = keymap.keys(keymap.EXPORT_COLUMNS)

    @dataclass
    class Changed(Message):
        """Columns were ticked, unticked or moved (the preview must be fetched again)."""

        column_list: ColumnList

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._items: list[ColumnItem] = []

    @property
    def items(self) -> list[ColumnItem]:
        return list(self._items)

    @property
    def current(self) -> ColumnItem | None:
        i = self.highlighted
        return self._items[i] if i is not None and 0 <= i < len(self._items) else None

    def columns(self) -> tuple[tuple[str, str], ...]:
        """(key, header) of the ticked columns, in table order."""
        return tuple((c.key, c.header or c.default) for c in self._items if c.on)

    def set_items(self, items: Sequence[ColumnItem], highlight: int = 0) -> None:
        self._items = list(items)
        self.set_options(Option(self._prompt(c)) for c in self._items)
        if self._items:
            self.highlighted = max(0, min(highlight, len(self._items) - 1))

    def rename(self, header: str) -> bool:
        """Give the highlighted column a new header ("" for its default). True if it changed."""
        i = self.highlighted
        if i is None or not self._items:
            return False
        item = self._items[i]
        header = " ".join(header.split()) or item.default
        if header == item.header:
            return False
        self._items[i] = replace(item, header=header)
        self.replace_option_prompt_at_index(i, self._prompt(self._items[i]))
        return True

    def _prompt(self, c: ColumnItem) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("[x] " if c.on else "[ ] ", style="bold" if c.on else "dim")
        text.append(c.header or c.default, style="" if c.on else "dim")
        if c.header and c.header != c.default:
            text.append(f"  ({c.default})", style="dim italic")
        if c.fixed:
            text.append("  always", style="dim italic")
        return text

    def action_toggle_column(self) -> None:
        i = self.highlighted
        if i is None or not self._items or self._items[i].fixed:
            if i is not None and self._items:
                self.app.bell()
            return
        self._items[i] = replace(self._items[i], on=not self._items[i].on)
        self.replace_option_prompt_at_index(i, self._prompt(self._items[i]))
        self.post_message(self.Changed(self))

    def action_move_column(self, step: int) -> None:
        i = self.highlighted
        if i is None or not self._items:
            return
        j = i + step
        if self._items[i].fixed or not 0 <= j < len(self._items) or self._items[j].fixed:
            self.app.bell()
            return
        self._items[i], self._items[j] = self._items[j], self._items[i]
        self.set_items(self._items, highlight=j)
        self.post_message(self.Changed(self))

    def action_select(self) -> None:
        """Enter (and a click) tick or untick, as Space does."""
        self.action_toggle_column()


def column_items(
    choices: Sequence[tuple[str, str, str]],
    shown: Sequence[tuple[str, str]],
    fixed: Sequence[str] = (),
) -> list[ColumnItem]:
    """The checklist for a table: the shown columns first, in order, then the others unticked.

    Args:
        choices: (key, default header, description) of every column the table can show.
        shown: (key, header) of the columns the table shows now.
        fixed: Keys that must stay ticked and in front.
    """
    known = {k: (label, desc) for k, label, desc in choices}
    out = [
        ColumnItem(k, known[k][0], header, True, known[k][1], k in fixed)
        for k, header in shown
        if k in known
    ]
    have = {c.key for c in out}
    out += [ColumnItem(k, label, label, False, desc) for k, label, desc in choices if k not in have]
    return out


def for_layout(items: Sequence[ColumnItem], layout: str) -> list[ColumnItem]:
    """Table 2's checklist for a layout: the sub-theme column is ticked, fixed and second in
    the "subthemes" layout; in the "themes" layout a row is a whole theme, so it is neither."""
    out = [c for c in items if c.key != "subtheme"]
    sub = next((c for c in items if c.key == "subtheme"), None)
    if sub is None:
        return out
    if layout == "themes":
        return [*out, replace(sub, on=False, fixed=False)]
    at = 1 if out and out[0].key == "theme" else 0
    return [*out[:at], replace(sub, on=True, fixed=True), *out[at:]]
