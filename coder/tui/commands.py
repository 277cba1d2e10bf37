"""The command palette (Ctrl+P): every action of the workspace by name, plus "code the
selection as …", "open transcript …" and "passages of …" for every code and source.

Actions come from the same keymap as the key bindings, so the palette lists exactly what the
keys do, with the key shown beside each name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.widget import Widget

from coder.tui import keymap
from coder.tui.dialogs.help import keys_text

if TYPE_CHECKING:
    from coder.tui.screens.workspace import WorkspaceScreen

Command = tuple[str, str, Callable[[], object]]


def _run(target: Widget | App[Any], action: str) -> None:
    target.call_later(target.run_action, action)


def _from_bindings(target: Widget | App[Any], bindings: list[Binding]) -> Iterator[Command]:
    for b in bindings:
        if b.id and b.id.startswith("workspace.quick_"):
            continue  # offered below, with the code's name
        action = b.action.removeprefix("screen.")
        yield b.description, f"{keys_text(b)} · {b.tooltip}", partial(_run, target, action)


def workspace_commands(screen: WorkspaceScreen) -> Iterator[Command]:
    """Key actions of the workspace, then one command per code and per source."""
    yield from _from_bindings(screen, keymap.WORKSPACE)
    yield from _from_bindings(screen.transcript, keymap.TRANSCRIPT)
    yield from _from_bindings(screen.codetree, keymap.CODEBOOK)
    state = screen.state
    for cid in state.order:
        info = state.codes[cid]
        path = state.path(cid)
        slot = state.slot_of(cid)
        if info.codable:
            yield (
                f"Code selection as {path}",
                f"{'key ' + str(slot) + ' · ' if slot else ''}"
                "apply this code to the selected passage",
                partial(screen.apply, cid),
            )
        yield (
            f"Passages of {path}",
            "every passage coded with it",
            partial(screen.open_retrieval, cid),
        )
        if info.codable:
            yield (
                f"Review suggestions for {path}",
                "passages the suggester would code with it, to accept or reject one by one",
                partial(screen.review_code, cid),
            )
    for e in state.entries:
        who = " · ".join(x for x in (e.case_name, e.organisation) if x)
        yield (f"Open {e.name}", who or "transcript", partial(screen.load_doc, e.id))


class CoderCommands(Provider):
    """Every coder action, by name."""

    def _commands(self) -> list[Command]:
        from coder.tui.screens.agreement import AgreementScreen
        from coder.tui.screens.analysis import analysis_keys
        from coder.tui.screens.disagreements import DisagreementScreen
        from coder.tui.screens.export import ExportScreen
        from coder.tui.screens.retrieval import RetrievalScreen
        from coder.tui.screens.review import ReviewScreen
        from coder.tui.screens.search import SearchScreen
        from coder.tui.screens.workspace import WorkspaceScreen

        own_keys: list[tuple[type[Screen[Any]], list[Binding]]] = [
            (RetrievalScreen, keymap.RETRIEVAL),
            (SearchScreen, keymap.SEARCH),
            (ReviewScreen, keymap.REVIEW),
            (AgreementScreen, keymap.AGREEMENT),
            (DisagreementScreen, keymap.DISAGREEMENTS),
            (ExportScreen, keymap.EXPORT),
        ]
        screen = self.screen
        out = list(_from_bindings(self.app, keymap.GLOBAL))
        if isinstance(screen, WorkspaceScreen):
            return out + list(workspace_commands(screen))
        # the analysis screens, their drill-downs and charts say their keys themselves
        group = next((g for kind, g in own_keys if isinstance(screen, kind)), None)
        out.extend(_from_bindings(screen, analysis_keys(screen) if group is None else group))
        if isinstance(screen, ExportScreen):
            out.extend(_from_bindings(screen.columns, keymap.EXPORT_COLUMNS))
        return out

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            if name.startswith(
                ("Open ", "Passages of ", "Code selection as ", "Review suggestions for ")
            ):
                continue
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
