"""Speaker-turn detection in plain-text and Markdown transcripts."""

from __future__ import annotations

import time

from coder.ingest import ParsedSource, parse_bytes

from .test_support import assert_invariants, utterances


def parse(text: str, suffix: str = ".txt") -> ParsedSource:
    parsed = parse_bytes(text.encode("utf-8"), suffix)
    assert_invariants(parsed)
    return parsed


def test_name_colon_with_header_and_continuation_paragraphs() -> None:
    source = (
        "Interview 7\n"
        "Date: 14 March 2013\n"
        "\n"
        "Interviewer: How did you start?\n"
        "\n"
        "Mary-Jane O'Neil: Slowly.\n"
        "I had no money.\n"
        "\n"
        "Then it got better.   \n"
        "\n"
        "Interviewer: And now?\n"
        "Mary-Jane O'Neil: Now it is fine, see http://example.org for more.\n"
    )
    parsed = parse(source)
    assert parsed.format == "txt" and parsed.encoding == "utf-8"
    assert parsed.text == source.rstrip()
    assert utterances(parsed) == [
        ("Interviewer", "How did you start?"),
        ("Mary-Jane O'Neil", "Slowly.\nI had no money.\n\nThen it got better."),
        ("Interviewer", "And now?"),
        ("Mary-Jane O'Neil", "Now it is fine, see http://example.org for more."),
    ]
    assert all(t.timestamp is None for t in parsed.turns)


def test_q_and_a_labels_keep_their_letters() -> None:
    parsed = parse("Q: Where were you born?\nA: In Lyon.\nQ: When?\nA: 1970.")
    assert utterances(parsed) == [
        ("Q", "Where were you born?"),
        ("A", "In Lyon."),
        ("Q", "When?"),
        ("A", "1970."),
    ]


def test_non_ascii_and_numbered_speakers() -> None:
    parsed = parse("Speaker 1: Hola.\nJosé Núñez: ¿Qué tal?\nSpeaker 1: Bien.\nJosé Núñez: Vale.")
    assert [t.speaker for t in parsed.turns] == ["Speaker 1", "José Núñez"] * 2


def test_bracketed_timestamps() -> None:
    source = (
        "[00:01:02] Anna: First.\n"
        "(00:01:10) Ben: Second.\n"
        "00:02:00 Anna: Third.\n"
        "[03:04] Ben: Fourth.\n"
        "[1:00:00.5] Anna: Fifth."
    )
    parsed = parse(source)
    assert utterances(parsed) == [
        ("Anna", "First."),
        ("Ben", "Second."),
        ("Anna", "Third."),
        ("Ben", "Fourth."),
        ("Anna", "Fifth."),
    ]
    assert [t.timestamp for t in parsed.turns] == [62.0, 70.0, 120.0, 184.0, 3600.5]


def test_rev_label_lines() -> None:
    source = (
        "Speaker 1 (00:00:05):\n"
        "Thanks for coming.\n"
        "Shall we start?\n"
        "\n"
        "Speaker 2 (00:01:02):\n"
        "Yes.\n"
        "\n"
        "Speaker 1 (00:01:10):\n"
        "Great.\n"
        "\n"
        "Speaker 2 (01:12):\n"
        "Sure."
    )
    parsed = parse(source)
    assert utterances(parsed) == [
        ("Speaker 1", "Thanks for coming.\nShall we start?"),
        ("Speaker 2", "Yes."),
        ("Speaker 1", "Great."),
        ("Speaker 2", "Sure."),
    ]
    assert [t.timestamp for t in parsed.turns] == [5.0, 62.0, 70.0, 72.0]


def test_otter_label_lines() -> None:
    source = (
        "Team meeting\n"
        "\n"
        "Alex Kim  0:03\n"
        "Hello everyone. Welcome: here is the plan.\n"
        "\n"
        "Sam  0:15\n"
        "Hi.\n"
        "\n"
        "Alex Kim  1:02:03\n"
        "Bye.\n"
        "\n"
        "Sam  1:02:09\n"
        "Bye!\n"
        "\n"
        "Transcribed by https://otter.ai"
    )
    parsed = parse(source)
    assert utterances(parsed) == [
        ("Alex Kim", "Hello everyone. Welcome: here is the plan."),
        ("Sam", "Hi."),
        ("Alex Kim", "Bye."),
        ("Sam", "Bye!\n\nTranscribed by https://otter.ai"),
    ]
    assert [t.timestamp for t in parsed.turns] == [3.0, 15.0, 3723.0, 3729.0]


def test_single_note_line_is_not_a_speaker() -> None:
    parsed = parse(
        "Note: recorded in the kitchen.\n\nWe talked about bread.\nFor hours.\n\nThe end."
    )
    assert utterances(parsed) == [
        (None, "Note: recorded in the kitchen."),
        (None, "We talked about bread.\nFor hours."),
        (None, "The end."),
    ]


def test_date_header_once_is_not_a_turn_even_in_a_dialogue() -> None:
    source = "Date: 14 March 2013\nI: Hello.\nR: Hi.\nI: Bye.\nR: Bye.\nModerator: Thanks all."
    parsed = parse(source)
    assert [t.speaker for t in parsed.turns] == ["I", "R", "I", "R", "Moderator"]
    assert parsed.turns[0].start == source.index("Hello.")


def test_no_labels_gives_one_turn_per_paragraph() -> None:
    parsed = parse("\n\nFirst paragraph\ncontinues.\n\n\n  Second one.  \n")
    assert utterances(parsed) == [(None, "First paragraph\ncontinues."), (None, "Second one.")]
    assert parsed.text.startswith("\n\nFirst")


def test_label_alone_on_a_line_takes_following_lines() -> None:
    parsed = parse("Ann:\nI think so.\nBob:\nMe too.\nAnn:\nBob: Sure.")
    assert utterances(parsed) == [("Ann", "I think so."), ("Bob", "Me too."), ("Bob", "Sure.")]


def test_markdown_bold_labels() -> None:
    parsed = parse(
        "# Interview\n\n**Ann:** Hello.\n\n**Bob**: Hi.\n\n**Ann:** Bye.\n\n**Bob**: Bye.", ".md"
    )
    assert parsed.format == "md"
    assert utterances(parsed) == [
        ("Ann", "Hello."),
        ("Bob", "Hi."),
        ("Ann", "Bye."),
        ("Bob", "Bye."),
    ]


def test_times_and_urls_are_not_labels() -> None:
    parsed = parse("We met at 10:30: late.\nhttp://a.org\nhttp://b.org\n12: twelve\n12: again")
    assert [t.speaker for t in parsed.turns] == [None]


def test_ten_thousand_words_parse_quickly() -> None:
    lines = [f"Speaker {i % 3}: " + " ".join(["word"] * 9) for i in range(1000)]
    data = "\n".join(lines).encode()
    parse_bytes(data, ".txt")  # warm up
    started = time.perf_counter()
    parsed = parse_bytes(data, ".txt")
    elapsed = time.perf_counter() - started
    assert len(parsed.turns) == 1000
    assert elapsed < 0.25, f"10,000 words took {elapsed * 1000:.1f} ms"
