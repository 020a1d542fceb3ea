"""Area hot and cold spots: Getis-Ord Gi* and local Moran over units (``esda``), with their
labels, colours and significance bins, and the one-call indicator hot spots for pages and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.stats import norm

from ..indicators import compute_indicator
from ..params import DEFAULT_THRESHOLD, HotspotParams, bounds, check_cost
from ..rng import global_seed
from ..weights import _subset_weights, build_weights

__all__ = [
    "GI_LABELS",
    "HOT_COLORS",
    "ISLAND",
    "LISA_COLORS",
    "LISA_LABELS",
    "LEFT_OUT",
    "NO_DATA",
    "UNTESTED",
    "WITHHELD",
    "AreaHotspots",
    "area_hotspots",
    "gi_bins",
    "indicator_hotspots",
]

Method = Literal["gi_star", "local_moran"]
Correction = Literal["none", "fdr", "bonferroni"]

GI_LABELS = {3: "Hot spot 99%", 2: "Hot spot 95%", 1: "Hot spot 90%", 0: "Not significant",
             -1: "Cold spot 90%", -2: "Cold spot 95%", -3: "Cold spot 99%"}
#: esda Moran_Local quadrants: 1 HH, 2 LH, 3 LL, 4 HL
LISA_LABELS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low", 0: "Not significant"}
NO_DATA = "No data"
ISLAND = "No neighbours (island)"
WITHHELD = "Withheld"
LEFT_OUT = "Left out (A/D)"
#: The labels of units the statistic did not test, in legend order.
UNTESTED = (WITHHELD, LEFT_OUT, NO_DATA, ISLAND)


HOT_COLORS = {"Hot spot 99%": "#b2182b", "Hot spot 95%": "#ef8a62", "Hot spot 90%": "#fddbc7",
              "Not significant": "#f7f7f7", "Cold spot 90%": "#d1e5f0", "Cold spot 95%": "#67a9cf",
              "Cold spot 99%": "#2166ac", WITHHELD: "#d9d9d9", LEFT_OUT: "#f2efe9", NO_DATA: "#ffffff",
              ISLAND: "#9e9e9e"}
LISA_COLORS = {"High-High": "#b2182b", "High-Low": "#ef8a62", "Low-High": "#67a9cf", "Low-Low": "#2166ac",
               "Not significant": "#f7f7f7", WITHHELD: "#d9d9d9", LEFT_OUT: "#f2efe9", NO_DATA: "#ffffff",
               ISLAND: "#9e9e9e"}


@dataclass
class AreaHotspots:
    """Result of :func:`area_hotspots` with every parameter that produced it.

    Attributes
    ----------
    frame : DataFrame
        One row per unit: ``unit_id, value, statistic, z, p, label, bin``.
        ``statistic`` is G* (Gi*) or Ii (local Moran); ``z`` the analytical
        z-score (Gi*) or the permutation z-score (local Moran); ``p`` the pseudo
        p-value (M+1)/(R+1).  ``bin`` is -3…3 for Gi*, the quadrant 0…4 for local Moran.
    moran_i, moran_p : float
        Global Moran's I and its permutation pseudo p-value.
    islands : list of str
        Unit codes left out because they have no neighbour.
    """

    frame: pd.DataFrame
    method: str
    weights: str
    permutations: int
    alpha: float
    correction: str
    seed: int | None
    moran_i: float
    moran_p: float
    islands: list[str] = field(default_factory=list)
    no_data: list[str] = field(default_factory=list)
    threshold: float = float("nan")

    @property
    def counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.frame["label"].value_counts().items()}

    @property
    def significant(self) -> pd.Series:
        """Boolean per unit: significant at ``alpha`` (``p`` at most the corrected threshold)."""
        return self.frame["bin"] != 0

    @property
    def n_significant(self) -> int:
        """Units significant at ``alpha``: the count of the page, the legend, the map and the CLI."""
        return int(self.significant.sum())

    @property
    def n_tested(self) -> int:
        """Units with a value and neighbours (the units the correction counts)."""
        return int(self.frame["p"].notna().sum())

    @property
    def min_p(self) -> float:
        """Smallest pseudo p-value the permutations can give: 1 / (R + 1)."""
        return 1.0 / (self.permutations + 1)

    @property
    def best_threshold(self) -> float:
        """Largest threshold the correction can reach: alpha (none, FDR) or alpha / n (Bonferroni)."""
        return self.alpha / max(self.n_tested, 1) if self.correction == "bonferroni" else self.alpha

    @property
    def correction_impossible(self) -> bool:
        """True when no unit can be significant: the smallest attainable p is above the threshold.

        With 999 permutations the smallest pseudo p is 0.001; Bonferroni at 0.05 over 353 units
        needs p <= 0.000142, which no unit can reach, whatever the data.
        """
        return self.min_p > self.best_threshold + 1e-15

    def hot(self) -> pd.Series:
        """Boolean: units in a hot spot at ``alpha`` (Gi* hot bins, or local Moran High-High)."""
        if self.method == "gi_star":
            return self.frame["bin"] > 0
        return self.frame["label"] == LISA_LABELS[1]

    def summary(self) -> dict[str, Any]:
        return {"method": self.method, "n": len(self.frame), "weights": self.weights,
                "permutations": self.permutations, "alpha": self.alpha, "correction": self.correction,
                "seed": self.seed, "moran_i": float(self.moran_i), "moran_p": float(self.moran_p),
                "islands": len(self.islands), "no_data": len(self.no_data), "labels": self.counts,
                "significant": self.n_significant, "threshold": float(self.threshold),
                "min_p": self.min_p, "correction_impossible": self.correction_impossible}


def _thresholds(p: np.ndarray, levels: tuple[float, ...], correction: str) -> dict[float, float]:
    from esda import fdr

    out = {}
    for a in levels:
        if correction == "fdr":
            out[a] = float(fdr(p, a))
        elif correction == "bonferroni":
            out[a] = a / len(p)
        else:
            out[a] = a
    return out


def area_hotspots(
    units: gpd.GeoDataFrame,
    values: pd.Series | str,
    *,
    method: Method = "gi_star",
    weights: str = "queen",
    permutations: int = HotspotParams.permutations,
    alpha: float = HotspotParams.alpha,
    correction: Correction = "none",
    seed: int | None = 0,
) -> AreaHotspots:
    """Hot and cold spots of an indicator over units, with permutation inference.

    Parameters
    ----------
    units : GeoDataFrame
        Units with ``unit_id`` (EPSG:2154 or planar).
    values : Series or str
        The indicator (aligned with ``units``) or a column name.  Missing values
        (withheld, no data) are left out of the analysis and labelled "No data".
    method : {"gi_star", "local_moran"}
        Getis-Ord Gi* (``esda.G_Local(star=True)``, binary weights) with
        ArcGIS-style bins 99/95/90 %; or local Moran (``esda.Moran_Local``,
        row-standardised weights) with quadrants High-High, Low-Low, High-Low,
        Low-High, significant at ``alpha``.
    weights : str
        See :func:`build_weights`.
    permutations : int
        Conditional permutations (999 gives a smallest pseudo p of 0.001).
    alpha : float
        Significance level, one rule for both methods: a unit is significant
        when its (corrected) ``p`` is at most ``alpha``.  Gi* significant units
        are binned 99/95/90 % by the strictest level their p reaches, so the
        bins go down to ``alpha`` only (0.01: 99 %; 0.05: 95 and 99 %; 0.10:
        all three); Gi* takes ``alpha`` up to 0.10.
    correction : {"none", "fdr", "bonferroni"}
        Multiple-testing correction (``esda.fdr`` or alpha / n).
    seed : int
        Seed of the permutations (recorded in the result).

    Returns
    -------
    AreaHotspots

    Examples
    --------
    >>> from lillegeo import load_demo
    >>> ds = load_demo()
    >>> res = area_hotspots(ds.units, "incidents", permutations=99)
    >>> res.summary()["moran_i"] > 0
    True
    """
    if method not in ("gi_star", "local_moran"):
        raise ValueError(f"method must be 'gi_star' or 'local_moran'; got {method!r}")
    if correction not in ("none", "fdr", "bonferroni"):
        raise ValueError(f"correction must be 'none', 'fdr' or 'bonferroni'; got {correction!r}")
    lo, hi = bounds("hotspots", "alpha")  # one rule for the page, the command line, a recipe and this call
    if not lo - 1e-12 <= alpha <= hi + 1e-12:
        raise ValueError(f"alpha must be between {lo:g} and {hi:g} (hot spots are binned at 99, 95 and 90 %); "
                         f"got {alpha}")
    if permutations < 19:
        raise ValueError(f"permutations must be at least 19 (smallest pseudo p = 1/(R+1)); got {permutations}")
    check_cost("permutations", units=len(units), draws=int(permutations))
    if isinstance(values, str):
        if values not in units.columns:
            raise ValueError(f"column '{values}' not found; columns are: {', '.join(map(str, units.columns))}")
        values = units[values]
    y_all = pd.to_numeric(pd.Series(values, index=units.index), errors="coerce").to_numpy(dtype=float)
    ids = units["unit_id"].astype(str).to_numpy()
    w_all = build_weights(units, weights)
    has_value = np.isfinite(y_all)
    keep = np.flatnonzero(has_value)
    w = _subset_weights(w_all, keep) if len(keep) < len(y_all) else w_all
    islands_local = set(w.islands)
    if islands_local:
        keep2 = np.array([i for i in range(len(keep)) if i not in islands_local], dtype=int)
        island_pos = keep[sorted(islands_local)]
        w = _subset_weights(w, keep2)
        keep = keep[keep2]
    else:
        island_pos = np.array([], dtype=int)
    if len(keep) < 5:
        raise ValueError(f"only {len(keep)} unit(s) have a value and neighbours; at least 5 are needed")
    y = y_all[keep]
    if np.allclose(y, y[0]):
        raise ValueError("the indicator is constant over the units: there is nothing to test")

    with global_seed(seed):  # esda draws from NumPy's global generator: alone in the process
        return _local_and_global(units, ids, y_all, y, w, keep, has_value, island_pos, method=method,
                                 weights=weights, permutations=permutations, alpha=alpha,
                                 correction=correction, seed=seed)


def _local_and_global(units, ids, y_all, y, w, keep, has_value, island_pos, *, method, weights, permutations,
                      alpha, correction, seed) -> AreaHotspots:
    from esda import G_Local, Moran, Moran_Local

    n_all = len(y_all)
    stat = np.full(n_all, np.nan)
    z = np.full(n_all, np.nan)
    p = np.full(n_all, np.nan)
    p_sim = np.full(n_all, np.nan)
    bins = np.zeros(n_all, dtype=int)
    labels = np.full(n_all, LISA_LABELS[0] if method == "local_moran" else GI_LABELS[0], dtype=object)
    if method == "gi_star":
        w.transform = "B"
        g = G_Local(y, w, transform="B", permutations=permutations, star=True, seed=seed, n_jobs=1,
                    keep_simulations=False)
        stat[keep], z[keep] = g.Gs, g.Zs
        p_sim[keep] = _exact_pseudo_p(g.p_sim, permutations)
        # the decision p: the pseudo p, never below the one-sided normal p of z, so that p and z cannot
        # disagree (skewed counts give cold spots with pseudo p 0.002 and z -0.8: not "Cold spot 99%")
        zk = np.where(np.isfinite(g.Zs), g.Zs, 0.0)  # no z (every unit neighbours all): no direction
        p[keep] = np.maximum(p_sim[keep], norm.sf(np.abs(zk)))
        bins[keep] = gi_bins(p[keep], zk, alpha=alpha, correction=correction)
        labels[keep] = [GI_LABELS[int(v)] for v in bins[keep]]
        threshold = _thresholds(p[keep], (alpha,), correction)[alpha]
    else:
        w.transform = "R"
        lm = Moran_Local(y, w, transformation="r", permutations=permutations, seed=seed, n_jobs=1,
                         keep_simulations=True)
        stat[keep], z[keep] = lm.Is, lm.z_sim
        p_sim[keep] = p[keep] = _exact_pseudo_p(lm.p_sim, permutations)
        threshold = _thresholds(p[keep], (alpha,), correction)[alpha]
        q = np.where(p[keep] <= threshold, lm.q, 0)
        bins[keep] = q
        labels[keep] = [LISA_LABELS[int(v)] for v in q]
    w.transform = "R"
    if seed is not None:  # the global Moran's permutations: same seed as the local ones
        np.random.seed(seed)
    gm = Moran(y, w, transformation="r", permutations=permutations)
    labels[~has_value] = NO_DATA
    labels[island_pos] = ISLAND
    frame = pd.DataFrame({"unit_id": ids, "value": y_all, "statistic": stat, "z": z, "p": p, "p_sim": p_sim,
                          "label": labels, "bin": bins}, index=units.index)
    return AreaHotspots(frame=frame, method=method, weights=weights, permutations=permutations, alpha=alpha,
                        correction=correction, seed=seed, moran_i=float(gm.I), moran_p=float(gm.p_sim),
                        threshold=float(threshold),
                        islands=sorted(ids[island_pos].tolist()), no_data=sorted(ids[~has_value].tolist()))


def _exact_pseudo_p(p: np.ndarray, permutations: int) -> np.ndarray:
    """Pseudo p = (M+1)/(R+1) exactly (esda stores it in float32)."""
    return np.round(np.asarray(p, dtype="float64") * (permutations + 1)) / (permutations + 1)


def gi_bins(p: np.ndarray, z: np.ndarray, *, alpha: float, correction: str = "none") -> np.ndarray:
    """Gi* bins -3…3: significant when ``p`` is at most the corrected ``alpha``; the bin is the strictest
    of 99/95/90 % that ``p`` reaches, its sign the sign of ``z`` (0: not significant).

    Examples
    --------
    >>> gi_bins(np.array([0.001, 0.03, 0.08, 0.5]), np.array([3.1, -2.0, 1.5, 0.2]), alpha=0.05).tolist()
    [3, -2, 0, 0]
    >>> gi_bins(np.array([0.001, 0.03, 0.08, 0.5]), np.array([3.1, -2.0, 1.5, 0.2]), alpha=0.01).tolist()
    [3, 0, 0, 0]
    """
    p = np.asarray(p, dtype=float)
    th = _thresholds(p, (0.01, 0.05, 0.10, alpha), correction)
    sig = (p <= th[alpha]) & (np.asarray(z) != 0)
    level = np.where(p <= th[0.01], 3, np.where(p <= th[0.05], 2, np.where(p <= th[0.10], 1, 0)))
    return np.where(sig, level * np.sign(z).astype(int), 0).astype(int)



def indicator_hotspots(units: gpd.GeoDataFrame, column: str, *, per: str | None = None,
                       exclude_types: tuple[str, ...] = (), threshold: int = DEFAULT_THRESHOLD, smoothing: str = "none",
                       multiplier: float = 1000.0, **params) -> tuple[Any, AreaHotspots, pd.DataFrame]:
    """Compute an indicator and its hot/cold spots; return a table safe to show or export.

    The statistics use the indicator's values with withheld units left out (and A/D
    units when asked): a withheld unit is "No data" here as on every map. Computing
    Gi* or local Moran *with* a withheld count and publishing the statistics of its
    neighbours would give the count back: from the G* values of a hot-spot CSV a
    reviewer recovered all 271 withheld point counts of the MEL units exactly
    (``tests/test_hotspots.py::test_withheld_counts_cannot_be_recovered_from_statistics``).

    Returns
    -------
    indicator, AreaHotspots, DataFrame
        The table has the columns ``unit_id, value, statistic, z, p, label, p_sim`` (+ ``withheld``).
    """
    ind = compute_indicator(units, column, per=per, exclude_types=exclude_types, threshold=threshold,
                            smoothing=smoothing, multiplier=multiplier)
    vals = ind.raw.where(~(ind.excluded | ind.withheld))
    res = area_hotspots(units, vals, **params)
    # why an untested unit has no class: withheld first (as on the Explore map), then A/D left out
    res.frame.loc[ind.excluded.to_numpy(bool) & ~ind.withheld.to_numpy(bool), "label"] = LEFT_OUT
    res.frame.loc[ind.withheld.to_numpy(bool), "label"] = WITHHELD
    table = res.frame[["unit_id", "value", "statistic", "z", "p", "label", "p_sim"]].copy()
    table["value"] = table["value"].where(~ind.withheld.to_numpy())
    table["withheld"] = ind.withheld.to_numpy()
    return ind, res, table
