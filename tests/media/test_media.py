"""Recordings linked to transcripts: `coder media attach|show|detach`, linking at import,
the duration check, and refusals that store nothing; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from coder.cli import main
from coder.ingest.media import MediaError, read_media, sibling_media
from coder.services.project.store import Project
from coder.services.sources.media import attach_media, detach_media, media_of, show_media
from coder.services.sources.transcripts import find_source, get_source, import_files
from tests.media.conftest import make_vtt


def test_wav_facts_read_from_a_real_file(recording: Callable[..., Path]) -> None:
    facts = read_media(recording(seconds=2.0))
    assert (facts.kind, facts.mime) == ("audio", "audio/wav")
    assert facts.duration == pytest.approx(2.0, abs=0.01)


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("talk.mp3", b"not an mp3 at all" * 20, "not a readable recording"),
        ("talk.wav", b"", "the file is empty"),
        ("talk.txt", b"hello", "not an audio or video file"),
    ],
)
def test_bad_files_refused_in_one_line(tmp_path: Path, name: str, data: bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(MediaError) as err:
        read_media(path)
    assert says in str(err.value) and "\n" not in str(err.value)
    assert str(err.value).startswith(str(path))


def test_attach_show_detach(
    project: Project, tmp_path: Path, recording: Callable[..., Path]
) -> None:
    [out] = import_files(project, [make_vtt(tmp_path / "ana.vtt")])
    assert out.status == "imported" and "recording" not in out.message
    wav = recording("elsewhere.wav", 5.0)
    info = attach_media(project, "ana", wav)
    assert (info.kind, info.exists, info.warning) == ("audio", True, None)
    assert info.duration == pytest.approx(5.0, abs=0.01)
    assert info.last_timestamp == pytest.approx(3.5)
    again = media_of(project, find_source(project, "ana").id)
    assert again is not None and Path(again.path) == wav.resolve()
    assert show_media(project, "ana") == again
    detach_media(project, "ana")
    assert media_of(project, out.source_id or 0) is None
    assert wav.exists()  # detaching leaves the file alone


def test_recording_beside_transcript_linked_at_import(
    sqlite_project: Project, tmp_path: Path, recording: Callable[..., Path]
) -> None:
    wav = recording("ana.wav", 5.0)
    vtt = make_vtt(tmp_path / "ana.vtt")
    assert sibling_media(vtt) == wav
    [out] = import_files(sqlite_project, [vtt])
    assert out.message == "recording ana.wav attached (00:05)"
    info = media_of(sqlite_project, out.source_id or 0)
    # the project file is in the same folder, so the link is relative and survives a move
    assert info is not None and info.stored == "ana.wav"


def test_transcript_past_the_end_warns(
    sqlite_project: Project, tmp_path: Path, recording: Callable[..., Path]
) -> None:
    recording("ana.wav", 2.0)
    [out] = import_files(sqlite_project, [make_vtt(tmp_path / "ana.vtt", last=9.0)])
    assert out.status == "imported"
    assert out.message == (
        "recording ana.wav attached (00:02); "
        "warning: the transcript runs to 00:09 but the recording is only 00:02 long"
    )


def test_unreadable_recording_beside_transcript_is_not_linked(
    sqlite_project: Project, tmp_path: Path
) -> None:
    (tmp_path / "ana.mp3").write_bytes(b"garbage" * 50)
    [out] = import_files(sqlite_project, [make_vtt(tmp_path / "ana.vtt")])
    assert out.status == "imported"
    assert out.message.startswith("recording ana.mp3 not attached: not a readable recording")
    assert media_of(sqlite_project, out.source_id or 0) is None


def test_cli_attach_show_detach(
    tmp_path: Path, recording: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    proj = str(tmp_path / "p.coder")
    assert main(["init", proj]) == 0
    vtt = make_vtt(tmp_path / "talk.vtt", last=9.0)
    assert main(["import", proj, str(vtt)]) == 0
    (tmp_path / "sub").mkdir()
    wav = recording("sub/rec.wav", 2.0)
    capsys.readouterr()
    assert main(["media", "attach", proj, "talk", str(wav)]) == 0
    out, err = capsys.readouterr()
    assert out == "attached talk: audio sub/rec.wav (00:02, audio/wav)\n"
    assert err == (
        f"coder: warning: {wav}: the transcript runs to 00:09 but the recording is only "
        "00:02 long\n"
    )
    assert main(["media", "show", proj, "talk", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["stored"] == "sub/rec.wav" and shown["duration"] == pytest.approx(2.0, abs=0.01)
    assert main(["media", "detach", proj, "talk"]) == 0
    assert capsys.readouterr().out == "detached sub/rec.wav from talk\n"
    assert main(["media", "show", proj, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_cli_refusals_store_nothing(
    tmp_path: Path, recording: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    proj = str(tmp_path / "p.coder")
    main(["init", proj])
    main(["import", proj, str(make_vtt(tmp_path / "talk.vtt"))])
    bad = tmp_path / "x.mp3"
    bad.write_bytes(b"nope" * 100)
    capsys.readouterr()
    for args, says in [
        (["talk", str(bad)], f"coder: {bad}: not a readable recording"),
        (["talk", str(tmp_path / "none.wav")], f"coder: {tmp_path / 'none.wav'}: no such file"),
        (["nobody", str(recording())], "coder: no source named 'nobody'"),
    ]:
        assert main(["media", "attach", proj, *args]) == 1
        err = capsys.readouterr().err
        assert err.startswith(says) and err.count("\n") == 1
    with Project.open(proj) as p:
        assert media_of(p, find_source(p, "talk").id) is None
        assert get_source(p, find_source(p, "talk").id).turns[-1].timestamp == 3.5


def test_pseudonymised_copy_drops_recordings(
    tmp_path: Path, recording: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    proj, shared = tmp_path / "p.coder", tmp_path / "shared.coder"
    recording("ana.wav", 5.0)
    main(["init", str(proj)])
    main(["import", str(proj), str(make_vtt(tmp_path / "ana.vtt"))])
    assert main(["pseudonymise", str(proj), "--out", str(shared)]) == 0
    with Project.open(shared) as p:
        assert media_of(p, find_source(p, 1).id) is None
    with Project.open(proj) as p:
        assert media_of(p, find_source(p, "ana").id) is not None


@pytest.mark.parametrize("ext", ["flac", "ogg", "aiff"])
def test_compressed_recordings_made_by_sox(tmp_path: Path, ext: str) -> None:
    """Durations of real FLAC, Ogg Vorbis and AIFF files, when sox (a system package) is
    there to make them."""
    import shutil
    import subprocess

    sox = shutil.which("sox")
    if sox is None:
        pytest.skip("sox is not installed (apt install sox)")
    path = tmp_path / f"tone.{ext}"
    made = subprocess.run(
        [sox, "-n", "-r", "8000", "-c", "1", str(path), "synth", "2.5", "sine", "440"],
        capture_output=True,
    )
    if made.returncode != 0:
        pytest.skip(f"this sox cannot write .{ext}")
    facts = read_media(path)
    assert facts.kind == "audio" and facts.duration == pytest.approx(2.5, abs=0.05)


def test_import_of_a_folder_links_recordings_instead_of_failing_on_them(
    tmp_path: Path, recording: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    proj = str(tmp_path / "p.coder")
    main(["init", proj])
    wav, lone = recording("ana.wav", 5.0), recording("lone.wav", 1.0)
    vtt = make_vtt(tmp_path / "ana.vtt")
    capsys.readouterr()
    assert main(["import", "-q", proj, str(vtt), str(wav)]) == 0
    out, err = capsys.readouterr()
    assert out == "imported 1 of 1 files, 12 words, 3 turns\n"
    assert err == f"{vtt.name}: recording ana.wav attached (00:05)\n"
    assert main(["import", proj, str(lone)]) == 1
    assert capsys.readouterr().err.startswith(f"coder: {lone}: a recording, not a transcript")
