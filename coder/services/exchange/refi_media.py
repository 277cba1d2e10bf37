"""Recordings through REFI-QDA: export them with their transcripts' sync points, import them back.

Export: the ordinary .qdpx (coder.services.exchange.refi_project) plus, for every source with
a recording, an AudioSource or VideoSource whose Transcript shares the source's text and
whose SyncPoints are its turns' start times; the recordings go inside the file with
`with_media`, else they are referenced by absolute path. A pseudonymised export carries no
recordings: a voice or a face is not pseudonymised.

Import: after the project itself is stored, each recording is linked to the source its
transcript shares, embedded recordings are unpacked into `<project>.media/` beside the project
file, and the sync points give the turns their start times again. What cannot be linked is
said, one line each.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from coder.db.models import Source, SourceMedia, Turn
from coder.db.retry import retry_writes
from coder.files import atomic_write, atomic_write_with
from coder.ingest.media import MediaError, MediaFacts, read_media
from coder.refi.case_codes import with_case_codes
from coder.refi.media import (
    MediaIn,
    MediaOut,
    check_embeddable,
    external_file,
    extract_internal,
    original_name,
    read_media_refs,
    untranscribed,
    write_with_media,
)
from coder.refi.model import RefiProject
from coder.refi.qdpx_write import write_qdpx
from coder.refi.qdpx_zip import SafeZip
from coder.refi.xml import RefiError, may_name, parse_outline
from coder.services.exchange.refi_project import gather_project
from coder.services.project.store import Project
from coder.services.sources.media_store import project_folder, put_media, resolved_path, stored_path
from coder.vocab.media import media_kind


def media_to_export(project: Project) -> list[MediaOut]:
    """Every linked recording with its transcript's sync points (turn starts with a time)."""
    with project.reading() as s:
        rows = s.execute(
            select(SourceMedia.source_id, SourceMedia.path, SourceMedia.kind, Source.guid)
            .join(Source, Source.id == SourceMedia.source_id)
            .order_by(Source.name)
        ).all()
        syncs: dict[int, list[tuple[int, int]]] = {}
        for sid, start, ts in s.execute(
            select(Turn.source_id, Turn.start, Turn.timestamp)
            .where(Turn.timestamp.is_not(None))
            .order_by(Turn.source_id, Turn.start)
        ):
            if ts is not None:
                syncs.setdefault(sid, []).append((int(start), round(float(ts) * 1000)))
    return [
        MediaOut(guid, kind, resolved_path(project, path).resolve(), tuple(syncs.get(sid, ())))
        for sid, path, kind, guid in rows
    ]


def export_qdpx_media(
    project: Project,
    path: str | Path,
    *,
    with_media: bool = False,
    pseudonymised: bool = False,
    case_codes: bool = False,
) -> tuple[RefiProject, int]:
    """Write the project to a .qdpx with its recordings (atomically); returns what was written
    and how many recordings went with it.

    Raises:
        RefiError: with `with_media`, a recording is missing or over 2 GB (nothing written).

    With `case_codes`, each participant is also written as a code on their transcripts, the
    form QualCoder reads case links in (coder.refi.case_codes).
    """
    items = [] if pseudonymised else media_to_export(project)
    if with_media:
        check_embeddable(items)
    proj = gather_project(project)
    data = write_qdpx(with_case_codes(proj) if case_codes else proj)
    if not items:
        atomic_write(path, data)
        return proj, 0

    def fill(out: BinaryIO) -> None:
        write_with_media(out, data, items, with_media)

    atomic_write_with(path, fill)
    return proj, len(items)


def _media_folder(project: Project) -> Path | None:
    folder = project_folder(project)
    return None if folder is None else folder / f"{Path(project.target).stem}.media"


def _unique(folder: Path, name: str) -> Path:
    target, n = folder / name, 2
    while target.exists():
        target = folder / f"{Path(name).stem} ({n}){Path(name).suffix}"
        n += 1
    return target


def _fetch(z: SafeZip, project: Project, ref: MediaIn) -> tuple[Path | None, str]:
    """The recording's file on this machine (unpacked when embedded), or why there is none."""
    if ref.path.lower().startswith("internal://"):
        folder = _media_folder(project)
        if folder is None:
            return None, "an embedded recording needs a project file to be unpacked beside"
        target = _unique(folder, original_name(ref))
        try:
            folder.mkdir(exist_ok=True)
            extract_internal(z, ref, target)
        except (OSError, RefiError) as exc:
            target.unlink(missing_ok=True)
            return None, f"cannot unpack it: {exc}"
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target, ""
    file = external_file(ref)
    if file is None:
        return None, f"{ref.path!r} is not a path coder can follow"
    return file, ""


def _facts(file: Path) -> MediaFacts | str:
    if file.is_file():
        try:
            return read_media(file)
        except MediaError as exc:
            return str(exc)
    kind = media_kind(file)
    if kind is None:
        return f"{file}: not an audio or video file coder knows"
    return MediaFacts(kind[0], kind[1], None, "not found on this machine")


@retry_writes
def _store(project: Project, links: list[tuple[int, str, MediaFacts, MediaIn]]) -> None:
    with project.transaction() as s:
        for sid, stored, facts, ref in links:
            put_media(s, sid, stored, facts)
            turns = list(s.scalars(select(Turn).where(Turn.source_id == sid).order_by(Turn.start)))
            for position, ms in ref.syncs:
                # the turn starting there, else the one the position falls in
                hit = next((t for t in turns if t.start == position), None) or next(
                    (t for t in turns if t.start <= position < t.end), None
                )
                if hit is not None and hit.timestamp is None:
                    hit.timestamp = ms / 1000


def import_qdpx_media(project: Project, qdpx: str | Path) -> tuple[int, list[str]]:
    """Link the recordings of an imported .qdpx to their sources.

    Returns:
        How many were linked, and one line for each that was not (or is missing).
    """
    notes: list[str] = []
    links: list[tuple[int, str, MediaFacts, MediaIn]] = []
    with SafeZip(qdpx) as z:
        qde = z.qde_name()
        data = z.read(qde)
        if not may_name(data, ("AudioSource", "VideoSource")):
            return 0, notes  # no recordings: the file need not be parsed a second time
        # Only the recordings and the sources' paths are needed, not the selections.
        root = parse_outline(data, f"{qdpx}: {qde}", ("TextSource", "PDFSource"))
        notes += [
            f"{what}: a recording without a transcript; skipped" for what in untranscribed(root)
        ]
        refs = read_media_refs(root)
        if not refs:
            return 0, notes
        with project.reading() as s:
            ids = {guid: sid for guid, sid in s.execute(select(Source.guid, Source.id))}
        for ref in refs:
            sid = ids.get(ref.source_guid)
            if sid is None:
                notes.append(f"{ref.name}: its transcript was not imported; recording skipped")
                continue
            file, why = _fetch(z, project, ref)
            if file is None:
                notes.append(f"{ref.name}: {why}; recording skipped")
                continue
            facts = _facts(file)
            if isinstance(facts, str):
                notes.append(f"{ref.name}: {facts}; recording skipped")
                continue
            if facts.note:
                notes.append(f"{ref.name}: recording {file} {facts.note}; linked anyway")
            links.append((sid, stored_path(project, file), facts, ref))
    if links:
        _store(project, links)
    return len(links), notes
