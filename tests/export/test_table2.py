"""Table 2: themes and sub-themes with memos, counts and exemplar quotes."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import pytest
from docx.enum.section import WD_ORIENT

from coder.cli import main
from coder.export.columns import TableConfig
from coder.export.exemplars import Candidate, choose, quote_text
from coder.services.codebook.codes import flat_codes
from coder.services.coding.codings import codings_for_source
from coder.services.project.store import Project
from coder.services.reports.table2 import table2_data
from coder.services.sources.transcripts import list_sources
from tests.export.docx_check import horizontal_rules, open_docx, texts, vertical_rules, vmerge

DEFAULT_HEADER = ["Theme", "Sub-theme", "Approach", "Implication", "Participants (n)",
                  "Passages (n)", "Exemplar quotes"]  # fmt: skip
SUBTHEMES = [("Bonding", "Approaching"), ("Bonding", "Reacting"),
             ("Bonding", "Encouraging participation"),
             ("Spreading", "Freedom to participate and share"),
             ("Spreading", "Freedom of expression")]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def passages_by_code(project: Project) -> dict[str, list]:  # type: ignore[type-arg]
    out: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for s in list_sources(project):
        for c in codings_for_source(project, s.id):
            out[c.code_name].append(c)
    return out


def passages(codings: list) -> int:  # type: ignore[type-arg]
    """Table 2's Passages (n): distinct spans, however many codes or coders each carries."""
    return len({(c.source_id, c.start, c.end) for c in codings})


@pytest.fixture
def table2(coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "table2.docx"
    code, _, err = run(capsys, "export", "table2", str(coded_path), "-o", str(out))
    assert code == 0, err
    return out


def test_rows_columns_and_theme_merges(table2: Path) -> None:
    doc = open_docx(table2)
    rows = texts(doc.tables[0])
    assert rows[0] == DEFAULT_HEADER
    assert [(r[0], r[1]) for r in rows[1:]] == SUBTHEMES
    grid = vmerge(doc.tables[0])
    assert [row[0] for row in grid] == [
        None,
        "restart",
        "continue",
        "continue",
        "restart",
        "continue",
    ]
    assert all(state is None for row in grid for state in row[1:])
    assert doc.paragraphs[0].text == "Table 2. Themes and sub-themes"
    assert vertical_rules(doc) == []
    assert horizontal_rules(doc.tables[0])["header"] == ["single"] * 7
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT  # portrait unless asked
    note = doc.paragraphs[-1].text
    assert note.startswith("Note. Participants (n)") and "most typical passages" in note


def test_counts_match_the_codings(table2: Path, coded_path: Path) -> None:
    rows = texts(open_docx(table2).tables[0])[1:]
    with Project.open(coded_path) as p:
        by_code = passages_by_code(p)
    for row in rows:
        codings = by_code[row[1]]
        assert row[4] == str(len({c.case_name for c in codings}))
        assert row[5] == str(passages(codings))


def test_memo_columns(table2: Path) -> None:
    rows = {r[1]: r for r in texts(open_docx(table2).tables[0])[1:]}
    assert rows["Approaching"][2].startswith("Labels share the making of records")
    assert rows["Approaching"][3] == "Fans feel part of the record before it is out."
    assert rows["Reacting"][2].startswith("Labels answer what fans say")
    assert rows["Reacting"][3] == ""
    assert rows["Freedom of expression"][2] == ""


def test_marked_exemplar_wins_and_chosen_quotes_are_real(coded: Project) -> None:
    t = table2_data(coded)
    by_code = passages_by_code(coded)
    for row in t.rows:
        codings = by_code[row.subtheme]
        marked = [c for c in codings if c.exemplar]
        if marked:
            assert [q.coding_id for q in row.quotes] == [c.id for c in marked]
            assert all(q.marked for q in row.quotes)
            continue
        assert 1 <= len(row.quotes) <= 2
        assert len({q.participant for q in row.quotes}) == len(row.quotes)
        ids = {c.id: c for c in codings}
        for q in row.quotes:
            src = ids[q.coding_id]
            assert q.participant == src.case_name
            assert q.text.rstrip(" …") in " ".join(src.snippet.split())
        cell = row.cells[[c.key for c in t.columns].index("exemplars")]
        assert cell.split("\n") == [f"\u201c{q.text}\u201d ({q.participant})" for q in row.quotes]


def test_options_quotes_theme_rows_and_columns(coded: Project) -> None:
    t = table2_data(coded, TableConfig(quotes=0))
    assert all(r.quotes == () for r in t.rows)
    t = table2_data(
        coded,
        TableConfig(
            columns=(("subtheme", "Code"), ("participants", "n"), ("passages", "Passages")),
            theme_rows=True,
        ),
    )
    assert [c.label for c in t.columns] == ["Theme", "Code", "n", "Passages"]
    assert [r.subtheme for r in t.rows][:2] == ["Overall", "Approaching"]
    by_code = passages_by_code(coded)
    bonding = [
        c
        for name in ("Bonding", "Approaching", "Reacting", "Encouraging participation")
        for c in by_code.get(name, [])
    ]
    assert t.rows[0].cells[2:] == (str(len({c.case_name for c in bonding})), str(passages(bonding)))
    assert t.grid().spans[0].first == 0 and t.grid().spans[0].last == 3


def test_flat_formats_keep_quotes_in_one_cell(
    coded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "export", "table2", str(coded_path), "-o", str(tmp_path / "t.csv"))[0] == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text("utf-8-sig"))))
    assert rows[0] == DEFAULT_HEADER and len(rows) == 6
    assert rows[2][0] == "Bonding"  # merged theme cells repeat in CSV
    assert rows[1][6].count("\n") == 1
    code, out, _ = run(capsys, "export", "table2", str(coded_path), "-o", "-", "--format", "md")
    assert code == 0 and "<br>" in out and "| | Reacting |" in out.replace("|  |", "| |")


