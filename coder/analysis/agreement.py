"""Inter-coder agreement: who applied which code where, compared unit by unit.

`compare` takes plain inputs (see `agreement_model`) and returns an `AgreementResult`: per
code, per source and overall, the units, the 2 × 2 cells, percent agreement, Cohen's κ (Fleiss'
κ for three or more coders) and Krippendorff's α for nominal data.

What counts as a unit, and how uncoded text counts, is explicit:

- `unit="char"` (NVivo's coding comparison): every character is a unit. By default
  (`uncoded="count"`) characters no compared coder coded count as agreement on absence, as
  NVivo counts them; this makes agreement high on sparsely coded text.
- `unit="sentence" | "turn" | "paragraph" | "source"`: a coder applied a code to a unit when one
  of their codings of that code overlaps the unit by at least one character. By default
  (`uncoded="skip"`) only units that some compared coder coded, with any code, count; units
  nobody coded say nothing about agreement and would inflate it.
- `uncoded` switches either way for any unit.

Only sources that every compared coder coded at least once are compared, unless
`all_sources=True`: with partial double coding, the sources one coder never opened would
otherwise count as disagreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from coder.analysis import stats
from coder.analysis.agreement_model import (
    AgreementResult,
    CodeAgreement,
    CodeInput,
    Figures,
    SourceAgreement,
    SourceInput,
    Uncoded,
)
from coder.analysis.overlap import Codings, Counts, char_counts, unit_counts
from coder.analysis.records import CodingRec
from coder.analysis.segments import UNITS, Bounds, Unit, clean_bounds, paragraphs, sentences
from coder.errors import UserError

ALPHA_METHOD = "Krippendorff's alpha, nominal"


@dataclass(frozen=True, slots=True)
class CodingColumns:
    """Codings as columns, the fast form for large projects (one entry per coding)."""

    source: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]
    end: npt.NDArray[np.int64]
    code: npt.NDArray[np.int64]
    coder: npt.NDArray[np.str_] | npt.NDArray[np.object_]


def columns(codings: Sequence[CodingRec]) -> CodingColumns:
    """The column form of a list of codings."""
    return CodingColumns(
        source=np.fromiter((c.source for c in codings), np.int64, len(codings)),
        start=np.fromiter((c.start for c in codings), np.int64, len(codings)),
        end=np.fromiter((c.end for c in codings), np.int64, len(codings)),
        code=np.fromiter((c.code for c in codings), np.int64, len(codings)),
        coder=np.array([c.coder for c in codings], dtype=object),
    )


def _index(ids: npt.NDArray[np.int64], wanted: Sequence[int]) -> npt.NDArray[np.int64]:
    """Position of each id in `wanted`, or -1."""
    if not len(wanted):
        return np.full(len(ids), -1, dtype=np.int64)
    keys = np.asarray(wanted, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    pos = np.searchsorted(keys[order], ids)
    pos = np.minimum(pos, len(keys) - 1)
    found = keys[order][pos] == ids
    return np.where(found, order[pos], -1).astype(np.int64)


def _units(src: SourceInput, unit: Unit, notes: list[str]) -> Bounds:
    length = len(src.text)
    if unit == "sentence":
        given = src.sentences
        return clean_bounds(given, length) if given is not None else sentences(src.text)
    if unit == "paragraph":
        given = src.paragraphs
        return clean_bounds(given, length) if given is not None else paragraphs(src.text)
    if unit == "turn":
        if src.turns:
            return clean_bounds(src.turns, length)
        notes.append(f"{src.name} has no speaker turns; its paragraphs count as turns.")
        return paragraphs(src.text)
    return clean_bounds([(0, length)], length)


def compare(
    sources: Sequence[SourceInput],
    codes: Sequence[CodeInput],
    codings: Sequence[CodingRec] | CodingColumns,
    coders: Sequence[str],
    unit: Unit = "char",
    uncoded: Uncoded | None = None,
    all_sources: bool = False,
) -> AgreementResult:
    """Compare two or more coders' codings.

    Args:
        sources: Every source of the project (those not compared still count towards the
            share of text double-coded).
        codes: The codes to report, in report order.
        codings: All codings (any coder, any code); those of other coders are ignored, those
            of unreported codes only mark units as coded for `uncoded="skip"`.
        coders: The coders to compare, two or more; with two, the first is "a".
        unit: "char", "sentence", "turn", "paragraph" or "source".
        uncoded: "count" or "skip" (see the module docstring); None picks "count" for
            characters and "skip" for every other unit.
        all_sources: Compare every source, not only those every coder coded.

    Raises:
        UserError: fewer than two distinct coders, or an unknown unit.
    """
    if unit not in UNITS:
        raise UserError(f"unknown unit {unit!r}: use one of {', '.join(UNITS)}")
    coders = tuple(coders)
    if len(coders) < 2 or len(set(coders)) != len(coders):
        raise UserError("agreement needs at least two different coders")
    mode: Uncoded = uncoded or ("count" if unit == "char" else "skip")
    cols = codings if isinstance(codings, CodingColumns) else columns(codings)
    m = len(coders)

    lengths_all = np.array([len(s.text) for s in sources], dtype=np.int64)
    chosen, prepared = _prepare(cols, sources, codes, coders, lengths_all, all_sources)
    lengths = lengths_all[chosen]

    notes: list[str] = []
    skip = mode == "skip"
    if unit == "char":
        counts = char_counts(lengths, prepared, len(codes), m, skip)
    else:
        units = [_units(sources[i], unit, notes) for i in chosen.tolist()]
        counts = unit_counts(lengths, units, prepared, len(codes), m, skip)
    if not all_sources and len(chosen) < len(sources):
        notes.append(
            f"{len(chosen)} of {len(sources)} sources were coded by every compared coder; "
            "only those are compared."
        )
    compared = [sources[i] for i in chosen.tolist()]
    return _result(counts, unit, coders, mode, codes, compared, lengths_all, lengths, notes)


def _prepare(
    cols: CodingColumns,
    sources: Sequence[SourceInput],
    codes: Sequence[CodeInput],
    coders: tuple[str, ...],
    lengths_all: npt.NDArray[np.int64],
    all_sources: bool,
) -> tuple[npt.NDArray[np.int64], Codings]:
    """The compared sources' positions, and their codings by the compared coders as indices.

    Codings are clipped to their source's text; empty ones are dropped.
    """
    coder_idx = np.full(len(cols.coder), -1, dtype=np.int64)
    for i, name in enumerate(coders):
        coder_idx[np.asarray(cols.coder == name, dtype=bool)] = i
    src_idx = _index(cols.source, [s.id for s in sources])
    keep = (coder_idx >= 0) & (src_idx >= 0)
    src_idx, coder_idx = src_idx[keep], coder_idx[keep]
    if all_sources:
        chosen = np.arange(len(sources), dtype=np.int64)
    else:
        seen = np.zeros((len(sources), len(coders)), dtype=bool)
        seen[src_idx, coder_idx] = True
        chosen = np.flatnonzero(seen.all(axis=1)).astype(np.int64)
    remap = np.full(len(sources), -1, dtype=np.int64)
    remap[chosen] = np.arange(len(chosen))
    inside = remap[src_idx] >= 0
    local = remap[src_idx[inside]]
    limit = lengths_all[chosen][local]
    starts = np.clip(cols.start[keep][inside], 0, limit)
    ends = np.clip(cols.end[keep][inside], 0, limit)
    code_idx = _index(cols.code[keep][inside], [c.id for c in codes])
    ok = ends > starts
    return chosen, Codings(
        source=local[ok], start=starts[ok], end=ends[ok], code=code_idx[ok],
        coder=coder_idx[inside][ok],
    )  # fmt: skip


def _result(
    counts: Counts,
    unit: Unit,
    coders: tuple[str, ...],
    mode: Uncoded,
    codes: Sequence[CodeInput],
    compared: Sequence[SourceInput],
    lengths_all: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    notes: list[str],
) -> AgreementResult:
    per_code = _figures(counts.hist.sum(axis=1), counts.coded.sum(axis=1), coders, "this code")
    per_source = _figures(counts.hist.sum(axis=0), counts.coded.sum(axis=0), coders, "any code")
    overall = _figures(
        counts.hist.sum(axis=(0, 1))[np.newaxis],
        counts.coded.sum(axis=(0, 1))[np.newaxis],
        coders,
        "any code" if len(codes) != 1 else "this code",
    )[0]
    return AgreementResult(
        unit=unit,
        coders=coders,
        uncoded=mode,
        kappa_method="Cohen" if len(coders) == 2 else "Fleiss",
        alpha_method=ALPHA_METHOD,
        overall=overall,
        codes=tuple(
            CodeAgreement(c.id, c.name, c.guid, f) for c, f in zip(codes, per_code, strict=True)
        ),
        sources=tuple(
            SourceAgreement(s.id, s.name, f) for s, f in zip(compared, per_source, strict=True)
        ),
        units_compared=int(counts.considered.sum()),
        sources_compared=len(compared),
        sources_total=len(lengths_all),
        chars_compared=int(lengths.sum()),
        chars_total=int(lengths_all.sum()),
        notes=tuple(notes),
    )


def _reason(kind: int, m: int, what: str) -> str | None:
    if kind == 1:
        return "no units to compare"
    if kind == 2:
        who = "neither coder" if m == 2 else "no coder"
        return f"{who} applied {what}, so chance agreement is total and kappa is undefined"
    if kind == 3:
        who = "both coders" if m == 2 else "every coder"
        code = "this code" if what == "this code" else "every code"
        return f"{who} applied {code} to every unit, so kappa is undefined"
    return None


def _number(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 12)


def _figures(
    hist: npt.NDArray[np.int64], coded: npt.NDArray[np.int64], coders: tuple[str, ...], what: str
) -> list[Figures]:
    """Figures for each row of `hist` (shape (n, m + 1)) and `coded` (shape (n, m))."""
    m = len(coders)
    both, neither = hist[:, m], hist[:, 0]
    if m == 2:
        only_a, only_b = coded[:, 0] - both, coded[:, 1] - both
        kappa = stats.cohen_kappa(both, only_a, only_b, neither)
    else:
        kappa = stats.fleiss_kappa(hist)
    alpha = stats.krippendorff_alpha(hist)
    pct = stats.percent(hist)
    kinds = stats.degenerate(hist)
    out: list[Figures] = []
    for i in range(len(hist)):
        out.append(
            Figures(
                units=int(hist[i].sum()),
                both=int(both[i]),
                only_a=int(only_a[i]) if m == 2 else None,
                only_b=int(only_b[i]) if m == 2 else None,
                neither=int(neither[i]),
                percent=_number(pct[i]),
                kappa=_number(kappa[i]),
                alpha=_number(alpha[i]),
                reason=_reason(int(kinds[i]), m, what),
                mixed=None if m == 2 else int(hist[i, 1:m].sum()),
            )
        )
    return out
