"""One source's words, lemmas and lemma counts as the project's lemma cache stores them.

Word frequency over everything needs only how often each lemma is said, per source and
speaker; word frequency within a code, and keyword-in-context, need every word's place. A blob
holds both, the counts first, so the common question reads a few kilobytes per source and
never unpacks ten million word offsets:

    header   magic "CLC3", words, lemmas, content lemmas, width of a lemma id (2 or 4),
             byte length of the compressed counts section
    counts   zlib: the participants' and the interviewers' count of each content lemma
             (uint32 each), then the lemma list, newline-separated UTF-8
    words    zlib: gaps between words (uint32; start minus previous end), word lengths
             (uint16), lemma ids (uint16 or uint32), speech classes (uint8)

The source's lemma list puts content lemmas (not stop words) first, so "is a content word"
is `id < content lemmas` and reading needs no spaCy. Counts and speech classes follow the
source's turns, which come from its text (a source's text never changes without its hash).
A blob of an earlier format is not read, and the source is lemmatised again: "CLC1" held
positions only, and "CLC2" counted the words of transcribers' notes ("(laughs)", "[crosstalk]").
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from coder.analysis.intervals import IntArray
from coder.analysis.words import ASKED, SPOKEN, SpeechArray, speech_classifier
from coder.vocab.pieces import PIECE_CHARS, pieces

MAGIC = b"CLC3"
HEADER = struct.Struct("<4sIIIBI")

TurnSpec = tuple[int, int, bool]
"""(start, end, by the interviewer) of one turn."""


@dataclass(frozen=True)
class Counts:
    """A source's content lemmas and how often participants and interviewers said each."""

    words: tuple[str, ...]
    spoken: IntArray
    asked: IntArray


@dataclass(frozen=True)
class Words:
    """A source's words in order, as stored: gaps before each word (uint32), word lengths
    (uint16), lemma ids into `vocab` (uint16 or uint32; content lemmas are the first `content`
    of it) and speech classes (uint8), views into the unpacked blob."""

    gaps: npt.NDArray[np.uint32]
    lengths: npt.NDArray[np.uint16]
    lemma: npt.NDArray[np.unsignedinteger[Any]]
    speech: SpeechArray
    vocab: tuple[str, ...]
    content: int

    def offsets_into(self, start: IntArray, end: IntArray) -> None:
        """Write the words' start and end offsets into two int64 arrays of their length."""
        # end[k] = start[k] + length[k], start[k] = end[k-1] + gap[k]: one cumulative sum
        np.add(self.gaps, self.lengths, out=end, dtype=np.int64)
        np.cumsum(end, out=end)
        np.subtract(end, self.lengths, out=start, dtype=np.int64)


def is_current(blob: bytes) -> bool:
    """Whether a stored blob is in this format (an older one is made again)."""
    return bytes(blob[:4]) == MAGIC


def build(
    text: str, turns: Sequence[TurnSpec], piece_chars: int = PIECE_CHARS
) -> tuple[bytes, int]:
    """Lemmatise one source's text (spaCy's lookup table, offline) into a blob; returns it
    and the number of words.

    The text goes a piece (of about `piece_chars`) at a time (coder.vocab.pieces), and only
    the blob's own columns are kept for the whole of it: the gaps go into the compressor as
    each piece is read, and word lengths (2 bytes a word), first-met lemma ids (2 or 4) and
    speech classes (1) wait for the lemma list to be complete. The blob is byte for byte what
    `encode` makes of the whole text's arrays (zlib's output does not depend on how its input
    is handed over)."""
    from coder.suggest.lemmas import Lemmatizer, content_words

    lz = Lemmatizer()
    classes = speech_classifier(turns)
    packer = zlib.compressobj(1)
    packed: list[bytes] = []
    lengths: list[npt.NDArray[np.uint16]] = []
    firsts: list[npt.NDArray[np.unsignedinteger[Any]]] = []
    speeches: list[SpeechArray] = []
    spoken, asked = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    n, last_end = 0, 0
    for a, b in pieces(text, piece_chars):
        starts, ends, lemmas = (array("q") for _ in range(3))
        if not lz.scan(text, starts, ends, lemmas, a, b):
            continue
        start = np.frombuffer(starts, dtype=np.int64)
        end = np.frombuffer(ends, dtype=np.int64)
        ids = np.frombuffer(lemmas, dtype=np.int64)
        prev_end = np.empty_like(end)
        prev_end[0], prev_end[1:] = last_end, end[:-1]
        packed.append(packer.compress((start - prev_end).astype(np.uint32).data))
        lengths.append((end - start).astype(np.uint16))
        speech = classes(start)
        speeches.append(speech)
        seen = len(lz.ids)
        firsts.append(ids.astype(np.uint16 if seen <= 0x10000 else np.uint32))
        spoken = _added(spoken, np.bincount(ids[speech == SPOKEN], minlength=seen))
        asked = _added(asked, np.bincount(ids[speech == ASKED], minlength=seen))
        n, last_end = n + len(start), int(end[-1])
    met = tuple(lz.ids)
    content = content_words(met)
    order = np.concatenate([np.flatnonzero(content), np.flatnonzero(~content)])
    local = np.empty(len(order), dtype=np.int64)
    local[order] = np.arange(len(order))
    vocab = [met[int(v)] for v in order]
    nc = int(content.sum())
    width = np.uint32 if len(vocab) > 0xFFFF else np.uint16
    # each column's memory goes as soon as it is packed; lemma ids are renumbered a piece
    # at a time
    packed.extend(packer.compress(part.data) for part in lengths)
    lengths.clear()
    packed.extend(packer.compress(local[part].astype(width).data) for part in firsts)
    firsts.clear()
    packed.extend(packer.compress(part.data) for part in speeches)
    speeches.clear()
    packed.append(packer.flush())
    return _pack(n, vocab, nc, spoken[order[:nc]], asked[order[:nc]], packed), n


