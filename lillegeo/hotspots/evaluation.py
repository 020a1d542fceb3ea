"""Hotspot evaluation and sensitivity: hit rate, PAI and RRI of hotspots chosen on one period and
scored on the next, method comparison, and the stability of hot spots and point clusters under
neighbouring parameters (Jaccard overlap)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..indicators import aggregate_points
from ..params import DEFAULT_THRESHOLD, ClusterParams, EvaluationParams, HotspotParams
from .area import Correction, Method, area_hotspots
from .density import heat_surface
from .points import Algorithm, filter_points, point_clusters

__all__ = ["hit_rate_pai", "hotspot_areas", "METHODS", "evaluate_methods", "compare_methods", "jaccard", "sensitivity", "study_area",
           "cluster_sensitivity", "EVALUATION_FORMULAS"]

#: The methods compared by default.
METHODS = ("dbscan", "hdbscan", "gi_star", "local_moran", "kde")

EVALUATION_FORMULAS = ("hit rate = n / N (share of the period's incidents inside the hotspots); "
                       "PAI = (n / N) / (a / A) (hit rate divided by the share of the study area covered); "
                       "RRI = PAI(period 2) / PAI(period 1) = (n2 / n1) / (N2 / N1) for hotspots chosen in period 1.")


def hit_rate_pai(hot_area: Any, points_xy: np.ndarray, study_area: float) -> dict[str, float]:
    """Hit rate n/N and PAI (n/N)/(a/A) of a hotspot area for a set of points.

    A point on the hotspot's boundary counts as inside (``shapely.intersects_xy``, i.e. *covers*):
    the corners and edges of an outline drawn around incidents are incidents.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> r = hit_rate_pai(box(0, 0, 1, 1), np.array([[0.5, 0.5], [0.2, 0.2], [5, 5], [6, 6]]), 100.0)
    >>> r["hit_rate"], r["pai"]
    (0.5, 50.0)
    >>> hit_rate_pai(box(0, 0, 1, 1), np.array([[0, 0], [1, 0.5], [2, 2]]), 100.0)["n"]  # corner and edge
    2
    """
    N = len(points_xy)
    if hot_area is None or hot_area.is_empty or N == 0:
        return {"n": 0, "N": N, "a": 0.0, "A": study_area, "hit_rate": 0.0, "pai": np.nan}
    shapely.prepare(hot_area)
    n = int(shapely.intersects_xy(hot_area, points_xy[:, 0], points_xy[:, 1]).sum())  # boundary included
    a = float(hot_area.area)
    hr = n / N
    return {"n": n, "N": N, "a": a, "A": study_area, "hit_rate": hr,
            "pai": hr / (a / study_area) if a > 0 else np.nan}


def _withhold_hits(r: dict[str, Any], threshold: int) -> dict[str, Any]:
    """``r`` with n, hit rate and PAI withheld (NaN) when n or N - n is a count from 1 to threshold - 1,
    and N too when the period itself holds from 1 to threshold - 1 incidents (zero is shown as zero)."""
    if 0 < r["N"] < threshold:
        return {**r, "n": np.nan, "N": np.nan, "hit_rate": np.nan, "pai": np.nan}
    if 0 < r["n"] < threshold or 0 < r["N"] - r["n"] < threshold:
        return {**r, "n": np.nan, "hit_rate": np.nan, "pai": np.nan}
    return r


def evaluate_methods(areas: dict[str, Any], period1: gpd.GeoDataFrame, period2: gpd.GeoDataFrame,
                     study_area: float, *, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Hit rate, PAI and RRI of hotspot areas chosen on period 1, applied to period 2, side by side.

    RRI (recapture rate index) = PAI in period 2 / PAI in period 1 = (n2/n1)/(N2/N1).
    Disclosure: when the incidents inside (n) or outside (N - n) the hotspots of a period number
    from 1 to ``threshold - 1``, that period's n, hit rate and PAI (and the RRI) are withheld (NaN);
    so is N when the period holds from 1 to ``threshold - 1`` incidents.
    """
    p1 = shapely.get_coordinates(period1.geometry.values)
    p2 = shapely.get_coordinates(period2.geometry.values)
    rows = []
    for name, area in areas.items():
        r1 = hit_rate_pai(area, p1, study_area)
        r2 = hit_rate_pai(area, p2, study_area)
        rri = r2["pai"] / r1["pai"] if r1["pai"] and np.isfinite(r1["pai"]) and r1["pai"] > 0 else np.nan
        r1, r2 = _withhold_hits(r1, threshold), _withhold_hits(r2, threshold)
        if not (np.isfinite(r1["pai"]) and np.isfinite(r2["pai"])):
            rri = np.nan
        rows.append({"method": name, "area_share": r1["a"] / study_area if study_area else np.nan,
                     "n1": r1["n"], "N1": r1["N"], "hit_rate_1": r1["hit_rate"], "pai_1": r1["pai"],
                     "n2": r2["n"], "N2": r2["N"], "hit_rate_2": r2["hit_rate"], "pai_2": r2["pai"], "rri": rri})
    return pd.DataFrame(rows)


