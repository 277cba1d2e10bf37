"""Recognise transcript tables in word-processor documents.

Many transcription templates put each turn in a table row: ``speaker | text``
or ``timestamp | speaker | text``, often under a header row. Word and
OpenDocument files both reach this module as plain lists of cell texts, so
the heuristics live in one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coder.ingest.render import Block, clean_inline
from coder.ingest.turns import TIMESTAMP, LabelHit, parse_timestamp

MAX_SPEAKER_CHARS = 60
MAX_SPEAKER_WORDS = 6

_SPEAKER_HEADERS = frozenset(
    {"speaker", "speakers", "name", "participant", "who", "person", "role"}
)
_TEXT_HEADERS = frozenset(
    {
        "text",
        "transcript",
        "transcription",
        "utterance",
        "content",
        "speech",
        "dialogue",
        "said",
        "response",
    }
)
_TIME_HEADERS = frozenset(
    {"time", "timestamp", "timecode", "start", "start time", "time code", "tc"}
)
_CELL_TIMESTAMP = re.compile(rf"[\[(]?({TIMESTAMP})[\])]?")


def plausible_speaker(name: str) -> bool:
    """Whether a cell or bold run looks like a speaker name.

    Args:
        name: Candidate text, already stripped of its colon.

    Returns:
        True for short single-line names of at most six words.
    """
    return (
        0 < len(name) <= MAX_SPEAKER_CHARS
        and "\n" not in name
        and len(name.split()) <= MAX_SPEAKER_WORDS
    )


def _header_word(cell: str) -> str:
    return cell.strip().rstrip(":：").strip().casefold()


def _cell_timestamp(cell: str) -> float | None:
    m = _CELL_TIMESTAMP.fullmatch(cell.strip())
    return parse_timestamp(m.group(1)) if m else None


def _layout(rows: list[list[str]]) -> tuple[int | None, int, int] | None:
    """Return (timestamp column, speaker column, text column) or None."""
    width = len(rows[0])
    if width == 2:
        return None, 0, 1
    if width != 3:
        return None
    for ts_col, speaker_col in ((0, 1), (1, 0)):
        stamped = sum(
            1 for row in rows if row[ts_col].strip() and _cell_timestamp(row[ts_col]) is not None
        )
        filled = sum(1 for row in rows if row[ts_col].strip())
        if filled and stamped * 2 > filled:
            return ts_col, speaker_col, 2
    return None


def _is_header(row: list[str], layout: tuple[int | None, int, int]) -> bool:
    ts_col, speaker_col, text_col = layout
    if _header_word(row[speaker_col]) not in _SPEAKER_HEADERS:
        return False
    if _header_word(row[text_col]) not in _TEXT_HEADERS:
        return False
    return ts_col is None or _header_word(row[ts_col]) in _TIME_HEADERS


def table_blocks(rows: Sequence[Sequence[str]]) -> list[Block]:
    """Render a table as blocks, labelling rows of transcript tables.

    A table with two columns (speaker, text) or three (timestamp, speaker,
    text; or speaker, timestamp, text) whose speaker cells all look like
    names is a transcript table: each row renders as ``"{speaker}: {text}"``
    and carries a structural label. A recognised header row (e.g. "Speaker"
    / "Text") is dropped. The labels bypass the repetition guard when the
    table has a header, a timestamp column, or a speaker named on two rows
    of at least three; otherwise they go through the same guard as plain
    text (a two-row "Date | 2013" table is metadata, not dialogue). Rows
    with an empty speaker cell continue the previous turn. Any other table
    renders one paragraph per row with cells separated by tabs.

    Args:
        rows: Cell texts, row by row.

    Returns:
        The blocks, in row order.
    """
    grid = [[clean_inline(cell).strip() for cell in row] for row in rows]
    grid = [row for row in grid if any(row)]
    if not grid:
        return []
    layout = _layout(grid) if all(len(row) == len(grid[0]) for row in grid) else None
    forced = False
    if layout is not None and _is_header(grid[0], layout):
        forced = True
        grid = grid[1:]
    if layout is not None and not all(
        plausible_speaker(row[layout[1]].rstrip(":：").strip()) or not row[layout[1]]
        for row in grid
    ):
        layout = None
    if layout is None:
        return [Block("\t".join(cell for cell in row if cell)) for row in grid]
    ts_col, speaker_col, text_col = layout
    names = [row[speaker_col].rstrip(":：").strip().casefold() for row in grid]
    names = [name for name in names if name]
    forced = forced or ts_col is not None or (len(names) >= 3 and len(set(names)) < len(names))
    blocks: list[Block] = []
    for row in grid:
        speaker = row[speaker_col].rstrip(":：").strip()
        text = row[text_col]
        if not text:
            continue
        if not speaker:
            blocks.append(Block(text))
            continue
        stamp = _cell_timestamp(row[ts_col]) if ts_col is not None else None
        head = f"{speaker}: "
        blocks.append(Block(head + text, LabelHit(speaker, len(head), stamp, forced, "table")))
    return blocks
