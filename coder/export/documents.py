"""The longer Word reports as plain data: the codebook appendix and the coded extracts.

The service layer fills these from the database; `docx_documents` and the Markdown functions
here turn them into files. The codebook document reuses the code tree the rest of coder shows
(CodeNode, with definitions and counts), so the appendix always matches what the researcher
sees on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from coder.vocab.dto import CodeInfo, CodeNode
from coder.vocab.turns import clock


@dataclass(frozen=True, slots=True)
class CodebookDocument:
    """A codebook for a thesis appendix: every code's definition, criteria and counts."""

    title: str
    description: str
    tree: tuple[CodeNode, ...]
    participants: int = 0


@dataclass(frozen=True, slots=True)
class Extract:
    """One coded passage with who said it.

    Attributes:
        participant: The participant's id, or the source name when it has none.
        attributes: The participant's attributes, "Label: A; Position: President".
        source: The source name.
        start: Code-point offset of the passage in the source.
        end: Exclusive end offset.
        text: The passage.
        speaker: The speaker of the turn the passage starts in.
        memo: The coding memo.
        exemplar: Marked as an exemplar quote.
        timestamp: Seconds into the recording where that turn starts, when known.
        coder: Who coded it, where the project has more than one coder (else ""): the same
            span coded by two people is two extracts, which read as a doubled line without it.
    """

    participant: str
    attributes: str
    source: str
    start: int
    end: int
    text: str
    speaker: str | None = None
    memo: str = ""
    exemplar: bool = False
    timestamp: float | None = None
    coder: str = ""


@dataclass(frozen=True, slots=True)
class ExtractSection:
    """All passages of one code, under its place in the tree."""

    code: CodeInfo
    path: str
    extracts: tuple[Extract, ...]


@dataclass(frozen=True, slots=True)
class ExtractsReport:
    title: str
    sections: tuple[ExtractSection, ...]


def _counts(c: CodeInfo) -> str:
    return (
        f"{c.codings} coded passage{'s' if c.codings != 1 else ''}, "
        f"{c.participants} participant{'s' if c.participants != 1 else ''}, "
        f"{c.sources} source{'s' if c.sources != 1 else ''}"
    )


def entries(tree: tuple[CodeNode, ...]) -> list[tuple[CodeInfo, int | None]]:
    """Every code in tree order with, for codes that have sub-codes, the passages coded with
    it or any code beneath it."""
    out: list[tuple[CodeInfo, int | None]] = []
    for node in tree:
        total = sum(c.codings for c in node.walk()) if node.children else None
        out.append((node.code, total))
        out.extend(entries(node.children))
    return out


def code_fields(c: CodeInfo, subtree: int | None = None) -> list[tuple[str, str]]:
    """(label, text) pairs for a code's entry in the codebook document, empty ones left out."""
    fields = [
        ("Definition", c.description),
        ("Use when", c.inclusion),
        ("Do not use when", c.exclusion),
        ("Keywords", ", ".join(c.keywords)),
    ]
    out = [(k, v) for k, v in fields if v]
    if not c.codable:
        out.append(("Note", "groups sub-codes; not applied to text itself"))
    counts = _counts(c)
    if subtree is not None:
        counts += f"; {subtree} coded passage{'s' if subtree != 1 else ''} with its sub-codes"
    out.append(("Counts", counts))
    return out


def codebook_markdown(doc: CodebookDocument) -> str:
    lines = [f"# {doc.title}", ""]
    if doc.description:
        lines += [doc.description, ""]
    for c, subtree in entries(doc.tree):
        lines += [f"{'#' * min(c.depth + 2, 6)} {c.name}", ""]
        for label, text in code_fields(c, subtree):
            lines.append(f"- **{label}:** {text}")
        if c.examples:
            lines.append("- **Examples:**")
            lines += [f"    - \u201c{e}\u201d" for e in c.examples]
        lines.append("")
    return "\n".join(lines)


def participant_heading(e: Extract) -> str:
    """The line above a participant's passages: id and attributes."""
    return e.participant + (f" \u2014 {e.attributes}" if e.attributes else "")


def passage_ref(e: Extract) -> str:
    """The line under a passage: source, position, speaker, time, exemplar mark, memo."""
    parts = [f"{e.source}, {e.start}\u2013{e.end}"]
    if e.speaker and e.speaker != e.participant:
        parts.append(e.speaker)
    if e.timestamp is not None:
        parts.append(clock(e.timestamp))
    if e.exemplar:
        parts.append("\u2605 exemplar")
    if e.coder:
        parts.append(f"coded by {e.coder}")
    if e.memo:
        parts.append(f"memo: {' '.join(e.memo.split())}")
    return " \u00b7 ".join(parts)


def grouped(extracts: tuple[Extract, ...]) -> list[tuple[Extract, list[Extract]]]:
    """Passages grouped by participant, in the order given (one group per participant run)."""
    out: list[tuple[Extract, list[Extract]]] = []
    for e in extracts:
        if out and out[-1][0].participant == e.participant:
            out[-1][1].append(e)
        else:
            out.append((e, [e]))
    return out


def extracts_markdown(report: ExtractsReport) -> str:
    lines = [f"# {report.title}", ""]
    for sec in report.sections:
        c = sec.code
        lines += [f"{'#' * min(c.depth + 2, 6)} {sec.path}", ""]
        if c.description:
            lines += [f"*{c.description}*", ""]
        lines += [f"{len(sec.extracts)} passage{'s' if len(sec.extracts) != 1 else ''}", ""]
        for first, group in grouped(sec.extracts):
            lines += [f"**{participant_heading(first)}**", ""]
            for e in group:
                lines += ["> " + line if line else ">" for line in e.text.split("\n")]
                lines += [f"<small>{passage_ref(e)}</small>", ""]
    return "\n".join(lines)
