"""Imported projects are made to fit coder's rules, and empty projects still export."""

from __future__ import annotations

from pathlib import Path

from coder.export.formats import render
from coder.refi.model import (
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSource,
    RefiVariable,
)
from coder.refi.plan import normalise
from coder.services.project.store import Project
from coder.services.reports.documents import document_file
from coder.services.reports.table1 import table1_data
from coder.services.reports.table2 import table2_data
from coder.services.sources.transcripts import text_sha256
from coder.vocab.dto import CodeSpec
from tests.export.docx_check import open_docx, texts

G = "00000000-0000-4000-8000-0000000000{:02d}"


def test_normalise_resolves_clashes() -> None:
    codes = (
        CodeSpec(
            "A", G.format(1), children=(CodeSpec("x", G.format(2)), CodeSpec("x", G.format(3)))
        ),
        CodeSpec("Folder", G.format(4), codable=False),
        CodeSpec("A", G.format(1)),
    )
    coding = RefiCoding(G.format(10), G.format(4), 0, 5)
    sources = (
        RefiSource(G.format(20), "S", "hello world", codings=(coding, coding)),
        RefiSource(
            G.format(21), "S", "other text", codings=(RefiCoding(G.format(10), G.format(99), 0, 5),)
        ),
        RefiSource(
            G.format(22),
            "T",
            "hello world",
            codings=(RefiCoding(G.format(11), G.format(2), 6, 11),),
        ),
    )
    proj = normalise(
        RefiProject(
            "p",
            codes,
            sources,
            cases=(
                RefiCase(
                    G.format(30), "P1", values=((G.format(40), "12"),), source_guids=(G.format(22),)
                ),
                RefiCase(G.format(31), "P1", values=((G.format(40), "twelve"),)),
            ),
            variables=(RefiVariable(G.format(40), "Age", "integer"),),
            notes=(RefiNote(G.format(50), "n", "t", "code", G.format(77)),),
        )
    )
    a, folder, a2 = proj.codes
    assert [c.name for c in a.children] == ["x", "x (2)"] and a2.name == "A (2)"
    assert a2.guid != a.guid and folder.codable  # it has a coding
    assert [s.name for s in proj.sources] == ["S", "S (2)"]  # "T" had the same text as "S"
    assert [(c.code_guid, c.start, c.end) for c in proj.sources[0].codings] == [
        (G.format(4), 0, 5),
        (G.format(2), 6, 11),
    ]
    assert len({c.guid for s in proj.sources for c in s.codings}) == 2
    assert proj.sources[1].codings == ()
    assert [c.name for c in proj.cases] == ["P1", "P1 (2)"]
    assert proj.cases[0].source_guids == (G.format(20),)  # "T" merged into "S"
    assert proj.variables[0].type == "text"  # "twelve" is not an integer
    assert proj.notes[0].kind == "project"  # its code does not exist
    assert any("same text" in w for w in proj.warnings)
    assert any("unknown code" in w for w in proj.warnings)
    # the hash that found "T"'s twin is kept for the import to store
    assert [s.sha256 for s in proj.sources] == [
        text_sha256(t) for t in ("hello world", "other text")
    ]


def test_empty_project_exports(tmp_path: Path) -> None:
    with Project.create(tmp_path / "e.coder") as p:
        t1, t2 = table1_data(p), table2_data(p)
        assert t1.rows == () and t2.rows == ()
        doc = open_docx(render(t1.grid(), "docx"))
        assert texts(doc.tables[0]) == [["Participant"]]
        assert texts(open_docx(render(t2.grid(), "docx")).tables[0])[0][:2] == [
            "Theme",
            "Sub-theme",
        ]
        assert document_file(p, "codebook")[0] == 0
        assert document_file(p, "extracts", "md")[0] == 0
