"""Which files are recordings: the audio and video name endings coder links to transcripts,
with the MIME type each implies. Shared by the readers (duration), the REFI-QDA exchange
(AudioSource or VideoSource, and embedded media members) and the services.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Literal

MediaKind = Literal["audio", "video"]

AUDIO: dict[str, str] = {
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".opus": "audio/opus",
    ".flac": "audio/flac",
    ".aif": "audio/aiff",
    ".aiff": "audio/aiff",
    ".wma": "audio/x-ms-wma",
}
VIDEO: dict[str, str] = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".mkv": "video/x-matroska",
    ".webm": "video/webm",
    ".avi": "video/x-msvideo",
    ".wmv": "video/x-ms-wmv",
    ".ogv": "video/ogg",
}
MEDIA_SUFFIXES = (*AUDIO, *VIDEO)
"""Every file name ending coder takes as a recording, audio first."""


def media_kind(path: PurePath) -> tuple[MediaKind, str] | None:
    """The kind and MIME type a file's name implies, or None if it is not a recording."""
    ext = path.suffix.lower()
    if ext in AUDIO:
        return "audio", AUDIO[ext]
    if ext in VIDEO:
        return "video", VIDEO[ext]
    return None
