"""Word frequency in the workspace: lemma counts (spaCy's stop words left out) over
everything, within a code, or split by participant, organisation, source or an attribute;
interviewer turns are left out unless `i` is pressed. Enter on a word lists every occurrence
in its context (keyword in context); Enter on one opens it in its transcript.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Select, Static

from coder.analysis.words import Tokens, WordTable, kwic, word_frequency
from coder.errors import UserError
from coder.services.analysis.lemma_cache import cached_tokens
from coder.services.analysis.views import attribute_names
from coder.tui import keymap
from coder.tui.context import context
from coder.tui.screens.analysis_base import AnalysisFailed, AnalysisScreen, ResultReady
from coder.tui.screens.drill import DrillScreen, kwic_item

TOP = 100
GROUPS = ("", "participant", "organisation", "source")


class WordsScreen(AnalysisScreen):
    """Words × groups; see the module docstring."""

    DEFAULT_CSS = """
    WordsScreen #analysis-title, WordsScreen #analysis-status { height: 1; padding: 0 1; }
    WordsScreen #words-code { width: 1fr; }
    WordsScreen DataTable { height: 1fr; }
    """
    KEYS = keymap.WORDS
    BINDINGS = keymap.keys(keymap.WORDS)

    def __init__(self) -> None:
        super().__init__()
        self.tokens: Tokens | None = None
        self.tokens_of: object = None  # the corpus `tokens` were read for (a set narrows it)
        self.group = ""
        self.code: int | None = None
        self.interviewer = False
        self.result: WordTable | None = None

    def compose(self) -> ComposeResult:
        yield Static("Word frequency", id="analysis-title")
        yield Select[int]([], prompt="all coded and uncoded words", id="words-code")
        yield Static("", id="analysis-status")
        yield DataTable(id="words-table", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield Footer()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#words-table", DataTable)

    def on_corpus_ready(self, event: object) -> None:
        super().on_corpus_ready(event)  # type: ignore[arg-type]
        corpus = self.corpus
        assert corpus is not None
        select = self.query_one("#words-code", Select)
        with self.prevent(Select.Changed):
            select.set_options((corpus.paths[c.id], c.id) for c in corpus.tree_order)

    def recompute(self) -> None:
        if self.corpus is not None:
            self.status("Counting words…")
            self.compute(self.code, self.group, self.interviewer)

    @work(thread=True, exclusive=True, group="analysis-words")
    def compute(self, code: int | None, group: str, interviewer: bool) -> None:
        corpus = self.corpus
        assert corpus is not None
        if self.tokens is None or self.tokens_of is not corpus:
            # the project's lemma cache: computed once per source text, then read back
            self.tokens, self.tokens_of = cached_tokens(context(self).project, corpus), corpus
        try:
            table = word_frequency(corpus, self.tokens, code, group or None, TOP, interviewer)
        except UserError as e:
            self.post_message(AnalysisFailed(str(e)))
            return
        self.post_message(ResultReady("words", ((code, group, interviewer), table)))

    @work(thread=True, exclusive=True, group="analysis-kwic")
    def compute_kwic(self, word: str) -> None:
        assert self.corpus is not None and self.tokens is not None
        lines = kwic(self.corpus, self.tokens, word, 40, self.code, self.interviewer)
        self.post_message(ResultReady("kwic", (word, lines)))

    def on_result_ready(self, event: ResultReady) -> None:
        if event.kind == "kwic":
            word, lines = event.result
            where = f" in {self.corpus.paths[self.code]}" if self.corpus and self.code else ""
            self.app.push_screen(
                DrillScreen(f"“{word}”{where}", [kwic_item(x) for x in lines], "occurrence"),
                self.drilled,
            )
            return
        settings, table = event.result
        if settings != (self.code, self.group, self.interviewer):
            return
        self.result = table
        grid = self.table
        grid.clear(columns=True)
        groups = table.groups if self.group else ()
        grid.add_column(Text("Word"), key="word")
        for k, g in enumerate(groups):
            grid.add_column(Text(g, justify="right"), key=f"g{k}")
        grid.add_column(Text("Count", justify="right"), key="total")
        for w in table.words:
            counts = [*(w.counts if groups else ()), w.total]
            grid.add_row(Text(w.word), *(Text(f"{x:,}", justify="right") for x in counts))
        by = f" by {self.group}" if self.group else ""
        who = "every turn" if self.interviewer else "participants' turns (i: all)"
        self.title_line(f"Words{by} · top {len(table.words)} · {who}")
        self.status("Enter: the word in context · g: groups · Tab: choose a code")
        grid.focus()

    def action_next_group(self) -> None:
        names = attribute_names(self.corpus) if self.corpus is not None else ()
        options = [*GROUPS, *(f"attr:{n}" for n in names)]
        i = options.index(self.group) if self.group in options else -1
        self.group = options[(i + 1) % len(options)]
        self.recompute()

    def action_toggle_interviewer(self) -> None:
        self.interviewer = not self.interviewer
        self.recompute()

    @on(Select.Changed, "#words-code")
    def code_chosen(self, event: Select.Changed) -> None:
        self.code = event.value if isinstance(event.value, int) else None
        self.recompute()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_kwic()

    def action_kwic(self) -> None:
        if self.result is None or not self.result.words or self.tokens is None:
            return
        row = self.table.cursor_row
        if 0 <= row < len(self.result.words):
            self.compute_kwic(self.result.words[row].word)
