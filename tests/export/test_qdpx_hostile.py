"""Malformed or hostile .qdpx files are refused with one line, and leave nothing behind."""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

import pytest

from coder.cli import main
from coder.refi.qdpx_read import read_qdpx
from coder.refi.qdpx_zip import QdpxLimits, SafeZip
from coder.refi.xml import RefiError
from coder.services.project.store import Project
from tests.export import refi_fixtures as fx

GOOD_QDE = """<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x">
  <Sources>
    <TextSource guid="acd630d1-1dde-4661-ac92-79d8bf18ff86" name="Doc"
      plainTextPath="{path}"/>
  </Sources>
</Project>
"""
BOMB = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&c;"/>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>
"""


def raw_zip(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def qde_with(path: str, extra: list[tuple[str, bytes]] | None = None) -> bytes:
    return raw_zip([("project.qde", GOOD_QDE.format(path=path).encode()), *(extra or [])])


CASES = {
    "not a zip": (b"this is not a zip file at all", "not a zip file"),
    "empty zip": (raw_zip([]), "no project.qde"),
    "no project.qde": (raw_zip([("sources/a.txt", b"hello")]), "no project.qde"),
    "entity expansion": (raw_zip([("project.qde", BOMB.encode())]), "DOCTYPE"),
    "external entity": (raw_zip([("project.qde", EXTERNAL.encode())]), "DOCTYPE"),
    "utf-16 doctype": (
        raw_zip(
            [("project.qde", BOMB.replace('"1.0"?', '"1.0" encoding="UTF-16"?').encode("utf-16"))]
        ),
        "DOCTYPE",
    ),
    "zip-slip member": (
        qde_with("internal://a.txt", [("../../evil.txt", b"x")]),
        "escape the project folder",
    ),
    "absolute member": (
        qde_with("internal://a.txt", [("/etc/evil.txt", b"x")]),
        "escape the project folder",
    ),
    "drive letter member": (
        qde_with("internal://a.txt", [("C:\\evil.txt", b"x")]),
        "escape the project folder",
    ),
    "backslash slip member": (
        qde_with("internal://a.txt", [("sources\\..\\..\\evil", b"x")]),
        "escape the project folder",
    ),
    "internal path escapes": (qde_with("internal://../../etc/passwd"), "escape the project folder"),
    "not xml": (raw_zip([("project.qde", b"\x00\x01binary")]), "not well-formed"),
    "wrong root": (raw_zip([("project.qde", b"<CodeBook/>")]), "not a REFI-QDA project"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_with_one_line_and_no_project_left(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, message = CASES[case]
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(data)
    target = tmp_path / "new.coder"
    code = main(["import-project", str(target), str(bad)])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("coder: ") and err.count("\n") == 1, err
    assert message in err
    assert not target.exists()
    assert not (tmp_path / "evil.txt").exists()


def test_huge_member_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    bad = tmp_path / "huge.qdpx"
    bad.write_bytes(qde_with("internal://a.txt", [("sources/a.txt", b"x" * 5000)]))
    with pytest.raises(RefiError, match="too big"):
        read_qdpx(bad, QdpxLimits(max_source_bytes=4096))
    with pytest.raises(RefiError, match="unpacks to"):
        read_qdpx(bad, QdpxLimits(max_total_bytes=4096))
    with pytest.raises(RefiError, match="members"):
        read_qdpx(bad, QdpxLimits(max_members=1))


def test_streamed_reads_are_capped_whatever_the_header_says(tmp_path: Path) -> None:
    bad = tmp_path / "bomb.qdpx"
    bad.write_bytes(qde_with("internal://a.txt", [("sources/a.txt", b"\0" * 3_000_000)]))
    with SafeZip(bad) as z:
        object.__setattr__(z, "limits", QdpxLimits(max_source_bytes=1_000_000))
        with pytest.raises(RefiError, match="inflates past"):
            z.read("sources/a.txt")


def test_default_limits_accept_the_real_thing(tmp_path: Path) -> None:
    good = tmp_path / "nvivo.qdpx"
    good.write_bytes(fx.nvivo())
    assert len(read_qdpx(good).sources) == 2


def test_external_and_missing_texts_are_reported_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me", "utf-8")
    for path in (f"absolute://{secret}", "relative:///secret.txt", "internal://missing.txt"):
        f = tmp_path / "ext.qdpx"
        f.write_bytes(qde_with(path))
        proj = read_qdpx(f)
        assert proj.sources == ()
        assert len(proj.warnings) == 1 and "skipped" in proj.warnings[0]


def test_failed_import_into_existing_project_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "p.coder"
    Project.create(target).close()
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(CASES["entity expansion"][0])
    assert main(["import-project", str(target), str(bad)]) == 1
    capsys.readouterr()
    assert target.exists()
    with Project.open(target) as p:
        assert p.counts()["sources"] == 0


def test_a_streamed_project_qde_is_capped_and_stops_its_reading_thread(tmp_path: Path) -> None:
    """The project.qde is inflated by a thread ahead of the parser (SafeZip.stream): past its
    cap it is refused in one line, whatever its header says, and the thread is gone."""
    bad = tmp_path / "bomb.qdpx"
    body = b"<Project>" + b" " * 3_000_000 + b"</Project>"
    bad.write_bytes(raw_zip([("project.qde", body)]))
    with SafeZip(bad) as z:
        object.__setattr__(z, "limits", QdpxLimits(max_qde_bytes=1_000_000))
        with (
            pytest.raises(RefiError, match="inflates past") as caught,
            z.stream("project.qde") as c,
        ):
            list(c)
    assert "\n" not in str(caught.value)
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]


def test_a_damaged_project_qde_is_refused_in_one_line_and_leaves_no_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = raw_zip([("project.qde", GOOD_QDE.format(path="internal://a.txt").encode() * 50)])
    bad = tmp_path / "damaged.qdpx"
    at = good.index(b"project.qde") + len(b"project.qde") + 40  # inside the deflated data
    bad.write_bytes(good[:at] + bytes(b ^ 0x5A for b in good[at : at + 30]) + good[at + 30 :])
    target = tmp_path / "new.coder"
    assert main(["import-project", str(target), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("damaged" in err or "well-formed" in err), err
    assert not list(tmp_path.glob("new.coder*"))
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
