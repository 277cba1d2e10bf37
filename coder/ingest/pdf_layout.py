"""Turn positioned text fragments of PDF pages into paragraphs in reading order.

A PDF has no paragraphs, only strings drawn at positions. This module is the pure geometry
half of PDF import (no PDF library here, so it can be tested on plain tuples): it groups
fragments into lines, drops running headers and footers that repeat on most pages, reads
two-column pages column by column, rebuilds paragraphs from the gaps between lines, and joins
words hyphenated at a line end.

Stored shape (documented in :mod:`coder.ingest.pdf`): each paragraph is one line, paragraphs are
separated by one blank line (``"\\n\\n"``) and pages by two blank lines (:data:`PAGE_BREAK`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coder.ingest.turns import match_label

PAGE_BREAK = "\n\n\n"
PARAGRAPH_BREAK = "\n\n"
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
# How many lines at the top and at the bottom of a page may be a running header or footer.
_EDGE_LINES = 2


@dataclass(frozen=True, slots=True)
class Line:
    """Text drawn at (x, y) in PDF user space (y grows upwards), `size` high: a fragment as the
    page draws it, or a whole line of the page once `group_lines` has joined its fragments."""

    x: float
    y: float
    size: float
    text: str


@dataclass(frozen=True, slots=True)
class PageText:
    """The lines of one page and the page width."""

    width: float
    lines: tuple[Line, ...]


def group_lines(fragments: Sequence[Line]) -> tuple[Line, ...]:
    """Join fragments drawn on the same baseline (consecutively in the stream) into lines."""
    lines: list[Line] = []
    current: list[Line] = []

    def flush() -> None:
        text = _SPACES.sub(" ", _CONTROL.sub("", "".join(f.text for f in current))).strip()
        if text:
            first = min(current, key=lambda f: f.x)
            lines.append(Line(first.x, current[0].y, max(f.size for f in current), text))
        current.clear()

    for fragment in fragments:
        if current and abs(fragment.y - current[-1].y) > max(1.0, 0.3 * fragment.size):
            flush()
        current.append(fragment)
    flush()
    return tuple(lines)


def _edge_key(line: Line) -> str:
    """Running lines repeat at the same height with the same text, numbers aside."""
    return f"{round(line.y / 4)}|{_DIGITS.sub('#', line.text).casefold()}"


def _edges(lines: Sequence[Line]) -> list[Line]:
    ordered = sorted(lines, key=lambda line: -line.y)
    if len(ordered) <= 2 * _EDGE_LINES:
        return ordered
    return ordered[:_EDGE_LINES] + ordered[-_EDGE_LINES:]


def drop_running_lines(pages: Sequence[PageText]) -> list[PageText]:
    """Remove header/footer lines whose text (digits ignored) is at a page edge on most pages.

    A line counts when the same text, with every number replaced, at the same height, sits
    among the top or bottom two lines of at least 60 % of the pages (and of at least two
    pages), so "Page 3 of 9" and a running title go while a speaker label that happens to start
    two pages stays.
    """
    with_text = [page for page in pages if page.lines]
    if len(with_text) < 2:
        return list(pages)
    counts: dict[str, int] = {}
    for page in with_text:
        for key in {_edge_key(line) for line in _edges(page.lines)}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, int(0.6 * len(with_text) + 0.999))
    running = {key for key, count in counts.items() if count >= need}
    if not running:
        return list(pages)
    cleaned: list[PageText] = []
    for page in pages:
        edge = {id(line) for line in _edges(page.lines)}
        kept = tuple(
            line for line in page.lines if id(line) not in edge or _edge_key(line) not in running
        )
        cleaned.append(PageText(page.width, kept))
    return cleaned


def _estimated_right(line: Line) -> float:
    return line.x + 0.5 * line.size * len(line.text)


def reading_order(page: PageText) -> list[list[Line]]:
    """The page's lines as columns, each top to bottom; two columns when the page has them.

    A page is two-column when at least three lines (and a quarter of them) start right of 40 %
    of the page width, and no line starting left of that crosses the middle.
    """
    lines = sorted(page.lines, key=lambda line: (-round(line.y, 1), line.x))
    split = 0.4 * page.width
    right = [line for line in lines if line.x >= split]
    left = [line for line in lines if line.x < split]
    middle = 0.5 * page.width
    two = (
        len(right) >= 3
        and 4 * len(right) >= len(lines)
        and left
        and all(_estimated_right(line) <= middle + 0.05 * page.width for line in left)
    )
    return [left, right] if two else [lines]


def _is_hyphenated(text: str) -> bool:
    return len(text) >= 2 and text[-1] in "-\u00ad" and text[-2].isalpha()


def join_lines(first: str, second: str) -> str:
    """Join two wrapped lines, undoing a hyphen at the end of the first before a lower-case word."""
    if _is_hyphenated(first) and second[:1].islower():
        return first[:-1] + second
    return f"{first} {second}"


def _starts_turn(text: str) -> bool:
    hit = match_label(text)
    return hit is not None and hit.name[:1].isupper()


def paragraphs(column: Sequence[Line]) -> list[str]:
    """Rebuild paragraphs from one column: a gap wider than 1.6 line spacings, an indent-free
    speaker label, or a change of font size starts a new one."""
    if not column:
        return []
    gaps = sorted(a.y - b.y for a, b in zip(column, column[1:], strict=False) if 0 < a.y - b.y)
    spacing = gaps[len(gaps) // 2] if gaps else column[0].size * 1.2
    result: list[str] = []
    text = column[0].text
    for previous, line in zip(column, column[1:], strict=False):
        gap = previous.y - line.y
        new = (
            gap > 1.6 * spacing
            or gap < 0
            or abs(line.size - previous.size) > 0.5
            or _starts_turn(line.text)
        )
        if new:
            result.append(text)
            text = line.text
        else:
            text = join_lines(text, line.text)
    result.append(text)
    return result


def page_paragraphs(pages: Sequence[PageText]) -> list[list[str]]:
    """Paragraphs of every page in reading order, running headers and footers removed, and a
    word hyphenated across a page break completed on the earlier page."""
    result: list[list[str]] = []
    for page in drop_running_lines(pages):
        paras: list[str] = []
        for column in reading_order(page):
            paras.extend(paragraphs(column))
        result.append(paras)
    for earlier, later in zip(result, result[1:], strict=False):
        if earlier and later and _is_hyphenated(earlier[-1]) and later[0][:1].islower():
            head, _, rest = later[0].partition(" ")
            earlier[-1] = earlier[-1][:-1] + head
            if rest:
                later[0] = rest
            else:
                del later[0]
    return result


def assemble(pages: Sequence[Sequence[str]]) -> str:
    """The stored text: paragraphs joined by a blank line, pages by two blank lines."""
    return PAGE_BREAK.join(PARAGRAPH_BREAK.join(paras) for paras in pages)
