"""The F7 matrix's "% of words coded" cells line up: every figure with two decimals."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from coder.services.project.store import Project
from coder.tui.screens.matrix import MatrixScreen
from tests.analysis.test_gather import code_sample

from .conftest import settle


async def test_percent_cells_all_have_two_decimals(sample: Path) -> None:
    """It showed 6.07 beside 5 and 0: whole percentages came out as bare integers."""
    from coder.tui.app import CoderApp

    code_sample(sample)
    with Project.open(sample) as project:
        app = CoderApp(project)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("f7")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MatrixScreen)
            for _ in range(3):  # passages -> participants -> words -> percent
                await pilot.press("v")
                await settle(pilot)
            assert screen.result is not None and screen.result.cell == "percent"
            table = screen.table
            shown = [
                table.get_cell_at((r, c))
                for r in range(table.row_count)
                for c in range(1, len(table.columns))
            ]
            plain = [x.plain if isinstance(x, Text) else str(x) for x in shown]
            assert "0.00" in plain
            assert all(len(x.split(".")[-1]) == 2 and "." in x for x in plain), plain
