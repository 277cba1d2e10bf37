"""Where a linked recording is kept, and writing the link: shared by `coder media attach` and
by transcript import, which links a recording found beside the transcript in the same
transaction as the source itself.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coder.db.models import SourceMedia, Turn
from coder.ingest.media import MediaFacts
from coder.services.project.store import Project


def project_folder(project: Project) -> Path | None:
    """The folder a project file lies in (None for a database URL)."""
    if "://" in project.target:
        return None
    return Path(project.target).resolve().parent


def stored_path(project: Project, file: Path) -> str:
    """How `file` is kept: relative to the project's folder when inside it, else absolute."""
    full = file.resolve()
    folder = project_folder(project)
    if folder is not None and full.is_relative_to(folder):
        return full.relative_to(folder).as_posix()
    return str(full)


def resolved_path(project: Project, stored: str) -> Path:
    """The file a stored path names."""
    path = Path(stored)
    folder = project_folder(project)
    if path.is_absolute() or folder is None:
        return path
    return folder / path


def last_timestamp(s: Session, source_id: int) -> float | None:
    """The latest turn time stamp of a source, if it has any."""
    found = s.scalar(select(func.max(Turn.timestamp)).where(Turn.source_id == source_id))
    return None if found is None else float(found)


def put_media(s: Session, source_id: int, stored: str, facts: MediaFacts) -> None:
    """Link (or re-link) a recording inside the caller's transaction."""
    row = s.get(SourceMedia, source_id)
    if row is None:
        row = SourceMedia(source_id=source_id)
        s.add(row)
    row.path, row.kind, row.mime, row.duration = stored, facts.kind, facts.mime, facts.duration
