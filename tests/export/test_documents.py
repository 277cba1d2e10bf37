"""The codebook appendix and the coded extracts report, read back from Word."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.cli import main
from coder.services.codebook.codes import flat_codes
from coder.services.project.store import Project
from coder.services.reports.documents import extracts_data
from tests.export.docx_check import font_names, open_docx
from tests.export.test_table2 import passages_by_code


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_codebook_document(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "codebook.docx"
    code, stdout, err = run(capsys, "export", "codebook", str(coded_path), "-o", str(out))
    assert code == 0, err and "7 codes" in stdout
    doc = open_docx(out)
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    assert paras[0] == ("Title", "Bonding and Spreading")
    headings = [(s, t) for s, t in paras if s.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Bonding"),
        ("Heading 2", "Approaching"),
        ("Heading 2", "Reacting"),
        ("Heading 2", "Encouraging participation"),
        ("Heading 1", "Spreading"),
        ("Heading 2", "Freedom to participate and share"),
        ("Heading 2", "Freedom of expression"),
    ]
    with Project.open(coded_path) as p:
        codes = {c.name: c for c in flat_codes(p)}
    text = "\n".join(t for _s, t in paras)
    for c in codes.values():
        assert f"Definition: {c.description}" in text
        assert f"Use when: {c.inclusion}" in text
        assert f"Keywords: {', '.join(c.keywords)}" in text
        for e in c.examples:
            assert f"\u201c{e}\u201d" in text
    a = codes["Approaching"]
    assert (
        f"Counts: {a.codings} coded passages, {a.participants} participants, {a.sources} sources"
    ) in text
    total = sum(
        codes[n].codings
        for n in ("Bonding", "Approaching", "Reacting", "Encouraging participation")
    )
    assert f"{total} coded passages with its sub-codes" in text
    assert font_names(doc) == ({"Times New Roman"}, [])
    md = tmp_path / "codebook.md"
    assert run(capsys, "export", "codebook", str(coded_path), "-o", str(md))[0] == 0
    assert "## Bonding" in md.read_text("utf-8")


def test_extracts_report_has_every_passage_grouped_by_theme(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "extracts.docx"
    code, stdout, err = run(capsys, "export", "extracts", str(coded_path), "-o", str(out))
    assert code == 0, err
    assert "167 passages" in stdout
    doc = open_docx(out)
    paras = [(p.style.name, p.text) for p in doc.paragraphs]
    heads = [t for s, t in paras if s.startswith("Heading")]
    assert heads[:2] == ["Bonding", "Bonding / Approaching"]
    assert heads[4] == "Spreading"
    with Project.open(coded_path) as p:
        by_code = passages_by_code(p)
    body = [t for s, t in paras if s == "Extract Text"]
    refs = [t for s, t in paras if s == "Extract Ref"]
    assert len(refs) == sum(len(v) for v in by_code.values())
    joined = "\n".join(body)
    for codings in by_code.values():
        for c in codings:
            for line in c.snippet.split("\n"):
                assert line.strip() in joined
    who = [t for s, t in paras if s == "Extract Source"]
    assert any(t.startswith("P09 \u2014 Label: I; Position: President") for t in who)
    assert any("\u2605 exemplar" in r for r in refs)
    assert any("memo: Good example of a reply to a cover." in r for r in refs)
    assert font_names(doc) == ({"Times New Roman"}, [])


def test_extracts_for_one_theme(
    coded: Project, capsys: pytest.CaptureFixture[str], coded_path: Path, tmp_path: Path
) -> None:
    spreading = next(c for c in flat_codes(coded) if c.name == "Spreading")
    report = extracts_data(coded, [spreading.id])
    assert [s.path for s in report.sections] == [
        "Spreading",
        "Spreading / Freedom to participate and share",
        "Spreading / Freedom of expression",
    ]
    code, out, _ = run(
        capsys,
        "export",
        "extracts",
        str(coded_path),
        "--code",
        "Reacting",
        "-o",
        "-",
        "--format",
        "md",
    )
    assert code == 0 and out.startswith("# Coded extracts: Bonding and Spreading")
    assert "## Bonding / Reacting" in out and "Approaching" not in out


def test_extracts_say_who_coded_where_two_coders_coded(coded: Project) -> None:
    """The demo's extracts showed the same passage twice in a row, once per coder, with
    nothing to tell them apart: with two or more coders, each reference says who coded it.
    A project with one coder keeps its references as they were."""
    from coder.export.documents import extracts_markdown
    from coder.services.coding.codings import apply_code, codings_for_source
    from coder.services.sources.transcripts import list_sources

    def refs() -> list[str]:
        md = extracts_markdown(extracts_data(coded, [reacting.id]))
        return [line for line in md.splitlines() if line.startswith("<small>")]

    reacting = next(c for c in flat_codes(coded) if c.name == "Reacting")
    assert refs() and not any("coded by" in r for r in refs())
    source = list_sources(coded)[0]
    first = codings_for_source(coded, source.id)[0]
    for who in ("Ruth", "Sam [/]"):
        apply_code(coded, source.id, first.start, first.end, reacting.id, coder=who)
    span = f"{source.name}, {first.start}\u2013{first.end}"
    twins = [r for r in refs() if span in r]
    assert len(twins) == 2 + (first.code_name == "Reacting")  # with the sample's own coding
    assert sum("coded by Ruth" in r for r in twins) == 1
    assert sum("coded by Sam [/]" in r for r in twins) == 1
    assert all("coded by" in r for r in refs())  # every reference, once there is a team
