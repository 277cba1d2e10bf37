"""The streamed .qdpx reading and the bulk row writer: same results as the whole-tree and
Core paths they replaced, on real files and real databases."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Table, delete, insert, select

from coder.archive import BadXml, UnsafeXml, harden_iterparse
from coder.db import bulk
from coder.db.bulk import insert_rows
from coder.db.models import Code, Coding, Source, Turn
from coder.refi.model import RefiCoding, RefiProject, RefiSource
from coder.refi.qdpx_read import read_qdpx
from coder.refi.qdpx_write import project_xml, write_qdpx
from coder.refi.xml import RefiError, local, may_name, parse_outline
from coder.services.exchange.refi_project import import_project
from coder.services.project.store import Project
from coder.vocab.dto import CodeSpec

CODE = "5d1f2c8e-0000-4000-8000-000000000001"


def _project(n: int) -> RefiProject:
    text = "Interviewer: hello there.\n\nAna: we answer every message, " * 3
    sources = tuple(
        RefiSource(
            f"5d1f2c8e-0000-4000-8000-{i:012d}",
            f"Doc {i}",
            text,
            codings=(
                RefiCoding(
                    f"5d1f2c8e-1111-4000-8000-{i:012d}",
                    CODE,
                    13,
                    25,
                    created=datetime(2024, 5, 1, 12, 30, i % 60, tzinfo=UTC),
                    memo="a memo" if i % 2 else "",
                    exemplar=bool(i % 3 == 0),
                ),
            ),
        )
        for i in range(100, 100 + n)
    )
    return RefiProject("Stream", (CodeSpec("Reply", CODE),), sources)


def test_streamed_read_frees_each_source_and_keeps_every_coding(tmp_path: Path) -> None:
    path = tmp_path / "p.qdpx"
    proj = _project(30)
    path.write_bytes(write_qdpx(proj))
    got = read_qdpx(path)
    assert [s.name for s in got.sources] == [s.name for s in proj.sources]
    assert [c for s in got.sources for c in s.codings] == [
        c for s in proj.sources for c in s.codings
    ]


def test_iterparse_refuses_a_doctype_anywhere() -> None:
    data = b'<Project><Sources/></Project>\n<!DOCTYPE x [<!ENTITY a "b">]>'
    with pytest.raises(UnsafeXml):
        list(harden_iterparse(data, ["{*}Sources"]))


def test_outline_keeps_attributes_and_drops_the_selections() -> None:
    root = parse_outline(project_xml(_project(3)), "p.qde", ("TextSource",))
    sources = [el for el in root.iter() if local(el) == "TextSource"]
    assert len(sources) == 3
    assert all(el.get("plainTextPath") and len(el) == 0 for el in sources)
    with pytest.raises(RefiError, match="not well-formed"):
        parse_outline(b"<Project><Sources>", "p.qde", ("TextSource",))


def test_may_name_is_sure_only_about_ascii_compatible_text() -> None:
    assert not may_name(b'<?xml version="1.0"?><Project/>', ("AudioSource",))
    assert may_name(b"<Project><AudioSource/></Project>", ("AudioSource",))
    assert may_name("<Project/>".encode("utf-16"), ("AudioSource",))


def test_insert_rows_stores_what_core_stores(any_target: str) -> None:
    """Dates, booleans and text come back the same through the driver path as through
    Core's executemany, on SQLite and PostgreSQL."""
    with Project.open(any_target, create=True) as project:
        import_project(project, _project(2))
        with project.transaction() as s:
            source_id = s.scalars(select(Source.id)).first()
            code_id = s.scalars(select(Code.id)).first()
            coder_id = project.coder_id(s, "bench")
        when = datetime(2024, 5, 1, 12, 30, 5, 123456, tzinfo=UTC)
        cols = ("guid", "source_id", "code_id", "start_pos", "end_pos", "snippet", "coder_id",
                "created_at", "memo", "exemplar")  # fmt: skip
        base = ("", source_id, code_id, 0, 5, "Inter", coder_id, when, "m\u00e9mo", True)
        table = cast(Table, Coding.__table__)
        with project.transaction() as s:
            s.execute(delete(Coding))
            insert_rows(s.connection(), table, cols, [("5d1f2c8e-2222-4000-8000-0000000000a1",
                                                       *base[1:])])  # fmt: skip
            core = dict(zip(cols, base, strict=True))
            core.update(guid="5d1f2c8e-2222-4000-8000-0000000000b2", end_pos=6, snippet="Interv")
            s.connection().execute(insert(table), [core])
        with project.reading() as s:
            rows = s.execute(
                select(Coding.created_at, Coding.exemplar, Coding.memo).order_by(Coding.guid)
            ).all()
        assert rows[0] == rows[1]
        assert rows[0][0].replace(tzinfo=UTC) == when


