"""Project-wide search: type words, see every place any form of them is said, jump there.

The search runs in a worker that reads a few transcripts at a time and reports each batch;
hits appear as they are found under a progress bar, and a new query cancels the old one.
Each hit shows the codes already on it, and 1-9 or c codes its sentence there and then
(issue 13.19): the researcher can code every place a topic comes up without leaving the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from coder.services.coding.search_hits import code_hit, with_codes
from coder.services.coding.workspace import WORD
from coder.services.sources.search import iter_search
from coder.tui import keymap
from coder.tui.context import CoderContext, context
from coder.tui.dialogs.pick import keyed_code, pick_code
from coder.tui.messages import Coded, SearchStep, Undone
from coder.tui.state import WorkspaceState
from coder.vocab.dto import SearchHit

Location = tuple[int, int, int]


@dataclass
class HitsRecoded(Message):
    """The hits again, with the codes on each after a coding or an undo."""

    hits: list[SearchHit]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def hit_label(hit: SearchHit, width: int = 80) -> Text:
    """Two lines: participant and transcript, then the hit centred in its context."""
    match = " ".join(hit.match.split())
    room = max(10, width - len(match) - 4)
    before = _squash(hit.before)  # runs of white space become one space, kept at the edges,
    after = _squash(hit.after)  # so the match never runs into its neighbours
    left = min(len(before), room // 2 if len(after) > room // 2 else room - len(after))
    before = before[len(before) - left :] if left else ""
    after = after[: room - len(before)]
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{hit.case_name or '—'} · {hit.source_name}\n", style="dim")
    text.append("…" + before)
    text.append(match, style="bold reverse")
    text.append(after + "…")
    if hit.codes:
        text.append("\n")
        text.append("  ■ " + " · ".join(hit.codes), style="dim italic")
    return text


class HitList(OptionList):
    """The hits; 1-9 and c code the highlighted one (the screen does it)."""

    BINDINGS = keymap.on_screen(keymap.SEARCH_HITS)


class SearchScreen(Screen[Location | None]):
    """Returns (source_id, start, end) of the chosen hit, or None."""

    BINDINGS = keymap.keys(keymap.SEARCH)

    def __init__(
        self,
        query: str = "",
        hits: list[SearchHit] | None = None,
        state: WorkspaceState | None = None,
        coders: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.query_text = query
        self.hits: list[SearchHit] = list(hits or [])
        self.done = bool(hits)
        self.state = state  # the workspace's codebook and quick codes, for coding hits
        self.coders = coders  # whose codes the hits show (None: everyone's), as the workspace

    @property
    def coder_app(self) -> CoderContext:
        return context(self)

    def compose(self) -> ComposeResult:
        yield Static(
            "Search all transcripts · any form of a word matches (answer → answering)"
            " · several words match in sequence",
            id="search-title",
        )
        yield Input(self.query_text, placeholder="words to find, then Enter", id="search-input")
        yield ProgressBar(total=None, show_eta=False, id="search-progress")
        yield Static("", id="search-status", markup=False)
        yield HitList(id="search-results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.query_one(ProgressBar).display = False
        if self.hits:
            self._add(self.hits)
            self._status(f"{len(self.hits):,} hits for “{self.query_text}”")

    def _status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(text)

    @on(Input.Submitted, "#search-input")
    def submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not WORD.search(query):
            self._status("Type a word to search for.")
            return
        self.query_text = query
        self.hits = []
        self.query_one(OptionList).clear_options()
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._status(f"Searching for “{query}”…")
        self.run_search(query)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        worker = get_current_worker()
        project = self.coder_app.project
        for step in iter_search(project, query):
            if worker.is_cancelled:
                return
            hits = with_codes(project, step.hits, self.coders)
            self.post_message(SearchStep(step.done, step.total, tuple(hits)))

    def on_search_step(self, event: SearchStep) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=max(1, event.total), progress=event.done)
        if event.hits:
            self.hits.extend(event.hits)
            self._add(event.hits)
        finished = event.done >= event.total
        sources = len({h.source_id for h in self.hits})
        if finished:
            bar.display = False
            if self.hits:
                self._status(
                    f"{len(self.hits):,} hits in {sources:,} transcripts for "
                    f"“{self.query_text}” · ↓ Enter opens · 1-9/c code it"
                )
            else:
                several = len(WORD.findall(self.query_text)) > 1
                hint = " (several words must come in this order; try fewer)" if several else ""
                self._status(f"No transcript says “{self.query_text}”{hint}.")
        else:
            self._status(
                f"Searching… {event.done:,}/{event.total:,} transcripts, "
                f"{len(self.hits):,} hits so far"
            )

    def _add(self, hits: list[SearchHit] | tuple[SearchHit, ...]) -> None:
        results = self.query_one(OptionList)
        width = max(30, (results.size.width or self.app.size.width) - 6)
        start = results.option_count
        results.add_options(
            Option(hit_label(h, width), id=str(start + i)) for i, h in enumerate(hits)
        )
        if start == 0 and results.option_count:
            results.highlighted = 0

    @on(OptionList.OptionSelected, "#search-results")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        self.dismiss((hit.source_id, hit.start, hit.end))

    def action_focus_results(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()

    # --- coding a hit -------------------------------------------------------------------------

    def _hit(self) -> SearchHit | None:
        results = self.query_one(OptionList)
        index = results.highlighted
        return self.hits[index] if index is not None and index < len(self.hits) else None

    def action_code_hit(self, n: int) -> None:
        code_id = keyed_code(self, self.state, n)
        if code_id is not None:
            self._code(code_id)

    def action_find_code_hit(self) -> None:
        if self.state is None or self._hit() is None:
            return
        pick_code(self, "Apply which code to this hit's sentence?", self.state, self._code)

    def _code(self, code_id: int) -> None:
        hit, state = self._hit(), self.state
        info = state.codes.get(code_id) if state is not None else None
        if hit is None or info is None:
            return
        if not info.codable:
            self.notify(f"{info.name} only groups sub-codes; apply one of them.")
            return
        project = self.coder_app.project
        self.coder_app.writer.submit(
            self, f"code {info.name}", lambda: code_hit(project, hit, code_id), Coded
        )

    def on_coded(self, event: Coded) -> None:
        coding = event.coding
        self.coder_app.changed_elsewhere = True  # the workspace reloads when shown again
        self.notify(f"Coded {coding.code_name}: {coding.snippet[:60]}", timeout=2)
        self.refresh_codes()

    def on_undone(self, event: Undone) -> None:
        self.coder_app.changed_elsewhere = True
        self.refresh_codes()

    @work(thread=True, exclusive=True, group="search-codes")
    def refresh_codes(self) -> None:
        hits = with_codes(self.coder_app.project, self.hits, self.coders)
        self.post_message(HitsRecoded(hits))

    def on_hits_recoded(self, event: HitsRecoded) -> None:
        if len(event.hits) != len(self.hits):
            return  # a new search started meanwhile
        results = self.query_one(OptionList)
        width = max(30, (results.size.width or self.app.size.width) - 6)
        for i, (old, new) in enumerate(zip(self.hits, event.hits, strict=True)):
            if old.codes != new.codes:
                results.replace_option_prompt(str(i), hit_label(new, width))
        self.hits = list(event.hits)

    def action_back(self) -> None:
        self.workers.cancel_group(self, "search")
        self.dismiss(None)
