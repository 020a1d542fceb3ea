"""Poisson difference-in-differences, event study and pre-trend check with pyfixest.

All three fit ``fepois`` with unit and period fixed effects and errors clustered by unit (CRV1) on the
treated and control units; **buffer units are left out** (they may be affected by displacement, so
they are neither treated nor controls). A treated unit is treated from its own start (staggered
starts allowed: the difference-in-differences is then the two-way fixed-effects average, stated in
``programme.assume.did``).

- :func:`did`: ``count ~ treat_post | unit + period``; the estimate is ``exp(coef)``, the interval
  ``exp`` of pyfixest's (normal) interval.
- :func:`event_study`: ``count ~ rel_m{k} + ... + rel_p{k} | unit + period`` with dummies for the
  periods relative to each treated unit's start, ``-window .. window``, the ends binned (``<= -window``
  and ``>= window``), reference ``-1``. The estimate is the **geometric mean of the post-start rate
  ratios (terms 0 .. window) over that of the pre-start ones (terms -window .. -1, the reference
  being 1)**: the change from the whole pre-window rather than from the single reference period, whose
  noise would otherwise shift every term; its interval comes from the clustered covariance.
- :func:`pretrend`: the joint Wald test (chi-squared) that the pre-start event-study terms
  (``-window .. -2``) are all zero, as in the pre-trend tests discussed by Roth (2022), "Pretest with
  caution: event-study estimates after testing for parallel trends", AER: Insights 4(3).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pyfixest as pf
from scipy import stats

from .common import check_panel, finite, z_value
from .types import Estimate, PreTrend

__all__ = ["did", "event_study", "pretrend", "did_frame", "event_frame", "rel_name"]

VCOV = {"CRV1": "unit"}


def rel_name(k: int) -> str:
    """The column of relative period ``k``: ``rel_m3`` for -3, ``rel_p0`` for 0."""
    return f"rel_m{-k}" if k < 0 else f"rel_p{k}"


def did_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """The estimation frame: treated and control rows, ``unit`` and ``period`` as codes, ``rel`` (periods
    since the unit's start; NaN for control units) and ``treat_post`` (0/1)."""
    df = panel[panel["role"].isin(("treated", "control"))].copy()
    periods = np.sort(pd.to_datetime(df["period"]).unique())
    df["period_id"] = np.searchsorted(periods, pd.to_datetime(df["period"]).to_numpy())
    start = pd.to_datetime(df["start"]).where(df["role"] == "treated")
    start_id = np.searchsorted(periods, start.to_numpy()).astype(float)
    start_id[start.isna().to_numpy()] = np.nan
    df["rel"] = df["period_id"] - start_id
    df["treat_post"] = (df["rel"] >= 0).astype(float)
    df["unit"] = df["unit"].astype(str)
    df["count"] = df["count"].astype(float)
    return df.reset_index(drop=True)


def event_frame(df: pd.DataFrame, window: int) -> tuple[pd.DataFrame, list[int]]:
    """``df`` with one 0/1 column per relative period ``-window .. window`` but ``-1`` (ends binned), and
    the relative periods that have at least one row."""
    rel = df["rel"].clip(-window, window)
    ks = []
    for k in range(-window, window + 1):
        if k == -1:
            continue
        col = (rel == k).astype(float)
        if col.sum() > 0:
            df[rel_name(k)] = col
            ks.append(k)
    df["rel_binned"] = rel
    return df, ks


def _empty_cell(df: pd.DataFrame, by: str) -> bool:
    """True when a group of the treated rows by ``by`` (or the control rows before or after the start) has
    no event: its coefficient would run off to minus infinity (separation), never a trustworthy number."""
    treated = df[df["role"] == "treated"]
    if (treated.groupby(by)["count"].sum() <= 0).any():
        return True
    first = df.loc[df["role"] == "treated", "start"].min()
    control = df[df["role"] == "control"]
    periods = pd.to_datetime(control["period"])
    return control.loc[periods < first, "count"].sum() <= 0 or control.loc[periods >= first, "count"].sum() <= 0


def _fit(fml: str, df: pd.DataFrame):
    """pyfixest's fit, or ``None`` when it fails (no convergence, separation, singular design)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return pf.fepois(fml, data=df, vcov=VCOV)
        except Exception:  # pyfixest raises its own errors (NonConvergenceError, ValueError, ...)
            return None


def did(panel: pd.DataFrame, *, alpha: float = 0.05) -> Estimate:
    """Poisson difference-in-differences, rate ratio ``exp(treat_post)``; buffer units left out."""
    why = check_panel(panel)
    if why:
        return Estimate.failed("did", why)
    df = did_frame(panel)
    if _empty_cell(df, "treat_post"):
        return Estimate.failed("did", "programme.fail.zero_group", n_units=int(df["unit"].nunique()),
                               n_periods=int(df["period"].nunique()), role="treated")
    fit = _fit("count ~ treat_post | unit + period_id", df)
    if fit is None or "treat_post" not in fit.coef().index:
        return Estimate.failed("did", "programme.fail.no_convergence", n_units=int(df["unit"].nunique()),
                               n_periods=int(df["period"].nunique()), model="did")
    b, se = float(fit.coef()["treat_post"]), float(fit.se()["treat_post"])
    ci = fit.confint(alpha=alpha).loc["treat_post"]
    low, high = math.exp(ci.iloc[0]), math.exp(ci.iloc[1])
    n_units, n_periods = int(df["unit"].nunique()), int(df["period"].nunique())
    if not finite(b, se, low, high) or se <= 0:
        return Estimate.failed("did", "programme.fail.not_finite", n_units=n_units, n_periods=n_periods,
                               model="did")
    return Estimate("did", math.exp(b), low, high, n_units, n_periods, se=se,
                    p_value=float(fit.pvalue()["treat_post"]),
                    extra={"coef": b, "n_obs": int(fit._N), "buffer": "left out"})


def _event_fit(panel: pd.DataFrame, window: int):
    """The event-study frame, its relative periods, pyfixest's fit (``None`` when failed) and the i18n key
    of the failure ('' when fitted)."""
    df, ks = event_frame(did_frame(panel), window)
    if not ks or _empty_cell(df, "rel_binned"):
        return df, ks, None, "programme.fail.zero_group"
    fit = _fit("count ~ " + " + ".join(rel_name(k) for k in ks) + " | unit + period_id", df)
    if fit is None or any(rel_name(k) not in fit.coef().index for k in ks):
        return df, ks, None, "programme.fail.no_convergence"
    return df, ks, fit, ""


def event_study(panel: pd.DataFrame, *, window: int = 6, alpha: float = 0.05) -> Estimate:
    """Poisson event study; ``table``: rel_period, estimate (rate ratio), ci_low, ci_high, n_units,
    coef, se, p_value (the reference period -1: estimate 1, no interval)."""
    why = check_panel(panel)
    if why:
        return Estimate.failed("event", why)
    df, ks, fit, why = _event_fit(panel, window)
    n_units, n_periods = int(df["unit"].nunique()), int(df["period"].nunique())
    if fit is None:
        return Estimate.failed("event", why, n_units=n_units, n_periods=n_periods, model="event", role="treated")
    coef, se, pv = fit.coef(), fit.se(), fit.pvalue()
    ci = fit.confint(alpha=alpha)
    treated = df[df["role"] == "treated"]
    counts = treated.groupby("rel_binned")["unit"].nunique()
    rows = []
    for k in sorted(ks + [-1]):
        n = int(counts.get(k, 0))
        if k == -1:
            rows.append({"rel_period": -1, "estimate": 1.0, "ci_low": math.nan, "ci_high": math.nan, "n_units": n,
                         "coef": 0.0, "se": math.nan, "p_value": math.nan})
            continue
        c = rel_name(k)
        rows.append({"rel_period": k, "estimate": math.exp(coef[c]), "ci_low": math.exp(ci.loc[c].iloc[0]),
                     "ci_high": math.exp(ci.loc[c].iloc[1]), "n_units": n, "coef": float(coef[c]),
                     "se": float(se[c]), "p_value": float(pv[c])})
    table = pd.DataFrame(rows)
    post = [rel_name(k) for k in ks if k >= 0]
    if not post:
        return Estimate.failed("event", "programme.fail.no_post", n_units=n_units, n_periods=n_periods)
    pre = [rel_name(k) for k in ks if k < 0]
    names = list(coef.index)
    # post mean minus pre mean of the log rate ratios; the pre mean counts the reference period (0)
    w = np.array([1.0 / len(post) if n in post else -1.0 / (len(pre) + 1) for n in names])
    avg = float(w @ coef.to_numpy())
    avg_se = float(math.sqrt(w @ np.asarray(fit._vcov) @ w))
    z = z_value(alpha)
    low, high = math.exp(avg - z * avg_se), math.exp(avg + z * avg_se)
    if not finite(avg, avg_se, low, high) or avg_se <= 0 or not np.isfinite(table["coef"]).all():
        return Estimate.failed("event", "programme.fail.not_finite", n_units=n_units, n_periods=n_periods,
                               model="event")
    p = float(2 * stats.norm.sf(abs(avg / avg_se)))
    return Estimate("event", math.exp(avg), low, high, n_units, n_periods, se=avg_se, p_value=p, table=table,
                    extra={"average": "post-start over pre-start geometric means of the rate ratios",
                           "window": window, "buffer": "left out", "pretrend": _pre_wald(fit, ks)})


def _pre_wald(fit, ks: list[int]) -> dict | None:
    """The joint Wald test (chi-squared) that the terms ``-window .. -2`` are zero: k, statistic, p."""
    pre = [rel_name(k) for k in ks if k <= -2]
    if not pre:
        return None
    names = list(fit.coef().index)
    R = np.array([[1.0 if n == c else 0.0 for n in names] for c in pre])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fit.wald_test(R=R, distribution="chi2")
    return {"k": len(pre), "statistic": float(res["statistic"]), "p": float(res["pvalue"])}


def pretrend(panel: pd.DataFrame, *, alpha: float = 0.05, min_pre: int = 6, window: int = 6,
             event: Estimate | None = None) -> PreTrend:
    """Fewer than ``min_pre`` periods before the earliest start: ``ok`` false with ``programme.fail.few_pre``;
    else the joint Wald test (chi-squared, clustered covariance) of the event-study terms ``-window .. -2``;
    ``ok`` false when it rejects at ``alpha`` (``programme.pretrend.differ``). ``event``: the
    :func:`event_study` of the same panel and window, whose test is then reused (no second fit)."""
    why = check_panel(panel)
    if why:
        return PreTrend(0, math.nan, False, message=why)
    periods = pd.to_datetime(panel["period"])
    first = pd.to_datetime(panel.loc[panel["role"] == "treated", "start"]).min()
    n_pre = int(periods[periods < first].nunique())
    if n_pre < min_pre:
        return PreTrend(n_pre, math.nan, False, message="programme.fail.few_pre",
                        message_args={"n_pre": n_pre, "min_pre": min_pre})
    if event is not None and event.ok and event.extra.get("window") == window:
        test = event.extra.get("pretrend")
    else:
        _, ks, fit, why = _event_fit(panel, window)
        if fit is None:
            return PreTrend(n_pre, math.nan, False, message=why, message_args={"model": "pretrend", "role": "treated"})
        test = _pre_wald(fit, ks)
    if test is None or not finite(test["p"]):
        return PreTrend(n_pre, math.nan, False, message="programme.fail.not_finite",
                        message_args={"model": "pretrend"})
    ok = test["p"] >= alpha
    return PreTrend(n_pre, test["p"], ok, message="programme.pretrend.ok" if ok else "programme.pretrend.differ",
                    message_args=dict(test))
