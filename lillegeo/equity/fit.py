"""Count-model fits that can be trusted, and the group's share read the way it was given.

:func:`fit_counts` fits the Poisson GLM first, starts the negative binomial (NB2) from it, checks
convergence and finite, informative intervals, refits with another optimiser when needed, and
raises a translated ``ValueError`` rather than return a number from a diverged fit.
:func:`share_from` turns a proportion, a percentage or a count of group residents into a share.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ..i18n import t

__all__ = ["Fit", "fit_counts", "fit_row", "failed_row", "share_from", "SE_MAX"]

#: Largest standard error (log scale) of a coefficient that still says something: at 5 the 95 %
#: interval spans a factor exp(2 * 1.96 * 5) ≈ 3e8, i.e. the data cannot tell (separation).
SE_MAX = 5.0


@dataclass(frozen=True)
class Fit:
    """One fitted count model: coefficients, interval bounds (log scale), p-values, fitted means."""

    params: pd.Series
    conf: pd.DataFrame
    pvalues: pd.Series
    bse: pd.Series
    mu: np.ndarray
    alpha_nb: float | None
    method: str
    converged: bool


def _check(params: pd.Series, bse: pd.Series, conf: pd.DataFrame, nuisance: tuple[str, ...] = ()) -> str | None:
    """Why a fit cannot be reported, or None when it can.  Columns starting with a ``nuisance`` prefix
    (a spline basis, whose neighbouring columns are nearly collinear) are spared the standard-error
    limit; their values must still be finite."""
    vals = np.concatenate([params.to_numpy(float), bse.to_numpy(float), conf.to_numpy(float).ravel()])
    if not np.all(np.isfinite(vals)):
        return "non-finite coefficient or interval"
    worst = bse.drop("const", errors="ignore")
    worst = worst[[not str(c).startswith(nuisance) for c in worst.index]] if nuisance else worst
    if len(worst) and float(worst.max()) > SE_MAX:
        return f"standard error {float(worst.max()):.3g} for '{worst.idxmax()}' (separation: not identifiable)"
    if not np.all(np.isfinite(np.exp(conf.drop("const", errors="ignore").to_numpy(float)))):
        return "interval overflows"
    return None


def _poisson(y, X, offset, cov_kw):
    kw = {"cov_type": cov_kw.get("cov_type", "nonrobust"), "cov_kwds": cov_kw.get("cov_kwds")}
    return sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit(**kw)


def fit_counts(y: np.ndarray, X: pd.DataFrame, offset: np.ndarray, *, model: Literal["negbin", "poisson_robust"],
               cov_kw: dict[str, Any] | None = None, ci: float = 0.95, lang: str = "en",
               nuisance: tuple[str, ...] = ()) -> Fit:
    """Fit the count model and check it; raise a translated ``ValueError`` when it diverged.

    ``poisson_robust``: Poisson GLM (IRLS) with HC0 (or the given) errors.  ``negbin``: statsmodels
    ``NegativeBinomial`` (NB2) started from the Poisson coefficients and a moment estimate of the
    dispersion, Newton first, then BFGS and Nelder-Mead followed by Newton if the first did not
    converge.  A fit is kept only when the optimiser converged, every coefficient, standard error
    and bound is finite and no coefficient's standard error exceeds :data:`SE_MAX`.
    """
    cov_kw = cov_kw or {}
    y = np.asarray(y, float)
    if not np.any(y > 0):
        raise ValueError(t("prof.err.all_zero", lang))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pois = _poisson(y, X, offset, {})
        except (np.linalg.LinAlgError, ValueError) as exc:
            raise ValueError(t("prof.err.diverged", lang, model="Poisson", why=str(exc))) from exc
        pconf = pois.conf_int(alpha=1 - ci)
        why = None if getattr(pois, "converged", True) else "IRLS did not converge"
        why = why or _check(pois.params, pois.bse, pconf, nuisance)
        if why:
            raise ValueError(t("prof.err.diverged", lang, model="Poisson", why=why))
        if model == "poisson_robust":  # separation shows in the model-based errors above; robust ones now
            rob = _poisson(y, X, offset, {"cov_type": "HC0", **cov_kw})
            rconf = rob.conf_int(alpha=1 - ci)
            why = _check(rob.params, rob.bse, rconf, nuisance)
            if why:
                raise ValueError(t("prof.err.diverged", lang, model="Poisson", why=why))
            return Fit(rob.params, rconf, rob.pvalues, rob.bse, np.asarray(rob.mu), None, "irls", True)
        mu0 = np.asarray(pois.mu)
        alpha0 = float(np.clip(np.mean(((y - mu0) ** 2 - mu0) / np.maximum(mu0, 1e-9) ** 2), 0.01, 10.0))
        start = np.append(pois.params.to_numpy(), alpha0)
        nb = sm.NegativeBinomial(y, X, offset=offset, loglike_method="nb2")
        why = "not fitted"
        for method, extra in (("newton", {}), ("bfgs", {}), ("nm", {"maxiter": 5000})):
            try:
                res = nb.fit(start_params=start, method=method, disp=0, maxiter=extra.get("maxiter", 300), **cov_kw)
                if method == "nm":  # polish the simplex with Newton for proper standard errors
                    res = nb.fit(start_params=res.params.to_numpy(), method="newton", disp=0, maxiter=100, **cov_kw)
            except (np.linalg.LinAlgError, ValueError) as exc:
                why = str(exc)
                continue
            if not res.mle_retvals.get("converged", False):
                why = f"{method}: did not converge"
                continue
            conf = res.conf_int(alpha=1 - ci)
            why = _check(res.params, res.bse, conf, nuisance)
            if why is None:
                params = res.params.drop("alpha")
                mu = np.exp(X.to_numpy() @ params.to_numpy() + offset)
                return Fit(params, conf.drop("alpha"), res.pvalues.drop("alpha"), res.bse.drop("alpha"), mu,
                           float(res.params["alpha"]), method, True)
    raise ValueError(t("prof.err.diverged", lang, model="NB2", why=why))


def share_from(values: pd.Series, population: pd.Series | None = None, *,
               kind: Literal["auto", "proportion", "percent", "count"] = "auto",
               lang: str = "en") -> tuple[pd.Series, str | None]:
    """The group's share of the residents (0-1) from a proportion, a percentage or a count.

    ``auto``: values all within 0-1 are a proportion; any value above 100 makes a count of group
    residents (needs ``population``); values up to 100 with some above 1 are ambiguous (a percent
    or a small count) and refused with a message naming ``kind``.  A count above the population,
    a negative value or a percentage above 100 is refused.  Returns the share and a note saying
    how it was read (None for a proportion).

    Examples
    --------
    >>> s, note = share_from(pd.Series([12.0, 50.0]), kind="percent")
    >>> s.tolist(), note
    ([0.12, 0.5], 'share read as a percentage and divided by 100')
    """
    v = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    vmax = float(v.max()) if v.notna().any() else 0.0
    if v.notna().any() and float(v.min()) < 0:
        raise ValueError(t("prof.err.share_negative", lang, v=f"{float(v.min()):.3g}"))
    if kind == "auto":
        if vmax <= 1.0 + 1e-9:
            kind = "proportion"
        elif vmax > 100.0:
            kind = "count"
        else:
            raise ValueError(t("prof.err.share_ambiguous", lang, v=f"{vmax:.3g}"))
    if kind == "proportion":
        if vmax > 1.0 + 1e-9:
            raise ValueError(t("prof.err.share_proportion", lang, v=f"{vmax:.3g}"))
        return v, None
    if kind == "percent":
        if vmax > 100.0 + 1e-9:
            raise ValueError(t("prof.err.share_percent", lang, v=f"{vmax:.3g}"))
        return v / 100.0, t("prof.note.percent", lang)
    if kind != "count":
        raise ValueError(f"kind must be 'auto', 'proportion', 'percent' or 'count'; got {kind!r}")
    if population is None:
        raise ValueError(t("prof.err.share_count_pop", lang))
    pop = pd.to_numeric(pd.Series(population, index=v.index), errors="coerce").astype(float)
    over = v > pop + 1e-9
    if over.any():
        raise ValueError(t("prof.err.count_above_pop", lang, n=int(over.sum()),
                           units=", ".join(map(str, list(v.index[over])[:5]))))
    return (v / pop).where(pop > 0), t("prof.note.count", lang)


def fit_row(name: str, fit: Fit, n_units: int, *, term: str = "share_10pp", kind: str = "model") -> dict[str, Any]:
    """One row of the robustness table from a fit: the term's rate ratio, interval, p and n."""
    lo, hi = (float(np.exp(v)) for v in fit.conf.loc[term])
    return {"variant": name, "rate_ratio": float(np.exp(fit.params[term])), "ci_low": lo, "ci_high": hi,
            "p_value": float(fit.pvalues[term]), "n_units": int(n_units), "excludes_1": bool(lo > 1 or hi < 1),
            "kind": kind, "note": "", "crime_elasticity": float(fit.params.get("log_crime_rate", np.nan))}


def failed_row(name: str, why: str, kind: str = "model") -> dict[str, Any]:
    """A row whose model could not be fitted: no numbers, the reason in ``note``."""
    return {"variant": name, "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
            "n_units": 0, "excludes_1": False, "kind": kind, "note": why}
