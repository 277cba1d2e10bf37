"""Agreement between two coders, in the workspace: the figures `coder agreement` prints.

Per code, per source and overall: percent agreement, Cohen's κ and Krippendorff's α, for a
chosen unit (characters, sentences, turns, paragraphs, sources) and two chosen coders. The
figures are computed by the agreement service in a worker; undefined figures show a dash and
the reason below the tables, never a silent 1.0. From here the team reveals a blind project
(everyone then sees everyone's codings) and opens the disagreement review.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from coder.analysis.agreement_model import AgreementResult, Figures
from coder.analysis.segments import UNITS, Unit
from coder.errors import UserError
from coder.services.team.agreement import agreement
from coder.services.team.view import blind_mode, coder_names, set_blind_mode
from coder.tui import keymap
from coder.tui.context import DIALOG, context
from coder.tui.dialogs.confirm import ConfirmScreen
from coder.tui.dialogs.pick import Choice, PickScreen
from coder.wording import figure


@dataclass
class AgreementReady(Message):
    result: AgreementResult | None
    error: str | None
    coders: tuple[str, ...]
    blind: bool


PLURAL = {
    "char": "characters",
    "sentence": "sentences",
    "turn": "turns",
    "paragraph": "paragraphs",
    "source": "sources",
}


def figure_cells(f: Figures) -> tuple[str, ...]:
    return (
        str(f.units), str(f.both), "—" if f.only_a is None else str(f.only_a),
        "—" if f.only_b is None else str(f.only_b), str(f.neither),
        figure(f.percent, 1), figure(f.kappa), figure(f.alpha),
    )  # fmt: skip


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def pick_pair(names: list[str], wanted: tuple[str, ...]) -> tuple[str, ...]:
    """The two coders to compare: those asked for if they exist, else the first two coders
    (a consensus coder last, as it is usually what the others are compared with later)."""
    if len(wanted) == 2 and all(w in names for w in wanted):
        return wanted
    ordered = sorted(names, key=lambda n: (n == "consensus", n))
    return tuple(ordered[:2])


class AgreementScreen(Screen[None]):
    """Escape goes back to the workspace."""

    BINDINGS = keymap.keys(keymap.AGREEMENT)

    DEFAULT_CSS = """
    AgreementScreen { layout: vertical; }
    AgreementScreen #agreement-title { height: 1; padding: 0 1; text-style: bold; }
    AgreementScreen #agreement-overall { height: auto; padding: 0 1; }
    AgreementScreen DataTable { height: 1fr; }
    AgreementScreen #agreement-notes {
        height: auto; max-height: 5; padding: 0 1; color: $text-muted;
    }
    """

    def __init__(self, coders: tuple[str, ...] = (), unit: Unit = "sentence") -> None:
        super().__init__()
        self.coders = coders
        self.unit: Unit = unit
        self.result: AgreementResult | None = None
        self.blind = False

    def compose(self) -> ComposeResult:
        yield Static("Agreement", id="agreement-title", markup=False)
        yield Static("Computing…", id="agreement-overall", markup=False)
        with Vertical(id="agreement-tables"):
            yield DataTable(id="agreement-codes", zebra_stripes=True, cursor_type="row")
            yield DataTable(id="agreement-sources", zebra_stripes=True, cursor_type="row")
        yield Static("", id="agreement-notes", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.compute()

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self) -> None:
        project = context(self).project
        try:
            blind = blind_mode(project)
            coders = pick_pair(coder_names(project), self.coders)
            if len(coders) < 2:
                self.post_message(
                    AgreementReady(None, "Agreement needs codings by two coders.", coders, blind)
                )
                return
            result = agreement(project, coders, self.unit)
        except UserError as exc:
            self.post_message(AgreementReady(None, str(exc), self.coders, False))
            return
        self.post_message(AgreementReady(result, None, coders, blind))

    def on_agreement_ready(self, event: AgreementReady) -> None:
        self.coders, self.blind, self.result = event.coders, event.blind, event.result
        a, b = (*event.coders, "?", "?")[:2]
        blind = " · blind coding (r reveals)" if event.blind else ""
        title = f"Agreement · A = {a} · B = {b} · unit: {self.unit}{blind}"
        self.query_one("#agreement-title", Static).update(title)
        codes = self.query_one("#agreement-codes", DataTable)
        sources = self.query_one("#agreement-sources", DataTable)
        codes.clear(columns=True)
        sources.clear(columns=True)
        result = event.result
        if result is None:
            self.query_one("#agreement-overall", Static).update(event.error or "")
            self.query_one("#agreement-notes", Static).update("")
            return
        heads = ("Units", "Both", "A only", "B only", "Neither", "%", "κ", "α")
        room = max(12, self.size.width - 62)  # the figures keep their columns at 80 wide
        names = [c.code for c in result.codes] + [s.source for s in result.sources]
        width = min(room, max((len(n) for n in names), default=12))
        codes.add_column("Code", width=width)
        codes.add_columns(*heads)
        for c in result.codes:
            codes.add_row(Text(_fit(c.code, width)), *figure_cells(c.figures))
        sources.add_column("Source", width=width)
        # A source's row adds up every code: a decision per unit and code, not units.
        sources.add_columns("Unit×code", *heads[1:])
        for s in result.sources:
            sources.add_row(Text(_fit(s.source, width)), *figure_cells(s.figures))
        o = result.overall
        # o.units counts a decision per unit and code: 25 sentences and 7 codes are 175
        # decisions, which the line called "175 sentence units" (the methods say 25).
        n = len(result.codes)
        overall = (
            f"Overall: {figure(o.percent, 1)}% agreement · κ {figure(o.kappa)} · "
            f"α {figure(o.alpha)} · {result.units_compared:,} {PLURAL[self.unit]} × "
            f"{n} code{'s' if n != 1 else ''} in "
            f"{result.sources_compared} of {result.sources_total} sources"
        )
        self.query_one("#agreement-overall", Static).update(overall)
        why: dict[str, list[str]] = {}
        for c in result.codes:
            if c.figures.reason:
                why.setdefault(c.figures.reason, []).append(c.code)
        reasons = [f"{', '.join(codes_)}: {reason}." for reason, codes_ in why.items()]
        if o.reason:
            reasons.insert(0, f"Overall: {o.reason}.")
        notes = [f"κ: {result.kappa_method}; α: {result.alpha_method}.", *result.notes, *reasons]
        self.query_one("#agreement-notes", Static).update("\n".join(notes))

    # --- actions ------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_unit(self) -> None:
        units = list(UNITS)
        self.unit = units[(units.index(self.unit) + 1) % len(units)]  # type: ignore[assignment]
        self.query_one("#agreement-overall", Static).update("Computing…")
        self.compute()

    @work(group=DIALOG)
    async def action_coders(self) -> None:
        names = await self._names()
        if len(names) < 2:
            self.notify("Agreement needs codings by two coders.", severity="warning")
            return
        a = await self.app.push_screen_wait(PickScreen("Coder A", [Choice(n, n) for n in names]))
        if a is None:
            return
        rest = [n for n in names if n != a]
        b = await self.app.push_screen_wait(
            PickScreen(f"Compare {a} with", [Choice(n, n) for n in rest])
        )
        if b is None:
            return
        self.coders = (a, b)
        self.compute()

    async def _names(self) -> list[str]:
        project = context(self).project
        worker = self.run_worker(lambda: coder_names(project), thread=True, group="agreement-names")
        names = await worker.wait()
        return list(names or [])

    @work(group=DIALOG)
    async def action_reveal(self) -> None:
        if not self.blind:
            self.notify("This project is not in blind mode: everyone's codings are shown.")
            return
        sure = await self.app.push_screen_wait(
            ConfirmScreen(
                "Reveal everyone's codings?",
                "Blind mode ends for everyone on this project: each coder can then see the "
                "others' codings and counts.",
                yes="Reveal",
            )
        )
        if not sure:
            return
        project = context(self).project
        context(self).writer.submit(
            self, "reveal codings", lambda: set_blind_mode(project, False), lambda _: Revealed()
        )

    def on_revealed(self, event: Revealed) -> None:
        self.blind = False
        context(self).changed_elsewhere = True
        self.notify("Blind mode is off: everyone's codings are shown.")
        self.compute()

    def action_disagreements(self) -> None:
        if self.result is None or len(self.coders) != 2:
            self.notify("Choose two coders first (c).", severity="warning")
            return
        from coder.tui.screens.disagreements import DisagreementScreen

        unit = self.unit if self.unit in ("sentence", "paragraph", "turn", "source") else "sentence"
        self.app.push_screen(DisagreementScreen(self.coders[0], self.coders[1], unit))


@dataclass
class Revealed(Message):
    """Blind mode was turned off."""
