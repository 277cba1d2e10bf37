"""WebVTT (Zoom, Teams) and SRT caption files."""

from __future__ import annotations

import pytest

from coder.ingest import IngestError, parse_bytes

from .test_support import assert_invariants, utterances

ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
Dr. Jane Smith: Thanks for joining.

2
00:00:04.500 --> 00:00:07.000
Dr. Jane Smith: Let's begin
with the first question.

3
00:00:07.200 --> 00:00:09.000
Participant 2: Sure: ask away.

4
00:01:02.000 --> 00:01:05.000
Dr. Jane Smith: How long have you worked here?

5
00:01:05.000 --> 00:01:09.000
Participant 2: Ten years.
"""

TEAMS = """WEBVTT - exported by Teams
Kind: captions

NOTE
This is a comment
that spans lines.

STYLE
::cue { color: yellow }

3f2a1c9e-5b7d-4e21-9c0a-1d2e3f4a5b6c/17-0
00:00:01.000 --> 00:00:03.500 align:start position:10%
<v Smith, Jane>Good morning &amp; welcome.</v>

3f2a1c9e-5b7d-4e21-9c0a-1d2e3f4a5b6c/18-0
00:00:03.500 --> 00:00:05.000
<v Smith, Jane>Shall we <c.yellow>start</c>?</v>

3f2a1c9e-5b7d-4e21-9c0a-1d2e3f4a5b6c/19-0
00:00:05.000 --> 00:00:08.000
<v.loud Okafor, Ben>Yes &lt;finally&gt;.<00:00:06.000> <i>Let's</i>&nbsp;go.

00:00:08.000 --> 00:00:09.000
<v Smith, Jane>Great.</v>
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
Ann: <i>Hello</i> there.

2
00:00:04,000 --> 00:00:06,000
Ann: How are you?

3
00:01:02,500 --> 00:01:04,000
Bob: <b>Fine</b>,
thanks.

4
00:01:05,000 --> 00:01:06,000
Bob: And you?
"""


def test_zoom_vtt_drops_cue_numbers_and_merges_speakers() -> None:
    parsed = parse_bytes(ZOOM.encode(), ".vtt")
    assert_invariants(parsed)
    assert parsed.format == "vtt" and parsed.encoding == "utf-8"
    assert utterances(parsed) == [
        ("Dr. Jane Smith", "Thanks for joining. Let's begin with the first question."),
        ("Participant 2", "Sure: ask away."),
        ("Dr. Jane Smith", "How long have you worked here?"),
        ("Participant 2", "Ten years."),
    ]
    assert [t.timestamp for t in parsed.turns] == [1.0, 7.2, 62.0, 65.0]
    assert parsed.text.split("\n\n")[0] == (
        "Dr. Jane Smith: Thanks for joining. Let's begin with the first question."
    )
    assert "WEBVTT" not in parsed.text and "-->" not in parsed.text


def test_teams_vtt_voice_tags_and_uuid_ids() -> None:
    parsed = parse_bytes(TEAMS.encode(), ".vtt")
    assert_invariants(parsed)
    assert utterances(parsed) == [
        ("Smith, Jane", "Good morning & welcome. Shall we start?"),
        ("Okafor, Ben", "Yes <finally>. Let's go."),
        ("Smith, Jane", "Great."),
    ]
    assert [t.timestamp for t in parsed.turns] == [1.0, 5.0, 8.0]
    for dropped in ("3f2a1c9e", "NOTE", "comment", "yellow", "Kind", "align", "Teams"):
        assert dropped not in parsed.text


def test_srt_with_prefixes_and_tags() -> None:
    parsed = parse_bytes(SRT.replace("\n", "\r\n").encode("utf-8-sig"), ".srt")
    assert_invariants(parsed)
    assert parsed.format == "srt" and parsed.encoding == "utf-8-sig"
    assert utterances(parsed) == [
        ("Ann", "Hello there. How are you?"),
        ("Bob", "Fine, thanks. And you?"),
    ]
    assert [t.timestamp for t in parsed.turns] == [1.0, 62.5]


def test_captions_without_speakers_keep_one_turn_per_cue() -> None:
    data = (
        b"WEBVTT\n\n00:01.000 --> 00:02.000\nFirst line.\n\n00:02.000 --> 00:03.000\nSecond line.\n"
    )
    parsed = parse_bytes(data, ".vtt")
    assert_invariants(parsed)
    assert parsed.text == "First line.\n\nSecond line."
    assert utterances(parsed) == [(None, "First line."), (None, "Second line.")]


def test_srt_blocks_without_blank_lines_between() -> None:
    data = b"1\n00:00:01,000 --> 00:00:02,000\nA: one\n2\n00:00:02,000 --> 00:00:03,000\nB: two\n"
    data += b"3\n00:00:03,000 --> 00:00:04,000\nA: three\n4\n00:00:04,000 --> 00:00:05,000\nB: four"
    parsed = parse_bytes(data, ".srt")
    assert utterances(parsed) == [("A", "one"), ("B", "two"), ("A", "three"), ("B", "four")]


BAD_VTT = b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nok\n\n2\n00:00:xx --> 00:00:03.000\nbad\n"


@pytest.mark.parametrize(
    ("data", "suffix", "message"),
    [
        (b"WEBVTT\n\nNOTE nothing here\n", ".vtt", "no cues found in WebVTT file"),
        (b"WEBVTT\n", ".vtt", "no cues found in WebVTT file"),
        (b"just some words\n", ".srt", "no cues found in SRT file"),
        (BAD_VTT, ".vtt", "bad cue timing on line 8"),
        (b"1\n00:00:01,000 --> soon\nHello\n", ".srt", "bad cue timing on line 2"),
        (b"1\n00:00:61,000 --> 00:01:00,000\nHello\n", ".srt", "bad cue timing on line 2"),
    ],
    ids=["only-note", "header-only", "srt-no-cues", "vtt-timing", "srt-timing", "bad-seconds"],
)
def test_malformed_captions(data: bytes, suffix: str, message: str) -> None:
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, suffix)
    assert str(caught.value) == message
