"""The analysis screens by name, so the workspace and the palette open them by one word
(and import them only when one is first opened)."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

from coder.tui import keymap
from coder.tui.screens.analysis_base import AnalysisScreen


def analysis_screen(kind: str) -> AnalysisScreen:
    """A new matrix, cooccur, query, words or framework screen."""
    if kind == "matrix":
        from coder.tui.screens.matrix import MatrixScreen

        return MatrixScreen()
    if kind == "cooccur":
        from coder.tui.screens.cooccur import CooccurScreen

        return CooccurScreen()
    if kind == "query":
        from coder.tui.screens.query import QueryScreen

        return QueryScreen()
    if kind == "words":
        from coder.tui.screens.words import WordsScreen

        return WordsScreen()
    if kind == "framework":
        from coder.tui.screens.framework import FrameworkScreen

        return FrameworkScreen()
    raise ValueError(f"no analysis screen {kind!r}")


def analysis_keys(screen: Screen[object]) -> list[Binding]:
    """The keymap group of an analysis screen, a drill-down or a chart (for the palette)."""
    from coder.tui.screens.chart import ChartScreen
    from coder.tui.screens.drill import DrillScreen

    if isinstance(screen, AnalysisScreen):
        return screen.KEYS
    if isinstance(screen, DrillScreen):
        return keymap.DRILL
    if isinstance(screen, ChartScreen):
        return keymap.CHART
    return []
