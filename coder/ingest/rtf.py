"""A small, safe RTF-to-text converter for transcripts.

Some transcription services and older word processors deliver .rtf. We only
need the visible text, so rather than depend on a full RTF library this
module tokenises the file itself: it keeps paragraph/line/tab structure,
decodes ``\\'hh`` escapes in the document code page and ``\\uN`` Unicode
escapes, and drops every non-text destination (font and colour tables,
stylesheets, document info, pictures, fields' instructions, ``{\\*...}``).
Nothing is executed, fetched or expanded, and the work is linear in the file
size.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

from coder.ingest.render import Block, clean_inline, render_blocks
from coder.vocab.transcript import IngestError, ParsedSource

_TOKEN = re.compile(
    rb"\\(?P<word>[a-zA-Z]{1,32})(?P<arg>-?\d{1,10})? ?"
    rb"|\\'(?P<hex>[0-9a-fA-F]{2})"
    rb"|\\(?P<symbol>[^a-zA-Z])"
    rb"|(?P<brace>[{}])"
    rb"|[\r\n]+"
    rb"|(?P<text>[^\\{}\r\n]+)",
    re.DOTALL,
)
_SKIP_DESTINATIONS = frozenset(
    {
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "objdata",
        "listtable", "listoverridetable", "revtbl", "rsidtbl", "generator",
        "xmlnstbl", "themedata", "colorschememapping", "datastore",
        "latentstyles", "fldinst", "header", "headerl", "headerr", "headerf",
        "footer", "footerl", "footerr", "footerf", "footnote", "annotation",
        "bkmkstart", "bkmkend", "pntext", "pntxta", "pntxtb", "listtext",
        "shp", "shppict", "nonshppict", "filetbl", "mmathPr", "userprops",
        "template", "docvar", "atnid", "atnauthor", "falt", "panose",
    }
)  # fmt: skip
_PARAGRAPH_WORDS = frozenset({"par", "sect", "page", "row"})
_CHARACTER_WORDS = {
    "line": "\n", "tab": "\t", "cell": "\t", "emdash": "—", "endash": "–",
    "lquote": "‘", "rquote": "’", "ldblquote": "“", "rdblquote": "”",
    "bullet": "•", "emspace": " ", "enspace": " ", "qmspace": " ",
}  # fmt: skip
_SYMBOLS = {"\\": "\\", "{": "{", "}": "}", "~": "\u00a0", "_": "-", "-": ""}
_CHARSET_WORDS = {"ansi": "cp1252", "mac": "mac_roman", "pc": "cp437", "pca": "cp850"}


@dataclass(frozen=True, slots=True)
class _State:
    skip: bool = False
    uc: int = 1


def parse_rtf(data: bytes) -> ParsedSource:
    """Parse the bytes of an .rtf file.

    Args:
        data: The whole file.

    Returns:
        The text (non-empty paragraphs joined by blank lines) and the turns
        found by plain-text detection.

    Raises:
        IngestError: If the data is not RTF or has no text.
    """
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise IngestError("not an RTF file")
    paragraphs = rtf_paragraphs(data)
    return render_blocks((Block(clean_inline(p).strip()) for p in paragraphs), "rtf", None)


class _Output:
    """Collects text, buffering code-page bytes until they can be decoded."""

    def __init__(self) -> None:
        self.codepage = "cp1252"
        self.paragraphs: list[str] = []
        self.pieces: list[str] = []
        self.pending = bytearray()

    def add_bytes(self, raw: bytes) -> None:
        self.pending += raw

    def add_text(self, text: str) -> None:
        self.flush()
        self.pieces.append(text)

    def flush(self) -> None:
        if self.pending:
            self.pieces.append(bytes(self.pending).decode(self.codepage, "replace"))
            self.pending.clear()

    def end_paragraph(self) -> None:
        self.flush()
        text = "".join(self.pieces)
        # \uN escapes may form UTF-16 surrogate pairs.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        self.paragraphs.append(text)
        self.pieces = []


def _codepage(number: int) -> str | None:
    name = f"cp{number}"
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def rtf_paragraphs(data: bytes) -> list[str]:
    """Extract the visible paragraphs of an RTF document.

    Args:
        data: RTF bytes.

    Returns:
        Paragraph texts in order (may include empty ones).

    Raises:
        IngestError: If a group opened with "{" is never closed (a truncated file).
    """
    out = _Output()
    state = _State()
    stack: list[_State] = []
    skip_chars = 0  # fallback characters still to drop after a \uN
    pos = 0
    size = len(data)
    while pos < size:
        m = _TOKEN.match(data, pos)
        if m is None:  # cannot happen: the alternatives cover every byte
            break
        pos = m.end()
        kind = "word" if m.group("word") is not None else m.lastgroup
        if kind == "brace":
            skip_chars = 0
            if m.group("brace") == b"{":
                stack.append(state)
            elif stack:
                state = stack.pop()
        elif kind == "word":
            word = m.group("word").decode("ascii")
            arg = int(m.group("arg")) if m.group("arg") is not None else None
            skip_chars = 0
            if word == "bin" and arg is not None:
                pos += max(arg, 0)
            elif word in _SKIP_DESTINATIONS:
                state = replace(state, skip=True)
            elif word == "uc" and arg is not None:
                state = replace(state, uc=max(arg, 0))
            elif word == "ansicpg" and arg is not None:
                out.codepage = _codepage(arg) or out.codepage
            elif word in _CHARSET_WORDS:
                out.codepage = _CHARSET_WORDS[word]
            elif state.skip:
                continue
            elif word == "u" and arg is not None:
                code = arg + 65536 if arg < 0 else arg
                if 0 < code <= 0x10FFFF:
                    out.add_text(chr(code))
                skip_chars = state.uc
            elif word in _PARAGRAPH_WORDS:
                out.end_paragraph()
            elif word in _CHARACTER_WORDS:
                out.add_text(_CHARACTER_WORDS[word])
        elif kind == "symbol":
            symbol = m.group("symbol").decode("latin-1")
            if symbol == "*":
                state = replace(state, skip=True)
            elif skip_chars:
                skip_chars -= 1
            elif state.skip:
                continue
            elif symbol in "\r\n":
                out.end_paragraph()
            elif symbol in _SYMBOLS:
                out.add_text(_SYMBOLS[symbol])
        elif kind == "hex":
            if skip_chars:
                skip_chars -= 1
            elif not state.skip:
                out.add_bytes(bytes.fromhex(m.group("hex").decode("ascii")))
        elif kind == "text":
            raw = m.group("text")
            if skip_chars:
                dropped = min(skip_chars, len(raw))
                skip_chars -= dropped
                raw = raw[dropped:]
            if raw and not state.skip:
                out.add_bytes(raw)
    if stack:  # the document's own group never closes: the file was cut short or damaged
        raise IngestError("the RTF file is cut short or damaged (a group is never closed)")
    out.end_paragraph()
    return out.paragraphs