@pytest.mark.parametrize("per_statement", [1, 7, 50, 400])
def test_insert_rows_several_to_a_statement_stores_every_row_in_order(
    any_target: str, monkeypatch: pytest.MonkeyPatch, per_statement: int
) -> None:
    """Rows that fill whole statements and the rest, across batch ends (a batch of 40 here),
    get the ids and values one INSERT a row gives; 400 rows a statement is more parameters
    than SQLite allows, and is cut to what fits."""
    monkeypatch.setattr(bulk, "BATCH_ROWS", 40)
    table = cast(Table, Turn.__table__)
    cols = ("source_id", "position", "speaker", "start_pos", "end_pos", "timestamp")
    with Project.open(any_target, create=True) as project:
        import_project(project, _project(2))
        with project.transaction() as s:
            source_id = s.scalars(select(Source.id)).first()
            s.execute(delete(Turn))
            rows = [(source_id, i, f"P{i % 3}" if i % 4 else None, i, i + 1, i / 2 or None)
                    for i in range(103)]  # fmt: skip
            assert insert_rows(s.connection(), table, cols, rows, per_statement) == 103
        with project.reading() as s:
            got = s.execute(select(*(table.c[c] for c in ("id", *cols))).order_by(table.c.id)).all()
    assert [tuple(r[1:]) for r in got] == rows
    assert [r[0] - got[0][0] for r in got] == list(range(103))


def _in_chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32-be"])
def test_iterparse_of_chunks_refuses_a_declaration_cut_anywhere(encoding: str) -> None:
    """Each chunk is searched with the end of the one before it before the parser gets it: a
    DOCTYPE or ENTITY split across chunks at any byte is still found, in every encoding
    family. After the root has ended, the parser may stop at the first byte of one as extra
    content: refused all the same."""
    decl = '<?xml version="1.0"?>'
    for bad in ('<!DOCTYPE x [<!ENTITY a "b">]>', "<!ENTITY a 'b'>"):
        before = (decl + bad + "<Project><Sources/></Project>").encode(encoding)
        after = (decl + "<Project><Sources/></Project>" + bad).encode(encoding)
        for size in (1, 3, 7, 50, 10_000):
            with pytest.raises(UnsafeXml):
                list(harden_iterparse(_in_chunks(before, size), ["{*}Sources"]))
            with pytest.raises((UnsafeXml, BadXml)):
                list(harden_iterparse(_in_chunks(after, size), ["{*}Sources"]))


def test_iterparse_of_chunks_refuses_ebcdic_given_a_byte_at_a_time() -> None:
    data = '<?xml version="1.0" encoding="cp500"?><Project/>'.encode("cp500")
    with pytest.raises(UnsafeXml):
        list(harden_iterparse(_in_chunks(data, 1), ["{*}Sources"]))


def test_iterparse_of_chunks_yields_what_the_whole_document_yields() -> None:
    data = project_xml(_project(5))
    tags = ["{*}TextSource", "{*}CodeBook"]

    def seen(source: bytes | list[bytes]) -> list[tuple[str, str | None]]:
        return [(local(el), el.get("name")) for el in harden_iterparse(source, tags)]

    whole = seen(data)
    assert len(whole) == 7  # the codebook, five sources, the root
    for size in (1, 100, 40_000, len(data)):
        assert seen(_in_chunks(data, size)) == whole
    with pytest.raises(BadXml):
        list(harden_iterparse([b"<Project><Sources>"], tags))
    with pytest.raises(BadXml):
        list(harden_iterparse([], tags))
