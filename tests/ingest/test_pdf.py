"""PDF import on real PDFs generated here (reportlab): pages, hyphenation, running headers,
two columns, speaker turns, offsets; and the refusals (scan, password, hostile files)."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from pypdf import PdfReader

from coder.ingest import IngestError, Limits, ParsedSource, parse_bytes, read_source
from coder.ingest.pdf import NO_TEXT, PAGE_BREAK, page_of, page_starts
from coder.ingest.pdf_layout import Line, PageText, drop_running_lines, join_lines

from . import pdf_make
from .test_support import assert_invariants, utterances

SPEAKERS = ("Interviewer", "Anna")


def _flat(parsed: ParsedSource) -> list[tuple[str | None, str]]:
    """Utterances with whitespace collapsed: a turn cut by a page break holds PAGE_BREAK."""
    return [(speaker, " ".join(said.split())) for speaker, said in utterances(parsed)]


TOPICS = ("vinyl", "touring", "playlists", "newsletters", "merch", "radio", "festivals")


def _turns(count: int) -> list[tuple[str, str]]:
    return [
        (
            SPEAKERS[i % 2],
            f"Answer number {i} covers {TOPICS[i % 7]} and independent distribution, "
            f"{TOPICS[(i * 3) % 7]} with extraordinarily complicated streaming agreements "
            f"{' '.join(TOPICS[: i % 5 + 1])} fans.",
        )
        for i in range(count)
    ]


@pytest.fixture(scope="module")
def transcript() -> tuple[list[tuple[str, str]], bytes]:
    turns = _turns(60)
    return turns, pdf_make.transcript_pdf(turns)


def test_turns_found_with_valid_offsets(transcript: tuple[list[tuple[str, str]], bytes]) -> None:
    turns, data = transcript
    parsed = parse_bytes(data, ".pdf")
    assert_invariants(parsed)
    assert parsed.format == "pdf"
    assert _flat(parsed) == [(speaker, said) for speaker, said in turns]


def test_hyphenation_undone_and_header_footer_dropped(
    transcript: tuple[list[tuple[str, str]], bytes],
) -> None:
    turns, data = transcript
    text = parse_bytes(data, ".pdf").text
    cut: list[tuple[str, str]] = []  # (hyphenated head, whole word) as the generator wrapped
    for speaker, said in turns:
        lines = pdf_make.wrap(f"{speaker}: {said}", 70)
        for line, after in zip(lines, lines[1:], strict=False):
            if line.endswith("-"):
                head = line.rsplit(" ", 1)[-1]
                cut.append((head, head[:-1] + after.split(" ", 1)[0]))
    assert len(cut) > 5
    for head, word in cut:
        assert word in text and f"{head} " not in text and f"{head}\n" not in text
    assert "confidential" not in text and "Page 1 of" not in text


def test_page_breaks_kept(transcript: tuple[list[tuple[str, str]], bytes]) -> None:
    _, data = transcript
    parsed = parse_bytes(data, ".pdf")
    starts = page_starts(parsed.text)
    assert len(starts) == len(PdfReader(io.BytesIO(data)).pages) > 2
    assert parsed.text.count(PAGE_BREAK) == len(starts) - 1
    pages = [page_of(parsed.text, turn.start) for turn in parsed.turns]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == len(starts)
    # A turn cut by a page break stays one turn that spans both pages.
    assert any(page_of(parsed.text, t.start) < page_of(parsed.text, t.end) for t in parsed.turns)


def test_turns_found_without_blank_lines() -> None:
    turns = _turns(50)  # several pages, so the running footer is recognised as one
    parsed = parse_bytes(pdf_make.transcript_pdf(turns, blank_between=False), ".pdf")
    assert len(page_starts(parsed.text)) > 2
    assert_invariants(parsed)
    assert _flat(parsed) == [(speaker, said) for speaker, said in turns]


def test_two_columns_read_in_reading_order() -> None:
    left = [f"Left paragraph {n} tells how the label first met its fans online." for n in range(3)]
    right = [f"Right paragraph {n} follows with merchandise sold at the shows." for n in range(3)]
    parsed = parse_bytes(pdf_make.two_column_pdf(left, right), ".pdf")
    assert_invariants(parsed)
    assert parsed.text.split("\n\n") == left + right


def test_running_lines_need_most_pages() -> None:
    def page(*texts: str) -> PageText:
        return PageText(600, tuple(Line(72, 800 - 20 * i, 11, t) for i, t in enumerate(texts)))

    pages = [page("Title 1", f"Anna: {w}", "b", f"c {w}", f"- {n} -") for n, w in enumerate("xyz")]
    pages.append(page("Other", "x", "y", "z", "w", "end"))
    kept = [[line.text for line in p.lines] for p in drop_running_lines(pages)]
    assert kept[0] == ["Anna: x", "b", "c x"] and kept[3] == ["Other", "x", "y", "z", "w", "end"]
    assert join_lines("well-", "Known") == "well- Known"
    assert join_lines("inde-", "pendent") == "independent"


def test_read_source_from_disk(
    tmp_path: Path, transcript: tuple[list[tuple[str, str]], bytes]
) -> None:
    path = tmp_path / "Interview.PDF"
    path.write_bytes(transcript[1])
    assert len(read_source(path).turns) == 60


def test_scanned_pdf_refused() -> None:
    with pytest.raises(IngestError, match="no text layer: scanned PDF\\? run OCR first") as info:
        parse_bytes(pdf_make.scanned_pdf(), ".pdf")
    assert str(info.value) == NO_TEXT


def test_encrypted_pdf_refused() -> None:
    with pytest.raises(IngestError, match="^encrypted PDF"):
        parse_bytes(pdf_make.encrypted_pdf(), ".pdf")


def test_not_a_pdf_refused() -> None:
    with pytest.raises(IngestError, match="not a PDF file"):
        parse_bytes(b"hello, I am text with a pdf suffix", ".pdf")
    with pytest.raises(IngestError, match="not a readable PDF"):
        parse_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", ".pdf")


def test_page_cap_from_limits(transcript: tuple[list[tuple[str, str]], bytes]) -> None:
    with pytest.raises(IngestError, match=r"too many pages \(\d+; the limit is 2\)"):
        parse_bytes(transcript[1], ".pdf", Limits(max_pdf_pages=2))


def test_text_cap_from_limits(transcript: tuple[list[tuple[str, str]], bytes]) -> None:
    with pytest.raises(IngestError, match="too much text"):
        parse_bytes(transcript[1], ".pdf", Limits(max_text_chars=1000))


@pytest.mark.parametrize(
    ("maker", "message"),
    [
        (pdf_make.bomb_pdf, "safety limit"),
        (pdf_make.loop_pdf, "not a readable PDF"),
        (pdf_make.many_pages_pdf, "safety limit|too many pages"),
    ],
    ids=["decompression-bomb", "reference-loop", "million-pages"],
)
def test_hostile_pdf_refused_within_memory(maker: object, message: str) -> None:
    """Each crafted file is refused with one line; peak Python memory stays far below 400 MB.
    (Time is measured by benchmarks/pdf_bench.py --hostile, never asserted in a test.)"""
    data = maker()  # type: ignore[operator]
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match=message) as info:
            parse_bytes(data, ".pdf")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "\n" not in str(info.value)
    assert peak < 400 * 1024 * 1024
