"""Reading what a recording is: audio or video, its MIME type and its duration.

A transcript's recording is linked, never imported: coder only needs to know its kind (for
REFI-QDA's AudioSource or VideoSource), its MIME type and how long it runs (to check that the
transcript's last time stamp falls inside it). Nothing is decoded and nothing is downloaded.

The duration comes from mutagen, a small pure-Python library that reads the headers of WAV,
MP3, Ogg/Opus, FLAC, AIFF, MP4/M4A/MOV and ASF/WMA files without decoding them, so the answer
is the same on every machine. Containers mutagen does not know (Matroska, WebM, AVI) are asked
of ffprobe or mediainfo when either is on PATH; otherwise the duration is left unknown, which
is said, not refused. A file mutagen knows but cannot parse is refused: it is not what its
name says.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from coder.errors import UserError
from coder.vocab.media import MEDIA_SUFFIXES, MediaKind, media_kind
from coder.vocab.turns import clock

# mutagen reads these containers; for the others an external probe is asked, if there is one
_MUTAGEN = {
    ".wav",
    ".mp3",
    ".m4a",
    ".aac",
    ".ogg",
    ".oga",
    ".opus",
    ".flac",
    ".aif",
    ".aiff",
    ".wma",
    ".mp4",
    ".m4v",
    ".mov",
    ".wmv",
    ".ogv",
}
PROBE_SECONDS = 20


class MediaError(UserError):
    """A recording that cannot be linked (one line naming the file)."""


@dataclass(frozen=True, slots=True)
class MediaFacts:
    """What a recording is.

    Attributes:
        kind: "audio" or "video".
        mime: The MIME type its name implies.
        duration: Seconds, or None where no reader on this machine could tell.
        note: Why the duration is unknown, when it is.
    """

    kind: MediaKind
    mime: str
    duration: float | None
    note: str = ""


def _mutagen_length(path: Path) -> float | None:
    import mutagen

    try:
        found = mutagen.File(path)
    except (mutagen.MutagenError, OSError, ValueError, EOFError) as exc:
        raise MediaError(f"{path}: not a readable recording ({exc})") from exc
    if found is None or found.info is None:
        raise MediaError(f"{path}: not a readable recording (unknown header)")
    length = float(getattr(found.info, "length", 0.0) or 0.0)
    return length if length > 0 else None


def _probe_length(path: Path) -> float | None:
    """Ask ffprobe, then mediainfo, when either is installed."""
    runs: list[tuple[list[str], str]] = []
    ffprobe = shutil.which("ffprobe")
    if ffprobe:
        runs.append(([ffprobe, "-v", "error", "-of", "json", "-show_format", str(path)], "ff"))
    mediainfo = shutil.which("mediainfo")
    if mediainfo:
        runs.append(([mediainfo, "--Output=JSON", str(path)], "mi"))
    for argv, how in runs:
        try:
            out = subprocess.run(
                argv,
                capture_output=True,
                timeout=PROBE_SECONDS,
                check=True,
                stdin=subprocess.DEVNULL,
            ).stdout
            data = json.loads(out)
            if how == "ff":
                return float(data["format"]["duration"])
            general = [t for t in data["media"]["track"] if t.get("@type") == "General"]
            return float(general[0]["Duration"])
        except (OSError, subprocess.SubprocessError, ValueError, KeyError, IndexError, TypeError):
            continue
    return None


def read_media(path: Path) -> MediaFacts:
    """Kind, MIME type and duration of the recording at `path`.

    Raises:
        MediaError: the file is missing, empty, not named as a recording, or unreadable.
    """
    kind = media_kind(path)
    if kind is None:
        known = ", ".join(MEDIA_SUFFIXES)
        raise MediaError(f"{path}: not an audio or video file coder knows ({known})")
    if not path.is_file():
        raise MediaError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise MediaError(f"{path}: the file is empty")
    if path.suffix.lower() in _MUTAGEN:
        return MediaFacts(kind[0], kind[1], _mutagen_length(path))
    length = _probe_length(path)
    note = "" if length is not None else "duration unknown: install ffmpeg (ffprobe) to read it"
    return MediaFacts(kind[0], kind[1], length, note)


def sibling_media(transcript: Path) -> Path | None:
    """A recording beside `transcript` with the same stem (interview.vtt -> interview.mp3)."""
    for ext in MEDIA_SUFFIXES:
        for candidate in (transcript.with_suffix(ext), transcript.with_suffix(ext.upper())):
            if candidate.is_file():
                return candidate
    return None


def overrun(duration: float | None, last_stamp: float | None, slack: float = 1.0) -> str | None:
    """A one-line warning when the transcript's last time stamp lies past the recording's
    end (`slack` seconds allowed for rounding), else None."""
    if duration is None or last_stamp is None or last_stamp <= duration + slack:
        return None
    return (
        f"the transcript runs to {clock(last_stamp)} but the recording is only "
        f"{clock(duration)} long"
    )
