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


class ColumnError(UserError):
    """A column list that does not fit the project (one line)."""


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
    """

    columns: tuple[tuple[str, str], ...] = ()
    caption: str = ""
    quotes: int | None = None
    theme_rows: bool | None = None

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
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "columns": [list(c) for c in self.columns],
                "caption": self.caption,
                "quotes": self.quotes,
                "theme_rows": self.theme_rows,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> TableConfig:
        """Read a stored config; anything unreadable counts as "no stored config"."""
        try:
            data = json.loads(text) if text else {}
            cols = tuple((str(k), str(v)) for k, v in data.get("columns", []))
            quotes = data.get("quotes")
            return cls(
                cols,
                str(data.get("caption") or ""),
                int(quotes) if quotes is not None else None,
                None if data.get("theme_rows") is None else bool(data["theme_rows"]),
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
