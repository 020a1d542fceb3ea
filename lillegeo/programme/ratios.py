"""Before/after rate ratios per role (and per treated area): Poisson or negative binomial (NB2).

For each group of units the model is ``count ~ 1 + post`` on its unit-period rows (exposure one
unit-period each), so ``exp(post)`` is the events per unit-period after the start over those before.
Poisson is fitted with statsmodels ``GLM`` on the two before/after totals with the number of
unit-periods as exposure (the same coefficient and model-based standard error as the row-level fit);
the negative binomial (NB2, variance ``mu + alpha mu^2``) with statsmodels ``NegativeBinomial`` on the
rows. Treated and buffer units are split at their own start, control units at the earliest start.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from .common import check_panel, finite, with_post
from .types import Estimate

__all__ = ["before_after", "rate_ratio"]

FAMILIES = ("poisson", "negbin")


def rate_ratio(counts: np.ndarray, post: np.ndarray, *, family: str = "poisson", alpha: float = 0.05) -> dict:
    """``exp`` of the ``post`` coefficient of ``count ~ 1 + post``, its interval and p-value, or
    ``{"fail": key}``: no event before or after, a fit that did not converge, a non-finite interval."""
    counts = np.asarray(counts, dtype=float)
    post = np.asarray(post, dtype=bool)
    before, after = counts[~post].sum(), counts[post].sum()
    if before <= 0 or after <= 0:
        return {"fail": "programme.fail.zero_group"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if family == "poisson":
                y = np.array([before, after])
                X = np.array([[1.0, 0.0], [1.0, 1.0]])
                res = sm.GLM(y, X, family=sm.families.Poisson(), exposure=np.array([(~post).sum(), post.sum()],
                                                                                    dtype=float)).fit()
                converged = bool(res.converged)
            else:
                X = np.column_stack([np.ones(len(counts)), post.astype(float)])
                res = sm.NegativeBinomial(counts, X, loglike_method="nb2").fit(disp=0, maxiter=200)
                converged = bool(res.mle_retvals.get("converged", False))
        except (ValueError, np.linalg.LinAlgError, ZeroDivisionError):
            return {"fail": "programme.fail.no_convergence"}
    if not converged:
        return {"fail": "programme.fail.no_convergence"}
    coef, se = float(res.params[1]), float(res.bse[1])
    z = float(stats.norm.ppf(1 - alpha / 2))
    low, high = math.exp(coef - z * se), math.exp(coef + z * se)
    if not finite(coef, se, low, high) or se <= 0:
        return {"fail": "programme.fail.not_finite"}
    return {"rate_ratio": math.exp(coef), "ci_low": low, "ci_high": high, "se": se,
            "p_value": float(res.pvalues[1]), "before": before, "after": after}


def _row(sub: pd.DataFrame, role: str, area: str, family: str, alpha: float) -> dict:
    fit = rate_ratio(sub["count"].to_numpy(), sub["post"].to_numpy(), family=family, alpha=alpha)
    row = {"role": role, "area": area, "before": float(sub.loc[~sub["post"], "count"].sum()),
           "after": float(sub.loc[sub["post"], "count"].sum()),
           "periods_before": int(sub.loc[~sub["post"], "period"].nunique()),
           "periods_after": int(sub.loc[sub["post"], "period"].nunique()),
           "rate_ratio": math.nan, "ci_low": math.nan, "ci_high": math.nan, "p_value": math.nan, "se": math.nan,
           "n_units": int(sub["unit"].nunique()), "fail": fit.get("fail", "")}
    if "fail" not in fit:
        row.update({k: fit[k] for k in ("rate_ratio", "ci_low", "ci_high", "p_value", "se")})
    return row


def before_after(panel: pd.DataFrame, *, family: str = "poisson", alpha: float = 0.05) -> Estimate:
    """Rate ratio after/before the start per role (rows ``treated``, ``buffer``, ``control``, area ``''``)
    and, with several treated areas, per area; ``estimate`` is the treated row's, and so are ``n_units``
    (the treated units, compared with themselves) and ``n_periods``.

    ``table`` columns: role, area, before, after (events), periods_before, periods_after, rate_ratio,
    ci_low, ci_high, p_value, se (of the log ratio), n_units, fail (the i18n key when that row has no
    estimate).
    """
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}, not {family!r}")
    why = check_panel(panel, need_control=False)
    if why:
        return Estimate.failed("before_after", why)
    df = with_post(panel)
    rows = []
    for role in ("treated", "buffer", "control"):
        sub = df[df["role"] == role]
        if sub.empty:
            continue
        rows.append(_row(sub, role, "", family, alpha))
        areas = sorted(a for a in sub["area"].dropna().unique() if a)
        if role != "control" and len(areas) > 1:
            rows += [_row(sub[sub["area"] == a], role, a, family, alpha) for a in areas]
    table = pd.DataFrame(rows)
    head = rows[0]
    # the treated units compared with themselves: n is theirs, not the whole panel's (issue 16)
    n_units, n_periods = int(head["n_units"]), int(df["period"].nunique())
    if head["fail"]:
        return Estimate.failed("before_after", head["fail"], n_units=n_units, n_periods=n_periods,
                               role="treated", model="before_after")
    return Estimate("before_after", head["rate_ratio"], head["ci_low"], head["ci_high"], n_units, n_periods,
                    se=head["se"], p_value=head["p_value"], table=table, extra={"family": family})
