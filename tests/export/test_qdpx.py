"""REFI-QDA projects (.qdpx): valid against Project.xsd, and a lossless round trip."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from coder.cli import main
from coder.db.models import Code, Coder, Coding, Memo, Source
from coder.ingest import ParsedSource
from coder.services.codebook.transfer import export_codebook
from coder.services.coding.codings import apply_code, set_coding_memo
from coder.services.exchange.refi_project import export_qdpx, import_qdpx
from coder.services.project.check import check_project
from coder.services.project.store import Project
from coder.services.reports.table1 import table1_data
from coder.services.sources.cases import list_attributes, list_cases
from coder.services.sources.transcripts import list_sources, store_parsed
from tests.export.conftest import assert_valid

P = "{urn:QDA-XML:project:1.0}"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(project: Project) -> dict[str, object]:
    """Everything a round trip must keep, keyed by GUID (no database ids)."""
    with project.reading() as s:
        codes = {c.id: c.guid for c in s.scalars(select(Code))}
        sources = {x.id: x for x in s.scalars(select(Source))}
        coders = {c.id: c.name for c in s.scalars(select(Coder))}
        codings = {
            (
                c.guid,
                sources[c.source_id].guid,
                codes[c.code_id],
                c.start,
                c.end,
                c.snippet,
                c.memo,
                c.exemplar,
                coders[c.coder_id],
            )
            for c in s.scalars(select(Coding))
        }
        memos = {
            (
                m.guid,
                m.kind,
                m.title,
                m.text,
                codes.get(m.code_id),
                sources[m.source_id].guid if m.source_id else None,
            )
            for m in s.scalars(select(Memo))
        }
        texts = {x.guid: (x.name, x.text) for x in sources.values()}
    cases = [
        (
            c.guid,
            c.name,
            c.description,
            c.organisation,
            c.values,
            c.organisation_values,
            c.source_names,
        )
        for c in list_cases(project)
    ]
    attrs = [(a.guid, a.name, a.type, a.scope, a.position) for a in list_attributes(project)]
    return {
        "codebook": export_codebook(project).codes,
        "codings": codings,
        "memos": memos,
        "sources": texts,
        "cases": cases,
        "attributes": attrs,
        "table1": table1_data(project),
    }


def test_export_validates_and_follows_the_layout(
    coded: Project, tmp_path: Path, project_schema
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "study.qdpx"
    export_qdpx(coded, out)
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        qde = z.read("project.qde")
        assert_valid(project_schema, qde)
        root = etree.fromstring(qde)
        sources = root.findall(f"{P}Sources/{P}TextSource")
        assert len(sources) == 12
        for src in sources:
            guid = src.get("guid")
            assert src.get("plainTextPath") == f"internal://{guid}.txt"
            assert f"sources/{guid}.txt" in names
            text = z.read(f"sources/{guid}.txt").decode("utf-8")
            for sel in src.findall(f"{P}PlainTextSelection"):
                a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
                assert 0 <= a < b <= len(text)
        # a project memo's Note points to a text file too: QualCoder makes journals of those
        journals = {
            n.get("plainTextPath"): n.findtext(f"{P}PlainTextContent")
            for n in root.iter(f"{P}Note")
            if n.get("plainTextPath")
        }
        assert journals  # the sample has a project memo
        for path, text in journals.items():
            name = "sources/" + path.removeprefix("internal://")
            assert z.read(name).decode("utf-8") == text
    files = {f"sources/{s.get('guid')}.txt" for s in sources}
    files |= {"sources/" + p.removeprefix("internal://") for p in journals}
    assert names == {"project.qde"} | files
    assert len(root.findall(f"{P}Cases/{P}Case")) == 12
    types = {v.get("name"): v.get("typeOfVariable") for v in root.iter(f"{P}Variable")}
    assert types == {
        "Label": "Text",
        "Position": "Text",
        "Years in music industry": "Text",
        "Genre(s)": "Text",
        "Year established": "Integer",
        "Interview (min)": "Integer",
    }
    with coded.reading() as s:
        coders = {(c.guid, c.name) for c in s.scalars(select(Coder))}
    assert {(u.get("guid"), u.get("name")) for u in root.iter(f"{P}User")} == coders
    assert {n.get("name") for n in root.iter(f"{P}Note")} >= {
        "Approach",
        "Implication",
        "Plan",
        "Context",
        "Exemplar",
    }


def test_positions_are_code_points(tmp_path: Path, project_schema) -> None:  # type: ignore[no-untyped-def]
    text = "Café 🎸 fans: we reply to every comment.\n"
    with Project.create(tmp_path / "p.coder") as p:
        sid = store_parsed(
            p, ParsedSource(text, (), "txt", "utf-8"), name="emoji", filename="emoji.txt"
        ).source_id
        from coder.services.codebook.codes import create_code

        code = create_code(p, "Reacting")
        start = text.index("we reply")
        c = apply_code(p, sid, start, start + len("we reply"), code.id)
        set_coding_memo(p, c.id, "tab\tand <angle> & ampersand")
        export_qdpx(p, tmp_path / "e.qdpx")
    with zipfile.ZipFile(tmp_path / "e.qdpx") as z:
        qde = z.read("project.qde")
    assert_valid(project_schema, qde)
    sel = etree.fromstring(qde).find(f".//{P}PlainTextSelection")
    assert (int(sel.get("startPosition")), int(sel.get("endPosition"))) == (13, 21)
    assert text[13:21] == "we reply"
    assert len(text[:13].encode("utf-16-le")) // 2 == 14  # UTF-16 units would count 🎸 twice


PG = pytest.param("postgres", marks=pytest.mark.postgres)


@pytest.mark.parametrize("backend", ["sqlite", PG])
def test_round_trip_keeps_everything(
    backend: str, coded: Project, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    out = tmp_path / "study.qdpx"
    export_qdpx(coded, out)
    target = (
        str(tmp_path / "again.coder") if backend == "sqlite" else request.getfixturevalue("pg_url")
    )
    summary = import_qdpx(target, out)
    assert (summary.sources, summary.codes, summary.codings, summary.cases) == (12, 7, 167, 12)
    assert summary.warnings == ()
    with Project.open(target) as again:
        assert snapshot(again) == snapshot(coded)
        assert check_project(again).ok
        assert len(list_sources(again)) == 12
        assert all(s.case_name for s in list_sources(again))
        export_qdpx(again, tmp_path / "twice.qdpx")
    with zipfile.ZipFile(out) as a, zipfile.ZipFile(tmp_path / "twice.qdpx") as b:
        first = a.read("project.qde").replace(b'name="study"', b"")
        second = b.read("project.qde").replace(b'name="again"', b"")
        assert first == second


def test_cli_export_and_import_project(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "study.qdpx"
    code, stdout, err = run(capsys, "export", "qdpx", str(coded_path), "-o", str(out))
    assert code == 0, err
    assert "12 sources, 2 themes, 167 codings, 12 participants" in stdout
    new = tmp_path / "new.coder"
    code, stdout, err = run(capsys, "import-project", str(new), str(out))
    assert code == 0, err
    assert "12 sources, 7 codes, 167 codings, 12 participants, 5 memos" in stdout
    code, _, err = run(capsys, "import-project", str(new), str(out))
    assert code == 1 and "new or empty project" in err and err.count("\n") == 1
    with Project.open(new) as p:
        assert p.counts()["codings"] == 167
