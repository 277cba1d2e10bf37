"""The export dialog (Ctrl+E): preview, columns, formats, paths, and the remembered layout.

Real pilots on a copy of the sample study; the files written are opened again with python-docx
and the csv module, and the remembered layout is read back through the services.
"""

from __future__ import annotations

import csv
from pathlib import Path

from docx import Document
from textual.widgets import Button, Input, Tabs

from coder.services.project.store import Project
from coder.services.reports.layout import load_config
from coder.tui.screens.export import ExportScreen
from coder.tui.widgets.export_columns import ColumnList
from coder.tui.widgets.export_preview import PreviewTable

from .conftest import settle

TABLE1 = ["Label", "Position", "Years in music industry", "Genre(s)", "Year established",
          "Interview (min)"]  # fmt: skip


async def open_dialog(pilot) -> ExportScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("ctrl+e")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    return screen


def preview_of(screen: ExportScreen) -> PreviewTable:
    return screen.query_one(PreviewTable)


async def highlight(pilot, screen: ExportScreen, header: str) -> None:  # type: ignore[no-untyped-def]
    """Move the checklist's highlight to a column with the arrow keys."""
    columns = screen.query_one(ColumnList)
    columns.focus()
    await pilot.press("home")
    for _ in range(len(columns.items)):
        if columns.current is not None and columns.current.header == header:
            return
        await pilot.press("down")
    raise AssertionError(f"no column {header!r}")


async def export_to(pilot, screen: ExportScreen, path: Path | str) -> None:  # type: ignore[no-untyped-def]
    screen.query_one("#export-path", Input).value = str(path)
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)


def docx_tables(path: Path) -> list[list[list[str]]]:
    doc = Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


