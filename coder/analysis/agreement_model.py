"""The plain inputs and the frozen results of an agreement comparison.

Inputs are what the service layer reads from a project (or a test writes by hand); the codings
are the `CodingRec` records all of coder.analysis reads. Results are what the CLI prints, the
TUI shows and the exporters turn into tables. `AgreementResult.to_json` gives the JSON form
the `coder agreement --json` command prints, whose keys are fixed: `"unit"`, `"coders"`,
`"overall"`, `"codes"`, and per code `"code"`, `"guid"`, `"units"`, `"both"`, `"only_a"`,
`"only_b"`, `"neither"`, `"percent"`, `"kappa"`, `"alpha"`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from coder.analysis.segments import Unit

Uncoded = Literal["count", "skip"]
"""How text no compared coder coded counts: "count" it as agreement on absence, or "skip" it."""


@dataclass(frozen=True, slots=True)
class SourceInput:
    """One source to compare: its text and, for `unit="turn"`, its speaker turns.

    `sentences` and `paragraphs` override the built-in segmentation when given.
    """

    id: int
    name: str
    text: str
    turns: Sequence[tuple[int, int]] = ()
    sentences: Sequence[tuple[int, int]] | None = None
    paragraphs: Sequence[tuple[int, int]] | None = None


@dataclass(frozen=True, slots=True)
class CodeInput:
    """A code whose agreement is reported."""

    id: int
    name: str
    guid: str


@dataclass(frozen=True, slots=True)
class Figures:
    """The agreement figures of one table (a code, a source, or everything pooled).

    With two coders, `both`, `only_a`, `only_b` and `neither` are the cells of the 2 × 2 table
    (a = the first coder). With more coders, `both` counts units every coder applied the code
    to, `neither` units none did, `mixed` the rest, and `only_a`/`only_b` are None.
    `percent` is 0-100. `kappa`, `alpha` and `percent` are None when undefined, and then
    `reason` says why in plain words.
    """

    units: int
    both: int
    only_a: int | None
    only_b: int | None
    neither: int
    percent: float | None
    kappa: float | None
    alpha: float | None
    reason: str | None = None
    mixed: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "units": self.units,
            "both": self.both,
            "only_a": self.only_a,
            "only_b": self.only_b,
            "neither": self.neither,
            "percent": self.percent,
            "kappa": self.kappa,
            "alpha": self.alpha,
            "reason": self.reason,
        }
        if self.mixed is not None:
            out["mixed"] = self.mixed
        return out


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    """Agreement on one code, pooled over the compared sources."""

    code_id: int
    code: str
    guid: str
    figures: Figures

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "guid": self.guid, **self.figures.to_json()}


@dataclass(frozen=True, slots=True)
class SourceAgreement:
    """Agreement in one source, pooled over the reported codes."""

    source_id: int
    source: str
    figures: Figures

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, **self.figures.to_json()}


@dataclass(frozen=True, slots=True)
class AgreementResult:
    """Everything a comparison of coders found.

    Attributes:
        unit: What one unit is ("char", "sentence", "turn", "paragraph" or "source").
        coders: The compared coders; with two, the first is "a" and the second "b".
        uncoded: "count" when units no compared coder coded count as agreement on absence,
            "skip" when only units some compared coder coded (with any code) count.
        kappa_method: "Cohen" (two coders) or "Fleiss" (three or more).
        alpha_method: Which α: always Krippendorff's α for nominal data.
        overall: Every (unit, code) decision pooled.
        codes: Per code, in the order the codes were given.
        sources: Per compared source.
        units_compared: Units that count, summed over the compared sources (one per unit, not
            per code).
        sources_compared: How many sources were compared.
        sources_total: How many sources the project has.
        chars_compared: Characters in the compared sources.
        chars_total: Characters in all sources.
        notes: Plain sentences about choices made on the way (e.g. sources without turns).
    """

    unit: Unit
    coders: tuple[str, ...]
    uncoded: Uncoded
    kappa_method: str
    alpha_method: str
    overall: Figures
    codes: tuple[CodeAgreement, ...]
    sources: tuple[SourceAgreement, ...]
    units_compared: int
    sources_compared: int
    sources_total: int
    chars_compared: int
    chars_total: int
    notes: tuple[str, ...] = field(default=())

    @property
    def double_coded_share(self) -> float:
        """The share (0-1) of the project's characters that lie in compared sources."""
        return self.chars_compared / self.chars_total if self.chars_total else 0.0

    def to_json(self) -> dict[str, Any]:
        """The JSON form printed by `coder agreement --json`."""
        return {
            "unit": self.unit,
            "coders": list(self.coders),
            "uncoded": self.uncoded,
            "kappa_method": self.kappa_method,
            "alpha_method": self.alpha_method,
            "overall": self.overall.to_json(),
            "codes": [c.to_json() for c in self.codes],
            "sources": [s.to_json() for s in self.sources],
            "units_compared": self.units_compared,
            "sources_compared": self.sources_compared,
            "sources_total": self.sources_total,
            "double_coded_share": self.double_coded_share,
            "notes": list(self.notes),
        }