def jaccard(a: set, b: set) -> float:
    """|A ∩ B| / |A ∪ B| (1.0 when both are empty).

    Examples
    --------
    >>> jaccard({1, 2, 3}, {2, 3, 4})
    0.5
    """
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def sensitivity(units: gpd.GeoDataFrame, values: pd.Series | str, *, method: Method = "gi_star",
                weights: str = "queen", permutations: int = HotspotParams.permutations,
                alpha: float = HotspotParams.alpha,
                correction: Correction = "none", seed: int | None = 0,
                variants: list[dict] | None = None) -> pd.DataFrame:
    """How stable are the hot spots under neighbouring parameters?

    Each variant changes one parameter of the baseline; the table gives the
    number of hot units and the Jaccard overlap of the hot units with the baseline.
    """
    base_kw = dict(method=method, weights=weights, permutations=permutations, alpha=alpha,
                   correction=correction, seed=seed)
    base = area_hotspots(units, values, **base_kw)
    base_hot = set(base.frame.loc[base.hot(), "unit_id"])
    if variants is None:
        variants = [{"alpha": a} for a in (0.01, 0.10) if a != alpha]
        variants += [{"weights": x} for x in ("queen", "rook", "knn:6", "distance:1500") if x != weights]
        variants += [{"permutations": 99 if permutations != 99 else 999}, {"seed": (seed or 0) + 1}]
        variants += [{"correction": "fdr" if correction != "fdr" else "none"}]
        variants += [{"method": "local_moran" if method == "gi_star" else "gi_star"}]
    rows = [{"variant": "baseline", "hot_units": len(base_hot), "jaccard": 1.0}]
    for v in variants:
        kw = {**base_kw, **v}
        try:
            r = area_hotspots(units, values, **kw)
        except ValueError as exc:
            rows.append({"variant": ", ".join(f"{k}={val}" for k, val in v.items()), "hot_units": np.nan,
                         "jaccard": np.nan, "note": str(exc)})
            continue
        hot = set(r.frame.loc[r.hot(), "unit_id"])
        rows.append({"variant": ", ".join(f"{k}={val}" for k, val in v.items()), "hot_units": len(hot),
                     "jaccard": round(jaccard(base_hot, hot), 3)})
    return pd.DataFrame(rows)


def study_area(units: gpd.GeoDataFrame) -> float:
    """Area of the study region (union of the units), m²."""
    return float(shapely.union_all(np.asarray(units.geometry.values)).area)


