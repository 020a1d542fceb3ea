"""Synthetic control (Abadie, Diamond & Hainmueller 2010) with pysyncon, and in-space placebo inference.

The treated area is the **mean of the treated units** per period (events per unit, so that a convex
mix of single control units can match its level; the estimate, a ratio, is the same as for the sum).
The donors are the control units with events both before and after the start; buffer units are left
out, and at most :data:`MAX_DONORS` are kept, the closest before the start. The predictors are the
pre-period counts averaged over up to six consecutive blocks, weighted equally (``custom_V``; pysyncon
scales each predictor by its standard deviation): matching every single period would fit its noise and
make the treated area's post/pre RMSPE ratio look extreme. With staggered starts the earliest start
is used.

- ``estimate``: the post-period treated events over the synthetic ones (a rate ratio);
- ``extra["placebo_p"]``: Abadie et al.'s rank p-value: the share of units (the treated area and each
  donor treated in turn against the other donors) whose post/pre RMSPE ratio is at least the treated
  area's, ``(1 + #{placebos >= treated}) / (J + 1)``; ``extra["rmspe_ratio"]`` the treated area's ratio;
- the interval inverts the placebo test (pysyncon's conformal ``confidence_interval`` gives per-period
  intervals of the gap, not of a ratio over the whole post-period): a ratio ``r`` is kept when the
  treated log ratio minus ``log r`` lies within the ``alpha/2 .. 1 - alpha/2`` quantiles of the donors'
  own post-period log ratios (actual / synthetic). With fewer than ``2/alpha - 1`` placebos there is
  no interval (NaN) and ``message`` says why.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from pysyncon import Synth
from threadpoolctl import threadpool_limits

from .common import check_panel, earliest_start, finite
from .types import Estimate

__all__ = ["synth", "synth_weights", "pre_blocks", "nearest_donors", "MIN_DONORS", "MAX_DONORS", "TREATED"]

#: Fewest donors synthetic control is run with.
MIN_DONORS = 5
#: Most donors kept (the closest before the start): bounds the placebo fits on city or national data.
MAX_DONORS = 40
#: The name of the treated area's column in the outcome matrix.
TREATED = "__treated__"


def pre_blocks(pre: pd.Index, n_blocks: int = 6) -> list[pd.Index]:
    """The pre-period cut into at most ``n_blocks`` consecutive blocks of near-equal length (the
    predictors are the mean counts per block: matching smoothed levels, not each period's noise)."""
    return [pre[idx] for idx in np.array_split(np.arange(len(pre)), min(n_blocks, len(pre))) if len(idx)]


def synth_weights(Z: pd.DataFrame, treated: str, donors: list[str], pre: pd.Index) -> tuple[np.ndarray, pd.Series]:
    """pysyncon ``Synth`` on outcome matrix ``Z`` (periods x units): the pre-period block means of
    ``treated`` (:func:`pre_blocks`) matched by a convex mix of ``donors``, predictors weighted equally
    (``custom_V``). Returns the weights and the synthetic series over all periods."""
    X = pd.DataFrame([Z.loc[b, donors + [treated]].mean(axis=0) for b in pre_blocks(pre)])
    X = X.loc[X.std(axis=1) > 0]  # a block where every unit has the same mean carries no information
    if X.empty:
        raise ValueError("no informative pre-period block")
    s = Synth()
    # one BLAS thread: the problems are small, and threads fighting over shared cores made it 3x slower
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")
        s.fit(X0=X[donors], X1=X[treated], Z0=Z.loc[pre, donors], Z1=Z.loc[pre, treated],
              custom_V=np.full(len(X), 1.0 / len(X)))
    return np.asarray(s.W, dtype=float), s._synthetic(Z0=Z[donors])


def nearest_donors(Z: pd.DataFrame, treated: str, donors: list[str], pre: pd.Index, k: int) -> list[str]:
    """The ``k`` donors whose pre-period series are closest to the treated one (mean squared difference),
    in their original order: a donor pool of similar units (Abadie 2021, J. Econ. Lit. 59(2), sec. 7)."""
    if len(donors) <= k:
        return donors
    d = ((Z.loc[pre, donors].sub(Z.loc[pre, treated], axis=0)) ** 2).mean(axis=0)
    chosen = set(d.sort_values(kind="stable").index[:k])
    return [c for c in donors if c in chosen]


def _log_ratio(actual: pd.Series, synthetic: pd.Series, post: np.ndarray) -> float:
    a, s = float(actual[post].sum()), float(synthetic[post].sum())
    return math.log(a / s) if a > 0 and s > 0 else math.nan


def _rmspe_ratio(gap: pd.Series, post: np.ndarray) -> float:
    pre_ms = float((gap[~post] ** 2).mean())
    post_ms = float((gap[post] ** 2).mean())
    return math.sqrt(post_ms / pre_ms) if pre_ms > 0 else math.inf


def synth(panel: pd.DataFrame, *, alpha: float = 0.05, seed: int = 0) -> Estimate:
    """Synthetic control of the treated area against the control units (module docstring).

    ``table``: donor weights (unit, weight), largest first; ``extra``: ``placebo_p``, ``rmspe_ratio``,
    ``pre_rmspe``, ``series`` (period, treated, synthetic), ``placebos`` (unit, log_ratio,
    rmspe_ratio), ``start``. ``seed`` is accepted for the contract (the fit is deterministic).
    """
    why = check_panel(panel)
    if why:
        return Estimate.failed("synth", why)
    start = earliest_start(panel)
    df = panel[panel["role"].isin(("treated", "control"))].copy()
    df["period"] = pd.to_datetime(df["period"])
    Z = df[df["role"] == "control"].pivot_table(index="period", columns="unit", values="count", aggfunc="sum")
    treated_mean = df[df["role"] == "treated"].groupby("period")["count"].mean()
    Z = Z.reindex(treated_mean.index).fillna(0.0)
    Z.columns = [str(c) for c in Z.columns]
    post = (Z.index >= start)
    pre = Z.index[~post]
    n_treated, n_periods = int(df.loc[df["role"] == "treated", "unit"].nunique()), int(len(Z))
    donors = [c for c in Z.columns if Z.loc[~post, c].sum() > 0 and Z.loc[post, c].sum() > 0]
    n_units = n_treated + len(donors)  # the units the estimate uses: the treated and the donors kept
    if len(donors) < MIN_DONORS:
        return Estimate.failed("synth", "programme.fail.few_donors", n_units=n_units, n_periods=n_periods,
                               n=len(donors), min=MIN_DONORS)
    Z[TREATED] = treated_mean.to_numpy(dtype=float)
    donors = nearest_donors(Z, TREATED, donors, pre, MAX_DONORS)
    n_units = n_treated + len(donors)
    try:
        W, synthetic = synth_weights(Z, TREATED, donors, pre)
    except (ValueError, np.linalg.LinAlgError):
        return Estimate.failed("synth", "programme.fail.no_convergence", n_units=n_units, n_periods=n_periods,
                               model="synth")
    est_log = _log_ratio(Z[TREATED], synthetic, post)
    gap = Z[TREATED] - synthetic
    ratio = _rmspe_ratio(gap, post)
    if not finite(est_log):
        return Estimate.failed("synth", "programme.fail.not_finite", n_units=n_units, n_periods=n_periods,
                               model="synth")
    rows = []
    for j in donors:
        others = [d for d in donors if d != j]
        try:
            _, syn_j = synth_weights(Z, j, others, pre)
        except (ValueError, np.linalg.LinAlgError):
            continue
        rows.append({"unit": j, "log_ratio": _log_ratio(Z[j], syn_j, post),
                     "rmspe_ratio": _rmspe_ratio(Z[j] - syn_j, post)})
    placebos = pd.DataFrame(rows, columns=["unit", "log_ratio", "rmspe_ratio"])
    n_plac = len(placebos)
    placebo_p = (1 + int((placebos["rmspe_ratio"] >= ratio).sum())) / (n_plac + 1)
    logs = placebos["log_ratio"].replace([np.inf, -np.inf], np.nan).dropna().to_numpy()
    low = high = math.nan
    message, args = "programme.note.synth_interval", {"n": len(logs)}
    if len(logs) + 1 >= 2 / alpha:
        q_lo, q_hi = np.quantile(logs, [alpha / 2, 1 - alpha / 2])
        low, high = math.exp(est_log - q_hi), math.exp(est_log - q_lo)
    else:
        message, args = "programme.note.synth_few_placebos", {"n": len(logs), "level": 100 * (1 - alpha)}
    level, top = float(Z.loc[pre, TREATED].mean()), float(Z.loc[pre, donors].mean(axis=0).max())
    if top > 0 and level > 1.5 * top:  # outside the donors' range: no convex mix reaches it (Abadie 2021, sec. 5)
        message, args = "programme.note.synth_outside", {"ratio": level / top}
    weights = pd.DataFrame({"unit": donors, "weight": W}).sort_values("weight", ascending=False,
                                                                      kind="stable").reset_index(drop=True)
    series = pd.DataFrame({"period": Z.index, "treated": Z[TREATED].to_numpy(),
                           "synthetic": synthetic.to_numpy()})
    pre_rmspe = float(math.sqrt((gap[~post] ** 2).mean()))
    return Estimate("synth", math.exp(est_log), low, high, n_units, n_periods, p_value=placebo_p, message=message,
                    message_args=args, table=weights,
                    extra={"placebo_p": placebo_p, "rmspe_ratio": ratio, "pre_rmspe": pre_rmspe, "series": series,
                           "placebos": placebos, "start": start, "n_donors": len(donors), "seed": seed})
