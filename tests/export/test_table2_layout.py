"""Table 2 as journals print it (issue 13, item 18): a theme-only layout, quotes trimmed to a
length, the page (A4 or Letter, portrait unless asked), all remembered; Word files reopened."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Inches, Mm

from coder.cli import main
from coder.export.columns import TableConfig
from coder.services.project.store import Project
from coder.services.reports.layout import load_config
from coder.services.reports.table2 import table2_data
from tests.export.docx_check import open_docx, texts, vmerge
from tests.export.test_table2 import passages, passages_by_code

THEMES = {
    "Bonding": ("Bonding", "Approaching", "Reacting", "Encouraging participation"),
    "Spreading": ("Spreading", "Freedom to participate and share", "Freedom of expression"),
}


def near(emu: int | None, want: int) -> bool:
    """Equal to within a tenth of a millimetre (Word keeps page sizes in whole twips)."""
    return emu is not None and abs(emu - want) < Mm(0.1)


def export(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(["export", "table2", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_themes_layout_has_one_row_per_theme(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "themes.docx"
    export(capsys, str(coded_path), "-o", str(out), "--layout", "themes")
    doc = open_docx(out)
    rows = texts(doc.tables[0])
    # The sample's Approach and Implication memos are on sub-themes, not on the themes.
    assert rows[0] == ["Theme", "Definition", "Participants (n)", "Passages (n)",
                       "Exemplar quotes"]  # fmt: skip
    assert [r[0] for r in rows[1:]] == ["Bonding", "Spreading"]
    assert all(state is None for row in vmerge(doc.tables[0]) for state in row)
    assert doc.paragraphs[0].text == "Table 2. Themes"
    assert "coded with the theme or a code beneath it" in doc.paragraphs[-1].text
    with Project.open(coded_path) as p:
        by_code = passages_by_code(p)
    for row in rows[1:]:
        codings = [c for name in THEMES[row[0]] for c in by_code.get(name, [])]
        assert row[2] == str(len({c.case_name for c in codings}))
        assert row[3] == str(passages(codings))
        assert 1 <= row[4].count("\u201d (") <= 2  # quotes drawn from the whole theme


def test_themes_layout_shows_the_themes_own_memos(coded: Project) -> None:
    """The seed paper's Table 2: a row per theme, its Approach and Implication."""
    from coder.services.codebook.codes import flat_codes
    from coder.services.codebook.memos import save_memo

    for name in THEMES:
        code = next(c for c in flat_codes(coded) if c.name == name)
        for title in ("Approach", "Implication"):
            save_memo(coded, kind="code", code_id=code.id, title=title, text=f"{title} of {name}")
    t = table2_data(coded, TableConfig(layout="themes"))
    assert [c.label for c in t.columns][:3] == ["Theme", "Approach", "Implication"]
    assert [r.cells[:3] for r in t.rows] == [
        ("Bonding", "Approach of Bonding", "Implication of Bonding"),
        ("Spreading", "Approach of Spreading", "Implication of Spreading"),
    ]


def test_themes_layout_has_no_subtheme_column_nor_overall_rows(coded: Project) -> None:
    cols = (("subtheme", "Sub-theme"), ("passages", "Passages"))
    t = table2_data(coded, TableConfig(cols, layout="themes"))
    assert [c.key for c in t.columns] == ["theme", "passages"]
    assert [r.subtheme for r in t.rows] == ["", ""]
    t = table2_data(coded, TableConfig(cols, layout="themes", theme_rows=True))
    assert len(t.rows) == 2  # Overall rows belong to the sub-theme layout only


