"""Choosing, ordering and labelling table columns, and remembering the choice.

A researcher writes `--columns "Label,Position,Years in music industry=Years"`: each item names
a column (its key, its default header, or an alias such as "Label" for the organisation) and
may give it a new header after "=". The choice is kept as JSON in a project setting, so the
next export, from the CLI or the TUI, lays the table out the same way.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from coder.errors import UserError

LAYOUTS = ("subthemes", "themes")
"""Table 2's layouts: a row per sub-theme (the default), or a row per theme."""
PAGES = ("letter", "a4")
"""Page sizes for Word tables; Letter is python-docx's (and Word's US) default."""
MIN_QUOTE_WORDS = 5


class ColumnError(UserError):
    """A column list that does not fit the project (one line)."""


def check_quote_words(words: int | None) -> int | None:
    """`words` if it is a usable quote length (0 for whole passages), else ColumnError."""
    if words is not None and words != 0 and not MIN_QUOTE_WORDS <= words <= 1000:
        raise ColumnError(
            f"quote words: {words} is not 0 (whole passages) or {MIN_QUOTE_WORDS} to 1000"
        )
    return words


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """A column a table can show.

    Attributes:
        key: Stable identifier stored in settings ("attr:Position", "participants", ...).
        label: Default header.
        description: What the column shows, for `coder export columns` and the TUI.
        aliases: Other names it answers to in a column list (case-insensitive).
    """

    key: str
    label: str
    description: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TableConfig:
    """How a table is laid out; empty values mean "use the defaults".

    Attributes:
        columns: (key, header) pairs in order.
        caption: The caption, "Table 1. ..." style.
        quotes: Table 2 only: at most this many quotes per row (None: 2 chosen by rule, or
            every quote the researcher marked).
        theme_rows: Table 2 only: add a row for each theme as a whole above its sub-themes.
        layout: Table 2 only: "subthemes" (a row per sub-theme, the default) or "themes" (a
            row per theme, its sub-themes folded in, as the seed paper prints it).
        quote_words: Table 2 only: trim quotes to this many words, as journals print them
            (0: whole passages up to about 320 characters; None: as remembered).
        page: "letter" (the default) or "a4"; always portrait unless `landscape`.
        landscape: Turn the page sideways (None or False: portrait).
    """

    columns: tuple[tuple[str, str], ...] = ()
    caption: str = ""
    quotes: int | None = None
    theme_rows: bool | None = None
    layout: str | None = None
    quote_words: int | None = None
    page: str | None = None
    landscape: bool | None = None

    def merged_over(self, stored: TableConfig) -> TableConfig:
        """This config with its empty fields filled from `stored`.

        A stored caption was written for the stored columns, so it is only reused when the
        columns are the stored ones: a table laid out differently gets the default caption
        instead of an old one that describes another table.
        """
        same_table = not self.columns or self.columns == stored.columns
        return replace(
            self,
            columns=self.columns or stored.columns,
            caption=self.caption or (stored.caption if same_table else ""),
            quotes=self.quotes if self.quotes is not None else stored.quotes,
            theme_rows=self.theme_rows if self.theme_rows is not None else stored.theme_rows,
            layout=self.layout or stored.layout,
            quote_words=self.quote_words if self.quote_words is not None else stored.quote_words,
            page=self.page or stored.page,
            landscape=self.landscape if self.landscape is not None else stored.landscape,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "columns": [list(c) for c in self.columns],
                "caption": self.caption,
                "quotes": self.quotes,
                "theme_rows": self.theme_rows,
                "layout": self.layout,
                "quote_words": self.quote_words,
                "page": self.page,
                "landscape": self.landscape,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> TableConfig:
        """Read a stored config; anything unreadable counts as "no stored config"."""
        try:
            data = json.loads(text) if text else {}
            cols = tuple((str(k), str(v)) for k, v in data.get("columns", []))
            quotes, words = data.get("quotes"), data.get("quote_words")
            layout, page = data.get("layout"), data.get("page")
            return cls(
                cols,
                str(data.get("caption") or ""),
                int(quotes) if quotes is not None else None,
                None if data.get("theme_rows") is None else bool(data["theme_rows"]),
                layout if layout in LAYOUTS else None,
                int(words) if words is not None else None,
                page if page in PAGES else None,
                None if data.get("landscape") is None else bool(data["landscape"]),
            )
        except (ValueError, TypeError, AttributeError):
            return cls()


def _lookup(choices: Sequence[ColumnChoice]) -> dict[str, tuple[ColumnChoice, bool]]:
    """name -> (choice, named by alias); keys and labels win over aliases."""
    table: dict[str, tuple[ColumnChoice, bool]] = {}
    for c in choices:
        for alias in c.aliases:
            table.setdefault(alias.lower(), (c, True))
    for c in choices:
        table[c.label.lower()] = (c, False)
    for c in choices:
        table[c.key.lower()] = (c, False)
    return table


def parse_columns(
    spec: str, choices: Sequence[ColumnChoice], what: str = "table"
) -> tuple[tuple[str, str], ...]:
    """(key, header) pairs from a "Name,Other=Header" list; unknown names raise ColumnError.

    Items are comma-separated (quote an item that contains a comma, CSV-style). An item named
    by an alias keeps the alias as its header, so "Label" gives a "Label" column.
    """
    try:
        items = next(csv.reader([spec], skipinitialspace=True), [])
    except csv.Error as exc:
        raise ColumnError(f"{what}: cannot read the column list ({exc})") from exc
    table = _lookup(choices)
    out: list[tuple[str, str]] = []
    for item in items:
        if not item.strip():
            continue
        ref, sep, label = item.partition("=")
        found = table.get(ref.strip().lower())
        if found is None and sep:  # a name that itself contains "="
            found, sep, label = table.get(item.strip().lower()), "", ""
        if found is None:
            names = ", ".join(c.label for c in choices)
            raise ColumnError(f"{what}: no column {ref.strip()!r} (columns: {names})")
        choice, by_alias = found
        header = (
            label.strip() if sep and label.strip() else (ref.strip() if by_alias else choice.label)
        )
        if any(k == choice.key for k, _ in out):
            raise ColumnError(f"{what}: column {ref.strip()!r} is listed twice")
        out.append((choice.key, header))
    if not out:
        raise ColumnError(f"{what}: the column list is empty")
    return tuple(out)


def resolve(
    config: TableConfig, choices: Sequence[ColumnChoice], default: Sequence[str]
) -> list[tuple[str, str]]:
    """The columns to show: the config's (dropping any no longer available) or the defaults."""
    known = {c.key: c for c in choices}
    cols = [(k, label) for k, label in config.columns if k in known]
    if not cols:
        cols = [(k, known[k].label) for k in default if k in known]
    return cols
