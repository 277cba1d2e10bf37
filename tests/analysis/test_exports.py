"""`coder export matrix|cooccur|query|words|codematrix|quotes`: every format written through
the CLI on the coded sample study, then opened again and compared with the analysis."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from coder.analysis.matrix import matrix
from coder.cli import cli
from coder.db.models import Code, Coding, Source
from coder.services.analysis.gather import gather
from coder.services.project.store import Project
from tests.analysis.test_gather import code_sample


@pytest.fixture(scope="module")
def coded(sample_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("coded") / "s.coder"
    shutil.copy(sample_master, target)
    code_sample(target)
    return target


def export(*args: str) -> Result:
    return CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def expected_matrix(project: Path) -> list[list[str]]:
    with Project.open(project) as p:
        m = matrix(gather(p), "participant")
    rows = [[r.code, *(str(int(x)) for x in r.cells), str(int(r.total))] for r in m.rows]
    return [["Code", *m.cols, "Total"], *rows, ["Total", *(str(int(x)) for x in m.totals),
                                                 str(int(m.total))]]  # fmt: skip


def test_matrix_in_every_table_format_reads_back(coded: Path, tmp_path: Path) -> None:
    want = expected_matrix(coded)
    for suffix in ("csv", "xlsx", "docx", "md"):
        out = export("matrix", str(coded), "-o", str(tmp_path / f"m.{suffix}"))
        assert out.exit_code == 0 and f"m.{suffix}" in out.output
    got_csv = [[c.strip() for c in row] for row in read_csv(tmp_path / "m.csv")]
    assert got_csv == want
    ws = load_workbook(tmp_path / "m.xlsx").active
    assert ws["A1"].value.startswith("Codes by participant")
    sheet = [[str(c.value).strip() for c in row] for row in ws.iter_rows(min_row=2)]
    assert sheet == want
    assert isinstance(ws.cell(row=3, column=2).value, int)  # numbers stay numbers
    table = Document(str(tmp_path / "m.docx")).tables[0]
    assert [[c.text.strip() for c in row.cells] for row in table.rows] == want
    md = (tmp_path / "m.md").read_text(encoding="utf-8").splitlines()
    body = [[c.strip() for c in ln.strip("|").split("|")] for ln in md if ln.startswith("|")]
    assert body[0] == want[0] and body[2:] == want[1:]


def test_charts_are_real_images(coded: Path, tmp_path: Path) -> None:
    for kind, extra in (("matrix", ()), ("cooccur", ("--by", "turn")), ("words", ("--top", "8"))):
        png, svg = tmp_path / f"{kind}.png", tmp_path / f"{kind}.svg"
        assert export(kind, str(coded), "-o", str(png), *extra).exit_code == 0
        assert export(kind, str(coded), "-o", str(svg), *extra).exit_code == 0
        with Image.open(png) as im:
            assert im.format == "PNG" and im.width > 300 and im.height > 200
            lo, hi = im.convert("L").getextrema()
            assert hi - lo > 100  # not a blank canvas
        text = svg.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<?xml") and "<svg" in text
        if kind != "words":
            assert "Bonding" in text
    assert "Codes by participant" in (tmp_path / "matrix.svg").read_text(encoding="utf-8")


def test_chart_is_placed_under_the_table_in_word(coded: Path, tmp_path: Path) -> None:
    for kind in ("matrix", "cooccur", "words"):
        out = tmp_path / f"{kind}.docx"
        assert export(kind, str(coded), "-o", str(out), "--chart").exit_code == 0
        doc = Document(str(out))
        assert len(doc.tables) == 1 and len(doc.inline_shapes) == 1
        body = doc.element.body
        kinds = [el.tag.rsplit("}", 1)[1] for el in body]
        assert kinds.index("tbl") < max(i for i, el in enumerate(body) if "graphic" in el.xml)
        sec = doc.sections[0]
        assert doc.inline_shapes[0].width <= sec.page_width - sec.left_margin - sec.right_margin
    plain = tmp_path / "plain.docx"
    export("matrix", str(coded), "-o", str(plain))
    assert len(Document(str(plain)).inline_shapes) == 0


def test_code_matrix_cells_are_the_codings(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "cm.csv"
    assert export("codematrix", str(coded), "-o", str(out)).exit_code == 0
    rows = read_csv(out)
    head = rows[0]
    with Project.open(coded) as p, p.reading() as s:
        names = {c.id: c.name for c in s.scalars(select(Code))}
        parents = {c.id: c.parent_id for c in s.scalars(select(Code))}
        spans: dict[tuple[str, int, int], set[str]] = {}
        for src, start, end, code in s.execute(
            select(Source.name, Coding.start, Coding.end, Coding.code_id).join(Source)
        ):
            parent = parents[code]
            path = f"{names[parent]}/{names[code]}" if parent else names[code]
            spans.setdefault((src, start, end), set()).add(path)
    assert len(rows) - 1 == len(spans)
    assert head[:5] == ["Source", "Start", "End", "Participant", "Organisation"]
    assert "Genre(s)" in head
    paths = {f"{names[up]}/{n}" if (up := parents[c]) else n for c, n in names.items()}
    first = next(k for k, h in enumerate(head) if h in paths)
    assert set(head[first:]) == paths  # a column per code, used or not
    for row in rows[1:]:
        assert set(row[first:]) <= {"0", "1"}
        ones = {head[k] for k in range(first, len(head)) if row[k] == "1"}
        assert ones == spans[(row[0], int(row[1]), int(row[2]))]
    xlsx = tmp_path / "cm.xlsx"
    assert export("codematrix", str(coded), "-o", str(xlsx)).exit_code == 0
    ws = load_workbook(xlsx).active
    assert ws.max_row - 2 == len(spans)


def test_quote_table(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.xlsx"
    assert export("quotes", str(coded), "-o", str(out)).exit_code == 0
    ws = load_workbook(out).active
    head = [c.value for c in ws[2]]
    assert head[:4] == ["Passage", "Code", "Participant", "Organisation"]
    for col in ("Turn", "Speaker", "Time (s)", "Start", "End", "Coder"):
        assert col in head
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    with Project.open(coded) as p, p.reading() as s:
        n = len(s.scalars(select(Coding)).all())
        texts = {name: text for name, text in s.execute(select(Source.name, Source.text))}
    assert len(rows) == n
    src, start, end, turn = (head.index(h) for h in ("Source", "Start", "End", "Turn"))
    for r in rows:
        assert r[0] == texts[r[src]][int(r[start]) : int(r[end])]
        assert r[turn] is not None and int(r[turn]) >= 1
    assert {r[head.index("Speaker")] for r in rows} >= {"Interviewer"}


def test_query_export(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.md"
    expr = '"Approaching" OR "Reacting"'
    assert export("query", str(coded), expr, "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Query:" in text and text.count("\n|") >= 3
    every = tmp_path / "all.csv"
    assert export("query", str(coded), expr, "--speaker", "all", "-o", str(every)).exit_code == 0
    some = tmp_path / "some.csv"
    assert export("query", str(coded), expr, "-o", str(some)).exit_code == 0
    assert len(read_csv(every)) > len(read_csv(some))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("matrix", "-o", "{d}/m.txt"), "cannot tell the format"),
        (("matrix", "-o", "{d}/m"), "cannot tell the format"),
        (("query", '"Bonding"', "-o", "{d}/q.png"), "query has no chart"),
        (("codematrix", "-o", "{d}/c.svg"), "codematrix has no chart"),
        (("matrix", "--chart", "-o", "{d}/m.csv"), "--chart works with .docx"),
        (("matrix", "--cell", "minutes", "-o", "{d}/m.csv"), "--cell"),
        (("matrix", "--cols", "attr:Height", "-o", "{d}/m.csv"), "Height"),
        (("cooccur", "--by", "page", "-o", "{d}/c.csv"), "page"),
        (("query", '"Bonding" AND', "-o", "{d}/q.csv"), ""),
        (("query", '"Bonding"', "--where", "Age ~ 3", "-o", "{d}/q.csv"), ""),
        (("query", '"Bonding"', "--speaker", "robots", "-o", "{d}/q.csv"), "speaker"),
        (("words", "--top", "0", "-o", "{d}/w.csv"), "--top"),
        (("words", "--code", "Nope", "-o", "{d}/w.png"), "Nope"),
        (("matrix", "-o", "{d}/missing/m.csv"), "does not exist"),
    ],
)
def test_bad_suffix_or_option_is_one_line_and_writes_nothing(
    coded: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    from coder.cli import main

    kind, *rest = args
    argv = ["export", kind, str(coded), *(a.format(d=tmp_path) for a in rest)]
    runner = CliRunner()
    result = runner.invoke(cli, argv)
    assert result.exit_code != 0
    code = main(argv)
    assert code == 1
    assert list(tmp_path.iterdir()) == []
    if message:
        assert message in str(result.exception) or message in result.output
