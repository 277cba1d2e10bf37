"""The journal tables as plain data: Table 1 (participants), Table 2 (themes), and the grid.

The service layer fills `Table1` and `Table2` from the database; every writer (Word, CSV, XLSX,
Markdown) works from the one `Grid` they turn into, so all formats show the same cells and the
same vertically merged spans. Keeping this free of any database type means the TUI, the CLI and
the tests can build, inspect and compare tables without a project.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Generic, Protocol, TypeVar


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a rendered table.

    Attributes:
        key: Stable identifier ("organisation", "attr:Position", "participants", ...).
        label: The header text.
        numeric: Right-align the column (numbers, counts).
        weight: Relative width in Word; 0 lets Word size it to the contents.
    """

    key: str
    label: str
    numeric: bool = False
    weight: float = 0.0


@dataclass(frozen=True, slots=True)
class Span:
    """A vertical merge: rows `first`..`last` (inclusive, body rows from 0) of one column."""

    column: int
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class Grid:
    """A table ready to write: caption, columns, body cells and vertically merged spans.

    A cell may hold several paragraphs separated by "\\n" (Table 2's quotes). Cells inside a
    span repeat the span's text, so a flat format (CSV) stays complete row by row.
    """

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    spans: tuple[Span, ...] = ()
    note: str = ""
    landscape: bool = False
    page: str = "letter"

    def span_starting(self, row: int, column: int) -> Span | None:
        """The span that starts at this cell, if any."""
        for s in self.spans:
            if s.column == column and s.first == row:
                return s
        return None

    def continues(self, row: int, column: int) -> bool:
        """True for a cell merged into the cell above it."""
        return any(s.column == column and s.first < row <= s.last for s in self.spans)


def runs(keys: list[str | None]) -> list[tuple[int, int]]:
    """(first, last) index pairs of consecutive equal, non-empty keys, of length two or more."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start] or keys[start] is None:
            if i - 1 > start and keys[start] is not None:
                out.append((start, i - 1))
            start = i
    return out


@dataclass(frozen=True, slots=True)
class Table1Column:
    """A Table 1 column: what it shows and whether organisations share it.

    Attributes:
        key: "participant", "organisation", "sources" or "attr:<attribute name>".
        label: Header text.
        scope: "case" or "organisation"; organisation columns merge down an organisation.
        numeric: Right-align.
    """

    key: str
    label: str
    scope: str = "case"
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Table1Row:
    """One participant: the cell texts in column order, as the researcher typed them."""

    participant: str
    organisation: str | None
    cells: tuple[str, ...]


class _Row(Protocol):
    @property
    def cells(self) -> tuple[str, ...]: ...


C = TypeVar("C")
R = TypeVar("R", bound=_Row)


@dataclass(frozen=True, slots=True)
class JournalTable(Generic[C, R]):
    """What Table 1 and Table 2 have in common: a caption, columns, rows of cells and a note,
    written through one Grid."""

    caption: str
    columns: tuple[C, ...]
    rows: tuple[R, ...]
    note: str = ""
    page: str = "letter"
    landscape: bool = False

    def _grid(self, columns: tuple[Column, ...], spans: list[Span]) -> Grid:
        """The Grid of these rows' cells under `columns`, `spans` merged, on this page."""
        return Grid(
            caption=self.caption,
            columns=columns,
            rows=tuple(r.cells for r in self.rows),
            spans=tuple(spans),
            note=self.note,
            landscape=self.landscape,
            page=self.page,
        )


@dataclass(frozen=True, slots=True)
class Table1(JournalTable[Table1Column, Table1Row]):
    """Table 1: one row per participant, grouped by organisation."""

    def grid(self) -> Grid:
        """The table with organisation columns merged down each organisation's participants."""
        spans: list[Span] = []
        for first, last in runs([r.organisation for r in self.rows]):
            for c, col in enumerate(self.columns):
                if col.scope != "organisation":
                    continue
                texts = {self.rows[i].cells[c] for i in range(first, last + 1)}
                if len(texts) == 1:
                    spans.append(Span(c, first, last))
        return self._grid(tuple(Column(c.key, c.label, c.numeric) for c in self.columns), spans)


@dataclass(frozen=True, slots=True)
class Quote:
    """An exemplar quote for Table 2.

    Attributes:
        text: The passage, whitespace-normalised and possibly shortened with an ellipsis.
        participant: The participant's id (or the source name when it has none).
        coding_id: The coding it comes from.
        marked: True when the researcher marked it as an exemplar; False when chosen by rule.
    """

    text: str
    participant: str
    coding_id: int
    marked: bool

    def render(self) -> str:
        return f"\u201c{self.text}\u201d ({self.participant})"


@dataclass(frozen=True, slots=True)
class Table2Row:
    """A sub-theme (or a theme's own row): cells in column order, and its quotes."""

    theme: str
    subtheme: str
    cells: tuple[str, ...]
    quotes: tuple[Quote, ...] = ()


WEIGHTS = {
    "theme": 1.1, "subtheme": 1.3, "definition": 3.0, "inclusion": 3.0, "exclusion": 3.0,
    "keywords": 2.0, "participants": 0.9, "passages": 0.9, "exemplars": 5.0,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Table2(JournalTable[Column, Table2Row]):
    """Table 2: themes and their sub-themes (the theme cell merges down its sub-themes), or,
    with the "themes" layout, one row per theme."""

    layout: str = "subthemes"

    def grid(self) -> Grid:
        spans = [Span(0, a, b) for a, b in runs([r.theme for r in self.rows])]
        cols = tuple(
            replace(c, weight=WEIGHTS.get(c.key, 3.0 if c.key.startswith("memo:") else 1.5))
            for c in self.columns
        )
        return self._grid(cols, spans)
