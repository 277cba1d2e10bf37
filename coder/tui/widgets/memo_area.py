"""The memo editor: Textual's TextArea, made usable on very long paragraphs.

With soft wrap on, TextArea draws each screen row by styling the whole document line it belongs
to and dividing it at every wrap point, then keeping one piece. A memo pasted as one paragraph
of 218 KB was therefore divided once per visible row on every keystroke (2.3-2.8 s a key, issue
13.16). Here a line divides once per distinct (text, styles, wrap points) and the other rows of
the same paint reuse the pieces; see benchmarks/memo_bench.py for the figures.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from rich.text import Text
from textual.widgets import TextArea

_KEEP = 4  # lines whose pieces are remembered (one paint touches only a few long lines)

DivideKey = tuple[str, tuple[object, ...], tuple[int, ...], object, str]


class _Line(Text):
    """A document line whose `divide` result is shared between the rows it wraps onto."""

    cache: OrderedDict[DivideKey, list[Text]]

    def divide(self, offsets: Iterable[int]) -> list[Text]:  # type: ignore[override]
        at = tuple(offsets)
        key: DivideKey = (self.plain, tuple(self._spans), at, self.style, self.end)
        pieces = self.cache.get(key)
        if pieces is None:
            pieces = list(super().divide(at))
            self.cache[key] = pieces
            while len(self.cache) > _KEEP:
                self.cache.popitem(last=False)
        else:
            self.cache.move_to_end(key)
        return pieces  # TextArea only sets `end` on the piece it draws, the same each time


class MemoArea(TextArea):
    """A soft-wrapping TextArea whose long lines are divided once per paint, not per row."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pieces: OrderedDict[DivideKey, list[Text]] = OrderedDict()

    def get_line(self, line_index: int) -> Text:
        line = _Line(self.document.get_line(line_index), end="", no_wrap=True)
        line.cache = self._pieces
        return line
