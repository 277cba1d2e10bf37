"""Recordings linked to transcripts: attach, show, detach (issue 15).

A source has at most one recording. Its facts are read before any transaction (coder.ingest
.media), so a file that cannot be read stores nothing. The path is kept relative to the
project file's folder when the recording lies inside it, so a study folder can be moved or
shared whole; otherwise, and for projects on a server, it is kept absolute.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from coder.db.models import Source, SourceMedia
from coder.db.retry import retry_writes
from coder.ingest.media import MediaError, MediaFacts, overrun, read_media
from coder.services.project.store import Project
from coder.services.sources.media_store import (
    last_timestamp,
    put_media,
    resolved_path,
    stored_path,
)
from coder.services.sources.transcripts import find_source


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """A source's recording as the user sees it.

    Attributes:
        source: The source's name.
        path: Where the file is (absolute, resolved against the project's folder).
        stored: The path as kept in the project (relative when inside the project's folder).
        kind: "audio" or "video".
        mime: Its MIME type.
        duration: Seconds, or None when unknown.
        exists: Whether the file is there now.
        last_timestamp: The transcript's last time stamp, in seconds, if it has any.
        warning: One line when the transcript runs past the recording's end.
    """

    source: str
    path: str
    stored: str
    kind: str
    mime: str
    duration: float | None
    exists: bool
    last_timestamp: float | None
    warning: str | None


def _info(project: Project, s: Session, row: SourceMedia, name: str) -> MediaInfo:
    path = resolved_path(project, row.path)
    last = last_timestamp(s, row.source_id)
    return MediaInfo(
        source=name,
        path=str(path),
        stored=row.path,
        kind=row.kind,
        mime=row.mime,
        duration=row.duration,
        exists=path.is_file(),
        last_timestamp=last,
        warning=overrun(row.duration, last),
    )


@retry_writes
def _store(project: Project, source_id: int, stored: str, facts: MediaFacts) -> MediaInfo:
    with project.transaction() as s:
        put_media(s, source_id, stored, facts)
        s.flush()
        row = s.get(SourceMedia, source_id)
        name = s.scalar(select(Source.name).where(Source.id == source_id))
        assert row is not None and name is not None
        return _info(project, s, row, name)


def attach_media(project: Project, source_ref: str | int, file: Path) -> MediaInfo:
    """Link the recording `file` to a source, replacing any recording it had.

    Raises:
        MediaError: the file is missing or not a readable recording (nothing is stored).
        SourceError: no such source.
    """
    source = find_source(project, source_ref)
    facts = read_media(file)
    return _store(project, source.id, stored_path(project, file), facts)


def media_of(project: Project, source_id: int) -> MediaInfo | None:
    """A source's recording, or None."""
    with project.reading() as s:
        row = s.get(SourceMedia, source_id)
        if row is None:
            return None
        name = s.scalar(select(Source.name).where(Source.id == source_id)) or ""
        return _info(project, s, row, name)


def all_media(project: Project) -> dict[int, MediaInfo]:
    """Every linked recording, by source id."""
    with project.reading() as s:
        rows = s.execute(
            select(SourceMedia, Source.name).join(Source, Source.id == SourceMedia.source_id)
        ).all()
        return {row.source_id: _info(project, s, row, name) for row, name in rows}


def show_media(project: Project, source_ref: str | int) -> MediaInfo:
    """The recording of the source `source_ref` names.

    Raises:
        MediaError: the source has no recording.
    """
    source = find_source(project, source_ref)
    found = media_of(project, source.id)
    if found is None:
        raise MediaError(f"{source.name}: no recording attached")
    return found


@retry_writes
def detach_media(project: Project, source_ref: str | int) -> MediaInfo:
    """Unlink a source's recording (the file itself is left alone) and return what it was.

    Raises:
        MediaError: the source has no recording.
    """
    found = show_media(project, source_ref)
    source = find_source(project, source_ref)
    with project.transaction() as s:
        row = s.get(SourceMedia, source.id)
        if row is not None:
            s.delete(row)
    return found
