"""Read WebVTT (.vtt) and SubRip (.srt) caption files as transcripts.

Zoom, Teams and most transcription services export captions: many short
timed cues. For analysis we want turns, so cues are stripped of markup
(cue ids, settings, ``<v>``/``<c>``/``<i>`` tags, entities), attributed to a
speaker (Teams ``<v Name>`` voice tags or a Zoom ``Name:`` prefix) and
consecutive cues of the same speaker are merged into one turn.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from coder.ingest.decode import decode_text
from coder.ingest.render import render_utterances
from coder.ingest.turns import MAX_NAME_CHARS, LabelHit, accept_labels
from coder.vocab.transcript import IngestError, ParsedSource

_TIMING = re.compile(r"[ \t]*(?P<start>[0-9:.,]+)[ \t]*-->[ \t]*(?P<end>[0-9:.,]+)(?:[ \t].*)?")
_CLOCK = re.compile(r"(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{2})(?:[.,](?P<f>\d{1,3}))?")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+(?P<name>[^>]*)>")
_TAG = re.compile(r"</?[A-Za-z][^>\n]*>|<\d[\d:.]*>")
_CAPTION_NAME = r"[^\W\d_][\w'’.,()/@&\-]*(?:[ \t][\w'’.,()/@&\-]+){0,5}"
_PREFIX = re.compile(rf"(?P<name>{_CAPTION_NAME})[ \t]*:[ \t]+(?P<text>.+)", re.DOTALL)
_CUE_ID = re.compile(r"[\w\-/.:]*\d[\w\-/.:]*")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")
_FORMAT_NAMES = {"vtt": "WebVTT", "srt": "SRT"}


@dataclass(slots=True)
class _Cue:
    start: float
    lines: list[str]


def parse_captions(data: bytes, fmt: str) -> ParsedSource:
    """Parse a WebVTT or SRT file into speaker turns.

    Args:
        data: The whole file.
        fmt: ``"vtt"`` or ``"srt"``.

    Returns:
        Text with one ``"{speaker}: {utterance}"`` paragraph per turn (just
        the utterance when no speaker is known); timestamps are the start of
        each turn's first cue.

    Raises:
        IngestError: Undecodable or empty file, a malformed timing line, or
            no cues at all.
    """
    text, encoding = decode_text(data)
    lines = text.split("\n")
    if fmt == "vtt" and lines[0].startswith("WEBVTT"):
        lines[0] = ""
    cues = _read_cues(lines, fmt)
    if not cues:
        raise IngestError(f"no cues found in {_FORMAT_NAMES[fmt]} file")
    items = _attribute(cues)
    return render_utterances(_merge(items), fmt, encoding)


def _read_cues(lines: list[str], fmt: str) -> list[_Cue]:
    """Split the file into blank-line separated blocks and read their cues."""
    cues: list[_Cue] = []
    i = 0
    total = len(lines)
    while i < total:
        if not lines[i].strip():
            i += 1
            continue
        first = i
        while i < total and lines[i].strip():
            i += 1
        block = lines[first:i]
        head = block[0].strip()
        if fmt == "vtt" and head.split(maxsplit=1)[0] in _SKIPPED_BLOCKS:
            continue
        timings = [k for k, line in enumerate(block) if "-->" in line]
        if not timings:
            if cues:  # a stray blank line inside a cue: keep the text
                cues[-1].lines.extend(block)
            continue
        for n, k in enumerate(timings):
            stop = timings[n + 1] if n + 1 < len(timings) else len(block)
            text_lines = block[k + 1 : stop]
            if n + 1 < len(timings) and text_lines and _CUE_ID.fullmatch(text_lines[-1].strip()):
                text_lines = text_lines[:-1]  # the next cue's number or id
            cues.append(_Cue(_cue_start(block[k], first + k + 1), text_lines))
    return cues


def _cue_start(line: str, line_number: int) -> float:
    """Start time in seconds of a ``start --> end [settings]`` line."""
    m = _TIMING.fullmatch(line)
    if m is None:
        raise IngestError(f"bad cue timing on line {line_number}")
    start = _seconds(m.group("start"))
    end = _seconds(m.group("end"))
    if start is None or end is None:
        raise IngestError(f"bad cue timing on line {line_number}")
    return start


def _seconds(value: str) -> float | None:
    m = _CLOCK.fullmatch(value)
    if m is None:
        return None
    minutes, seconds = int(m.group("m")), int(m.group("s"))
    if seconds >= 60 or (m.group("h") is not None and minutes >= 60):
        return None
    fraction = float("0." + (m.group("f") or "0"))
    return int(m.group("h") or 0) * 3600 + minutes * 60 + seconds + fraction


def _clean(lines: list[str]) -> tuple[str | None, str]:
    """Voice name (if any) and plain text of one cue."""
    raw = " ".join(line.strip() for line in lines if line.strip())
    voice = _VOICE.search(raw)
    name = " ".join(html.unescape(voice.group("name")).split()) if voice else None
    body = " ".join(html.unescape(_TAG.sub("", raw)).split())
    return name or None, body


def _attribute(cues: list[_Cue]) -> list[tuple[str | None, str, float | None]]:
    """Give each cue a speaker: voice tag first, else a guarded prefix."""
    cleaned = [(cue.start, *_clean(cue.lines)) for cue in cues]
    prefixed: list[int] = []
    hits: list[LabelHit] = []
    for index, (_, voice, body) in enumerate(cleaned):
        if voice is None:
            m = _PREFIX.fullmatch(body)
            if m is not None and len(m.group("name")) <= MAX_NAME_CHARS:
                prefixed.append(index)
                hits.append(LabelHit(m.group("name").strip(), 0, None, shape="caption"))
    accepted = {index for index, ok in zip(prefixed, accept_labels(hits), strict=True) if ok}
    items: list[tuple[str | None, str, float | None]] = []
    for index, (start, voice, body) in enumerate(cleaned):
        speaker = voice
        if index in accepted:
            m = _PREFIX.fullmatch(body)
            if m is not None:
                speaker, body = m.group("name").strip(), m.group("text").strip()
        if body:
            items.append((speaker, body, start))
    return items


def _merge(
    items: list[tuple[str | None, str, float | None]],
) -> list[tuple[str | None, str, float | None]]:
    """Join consecutive cues of the same (known) speaker with a space."""
    groups: list[tuple[str | None, list[str], float | None]] = []
    for speaker, body, start in items:
        if groups and speaker is not None and groups[-1][0] == speaker:
            groups[-1][1].append(body)
        else:
            groups.append((speaker, [body], start))
    return [(speaker, " ".join(bodies), start) for speaker, bodies, start in groups]
