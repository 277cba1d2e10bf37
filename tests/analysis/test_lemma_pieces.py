"""A source lemmatised, counted and hashed a piece at a time (to keep an import's memory near
the source's size) gives exactly what the whole text gives: the same lemma cache blob byte for
byte, the same word count and the same hash, wherever the pieces are cut."""

from __future__ import annotations

import hashlib
import random
from array import array

import numpy as np
import pytest

from coder.analysis.words import ASKED, SPOKEN, speech_classes
from coder.ingest.decode import decode_bytes, decode_text, normalise_text
from coder.services.analysis.lemma_blob import TurnSpec, build, encode, read_counts, read_words
from coder.services.sources.transcripts import text_sha256
from coder.suggest.lemmas import Lemmatizer, lemmatize
from coder.vocab.pieces import PIECE_CHARS, count_words, pieces, utf8_sha256

Q = "Interviewer: What do you do with the label’s songs? Don't they're labels' songs?"
A = (
    "Ann: The songs were playing, and I was writing songs about labels. Ça va, naïve café "
    "owners\u3000said it's fine;\tthe bands' vinyl\xa0pressings sold out. Won't we?"
)
TEXT = "Recorded 3 May\n\n" + "\n\n".join([Q, A, Q.replace("What", "Why"), A[:60]] * 3) + "\n"


def _turns(text: str) -> list[TurnSpec]:
    out, pos = [], 0
    for block in text.split("\n\n"):
        start = text.index(block, pos)
        pos = start + len(block)
        if ": " in block[:20]:
            who, _, _ = block.partition(": ")
            out.append((start + len(who) + 2, pos, who == "Interviewer"))
    return out


def _whole_text_blob(text: str, turns: list[TurnSpec]) -> tuple[bytes, int]:
    """The blob as it was made before pieces: lemmatise everything, then encode."""
    lem = lemmatize([text])
    content = np.asarray(lem.content, dtype=bool)
    order = np.concatenate([np.flatnonzero(content), np.flatnonzero(~content)])
    local = np.empty(len(order), dtype=np.int64)
    local[order] = np.arange(len(order))
    ids = local[lem.lemma]
    vocab = [lem.vocab[int(v)] for v in order]
    speech = speech_classes(lem.start, turns)
    return encode(lem.start, lem.end, ids, speech, vocab, int(content.sum())), len(ids)


@pytest.mark.parametrize("size", [1, 2, 3, 7, 13, 64, 200, 10**9])
def test_pieces_cover_the_text_and_start_at_whitespace(size: int) -> None:
    cuts = list(pieces(TEXT, size))
    assert cuts[0][0] == 0 and cuts[-1][1] == len(TEXT)
    assert all(b == c for (_, b), (c, _) in zip(cuts, cuts[1:], strict=False))
    assert all(a < b for a, b in cuts)
    assert all(TEXT[a].isspace() for a, _ in cuts[1:])
    if size < 100:
        assert len(cuts) > 3


def test_pieces_of_text_without_whitespace_is_one_piece() -> None:
    assert list(pieces("x" * 50, 8)) == [(0, 50)]
    assert list(pieces("", 8)) == []


