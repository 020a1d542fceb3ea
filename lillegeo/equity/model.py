"""The enforcement-vs-crime benchmark model (statsmodels negative binomial or robust Poisson), its
robustness variants, the verdict, and the stop-level outcome (hit-rate) test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from geopandas import GeoDataFrame

from ..i18n import t
from ..params import DEFAULT_THRESHOLD, DEFAULT_TOLERANCE
from .exposure import _col
from .fit import failed_row, fit_counts, fit_row, share_from
from .measurement import latent_crime_fit
from .sensitivity import bound_towards_one, sensitivity_curve, tipping_gradient, verdict
from .spatial import lag_design, spatial_rows

__all__ = ["BenchmarkResult", "benchmark_model", "robustness_table", "outcome_test"]


@dataclass
class BenchmarkResult:
    """Enforcement beyond what recorded crime explains: the share term's rate ratio per 10 points,
    its robustness, the tipping recording gradient and the verdict.

    ``verdict`` is ``'robust'`` (the interval excludes 1 under every specification of
    ``robustness`` and the gradient that brings the bound to 1 exceeds ``tolerance``),
    ``'fragile'`` (some but not all) or ``'no_evidence'``; ``flag`` is true only for ``'robust'``.
    ``tipping_gradient`` is the crime-recording shortfall per 10 points of share (fraction) that
    would explain the estimate, ``tipping_gradient_bound`` the one that brings the interval's bound
    to 1 (:mod:`lillegeo.equity.sensitivity`).  Fits of the robustness variants alone
    (``robustness=False``) have ``verdict=None`` and ``flag`` False.
    """

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
    verdict: Literal["robust", "fragile", "no_evidence"] | None = None
    tipping_gradient: float = float("nan")
    tipping_gradient_bound: float = float("nan")
    tolerance: float = DEFAULT_TOLERANCE
    crime_elasticity: float = float("nan")
    robustness: pd.DataFrame | None = None
    sensitivity: pd.DataFrame | None = None
    pearson: pd.Series | None = None

    @property
    def excludes_1(self) -> bool:
        """The main model's interval excludes 1 (the old flag: sampling noise only)."""
        return bool(self.ci_low > 1 or self.ci_high < 1)

    def summary(self) -> dict[str, Any]:
        def num(v):
            return float(v) if v is not None and np.isfinite(v) else None

        return {"rate_ratio": num(self.rate_ratio), "ci_low": num(self.ci_low), "ci_high": num(self.ci_high),
                "p_value": num(self.p_value), "n_units": self.n_units, "model": self.model, "flag": self.flag,
                "verdict": self.verdict, "tipping_gradient": num(self.tipping_gradient),
                "tipping_gradient_bound": num(self.tipping_gradient_bound), "tolerance": self.tolerance,
                "crime_elasticity": num(self.crime_elasticity), "alpha_nb": num(self.alpha_nb),
                "notes": list(self.notes)}


def _design(units: pd.DataFrame, enforcement: str, crime: str, population: str, share: str | pd.Series,
            exclude_types: tuple[str, ...], lang: str = "en"):
    y = _col(units, enforcement, "enforcement")
    c = _col(units, crime, "crime")
    pop = _col(units, population, "population")
    if isinstance(share, str):
        s = _col(units, share, "share")
    else:
        s = pd.to_numeric(pd.Series(share, index=units.index), errors="coerce").astype(float)
    s, note = share_from(s, kind="percent" if 1.0 + 1e-9 < (s.max() if s.notna().any() else 0) <= 100 else
                         "proportion", lang=lang)
    ok = y.notna() & c.notna() & pop.notna() & s.notna() & (pop > 0)
    if exclude_types and "unit_type" in units.columns:
        ok &= ~units["unit_type"].astype("string").isin(list(exclude_types)).fillna(False)
    X = pd.DataFrame({"const": 1.0,
                      "log_crime_rate": np.log((c[ok] + 0.5) / pop[ok] * 1000.0),
                      "share_10pp": s[ok] * 10.0}, index=units.index[ok])
    return y[ok], X, np.log(pop[ok]), ok, note


