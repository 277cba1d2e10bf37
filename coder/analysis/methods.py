"""The sentences a methods section reports about inter-coder agreement, from a result.

Journals and COREQ ask how many people coded, how much of the data was double-coded, in what
units agreement was counted, and the overall κ and α. Writing that from the result keeps the
paper and the figures in step. Numbers follow APA style: κ and α without a leading zero and
with two decimals, percentages with one.
"""

from __future__ import annotations

from coder.analysis.agreement_model import AgreementResult, Figures

_COUNT = {2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight"}
_UNIT = {
    "char": ("character", "characters"),
    "sentence": ("sentence", "sentences"),
    "turn": ("speaker turn", "speaker turns"),
    "paragraph": ("paragraph", "paragraphs"),
    "source": ("source", "sources"),
}


def apa_stat(value: float | None) -> str:
    """κ or α as APA writes them: `.78`, `\u2212.05`, `1.00`; an em dash when undefined."""
    if value is None:
        return "\u2014"
    text = f"{abs(value):.2f}"
    if text.startswith("0"):
        text = text[1:]
    return ("\u2212" if value < 0 and text.strip(".0") else "") + text


def apa_percent(value: float | None) -> str:
    """A percentage with one decimal, or an em dash when undefined."""
    return "\u2014" if value is None else f"{value:.1f}"


def _names(coders: tuple[str, ...]) -> str:
    return coders[0] if len(coders) == 1 else ", ".join(coders[:-1]) + " and " + coders[-1]


def methods_paragraph(result: AgreementResult) -> str:
    """What a methods section says about agreement, as plain sentences."""
    m = len(result.coders)
    who = _COUNT.get(m, str(m))
    one, many = _UNIT[result.unit]
    share = round(100 * result.double_coded_share)
    n_codes = len(result.codes)
    parts = [
        f"{who} coders ({_names(result.coders)}) independently coded "
        f"{result.sources_compared} of {result.sources_total} sources "
        f"({share}% of the text)."
    ]
    if result.uncoded == "count":
        scope = f"every {one} of those sources, coded or not"
        if result.unit == "char":
            scope += ", as NVivo's coding comparison counts"
    else:
        scope = f"only {many} that at least one coder coded"
    n_units = result.units_compared
    parts.append(
        f"Agreement on {n_codes} code{'s' if n_codes != 1 else ''} was assessed per {one} over "
        f"{n_units:,} {many if n_units != 1 else one} ({scope}); each {one} counted once per code."
    )
    o = result.overall
    kappa = "Cohen's" if result.kappa_method == "Cohen" else "Fleiss'"
    if o.kappa is None or o.alpha is None:
        parts.append(
            f"Overall agreement was {apa_percent(o.percent)}%; {kappa} \u03ba and "
            f"Krippendorff's \u03b1 are undefined here: {o.reason or 'no variation'}."
        )
    else:
        parts.append(
            f"Overall agreement was {apa_percent(o.percent)}%, {kappa} \u03ba = "
            f"{apa_stat(o.kappa)}, and Krippendorff's \u03b1 (nominal) = {apa_stat(o.alpha)}."
        )
    return " ".join(parts)


def _count(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


def _row(label: str, f: Figures, two: bool) -> tuple[str, ...]:
    counts = (f.both, f.only_a, f.only_b, f.neither) if two else (f.both, f.mixed, f.neither)
    return (
        label,
        _count(f.units),
        *(_count(c) for c in counts),
        apa_percent(f.percent),
        apa_stat(f.kappa),
        apa_stat(f.alpha),
    )


def table_rows(result: AgreementResult) -> tuple[tuple[str, ...], ...]:
    """Per-code rows and a last "All codes" row, formatted for an APA table.

    Cells: code, units, then both / only a / only b / neither with two coders (all / some /
    none with more), percent agreement, κ and α (an em dash when undefined).
    """
    two = len(result.coders) == 2
    rows = [_row(c.code, c.figures, two) for c in result.codes]
    rows.append(_row("All codes", result.overall, two))
    return tuple(rows)


def table_note(result: AgreementResult) -> str:
    """The note under the table: the methods paragraph and what an em dash means."""
    reasons = sorted(
        {f.reason for f in (*(c.figures for c in result.codes), result.overall) if f.reason}
    )
    note = "Note. " + methods_paragraph(result)
    if reasons:
        note += " \u2014 = undefined: " + "; ".join(reasons) + "."
    return note