def test_word_count_and_hash_of_a_long_text_are_those_of_the_whole() -> None:
    odd = "\x1c\x1d\x1e\x1f\x85\u2028\u3000\xa0\t\x0b\x0c"  # whitespace to str.split()
    text = ("naïve wörds " + odd + "x" * 9 + "\U0001f600 ") * (PIECE_CHARS // 10)
    assert len(text) > 2 * PIECE_CHARS
    assert count_words(text) == len(text.split())
    assert count_words(TEXT) == len(TEXT.split())
    ascii_text = text.encode("ascii", "ignore").decode()  # the quick path: ASCII pieces
    assert len(ascii_text) > 2 * PIECE_CHARS
    assert count_words(ascii_text) == len(ascii_text.split())
    assert text_sha256(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert text_sha256("") == hashlib.sha256(b"").hexdigest()
    broken = text + "\ud800 lone surrogate"  # as a REFI-QDA file can give: replaced by "?"
    want = hashlib.sha256(broken.encode("utf-8", "replace")).hexdigest()
    assert utf8_sha256(broken, "replace") == want


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 17, 40, 101, PIECE_CHARS])
def test_blob_built_in_pieces_is_the_whole_texts_blob(size: int) -> None:
    turns = _turns(TEXT)
    assert sum(i for _, _, i in turns) == 6 and len(turns) == 12
    want = _whole_text_blob(TEXT, turns)
    got = build(TEXT, turns, size)
    assert got == want
    counts = read_counts(got[0])
    assert counts.spoken.sum() > 0 and counts.asked.sum() > 0
    words = read_words(got[0])
    assert {int(c) for c in words.speech} == {0, SPOKEN, ASKED}  # a header, both speakers


def test_blob_of_a_source_without_turns_or_words() -> None:
    for text in ("", "... -- !!", "just one line of talk"):
        for size in (1, 4, PIECE_CHARS):
            assert build(text, [], size) == _whole_text_blob(text, [])


def test_blob_with_more_lemmas_than_two_bytes_can_number() -> None:
    # the lemma ids widen from 2 to 4 bytes part-way through the text
    text = " ".join(f"w{k}x" for k in range(70_000))
    turns: list[TurnSpec] = [(0, len(text) // 2, True), (len(text) // 2, len(text), False)]
    got = build(text, turns, 5_000)
    assert got == _whole_text_blob(text, turns)
    assert len(read_words(got[0]).vocab) == 70_000


def test_lemmatizer_numbers_lemmas_across_pieces_as_in_the_whole_text() -> None:
    whole = lemmatize([TEXT])
    lz = Lemmatizer()
    s, e, v = array("q"), array("q"), array("q")
    n = sum(lz.scan(TEXT, s, e, v, a, b) for a, b in pieces(TEXT, 11))
    starts, ends, lemmas = (np.frombuffer(x, dtype=np.int64) for x in (s, e, v))
    assert n == len(whole.start)
    assert starts.tolist() == whole.start.tolist() and ends.tolist() == whole.end.tolist()
    assert lemmas.tolist() == whole.lemma.tolist() and tuple(lz.ids) == whole.vocab


@pytest.mark.parametrize(
    "tail",
    [b"\n", b"\r\n\r\n", b" \t\x0b\x0c\n", b"\x1c\x1f\n", "\u3000\n".encode(), b"", b"\xc2\x85"],
)
@pytest.mark.parametrize("head", [b"", b"\xef\xbb\xbf"])
def test_decoding_drops_trailing_whitespace_as_before(head: bytes, tail: bytes) -> None:
    data = head + "Ann: café talk\r\nBen: yes".encode() + tail
    text, encoding = decode_text(data)
    raw = data[len(head) :].decode("utf-8")
    assert text == normalise_text(raw).rstrip()
    assert encoding == ("utf-8-sig" if head else "utf-8")
    assert decode_bytes(data)[0] == raw  # without rstrip, nothing is dropped


def test_word_count_of_ascii_text_is_str_split_s_for_every_character() -> None:
    """Every ASCII character, as a word, a separator, at the start and at the end."""
    rng = random.Random(7)
    chars = [chr(c) for c in range(128)]
    for c in chars:
        for text in (c, c * 3, f"a{c}b", f"{c}a b{c}", f"{c}{c}ab{c}{c}cd"):
            assert count_words(text) == len(text.split()), repr(text)
    for _ in range(300):
        text = "".join(rng.choice(chars) for _ in range(rng.randrange(0, 60)))
        assert count_words(text) == len(text.split()), repr(text)
    assert count_words("") == 0 and count_words(" \t\n") == 0
