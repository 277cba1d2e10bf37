"""Updating a trained model with a few new passages instead of training it again.

After a coding, one thing changed: a passage joined the examples. Everything `learn` computes
is a sum over the examples (coder.suggest.learn.Totals) that is then scaled to unit length and
pruned per code, and the calibration passages and the neighbours' voters are the examples'
rows in span order. So, with the vocabulary held as it is, adding the new passage's row to the
sums of its codes, redoing those codes' centroids, and inserting its row where it belongs gives
the model a full `fit` on the same examples with the same vocabulary gives (the same numbers up
to the order of float additions). That is the update here.

What an update cannot do honestly is move the vocabulary: the new passage's words that no
passage used before stay unknown, and every term's idf stays as it was. A new code (or a
code rejected for the first time), a changed or removed example, more than MAX_NEW new
passages at once, or FULL_EVERY updates in a row call for a full fit instead (`update` then
returns None), which the training service runs; so the vocabulary is never far behind.

The state (`Updatable`) lives only in the memory of the process that made the full fit (the
workspace's training process): a restarted process starts with a full fit.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from coder.suggest.features import Rows, label_sums, unit_rows, vectorize
from coder.suggest.learn import Example, Totals, centroids, totals
from coder.suggest.model import SuggestModel

Span = tuple[int, int, int]  # source id, start, end
FULL_EVERY = 25  # updates in a row before a full fit (which also refreshes the vocabulary)
MAX_NEW = 20  # more new passages than this at once: a full fit


@dataclass
class Updatable:
    """A full fit's model with what updating it needs (kept in memory, never stored)."""

    model: SuggestModel
    spans: list[Span]  # sorted; spans[i] is examples[i]'s passage
    examples: list[Example]
    text: Rows  # the examples' rows, in span order
    context: Rows
    mixed: Rows  # text mixed with context, as learn() sees them
    base: tuple[Rows, Rows]  # the calibration sample's rows (text, context)
    sums: Totals
    tag: object = None  # what else the fit depended on (method, codes, sample): the caller's
    updates: int = 0


def updatable(
    model: SuggestModel, keyed: Sequence[tuple[Span, Example]], tag: object = None
) -> Updatable:
    """The state for updating `model`, fitted (by coder.suggest.model.fit) on exactly the
    examples of `keyed` in that order: their rows are the tail of the model's calibration."""
    n = len(keyed)
    cal_text, cal_ctx = model.calibration
    text, context = _tail(cal_text, n), _tail(cal_ctx, n)
    mixed = text.mix(context, model.method.context_weight)
    examples = [e for _s, e in keyed]
    return Updatable(
        model,
        [s for s, _e in keyed],
        examples,
        text,
        context,
        mixed,
        (_head(cal_text, cal_text.n - n), _head(cal_ctx, cal_ctx.n - n)),
        totals(mixed, examples, len(model.vocab), context),
        tag,
    )


def new_examples(
    u: Updatable, keyed: Sequence[tuple[Span, Example]]
) -> list[tuple[Span, Example]] | None:
    """The examples of `keyed` that `u` lacks, if everything else is as `u` has it (and the
    new ones may be added: known codes only); None when a full fit is needed."""
    if u.updates >= FULL_EVERY or len(keyed) <= len(u.spans):
        return None
    have = dict(zip(u.spans, u.examples, strict=True))
    new = []
    for span, e in keyed:
        old = have.pop(span, None)
        if old is None:
            new.append((span, e))
        elif not _same(old, e):
            return None
    keys, rkeys = set(u.sums.keys), set(u.sums.rej_keys)
    if have or len(new) > MAX_NEW:
        return None
    if any(not (e.codes <= keys and e.rejected <= rkeys) for _s, e in new):
        return None
    return new