def benchmark_model(units: pd.DataFrame, *, enforcement: str, crime: str, population: str, share: str | pd.Series,
                    model: Literal["negbin", "poisson_robust"] = "negbin", exclude_types: tuple[str, ...] = (),
                    cluster: str | None = None, ci: float = 0.95, min_units: int = 30,
                    tolerance: float = DEFAULT_TOLERANCE, other_crime: str | None = None,
                    commune: str = "commune_id", robustness: bool = True, lang: str = "en") -> BenchmarkResult:
    """Model enforcement counts per unit given recorded crime; the share term is the disparity signal.

    log E[enforcement_i] = log(population_i) + b0 + b1 * log((crime_i + 0.5) / population_i * 1000)
    + b2 * (10 * share_i).  exp(b2) is the rate ratio per 10 percentage points of ``share``
    beyond what crime explains.  ``negbin``: statsmodels NB2 (``NegativeBinomial``) started from
    the Poisson fit, checked for convergence and finite intervals (:func:`~.fit.fit_counts`: a
    diverged fit raises a ``ValueError``, never a number); ``poisson_robust``: Poisson GLM with
    HC0 errors.  With ``cluster``, errors are clustered by that column (e.g. commune).  A share
    given in percent (values up to 100) is divided by 100, with a note.

    With ``robustness`` (default), the variants of :func:`robustness_table` are fitted too and
    the verdict is given (see :class:`BenchmarkResult`), with the tipping recording gradient
    (:mod:`~lillegeo.equity.sensitivity`).

    Returns
    -------
    BenchmarkResult
        The rate ratio with its interval, the units used, the expected counts and the residual
        observed / expected per unit (NaN where not modelled), the verdict and its reasons.

    Examples
    --------
    >>> from lillegeo import load_demo
    >>> u = load_demo().units
    >>> r = benchmark_model(u, enforcement="checks", crime="incidents", population="P21_POP",
    ...                     share=u["P21_POP_IMM"] / u["P21_POP"])
    >>> r.verdict, r.flag
    ('robust', True)
    """
    if model not in ("negbin", "poisson_robust"):
        raise ValueError(f"model must be 'negbin' or 'poisson_robust'; got {model!r}")
    y, X, offset, ok, share_note = _design(units, enforcement, crime, population, share, exclude_types, lang)
    if len(y) < min_units:
        raise ValueError(f"only {len(y)} unit(s) can be modelled; at least {min_units} are needed")
    notes = [share_note] if share_note else []
    cov_kw: dict[str, Any] = {}
    if cluster:
        if cluster not in units.columns:
            raise ValueError(f"cluster column '{cluster}' not found")
        groups = pd.factorize(units.loc[ok, cluster])[0]
        if len(set(groups)) < 5:
            notes.append(t("model.few_clusters", lang, n=len(set(groups))))
        cov_kw = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    fit = fit_counts(y.to_numpy(), X, offset.to_numpy(), model=model, cov_kw=cov_kw, ci=ci, lang=lang)
    if model == "negbin":
        label = t("model.nb2", lang, method=fit.method)
    else:
        label = t("model.poisson_robust", lang)
    if cluster:
        label += t("model.clustered", lang, column=cluster)
    params, conf, mu = fit.params, fit.conf, fit.mu
    rr = float(np.exp(params["share_10pp"]))
    lo, hi = (float(np.exp(v)) for v in conf.loc["share_10pp"])
    expected = pd.Series(np.nan, index=units.index)
    expected[ok] = mu
    resid = pd.Series(np.nan, index=units.index)
    resid[ok] = y.to_numpy() / mu
    var = mu + (fit.alpha_nb or 0.0) * mu ** 2
    pearson = pd.Series((y.to_numpy() - mu) / np.sqrt(var), index=y.index)
    table = pd.DataFrame({"coef": params, "rate_ratio": np.exp(params), "ci_low": np.exp(conf[0]),
                          "ci_high": np.exp(conf[1]), "p_value": fit.pvalues})
    out = BenchmarkResult(rate_ratio=rr, ci_low=lo, ci_high=hi, p_value=float(fit.pvalues["share_10pp"]),
                          n_units=int(len(y)), model=label, flag=False, params=table, expected=expected,
                          residual_ratio=resid, alpha_nb=fit.alpha_nb, notes=notes, tolerance=float(tolerance),
                          crime_elasticity=float(params["log_crime_rate"]), pearson=pearson)
    if not robustness:
        return out
    b1 = out.crime_elasticity
    out.tipping_gradient = tipping_gradient(float(params["share_10pp"]), b1)
    out.tipping_gradient_bound = tipping_gradient(float(np.log(bound_towards_one(lo, hi))), b1)
    out.sensitivity = sensitivity_curve(float(params["share_10pp"]), float(conf.loc["share_10pp", 0]),
                                        float(conf.loc["share_10pp", 1]), b1,
                                        np.linspace(0, min(0.95, max(0.25, 1.5 * np.nan_to_num(out.tipping_gradient))), 26))
    out.robustness = robustness_table(units, enforcement=enforcement, crime=crime, population=population,
                                      share=share, other_crime=other_crime, commune=commune, lang=lang, _main=out)
    spec = out.robustness[out.robustness["kind"] == "model"]
    direction = [int(np.sign(np.log(v))) if np.isfinite(v) and v > 0 else 0 for v in spec["rate_ratio"]]
    out.verdict = verdict(list(spec["excludes_1"].astype(bool)), direction, out.tipping_gradient_bound, tolerance)
    out.flag = out.verdict == "robust"
    return out


