"""Assemble the canonical text and turns of structured documents.

Word, OpenDocument, RTF, WebVTT and SRT files are not stored verbatim: they
are rendered to plain paragraphs joined by blank lines. This module owns that
rendering so every format produces text with the same shape, and so the turn
offsets are computed in exactly one place. It also re-checks the
ParsedSource invariants before anything leaves the ingest layer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from coder.ingest.turns import LabelHit, find_turns
from coder.vocab.transcript import IngestError, ParsedSource, Turn

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Block:
    """One rendered paragraph, with an optional structural label.

    Attributes:
        text: The paragraph text (see :func:`clean_inline`).
        label: Label at the start of the paragraph, if the structure says so (shape "bold" or
            "table"); its `content_start` counts from the start of this block's text (it may
            equal the text's length when the utterance continues below).
    """

    text: str
    label: LabelHit | None = None


def clean_inline(text: str) -> str:
    """Normalise a piece of extracted document text (newlines and NFC).

    Args:
        text: Raw text extracted from a document.

    Returns:
        The text with ``"\\n"`` line endings in NFC.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
        text = unicodedata.normalize("NFC", text)
    return text


def labelled_block(
    prefix: str, rest: str, name: str, timestamp: float | None, forced: bool = False
) -> Block:
    """Build a block whose label text is ``prefix`` and utterance is ``rest``.

    Args:
        prefix: Text up to and including the label's colon.
        rest: Everything after the colon.
        name: The speaker name.
        timestamp: Seconds, if known.
        forced: Skip the false-positive guard.

    Returns:
        A stripped block whose label offset points at the utterance.
    """
    head = clean_inline(prefix).lstrip()
    tail = clean_inline(rest).rstrip()
    body = tail.lstrip()
    text = head + tail
    return Block(text, LabelHit(name, len(text) - len(body), timestamp, forced, "bold"))


def render_blocks(blocks: Iterable[Block], fmt: str, encoding: str | None) -> ParsedSource:
    """Join blocks into the document text and detect turns.

    Structural labels are used where present; every other line goes through
    plain-text label detection, with the same guard as .txt files.

    Args:
        blocks: Paragraphs in document order; empty ones are dropped.
        fmt: The ParsedSource format name.
        encoding: The ParsedSource encoding (None for zip formats).

    Returns:
        The parsed source.

    Raises:
        IngestError: If the document has no text at all.
    """
    parts: list[str] = []
    structural: dict[int, LabelHit] = {}
    pos = 0
    for block in blocks:
        if not block.text.strip():
            continue
        if parts:
            pos += len(PARAGRAPH_SEPARATOR)
        if block.label is not None:
            start = pos + block.label.content_start
            structural[pos] = replace(block.label, content_start=start)
        parts.append(block.text)
        pos += len(block.text)
    text = PARAGRAPH_SEPARATOR.join(parts)
    if not text.strip():
        raise IngestError("document contains no text")
    return finalise(text, find_turns(text, structural), fmt, encoding)


def render_utterances(
    items: Sequence[tuple[str | None, str, float | None]], fmt: str, encoding: str | None
) -> ParsedSource:
    """Render explicit turns as ``"{speaker}: {utterance}"`` paragraphs.

    Args:
        items: ``(speaker, utterance, timestamp)`` in order; the utterance
            must already be a single clean line.
        fmt: The ParsedSource format name.
        encoding: The ParsedSource encoding.

    Returns:
        The parsed source, one turn per item with a non-empty utterance.

    Raises:
        IngestError: If no item has text.
    """
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for speaker, utterance, stamp in items:
        body = clean_inline(utterance).strip()
        if not body:
            continue
        name = clean_inline(speaker).strip() if speaker else ""
        if parts:
            pos += len(PARAGRAPH_SEPARATOR)
        head = f"{name}: " if name else ""
        parts.append(head + body)
        start = pos + len(head)
        pos = start + len(body)
        turns.append(Turn(name or None, start, pos, stamp))
    if not parts:
        raise IngestError("document contains no text")
    return finalise(PARAGRAPH_SEPARATOR.join(parts), tuple(turns), fmt, encoding)


def finalise(text: str, turns: tuple[Turn, ...], fmt: str, encoding: str | None) -> ParsedSource:
    """Enforce the ParsedSource invariants and build the record.

    The renderers already produce valid output; this is a cheap last line of
    defence (NFC, no CR, trailing whitespace, turn bounds and order) so a
    parser bug can never hand broken offsets to the database.

    Args:
        text: Rendered text.
        turns: Turns into ``text``.
        fmt: Format name.
        encoding: Detected encoding or None.

    Returns:
        A ParsedSource that satisfies every invariant.
    """
    clean = text.rstrip()
    if "\r" in clean or not unicodedata.is_normalized("NFC", clean):
        clean = clean_inline(clean).rstrip()
        turns = find_turns(clean)
    checked: list[Turn] = []
    last_end = 0
    for turn in turns:
        start = max(turn.start, last_end)
        end = min(turn.end, len(clean))
        while start < end and clean[start].isspace():
            start += 1
        while end > start and clean[end - 1].isspace():
            end -= 1
        if start < end:
            checked.append(
                turn
                if (start, end) == (turn.start, turn.end)
                else Turn(turn.speaker, start, end, turn.timestamp)
            )
            last_end = end
    return ParsedSource(clean, tuple(checked), fmt, encoding)