def _plain(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``points`` without ``attrs`` (a shallow copy): pandas deep-copies ``attrs`` (the readers' row
    maps) on every selection, which took half of an evaluation's time on the demo."""
    out = points.copy(deep=False)  # one deep copy of attrs here, none on the selections that follow
    out.attrs = {}
    return out


def hotspot_areas(units: gpd.GeoDataFrame, points: gpd.GeoDataFrame, *, eps_m: float = ClusterParams.eps_m,
                  min_samples: int = ClusterParams.min_samples, weights: str = HotspotParams.weights,
                  permutations: int = HotspotParams.permutations, alpha: float = EvaluationParams.alpha,
                  kde_bandwidth_m: float = ClusterParams.bandwidth_m, kde_cell_m: float = ClusterParams.cell_m,
                  kde_share: float = EvaluationParams.kde_share, seed: int | None = 0,
                  methods: tuple[str, ...] = METHODS, threshold: int = DEFAULT_THRESHOLD,
                  study: float | None = None) -> dict[str, Any]:
    """The hotspot area (one geometry) each method chooses on ``points``, keyed by a readable name.

    The counts per unit are aggregated once for both area methods (the weights are cached by
    :func:`lillegeo.weights.build_weights`); the heat surface is binned (:func:`heat_surface`
    with ``exact=False``): only its densest cells are used.
    """
    A = study_area(units) if study is None else study
    areas: dict[str, Any] = {}
    counts = None
    for mth in methods:
        if mth in ("dbscan", "hdbscan", "optics"):
            pc = point_clusters(points, algorithm=mth, eps_m=eps_m, min_samples=min_samples, seed=seed,
                                threshold=threshold)
            areas[f"{mth} (r={eps_m:g} m, min={min_samples})"] = shapely.union_all(np.asarray(pc.hulls.geometry.values))
        elif mth in ("gi_star", "local_moran"):
            if counts is None:
                counts = aggregate_points(points, units, name="n")[0]["n"].to_numpy()
            res = area_hotspots(units, counts, method=mth, weights=weights, permutations=permutations, alpha=alpha,
                                seed=seed)
            hot = res.hot().to_numpy()
            areas[f"{mth} ({weights}, alpha={alpha:g})"] = shapely.union_all(np.asarray(units.geometry.values)[hot])
        elif mth == "kde":
            hs = heat_surface(points, bandwidth_m=kde_bandwidth_m, cell_m=kde_cell_m, bounds=tuple(units.total_bounds),
                              threshold=threshold, exact=False)
            cells = hs.cells(hs.top_share_mask(kde_share * A / (hs.density.size * hs.cell_m ** 2)))
            areas[f"kde (bw={kde_bandwidth_m:g} m, top {kde_share:.0%})"] = shapely.coverage_union_all(
                np.asarray(cells.geometry.values))
        else:
            raise ValueError(f"unknown method {mth!r}; use dbscan, hdbscan, optics, gi_star, local_moran or kde")
    return areas


def compare_methods(units: gpd.GeoDataFrame, points: gpd.GeoDataFrame, *, period1: tuple[Any, Any],
                    period2: tuple[Any, Any], threshold: int = DEFAULT_THRESHOLD, **options: Any) -> pd.DataFrame:
    """Choose hotspots on period 1 with each method and score them on period 2 (hit rate, PAI, RRI).

    Area methods test incident **counts** per unit in period 1; point methods
    use the generalised cluster outlines; ``kde`` takes the densest ``kde_share`` of the study area.
    Periods are ``(start, end)`` with ``end`` exclusive. ``options`` are those of
    :func:`hotspot_areas` (radius, minimum incidents, weights, permutations, alpha, heat bandwidth,
    cell and share, seed, methods). Small hit counts are withheld (see :func:`evaluate_methods`).
    """
    points = _plain(points)
    p1 = filter_points(points, start=period1[0], end=period1[1])
    p2 = filter_points(points, start=period2[0], end=period2[1])
    if len(p1) == 0 or len(p2) == 0:
        raise ValueError(f"no incidents in period 1 ({len(p1)}) or period 2 ({len(p2)}); check the dates")
    A = study_area(units)
    areas = hotspot_areas(units, p1, threshold=threshold, study=A, **options)
    return evaluate_methods(areas, p1, p2, A, threshold=threshold)


def cluster_sensitivity(points: gpd.GeoDataFrame, *, algorithm: Algorithm = "dbscan",
                        eps_m: float = ClusterParams.eps_m, min_samples: int = ClusterParams.min_samples, factors: tuple[float, ...] = (0.75, 1.25)) -> pd.DataFrame:
    """How stable are point clusters when the radius and the minimum size change?

    Each variant scales ``eps_m`` or ``min_samples`` by a factor; the table gives
    the number of clusters, the share of incidents in a cluster, and the
    Jaccard overlap of the clustered incidents with the baseline.
    """
    base = point_clusters(points, algorithm=algorithm, eps_m=eps_m, min_samples=min_samples)
    base_set = set(np.flatnonzero(base.labels >= 0))
    rows = [{"variant": "baseline", "clusters": base.n_clusters,
             "clustered_share": round(len(base_set) / max(base.n_points, 1), 3), "jaccard": 1.0}]
    for f in factors:
        for name, kw in ((f"radius x{f:g} ({eps_m * f:.0f} m)", {"eps_m": eps_m * f, "min_samples": min_samples}),
                         (f"min incidents x{f:g} ({max(2, round(min_samples * f))})",
                          {"eps_m": eps_m, "min_samples": max(2, int(round(min_samples * f)))})):
            r = point_clusters(points, algorithm=algorithm, **kw)
            s = set(np.flatnonzero(r.labels >= 0))
            rows.append({"variant": name, "clusters": r.n_clusters,
                         "clustered_share": round(len(s) / max(r.n_points, 1), 3),
                         "jaccard": round(jaccard(base_set, s), 3)})
    return pd.DataFrame(rows)
