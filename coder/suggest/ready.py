"""A scorer stored ready to load, so a cold `coder suggest --text` is not a model rebuild.

Building a Scorer from a stored model featurises every code's codebook text with spaCy, mixes
and expands over the calibration passages and scores them all for the z-scores. None of that
changes until the model or the codebook does, so training stores the result (the terms x codes
matrix, the z-score calibration, and each code's terms) beside the model, keyed by the exact
codebook text and pipeline it was built from; a later process restores it in one load and
rebuilds only when the key no longer matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import astuple, dataclass

import numpy as np

from coder.suggest.features import F32
from coder.suggest.prior import CodeTerms, CodeText
from coder.suggest.stored import pack, unpack


def codes_key(codes: Sequence[CodeText], nlp_model: str | None) -> str:
    """What a stored scorer was built from: every code's text, in order, and the pipeline."""
    raw = json.dumps([nlp_model or "", [list(astuple(c)) for c in codes]], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class ReadyScorer:
    """What Scorer.restore needs, and the code terms it was built with."""

    key: str  # codes_key of the codes it was built for
    fingerprint: list[int]  # the stored model's training fingerprint
    keys: list[int]
    wt: F32
    mu: F32
    sd: F32
    trained: list[int]
    terms: list[CodeTerms]
    ct: F32 | None = None  # the context prior's matrix (coder.suggest.context), if any
    mt: F32 | None = None  # the codes' word vectors (coder.suggest.vectors), if any

    def to_bytes(self) -> bytes:
        header = {
            "key": self.key,
            "fingerprint": self.fingerprint,
            "keys": self.keys,
            "trained": self.trained,
            "terms": [
                [t.key, list(t.include), list(t.exclude), list(t.question)] for t in self.terms
            ],
        }
        arrays = {"wt": self.wt, "mu": self.mu, "sd": self.sd}
        if self.ct is not None:
            arrays["ct"] = self.ct
        if self.mt is not None:
            arrays["mt"] = self.mt
        return pack(header, arrays, compress=False)

    @classmethod
    def from_bytes(cls, data: bytes) -> ReadyScorer:
        with unpack(data) as (h, z):
            return cls(
                str(h["key"]),
                [int(x) for x in h["fingerprint"]],
                [int(k) for k in h["keys"]],
                z["wt"].astype(np.float32),
                z["mu"].astype(np.float32),
                z["sd"].astype(np.float32),
                [int(k) for k in h["trained"]],
                [
                    CodeTerms(int(t[0]), tuple(t[1]), tuple(t[2]), tuple(t[3] if t[3:] else ()))
                    for t in h["terms"]
                ],
                z["ct"].astype(np.float32) if "ct" in z.files else None,
                z["mt"].astype(np.float32) if "mt" in z.files else None,
            )