def robustness_table(units: pd.DataFrame, *, enforcement: str, crime: str, population: str, share: str | pd.Series,
                     other_crime: str | None = None, commune: str = "commune_id", lang: str = "en",
                     _main: BenchmarkResult | None = None) -> pd.DataFrame:
    """The benchmark model and its variants, one row each: does the conclusion survive?

    Rows (``kind='model'``): NB2 (main), Poisson with robust errors, without A/D units, errors
    clustered by ``commune`` (when it has at least 5 values), another crime measure, crime as a latent
    rate recorded with Poisson noise (joint model, :mod:`~lillegeo.equity.measurement`), a spline of
    the log crime rate, the spatial lag of the log crime rate and a Moran eigenvector spatial
    filter (:mod:`~lillegeo.equity.spatial`); then the residual Moran's I (``kind='diagnostic'``).
    Columns: ``variant, rate_ratio, ci_low, ci_high, p_value, n_units, excludes_1, kind, note``.
    A variant that cannot be fitted keeps its row, without numbers, with the reason in ``note``.
    """
    kw0 = dict(enforcement=enforcement, crime=crime, population=population, share=share, lang=lang)
    main = _main or benchmark_model(units, **kw0, robustness=False)
    rows = [_main_row(t("rob.main", lang), main)]
    variants = [(t("rob.poisson", lang), dict(model="poisson_robust")),
                (t("rob.no_ad", lang), dict(model="negbin", exclude_types=("A", "D")))]
    y, X, offset, ok, _ = _design(units, enforcement, crime, population, share, (), lang)
    # clusters among the units the model fits (a census joined for one commune of a metropolis: one cluster)
    if commune in units.columns and units.loc[ok, commune].nunique() >= 5:
        variants.append((t("rob.cluster", lang, col=commune), dict(model="negbin", cluster=commune)))
    for name, kw in variants:
        rows.append(_row(name, units, kw0, kw))
    if other_crime:
        rows.append(_row(t("rob.other", lang, col=other_crime), units, {**kw0, "crime": other_crime}, {}))
    try:
        lag = lag_design(X, units.loc[ok])["lag_log_crime_rate"].to_numpy() if isinstance(units, GeoDataFrame) else None
        crime_n = _col(units, crime, "crime").loc[X.index].to_numpy()
        fit = latent_crime_fit(y.to_numpy(), crime_n, X["share_10pp"].to_numpy(), offset.to_numpy(), lag, lang=lang)
        rows.append(fit_row(t("rob.calibrated", lang), fit, len(y)))
    except (ValueError, RuntimeError, np.linalg.LinAlgError) as exc:
        rows.append(failed_row(t("rob.calibrated", lang), str(exc)))
    rows += spatial_rows(units, y.to_numpy(), X, offset.to_numpy(), ok, pearson=main.pearson.to_numpy(), lang=lang)
    return pd.DataFrame(rows)


def _main_row(name: str, r: BenchmarkResult) -> dict[str, Any]:
    return {"variant": name, "rate_ratio": r.rate_ratio, "ci_low": r.ci_low, "ci_high": r.ci_high,
            "p_value": r.p_value, "n_units": r.n_units, "excludes_1": r.excludes_1, "kind": "model",
            "note": "; ".join(r.notes)}


def _row(name, units, kw0, kw) -> dict[str, Any]:
    try:
        return _main_row(name, benchmark_model(units, **kw0, **kw, robustness=False))
    except (ValueError, np.linalg.LinAlgError) as exc:
        return failed_row(name, str(exc))
    except (ZeroDivisionError, FloatingPointError):  # e.g. a sandwich with too few clusters: the row, not the page
        return failed_row(name, t("prof.err.degenerate", kw0["lang"]))


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