def update(u: Updatable, new: Sequence[tuple[Span, Example]]) -> Updatable:
    """`u` with the `new` examples added (see new_examples): sums, the centroids of the codes
    they carry, the seen centroid, the neighbours and the calibration passages."""
    model, vocab = u.model, u.model.vocab
    examples = [e for _s, e in new]
    text = vectorize([e.terms.keys for e in examples], vocab)
    context = vectorize([e.context.keys if e.context else () for e in examples], vocab)
    mixed = text.mix(context, model.method.context_weight)
    s, width = u.sums, len(vocab)
    pos_index = {k: i for i, k in enumerate(s.keys)}
    rej_index = {k: i for i, k in enumerate(s.rej_keys)}
    labels = [[pos_index[c] for c in e.codes] for e in examples]
    rej_labels = [[rej_index[c] for c in e.rejected] for e in examples]
    seen_flags = [[0] if (e.seen and not e.codes) else [] for e in examples]
    counts, rej_counts = list(s.counts), list(s.rej_counts)
    for e in examples:
        for c in e.codes:
            counts[pos_index[c]] += 1
        for c in e.rejected:
            rej_counts[rej_index[c]] += 1
    sums = Totals(
        s.keys,
        s.pos + _wide(label_sums(mixed, labels, len(s.keys)), width),
        counts,
        s.rej_keys,
        s.rej + _wide(label_sums(mixed, rej_labels, len(s.rej_keys)), width),
        rej_counts,
        s.seen + _wide(label_sums(mixed, seen_flags, 1), width)[0],
        s.n_seen + sum(1 for f in seen_flags if f),
        s.ctx + _wide(label_sums(context, labels, len(s.keys)), width)
        if s.ctx is not None
        else None,
    )
    # The examples in span order, as a full fit has them.
    spans, order = _merged(u.spans, [sp for sp, _e in new])
    all_examples = [(u.examples + examples)[i] for i in order]
    all_text = u.text.concat(text).take(order)
    all_context = u.context.concat(context).take(order)
    all_mixed = u.mixed.concat(mixed).take(order)
    learned, keep = model.learned, model.method.keep_terms
    touched = sorted({pos_index[c] for e in examples for c in e.codes})
    pos = learned.pos.copy()
    ctx = learned.ctx.copy() if learned.ctx is not None and sums.ctx is not None else None
    for i in touched:
        pos[i] = centroids(sums.pos[i : i + 1].copy(), keep)[0]
        if ctx is not None and sums.ctx is not None:
            ctx[i] = centroids(sums.ctx[i : i + 1].copy(), keep)[0]
    rej = learned.rej.copy()
    for i in sorted({rej_index[c] for e in examples for c in e.rejected}):
        rej[i] = centroids(sums.rej[i : i + 1].copy(), keep)[0]
    coded = [i for i, e in enumerate(all_examples) if e.codes]
    learned = replace(
        learned,
        pos=pos,
        counts=counts,
        rej=rej,
        rej_counts=rej_counts,
        seen=unit_rows(sums.seen[None, :])[0],
        n_seen=sums.n_seen,
        ctx=ctx,
        nn=all_mixed.take(coded) if learned.nn is not None else None,
        nn_codes=[sorted(all_examples[i].codes) for i in coded]
        if learned.nn_codes is not None
        else None,
    )
    meta = {**model.meta, "examples": len(all_examples), "coded": len(coded)}
    calibration = (u.base[0].concat(all_text), u.base[1].concat(all_context))
    updated = replace(model, learned=learned, calibration=calibration, meta=meta)
    return Updatable(
        updated,
        spans,
        all_examples,
        all_text,
        all_context,
        all_mixed,
        u.base,
        sums,
        u.tag,
        u.updates + 1,
    )


def _same(a: Example, b: Example) -> bool:
    return (a.codes, a.rejected, a.seen, a.group) == (b.codes, b.rejected, b.seen, b.group) and (
        a.terms.keys == b.terms.keys
    )


def _merged(old: list[Span], new: list[Span]) -> tuple[list[Span], list[int]]:
    """The spans in order, and for each the index it has in old + new."""
    spans = list(old)
    order = list(range(len(old)))
    for j, span in enumerate(new):
        at = bisect.bisect_left(spans, span)
        spans.insert(at, span)
        order.insert(at, len(old) + j)
    return spans, order


def _wide(m: np.ndarray, width: int) -> np.ndarray:
    if m.shape[1] >= width:
        return m[:, :width]
    out = np.zeros((m.shape[0], width), np.float32)
    out[:, : m.shape[1]] = m
    return out


def _head(rows: Rows, n: int) -> Rows:
    hi = int(rows.indptr[n])
    return Rows(rows.indptr[: n + 1].copy(), rows.indices[:hi].copy(), rows.data[:hi].copy())


def _tail(rows: Rows, n: int) -> Rows:
    a = rows.n - n
    lo = int(rows.indptr[a])
    return Rows(
        (rows.indptr[a:] - lo).astype(np.int32), rows.indices[lo:].copy(), rows.data[lo:].copy()
    )
