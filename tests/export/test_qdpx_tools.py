"""Projects written by NVivo, ATLAS.ti, MAXQDA, QualCoder and Transana import cleanly."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from coder.cli import main
from coder.refi.codebook import parse_qdc
from coder.services.codebook.codes import PALETTE, flat_codes
from coder.services.codebook.memos import list_memos
from coder.services.coding.codings import codings_for_source
from coder.services.project.check import check_project
from coder.services.project.store import Project
from coder.services.sources.cases import list_attributes, list_cases
from coder.services.sources.transcripts import get_source, list_sources
from tests.export import refi_fixtures as fx
from tests.export.conftest import assert_valid


def imported(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> tuple[Project, str]:
    qdpx = tmp_path / f"{name}.qdpx"
    qdpx.write_bytes(fx.TOOLS[name]())
    target = tmp_path / f"{name}.coder"
    code = main(["import-project", str(target), str(qdpx)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return Project.open(target), err


def codings(p: Project) -> dict[str, list[tuple[str, str, str]]]:
    """source name -> [(code, snippet, memo)]"""
    out = {}
    for s in list_sources(p):
        out[s.name] = [(c.code_name, c.snippet, c.memo) for c in codings_for_source(p, s.id)]
    return out


@pytest.mark.parametrize("name", ["nvivo", "qualcoder"])
def test_fixtures_of_schema_valid_tools_are_valid(name: str, project_schema) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(io.BytesIO(fx.TOOLS[name]())) as z:
        assert_valid(project_schema, z.read("project.qde"))


def test_nvivo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p, warnings = imported(tmp_path, "nvivo", capsys)
    with p:
        got = codings(p)
        assert got["Anna interview"] == [
            ("Approaching", "We post studio diaries every week.", ""),
            ("Reacting", "I answer every comment myself", "Replies the same night."),
        ]
        assert got["Ben interview"] == [("Spreading", "Fans post covers of our songs", "")]
        text = get_source(p, list_sources(p)[0].id).text
        assert "\r" not in text and not text.startswith("\ufeff")
        anna = next(c for c in list_cases(p) if c.name == "Anna")
        assert anna.description == "Label owner"
        assert anna.values == {
            "Gender": "Female",
            "Age": 34,
            "Interviewed": date(2013, 3, 14),
            "Consent": "true",
        }
        types = {a.name: a.type for a in list_attributes(p)}
        assert types == {
            "Gender": "text",
            "Age": "integer",
            "Interviewed": "date",
            "Consent": "text",
        }
        codes = {c.name: c for c in flat_codes(p)}
        assert codes["Bonding"].guid == "0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9"
        assert codes["Approaching"].parent_id == codes["Bonding"].id
        assert codes["Reacting"].color in PALETTE  # NVivo left it out
        memos = {(m.kind, m.title, m.text) for m in list_memos(p)}
        assert memos == {
            ("code", "Bonding memo", "Most labels talk about this first."),
            ("project", "Research plan", "Ten labels, twelve interviews."),
        }
        assert check_project(p).ok
        assert list_sources(p)[0].case_name == "Anna"
        assert any(t.speaker == "Anna" for t in get_source(p, list_sources(p)[0].id).turns)
    assert warnings == ""


def test_atlas_ti(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p, warnings = imported(tmp_path, "atlas", capsys)
    with p:
        assert codings(p) == {
            "Anna interview.docx": [
                (
                    "Coke::diet Coke",
                    "Fans love the demos.",
                    "Typical of small labels\n\nThis one says it all.",
                )
            ]
        }
        assert [c.name for c in flat_codes(p)] == ["Coke", "Coke::diet Coke"]
        assert flat_codes(p)[0].color == "#f00082"
        assert check_project(p).ok
    assert "1 PictureSource skipped" in warnings and warnings.count("\n") == 1


def test_maxqda(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p, _ = imported(tmp_path, "maxqda", capsys)
    with p:
        assert sorted(s.name for s in list_sources(p)) == ["Interview", "Interview (2)"]
        cases = {c.name: c for c in list_cases(p)}
        assert cases["Interview"].values == {"Role": "Owner", "Staff": 4}
        assert cases["Interview (2)"].values == {"Role": "Manager"}
        codes = {c.name: c for c in flat_codes(p)}
        assert codes["Engagement"].color == "#cc3333"
        assert codes["Sharing"].color == "#3333cc"
        assert codes["Replies"].guid == "a1b2c3d4-e5f6-4711-8899-aabbccddee00"
        got = codings(p)
        assert got["Interview"] == [("Replies", "I answer every comment myself", "")]
        assert got["Interview (2)"] == [("Sharing", "we share them on our page", "")]
        assert check_project(p).ok


def test_qualcoder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p, _ = imported(tmp_path, "qualcoder", capsys)
    with p:
        codes = {c.name: c for c in flat_codes(p)}
        assert not codes["Spreading"].codable and codes["Freedom of expression"].codable
        assert codes["Spreading"].description == "A category: passing music around."
        assert codes["Whole interview"].color in PALETTE
        got = codings(p)["covers.txt"]
        text = fx.TEXT_B
        assert ("Freedom of expression", "Fans post covers of our songs", "") in got
        assert ("Freedom of expression", text[text.index("Fans") :], "") in got  # clamped
        assert ("Whole interview", text, "") in got
        assert [c.name for c in list_cases(p)] == ["P02"]
        assert list_cases(p)[0].values == {"Label": "B"}
        memos = {(m.kind, m.title, m.text) for m in list_memos(p)}
        assert memos == {
            ("project", "Journal 1", "Started coding."),
            ("source", "Description", "Phone interview"),
        }
        assert check_project(p).ok


def test_transana_old_namespace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p, warnings = imported(tmp_path, "transana", capsys)
    with p:
        assert sorted(s.name for s in list_sources(p)) == ["Clip (transcript)", "Document 1"]
        assert codings(p)["Document 1"] == [("Keyword 1", fx.TEXT_A[2:16], "")]
        assert not flat_codes(p)[0].codable
    # the video is linked to its transcript, though the file is not on this machine
    assert "Clip: recording E:/Data/Transana/QDA-XML/clip.mp4 not found" in warnings


def test_a_projects_codebook_reads_like_a_qdc() -> None:
    with zipfile.ZipFile(io.BytesIO(fx.nvivo())) as z:
        book = parse_qdc(z.read("project.qde"))
    assert [c.name for c in book.walk()] == ["Bonding", "Approaching", "Reacting", "Spreading"]
