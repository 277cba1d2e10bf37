"""`coder media attach|show|detach`: the recording a transcript was made from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from coder.cli.params import PROJECT, emit_json, json_option, open_project


@click.group(short_help="link recordings (audio, video) to transcripts")
def media() -> None:
    """Link the audio or video a transcript was made from, so the workspace can play a passage
    from its time stamp. A recording with the transcript's name beside it (interview.vtt,
    interview.mp3) is linked at import by itself."""


def _line(info: Any) -> str:
    from coder.vocab.turns import clock

    length = clock(info.duration) if info.duration is not None else "length unknown"
    missing = "" if info.exists else " (file not found)"
    return f"{info.source}: {info.kind} {info.stored} ({length}, {info.mime}){missing}"


@media.command("attach", short_help="link a recording to a source")
@click.argument("project", type=PROJECT)
@click.argument("source")
@click.argument("file", type=click.Path(path_type=Path))
def attach(project: str, source: str, file: Path) -> int:
    """Link FILE (wav, mp3, m4a, ogg, opus, flac, mp4, mov, mkv, webm...) to SOURCE, replacing
    any recording it had. Its duration is checked against the transcript's last time stamp.
    The file is referenced, not copied: relative to the project's folder when inside it."""
    from coder.services.sources.media import attach_media

    with open_project(project) as opened:
        info = attach_media(opened, source, file)
    click.echo(f"attached {_line(info)}")
    if info.warning:
        click.echo(f"coder: warning: {file}: {info.warning}", err=True)
    return 0


@media.command("show", short_help="show a source's recording")
@click.argument("project", type=PROJECT)
@click.argument("source", required=False)
@json_option(
    "JSON with source, path, stored, kind, mime, duration, exists, last_timestamp, warning"
)
def show(project: str, source: str | None, as_json: bool) -> int:
    """Show SOURCE's recording, or every linked recording when no source is named."""
    from coder.services.sources.media import all_media, show_media

    with open_project(project) as opened:
        found = [show_media(opened, source)] if source else list(all_media(opened).values())
    if as_json:
        emit_json(found[0] if source else found)
        return 0
    for info in found:
        click.echo(_line(info))
        if info.warning:
            click.echo(f"  warning: {info.warning}")
    if not found:
        click.echo("no recordings linked")
    return 0


@media.command("detach", short_help="unlink a source's recording")
@click.argument("project", type=PROJECT)
@click.argument("source")
def detach(project: str, source: str) -> int:
    """Unlink SOURCE's recording (the file itself is not touched)."""
    from coder.services.sources.media import detach_media

    with open_project(project) as opened:
        info = detach_media(opened, source)
    click.echo(f"detached {info.stored} from {info.source}")
    return 0
