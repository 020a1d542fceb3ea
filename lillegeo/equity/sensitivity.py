"""Sensitivity to what recorded crime cannot see, and the three-level verdict.

The tipping recording gradient
------------------------------
Suppose police record crime less completely where the group's share is higher: recorded crime
is true crime times ``(1 - g) ** (10 * share)``, a shortfall ``g`` per 10 points of share.  With
the benchmark model ``log E[checks] = b0 + b1 * log(crime rate) + b2 * (10 * share) + log(pop)``
written on *true* crime, substituting ``log(true rate) = log(recorded rate) - 10 * share *
log(1 - g)`` gives, exactly, the same model on recorded crime with share coefficient
``b2 - b1 * log(1 - g)``.  The fitted share coefficient ``b2_hat`` therefore corresponds to a true
one of ``b2_hat + b1 * log(1 - g)``, which is 0 when

    g* = 1 - exp(-b2_hat / b1) = 1 - RR ** (-1 / b1)

(the shortfall that would explain the whole estimate), and the bound closest to 1 reaches 1 at
``g_bound = 1 - exp(-b2_bound / b1)``.  ``b1`` (the crime elasticity) is taken as estimated.  This
is omitted-variable-bias sensitivity (Cinelli & Hazlett 2020, "Making sense of sensitivity",
JRSS-B 82:39-67) with the confounder's form fixed by the recording mechanism, reported as the
size of the bias that would explain the estimate away, the idea of the E-value (VanderWeele &
Ding 2017, Annals of Internal Medicine 167:268-274).  A negative gradient means recording that
*rises* with the share (which would explain a rate ratio below 1).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["tipping_gradient", "sensitivity_curve", "verdict", "MIN_ELASTICITY"]

#: Below this crime elasticity checks barely follow recorded crime: no gradient is computed.
MIN_ELASTICITY = 0.05


def tipping_gradient(log_rr: float, crime_elasticity: float) -> float:
    """Recording shortfall per 10 points of share (a fraction: 0.04 = 4 %) that turns ``log_rr`` into 0.

    Examples
    --------
    >>> round(tipping_gradient(np.log(1.21), 2.0), 4)  # 1 - 1.21 ** (-1/2) = 1 - 1/1.1
    0.0909
    >>> bool(np.isnan(tipping_gradient(0.3, 0.0)))  # checks do not follow crime: no gradient
    True
    """
    if not np.isfinite(crime_elasticity) or crime_elasticity < MIN_ELASTICITY or not np.isfinite(log_rr):
        return float("nan")
    return float(1.0 - np.exp(-log_rr / crime_elasticity))


def bound_towards_one(ci_low: float, ci_high: float) -> float:
    """The bound of the interval closest to 1 (1 itself when the interval holds 1)."""
    if ci_low > 1:
        return ci_low
    if ci_high < 1:
        return ci_high
    return 1.0


def sensitivity_curve(log_rr: float, log_lo: float, log_hi: float, crime_elasticity: float,
                      gradients: np.ndarray | None = None) -> pd.DataFrame:
    """Rate ratio and interval corrected for each recording gradient (percent per 10 points of share).

    The correction multiplies the rate ratio and both bounds by ``(1 - g) ** b1``.
    """
    if gradients is None:
        gradients = np.linspace(0.0, 0.25, 26)
    g = np.asarray(gradients, float)
    shift = crime_elasticity * np.log1p(-g)
    return pd.DataFrame({"gradient_pct": 100 * g, "rate_ratio": np.exp(log_rr + shift),
                         "ci_low": np.exp(log_lo + shift), "ci_high": np.exp(log_hi + shift)})


def verdict(excludes: list[bool], directions: list[int], tipping_bound: float,
            tolerance: float) -> Literal["robust", "fragile", "no_evidence"]:
    """``robust``: every specification's interval excludes 1 on the same side and the gradient that
    brings the bound to 1 exceeds ``tolerance`` in size; ``no_evidence``: none excludes 1;
    ``fragile``: anything between.

    Examples
    --------
    >>> verdict([True, True], [1, 1], 0.08, 0.05), verdict([True, False], [1, 1], 0.08, 0.05)
    ('robust', 'fragile')
    >>> verdict([True, True], [1, 1], 0.03, 0.05), verdict([False, False], [1, -1], 0.0, 0.05)
    ('fragile', 'no_evidence')
    """
    if not any(excludes):
        return "no_evidence"
    same_side = len(set(directions)) == 1
    if all(excludes) and same_side and np.isfinite(tipping_bound) and abs(tipping_bound) > tolerance:
        return "robust"
    return "fragile"
