"""Opening a .qdpx safely: a zip from anywhere is treated as hostile until proven otherwise.

Texts are never extracted to disk; members are read into memory one at a time. Before any
member is read, the archive is refused (one line) if it is not a zip, has too many members,
has a member whose name would escape a folder (`../`, an absolute path, a drive letter), is
encrypted, or declares sizes over the limits. Declared sizes can lie, so every read is also
capped while it streams: a member that inflates past its limit is refused mid-read.
Recordings (audio, video) are left out of the size limits: they are never read into memory,
only streamed to disk by coder.refi.media, with a cap of their own.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coder.archive import Damaged, Overflow, escapes, inflate, inflated
from coder.read_ahead import read_ahead
from coder.refi.xml import RefiError
from coder.vocab.closing import Closing
from coder.vocab.media import media_kind

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class QdpxLimits:
    """Caps for reading a .qdpx (bytes after decompression).

    Importing a text costs about 20 times its size in memory at its peak (the text, its
    decoded copy, and the speaker turns and sentences found in it), and a project.qde tree about
    10 times; the caps keep a hostile or mistaken file under about 2 GB. The largest real
    transcripts are a few MB, so the caps are far above any genuine project.
    """

    max_qde_bytes: int = 200 * MB
    max_source_bytes: int = 32 * MB
    max_total_bytes: int = 1024 * MB
    max_members: int = 200_000


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n:,} bytes"


def safe_name(name: str) -> bool:
    """False for member names that could escape the folder they are read into."""
    return not escapes(name)


class SafeZip(Closing):
    """A read-only, size-capped view of a .qdpx archive."""

    def __init__(self, path: str | Path, limits: QdpxLimits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or QdpxLimits()
        if not self.path.is_file():
            raise RefiError(f"{self.path}: no such file")
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise RefiError(f"{self.path}: not a REFI-QDA project (not a zip file)") from exc
        try:
            self._check()
        except BaseException:
            self.zip.close()
            raise
        self.by_lower = {i.filename.replace("\\", "/").lower(): i for i in self.infos}

    def _check(self) -> None:
        self.infos = [i for i in self.zip.infolist() if not i.is_dir()]
        lim = self.limits
        if len(self.infos) > lim.max_members:
            raise RefiError(
                f"{self.path}: has {len(self.infos):,} members (the limit is {lim.max_members:,})"
            )
        total = 0
        for i in self.infos:
            if not safe_name(i.filename):
                raise RefiError(
                    f"{self.path}: member {i.filename!r} would escape the project folder; refused"
                )
            if i.flag_bits & 0x1:
                raise RefiError(f"{self.path}: member {i.filename!r} is encrypted")
            if media_kind(PurePosixPath(i.filename)) is not None:
                continue  # a recording: never read into memory, streamed to disk capped
            cap = lim.max_qde_bytes if i.filename.lower().endswith(".qde") else lim.max_source_bytes
            if i.file_size > cap:
                raise RefiError(
                    f"{self.path}: member {i.filename!r} is too big "
                    f"({_size(i.file_size)}; the limit is {_size(cap)})"
                )
            total += i.file_size
        if total > lim.max_total_bytes:
            raise RefiError(
                f"{self.path}: unpacks to {_size(total)} "
                f"(the limit is {_size(lim.max_total_bytes)})"
            )

    def close(self) -> None:
        self.zip.close()

    def qde_name(self) -> str:
        """The project.qde member (any case; else the only .qde at the top level)."""
        if "project.qde" in self.by_lower:
            return self.by_lower["project.qde"].filename
        top = [
            i.filename
            for i in self.infos
            if i.filename.lower().endswith(".qde") and "/" not in i.filename.strip("/")
        ]
        if len(top) == 1:
            return top[0]
        raise RefiError(f"{self.path}: not a REFI-QDA project (no project.qde inside)")

    def find_source(self, ref: str) -> str | None:
        """The member an `internal://` reference names (sources/ or Sources/, any case).

        Raises:
            RefiError: if the reference tries to leave the sources folder.
        """
        name = ref.split("://", 1)[-1].replace("\\", "/").lstrip("/")
        if not name or not safe_name(name) or name.startswith("~"):
            raise RefiError(
                f"{self.path}: source path {ref!r} would escape the project folder; refused"
            )
        for candidate in (f"sources/{name}", name):
            info = self.by_lower.get(candidate.lower())
            if info is not None:
                return info.filename
        return None

    def read(self, name: str) -> bytes:
        """A member's bytes, refusing one that inflates past its cap while streaming."""
        cap = self._cap(name)
        try:
            return inflate(self.zip, name, cap)
        except (Overflow, Damaged) as exc:
            raise self._refusal(name, cap, exc) from None

    @contextmanager
    def stream(self, name: str) -> Iterator[Iterator[bytes]]:
        """A member's bytes a chunk at a time, inflated by a thread a few chunks ahead of the
        reader (coder.read_ahead) and refused as `read` refuses them; the member is opened
        and closed here, in the caller's thread."""
        cap = self._cap(name)
        try:
            member = self.zip.open(name)
        except Exception as exc:  # zipfile raises many types on a corrupt entry
            raise self._refusal(name, cap, Damaged(str(exc))) from None
        chunks = read_ahead(inflated(member, cap))
        try:
            yield self._refused(name, cap, chunks)
        finally:
            chunks.close()  # the thread has stopped when this returns
            member.close()

    def _refused(self, name: str, cap: int, chunks: Iterator[bytes]) -> Iterator[bytes]:
        try:
            yield from chunks
        except (Overflow, Damaged) as exc:
            raise self._refusal(name, cap, exc) from None

    def _cap(self, name: str) -> int:
        if name.lower().endswith(".qde"):
            return self.limits.max_qde_bytes
        return self.limits.max_source_bytes

    def _refusal(self, name: str, cap: int, exc: Exception) -> RefiError:
        if isinstance(exc, Overflow):
            return RefiError(f"{self.path}: member {name!r} inflates past {_size(cap)}; refused")
        return RefiError(f"{self.path}: member {name!r} is damaged ({exc})")
