"""Charts read at 80 columns: whole-number ticks for counts, and a heat map too narrow for its
numbers shows colour only rather than numbers run together (found trying coder at 80×24)."""

from __future__ import annotations

import re

import plotext

from coder.tui.screens.chart import _draw, bars, heat, whole_ticks


def _picture(data, width: int = 78, height: int = 20) -> str:  # type: ignore[no-untyped-def]
    _draw(plotext, data, width, height)
    plotext.plotsize(width, height)
    return plotext.uncolorize(plotext.build())


def test_counts_get_whole_ticks() -> None:
    assert whole_ticks([3, 8, 1]) == [0, 2, 4, 6, 8]
    assert whole_ticks([25]) == [0, 5, 10, 15, 20, 25]
    assert whole_ticks([0.5, 2]) == []  # shares keep plotext's own ticks


def test_a_bar_chart_of_counts_has_no_fractional_ticks() -> None:
    # plotext's own ticks for these were 25.0, 20.8, 16.7, 12.5, 8.3, 4.2, 0.0
    shown = _picture(bars("Passages by participant", ["P01", "P02", "P03"], [25, 10, 3]))
    ticks = re.findall(r"^\s*(\d+(?:\.\d+)?)\s*[┤│]", shown, flags=re.M)
    assert ticks, shown
    assert all("." not in t for t in ticks), ticks


def test_a_heat_map_too_narrow_for_its_numbers_shows_colour_only() -> None:
    cols = [f"Participant {i:02}" for i in range(1, 33)]
    values = [[float((r * 7 + c * 3) % 11 + 10) for c in range(32)] for r in range(4)]
    narrow = _picture(heat("Codes by participant", ["A", "B", "C", "D"], cols, values))
    assert not re.search(r"\d{3,}", narrow.split("\n", 1)[1]), narrow  # no "1012…" runs
    wide = _picture(heat("Codes by participant", ["A", "B", "C", "D"], cols[:4],
                         [r[:4] for r in values]), width=78)  # fmt: skip
    assert re.search(r"\b1\d\b", wide), wide  # with room, each cell has its number
