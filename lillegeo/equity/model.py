"""The enforcement-vs-crime benchmark model (statsmodels negative binomial or robust Poisson), its
robustness variants, and the stop-level outcome (hit-rate) test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..i18n import t
from ..params import DEFAULT_THRESHOLD
from .exposure import _col

__all__ = ["BenchmarkResult", "benchmark_model", "robustness_table", "outcome_test"]


@dataclass
class BenchmarkResult:
    """Enforcement beyond what recorded crime explains: the share term's rate ratio per 10 points."""

    rate_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    n_units: int
    model: str
    flag: bool
    params: pd.DataFrame
    expected: pd.Series
    residual_ratio: pd.Series
    alpha_nb: float | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"rate_ratio": self.rate_ratio, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "p_value": self.p_value, "n_units": self.n_units, "model": self.model, "flag": self.flag,
                "alpha_nb": self.alpha_nb, "notes": list(self.notes)}


def _design(units: pd.DataFrame, enforcement: str, crime: str, population: str, share: str | pd.Series,
            exclude_types: tuple[str, ...]):
    y = _col(units, enforcement, "enforcement")
    c = _col(units, crime, "crime")
    pop = _col(units, population, "population")
    if isinstance(share, str):
        s = _col(units, share, "share")
    else:
        s = pd.to_numeric(pd.Series(share, index=units.index), errors="coerce").astype(float)
    if s.dropna().max() > 1.0 + 1e-9:
        raise ValueError("share must be a proportion between 0 and 1 (e.g. immigrants / population), "
                         f"got values up to {s.max():.3g}")
    ok = y.notna() & c.notna() & pop.notna() & s.notna() & (pop > 0)
    if exclude_types and "unit_type" in units.columns:
        ok &= ~units["unit_type"].astype("string").isin(list(exclude_types)).fillna(False)
    X = pd.DataFrame({"const": 1.0,
                      "log_crime_rate": np.log((c[ok] + 0.5) / pop[ok] * 1000.0),
                      "share_10pp": s[ok] * 10.0}, index=units.index[ok])
    return y[ok], X, np.log(pop[ok]), ok


def benchmark_model(units: pd.DataFrame, *, enforcement: str, crime: str, population: str, share: str | pd.Series,
                    model: Literal["negbin", "poisson_robust"] = "negbin", exclude_types: tuple[str, ...] = (),
                    cluster: str | None = None, ci: float = 0.95, min_units: int = 30) -> BenchmarkResult:
    """Model enforcement counts per unit given recorded crime; the share term is the disparity signal.

    log E[enforcement_i] = log(population_i) + b0 + b1 * log((crime_i + 0.5) / population_i * 1000)
    + b2 * (10 * share_i).  exp(b2) is the rate ratio per 10 percentage points of ``share``
    beyond what crime explains.  ``negbin``: statsmodels NB2 (``NegativeBinomial``, dispersion
    estimated by maximum likelihood); ``poisson_robust``: Poisson GLM with HC0 errors.  With
    ``cluster``, errors are clustered by that column (e.g. commune).

    Returns
    -------
    BenchmarkResult
        The rate ratio with its interval, the units used, the expected counts and the residual
        observed / expected per unit (NaN where not modelled).
    """
    import statsmodels.api as sm

    if model not in ("negbin", "poisson_robust"):
        raise ValueError(f"model must be 'negbin' or 'poisson_robust'; got {model!r}")
    y, X, offset, ok = _design(units, enforcement, crime, population, share, exclude_types)
    if len(y) < min_units:
        raise ValueError(f"only {len(y)} unit(s) can be modelled; at least {min_units} are needed")
    notes = []
    cov_kw: dict[str, Any] = {}
    if cluster:
        if cluster not in units.columns:
            raise ValueError(f"cluster column '{cluster}' not found")
        groups = pd.factorize(units.loc[ok, cluster])[0]
        if len(set(groups)) < 5:
            notes.append(f"only {len(set(groups))} clusters: clustered errors are unreliable")
        cov_kw = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    alpha_nb = None
    if model == "negbin":
        res = sm.NegativeBinomial(y.to_numpy(), X, offset=offset.to_numpy(), loglike_method="nb2").fit(
            disp=0, maxiter=200, **cov_kw)
        alpha_nb = float(res.params["alpha"])
        params = res.params.drop("alpha")
        conf = res.conf_int(alpha=1 - ci).drop("alpha")
        pvals = res.pvalues.drop("alpha")
        mu = np.exp(X.to_numpy() @ params.to_numpy() + offset.to_numpy())
        label = "negative binomial (NB2), offset log(population)"
    else:
        res = sm.GLM(y.to_numpy(), X, family=sm.families.Poisson(), offset=offset.to_numpy()).fit(
            cov_type=cov_kw.get("cov_type", "HC0"), cov_kwds=cov_kw.get("cov_kwds"))
        params, conf, pvals = res.params, res.conf_int(alpha=1 - ci), res.pvalues
        mu = res.fittedvalues if hasattr(res, "fittedvalues") else res.mu
        mu = np.asarray(mu)
        label = "Poisson, robust (HC0) errors, offset log(population)"
    if cluster:
        label += f", errors clustered by {cluster}"
    rr = float(np.exp(params["share_10pp"]))
    lo, hi = (float(np.exp(v)) for v in conf.loc["share_10pp"])
    expected = pd.Series(np.nan, index=units.index)
    expected[ok] = mu
    resid = pd.Series(np.nan, index=units.index)
    resid[ok] = y.to_numpy() / mu
    table = pd.DataFrame({"coef": params, "rate_ratio": np.exp(params), "ci_low": np.exp(conf[0]),
                          "ci_high": np.exp(conf[1]), "p_value": pvals})
    return BenchmarkResult(rate_ratio=rr, ci_low=lo, ci_high=hi, p_value=float(pvals["share_10pp"]),
                           n_units=int(len(y)), model=label, flag=bool(lo > 1 or hi < 1), params=table,
                           expected=expected, residual_ratio=resid, alpha_nb=alpha_nb, notes=notes)


