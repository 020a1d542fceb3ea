"""Equity and profiling checks: people-weighted exposure, representation in hotspots, the
enforcement-vs-crime benchmark model, stop-level outcome tests, and findings in plain words.

These are **area-level** results: they describe where groups live and what happens there, not
what happens to individuals.  Recorded crime is itself shaped by where police look, so the
benchmark model can understate or overstate bias (omitted variables, feedback); every finding
carries these caveats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from .i18n import t
from .params import check_cost

__all__ = [
    "ExposureResult", "exposure_ratio", "representation", "BenchmarkResult", "benchmark_model",
    "robustness_table", "outcome_test", "findings", "DEFAULT_BAND", "CAVEATS", "group_columns",
    "bivariate_classes", "residual_classes", "BIVARIATE", "run_equity", "overlay_share", "area_groups",
    "top_quantile", "bivariate_names",
]

DEFAULT_BAND = (0.8, 1.25)
CAVEATS = ("caveat.recorded_crime", "caveat.area_level", "caveat.withheld")


def _col(df: pd.DataFrame, name: str, what: str) -> pd.Series:
    if name not in df.columns:
        raise ValueError(f"{what} column '{name}' not found; columns are: {', '.join(map(str, df.columns))}")
    s = pd.to_numeric(df[name], errors="coerce")
    if s.notna().sum() == 0:
        raise ValueError(f"{what} column '{name}' has no numeric values")
    return s.astype(float)


def group_columns(units: pd.DataFrame, group: str, reference: str | None = None, *,
                  population: str | None = None) -> tuple[pd.Series, pd.Series, str]:
    """Residents of a group and of its reference per unit.

    ``reference`` may be a column, or ``None`` for the complement ``population - group``.
    """
    g = _col(units, group, "group")
    if reference and reference != "complement":
        r = _col(units, reference, "reference")
        name = reference
    else:
        if not population:
            raise ValueError("the complement of a group needs population= (the total residents column)")
        r = (_col(units, population, "population") - g).clip(lower=0)
        name = f"{population} - {group}"
    return g, r, name


# ----------------------------------------------------------------------------- exposure

@dataclass
class ExposureResult:
    """People-weighted exposure of a group and its reference to a burden, with a bootstrap interval."""

    table: pd.DataFrame
    ratio: float
    ci_low: float
    ci_high: float
    flag: bool
    band: tuple[float, float]
    bootstrap: int
    seed: int | None
    burden: str
    group: str
    reference: str

    def summary(self) -> dict[str, Any]:
        return {"exposure_ratio": self.ratio, "ci_low": self.ci_low, "ci_high": self.ci_high, "flag": self.flag,
                "band": list(self.band), "bootstrap": self.bootstrap, "seed": self.seed, "burden": self.burden,
                "group": self.group, "reference": self.reference,
                "people": {r["group"]: float(r["people"]) for _, r in self.table.iterrows()},
                "units": int(self.table["units"].max())}


def _weighted_means(b: np.ndarray, wg: np.ndarray, wr: np.ndarray) -> tuple[float, float]:
    return float((wg * b).sum() / wg.sum()), float((wr * b).sum() / wr.sum())


def exposure_ratio(units: pd.DataFrame, burden: pd.Series | str, group: str, reference: str | None = None, *,
                   population: str | None = None, bootstrap: int = 999, seed: int | None = 0,
                   band: tuple[float, float] = DEFAULT_BAND, ci: float = 0.95) -> ExposureResult:
    """Average burden experienced by a group's residents, relative to a reference group.

    exposure_g = sum_i(g_i * b_i) / sum_i(g_i), with g_i the group's residents in unit i and b_i the
    burden there (e.g. checks per 1,000 residents, or 1 for units in a hotspot).  The ratio
    exposure_group / exposure_reference gets a percentile bootstrap interval from resampling units
    with replacement (seeded).  It is flagged when it lies outside ``band`` **and** its interval
    excludes 1.

    Parameters
    ----------
    units : DataFrame
    burden : Series or str
        Burden per unit (aligned with ``units``) or a column name.  Units without a burden value
        are left out (counted in the table).
    group, reference : str
        Residents columns; ``reference=None`` uses ``population - group``.
    population : str, optional
    bootstrap : int
        Bootstrap resamples (999 by default).
    seed : int
    band : (float, float)
        Ratios inside this band are not flagged (Aequitas-style convention, default 0.8-1.25).

    Returns
    -------
    ExposureResult

    Examples
    --------
    >>> df = pd.DataFrame({"b": [10.0, 20.0], "g": [100.0, 300.0], "r": [300.0, 100.0]})
    >>> exposure_ratio(df, "b", "g", "r", bootstrap=0).ratio  # (17.5 / 12.5)
    1.4
    """
    b = _col(units, burden, "burden") if isinstance(burden, str) else pd.to_numeric(
        pd.Series(burden, index=units.index), errors="coerce").astype(float)
    g, r, ref_name = group_columns(units, group, reference, population=population)
    ok = (b.notna() & g.notna() & r.notna()).to_numpy()
    bv, gv, rv = b.to_numpy()[ok], g.to_numpy()[ok], r.to_numpy()[ok]
    if gv.sum() <= 0 or rv.sum() <= 0:
        raise ValueError(f"the group '{group}' or its reference has no residents in units with a burden value")
    eg, er = _weighted_means(bv, gv, rv)
    ratio = eg / er if er > 0 else np.nan
    lo = hi = np.nan
    if bootstrap and bootstrap > 0:
        check_cost("bootstrap", units=len(bv), draws=int(bootstrap))
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, len(bv), size=(bootstrap, len(bv)))
        num_g = (gv[idx] * bv[idx]).sum(axis=1) / gv[idx].sum(axis=1)
        num_r = (rv[idx] * bv[idx]).sum(axis=1) / rv[idx].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = num_g / num_r
        ratios = ratios[np.isfinite(ratios)]
        a = (1 - ci) / 2
        lo, hi = (float(x) for x in np.quantile(ratios, [a, 1 - a]))
    flag = bool(np.isfinite(ratio) and (ratio < band[0] or ratio > band[1]) and np.isfinite(lo)
                and (lo > 1 or hi < 1))
    bname = burden if isinstance(burden, str) else (getattr(burden, "name", None) or "burden")
    table = pd.DataFrame([
        {"group": group, "people": float(gv.sum()), "units": int((gv > 0).sum()), "exposure": eg, "ratio": ratio,
         "ci_low": lo, "ci_high": hi, "flag": flag},
        {"group": ref_name, "people": float(rv.sum()), "units": int((rv > 0).sum()), "exposure": er, "ratio": 1.0,
         "ci_low": np.nan, "ci_high": np.nan, "flag": False},
    ])
    table.attrs["left_out_units"] = int((~ok).sum())
    return ExposureResult(table=table, ratio=float(ratio), ci_low=lo, ci_high=hi, flag=flag, band=band,
                          bootstrap=int(bootstrap), seed=seed, burden=str(bname), group=group, reference=ref_name)


def representation(units: pd.DataFrame, in_hotspot: pd.Series, group: str, *, population: str,
                   bootstrap: int = 999, seed: int | None = 0, ci: float = 0.95) -> dict[str, Any]:
    """Share of a group living in hotspot units over the share of all residents living there.

    R = (sum_hot g / sum g) / (sum_hot pop / sum pop), with a percentile bootstrap interval
    (units resampled with replacement).

    Examples
    --------
    >>> df = pd.DataFrame({"g": [30.0, 10.0], "pop": [100.0, 100.0]})
    >>> representation(df, pd.Series([True, False]), "g", population="pop", bootstrap=0)["ratio"]
    1.5
    """
    g = _col(units, group, "group").to_numpy()
    p = _col(units, population, "population").to_numpy()
    h = pd.Series(in_hotspot, index=units.index).fillna(False).astype(bool).to_numpy()
    ok = np.isfinite(g) & np.isfinite(p)
    g, p, h = g[ok], p[ok], h[ok]

    def ratio_of(gg, pp, hh):
        with np.errstate(divide="ignore", invalid="ignore"):
            return ((gg * hh).sum(axis=-1) / gg.sum(axis=-1)) / ((pp * hh).sum(axis=-1) / pp.sum(axis=-1))

    r = float(ratio_of(g, p, h))
    lo = hi = np.nan
    if bootstrap:
        check_cost("bootstrap", units=len(g), draws=int(bootstrap))
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, len(g), size=(bootstrap, len(g)))
        rs = ratio_of(g[idx], p[idx], h[idx])
        rs = rs[np.isfinite(rs)]
        a = (1 - ci) / 2
        if len(rs):
            lo, hi = (float(x) for x in np.quantile(rs, [a, 1 - a]))
    return {"ratio": r, "ci_low": lo, "ci_high": hi, "hotspot_units": int(h.sum()), "units": int(len(h)),
            "group_in_hotspots": float((g * h).sum()), "people_in_hotspots": float((p * h).sum())}


# ----------------------------------------------------------------------------- benchmark model

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


# ----------------------------------------------------------------------------- stop-level outcome test

def outcome_test(stops: pd.DataFrame, *, group: str, outcome: str, reference: str | None = None,
                 ci: float = 0.95, threshold: int = 11) -> pd.DataFrame:
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


# ----------------------------------------------------------------------------- findings

def _fmt(v: float, lang: str, digits: int = 2) -> str:
    if v is None or not np.isfinite(v):
        return "–"
    s = f"{v:,.{digits}f}"
    return s.replace(",", "\u202f").replace(".", ",") if lang == "fr" else s


def findings(*, exposure: ExposureResult | None = None, model: BenchmarkResult | None = None,
             representation_rows: list[dict] | None = None, lang: str = "en") -> list[dict[str, Any]]:
    """Findings in plain words, each with its number, interval, sample size and caveats."""
    out = []
    if exposure is not None:
        r = exposure.table.iloc[0]
        key = "finding.exposure_flag" if exposure.flag else "finding.exposure"
        out.append({"kind": "exposure", "flag": exposure.flag, "text": t(
            key, lang, group=exposure.group, reference=exposure.reference, burden=exposure.burden,
            ratio=_fmt(exposure.ratio, lang), lo=_fmt(exposure.ci_low, lang), hi=_fmt(exposure.ci_high, lang),
            people=_fmt(r["people"], lang, 0), units=int(r["units"]), lo_band=_fmt(exposure.band[0], lang),
            hi_band=_fmt(exposure.band[1], lang))})
    if model is not None:
        key = "finding.model_flag" if model.flag else "finding.model"
        out.append({"kind": "model", "flag": model.flag, "text": t(
            key, lang, rr=_fmt(model.rate_ratio, lang), lo=_fmt(model.ci_low, lang), hi=_fmt(model.ci_high, lang),
            n=model.n_units, p=_fmt(model.p_value, lang, 3))})
    for row in representation_rows or []:
        out.append({"kind": "representation", "flag": bool(row.get("flag")), "text": t(
            "finding.representation", lang, method=row["method"], ratio=_fmt(row["ratio"], lang),
            lo=_fmt(row["ci_low"], lang), hi=_fmt(row["ci_high"], lang), units=row["hotspot_units"])})
    for c in CAVEATS:
        out.append({"kind": "caveat", "flag": False, "text": t(c, lang)})
    return out


# ----------------------------------------------------------------------------- disparity layers

#: 3 x 3 bivariate palette (Joshua Stevens' blue-pink, distinguishable with common colour-vision deficiencies):
#: BIVARIATE[row][col]: row = enforcement tercile (0 low), col = crime tercile (0 low)
BIVARIATE = [["#e8e8e8", "#b0d5df", "#64acbe"],
             ["#e4acac", "#ad9ea5", "#627f8c"],
             ["#c85a5a", "#985356", "#574249"]]


def bivariate_classes(x: pd.Series, y: pd.Series) -> tuple[pd.Series, dict[str, str]]:
    """Tercile classes of two indicators (x: crime rate, y: enforcement rate) as labels 'x{i}y{j}'.

    Returns the label per unit ('' where a value is missing) and the colour of each label.

    Examples
    --------
    >>> lab, cols = bivariate_classes(pd.Series([1.0, 2, 3, 4, 5, 6]), pd.Series([6.0, 5, 4, 3, 2, 1]))
    >>> lab.tolist()
    ['x0y2', 'x0y2', 'x1y1', 'x1y1', 'x2y0', 'x2y0']
    """
    import mapclassify

    def terciles(s: pd.Series) -> pd.Series:
        out = pd.Series(-1, index=s.index)
        ok = s.notna()
        if ok.sum() >= 3:
            out[ok] = mapclassify.Quantiles(s[ok].to_numpy(float), k=3).yb
        return out

    xi, yi = terciles(pd.to_numeric(x, errors="coerce")), terciles(pd.to_numeric(y, errors="coerce"))
    labels = pd.Series([f"x{a}y{b}" if a >= 0 and b >= 0 else "" for a, b in zip(xi, yi)], index=x.index)
    colors = {f"x{a}y{b}": BIVARIATE[b][a] for b in range(3) for a in range(3)}
    return labels, colors


def bivariate_names(lang: str = "en") -> dict[str, str]:
    """Readable name of each bivariate class code ('x2y0' -> 'crime high, checks low')."""
    lv = [t(f"eq.level.{i}", lang) for i in range(3)]
    return {f"x{a}y{b}": t("eq.biv.cell", lang, x=lv[a], y=lv[b]) for b in range(3) for a in range(3)}


def residual_classes(ratio: pd.Series, lang: str = "en") -> tuple[pd.Series, dict[str, str]]:
    """Observed / expected enforcement in five classes with a diverging, colour-blind-safe palette."""
    more, less, same = t("eq.res.more", lang), t("eq.res.less", lang), t("eq.res.as", lang)
    bins = [(0, 0.67, f"< 0.67 ({less})", "#2166ac"), (0.67, 0.9, f"0.67 – 0.9 ({less})", "#92c5de"),
            (0.9, 1.11, f"0.9 – 1.1 ({same})", "#f7f7f7"), (1.11, 1.5, f"1.1 – 1.5 ({more})", "#f4a582"),
            (1.5, np.inf, f"> 1.5 ({more})", "#b2182b")]
    r = pd.to_numeric(ratio, errors="coerce")
    labels = pd.Series("", index=r.index, dtype=object)
    for lo, hi, lab, _ in bins:
        labels[(r >= lo) & (r < hi)] = lab
    return labels, {lab: col for _, _, lab, col in bins}


# ----------------------------------------------------------------------------- one call for the page and the CLI

def run_equity(units: gpd.GeoDataFrame, *, enforcement: str, crime: str, population: str, group: str,
               reference: str | None = None, other_crime: str | None = None, bootstrap: int = 999,
               seed: int | None = 0, band: tuple[float, float] = DEFAULT_BAND, lang: str = "en",
               points: gpd.GeoDataFrame | None = None, threshold: int = 11,
               area_group: Literal["people", "overlay", "top_share"] = "people",
               overlay: gpd.GeoDataFrame | None = None) -> dict[str, Any]:
    """Everything the Equity page shows: exposure, benchmark model, robustness, representation in
    hotspots, residual layer with its Gi* hot spots, bivariate classes and findings.

    Rates per 1,000 leave out A/D units (few residents).  Returned tables are safe to display:
    enforcement and crime counts under ``threshold`` are blank.
    """
    from .hotspots import area_hotspots, point_clusters
    from .indicators import suppress

    pop = _col(units, population, "population")
    enf = _col(units, enforcement, "enforcement")
    cri = _col(units, crime, "crime")
    g = _col(units, group, "group")
    ad = units["unit_type"].astype("string").isin(["A", "D"]).fillna(False).to_numpy() if "unit_type" in units else \
        np.zeros(len(units), bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        enf_rate = pd.Series(np.where((pop > 0) & ~ad, enf / pop * 1000, np.nan), index=units.index)
        crime_rate = pd.Series(np.where((pop > 0) & ~ad, cri / pop * 1000, np.nan), index=units.index)
        share = pd.Series(np.where(pop > 0, g / pop, np.nan), index=units.index).clip(upper=1.0)
    if area_group == "people":
        exp = exposure_ratio(units.assign(_burden=enf_rate), "_burden", group, reference, population=population,
                             bootstrap=bootstrap, seed=seed, band=band)
    else:
        if area_group == "overlay":
            if overlay is None:
                raise ValueError("area_group='overlay' needs an overlay (priority neighbourhoods)")
            mask, label = overlay_share(units, overlay) > 0.5, t("eq.area.overlay", lang)
        elif area_group == "top_share":
            mask, label = top_quantile(share, 0.8), t("eq.area.top_share", lang, group=group)
        else:
            raise ValueError(f"area_group must be 'people', 'overlay' or 'top_share'; got {area_group!r}")
        framed, gcol, rcol = area_groups(units.assign(_burden=enf_rate), mask, population=population, name=label)
        exp = exposure_ratio(framed, "_burden", gcol, rcol, bootstrap=bootstrap, seed=seed, band=band)
    exp.burden = t("eq.burden_checks", lang)
    model = benchmark_model(units, enforcement=enforcement, crime=crime, population=population, share=share)
    robust = robustness_table(units, enforcement=enforcement, crime=crime, population=population, share=share,
                              other_crime=other_crime, lang=lang)
    # representation in hotspots, for each method
    rep_rows = []
    hot_res = area_hotspots(units, cri, method="gi_star", permutations=999, seed=seed)
    methods = {t("rep.gi", lang): hot_res.hot()}
    lm = area_hotspots(units, cri, method="local_moran", permutations=999, seed=seed)
    methods[t("rep.lm", lang)] = lm.hot()
    if points is not None and len(points):
        pc = point_clusters(points, algorithm="dbscan", eps_m=120, min_samples=60, seed=seed)
        if len(pc.hulls):
            hull = pc.hulls.union_all()
            methods[t("rep.dbscan", lang)] = pd.Series(units.geometry.intersects(hull).to_numpy(),
                                                                    index=units.index)
    for name, mask in methods.items():
        r = representation(units, mask, group, population=population, bootstrap=bootstrap, seed=seed)
        r["method"] = name
        r["flag"] = bool((r["ratio"] < band[0] or r["ratio"] > band[1]) and (r["ci_low"] > 1 or r["ci_high"] < 1))
        rep_rows.append(r)
    rep = pd.DataFrame(rep_rows)[["method", "ratio", "ci_low", "ci_high", "hotspot_units", "units", "flag"]]
    # residual layer and its hot spots (log ratio; units with no expected count left out)
    resid = model.residual_ratio
    small = suppress(enf, threshold=threshold) | suppress(cri, threshold=threshold)
    res_gi = area_hotspots(units, np.log(resid.where(resid > 0)), method="gi_star", permutations=999, seed=seed)
    biv_labels, biv_colors = bivariate_classes(crime_rate.where(~small), enf_rate.where(~small))
    safe = pd.DataFrame({"unit_id": units["unit_id"], "enforcement": enf.where(~suppress(enf, threshold=threshold)),
                         "crime": cri.where(~suppress(cri, threshold=threshold)),
                         "enforcement_per_1000": enf_rate.where(~small), "crime_per_1000": crime_rate.where(~small),
                         "share": share, "expected": model.expected.where(~small),
                         "observed_over_expected": resid.where(~small), "residual_hotspot": res_gi.frame["label"]})
    return {"exposure": exp, "model": model, "robustness": robust, "representation": rep, "units_table": safe,
            "residual_ratio": resid.where(~small), "residual_hotspots": res_gi, "bivariate": (biv_labels, biv_colors),
            "share": share, "findings": findings(exposure=exp, model=model, representation_rows=rep_rows, lang=lang)}


# ----------------------------------------------------------------------------- area-based groups

def overlay_share(units: gpd.GeoDataFrame, overlay: gpd.GeoDataFrame) -> pd.Series:
    """Share of each unit's area inside an overlay (e.g. priority neighbourhoods, QPV), 0 to 1.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> u = gpd.GeoDataFrame(geometry=[box(0, 0, 2, 1), box(2, 0, 4, 1)], crs=2154)
    >>> overlay_share(u, gpd.GeoDataFrame(geometry=[box(1, 0, 3, 1)], crs=2154)).tolist()
    [0.5, 0.5]
    """
    if overlay.crs != units.crs:
        raise ValueError(f"overlay ({overlay.crs}) and units ({units.crs}) are in different CRS; "
                         "read both with lillegeo readers")
    ov = overlay.geometry.union_all()
    area = units.geometry.area
    inter = units.geometry.intersection(ov).area
    return (inter / area.where(area > 0)).fillna(0.0).clip(0, 1)


def area_groups(units: pd.DataFrame, in_area: pd.Series, *, population: str,
                name: str = "in_area") -> tuple[pd.DataFrame, str, str]:
    """Residents of units in an area (and of the others) as two group columns for :func:`exposure_ratio`.

    ``in_area`` is a boolean per unit (e.g. QPV share > 0.5, or the top quintile of a share).
    """
    pop = _col(units, population, "population")
    m = pd.Series(in_area, index=units.index).fillna(False).astype(bool)
    g, r = f"{name}: yes", f"{name}: no"
    out = units.assign(**{g: pop.where(m, 0.0), r: pop.where(~m, 0.0)})
    return out, g, r


def top_quantile(values: pd.Series, q: float = 0.8) -> pd.Series:
    """True for units at or above the ``q`` quantile of ``values`` (e.g. the top fifth of a share)."""
    v = pd.to_numeric(values, errors="coerce")
    return (v >= v.quantile(q)).fillna(False)
