"""Charts are drawn, written and opened again: PNG size and ink, SVG text."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.errors import UserError
from coder.export.charts import bars, heatmap

ROWS = ["Reacting", "Reacting/Anger", "$5 tips & <tricks>"]
COLS = ["Ann", "Ben", "(none)"]
VALUES = [[3, 0, 1], [2, 0, 0], [0, 4, 1]]


def test_png_heatmap_has_size_and_ink(tmp_path: Path) -> None:
    from matplotlib.image import imread

    out = heatmap(tmp_path / "m.png", ROWS, COLS, VALUES, title="Codes by participant")
    pixels = imread(out)
    height, width = pixels.shape[:2]
    assert width >= 400 and height >= 200
    rgb = pixels[..., :3].reshape(-1, 3)
    # not blank: many colours, some dark (text) and some saturated (the heat map)
    assert len({tuple(p) for p in rgb[:: max(1, len(rgb) // 20000)].tolist()}) > 20
    assert rgb.min() < 0.2 and (rgb.max(axis=1) - rgb.min(axis=1)).max() > 0.5


def test_svg_keeps_labels_as_plain_text(tmp_path: Path) -> None:
    out = heatmap(tmp_path / "m.svg", ROWS, COLS, VALUES, title="Costs in $")
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<?xml")
    for label in ["Reacting/Anger", "$5 tips &amp; &lt;tricks&gt;", "Ann", "(none)", "Costs in $"]:
        assert label in svg, label


def test_bars_png_and_svg(tmp_path: Path) -> None:
    from matplotlib.image import imread

    series = [("Rock", [5, 3, 1]), ("Jazz", [1, 2, 6])]
    png = bars(tmp_path / "w.png", ["song", "band", "label $x$"], series, title="Words")
    assert imread(png).shape[1] >= 400
    svg = bars(tmp_path / "w.svg", ["song", "band", "label $x$"], series).read_text()
    assert "label $x$" in svg and "Rock" in svg and "Jazz" in svg


def test_bad_target_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="written as .png or .svg"):
        heatmap(tmp_path / "m.pdf", ROWS, COLS, VALUES)
    with pytest.raises(UserError, match="folder does not exist"):
        heatmap(tmp_path / "nope" / "m.png", ROWS, COLS, VALUES)
    assert list(tmp_path.iterdir()) == []