def robustness_table(units: pd.DataFrame, *, enforcement: str, crime: str, population: str, share: str | pd.Series,
                     other_crime: str | None = None, commune: str = "commune_id", lang: str = "en") -> pd.DataFrame:
    """The benchmark model and its variants, one row each: does the conclusion survive?"""
    variants = [(t("rob.main", lang), dict(model="negbin")),
                (t("rob.poisson", lang), dict(model="poisson_robust")),
                (t("rob.no_ad", lang), dict(model="negbin", exclude_types=("A", "D")))]
    if commune in units.columns:
        variants.append((t("rob.cluster", lang, col=commune), dict(model="negbin", cluster=commune)))
    rows = []
    for name, kw in variants:
        rows.append(_row(name, units, enforcement, crime, population, share, kw))
    if other_crime:
        rows.append(_row(t("rob.other", lang, col=other_crime), units, enforcement, other_crime, population,
                         share, dict(model="negbin")))
    return pd.DataFrame(rows)


def _row(name, units, enforcement, crime, population, share, kw) -> dict[str, Any]:
    try:
        r = benchmark_model(units, enforcement=enforcement, crime=crime, population=population, share=share, **kw)
        return {"variant": name, "rate_ratio": r.rate_ratio, "ci_low": r.ci_low, "ci_high": r.ci_high,
                "p_value": r.p_value, "n_units": r.n_units, "flag": r.flag}
    except (ValueError, np.linalg.LinAlgError) as exc:
        return {"variant": name, "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
                "n_units": 0, "flag": False, "note": str(exc)}


def outcome_test(stops: pd.DataFrame, *, group: str, outcome: str, reference: str | None = None,
                 ci: float = 0.95, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Hit-rate (outcome) test: share of stops that found something, by group, with Wilson intervals.

    A lower hit rate for a group suggests a lower bar for stopping its members (Becker's outcome
    test; subject to infra-marginality, see Simoiu, Corbett-Davies & Goel 2017).  Groups with
    fewer than ``threshold`` stops are withheld.
    """
    from statsmodels.stats.proportion import proportion_confint

    for c in (group, outcome):
        if c not in stops.columns:
            raise ValueError(f"column '{c}' not found; columns are: {', '.join(map(str, stops.columns))}")
    y = stops[outcome]
    if y.dtype == object or str(y.dtype).startswith(("str", "string")):
        y = y.astype("string").str.lower().isin(["1", "true", "yes", "oui", "o", "y"])
    y = y.astype(float)
    rows = []
    for g, sub in y.groupby(stops[group].astype("string")):
        n, k = int(sub.notna().sum()), int(sub.sum())
        if n < threshold:
            rows.append({"group": g, "stops": np.nan, "hits": np.nan, "hit_rate": np.nan, "ci_low": np.nan,
                         "ci_high": np.nan, "withheld": True})
            continue
        lo, hi = proportion_confint(k, n, alpha=1 - ci, method="wilson")
        rows.append({"group": g, "stops": n, "hits": k, "hit_rate": k / n, "ci_low": lo, "ci_high": hi,
                     "withheld": False})
    out = pd.DataFrame(rows)
    if reference is not None and reference in set(out["group"]):
        ref = out.loc[out["group"] == reference, "hit_rate"].iloc[0]
        out["ratio_to_reference"] = out["hit_rate"] / ref
    return out
