"""Notes on uncoded text in a .qdpx: a Note on a PlainTextSelection that has no Coding.

NVivo's annotations and coder's notes on uncoded text are the same thing: a memo anchored to
a span of a source. REFI-QDA has a place for it: the source's `<PlainTextSelection>` (start and
end in code points) holding only a `<NoteRef>` to a `<Note>` in the project's `<Notes>`.
`selections_xml` writes those selections; `SpanNotes` collects them while a source is read, and
turns the notes they reference into span notes (kind "span", the source's GUID as target, with
start and end) instead of folding them into codings that are not there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from xml.sax.saxutils import escape

from coder.refi.model import RefiNote
from coder.refi.xml import clean, coin_guid, iso

_ATTR = {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
NAME_CHARS = 40  # as coded selections are named


def _attr(name: str, value: str | None) -> str:
    return f' {name}="{escape(clean(value), _ATTR)}"' if value is not None else ""


def selections_xml(text: str, notes: Iterable[RefiNote]) -> str:
    """The PlainTextSelection (with its NoteRef) of each span note on one source, as XML text
    to put among the source's other selections."""
    out = []
    for n in notes:
        if n.kind != "span" or n.start is None or n.end is None:
            continue
        name = " ".join(text[n.start : n.end].split())
        if len(name) > NAME_CHARS:
            name = name[: NAME_CHARS - 1] + "\u2026"
        out.append(
            "<PlainTextSelection"
            + _attr("guid", coin_guid("note-selection", n.guid))
            + _attr("name", name)
            + _attr("startPosition", str(n.start))
            + _attr("endPosition", str(n.end))
            + _attr("creatingUser", n.user_guid)
            + _attr("creationDateTime", iso(n.created))
            + ">"
            # the note's text again as the selection's Description: QualCoder takes an
            # annotation's text from there, and never follows the NoteRef
            + (f"<Description>{escape(clean(n.text))}</Description>" if n.text else "")
            + f'<NoteRef targetGUID="{n.guid}"/></PlainTextSelection>'
        )
    return "".join(out)


class SpanNotes:
    """Selections without codings that carry notes, as they are read, and the notes they make."""

    def __init__(self) -> None:
        self.spans: dict[str, tuple[str, int, int]] = {}  # selection -> (source, start, end)

    def selection(self, selection_guid: str, source_guid: str, start: int, end: int) -> None:
        """A selection with a NoteRef and no Coding (positions already in coder's text)."""
        if 0 <= start < end:
            self.spans[selection_guid] = (source_guid, start, end)

    def note(self, note: RefiNote, selection_guid: str) -> RefiNote | None:
        """`note` as a span note, if it is on an uncoded selection that was read."""
        found = self.spans.get(selection_guid)
        if found is None:
            return None
        source, start, end = found
        return replace(note, kind="span", target_guid=source, start=start, end=end)
