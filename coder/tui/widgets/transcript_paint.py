"""Drawing one row of the transcript: the selection mark, the coding stripes, the text with
coded passages tinted in their code's colour, and speaker headers with timestamps.

Kept apart from the widget (transcript.py), which owns the state, the keys and the mouse.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from coder.tui.widgets.transcript_model import BLANK, HEADER, TEXT, CodingOverlay, RowLayout
from coder.vocab.dto import CodingInfo
from coder.vocab.turns import clock

if TYPE_CHECKING:
    from coder.services.coding.workspace import SourceDoc

LANES = 4
GUTTER = 1 + LANES + 1  # selection mark, lanes, a space
_INTERVIEWER = {"interviewer", "i", "q", "int", "interviewer 1", "moderator", "facilitator"}


def is_interviewer(speaker: str | None) -> bool:
    """Whether a turn's speaker label names the interviewer (drawn muted, skipped by `>`)."""
    return speaker is not None and speaker.strip().lower() in _INTERVIEWER


@lru_cache(maxsize=512)
def _tint(code_color: str, bg: RichColor | None, overlap: bool) -> Style:
    """The background of coded text: the code's colour blended into the pane's."""
    back = Color.from_rich_color(bg) if bg is not None else Color(0, 0, 0)
    return Style(bgcolor=back.blend(Color.parse(code_color), 0.35).rich_color, underline=overlap)


class RowPainter:
    """Mixed into TranscriptView: turns a row of the layout into a Strip."""

    if TYPE_CHECKING:
        doc: SourceDoc | None
        layout_: RowLayout | None
        overlay: CodingOverlay
        selection: tuple[int, int]
        code_marks: dict[int, str]
        coder_marks: dict[str, str]  # coder name -> letter, when several coders are shown

        def get_component_rich_style(
            self, *names: str, partial: bool = False, default: Style | None = None
        ) -> Style: ...

    def _render_row(self, index: int, base: Style) -> Strip:
        assert self.layout_ is not None and self.doc is not None
        row = self.layout_.rows[index]
        text = self.doc.source.text
        sel_s, sel_e = self.selection
        segs: list[Segment] = []
        if row.kind == TEXT:
            runs = self.overlay.runs(row.start, row.end)
            in_sel = row.start < sel_e and row.end > sel_s
        else:
            runs = [
                (
                    row.start,
                    row.start,
                    tuple(
                        c
                        for c in self.overlay.covering(max(0, row.start - 1), row.start)
                        if c.start < row.start < c.end
                    ),
                )
            ]
            in_sel = False
        mark = self.get_component_rich_style("transcript--mark")
        segs.append(Segment("▌" if in_sel else " ", mark if in_sel else base))
        segs.extend(self._gutter(row.start, row.end, runs, base))
        segs.append(Segment(" ", base))
        if row.kind == HEADER:
            turn = self.doc.source.turns[row.turn]
            who = turn.speaker or "Speaker"
            role = "transcript--interviewer" if is_interviewer(who) else "transcript--speaker"
            segs.append(Segment(who, self.get_component_rich_style(role)))
            if turn.timestamp is not None:
                segs.append(
                    Segment(
                        "  " + clock(turn.timestamp),
                        self.get_component_rich_style("transcript--time"),
                    )
                )
            return Strip(segs)
        if row.kind == BLANK:
            return Strip(segs)
        visible_end = row.start + len(text[row.start : row.end].rstrip())
        selected = self.get_component_rich_style("transcript--selection")
        bg = base.bgcolor
        for a, b, active in runs:
            b = min(b, visible_end)
            if b <= a:
                continue
            style = base + self._highlight(active, bg) if active else base
            cuts = sorted({a, b, *(p for p in (sel_s, sel_e) if a < p < b)})
            for x, y in zip(cuts, cuts[1:], strict=False):
                piece = text[x:y].replace("\t", " ")
                segs.append(Segment(piece, style + selected if sel_s <= x < sel_e else style))
        return Strip(segs)

    def _highlight(self, active: tuple[CodingInfo, ...], bg: RichColor | None) -> Style:
        inner = min(active, key=lambda c: c.end - c.start)
        return _tint(inner.code_color, bg, len(active) > 1)

    def _gutter(
        self, start: int, end: int, runs: list[tuple[int, int, tuple[CodingInfo, ...]]], base: Style
    ) -> list[Segment]:
        lanes: dict[int, CodingInfo] = {}
        overflow = False
        for _a, _b, active in runs:
            for c in active:
                lane = self.overlay.lane.get(c.id, 0)
                if lane >= LANES:
                    overflow = True
                else:
                    lanes[lane] = c
        out: list[Segment] = []
        for lane in range(LANES):
            here = lanes.get(lane)
            if lane == LANES - 1 and overflow:
                out.append(Segment("+", base + Style(bold=True)))
            elif here is None:
                out.append(Segment(" ", base))
            else:
                c = here
                colour = Color.parse(c.code_color)
                if start <= c.start < end or (start == end == c.start):
                    letter = (
                        self.coder_marks.get(c.coder)
                        or self.code_marks.get(c.code_id)
                        or (c.code_name[:1] or "?")
                    )
                    out.append(
                        Segment(
                            letter[:1],
                            Style(
                                color=colour.get_contrast_text().rich_color,
                                bgcolor=colour.rich_color,
                                bold=True,
                            ),
                        )
                    )
                else:
                    out.append(Segment("┃", base + Style(color=colour.rich_color)))
        return out
