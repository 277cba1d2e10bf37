"""Recordings in a REFI-QDA project: AudioSource and VideoSource with their Transcript.

REFI-QDA links a recording to its transcript by a Transcript element inside the AudioSource
or VideoSource, whose SyncPoints pair a time (`timeStamp`, milliseconds) with a text position
(`position`, code points). coder writes each source's turn start times as its SyncPoints, and
points the Transcript at the same `internal://<GUID>.txt` file as the TextSource that carries
the codings, as the standard's own example does, so a reader sees one text with its recording.

The recording travels inside the .qdpx (`sources/<GUID>.<ext>`, with `currentPath` naming the
original file) when asked, or is referenced as `absolute:///...` otherwise (section 8.3).
These elements are added to a .qdpx the ordinary writer made, so this module stays apart from
coder.refi.qdpx_write and coder.refi.qdpx_read; the reader leaves transcripts that share a
TextSource's text to `read_media_refs` here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from xml.sax.saxutils import quoteattr

from lxml import etree

from coder.refi.qdpx_zip import SafeZip
from coder.refi.xml import RefiError, coin_guid, kids, local, norm_guid

MAX_INTERNAL = 2**31 - 1
"""The largest file the standard allows inside a .qdpx (section 8.5)."""
TAGS = {"audio": "AudioSource", "video": "VideoSource"}


@dataclass(frozen=True, slots=True)
class MediaOut:
    """A recording to write.

    Attributes:
        source_guid: The TextSource (transcript) it belongs to.
        kind: "audio" or "video".
        file: The recording, absolute.
        syncs: (position in the text, milliseconds) for each stamped turn, in text order.
    """

    source_guid: str
    kind: str
    file: Path
    syncs: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class MediaIn:
    """A recording read from a project.qde.

    Attributes:
        source_guid: The TextSource whose text its transcript shares, else the transcript's own
            GUID (the reader imports such a transcript as a source under that GUID).
        kind: "audio" or "video".
        name: The source's name in the file.
        path: Its `path` attribute (internal://, absolute://, relative://).
        current: Its `currentPath` attribute, if any.
        base: The project's `basePath`, for relative paths.
        syncs: (position, milliseconds) pairs, in text order.
    """

    source_guid: str
    kind: str
    name: str
    path: str
    current: str | None
    base: str | None
    syncs: tuple[tuple[int, int], ...]


def media_guid(source_guid: str) -> str:
    """The recording's GUID: derived from its transcript's, so re-exports agree."""
    return coin_guid("media", source_guid)


def absolute_ref(path: Path) -> str:
    """`absolute:///...` for a file (Windows drives get the leading slash the standard shows)."""
    posix = path.as_posix()
    return "absolute://" + (posix if posix.startswith("/") else "/" + posix)


def internal_name(m: MediaOut) -> str:
    return f"{media_guid(m.source_guid)}{m.file.suffix.lower()}"


def media_xml(items: Iterable[MediaOut], embed: bool) -> str:
    """AudioSource/VideoSource elements (XML text in the project namespace) for `items`."""
    out: list[str] = []
    for m in items:
        sg = m.source_guid
        path = f"internal://{internal_name(m)}" if embed else absolute_ref(m.file)
        current = f" currentPath={quoteattr(absolute_ref(m.file))}" if embed else ""
        out.append(
            f"<{TAGS[m.kind]} guid={quoteattr(media_guid(sg))} name={quoteattr(m.file.name)}"
            f" path={quoteattr(path)}{current}>"
            f'<Transcript guid="{coin_guid("transcript", sg)}" name={quoteattr(m.file.stem)}'
            f' plainTextPath="internal://{sg}.txt">'
        )
        for k, (position, ms) in enumerate(m.syncs):
            out.append(
                f'<SyncPoint guid="{coin_guid("sync", sg, str(k))}" '
                f'timeStamp="{ms}" position="{position}"/>'
            )
        out.append(f"</Transcript></{TAGS[m.kind]}>")
    return "".join(out)


def check_embeddable(items: Sequence[MediaOut]) -> None:
    """Refuse (one line) a recording that cannot go inside a .qdpx: missing or over 2 GB."""
    for m in items:
        if not m.file.is_file():
            raise RefiError(f"{m.file}: recording not found; cannot put it in the .qdpx")
        if m.file.stat().st_size > MAX_INTERNAL:
            raise RefiError(
                f"{m.file}: over 2 GB, the most REFI-QDA allows inside a .qdpx; "
                "export without --with-media to reference it instead"
            )


def write_with_media(out: BinaryIO, qdpx: bytes, items: Sequence[MediaOut], embed: bool) -> None:
    """Copy the .qdpx `qdpx` into `out` with the recordings' elements added to project.qde
    and, when `embed`, the recordings themselves streamed in (stored, not compressed again)."""
    with (
        zipfile.ZipFile(io.BytesIO(qdpx)) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "project.qde":
                head, sep, tail = data.rpartition(b"</Sources>")
                if not sep:
                    raise ValueError("project.qde has no <Sources> to add recordings to")
                data = head + media_xml(items, embed).encode("utf-8") + sep + tail
            dst.writestr(info, data)
        if embed:
            for m in items:
                dst.write(m.file, f"sources/{internal_name(m)}", compress_type=zipfile.ZIP_STORED)


def read_media_refs(root: etree._Element) -> list[MediaIn]:
    """Every recording with a transcript in a parsed project.qde."""
    holder = next((el for el in root if local(el) == "Sources"), None)
    if holder is None:
        return []
    by_text = {
        (el.get("plainTextPath") or "").strip().lower(): norm_guid(el.get("guid"))
        for el in holder
        if local(el) == "TextSource" and el.get("plainTextPath")
    }
    out: list[MediaIn] = []
    for el in holder:
        kind = {"AudioSource": "audio", "VideoSource": "video"}.get(local(el))
        path = (el.get("path") or "").strip()
        if kind is None or not path:
            continue
        for t in kids(el, "Transcript"):
            shared = by_text.get((t.get("plainTextPath") or "").strip().lower())
            guid = shared or norm_guid(t.get("guid"))
            if guid is None:
                continue
            syncs = []
            for sp in kids(t, "SyncPoint"):
                pos, ms = sp.get("position"), sp.get("timeStamp")
                if pos and ms and pos.strip().isdigit() and ms.strip().isdigit():
                    syncs.append((int(pos), int(ms)))
            out.append(
                MediaIn(
                    guid,
                    kind,
                    (el.get("name") or "").strip(),
                    path,
                    el.get("currentPath"),
                    root.get("basePath"),
                    tuple(sorted(syncs)),
                )
            )
            break  # one recording per transcript source
    return out


def untranscribed(root: etree._Element) -> list[str]:
    """Recordings without a transcript (coder keeps only recordings linked to a text), as
    "AudioSource 'name'" for the import's notes."""
    holder = next((el for el in root if local(el) == "Sources"), None)
    return [
        f"{local(el)} {(el.get('name') or '').strip()!r}"
        for el in (holder if holder is not None else ())
        if local(el) in ("AudioSource", "VideoSource")
        and next(kids(el, "Transcript"), None) is None
    ]


def external_file(ref: MediaIn) -> Path | None:
    """The file an absolute:// or relative:// path names (None for internal ones)."""
    scheme, _, rest = ref.path.partition("://")
    scheme = scheme.lower()
    if scheme == "absolute":
        if len(rest) > 3 and rest[0] == "/" and rest[2] == ":":  # /C:/... on Windows
            rest = rest[1:]
        return Path(rest)
    if scheme == "relative":
        return Path(ref.base or ".") / rest.lstrip("/")
    if scheme in ("", "file"):
        return Path(rest or ref.path)
    return None


def original_name(ref: MediaIn) -> str:
    """The recording's original file name (from currentPath, else its name and extension)."""
    ext = PurePosixPath(ref.path).suffix.lower()
    names = [PurePosixPath(c.replace("\\", "/")).name for c in (ref.current or "", ref.name)]
    names = [n for n in names if n.strip(". ")]  # never "", "." or ".."
    for name in names:
        if PurePosixPath(name).suffix.lower() == ext:
            return name
    return (names[-1] if names else media_guid(ref.source_guid)) + ext


def extract_internal(z: SafeZip, ref: MediaIn, dest: Path) -> None:
    """Stream an embedded recording out of the .qdpx into `dest`, refusing one over 2 GB."""
    member = z.find_source(ref.path)
    if member is None:
        raise RefiError(f"{z.path}: recording {ref.path!r} is not inside the file")
    written = 0
    with z.zip.open(member) as src, dest.open("xb") as out:
        while chunk := src.read(1 << 20):
            written += len(chunk)
            if written > MAX_INTERNAL:
                raise RefiError(f"{z.path}: recording {member!r} unpacks past 2 GB; refused")
            out.write(chunk)
