"""Recordings in REFI-QDA: AudioSource with its Transcript and SyncPoints, valid against
Project.xsd; inside the .qdpx with --with-media or referenced by absolute path; read back into
a new project with the recordings linked and the turns' time stamps restored."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from coder.cli import main
from coder.refi.xml import NS_PROJECT
from coder.services.project.store import Project
from coder.services.sources.media import all_media, attach_media
from coder.services.sources.transcripts import find_source, get_source, list_sources
from tests.export.conftest import assert_valid
from tests.media.conftest import make_wav

P = f"{{{NS_PROJECT}}}"
SOURCE = "P03_label_c_director"


def _with_recording(coded_path: Path) -> tuple[Path, list[tuple[int, float]]]:
    wav = make_wav(coded_path.parent / "p03.wav", 3.0)
    with Project.open(coded_path) as p:
        attach_media(p, SOURCE, wav)
        src = get_source(p, find_source(p, SOURCE).id)
        stamps = [(t.start, t.timestamp) for t in src.turns if t.timestamp is not None]
    assert len(stamps) > 3
    return wav, stamps


def _qde(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("project.qde"))


@pytest.mark.parametrize("embed", [False, True])
def test_export_carries_the_recording(  # type: ignore[no-untyped-def]
    coded_path: Path, tmp_path: Path, project_schema, embed: bool
) -> None:
    wav, stamps = _with_recording(coded_path)
    out = tmp_path / "out.qdpx"
    args = ["export", "qdpx", str(coded_path), "-o", str(out)]
    assert main(args + (["--with-media"] if embed else [])) == 0
    with zipfile.ZipFile(out) as z:
        qde = z.read("project.qde")
        names = z.namelist()
    assert_valid(project_schema, qde)
    root = etree.fromstring(qde)
    [audio] = root.iter(f"{P}AudioSource")
    [transcript] = audio.iter(f"{P}Transcript")
    text_paths = {t.get("plainTextPath") for t in root.iter(f"{P}TextSource")}
    assert transcript.get("plainTextPath") in text_paths  # the same text, one source
    syncs = [(int(s.get("position")), int(s.get("timeStamp"))) for s in transcript]
    assert syncs == [(pos, round(ts * 1000)) for pos, ts in stamps]
    if embed:
        member = audio.get("path").removeprefix("internal://")
        assert f"sources/{member}" in names and member.endswith(".wav")
        assert audio.get("currentPath") == f"absolute://{wav.resolve()}"
    else:
        assert audio.get("path") == f"absolute://{wav.resolve()}"
        assert not any(n.endswith(".wav") for n in names)


@pytest.mark.parametrize("embed", [False, True])
def test_round_trip_links_the_recording_and_its_times(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], embed: bool
) -> None:
    wav, stamps = _with_recording(coded_path)
    out = tmp_path / "out.qdpx"
    args = ["export", "qdpx", str(coded_path), "-o", str(out)]
    assert main(args + (["--with-media"] if embed else [])) == 0
    if embed:
        wav.unlink()  # the copy inside the file is the one that counts
    target = tmp_path / "back" / "again.coder"
    target.parent.mkdir()
    capsys.readouterr()
    assert main(["import-project", str(target), str(out)]) == 0
    said, err = capsys.readouterr()
    assert said.rstrip().endswith(", 1 recordings") and "skipped" not in err
    with Project.open(coded_path) as before, Project.open(target) as after:
        assert len(list_sources(after)) == len(list_sources(before))
        [media] = all_media(after).values()
        assert media.source == SOURCE and media.exists
        assert media.duration == pytest.approx(3.0, abs=0.01)
        if embed:
            assert media.stored == "again.media/p03.wav"
        else:
            assert Path(media.path) == wav.resolve()
        src = get_source(after, find_source(after, SOURCE).id)
        assert [(t.start, t.timestamp) for t in src.turns if t.timestamp is not None] == stamps


def test_missing_recording_refused_with_media_nothing_written(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wav, _ = _with_recording(coded_path)
    wav.unlink()
    out = tmp_path / "out.qdpx"
    assert main(["export", "qdpx", str(coded_path), "-o", str(out), "--with-media"]) == 1
    err = capsys.readouterr().err
    assert err == f"coder: {wav.resolve()}: recording not found; cannot put it in the .qdpx\n"
    assert not out.exists()
    # referenced by path, a missing recording is no obstacle
    assert main(["export", "qdpx", str(coded_path), "-o", str(out)]) == 0


def test_pseudonymised_export_leaves_recordings_out(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_recording(coded_path)
    out = tmp_path / "out.qdpx"
    args = ["export", "qdpx", str(coded_path), "-o", str(out), "--with-media", "--pseudonymise"]
    assert main(args) == 0
    assert "recordings are left out" in capsys.readouterr().err
    root = _qde(out)
    assert not list(root.iter(f"{P}AudioSource"))
    assert not any(n.endswith(".wav") for n in zipfile.ZipFile(out).namelist())


def test_embedded_recording_missing_from_the_file_is_said(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_recording(coded_path)
    out, broken = tmp_path / "out.qdpx", tmp_path / "broken.qdpx"
    assert main(["export", "qdpx", str(coded_path), "-o", str(out), "--with-media"]) == 0
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            if not name.endswith(".wav"):
                dst.writestr(name, src.read(name))
    target = tmp_path / "again.coder"
    capsys.readouterr()
    assert main(["import-project", str(target), str(broken)]) == 0
    err = capsys.readouterr().err
    assert (
        "p03.wav: cannot unpack it: " in err and "is not inside the file; recording skipped" in err
    )
    with Project.open(target) as p:
        assert all_media(p) == {} and len(list_sources(p)) == 12