def test_choose_rule() -> None:
    typical = "We reply to every fan comment on the page, every reply matters to fans."
    cands = [
        Candidate(1, "P1", typical),
        Candidate(2, "P1", "Fans comment on the page and we reply to each comment quickly."),
        Candidate(3, "P2", "The fans comment and we reply on the page to every single fan."),
        Candidate(4, "P3", "The van broke down in Leeds so we missed the ferry entirely."),
        Candidate(5, "P4", "Reply."),
    ]
    picked = choose(cands, "replying to fan comments on the page", limit=2)
    assert [c.participant for c in picked] == ["P1", "P2"]  # one per participant
    assert 4 not in [c.key for c in picked] and 5 not in [c.key for c in picked]
    assert choose(cands, "", limit=3) == choose(cands, "", limit=3)  # deterministic
    marked = [*cands, Candidate(9, "P3", "The van broke down.", marked=True)]
    assert [c.key for c in choose(marked, "anything", limit=2)] == [9]
    assert choose(cands, "x", limit=0) == []


def test_quote_text() -> None:
    assert quote_text("Helen: Yes,   we\ndo.", {"Helen"}) == "Yes, we do."
    assert quote_text("Honestly: no.", {"Helen"}) == "Honestly: no."
    long = "We post every day. " * 40
    short = quote_text(long)
    assert short.endswith("…") and len(short) <= 322
    assert short.rstrip(" …") in long


def test_codes_beneath_a_subtheme_count_towards_it(coded: Project) -> None:
    from coder.services.codebook.codes import create_code
    from coder.services.coding.codings import apply_code

    parent = next(c for c in flat_codes(coded) if c.name == "Reacting")
    child = create_code(coded, "Replying to covers", parent.id)
    src = list_sources(coded)[0]
    apply_code(coded, src.id, 0, 20, child.id)
    before = passages_by_code(coded)["Reacting"]
    row = next(
        r for r in table2_data(coded, TableConfig(quotes=0)).rows if r.subtheme == "Reacting"
    )
    passages = row.cells[[c.key for c in table2_data(coded).columns].index("passages")]
    assert passages == str(len(before) + 1)


def test_a_theme_coded_directly_gives_every_theme_its_overall_row(coded: Project) -> None:
    """Passages coded to a theme itself are never left out of Table 2, and Overall rows come
    for every theme or for none (issue 13, item 18)."""
    from coder.services.coding.codings import apply_code

    cfg = TableConfig(quotes=0, columns=(("subtheme", "Sub-theme"), ("passages", "Passages")))
    assert all(r.subtheme != "Overall" for r in table2_data(coded, cfg).rows)
    spreading = next(c for c in flat_codes(coded) if c.name == "Spreading")
    src = list_sources(coded)[0]
    apply_code(coded, src.id, 0, 20, spreading.id)
    table = table2_data(coded, cfg)
    overall = {r.theme: r for r in table.rows if r.subtheme == "Overall"}
    assert list(overall) == ["Bonding", "Spreading"]  # not only the theme coded directly
    by_code = passages_by_code(coded)
    under = passages(
        [
            c
            for n in ("Spreading", "Freedom to participate and share", "Freedom of expression")
            for c in by_code.get(n, [])
        ]
    )
    assert overall["Spreading"].cells[-1] == str(under)
    assert "Overall: the theme as a whole" in table.note
    assert [r.subtheme for r in table.rows if r.theme == "Bonding"][0] == "Overall"


def test_a_theme_memo_shown_as_a_column_gives_overall_rows(coded: Project) -> None:
    from coder.services.codebook.memos import save_memo

    bonding = next(c for c in flat_codes(coded) if c.name == "Bonding")
    save_memo(coded, kind="code", code_id=bonding.id, title="Summary", text="They answer.")
    hidden = TableConfig(columns=(("subtheme", "Sub-theme"), ("passages", "Passages")))
    assert all(r.subtheme != "Overall" for r in table2_data(coded, hidden).rows)
    shown = TableConfig(columns=(("subtheme", "Sub-theme"), ("memo:Summary", "Summary")))
    rows = table2_data(coded, shown).rows
    assert [r.theme for r in rows if r.subtheme == "Overall"] == ["Bonding", "Spreading"]
    assert rows[0].cells[-1] == "They answer."
