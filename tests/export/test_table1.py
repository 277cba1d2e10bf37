"""Table 1: the sample study's participants table, exactly as the published study has it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import load_workbook

from coder.cli import main
from coder.export.columns import TableConfig
from coder.services.project.settings import get_setting, put_setting
from coder.services.project.store import Project
from coder.services.reports.table1 import table1_data
from coder.services.sources.cases import import_cases
from tests.export.docx_check import (
    font_names,
    horizontal_rules,
    open_docx,
    texts,
    vertical_rules,
    vmerge,
)

HEADER = ["Label", "Position", "Years in music industry", "Genre(s)", "Year established",
          "Interview (min)"]  # fmt: skip
EXPECTED = [
    ["A", "Vice President", "14", "Rock, Folk etc.", "1998", "130"],
    ["B", "A&R Chief", "14", "Rock, Pop etc.", "2006", "50"],
    ["C", "Director", "9", "Rock", "2010", "70"],
    ["D", "President", "10", "Hip-hop", "2010", "85"],
    ["E", "CEO and Producer", "22", "Rock", "2011", "150"],
    ["F", "Director", "17", "Rock, Pop etc.", "2006", "80"],
    ["G", "President", "18", "Pop, Jazz etc.", "2005", "85"],
    ["H", "President", "Less than 1", "R&B, Rock etc.", "2012", "76"],
    ["I", "President", "7", "Rock, Folk etc.", "2005", "50"],
    ["I", "Digital Media", "2", "Rock, Folk etc.", "2005", "45"],
    ["J", "Manager", "11", "Rock, Folk etc.", "2011", "80"],
    ["J", "Member", "8", "Rock, Folk etc.", "2011", "60"],
]
COLUMNS = ",".join(HEADER)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def table1(coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "table1.docx"
    code, stdout, err = run(
        capsys, "export", "table1", str(coded_path), "-o", str(out), "--columns", COLUMNS
    )
    assert code == 0, err
    assert "12 rows, 6 columns" in stdout
    return out


def test_cells_reproduce_the_published_table(table1: Path) -> None:
    doc = open_docx(table1)
    assert len(doc.tables) == 1
    assert texts(doc.tables[0]) == [HEADER, *EXPECTED]


def test_organisation_cells_are_merged_vertically_for_labels_i_and_j(table1: Path) -> None:
    grid = vmerge(open_docx(table1).tables[0])
    shared = {0, 3, 4}  # Label, Genre(s), Year established
    for r, row in enumerate(grid):
        for c, state in enumerate(row):
            if r in (9, 11) and c in shared:
                assert state == "restart", (r, c)
            elif r in (10, 12) and c in shared:
                assert state == "continue", (r, c)
            else:
                assert state is None, (r, c, state)


def test_apa_style_no_vertical_rules_three_horizontal_rules(table1: Path) -> None:
    doc = open_docx(table1)
    assert vertical_rules(doc) == []
    rules = horizontal_rules(doc.tables[0])
    assert rules["top"] == "single" and rules["bottom"] == "single"
    assert rules["insideH"] == "nil"
    assert rules["header"] == ["single"] * 6
    assert rules["body_cells_with_borders"] == 0


def test_caption_above_the_table_and_one_font(table1: Path) -> None:
    doc = open_docx(table1)
    caption = doc.paragraphs[0]
    assert caption.text == "Table 1. Profile of participants"
    assert caption.style.name == "Caption"
    assert caption.runs[0].bold and caption.runs[0].text == "Table 1."
    body = doc.element.body
    assert body.index(doc.paragraphs[0]._p) < body.index(doc.tables[0]._tbl)
    names, themes = font_names(doc)
    assert names == {"Times New Roman"}
    assert themes == []


def test_numbers_are_right_aligned_text_left(table1: Path) -> None:
    row = open_docx(table1).tables[0].rows[1].cells
    right = {2, 4, 5}
    for c, cell in enumerate(row):
        want = WD_ALIGN_PARAGRAPH.RIGHT if c in right else WD_ALIGN_PARAGRAPH.LEFT
        assert cell.paragraphs[0].alignment == want, c


def test_columns_and_caption_are_remembered(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    assert (
        run(
            capsys,
            "export",
            "table1",
            str(coded_path),
            "-o",
            str(first),
            "--columns",
            "Label,Position=Role,Interview (min)=Minutes",
            "--caption",
            "Table 1. Interviewees",
        )[0]
        == 0
    )
    assert run(capsys, "export", "table1", str(coded_path), "-o", str(second))[0] == 0
    doc = open_docx(second)
    assert texts(doc.tables[0])[0] == ["Label", "Role", "Minutes"]
    assert texts(doc.tables[0])[10] == ["I", "Digital Media", "45"]
    assert doc.paragraphs[0].text == "Table 1. Interviewees"
    with Project.open(coded_path) as p:
        assert "Minutes" in get_setting(p, "export.table1")


def test_default_columns_follow_the_sheet(coded: Project) -> None:
    # the organisation column is headed as the participants sheet headed it
    t = table1_data(coded)
    assert [c.label for c in t.columns] == HEADER
    put_setting(coded, "cases.organisation_label", "Record label")
    assert [c.label for c in table1_data(coded).columns] == ["Record label", *HEADER[1:]]
    put_setting(coded, "cases.organisation_label", "Label")
    t = table1_data(coded)
    assert [list(r.cells) for r in t.rows] == EXPECTED
    assert [c.scope for c in t.columns] == [
        "organisation",
        "case",
        "case",
        "organisation",
        "organisation",
        "case",
    ]


def test_values_are_shown_as_typed(tmp_path: Path) -> None:
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "Participant,Organisation,Score,Code,Joined\n"
        "P1,X,2.50,007,2024-01-05\nP2,X,10,012,2023-12-31\nP10,Y,3,100,2020-02-29\n",
        "utf-8",
    )
    with Project.create(tmp_path / "p.coder") as p:
        import_cases(p, str(sheet))
        t = table1_data(
            p,
            TableConfig(
                columns=(
                    ("participant", "ID"),
                    ("organisation", "Team"),
                    ("attr:Score", "Score"),
                    ("attr:Code", "Code"),
                    ("attr:Joined", "Joined"),
                )
            ),
        )
    assert [list(r.cells) for r in t.rows] == [
        ["P1", "X", "2.50", "007", "2024-01-05"],
        ["P2", "X", "10", "012", "2023-12-31"],
        ["P10", "Y", "3", "100", "2020-02-29"],
    ]
    assert [c.numeric for c in t.columns] == [False, False, True, True, False]


def test_csv_xlsx_and_markdown(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for suffix in ("csv", "xlsx", "md"):
        code, _, err = run(
            capsys,
            "export",
            "table1",
            str(coded_path),
            "-o",
            str(tmp_path / f"t.{suffix}"),
            "--columns",
            COLUMNS,
        )
        assert code == 0, err
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [HEADER, *EXPECTED]  # merged cells repeat their value
    ws = load_workbook(tmp_path / "t.xlsx").active
    assert ws["A1"].value == "Table 1. Profile of participants"
    assert [c.value for c in ws[2]] == HEADER
    assert ws["B11"].value == "President" and ws["F12"].value == 45
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A11:A12", "D11:D12", "E11:E12", "A13:A14", "D13:D14", "E13:E14"}
    md = (tmp_path / "t.md").read_text("utf-8").splitlines()
    assert md[0] == "**Table 1.** *Profile of participants*"
    assert md[3] == "|---|---|---:|---|---:|---:|"
    assert md[13] == "|  | Digital Media | 2 |  |  | 45 |"


def test_format_flag_stdout_and_bad_extension(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "export", "table1", str(coded_path), "-o", "-", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("Label,Position")
    code, _, err = run(capsys, "export", "table1", str(coded_path), "-o", str(tmp_path / "t.pdf"))
    assert code == 1 and err.count("\n") == 1 and "t.pdf" in err
    code, _, err = run(capsys, "export", "table1", str(coded_path), "--columns", "Label,Nope")
    assert code == 1 and "no column 'Nope'" in err and err.count("\n") == 1
    code, _, err = run(capsys, "export", "table1", str(coded_path), "-o", "-")
    assert code == 1 and "cannot print docx" in err
    assert "add --format md (or csv)" in err  # how to preview, not only what failed
    assert not list(tmp_path.glob("*.pdf"))
