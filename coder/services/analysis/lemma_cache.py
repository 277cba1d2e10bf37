"""Each source's words and lemmas, kept in the project so word frequency need not lemmatise.

Lemmatising ten million words takes most of a minute; reading them back takes a fraction of a
second. The first word-frequency run (or `warm_lemmas`, e.g. after an import) stores, per
source, its word offsets and lemma ids with the source's own lemma list, keyed by the source's
text hash (`Source.sha256`, the hash of the text it holds): a source whose text differs from
what was cached is lemmatised again, and a deleted source takes its cache row with it.

A row's `data`: zlib (level 1) of a header (magic, word count, lemma-list byte length, width of
the lemma ids) and four arrays: gaps between words (uint32; start minus previous end), word
lengths (uint16), lemma ids (uint16 or uint32) and the lemma list, newline-separated UTF-8.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import select

from coder.analysis.intervals import IntArray
from coder.analysis.records import Corpus
from coder.analysis.words import Tokens
from coder.db.models import LemmaCache, Source
from coder.services.project.store import Project

MAGIC = b"CLC1"
HEADER = struct.Struct("<4sIIB")


def encode(start: IntArray, end: IntArray, lemma: IntArray, vocab: Sequence[str]) -> bytes:
    """One source's words (offsets, local lemma ids) and its lemma list as a cache blob."""
    n = len(start)
    prev_end = np.concatenate([[0], end[:-1]]).astype(np.int64)
    gaps = (start - prev_end).astype(np.uint32)
    lengths = (end - start).astype(np.uint16)
    wide = len(vocab) > 0xFFFF
    ids = lemma.astype(np.uint32 if wide else np.uint16)
    words = "\n".join(vocab).encode("utf-8")
    head = HEADER.pack(MAGIC, n, len(words), 4 if wide else 2)
    return zlib.compress(head + gaps.tobytes() + lengths.tobytes() + ids.tobytes() + words, 1)


def decode(blob: bytes) -> tuple[IntArray, IntArray, IntArray, list[str]]:
    """(start, end, local lemma ids, lemma list) from a cache blob."""
    raw = zlib.decompress(blob)
    magic, n, nbytes, width = HEADER.unpack_from(raw)
    if magic != MAGIC:
        raise ValueError("not a lemma cache blob")
    at = HEADER.size
    gaps = np.frombuffer(raw, np.uint32, n, at).astype(np.int64)
    at += 4 * n
    lengths = np.frombuffer(raw, np.uint16, n, at).astype(np.int64)
    at += 2 * n
    ids = np.frombuffer(raw, np.uint32 if width == 4 else np.uint16, n, at).astype(np.int64)
    at += width * n
    vocab = raw[at : at + nbytes].decode("utf-8").split("\n") if nbytes else []
    # start[k] = gap[k] + end[k-1], end[k] = start[k] + length[k]: both cumulative sums
    end = np.cumsum(gaps + lengths)
    return end - lengths, end, ids, vocab


def _lemmatise(texts: Sequence[str]) -> list[tuple[bytes, int]]:
    from coder.suggest.lemmas import lemmatize

    lem = lemmatize(texts)
    out = []
    bounds = np.searchsorted(lem.text, np.arange(len(texts) + 1))
    for i in range(len(texts)):
        a, b = int(bounds[i]), int(bounds[i + 1])
        used, local = np.unique(lem.lemma[a:b], return_inverse=True)
        vocab = [lem.vocab[int(v)] for v in used]
        out.append((encode(lem.start[a:b], lem.end[a:b], local.reshape(-1), vocab), b - a))
    return out


def _fresh(project: Project, corpus: Corpus) -> dict[int, bytes]:
    """Cache blobs by source id for the corpus's sources, lemmatising and storing the
    sources that have none or whose text changed since."""
    ids = [s.id for s in corpus.sources]
    with project.reading() as s:
        digests = dict(s.execute(select(Source.id, Source.sha256).where(Source.id.in_(ids))).all())
        blobs = {
            sid: data
            for sid, digest, data in s.execute(
                select(LemmaCache.source_id, LemmaCache.text_sha256, LemmaCache.data)
            )
            if digests.get(sid) == digest
        }
    stale = [src for src in corpus.sources if src.id not in blobs and src.id in digests]
    if stale:
        made = _lemmatise([src.text for src in stale])
        with project.transaction() as s:
            for src, (data, n) in zip(stale, made, strict=True):
                row = s.get(LemmaCache, src.id)
                if row is None:
                    row = LemmaCache(source_id=src.id)
                    s.add(row)
                row.text_sha256 = digests[src.id]
                row.words = n
                row.data = data
                blobs[src.id] = data
    return blobs


def warm_lemmas(project: Project, corpus: Corpus) -> int:
    """Lemmatise and store every source the cache lacks; returns how many sources it holds."""
    return len(_fresh(project, corpus))


def cached_tokens(project: Project, corpus: Corpus) -> Tokens:
    """Every word of the corpus's sources with its lemma, from the cache (filled as needed).

    Each source's blob is unpacked straight into its slice of the corpus-wide arrays (a few
    ten-thousand-word steps that stay in the CPU cache, rather than passes over ten million
    words), its lemma ids mapped onto the lemma list of the whole corpus as it goes."""
    from coder.suggest.lemmas import content_words

    blobs = _fresh(project, corpus)
    unpacked: list[tuple[int, bytes, int, int, int]] = []
    for k, src in enumerate(corpus.sources):
        data = blobs.get(src.id)
        if data is not None:
            raw = zlib.decompress(data)
            magic, n, nbytes, width = HEADER.unpack_from(raw)
            if magic != MAGIC:
                raise ValueError(f"source {src.id}: not a lemma cache blob")
            unpacked.append((k, raw, n, nbytes, width))
    total = sum(u[2] for u in unpacked)
    source = np.empty(total, dtype=np.int64)
    start = np.empty(total, dtype=np.int64)
    end = np.empty(total, dtype=np.int64)
    lemma = np.empty(total, dtype=np.int64)
    ids: dict[str, int] = {}
    a = 0
    for k, raw, n, nbytes, width in unpacked:
        at, b = HEADER.size, a + n
        gaps = np.frombuffer(raw, np.uint32, n, at)
        lengths = np.frombuffer(raw, np.uint16, n, at + 4 * n)
        local: npt.NDArray[np.unsignedinteger[Any]] = np.frombuffer(
            raw, np.uint32 if width == 4 else np.uint16, n, at + 6 * n
        )
        text = raw[at + (6 + width) * n : at + (6 + width) * n + nbytes].decode("utf-8")
        words = text.split("\n") if text else []
        mapping = np.fromiter((ids.setdefault(v, len(ids)) for v in words), np.int64, len(words))
        seg = end[a:b]
        np.add(gaps, lengths, out=seg, dtype=np.int64)
        np.cumsum(seg, out=seg)  # end[k] = start[k] + length[k], start[k] = end[k-1] + gap[k]
        np.subtract(seg, lengths, out=start[a:b], dtype=np.int64)
        if n:
            np.take(mapping, local, out=lemma[a:b])
        source[a:b] = k
        a = b
    vocab = tuple(ids)
    return Tokens(vocab, content_words(vocab), source, start, end, lemma)
