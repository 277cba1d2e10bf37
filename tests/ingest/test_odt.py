"""OpenDocument text files built by hand with zipfile."""

from __future__ import annotations

import pytest

from coder.ingest import IngestError, parse_bytes

from .test_support import assert_invariants, make_odt, make_zip, utterances

BODY = (
    '<text:h text:outline-level="1">Interview   with <text:span>Zoë</text:span></text:h>'
    '<text:p>Interviewer: Where did you <text:span text:style-name="T1">grow up</text:span>?'
    "<text:note><text:note-citation>1</text:note-citation>"
    "<text:note-body><text:p>A footnote.</text:p></text:note-body></text:note></text:p>"
    '<text:p>Zoë: In Ghent.<text:line-break/>Near the<text:s text:c="3"/>port.</text:p>'
    "<text:p/>"
    "<text:list><text:list-item><text:p>Then Antwerp.</text:p></text:list-item></text:list>"
    "<text:p>Interviewer:<text:tab/>Why?</text:p>"
    "<text:p>Zoë: &lt;work&gt; &amp; love.</text:p>"
)


def test_odt_paragraphs_and_turns() -> None:
    parsed = parse_bytes(make_odt(BODY), ".odt")
    assert_invariants(parsed)
    assert parsed.format == "odt" and parsed.encoding is None
    assert parsed.text.startswith("Interview with Zoë\n\nInterviewer: Where did you grow up?\n\n")
    assert "footnote" not in parsed.text
    assert utterances(parsed) == [
        ("Interviewer", "Where did you grow up?"),
        ("Zoë", "In Ghent.\nNear the   port.\n\nThen Antwerp."),
        ("Interviewer", "Why?"),
        ("Zoë", "<work> & love."),
    ]


def test_odt_transcript_table() -> None:
    cell = "<table:table-cell><text:p>{}</text:p></table:table-cell>"
    row = f"<table:table-row>{cell}{cell}</table:table-row>"
    rows = [("Name", "Utterance"), ("Ann", "Hi."), ("Bob", "Hello.")]
    table = "<table:table>" + "".join(row.format(a, b) for a, b in rows) + "</table:table>"
    parsed = parse_bytes(make_odt(table), ".odt")
    assert_invariants(parsed)
    assert parsed.text == "Ann: Hi.\n\nBob: Hello."
    assert utterances(parsed) == [("Ann", "Hi."), ("Bob", "Hello.")]


def test_empty_odt() -> None:
    with pytest.raises(IngestError) as caught:
        parse_bytes(make_odt("<text:p>  </text:p>"), ".odt")
    assert str(caught.value) == "document contains no text"


def test_spreadsheet_renamed_to_odt() -> None:
    data = make_zip(
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
    )
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, ".odt")
    assert str(caught.value) == "not an OpenDocument text file (it is a different document type)"
