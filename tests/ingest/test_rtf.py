"""RTF conversion: control words, escapes, skipped destinations."""

from __future__ import annotations

import pytest

from coder.ingest import IngestError, parse_bytes

from .test_support import assert_invariants, utterances

RTF = rb"""{\rtf1\ansi\ansicpg1252\deff0\nouicompat{\fonttbl{\f0\fnil\fcharset0 Calibri;}}
{\colortbl ;\red255\green0\blue0;}
{\stylesheet{\s0 Normal;}}
{\*\generator Riched20 10.0.19041}{\info{\title Secret title}{\author Someone}}
\viewkind4\uc1\pard\sa200\sl276\slmult1\f0\fs22\lang9 Interview with Jos\'e9\par
\par
{\b Interviewer:} Caf\'e9 or tea?\par
Respondent: \u8220?Tea\u8221?, please.\tab Really.\par
Interviewer: Why?\line Tell me.{\*\comment hidden words}\par
Respondent: It\rquote s calm \emdash  and \{braces\} stay.{\pict\pngblip 89504e470d0a}\par
{\field{\*\fldinst HYPERLINK "http://evil.example"}{\fldrslt see site}}\par
}"""


def test_rtf_text_and_turns() -> None:
    parsed = parse_bytes(RTF, ".rtf")
    assert_invariants(parsed)
    assert parsed.format == "rtf" and parsed.encoding is None
    assert parsed.text.startswith("Interview with José\n\nInterviewer: Café or tea?\n\n")
    for hidden in ("Secret", "Calibri", "Riched", "hidden", "8950", "HYPERLINK", "Normal"):
        assert hidden not in parsed.text
    assert utterances(parsed) == [
        ("Interviewer", "Café or tea?"),
        ("Respondent", "“Tea”, please.\tReally."),
        ("Interviewer", "Why?\nTell me."),
        ("Respondent", "It’s calm — and {braces} stay.\n\nsee site"),
    ]


def test_rtf_code_page_and_unicode_skip() -> None:
    data = rb"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2 \uc2\u960\'3f\'3f x \uc0\u-3913 y}"
    parsed = parse_bytes(data, ".rtf")
    assert parsed.text == "Привет π x \uf0b7y"  # the space after \\u-3913 is its delimiter


def test_rtf_surrogate_pair() -> None:
    parsed = parse_bytes(rb"{\rtf1 smile \u-10179?\u-8704?}", ".rtf")
    assert parsed.text == "smile \U0001f600"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Hello, plain text", "not an RTF file"),
        (b"{\\rtf1{\\fonttbl{\\f0 Arial;}}}", "document contains no text"),
        # h13user: a file cut short imported as a one-word transcript
        (b"{\\rtf1 hi", "the RTF file is cut short or damaged (a group is never closed)"),
        (RTF[: len(RTF) // 2], "the RTF file is cut short or damaged (a group is never closed)"),
    ],
)
def test_bad_rtf(data: bytes, message: str) -> None:
    with pytest.raises(IngestError) as caught:
        parse_bytes(data, ".rtf")
    assert str(caught.value) == message
