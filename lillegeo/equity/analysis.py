"""Everything the Equity page shows, in one call: :func:`run_equity` and its :class:`EquityResult`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from ..hotspots import AreaHotspots, area_hotspots, point_clusters
from ..i18n import t
from ..indicators import suppress
from ..params import DEFAULT_THRESHOLD, ClusterParams, EquityParams, HotspotParams
from ..wording import fmt_g
from .exposure import (
    DEFAULT_BAND,
    ExposureResult,
    _col,
    area_groups,
    exposure_ratio,
    overlay_share,
    representation,
    top_quantile,
)
from .findings import findings
from .layers import bivariate_classes
from .model import BenchmarkResult, benchmark_model

__all__ = ["EquityResult", "run_equity"]


@dataclass(frozen=True)
class EquityResult:
    """What :func:`run_equity` returns: every table, layer and finding of the Equity page.

    Tables and layers are safe to display: enforcement and crime counts under the disclosure
    threshold, and the rates, expected counts and ratios computed from them, are blank (NaN).

    Attributes
    ----------
    exposure : ExposureResult
        People-weighted exposure of the group (or of the residents of the chosen area) to
        enforcement per 1,000 residents, relative to its reference, with a bootstrap interval.
    model : BenchmarkResult
        The benchmark model: enforcement given recorded crime, rate ratio per 10 points of the
        group's share.
    robustness : DataFrame
        The benchmark model and its variants, one row each (:func:`robustness_table`).
    representation : DataFrame
        Representation of the group in the hotspots of each method (Gi*, local Moran and, with
        points, DBSCAN): ``method, ratio, ci_low, ci_high, hotspot_units, units, flag``.
    units_table : DataFrame
        One row per unit: ``unit_id, enforcement, crime, enforcement_per_1000, crime_per_1000,
        share, expected, observed_over_expected, residual_hotspot, withheld, share_withheld``: small
        counts blank, and so are the rates, ratios and shares computed from one (``withheld``,
        ``share_withheld`` say which; ``residual_hotspot`` reads "Withheld" there).
    residual_ratio : Series
        Observed / expected enforcement per unit (NaN where withheld or not modelled).
    residual_hotspots : AreaHotspots
        Gi* hot and cold spots of the log residual ratio.
    bivariate : tuple of (Series, dict)
        Bivariate class per unit (``'x{i}y{j}'``, crime and enforcement terciles, ``''`` where
        missing) and the colour of each class (:func:`bivariate_classes`).
    share : Series
        The group's share of the residents per unit (0 to 1, NaN without residents or withheld).
    findings : list of dict
        Findings in plain words (``kind, flag, text``), caveats last (:func:`findings`).
    withheld : Series of bool
        Units whose rates, expected count and ratio are withheld (enforcement, crime or residents
        from 1 to ``threshold - 1``).
    share_withheld : Series of bool
        Units whose group share is withheld (group or residents from 1 to ``threshold - 1``).
    threshold : int
        The disclosure threshold.
    left_out : Series of bool
        Activity and miscellaneous (A/D) units, left out of the rates per 1,000 (few residents).
    """

    exposure: ExposureResult
    model: BenchmarkResult
    robustness: pd.DataFrame
    representation: pd.DataFrame
    units_table: pd.DataFrame
    residual_ratio: pd.Series
    residual_hotspots: AreaHotspots
    bivariate: tuple[pd.Series, dict[str, str]]
    share: pd.Series
    findings: list[dict[str, Any]]
    withheld: pd.Series | None = None
    share_withheld: pd.Series | None = None
    threshold: int = DEFAULT_THRESHOLD
    left_out: pd.Series | None = None


def run_equity(units: gpd.GeoDataFrame, *, enforcement: str, crime: str, population: str, group: str,
               reference: str | None = None, other_crime: str | None = None,
               bootstrap: int = EquityParams.bootstrap, seed: int | None = 0,
               band: tuple[float, float] = DEFAULT_BAND, lang: str = "en",
               points: gpd.GeoDataFrame | None = None, threshold: int = DEFAULT_THRESHOLD,
               area_group: Literal["people", "overlay", "top_share"] = "people",
               overlay: gpd.GeoDataFrame | None = None, permutations: int = HotspotParams.permutations,
               eps_m: float = ClusterParams.eps_m, min_samples: int = ClusterParams.min_samples,
               alpha: float = HotspotParams.alpha) -> EquityResult:
    """Everything the Equity page shows: exposure, benchmark model, robustness, representation in
    hotspots, residual layer with its Gi* hot spots, bivariate classes and findings.

    Rates per 1,000 leave out A/D units (few residents).  Returned tables are safe to display:
    enforcement and crime counts under ``threshold`` are blank.

    Returns
    -------
    EquityResult
    """
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
    model = benchmark_model(units, enforcement=enforcement, crime=crime, population=population, share=share,
                            other_crime=other_crime, lang=lang)
    robust = model.robustness
    # representation in hotspots, for each method
    rep_rows = []
    hot_res = area_hotspots(units, cri, method="gi_star", permutations=permutations, alpha=alpha, seed=seed)
    methods = {t("rep.gi", lang, alpha=fmt_g(alpha, lang)): hot_res.hot()}
    lm = area_hotspots(units, cri, method="local_moran", permutations=permutations, alpha=alpha, seed=seed)
    methods[t("rep.lm", lang, alpha=fmt_g(alpha, lang))] = lm.hot()
    if points is not None and len(points):
        pc = point_clusters(points, algorithm="dbscan", eps_m=eps_m, min_samples=min_samples, seed=seed,
                            threshold=threshold)
        if len(pc.hulls):
            hull = pc.hulls.union_all()
            methods[t("rep.dbscan", lang, eps=fmt_g(eps_m, lang), min=min_samples)] = pd.Series(units.geometry.intersects(hull).to_numpy(),
                                                                    index=units.index)
    for name, mask in methods.items():
        r = representation(units, mask, group, population=population, bootstrap=bootstrap, seed=seed)
        r["method"] = name
        r["flag"] = bool((r["ratio"] < band[0] or r["ratio"] > band[1]) and (r["ci_low"] > 1 or r["ci_high"] < 1))
        rep_rows.append(r)
    # what is withheld: a rate, expected count or ratio computed from a count under the threshold
    # (enforcement, crime or residents), and the share from a group or resident count under it
    small = suppress(enf, threshold=threshold) | suppress(cri, threshold=threshold) | suppress(pop, threshold=threshold)
    share_small = suppress(g, threshold=threshold) | suppress(pop, threshold=threshold)
    for r in rep_rows:  # representation from fewer group residents in hotspots than the threshold
        if 0 < r["group_in_hotspots"] < threshold:
            r.update(ratio=np.nan, ci_low=np.nan, ci_high=np.nan, flag=False)
    rep = pd.DataFrame(rep_rows)[["method", "ratio", "ci_low", "ci_high", "hotspot_units", "units", "flag"]]
    # residual layer and its hot spots (log ratio; withheld units and units with no expected count left
    # out: statistics of a withheld unit published next to its neighbours' would let its count be recovered)
    resid = model.residual_ratio
    res_gi = area_hotspots(units, np.log(resid.where((resid > 0) & ~small)), method="gi_star",
                           permutations=permutations, seed=seed)
    biv_labels, biv_colors = bivariate_classes(crime_rate.where(~small), enf_rate.where(~small))
    safe = pd.DataFrame({"unit_id": units["unit_id"], "enforcement": enf.where(~suppress(enf, threshold=threshold)),
                         "crime": cri.where(~suppress(cri, threshold=threshold)),
                         "enforcement_per_1000": enf_rate.where(~small), "crime_per_1000": crime_rate.where(~small),
                         "share": share.where(~share_small), "expected": model.expected.where(~small),
                         "observed_over_expected": resid.where(~small),
                         "residual_hotspot": res_gi.frame["label"].where(~small.to_numpy(), "Withheld").to_numpy(),
                         "withheld": small, "share_withheld": share_small})
    return EquityResult(exposure=exp, model=model, robustness=robust, representation=rep, units_table=safe,
                        residual_ratio=resid.where(~small), residual_hotspots=res_gi,
                        bivariate=(biv_labels, biv_colors), share=share.where(~share_small),
                        withheld=small, share_withheld=share_small, threshold=threshold,
                        left_out=pd.Series(ad, index=units.index),
                        findings=findings(exposure=exp, model=model, representation_rows=rep_rows, lang=lang,
                                          model_group=group if area_group != "people" else ""))
