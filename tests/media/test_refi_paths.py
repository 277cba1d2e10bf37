"""Reading recordings' paths from a project.qde: absolute, relative to basePath, internal;
file names taken from it never leave the folder they are unpacked into."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from coder.refi.media import MediaIn, external_file, original_name, untranscribed


def ref(path: str, name: str = "Talk", current: str | None = None, base: str | None = None):  # type: ignore[no-untyped-def]
    return MediaIn("g", "audio", name, path, current, base, ())


def test_paths() -> None:
    assert external_file(ref("absolute:///data/talk.mp3")) == Path("/data/talk.mp3")
    assert external_file(ref("absolute:///C:/PROJECT/talk.mp3")) == Path("C:/PROJECT/talk.mp3")
    assert external_file(ref("relative:///AR/j.mp4", base="/srv/s")) == Path("/srv/s/AR/j.mp4")
    assert external_file(ref("internal://abc.mp3")) is None


def test_unpacked_names_stay_in_their_folder() -> None:
    assert (
        original_name(ref("internal://x.wav", current="absolute:///a/b/Talk 1.wav")) == "Talk 1.wav"
    )
    assert original_name(ref("internal://x.wav", name="../../evil")) == "evil.wav"
    for name in ("..", "../..", ".", ""):
        got = original_name(ref("internal://x.wav", name=name))
        assert "/" not in got and got.strip(". ") and got.endswith(".wav")


def test_recordings_without_transcript_are_named() -> None:
    root = etree.fromstring(
        b'<Project xmlns="urn:QDA-XML:project:1.0"><Sources>'
        b'<AudioSource guid="00000000-0000-0000-0000-000000000001" name="Lone" path="absolute:///x.mp3"/>'
        b"</Sources></Project>"
    )
    assert untranscribed(root) == ["AudioSource 'Lone'"]
