"""REFI-QDA details other programs rely on, and repairs an import must not hide."""

from __future__ import annotations

import csv
import tracemalloc
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from coder.cli import main
from coder.refi.model import RefiCoding, RefiNote, RefiProject, RefiSource, RefiUser
from coder.refi.plan import normalise
from coder.refi.qdpx_read import read_qdpx
from coder.refi.qdpx_write import project_xml, write_qdpx
from coder.refi.xml import RefiError
from coder.services.codebook.memos import list_memos
from coder.services.codebook.transfer import export_codebook
from coder.services.exchange.refi_project import import_qdpx
from coder.services.exchange.sets import list_sets
from coder.services.project.settings import Key, get_setting
from coder.services.project.store import Project
from coder.vocab.dto import CodeSpec
from tests.export import refi_fixtures as fx
from tests.export.conftest import assert_valid

P = "{urn:QDA-XML:project:1.0}"
USER = "11111111-2222-3333-4444-555555555555"
CODE = "aaaaaaaa-2222-3333-4444-555555555555"
SRC = "bbbbbbbb-2222-3333-4444-555555555555"
MB = 1024 * 1024
WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def small_project() -> RefiProject:
    coding = RefiCoding(
        "cccccccc-2222-3333-4444-555555555555", CODE, 0, 5, USER, WHEN, memo="why & how"
    )
    src = RefiSource(SRC, "Interview", "Hello world", codings=(coding,))
    return RefiProject(
        name="p",
        codes=(CodeSpec(name="Greeting", guid=CODE),),
        sources=(src,),
        users=(RefiUser(USER, "Ann"),),
    )


def test_selection_carries_coder_date_and_memo(project_schema: etree.XMLSchema) -> None:
    data = project_xml(small_project())
    assert_valid(project_schema, data)
    sel = etree.fromstring(data).find(f".//{P}PlainTextSelection")
    assert sel is not None
    assert sel.get("creatingUser") == USER
    assert sel.get("creationDateTime") == "2026-03-04T05:06:07Z"
    assert sel.findtext(f"{P}Description") == "why & how"


def test_memo_on_selection_and_note_is_read_back_once(tmp_path: Path) -> None:
    path = tmp_path / "p.qdpx"
    path.write_bytes(write_qdpx(small_project()))
    (coding,) = read_qdpx(path).sources[0].codings
    assert coding.memo == "why & how"
    assert coding.user_guid == USER


def odd_selections() -> bytes:
    qde = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="{fx.NS}" name="odd">
<CodeBook><Codes><Code guid="{CODE}" name="C" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{SRC}" name="S"><PlainTextContent>0123456789</PlainTextContent>
<PlainTextSelection guid="dddddddd-2222-3333-4444-000000000001" startPosition="2"
 endPosition="40"><Coding guid="eeeeeeee-2222-3333-4444-000000000001">
<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>
<PlainTextSelection guid="dddddddd-2222-3333-4444-000000000002" startPosition="8"
 endPosition="3"><Coding guid="eeeeeeee-2222-3333-4444-000000000002">
<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"""
    return fx.zipped({"project.qde": qde})


def test_cut_and_swapped_selections_are_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "odd.qdpx"
    path.write_bytes(odd_selections())
    proj = read_qdpx(path)
    spans = sorted((c.start, c.end) for c in proj.sources[0].codings)
    assert spans == [(2, 10), (3, 8)]
    assert "1 selections ending past their source's text cut at its end" in proj.warnings
    assert "1 reversed selections (end before start) swapped" in proj.warnings
    assert main(["import-project", str(tmp_path / "new.coder"), str(path)]) == 0
    out = capsys.readouterr()
    said = out.out + out.err
    assert "cut at its end" in said and "swapped" in said


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_doctype_anywhere_in_any_encoding_is_refused(tmp_path: Path, encoding: str) -> None:
    pad = "<!-- " + "x" * 20_000 + " -->"  # pushes the declaration far past the first 4 KB
    decl = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
    qde = f'{decl}{pad}<!doctype Project [<!ENTITY a "b">]><Project xmlns="{fx.NS}"/>'
    path = tmp_path / "dtd.qdpx"
    path.write_bytes(fx.zipped({"project.qde": qde.encode(encoding)}))
    with pytest.raises(RefiError, match="DOCTYPE"):
        read_qdpx(path)


def test_codebook_csv_for_taguette_reads_back(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "book.csv"
    assert main(["codebook", "export", str(coded_path), str(target)]) == 0, capsys.readouterr()
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with Project.open(coded_path) as p:
        book = export_codebook(p)

    def paths(specs: tuple[CodeSpec, ...], up: str = "") -> list[tuple[str, str]]:
        out = []
        for s in specs:
            here = f"{up}/{s.name}" if up else s.name
            out += [(here, s.description), *paths(s.children, here)]
        return out

    assert list(rows[0]) == ["tag", "description"]
    assert [(r["tag"], r["description"]) for r in rows] == paths(book.codes)
    assert len(rows) == len(book.walk()) > 1


def test_source_memo_is_the_description_for_qualcoder_and_read_back_once(
    tmp_path: Path, project_schema: etree.XMLSchema
) -> None:
    memo = RefiNote("99999999-2222-3333-4444-555555555555", "M", "About this interview",
                    "source", SRC)  # fmt: skip
    proj = replace(small_project(), notes=(memo,))
    data = project_xml(proj)
    assert_valid(project_schema, data)
    assert etree.fromstring(data).findtext(f".//{P}TextSource/{P}Description") == memo.text
    path = tmp_path / "m.qdpx"
    path.write_bytes(write_qdpx(proj))
    again = normalise(read_qdpx(path))
    assert [(n.kind, n.text) for n in again.notes] == [("source", "About this interview")]


def bomb(path: Path, inflated: int, text: str = "") -> None:
    """A .qdpx whose one source is tiny compressed and `inflated` bytes unpacked."""
    qde = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="{fx.NS}" name="bomb"><Sources><TextSource guid="{SRC}" name="S"
 plainTextPath="internal://{SRC}.txt"/></Sources></Project>"""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        with z.open(f"sources/{SRC}.txt", "w") as out:
            chunk = (text or "a") * (1 << 20)
            left = inflated
            while left > 0:
                out.write(chunk[:left].encode())
                left -= 1 << 20