@pytest.mark.parametrize(
    ("page", "width", "height"),
    [
        ("a4", Mm(210), Mm(297)),
        ("letter", Inches(8.5), Inches(11)),
        (None, Inches(8.5), Inches(11)),
    ],
)
def test_page_size_portrait_by_default(
    coded_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    page: str | None,
    width: int,
    height: int,
) -> None:
    out = tmp_path / "t.docx"
    export(capsys, str(coded_path), "-o", str(out), *(["--page", page] if page else []))
    sec = open_docx(out).sections[0]
    assert near(sec.page_width, width) and near(sec.page_height, height)
    assert sec.orientation == WD_ORIENT.PORTRAIT
    assert near(sec.page_width - sec.left_margin - sec.right_margin, width - Inches(2))
    table = open_docx(out).tables[0]
    widths = sum(c.width for c in table.columns)
    assert widths <= width - Inches(2) + Mm(0.1)  # the table fits the text width of the page


def test_landscape_when_asked_and_table1_takes_the_page_too(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "wide.docx"
    export(capsys, str(coded_path), "-o", str(out), "--page", "A4", "--landscape")
    sec = open_docx(out).sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE
    assert near(sec.page_width, Mm(297)) and near(sec.page_height, Mm(210))
    assert main(["export", "table1", str(coded_path), "-o", str(tmp_path / "t1.docx"),
                 "--page", "a4"]) == 0  # fmt: skip
    sec = open_docx(tmp_path / "t1.docx").sections[0]
    assert near(sec.page_width, Mm(210)) and near(sec.page_height, Mm(297))


def _words(quote: str) -> int:
    return len(quote.replace("[\u2026]", "").split())


def test_quote_words_trims_every_quote(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project.open(coded_path) as p:
        long = [q for r in table2_data(p).rows for q in r.quotes if len(q.text.split()) > 12]
    assert long, "the sample needs a quote longer than the limit for this test to mean anything"
    out = tmp_path / "short.docx"
    export(capsys, str(coded_path), "-o", str(out), "--quote-words", "12")
    doc = open_docx(out)
    rows = texts(doc.tables[0])
    col = rows[0].index("Exemplar quotes")
    quotes = [m.group(1) for r in rows[1:] for m in re.finditer(r"\u201c(.*?)\u201d", r[col], re.S)]
    assert quotes and all(_words(q) <= 12 for q in quotes)
    assert any(q.endswith("[\u2026]") for q in quotes)
    assert "at most 12 words" in doc.paragraphs[-1].text
    with Project.open(coded_path) as p:
        remembered = load_config(p, "table2")
        assert remembered.quote_words == 12
        assert all(_words(q.text) <= 12 for r in table2_data(p).rows for q in r.quotes)


def test_options_are_remembered_but_not_by_a_preview(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export(capsys, str(coded_path), "-o", "-", "--format", "csv", "--layout", "themes")
    with Project.open(coded_path) as p:
        assert load_config(p, "table2").layout is None
    export(capsys, str(coded_path), "-o", str(tmp_path / "a.docx"), "--layout", "themes",
           "--page", "a4", "--quote-words", "20")  # fmt: skip
    export(capsys, str(coded_path), "-o", str(tmp_path / "b.docx"))
    assert main(["export", "columns", str(coded_path)]) == 0
    shown = capsys.readouterr().out
    assert "remembered options: --layout themes --quote-words 20 --page a4" in shown
    doc = open_docx(tmp_path / "b.docx")
    assert [r[0] for r in texts(doc.tables[0])[1:]] == ["Bonding", "Spreading"]
    assert near(doc.sections[0].page_width, Mm(210))
    export(capsys, str(coded_path), "-o", str(tmp_path / "c.docx"), "--layout", "subthemes",
           "--quote-words", "0")  # fmt: skip
    assert len(texts(open_docx(tmp_path / "c.docx").tables[0])) == 6
    with Project.open(coded_path) as p:
        assert load_config(p, "table2").quote_words == 0
        assert any(len(q.text.split()) > 20 for r in table2_data(p).rows for q in r.quotes)


def test_bad_values_are_one_line(coded_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--page", "a3"], ["--layout", "codes"], ["--quote-words", "2"]):
        code = main(["export", "table2", str(coded_path), "-o", "x.docx", *argv])
        err = capsys.readouterr().err
        assert code != 0 and "Traceback" not in err and argv[0] in err
