"""Analysis results drawn through export.charts and read back."""

from __future__ import annotations

from pathlib import Path

from coder.analysis.cooccur import cooccur
from coder.analysis.matrix import matrix
from coder.analysis.records import Corpus
from coder.analysis.words import WordRow, WordTable
from coder.services.analysis.figures import (
    code_frequency_figure,
    cooccur_figure,
    matrix_figure,
    words_figure,
)


def test_figures_carry_their_labels(random_corpus: Corpus, tmp_path: Path) -> None:
    from matplotlib.image import imread

    m = matrix(random_corpus, "participant")
    svg = matrix_figure(m, tmp_path / "m.svg").read_text()
    assert all(c in svg for c in m.cols) and "Reacting" in svg and "Deep" in svg
    png = matrix_figure(m, tmp_path / "m.png")
    assert imread(png)[..., :3].std() > 0.05
    co = cooccur(random_corpus, "overlap")
    svg = cooccur_figure(co, tmp_path / "c.svg", jaccard=True).read_text()
    assert "Reacting/Calm/Deep" in svg and "Unused" not in svg and "Jaccard" in svg
    bars = code_frequency_figure(m, tmp_path / "b.svg").read_text()
    assert "Bonding" in bars and "Ann" in bars and "Deep" not in bars
    table = WordTable(("Rock", "Jazz"), (WordRow("song", (3, 1), 4), WordRow("$ign", (1, 0), 1)))
    assert "$ign" in words_figure(table, tmp_path / "w.svg").read_text()
