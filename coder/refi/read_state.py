"""What reading one .qdpx gathers on the way: warnings, counts of mended or skipped parts,
who owns each note, and the source texts kept in the archive.

The reader is split by part of the project (coder.refi.read_sources for sources and their
codings, coder.refi.read_parts for users, variables, cases, notes and sets); they share one
`ReadState`, and coder.refi.qdpx_read streams the XML through them.
"""

from __future__ import annotations

from lxml import etree

from coder.refi.notes import SpanNotes
from coder.refi.qdpx_zip import SafeZip
from coder.refi.xml import coin_guid, kid, local, norm_guid

MEDIA = ("PictureSource", "AudioSource", "VideoSource")

# Who a note belongs to, by where its NoteRef (or Link) was found. The claims are kept apart
# and merged in this order, so the first claim wins as it did when the whole tree was walked
# in one order, whatever order the parts arrive in.
OWNER_ORDER = ("code", "link", "project", "body")


def decode(data: bytes) -> tuple[str, bool]:
    """Text of a source file and whether it had to be read as something other than UTF-8."""
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        pass
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace").lstrip("\ufeff"), True
    return data.decode("cp1252", "replace"), True


class ReadState:
    """The archive being read and everything noted while reading it."""

    def __init__(self, z: SafeZip) -> None:
        self.z = z
        self.warnings: list[str] = []
        self.note_warnings: list[str] = []
        self.skipped: dict[str, int] = {}
        self.fixed: dict[str, int] = {}
        self.claims: dict[str, dict[str, tuple[str, str]]] = {k: {} for k in OWNER_ORDER}
        self.source_values: dict[str, list[tuple[str, str]]] = {}
        self.coded_selections: list[tuple[str, str]] = []  # (selection, coding) GUIDs
        self._by_selection: dict[str, list[str]] | None = None
        self.span_notes = SpanNotes()  # selections that carry only a note

    @property
    def selection_codings(self) -> dict[str, list[str]]:
        """The GUIDs of each selection's codings, once every source is read (gathered as
        plain pairs while reading: a list per selection cost more than the rest of it)."""
        if self._by_selection is None:
            self._by_selection = {}
            for sel, coding in self.coded_selections:
                self._by_selection.setdefault(sel, []).append(coding)
        return self._by_selection

    def fix(self, what: str) -> None:
        """Count a selection that was kept only after mending it (reported, never silent)."""
        self.fixed[what] = self.fixed.get(what, 0) + 1

    def skip(self, what: str, n: int = 1) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + n

    def guid(self, el: etree._Element, *context: str, attr: str = "guid") -> str:
        return norm_guid(el.get(attr)) or coin_guid(local(el), *context)

    def ref(self, el: etree._Element) -> str | None:
        return norm_guid(el.get("targetGUID"))

    def own(self, note: str | None, kind: str, target: str, claim: str = "body") -> None:
        """Record that `note` belongs to (kind, target), unless an earlier claim has it."""
        if note:
            self.claims[claim].setdefault(note, (kind, target))

    def note_owner(self) -> dict[str, tuple[str, str]]:
        """Every note's owner, the claims merged in OWNER_ORDER (the first claim wins)."""
        out: dict[str, tuple[str, str]] = {}
        for claim in OWNER_ORDER:
            for note, owner in self.claims[claim].items():
                out.setdefault(note, owner)
        return out

    def text_of(
        self, el: etree._Element, what: str, warnings: list[str] | None = None
    ) -> str | None:
        """PlainTextContent, else the file plainTextPath points to (internal only)."""
        return self.text_from(el, kid(el, "PlainTextContent"), what, warnings)

    def text_from(
        self,
        el: etree._Element,
        inline: etree._Element | None,
        what: str,
        warnings: list[str] | None = None,
    ) -> str | None:
        """`inline` (el's PlainTextContent, found by the caller), else the file el's
        plainTextPath points to (internal only)."""
        said = self.warnings if warnings is None else warnings
        if inline is not None:
            return inline.text or ""
        path = el.get("plainTextPath")
        if not path:
            return None
        scheme = path.split("://", 1)[0].lower() if "://" in path else "internal"
        if scheme != "internal":
            said.append(f"{what}: text is outside the .qdpx ({path}); skipped")
            return None
        member = self.z.find_source(path)
        if member is None:
            said.append(f"{what}: {path} is missing from the .qdpx; skipped")
            return None
        text, odd = decode(self.z.read(member))
        if odd:
            said.append(f"{what}: text is not UTF-8; read as Windows-1252/UTF-16")
        return text

    def closing_warnings(self) -> list[str]:
        """Every warning, then the counts of mended and of skipped parts."""
        out = [*self.warnings, *self.note_warnings]
        for what, count in sorted(self.fixed.items()):
            out.append(f"{count:,} {what}")
        for what, count in sorted(self.skipped.items()):
            out.append(
                f"{count} {what} skipped (coder keeps text sources only)"
                if what in MEDIA
                else f"{count} {what} skipped"
            )
        return out