async def test_preview_shows_table1_and_follows_the_columns(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_dialog(pilot)
        table = preview_of(screen)
        assert table.row_count == 12
        assert table.column_labels() == TABLE1
        # P10 shares Label I with P09: the merged cells are blank below the first row.
        assert table.row_texts("P10") == ["", "Digital Media", "2", "", "", "45"]
        assert table.row_texts("P09")[:2] == ["I", "President"]
        assert "12 participants" in str(screen.query_one("#export-note").render())

        await highlight(pilot, screen, "Position")
        await pilot.press("space")
        await settle(pilot)
        assert "Position" not in table.column_labels()
        assert table.row_texts("P10") == ["", "2", "", "", "45"]

        await highlight(pilot, screen, "Participant")
        await pilot.press("space")
        await settle(pilot)
        assert table.column_labels()[-1] == "Participant"
        await pilot.press("shift+up")  # one column to the left
        await settle(pilot)
        keys = [k for k, _ in screen.query_one(ColumnList).columns()]
        assert keys[-2:] == ["participant", "attr:Interview (min)"]
        assert table.column_labels()[-2:] == ["Participant", "Interview (min)"]
        assert not table.show_row_labels  # the participant is a column now


async def test_reorder_rename_and_export_table1_to_docx(app, sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_dialog(pilot)
        await highlight(pilot, screen, "Position")
        await pilot.press("space")  # untick Position
        await highlight(pilot, screen, "Interview (min)")
        for _ in range(4):
            await pilot.press("shift+up")  # to second place, after Label
        await settle(pilot)
        table = preview_of(screen)
        assert table.column_labels()[:2] == ["Label", "Interview (min)"]
        header = screen.query_one("#export-header", Input)
        header.focus()
        await pilot.press("ctrl+u", *"Minutes")
        await pilot.press("enter")
        await settle(pilot)
        assert table.column_labels()[:2] == ["Label", "Minutes"]
        screen.query_one("#export-caption", Input).value = "Table 1. Who we spoke to"
        await export_to(pilot, screen, tmp_path / "table1.docx")
        assert app.screen is app.workspace  # closed after writing
        await pilot.pause()
        toasts = " ".join(str(t.render()) for t in app.screen.query("Toast"))
        assert f"wrote {tmp_path / 'table1.docx'}" in toasts

    (rows,) = docx_tables(tmp_path / "table1.docx")
    assert rows[0] == ["Label", "Minutes", "Years in music industry", "Genre(s)",
                       "Year established"]  # fmt: skip
    assert "Position" not in rows[0] and "Vice President" not in [c for r in rows for c in r]
    assert len(rows) == 13
    assert rows[10][:2] == ["I", "45"]  # P10: Word merges the label cell; python-docx repeats it
    doc = Document(str(tmp_path / "table1.docx"))
    assert any("Who we spoke to" in p.text for p in doc.paragraphs)

    with Project.open(sample) as project:
        cfg = load_config(project, "table1")
    assert cfg.columns == (
        ("organisation", "Label"),
        ("attr:Interview (min)", "Minutes"),
        ("attr:Years in music industry", "Years in music industry"),
        ("attr:Genre(s)", "Genre(s)"),
        ("attr:Year established", "Year established"),
    )
    assert cfg.caption == "Table 1. Who we spoke to"


async def test_the_next_dialog_starts_from_the_remembered_layout(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_dialog(pilot)
        await highlight(pilot, screen, "Year established")
        await pilot.press("space")
        await export_to(pilot, screen, tmp_path / "t1.md")
        assert (tmp_path / "t1.md").read_text().count("\n|") >= 13
        screen = await open_dialog(pilot)
        assert "Year established" not in preview_of(screen).column_labels()
        # The same file is offered again, in its format.
        assert screen.query_one("#export-path", Input).value == str(tmp_path / "t1.md")
        assert screen.query_one("#export-fmt-md").value
        ticked = [c.header for c in screen.query_one(ColumnList).items if c.on]
        assert ticked == [h for h in TABLE1 if h != "Year established"]


async def test_table2_as_csv(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_dialog(pilot)
        screen.query_one("#export-kind", Tabs).active = "export-table2"
        await settle(pilot)
        table = preview_of(screen)
        assert table.column_labels()[:2] == ["Theme", "Sub-theme"]
        assert table.row_texts("Bonding")[1] == "Approaching"
        assert table.row_count == 5
        path = screen.query_one("#export-path", Input)
        assert path.value == str(tmp_path / "table2.docx")  # beside the project
        await pilot.click("#export-fmt-csv")
        await pilot.pause()
        assert path.value == str(tmp_path / "table2.csv")
        # Theme and sub-theme cannot be taken out.
        await highlight(pilot, screen, "Theme")
        await pilot.press("space", "shift+down")
        await settle(pilot)
        assert table.column_labels()[:2] == ["Theme", "Sub-theme"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.workspace

    with open(tmp_path / "table2.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["Theme", "Sub-theme", "Definition"]
    assert [r[1] for r in rows[1:]] == ["Approaching", "Reacting", "Encouraging participation",
                                        "Freedom to participate and share",
                                        "Freedom of expression"]  # fmt: skip
    assert rows[2][0] == "Bonding"  # CSV repeats merged cells


async def test_bad_paths_give_one_line_and_write_nothing(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_dialog(pilot)
        error = screen.query_one("#export-error")
        for path, words in [
            (tmp_path / "missing" / "t.docx", "does not exist"),
            (tmp_path / "t.txt", "cannot save as .txt"),
            (tmp_path, "is a folder"),
            ("   ", "give a file name"),
        ]:
            await export_to(pilot, screen, path)
            assert app.screen is screen
            text = str(error.render())
            assert words in text and "\n" not in text.strip() and "Traceback" not in text
        # Typing another extension changes the format; the codebook cannot be a spreadsheet.
        screen.query_one("#export-kind", Tabs).active = "export-codebook"
        await settle(pilot)
        assert screen.query_one("#export-fmt-xlsx").disabled
        await export_to(pilot, screen, tmp_path / "book.xlsx")
        assert "use .docx, .md" in str(error.render())
        written = [p.name for p in tmp_path.iterdir() if not p.name.startswith("s.coder")]
        assert written == []
        await pilot.press("escape")
        assert app.screen is app.workspace


async def test_codebook_and_extracts_documents(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_dialog(pilot)
        screen.query_one("#export-kind", Tabs).active = "export-codebook"
        await settle(pilot)
        table = preview_of(screen)
        assert table.row_texts("Bonding")[0] == "Bonding"
        assert table.row_count == 7
        await export_to(pilot, screen, tmp_path / "codebook.md")
        text = (tmp_path / "codebook.md").read_text()
        assert "Freedom of expression" in text

        screen = await open_dialog(pilot)
        screen.query_one("#export-kind", Tabs).active = "export-extracts"
        await settle(pilot)
        assert screen.query_one("#export-path", Input).value == str(tmp_path / "extracts.docx")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert Document(str(tmp_path / "extracts.docx")).paragraphs


async def test_replacing_a_file_asks_first(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "table1.csv"
    target.write_text("keep me")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_dialog(pilot)
        await export_to(pilot, screen, target)
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert target.read_text() == "keep me" and app.screen is screen
        assert not screen.query_one("#export-go", Button).disabled
        await pilot.press("ctrl+s", "y")
        await settle(pilot)
        assert target.read_text(encoding="utf-8-sig").startswith("Label,Position")


async def test_palette_and_help_offer_the_export(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Export")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        from coder.tui import keymap

        ids = {b.id for _t, group in keymap.GROUPS for b in group}
        assert {"workspace.export", "export.write", "export.toggle_column"} <= ids
        await pilot.press("escape")
        await pilot.press("f1")
        from rich.console import Console

        from coder.tui.dialogs.help import help_table

        console = Console(record=True, width=120, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(help_table())
        assert "Export Table 1, Table 2, the codebook" in console.export_text()


async def test_works_at_80x24(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """At 80x24 the format, the file name and the Export button are on screen without
    scrolling, and Ctrl+PgDn/PgUp move between the tabs (the dialog's hint says so)."""
    from textual.widgets import Tabs

    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dialog(pilot)
        dialog = screen.query_one("#export-dialog")
        assert dialog.scroll_y == 0
        for selector in ("#export-format", "#export-path", "#export-go"):
            widget = screen.query_one(selector)
            x, y = widget.region.center
            assert 0 <= y < 23, selector  # above the footer row
            assert screen.get_widget_at(x, y)[0] in (widget, *widget.query("*")), selector
        assert "Ctrl+PgUp/PgDn" in str(screen.query_one("#export-buttons .dialog-hint").render())
        tabs = screen.query_one("#export-kind", Tabs)
        first = tabs.active
        await pilot.press("ctrl+pagedown")
        await settle(pilot)
        assert tabs.active != first
        await pilot.press("ctrl+pageup")
        await settle(pilot)
        assert tabs.active == first
        path = screen.query_one("#export-path", Input)
        path.focus()
        await pilot.pause()
        path.value = str(tmp_path / "small.xlsx")
        await pilot.pause()
        assert screen.query_one("#export-fmt-xlsx").value  # the extension picked the format
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (tmp_path / "small.xlsx").read_bytes()[:2] == b"PK"


def test_export_dialog_120x40(app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = await open_dialog(pilot)
        screen.query_one("#export-path", Input).value = "~/thesis/table1.docx"  # not tmp_path
        await pilot.press("down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


async def test_another_kind_keeps_the_folder_not_the_name(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "out").mkdir()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_dialog(pilot)
        path = screen.query_one("#export-path", Input)
        path.value = str(tmp_path / "out" / "participants.md")
        await pilot.pause()
        assert screen.query_one("#export-fmt-md").value
        screen.query_one("#export-kind", Tabs).active = "export-extracts"
        await settle(pilot)
        assert path.value == str(tmp_path / "out" / "extracts.md")
        screen.query_one("#export-kind", Tabs).active = "export-table1"
        await settle(pilot)
        assert path.value == str(tmp_path / "out" / "table1.md")
        assert preview_of(screen).row_count == 12  # the checklist and preview came back


async def test_table2_layout_quote_words_and_page(app, sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 13, item 18: the dialog offers what `coder export table2 --layout --quote-words
    --page` does; the preview follows; the Word file and the remembered layout match."""
    from docx.shared import Mm

    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_dialog(pilot)
        assert not screen.query_one("#export-layout-row").display  # Table 1: the page only
        assert screen.query_one("#export-page-row").display
        screen.query_one("#export-kind", Tabs).active = "export-table2"
        await settle(pilot)
        assert screen.query_one("#export-layout-row").display
        table = preview_of(screen)
        assert table.row_count == 5
        await pilot.click("#export-layout-themes")
        await settle(pilot)
        assert table.column_labels()[:2] == ["Theme", "Definition"]
        assert table.row_count == 2
        sub = next(c for c in screen.query_one(ColumnList).items if c.key == "subtheme")
        assert not sub.on and not sub.fixed
        words = screen.query_one("#export-words", Input)
        words.value = "3"
        await settle(pilot)
        await pilot.click("#export-page-a4")
        await pilot.pause()
        await export_to(pilot, screen, tmp_path / "themes.docx")
        assert app.screen is screen  # 3 words is refused in one line, nothing written
        assert "quote words" in str(screen.query_one("#export-error").render())
        assert not (tmp_path / "themes.docx").exists()
        words.value = "12"
        await settle(pilot)
        await export_to(pilot, screen, tmp_path / "themes.docx")
        assert app.screen is app.workspace

    doc = Document(str(tmp_path / "themes.docx"))
    assert [r.cells[0].text for r in doc.tables[0].rows] == ["Theme", "Bonding", "Spreading"]
    assert abs(doc.sections[0].page_width - Mm(210)) < Mm(0.1)
    with Project.open(sample) as p:
        cfg = load_config(p, "table2")
        assert (cfg.layout, cfg.quote_words, cfg.page) == ("themes", 12, "a4")


async def test_options_fit_at_80x24(app) -> None:  # type: ignore[no-untyped-def]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_dialog(pilot)
        screen.query_one("#export-kind", Tabs).active = "export-table2"
        await settle(pilot)
        for selector in ("#export-layout-themes", "#export-page-a4", "#export-words",
                         "#export-path", "#export-go"):  # fmt: skip
            widget = screen.query_one(selector)
            x, y = widget.region.center
            assert 0 <= y < 23 and 0 <= x < 80, selector
            assert screen.get_widget_at(x, y)[0] in (widget, *widget.query("*")), selector