def _added(total: IntArray, more: IntArray) -> IntArray:
    """`total + more`, `total` first lengthened with zeros to the length of `more`."""
    if len(more) > len(total):
        total = np.concatenate([total, np.zeros(len(more) - len(total), dtype=np.int64)])
    total[: len(more)] += more
    return total


def encode(
    start: IntArray,
    end: IntArray,
    lemma: IntArray,
    speech: SpeechArray,
    vocab: Sequence[str],
    content: int,
) -> bytes:
    """A blob from a source's words (ids into `vocab`, whose first `content` are content
    lemmas) and their speech classes."""
    nc = content
    counted = lemma < nc
    spoken = np.bincount(lemma[counted & (speech == SPOKEN)], minlength=nc)[:nc]
    asked = np.bincount(lemma[counted & (speech == ASKED)], minlength=nc)[:nc]
    prev_end = np.concatenate([[0], end[:-1]]).astype(np.int64)
    wide = len(vocab) > 0xFFFF
    positions = zlib.compress(
        (start - prev_end).astype(np.uint32).tobytes()
        + (end - start).astype(np.uint16).tobytes()
        + lemma.astype(np.uint32 if wide else np.uint16).tobytes()
        + speech.astype(np.uint8).tobytes(),
        1,
    )
    return _pack(len(start), vocab, nc, spoken, asked, [positions])


def _pack(
    n: int,
    vocab: Sequence[str],
    content: int,
    spoken: IntArray,
    asked: IntArray,
    positions: Sequence[bytes],
) -> bytes:
    """Header, compressed counts and the compressed words section (in parts) as one blob."""
    words = "\n".join(vocab).encode("utf-8")
    counts = zlib.compress(
        spoken.astype(np.uint32).tobytes() + asked.astype(np.uint32).tobytes() + words, 1
    )
    wide = len(vocab) > 0xFFFF
    head = HEADER.pack(MAGIC, n, len(vocab), content, 4 if wide else 2, len(counts))
    return b"".join([head, counts, *positions])


def _header(blob: bytes) -> tuple[int, int, int, int, int]:
    magic, n, nv, nc, width, clen = HEADER.unpack_from(blob)
    if magic != MAGIC:
        raise ValueError("not a lemma cache blob")
    return n, nv, nc, width, clen


def word_count(blob: bytes) -> int:
    """How many words a blob holds (from its header)."""
    return _header(blob)[0]


def read_counts(blob: bytes) -> Counts:
    """The counts section only (the word offsets stay packed)."""
    _, nv, nc, _, clen = _header(blob)
    raw = zlib.decompress(memoryview(blob)[HEADER.size : HEADER.size + clen])
    spoken = np.frombuffer(raw, np.uint32, nc, 0).astype(np.int64)
    asked = np.frombuffer(raw, np.uint32, nc, 4 * nc).astype(np.int64)
    text = raw[8 * nc :].decode("utf-8")
    words = tuple(text.split("\n")[:nc]) if nv else ()
    return Counts(words, spoken, asked)


def read_words(blob: bytes) -> Words:
    """Every word of the source with its lemma id and speech class."""
    n, nv, nc, width, clen = _header(blob)
    raw = zlib.decompress(memoryview(blob)[HEADER.size : HEADER.size + clen])
    text = raw[8 * nc :].decode("utf-8")
    vocab = tuple(text.split("\n")) if nv else ()
    pos = zlib.decompress(memoryview(blob)[HEADER.size + clen :])
    return Words(
        np.frombuffer(pos, np.uint32, n, 0),
        np.frombuffer(pos, np.uint16, n, 4 * n),
        np.frombuffer(pos, np.uint32 if width == 4 else np.uint16, n, 6 * n),
        np.frombuffer(pos, np.uint8, n, (6 + width) * n),
        vocab,
        nc,
    )
