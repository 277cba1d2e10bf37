"""A bounded, stable sample of the training spans, so a huge project trains in seconds.

A code's centroid from a few hundred of its passages is as good as one from thousands, but
analysing 200,000 coded passages takes minutes and gigabytes. Past TRAIN_MAX spans, each code
keeps the `per_code` of its spans that rank first by a stable hash of (source, start, end), and
a span is kept if any of its codes keeps it; rejections are always kept (they are rare and
each one is a deliberate signal), and read-and-left passages are sampled the same way. The hash
makes the sample grow smoothly: as coding goes on, most of the kept spans stay kept, so their
analyses (cached per process) are reused at the next training.
"""

from __future__ import annotations

import zlib

Span = tuple[int, int, int]  # source id, start, end
Entry = tuple[set[int], set[int], bool]  # codes, rejected codes, read and left uncoded

TRAIN_MAX = 10_000
MIN_PER_CODE = 50


def _rank(span: Span) -> int:
    return zlib.crc32(f"{span[0]}:{span[1]}:{span[2]}".encode())


def cap_spans(spans: dict[Span, Entry], limit: int = TRAIN_MAX) -> dict[Span, Entry]:
    """At most about `limit` spans (never fewer than MIN_PER_CODE per code), chosen stably."""
    if len(spans) <= limit:
        return spans
    by_code: dict[int, list[Span]] = {}
    seen: list[Span] = []
    keep: set[Span] = set()
    for span, (codes, rejected, was_seen) in spans.items():
        if rejected:
            keep.add(span)
        for k in codes:
            by_code.setdefault(k, []).append(span)
        if was_seen and not codes:
            seen.append(span)
    budget = max(limit - len(keep), 0)
    coded_budget = budget * 3 // 4 if seen else budget
    per_code = max(MIN_PER_CODE, coded_budget // max(len(by_code), 1))
    for members in by_code.values():
        keep.update(sorted(members, key=_rank)[:per_code])
    keep.update(sorted(seen, key=_rank)[: max(budget - coded_budget, 0)])
    return {span: spans[span] for span in spans if span in keep}
