"""Word documents: bold speaker labels, transcript tables, plain fallback."""

from __future__ import annotations

from docx.document import Document

from coder.ingest import parse_bytes

from .test_support import W_NS, assert_invariants, docx_with_document_xml, make_docx, utterances


def _bold_label(document: Document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    paragraph.add_run(text)


def test_bold_speaker_labels() -> None:
    def build(document: Document) -> None:
        document.add_heading("Interview 3", level=1)
        document.add_paragraph("Recorded on 14 March 2013.")
        _bold_label(document, "Interviewer:", " How did you start?")
        _bold_label(document, "María José", ": Slowly, at first.")
        document.add_paragraph("")  # empty paragraphs are dropped
        document.add_paragraph("Then faster.")  # continues María José's turn
        _bold_label(document, "Interviewer: ", "And now?")
        paragraph = document.add_paragraph()
        paragraph.add_run("María José:").bold = True
        paragraph.add_run(" Good.")
        paragraph.add_run().add_break()
        paragraph.add_run("Very good.\tReally.")

    parsed = parse_bytes(make_docx(build), ".docx")
    assert_invariants(parsed)
    assert parsed.format == "docx" and parsed.encoding is None
    assert parsed.text.startswith("Interview 3\n\nRecorded on 14 March 2013.\n\nInterviewer: How")
    assert utterances(parsed) == [
        ("Interviewer", "How did you start?"),
        ("María José", "Slowly, at first.\n\nThen faster."),
        ("Interviewer", "And now?"),
        ("María José", "Good.\nVery good.\tReally."),
    ]


def test_bold_label_alone_in_its_paragraph() -> None:
    def build(document: Document) -> None:
        for speaker, text in [("Ann", "Hello."), ("Bob", "Hi."), ("Ann", "Bye."), ("Bob", "Bye.")]:
            document.add_paragraph().add_run(f"{speaker}:").bold = True
            document.add_paragraph(text)

    parsed = parse_bytes(make_docx(build), ".docx")
    assert_invariants(parsed)
    assert utterances(parsed) == [
        ("Ann", "Hello."),
        ("Bob", "Hi."),
        ("Ann", "Bye."),
        ("Bob", "Bye."),
    ]


def test_two_column_table_with_header_row() -> None:
    rows = [
        ("Speaker", "Text"),
        ("Interviewer", "Where do you live?"),
        ("Leo", "In Paris."),
        ("", "Near the river."),
    ]

    def build(document: Document) -> None:
        document.add_paragraph("Transcript of interview 9")
        table = document.add_table(rows=len(rows), cols=2)
        for row, (speaker, text) in zip(table.rows, rows, strict=True):
            row.cells[0].text = speaker
            row.cells[1].text = text
        document.add_paragraph("End of transcript.")

    parsed = parse_bytes(make_docx(build), ".docx")
    assert_invariants(parsed)
    assert parsed.text == (
        "Transcript of interview 9\n\nInterviewer: Where do you live?\n\nLeo: In Paris."
        "\n\nNear the river.\n\nEnd of transcript."
    )
    assert utterances(parsed) == [
        ("Interviewer", "Where do you live?"),
        ("Leo", "In Paris.\n\nNear the river.\n\nEnd of transcript."),
    ]


def test_three_column_table_with_timestamps() -> None:
    rows = [
        ("00:00:05", "Ann", "Hello."),
        ("00:01:02", "Bob", "Hi."),
        ("[00:01:10]", "Ann", "Bye."),
    ]

    def build(document: Document) -> None:
        table = document.add_table(rows=3, cols=3)
        for row, cells in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, cells, strict=True):
                cell.text = value

    parsed = parse_bytes(make_docx(build), ".docx")
    assert_invariants(parsed)
    assert utterances(parsed) == [("Ann", "Hello."), ("Bob", "Hi."), ("Ann", "Bye.")]
    assert [t.timestamp for t in parsed.turns] == [5.0, 62.0, 70.0]


def test_plain_paragraph_labels_fallback() -> None:
    def build(document: Document) -> None:
        for line in ["Date: 1 May 2020", "Q: Ready?", "A: Yes.", "Q: Sure?", "A: Yes!"]:
            document.add_paragraph(line)

    parsed = parse_bytes(make_docx(build), ".docx")
    assert_invariants(parsed)
    assert utterances(parsed) == [("Q", "Ready?"), ("A", "Yes."), ("Q", "Sure?"), ("A", "Yes!")]


def test_document_without_labels() -> None:
    parsed = parse_bytes(
        make_docx(lambda d: [d.add_paragraph(t) for t in ("One.", "Two.")]), ".docx"
    )
    assert utterances(parsed) == [(None, "One."), (None, "Two.")]


def test_hand_written_xml_skips_deleted_text_and_keeps_hyperlinks() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>'
        "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Ann:</w:t></w:r>"
        '<w:r><w:t xml:space="preserve"> see </w:t></w:r>'
        "<w:hyperlink><w:r><w:t>the site</w:t></w:r></w:hyperlink>"
        "<w:del><w:r><w:delText>removed</w:delText></w:r></w:del></w:p>"
        '<w:p><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>Bob: not bold label</w:t></w:r></w:p>'
        '<w:p><w:r><w:rPr><w:b w:val="true"/></w:rPr><w:t>Ann</w:t></w:r>'
        "<w:r><w:t>: again</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Bob: fine</w:t></w:r></w:p>"
        "<w:sectPr/></w:body></w:document>"
    ).encode()
    parsed = parse_bytes(docx_with_document_xml(xml), ".docx")
    assert_invariants(parsed)
    assert utterances(parsed) == [
        ("Ann", "see the site"),
        ("Bob", "not bold label"),
        ("Ann", "again"),
        ("Bob", "fine"),
    ]