def test_bomb_is_refused_in_one_line_with_little_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bomb.qdpx"
    bomb(path, 250 * MB)
    assert path.stat().st_size < MB
    tracemalloc.start()
    try:
        with pytest.raises(RefiError) as caught:
            read_qdpx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "too big" in str(caught.value) and "\n" not in str(caught.value)
    assert peak < 8 * MB
    assert main(["import-project", str(tmp_path / "new.coder"), str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "too big" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "new.coder").exists()


def test_reading_a_large_source_costs_a_few_times_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.qdpx"
    size = 8 * MB
    bomb(path, size)
    tracemalloc.start()
    try:
        proj = read_qdpx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(proj.sources[0].text) == size
    assert peak < 4 * size


SET_S = "f0000000-2222-3333-4444-000000000001"
SET_C = "f0000000-2222-3333-4444-000000000002"


def with_sets() -> bytes:
    qde = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="{fx.NS}" name="sets">
<CodeBook><Codes><Code guid="{CODE}" name="C" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{SRC}" name="S"><PlainTextContent>0123456789</PlainTextContent>
</TextSource></Sources>
<Sets><Set guid="{SET_S}" name="Wave 1"><Description>first wave</Description>
<MemberSource targetGUID="{SRC.upper()}"/></Set>
<Set guid="{SET_C}" name="Feelings"><MemberCode targetGUID="{{{CODE}}}"/></Set></Sets>
</Project>"""
    return fx.zipped({"project.qde": qde})


def test_sets_are_kept_and_exported_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], project_schema: etree.XMLSchema
) -> None:
    path = tmp_path / "sets.qdpx"
    path.write_bytes(with_sets())
    target = tmp_path / "p.coder"
    assert main(["import-project", str(target), str(path)]) == 0
    assert "2 sets" in capsys.readouterr().out
    with Project.open(target) as p:
        sets = {st.name: st for st in list_sets(p)}
    assert sets["Wave 1"].source_guids == (SRC,) and sets["Wave 1"].description == "first wave"
    assert sets["Feelings"].code_guids == (CODE,) and sets["Feelings"].source_guids == ()
    out = tmp_path / "again.qdpx"
    assert main(["export", "qdpx", str(target), "-o", str(out)]) == 0, capsys.readouterr()
    with zipfile.ZipFile(out) as z:
        qde = z.read("project.qde")
    assert_valid(project_schema, qde)
    found = {
        el.get("name"): [m.get("targetGUID") for m in el if m.get("targetGUID")]
        for el in etree.fromstring(qde).iterfind(f"{P}Sets/{P}Set")
    }
    assert found == {"Wave 1": [SRC], "Feelings": [CODE]}


def test_project_memo_is_the_description_for_qualcoder_and_read_back_once(
    tmp_path: Path, project_schema: etree.XMLSchema
) -> None:
    memo = RefiNote("99999999-2222-3333-4444-000000000009", "Plan", "Our aims", "project")
    data = project_xml(replace(small_project(), notes=(memo,)))
    assert_valid(project_schema, data)
    assert etree.fromstring(data).findtext(f"{P}Description") == "Our aims"
    path = tmp_path / "m.qdpx"
    path.write_bytes(write_qdpx(replace(small_project(), notes=(memo,))))
    target = tmp_path / "m.coder"
    import_qdpx(str(target), path)
    with Project.open(target) as p:
        assert get_setting(p, Key.CODEBOOK_DESCRIPTION) == ""
        assert [m.text for m in list_memos(p)] == ["Our aims"]


def test_code_memo_is_in_the_code_description_for_qualcoder_and_read_back_once(
    tmp_path: Path, project_schema: etree.XMLSchema
) -> None:
    memo = RefiNote("99999999-2222-3333-4444-000000000008", "Why", "Split later?", "code", CODE)
    code = CodeSpec(name="Greeting", guid=CODE, description="Saying hello", keywords=("hi",))
    proj = replace(small_project(), codes=(code,), notes=(memo,))
    data = project_xml(proj)
    assert_valid(project_schema, data)
    desc = etree.fromstring(data).findtext(f".//{P}Code/{P}Description") or ""
    assert desc.startswith("Saying hello") and desc.endswith("Memo: Split later?")
    path = tmp_path / "c.qdpx"
    path.write_bytes(write_qdpx(proj))
    again = read_qdpx(path)
    assert again.codes == (code,)
    assert [(n.kind, n.text) for n in again.notes] == [("code", "Split later?")]
