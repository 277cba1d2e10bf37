"""Agreement statistics from counts of units by how many coders applied a code.

Every unit is rated by every coder on one binary question ("did you apply this code here?"), so
there are no missing values, and a table of h[k] = number of units exactly k of m coders said
yes to holds everything the statistics need:

- percent agreement: the share of units on which all coders agree (k = 0 or k = m);
- Cohen's κ (two coders) from the 2 × 2 table; Fleiss' κ (three or more) from h;
- Krippendorff's α for nominal data, from the coincidence matrix the same h gives (this is the
  α the `krippendorff` package computes with `level_of_measurement="nominal"`; the tests check
  the two agree). The package takes one row per unit, which at character level would mean
  millions of rows per code, so the same formula is applied to the counts here.

A statistic is undefined, and returned as NaN for the caller to turn into `None` plus a reason,
when there are no units or when no coder ever says yes or every coder always does: the
expected disagreement is then zero and κ and α are 0/0, not 1.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def _safe_div(num: Floats, den: Floats, defined: npt.NDArray[np.bool_]) -> Floats:
    out = np.full(np.shape(num), np.nan)
    np.divide(num, den, out=out, where=defined)
    return out


def degenerate(hist: Ints) -> npt.NDArray[np.int8]:
    """0 when the statistics are defined, 1 for no units, 2 for never applied, 3 for always."""
    m = hist.shape[-1] - 1
    n = hist.sum(axis=-1)
    k = np.arange(m + 1)
    yes = (hist * k).sum(axis=-1)
    out = np.zeros(n.shape, dtype=np.int8)
    out[yes == n * m] = 3
    out[yes == 0] = 2
    out[n == 0] = 1
    return out


def percent(hist: Ints) -> Floats:
    """Percent of units on which every coder made the same decision (NaN without units)."""
    n = hist.sum(axis=-1).astype(np.float64)
    agree = (hist[..., 0] + hist[..., -1]).astype(np.float64)
    return _safe_div(100.0 * agree, n, n > 0)


def cohen_kappa(both: Ints, only_a: Ints, only_b: Ints, neither: Ints) -> Floats:
    """Cohen's κ for two coders' yes/no decisions from the four cells of their 2 × 2 table."""
    a, b, c, d = (np.asarray(x, dtype=np.float64) for x in (both, only_a, only_b, neither))
    n = a + b + c + d
    defined = (n > 0) & (a + b + c > 0) & (b + c + d > 0)
    nn = np.where(n > 0, n, 1.0)
    po = (a + d) / nn
    pa, pb = (a + b) / nn, (a + c) / nn
    pe = pa * pb + (1 - pa) * (1 - pb)
    return _safe_div(po - pe, 1 - pe, defined & (pe < 1))


def fleiss_kappa(hist: Ints) -> Floats:
    """Fleiss' κ for m coders' yes/no decisions from h[k] (units where k coders said yes)."""
    m = hist.shape[-1] - 1
    h = hist.astype(np.float64)
    k = np.arange(m + 1, dtype=np.float64)
    n = h.sum(axis=-1)
    nn = np.where(n > 0, n, 1.0)
    agreement = (k * k + (m - k) * (m - k) - m) / (m * (m - 1))
    p_bar = (h * agreement).sum(axis=-1) / nn
    p_yes = (h * k).sum(axis=-1) / (nn * m)
    pe = p_yes**2 + (1 - p_yes) ** 2
    return _safe_div(p_bar - pe, 1 - pe, (degenerate(hist) == 0) & (pe < 1))


def krippendorff_alpha(hist: Ints) -> Floats:
    """Krippendorff's α (nominal) for m coders' yes/no decisions, no missing values."""
    m = hist.shape[-1] - 1
    h = hist.astype(np.float64)
    k = np.arange(m + 1, dtype=np.float64)
    n_yes = (h * k).sum(axis=-1)
    n_no = (h * (m - k)).sum(axis=-1)
    total = n_yes + n_no
    disagree = (h * k * (m - k)).sum(axis=-1) / (m - 1)
    expected = n_yes * n_no
    return 1.0 - _safe_div((total - 1) * disagree, expected, degenerate(hist) == 0)
