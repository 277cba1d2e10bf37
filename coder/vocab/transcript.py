"""Plain value types produced by the ingest layer.

The rest of coder (database, TUI, exporters) only ever sees these records, so
the ingest layer can change how it parses files without touching them. They
are frozen so a parsed source can be shared and cached safely.
"""

from __future__ import annotations

from dataclasses import dataclass


class IngestError(Exception):
    """A user-facing problem with one file.

    ``str(error)`` is a single line that does not name the file (the caller
    knows which file it was reading), e.g. ``"not a Word document (bad zip)"``.
    """

    def __init__(self, message: str) -> None:
        one_line = " ".join(message.split())
        super().__init__(one_line)


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn: a span of ``ParsedSource.text``.

    Attributes:
        speaker: The speaker label, or None when the file has no labels.
        start: Code-point offset of the first character of the utterance
            (never of the label).
        end: Exclusive end offset of the utterance.
        timestamp: Seconds into the media, when the file gives one.
    """

    speaker: str | None
    start: int
    end: int
    timestamp: float | None


@dataclass(frozen=True, slots=True)
class ParsedSource:
    """The text of one file plus the speaker turns found in it.

    Attributes:
        text: NFC-normalised text with only ``"\\n"`` line endings and no
            trailing whitespace.
        turns: Turns in order, non-overlapping; ``text[t.start:t.end]`` is
            the stripped, non-empty utterance.
        format: One of ``"txt"``, ``"md"``, ``"docx"``, ``"vtt"``, ``"srt"``,
            ``"odt"``, ``"rtf"``, ``"pdf"``.
        encoding: Detected text encoding for text formats, None for zips.
    """

    text: str
    turns: tuple[Turn, ...]
    format: str
    encoding: str | None
