"""Property-style checks: every fixture, and many mutations of them, parse
into records that satisfy the ParsedSource invariants, or fail with an
IngestError — never with any other exception.

No hypothesis dependency: the loops are deterministic (fixed seeds) so a
failure is reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from docx.document import Document

from coder.ingest import IngestError, ParsedSource, parse_bytes, read_source

from .test_decode import DIALOGUE
from .test_odt import BODY
from .test_rtf import RTF
from .test_support import W_NS, assert_invariants, docx_with_document_xml, make_docx, make_odt
from .test_vtt import SRT, TEAMS, ZOOM

TEXTS = [
    DIALOGUE,
    "Date: 14 March 2013\n\nI: Hello.\n\nR: Hi.\nMore.\n\nI: Bye.\nR: Bye.",
    "[00:01:02] Anna: One.\n(00:01:03) Ben: Two.\n00:01:04 Anna: Three.\n[01:05] Ben: Four.",
    "Speaker 1 (00:00:05):\nText.\n\nSpeaker 2 (00:00:09):\nMore.\n\nSpeaker 1 (00:01:00):\nEnd.",
    "Alex  0:03\nHello: there.\n\nSam  0:15\nHi.\n\nAlex  1:03\nBye.\n\nSam  1:09\nBye.",
    "Note: single.\n\nJust text\nacross lines.\n\n\n\nAnother paragraph.",
    "**Ann:** Hi.\n\n**Bob**: Hello.\n\n**Ann:** Bye.\n\n**Bob**: Bye.",
    "Q:\n\nA:\nQ: x\nA:   \n\ny",
]


def _docx_samples() -> list[bytes]:
    def bold(document: Document) -> None:
        for speaker, text in [("Ann:", " Hi."), ("Bob", ": Hello."), ("Ann:", ""), ("Bob:", " x")]:
            paragraph = document.add_paragraph()
            paragraph.add_run(speaker).bold = True
            paragraph.add_run(text)
            document.add_paragraph("continued")

    def table(document: Document) -> None:
        grid = document.add_table(rows=3, cols=2)
        for row, (a, b) in zip(
            grid.rows, [("Speaker", "Text"), ("Ann", "Hi."), ("Bob", "")], strict=True
        ):
            row.cells[0].text, row.cells[1].text = a, b

    body = "<w:body><w:p><w:r><w:t>e\u0301</w:t></w:r></w:p></w:body>"
    xml = f'<w:document xmlns:w="{W_NS}">{body}</w:document>'
    return [make_docx(bold), make_docx(table), docx_with_document_xml(xml.encode())]


def _all_fixtures() -> list[tuple[str, bytes]]:
    fixtures = [(".txt", text.encode()) for text in TEXTS]
    fixtures += [(".md", TEXTS[6].encode()), (".txt", DIALOGUE.encode("utf-16"))]
    fixtures += [(".txt", DIALOGUE.replace("\n", "\r\n").encode("cp1252"))]
    fixtures += [(".vtt", ZOOM.encode()), (".vtt", TEAMS.encode()), (".srt", SRT.encode())]
    fixtures += [(".docx", data) for data in _docx_samples()]
    fixtures += [(".odt", make_odt(BODY)), (".rtf", RTF)]
    return fixtures


def _check(call: Callable[[], ParsedSource]) -> ParsedSource | None:
    try:
        parsed = call()
    except IngestError as error:
        assert str(error) and "\n" not in str(error)
        return None
    assert_invariants(parsed)
    return parsed


def test_every_fixture_from_disk(tmp_path: Path) -> None:
    for index, (suffix, data) in enumerate(_all_fixtures()):
        path = tmp_path / f"fixture{index}{suffix}"
        path.write_bytes(data)
        parsed = _check(partial(read_source, path))
        assert parsed is not None, path.name
        assert parsed.format == suffix[1:]
        assert parsed.turns, path.name


@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt", ".srt", ".rtf"])
def test_text_mutations(suffix: str) -> None:
    rng = random.Random(1234)
    noise = ["\r", "\r\n", "\n\n", " ", "\t", "\u00a0", "\u0301", "\u2028", ":", "Ann: "]
    noise += ["[00:00:01] ", "  0:03\n", "-->", "<v X>", "{", "}", "\\par ", "\\'e9", "\\u233?"]
    sources = TEXTS + [ZOOM, TEAMS, SRT, RTF.decode("latin-1")]
    for source in sources:
        for _ in range(40):
            chars = list(source)
            for _ in range(rng.randint(1, 6)):
                chars.insert(rng.randint(0, len(chars)), rng.choice(noise))
            mutated = "".join(chars)
            cut = rng.randint(0, len(mutated))
            for candidate in (mutated, mutated[:cut]):
                _check(partial(parse_bytes, candidate.encode("utf-8"), suffix))


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_corrupted_zips_only_raise_ingest_errors(suffix: str) -> None:
    rng = random.Random(99)
    original = _docx_samples()[0] if suffix == ".docx" else make_odt(BODY)
    for _ in range(150):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        _check(partial(parse_bytes, bytes(data), suffix))


def test_generated_transcripts() -> None:
    rng = random.Random(7)
    names = ["Ann", "Bob Lee", "Dr. Ng", "Speaker 2", "Q", "A", "Zoë", "http", "Date", "Note"]
    shapes = ["{n}: {t}", "[00:0{d}:1{d}] {n}: {t}", "{n} (00:0{d}:00):\n{t}", "{n}  {d}:0{d}\n{t}"]
    shapes += ["{t}", "", "   ", "{n}:", "**{n}:** {t}", "{n}: \u0301{t}"]
    words = ["well", "yes:", "no", "10:30", "http://x.org", "e\u0301", "  ", "\t", "ok."]
    for _ in range(300):
        lines = []
        for _ in range(rng.randint(1, 25)):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
            shape = rng.choice(shapes)
            lines.append(shape.format(n=rng.choice(names), t=text, d=rng.randint(0, 9)))
        source = rng.choice(["\n", "\r\n", "\r"]).join(lines)
        _check(partial(parse_bytes, source.encode(), ".txt"))
