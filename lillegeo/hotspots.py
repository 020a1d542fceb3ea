"""Hotspots: spatial weights, area hot/cold spots (Gi*, local Moran), point clusters, heat surfaces,
typologies, hotspot evaluation (hit rate, PAI, RRI) and sensitivity.

Statistics come from the libraries that define them: ``libpysal`` (weights),
``esda`` (``G_Local``, ``Moran_Local``, ``Moran``, ``fdr``) and scikit-learn
(``DBSCAN``, ``HDBSCAN``, ``OPTICS``, ``KernelDensity``, ``KMeans``,
``AgglomerativeClustering``).  This module turns their codes into readable
labels and keeps every parameter (weights, permutations, seed, alpha,
correction) with the result.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .generalise import (OUTLINE_CLEARANCE_M, OUTLINE_GRID_M, OUTLINE_MIN_BUFFER_M, dominant_categories,
                         generalised_outline, heat_mask, month_bounds, outline_buffer, safe_point)
from .i18n import t
from .indicators import DEFAULT_THRESHOLD
from .params import check_cost

__all__ = [
    "build_weights", "AreaHotspots", "area_hotspots", "PointClusters", "point_clusters", "HeatSurface",
    "heat_surface", "Typology", "typology", "hit_rate_pai", "evaluate_methods", "sensitivity",
    "GI_LABELS", "LISA_LABELS", "jaccard", "filter_points", "indicator_hotspots", "compare_methods",
    "study_area", "cluster_sensitivity", "HOT_COLORS", "LISA_COLORS", "TYPE_COLORS", "EVALUATION_FORMULAS",
]

Method = Literal["gi_star", "local_moran"]
Correction = Literal["none", "fdr", "bonferroni"]
Algorithm = Literal["dbscan", "hdbscan", "optics"]

GI_LABELS = {3: "Hot spot 99%", 2: "Hot spot 95%", 1: "Hot spot 90%", 0: "Not significant",
             -1: "Cold spot 90%", -2: "Cold spot 95%", -3: "Cold spot 99%"}
#: esda Moran_Local quadrants: 1 HH, 2 LH, 3 LL, 4 HL
LISA_LABELS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low", 0: "Not significant"}
NO_DATA = "No data"
ISLAND = "No neighbours (island)"


@contextlib.contextmanager
def _seeded(seed: int | None):
    """Run code that uses NumPy's global generator (esda) with ``seed``, then restore the caller's state."""
    state = np.random.get_state()
    if seed is not None:
        np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


# ----------------------------------------------------------------------------- weights

def build_weights(units: gpd.GeoDataFrame, spec: str = "queen"):
    """Spatial weights on units, with positional ids ``0..n-1``.

    Parameters
    ----------
    units : GeoDataFrame
        Polygons in a projected CRS (metres) or planar units.
    spec : str
        ``"queen"``, ``"rook"``, ``"knn:K"`` (K nearest centroids) or
        ``"distance:METRES"`` (centroids within a distance band, binary).

    Returns
    -------
    libpysal.weights.W
        Not yet transformed (binary).  ``w.islands`` lists positions without neighbours.

    Examples
    --------
    >>> from lillegeo import load_demo
    >>> w = build_weights(load_demo().units, "knn:6")
    >>> w.n > 300, w.islands
    (True, [])
    """
    import libpysal

    if not isinstance(units, gpd.GeoDataFrame):
        raise TypeError(f"units must be a GeoDataFrame, got {type(units).__name__}")
    if units.crs is not None and units.crs.is_geographic:
        raise ValueError("units are in longitude/latitude; read them with lillegeo.read_units (EPSG:2154) "
                         "so that distances are in metres")
    df = units[["geometry"]].reset_index(drop=True)
    spec = str(spec).strip().lower()
    from .fastgeo import geometry_digest, queen_adjacency

    key = (geometry_digest(df.geometry.values), spec)
    if key in _WEIGHTS_CACHE:  # same geometry, same spec: rebuilt from the cached sparse matrix (0.2 s)
        w = libpysal.weights.WSP(_WEIGHTS_CACHE[key]).to_W(silence_warnings=True)
        w.id_order = list(range(len(df)))
        return w
    if spec == "queen":
        # libpysal's vertex rule, vectorised (lillegeo.fastgeo; equal neighbours, tested)
        w = libpysal.weights.WSP(queen_adjacency(df.geometry.values)).to_W(silence_warnings=True)
    elif spec == "rook":
        w = libpysal.weights.Rook.from_dataframe(df, use_index=False, silence_warnings=True)
    elif spec.startswith(("knn:", "distance:")):
        kind, _, arg = spec.partition(":")
        try:
            val = float(arg)
        except ValueError:
            raise ValueError(f"weights {spec!r}: the number after ':' is not a number; e.g. 'knn:6' or "
                             "'distance:800'") from None
        pts = shapely.get_coordinates(df.geometry.centroid.values)
        if kind == "knn":
            k = int(val)
            if k < 1 or k >= len(df):
                raise ValueError(f"weights 'knn:{k}': K must be between 1 and {len(df) - 1}")
            w = libpysal.weights.KNN(pts, k=k, ids=list(range(len(df))))
        else:
            if val <= 0:
                raise ValueError(f"weights 'distance:{arg}': the distance band must be positive (metres)")
            w = libpysal.weights.DistanceBand(pts, threshold=val, binary=True, ids=list(range(len(df))),
                                              silence_warnings=True)
    else:
        raise ValueError(f"weights must be 'queen', 'rook', 'knn:K' or 'distance:METRES'; got {spec!r}")
    w.id_order = list(range(len(df)))
    if len(_WEIGHTS_CACHE) >= 8:
        _WEIGHTS_CACHE.pop(next(iter(_WEIGHTS_CACHE)))
    _WEIGHTS_CACHE[key] = w.sparse.copy()
    return w


#: Binary weights already built, keyed on (geometry digest, spec): reruns and other methods on the
#: same units reuse them (an app rerun, the indicator's spatial smoothing then Gi* on the same map).
_WEIGHTS_CACHE: dict[tuple[str, str], object] = {}


def _subset_weights(w, keep: np.ndarray):
    """Weights restricted to positions ``keep`` and renumbered ``0..m-1``."""
    import libpysal

    pos = {old: new for new, old in enumerate(keep)}
    neigh, wts = {}, {}
    for old in keep:
        nb = [(pos[j], x) for j, x in zip(w.neighbors[old], w.weights[old]) if j in pos]
        neigh[pos[old]] = [j for j, _ in nb]
        wts[pos[old]] = [x for _, x in nb]
    sub = libpysal.weights.W(neigh, wts, silence_warnings=True, id_order=list(range(len(keep))))
    return sub


# ----------------------------------------------------------------------------- area hot/cold spots

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

    @property
    def counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.frame["label"].value_counts().items()}

    def hot(self) -> pd.Series:
        """Boolean: units in a hot spot (Gi* hot bins at the chosen alpha, or local Moran High-High)."""
        if self.method == "gi_star":
            return self.frame["bin"].isin(_bins_for_alpha(self.alpha))
        return self.frame["label"] == LISA_LABELS[1]

    def summary(self) -> dict[str, Any]:
        return {"method": self.method, "n": int(len(self.frame)), "weights": self.weights,
                "permutations": self.permutations, "alpha": self.alpha, "correction": self.correction,
                "seed": self.seed, "moran_i": float(self.moran_i), "moran_p": float(self.moran_p),
                "islands": len(self.islands), "no_data": len(self.no_data), "labels": self.counts}


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
    permutations: int = 999,
    alpha: float = 0.05,
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
        Significance for local Moran.  Gi* units are binned at 0.01/0.05/0.10
        (ArcGIS style, all shown); :meth:`AreaHotspots.hot` counts the bins at
        or below ``alpha``.
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
    from esda import G_Local, Moran, Moran_Local

    if method not in ("gi_star", "local_moran"):
        raise ValueError(f"method must be 'gi_star' or 'local_moran'; got {method!r}")
    if correction not in ("none", "fdr", "bonferroni"):
        raise ValueError(f"correction must be 'none', 'fdr' or 'bonferroni'; got {correction!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1; got {alpha}")
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
        keep2 = np.array([i for i in range(len(keep)) if i not in islands_local])
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

    n_all = len(y_all)
    stat = np.full(n_all, np.nan)
    z = np.full(n_all, np.nan)
    p = np.full(n_all, np.nan)
    bins = np.zeros(n_all, dtype=int)
    labels = np.full(n_all, LISA_LABELS[0] if method == "local_moran" else GI_LABELS[0], dtype=object)
    if method == "gi_star":
        w.transform = "B"
        g = G_Local(y, w, transform="B", permutations=permutations, star=True, seed=seed, n_jobs=1,
                    keep_simulations=False)
        stat[keep], z[keep], p[keep] = g.Gs, g.Zs, g.p_sim
        th = _thresholds(g.p_sim, (0.01, 0.05, 0.10), correction)
        b = np.zeros(len(keep), dtype=int)
        for level, k in ((0.10, 1), (0.05, 2), (0.01, 3)):  # ArcGIS-style bins, all three shown
            sig = g.p_sim <= th[level]
            b[sig] = k * np.sign(g.Zs[sig]).astype(int)
        bins[keep] = b
        labels[keep] = [GI_LABELS[int(v)] for v in b]
    else:
        w.transform = "R"
        lm = Moran_Local(y, w, transformation="r", permutations=permutations, seed=seed, n_jobs=1,
                         keep_simulations=True)
        stat[keep], z[keep], p[keep] = lm.Is, lm.z_sim, lm.p_sim
        th = _thresholds(lm.p_sim, (alpha,), correction)[alpha]
        q = np.where(lm.p_sim <= th, lm.q, 0)
        bins[keep] = q
        labels[keep] = [LISA_LABELS[int(v)] for v in q]
    w.transform = "R"
    with _seeded(seed):
        gm = Moran(y, w, transformation="r", permutations=permutations)
    labels[~has_value] = NO_DATA
    labels[island_pos] = ISLAND
    # pseudo p = (M+1)/(R+1) exactly; esda stores it in float32
    p = np.round(p.astype("float64") * (permutations + 1)) / (permutations + 1)
    frame = pd.DataFrame({"unit_id": ids, "value": y_all, "statistic": stat, "z": z, "p": p,
                          "label": labels, "bin": bins}, index=units.index)
    return AreaHotspots(frame=frame, method=method, weights=weights, permutations=permutations, alpha=alpha,
                        correction=correction, seed=seed, moran_i=float(gm.I), moran_p=float(gm.p_sim),
                        islands=sorted(ids[island_pos].tolist()), no_data=sorted(ids[~has_value].tolist()))


def _bins_for_alpha(alpha: float) -> list[int]:
    """Gi* bins counted as significant at ``alpha`` (0.10 -> 1,2,3; 0.05 -> 2,3; 0.01 -> 3)."""
    return [k for level, k in ((0.10, 1), (0.05, 2), (0.01, 3)) if level <= alpha + 1e-12]


# ----------------------------------------------------------------------------- point clusters

@dataclass
class PointClusters:
    """Density clusters of points (noise label -1) with a per-cluster table and generalised outlines.

    Only clusters of at least ``threshold`` incidents are kept: ``labels``, ``table`` and ``hulls``
    hold those (numbered ``0..k-1``); the incidents of the ``n_withheld`` smaller clusters carry the
    noise label -1. ``hulls`` are generalised outlines, never hulls through incidents (see
    :func:`point_clusters`).
    """

    labels: np.ndarray
    table: pd.DataFrame
    hulls: gpd.GeoDataFrame
    algorithm: str
    eps_m: float
    min_samples: int
    seed: int | None
    n_points: int
    notes: list[str] = field(default_factory=list)
    threshold: int = DEFAULT_THRESHOLD
    n_withheld: int = 0
    buffer_m: float = OUTLINE_MIN_BUFFER_M

    @property
    def n_clusters(self) -> int:
        return int(len(self.table))

    @property
    def n_noise(self) -> int:
        return int((self.labels == -1).sum())

    def withheld_note(self, lang: str = "en") -> str:
        """"N clusters under T incidents withheld ..." in ``lang`` ('' when none was)."""
        if not self.n_withheld:
            return ""
        return t("hot.clusters_withheld", lang, n=self.n_withheld, threshold=self.threshold)

    def summary_text(self, lang: str = "en") -> str:
        """"k clusters; noise of n incidents are noise", each count of 1 to threshold-1 written as
        "fewer than 11" (a narrow filter must not publish the few incidents left outside a cluster)."""
        def count(v: int) -> str:
            return t("count.fewer", lang, threshold=self.threshold) if 0 < v < self.threshold else f"{v:,}"

        return t("hot.clusters_summary", lang, k=self.n_clusters, noise=count(self.n_noise), n=count(self.n_points))

    def summary(self) -> dict[str, Any]:
        return {"algorithm": self.algorithm, "n_points": self.n_points, "n_clusters": self.n_clusters,
                "n_noise": self.n_noise, "n_withheld": self.n_withheld, "threshold": self.threshold,
                "eps_m": self.eps_m, "min_samples": self.min_samples, "seed": self.seed,
                "outline_buffer_m": self.buffer_m, "outline_grid_m": OUTLINE_GRID_M, "notes": list(self.notes)}


def filter_points(points: gpd.GeoDataFrame, *, categories: list[str] | None = None,
                  start: Any = None, end: Any = None) -> gpd.GeoDataFrame:
    """Points of some categories and in a period (``start`` inclusive, ``end`` exclusive)."""
    out = points
    if categories:
        if "category" not in out.columns:
            raise ValueError("the points have no category column; read them with category=")
        out = out[out["category"].isin(categories)]
    if start is not None or end is not None:
        if "date" not in out.columns:
            raise ValueError("the points have no date column; read them with date=")
        d = pd.to_datetime(out["date"])
        mask = pd.Series(True, index=out.index)
        if start is not None:
            mask &= d >= pd.Timestamp(start)
        if end is not None:
            mask &= d < pd.Timestamp(end)
        out = out[mask]
    return out


#: Above this many points DBSCAN runs on locations merged on a grid of a tenth of the radius.
DBSCAN_EXACT_LIMIT = 300_000


def dbscan_labels(xy: np.ndarray, eps_m: float, min_samples: int,
                  exact_limit: int = DBSCAN_EXACT_LIMIT) -> tuple[np.ndarray, str]:
    """DBSCAN labels (scikit-learn, kd-tree); large inputs on grid-merged locations with weights.

    Up to ``exact_limit`` points: exact DBSCAN. Beyond, the points are merged on a square grid of
    ``eps_m / 10`` (15 m for a 150 m radius, below the precision of geocoded incident addresses)
    and DBSCAN runs on the occupied cells' centres with their counts as ``sample_weight``: the
    neighbour lists that make exact DBSCAN need ~6 GiB for a million clustered incidents shrink to
    the cells, and each point takes its cell's label. Agreement with exact DBSCAN is tested
    (adjusted Rand index on the demo).

    Returns (labels, note); the note says when the grid was used.
    """
    from sklearn.cluster import DBSCAN

    if len(xy) <= exact_limit:
        return DBSCAN(eps=eps_m, min_samples=min_samples, algorithm="kd_tree").fit_predict(xy), ""
    g = eps_m / 10.0
    cells = np.floor((xy - xy.min(axis=0)) / g).astype(np.int64)
    key = cells[:, 0] * (int(cells[:, 1].max()) + 1) + cells[:, 1]
    uniq, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    first = np.zeros(len(uniq), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(key))[::-1]
    centres = (cells[first] + 0.5) * g + xy.min(axis=0)
    lab = DBSCAN(eps=eps_m, min_samples=min_samples, algorithm="kd_tree").fit_predict(centres, sample_weight=counts)
    return lab[inverse], (f"{len(xy):,} incidents: locations merged on a {g:g} m grid ({len(uniq):,} occupied "
                          f"cells) before DBSCAN, each incident weighted (exact DBSCAN up to {exact_limit:,})")


def point_clusters(
    points: gpd.GeoDataFrame,
    *,
    algorithm: Algorithm = "dbscan",
    eps_m: float = 150.0,
    min_samples: int = 30,
    seed: int | None = 0,
    threshold: int = DEFAULT_THRESHOLD,
    keep_clear_of: gpd.GeoDataFrame | None = None,
) -> PointClusters:
    """Cluster points by density, in projected metres, with tree-based neighbour search.

    What comes out is safe to show and export (DOMAIN.md, "Statistical disclosure"; the rules are
    in :mod:`lillegeo.generalise`):

    * clusters of fewer than ``threshold`` incidents are withheld: not in the table, not drawn;
      their incidents get the noise label -1 and only their number is reported (``n_withheld``);
    * outlines are generalised: the convex hull of the 25 m grid cells holding the cluster's
      incidents, buffered by ``max(25, eps_m / 2)`` m, vertices snapped to the 25 m grid and checked
      to lie at least 2 m from every incident of ``points``. No vertex is an incident location, and
      an outline cannot place an incident more precisely than its 25 m cell. Every incident of a
      cluster lies inside its outline;
    * area and density are those of the generalised outline (larger than the hull of the incidents);
    * ``x``, ``y``: a node of the 25 m grid near the outline's centroid (not the mean of the incidents);
    * dominant categories list only categories of at least ``threshold`` incidents (shares rounded,
      the rest as "other", never a small remainder); first and last are months ("2023-05"), shown
      only when at least ``threshold`` incidents fall in that month.

    Parameters
    ----------
    points : GeoDataFrame
        Points in EPSG:2154 (or planar metres).
    algorithm : {"dbscan", "hdbscan", "optics"}
        ``dbscan``: clusters of at least ``min_samples`` incidents within
        ``eps_m`` of each other.  ``hdbscan``: variable-density clusters of at
        least ``min_samples`` incidents, merging clusters closer than ``eps_m``.
        ``optics``: OPTICS ordering with DBSCAN extraction at ``eps_m``.
    eps_m : float
        Search radius in metres.
    min_samples : int
        Minimum incidents per cluster core.
    seed : int
        Recorded (the three algorithms are deterministic).
    threshold : int
        Disclosure threshold: smaller clusters, categories and months are withheld (default 11).
    keep_clear_of : GeoDataFrame, optional
        More incidents that outline vertices and label points keep 2 m away from, e.g. the whole
        layer when ``points`` is a filtered part of it (categories, years).

    Returns
    -------
    PointClusters
        Per cluster: incidents, outline area (m²), density (incidents per km² of the outline),
        dominant categories, first and last month.

    Examples
    --------
    >>> from lillegeo import load_demo
    >>> pc = point_clusters(load_demo().points["incidents"], eps_m=120, min_samples=60)
    >>> pc.n_clusters >= 6, int(pc.table["incidents"].min()) >= 11
    (True, True)
    """
    from scipy.spatial import cKDTree
    from sklearn.cluster import DBSCAN, HDBSCAN, OPTICS

    if algorithm not in ("dbscan", "hdbscan", "optics"):
        raise ValueError(f"algorithm must be 'dbscan', 'hdbscan' or 'optics'; got {algorithm!r}")
    if eps_m <= 0:
        raise ValueError(f"eps_m (search radius in metres) must be positive; got {eps_m}")
    if min_samples < 2:
        raise ValueError(f"min_samples must be at least 2; got {min_samples}")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 1:
        raise ValueError(f"threshold must be a whole number of at least 1 (default {DEFAULT_THRESHOLD}); "
                         f"got {threshold!r}")
    if points.crs is not None and points.crs.is_geographic:
        raise ValueError("points are in longitude/latitude; read them with lillegeo.read_points (EPSG:2154)")
    xy = shapely.get_coordinates(points.geometry.values)
    notes: list[str] = []
    if len(xy) != len(points):
        raise ValueError("every point needs exactly one coordinate pair (no empty or multi-points)")
    if algorithm != "dbscan" or len(xy) <= DBSCAN_EXACT_LIMIT:  # beyond, DBSCAN runs on grid cells
        check_cost("dbscan", xy=xy, eps_m=float(eps_m))
    if len(xy) == 0:
        labels = np.array([], dtype=int)
    elif algorithm == "dbscan":
        labels, note = dbscan_labels(xy, eps_m, min_samples)
        notes += [note] if note else []
    elif algorithm == "hdbscan":
        try:
            labels = HDBSCAN(min_cluster_size=min_samples, min_samples=min_samples, cluster_selection_epsilon=eps_m,
                             algorithm="kd_tree", copy=True).fit_predict(xy)
        except TypeError:
            # scikit-learn issue #33219: cluster_selection_epsilon fails under NumPy 2 on some trees
            # (fix pending upstream, PR #34243); run without the epsilon merge and say so.
            labels = HDBSCAN(min_cluster_size=min_samples, min_samples=min_samples, algorithm="kd_tree",
                             copy=True).fit_predict(xy)
            notes.append("HDBSCAN ran without merging clusters closer than the search radius "
                         "(scikit-learn issue #33219 with NumPy 2)")
    else:
        labels = OPTICS(min_samples=min_samples, max_eps=eps_m, cluster_method="dbscan", eps=eps_m,
                        algorithm="kd_tree").fit_predict(xy)
    labels = np.asarray(labels, dtype=int)
    # withhold the small clusters, number the others 0..k-1 (in the algorithm's order)
    found, sizes = np.unique(labels[labels >= 0], return_counts=True)
    kept = found[sizes >= threshold]
    n_withheld = int(len(found) - len(kept))
    renumber = np.full(int(labels.max()) + 2 if len(labels) else 1, -1, dtype=int)
    renumber[kept] = np.arange(len(kept))
    labels = renumber[labels]  # -1 stays -1 (last slot)
    buffer_m = outline_buffer(eps_m)
    if keep_clear_of is not None and len(keep_clear_of):
        tree = cKDTree(np.vstack([xy, shapely.get_coordinates(keep_clear_of.geometry.values)])) if len(kept) else None
    else:
        tree = cKDTree(xy) if len(kept) else None
    cat_codes, cat_names = (pd.factorize(points["category"], use_na_sentinel=True)
                            if "category" in points.columns else (None, None))
    if "date" in points.columns:
        d = pd.to_datetime(points["date"], errors="coerce")
        months = (d.dt.year * 12 + d.dt.month - 1).to_numpy(dtype=float)
    else:
        months = None
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(len(kept) + 1))
    rows, hulls, no_outline = [], [], 0
    for c in range(len(kept)):
        idx = order[bounds[c]:bounds[c + 1]]
        cxy = xy[idx]
        outline = generalised_outline(cxy, tree, buffer_m=buffer_m)
        if outline is None:
            no_outline += 1
            area, (cx, cy) = np.nan, safe_point(*cxy.mean(axis=0), tree)
        else:
            area = float(outline.area)
            cx, cy = safe_point(*shapely.get_coordinates(outline.centroid)[0], tree)
            hulls.append((c, len(idx), outline))
        row = {"cluster": c, "incidents": len(idx), "area_m2": round(area, -2) if np.isfinite(area) else np.nan,
               "density_per_km2": round(len(idx) / (area / 1e6), 1) if area > 0 else np.nan, "x": cx, "y": cy}
        if cat_codes is not None:
            cc = cat_codes[idx]
            counts = np.bincount(cc[cc >= 0], minlength=len(cat_names))
            row["dominant_categories"] = dominant_categories(counts, [str(v) for v in cat_names], len(idx), threshold)
        if months is not None:
            row["first"], row["last"] = month_bounds(months[idx], threshold)
        rows.append(row)
    if no_outline:
        notes.append(f"{no_outline} cluster outline(s) not drawn: no generalised outline keeps every vertex "
                     f"{OUTLINE_CLEARANCE_M:g} m away from the incidents")
    has_cat, has_date = cat_codes is not None, months is not None
    table = pd.DataFrame(rows, columns=["cluster", "incidents", "area_m2", "density_per_km2", "x", "y"]
                         + (["dominant_categories"] if has_cat else []) + (["first", "last"] if has_date else []))
    table = table.sort_values(["incidents", "cluster"], ascending=[False, True]).reset_index(drop=True)
    hull_gdf = gpd.GeoDataFrame({"cluster": [h[0] for h in hulls], "incidents": [h[1] for h in hulls]},
                                geometry=[h[2] for h in hulls], crs=points.crs)
    return PointClusters(labels=labels, table=table, hulls=hull_gdf, algorithm=algorithm, eps_m=float(eps_m),
                         min_samples=int(min_samples), seed=seed, n_points=len(xy), notes=notes,
                         threshold=int(threshold), n_withheld=n_withheld, buffer_m=buffer_m)


# ----------------------------------------------------------------------------- heat surface

@dataclass
class HeatSurface:
    """Kernel density on a grid: ``density`` in incidents per km² (rows from north to south).

    ``density`` is 0 in the ``withheld`` cells: those with fewer than ``threshold`` incidents within
    a bandwidth of them (:func:`lillegeo.generalise.heat_mask`), so that a coloured cell never
    stands for fewer incidents than the disclosure threshold.
    """

    density: np.ndarray
    bounds: tuple[float, float, float, float]
    cell_m: float
    bandwidth_m: float
    crs: Any
    threshold: int = DEFAULT_THRESHOLD
    withheld: np.ndarray | None = None

    def top_share_mask(self, share: float) -> np.ndarray:
        """Cells forming the densest ``share`` of the grid's area."""
        thr = np.quantile(self.density, 1 - share)
        return self.density >= thr

    def cells(self, mask: np.ndarray | None = None) -> gpd.GeoDataFrame:
        """Grid cells (optionally only ``mask``) as polygons."""
        minx, miny, maxx, maxy = self.bounds
        ny, nx = self.density.shape
        rr, cc = np.nonzero(mask if mask is not None else np.ones_like(self.density, dtype=bool))
        x0 = minx + cc * self.cell_m
        y1 = maxy - rr * self.cell_m
        geoms = shapely.box(x0, y1 - self.cell_m, x0 + self.cell_m, y1)
        return gpd.GeoDataFrame({"density": self.density[rr, cc]}, geometry=geoms, crs=self.crs)


#: Points x cells above which the kernel density is computed by binning and Gaussian filtering.
EXACT_KDE_WORK = 5e9


def _binned_kde(xy, minx, maxy, nx, ny, cell_m, bandwidth_m, sub: int = 5) -> np.ndarray:
    """Binned Gaussian KDE (incidents per km² at the cell centres): points counted on a grid ``sub``
    times finer than the cells, smoothed with ``scipy.ndimage.gaussian_filter`` (the Gaussian kernel
    is separable), read at the cell centres. Points move by at most half a fine bin (10 m for 100 m
    cells): the error against the exact sum is tested (< 1 % of the peak on the demo)."""
    from scipy import ndimage

    fine = cell_m / sub
    ix = np.floor((xy[:, 0] - minx) / fine).astype(np.int64)
    iy = np.floor((maxy - xy[:, 1]) / fine).astype(np.int64)
    ok = (ix >= 0) & (ix < nx * sub) & (iy >= 0) & (iy < ny * sub)
    grid = np.zeros((ny * sub, nx * sub))
    np.add.at(grid, (iy[ok], ix[ok]), 1.0)
    sm = ndimage.gaussian_filter(grid, sigma=bandwidth_m / fine, mode="constant", truncate=4.0)
    centre = sub // 2
    return sm[centre::sub, centre::sub][:ny, :nx] / (fine * fine) * 1e6


#: Smallest heat-surface cell and bandwidth (metres): finer would draw single incidents.
HEAT_MIN_M = 25.0
#: Without ``bounds``, the heat grid's extent is rounded out to multiples of this (metres), so that
#: its edges never carry the coordinates of the outermost incidents.
HEAT_EXTENT_ROUND_M = 1000.0


def heat_surface(points: gpd.GeoDataFrame, *, bandwidth_m: float = 250.0, cell_m: float = 100.0,
                 bounds: tuple[float, float, float, float] | None = None, max_cells: int = 250_000,
                 threshold: int = DEFAULT_THRESHOLD) -> HeatSurface:
    """Gaussian kernel density of points on a grid (scikit-learn ``KernelDensity``, kd-tree; large
    inputs binned and filtered, see :func:`_binned_kde`).

    Disclosure: cells and bandwidth of at least 25 m; the grid starts at ``bounds`` (pass the units'
    ``total_bounds``), else at the points' extent plus three bandwidths rounded out to the kilometre;
    cells with fewer than ``threshold`` incidents within a bandwidth are set to 0 (``withheld``).

    Parameters
    ----------
    points : GeoDataFrame in metres.
    bandwidth_m : float
        Kernel bandwidth (standard deviation) in metres.
    cell_m : float
        Grid cell size in metres.
    bounds : tuple, optional
        Grid extent, e.g. the units' ``total_bounds`` (default: the points' extent plus three
        bandwidths, rounded out to multiples of 1 km).
    max_cells : int
        Refuse grids larger than this (raise ``cell_m`` instead).
    threshold : int
        Disclosure threshold (default 11).

    Returns
    -------
    HeatSurface
        Density in incidents per km² (integrates to the number of points outside withheld cells).
    """
    from sklearn.neighbors import KernelDensity

    if not (bandwidth_m >= HEAT_MIN_M and cell_m >= HEAT_MIN_M):
        raise ValueError(f"bandwidth_m and cell_m must be at least {HEAT_MIN_M:g} m (finer would show single "
                         f"incidents); got bandwidth_m={bandwidth_m:g}, cell_m={cell_m:g}: use larger cells")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 1:
        raise ValueError(f"threshold must be a whole number of at least 1; got {threshold!r}")
    xy = shapely.get_coordinates(points.geometry.values)
    if len(xy) == 0:
        raise ValueError("no points to smooth")
    if bounds is None:
        pad, r = 3 * bandwidth_m, HEAT_EXTENT_ROUND_M
        bounds = (np.floor((xy[:, 0].min() - pad) / r) * r, np.floor((xy[:, 1].min() - pad) / r) * r,
                  np.ceil((xy[:, 0].max() + pad) / r) * r, np.ceil((xy[:, 1].max() + pad) / r) * r)
    minx, miny, maxx, maxy = bounds
    nx = int(np.ceil((maxx - minx) / cell_m))
    ny = int(np.ceil((maxy - miny) / cell_m))
    if nx * ny > max_cells:
        raise ValueError(f"a {cell_m:g} m grid over this extent has {nx * ny:,} cells (limit {max_cells:,}); "
                         "use larger cells")
    if len(xy) * nx * ny <= EXACT_KDE_WORK:
        cx = minx + (np.arange(nx) + 0.5) * cell_m
        cy = maxy - (np.arange(ny) + 0.5) * cell_m
        gx, gy = np.meshgrid(cx, cy)
        kde = KernelDensity(bandwidth=bandwidth_m, kernel="gaussian", algorithm="kd_tree", rtol=1e-4).fit(xy)
        dens = np.exp(kde.score_samples(np.c_[gx.ravel(), gy.ravel()])).reshape(ny, nx) * len(xy) * 1e6
    else:
        dens = _binned_kde(xy, minx, maxy, nx, ny, cell_m, bandwidth_m)
    withheld = heat_mask(xy, minx, maxy, nx, ny, cell_m, bandwidth_m, int(threshold))
    return HeatSurface(density=np.where(withheld, 0.0, dens), bounds=(minx, maxy - ny * cell_m, minx + nx * cell_m, maxy),
                       cell_m=cell_m, bandwidth_m=bandwidth_m, crs=points.crs, threshold=int(threshold),
                       withheld=withheld)


# ----------------------------------------------------------------------------- typologies

@dataclass
class Typology:
    """Types of units from standardised indicators; label -1 where an indicator is missing."""

    labels: pd.Series
    profile: pd.DataFrame
    method: str
    k: int
    columns: list[str]
    seed: int | None


def typology(units: gpd.GeoDataFrame, columns: list[str], *, k: int = 5,
             method: Literal["kmeans", "constrained"] = "kmeans", weights: str = "queen",
             seed: int | None = 0, population: str | None = None) -> Typology:
    """Group units into ``k`` types on standardised indicators.

    ``kmeans``: scikit-learn ``KMeans`` (10 starts, seeded).  ``constrained``:
    Ward agglomerative clustering with a contiguity connectivity matrix
    (scikit-learn ``AgglomerativeClustering``), so that every type is made of
    neighbouring units.

    Returns
    -------
    Typology
        ``profile``: per type, the number of units, the population (when
        ``population`` is given) and the mean of each indicator.
    """
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.preprocessing import StandardScaler

    if not columns:
        raise ValueError("give at least one indicator column")
    missing = [c for c in columns if c not in units.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not found; columns are: {', '.join(map(str, units.columns))}")
    if method not in ("kmeans", "constrained"):
        raise ValueError(f"method must be 'kmeans' or 'constrained'; got {method!r}")
    X = units[columns].apply(pd.to_numeric, errors="coerce")
    ok = X.notna().all(axis=1).to_numpy()
    if ok.sum() < k:
        raise ValueError(f"only {int(ok.sum())} unit(s) have all indicators; need at least k={k}")
    Z = StandardScaler().fit_transform(X[ok].to_numpy(float))
    if method == "kmeans":
        lab = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(Z)
    else:
        w = build_weights(units[ok], weights)
        lab = AgglomerativeClustering(n_clusters=k, connectivity=w.sparse, linkage="ward").fit_predict(Z)
    labels = pd.Series(-1, index=units.index, dtype=int)
    labels[ok] = lab
    prof = X[ok].groupby(lab).mean()
    prof.insert(0, "units", pd.Series(lab).value_counts().sort_index().to_numpy())
    if population and population in units.columns:
        prof.insert(1, "population", units.loc[ok, population].groupby(lab).sum().round(0).to_numpy())
    prof.index.name = "type"
    return Typology(labels=labels, profile=prof.reset_index(), method=method, k=k, columns=list(columns), seed=seed)


# ----------------------------------------------------------------------------- evaluation

def hit_rate_pai(hot_area: Any, points_xy: np.ndarray, study_area: float) -> dict[str, float]:
    """Hit rate n/N and PAI (n/N)/(a/A) of a hotspot area for a set of points.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> r = hit_rate_pai(box(0, 0, 1, 1), np.array([[0.5, 0.5], [0.2, 0.2], [5, 5], [6, 6]]), 100.0)
    >>> r["hit_rate"], r["pai"]
    (0.5, 50.0)
    """
    N = len(points_xy)
    if hot_area is None or hot_area.is_empty or N == 0:
        return {"n": 0, "N": N, "a": 0.0, "A": study_area, "hit_rate": 0.0, "pai": np.nan}
    shapely.prepare(hot_area)
    n = int(shapely.contains_xy(hot_area, points_xy[:, 0], points_xy[:, 1]).sum())
    a = float(hot_area.area)
    hr = n / N
    return {"n": n, "N": N, "a": a, "A": study_area, "hit_rate": hr,
            "pai": hr / (a / study_area) if a > 0 else np.nan}


def _withhold_hits(r: dict[str, Any], threshold: int) -> dict[str, Any]:
    """``r`` with n, hit rate and PAI withheld (NaN) when n or N - n is a count from 1 to threshold - 1."""
    if 0 < r["n"] < threshold or 0 < r["N"] - r["n"] < threshold:
        return {**r, "n": np.nan, "hit_rate": np.nan, "pai": np.nan}
    return r


def evaluate_methods(areas: dict[str, Any], period1: gpd.GeoDataFrame, period2: gpd.GeoDataFrame,
                     study_area: float, *, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Hit rate, PAI and RRI of hotspot areas chosen on period 1, applied to period 2, side by side.

    RRI (recapture rate index) = PAI in period 2 / PAI in period 1 = (n2/n1)/(N2/N1).
    Disclosure: when the incidents inside (n) or outside (N - n) the hotspots of a period number
    from 1 to ``threshold - 1``, that period's n, hit rate and PAI (and the RRI) are withheld (NaN).
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
                weights: str = "queen", permutations: int = 999, alpha: float = 0.05,
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


# ----------------------------------------------------------------------------- one-call helpers (pages, CLI)

HOT_COLORS = {"Hot spot 99%": "#b2182b", "Hot spot 95%": "#ef8a62", "Hot spot 90%": "#fddbc7",
              "Not significant": "#f7f7f7", "Cold spot 90%": "#d1e5f0", "Cold spot 95%": "#67a9cf",
              "Cold spot 99%": "#2166ac", NO_DATA: "#ffffff", ISLAND: "#9e9e9e"}
LISA_COLORS = {"High-High": "#b2182b", "High-Low": "#ef8a62", "Low-High": "#67a9cf", "Low-Low": "#2166ac",
               "Not significant": "#f7f7f7", NO_DATA: "#ffffff", ISLAND: "#9e9e9e"}
TYPE_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
               "#1f78b4", "#b2df8a"]


def indicator_hotspots(units: gpd.GeoDataFrame, column: str, *, per: str | None = None,
                       exclude_types: tuple[str, ...] = (), threshold: int = 11, smoothing: str = "none",
                       **params) -> tuple[Any, AreaHotspots, pd.DataFrame]:
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
        The table has the columns ``unit_id, value, statistic, z, p, label`` (+ ``withheld``).
    """
    from .indicators import compute_indicator

    ind = compute_indicator(units, column, per=per, exclude_types=exclude_types, threshold=threshold,
                            smoothing=smoothing)
    vals = ind.raw.where(~(ind.excluded | ind.withheld))
    res = area_hotspots(units, vals, **params)
    table = res.frame[["unit_id", "value", "statistic", "z", "p", "label"]].copy()
    table["value"] = table["value"].where(~ind.withheld.to_numpy())
    table["withheld"] = ind.withheld.to_numpy()
    return ind, res, table


def study_area(units: gpd.GeoDataFrame) -> float:
    """Area of the study region (union of the units), m²."""
    return float(shapely.union_all(np.asarray(units.geometry.values)).area)


def compare_methods(units: gpd.GeoDataFrame, points: gpd.GeoDataFrame, *, period1: tuple[Any, Any],
                    period2: tuple[Any, Any], eps_m: float = 120.0, min_samples: int = 40,
                    weights: str = "queen", permutations: int = 499, alpha: float = 0.05,
                    kde_bandwidth_m: float = 250.0, kde_share: float = 0.05, seed: int | None = 0,
                    methods: tuple[str, ...] = ("dbscan", "hdbscan", "gi_star", "local_moran", "kde"),
                    threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Choose hotspots on period 1 with each method and score them on period 2 (hit rate, PAI, RRI).

    Area methods test incident **counts** per unit in period 1; point methods
    use the generalised cluster outlines; ``kde`` takes the densest ``kde_share`` of the study area.
    Periods are ``(start, end)`` with ``end`` exclusive. Small hit counts are withheld
    (see :func:`evaluate_methods`).
    """
    from .indicators import aggregate_points

    p1 = filter_points(points, start=period1[0], end=period1[1])
    p2 = filter_points(points, start=period2[0], end=period2[1])
    if len(p1) == 0 or len(p2) == 0:
        raise ValueError(f"no incidents in period 1 ({len(p1)}) or period 2 ({len(p2)}); check the dates")
    A = study_area(units)
    areas: dict[str, Any] = {}
    for mth in methods:
        if mth in ("dbscan", "hdbscan", "optics"):
            pc = point_clusters(p1, algorithm=mth, eps_m=eps_m, min_samples=min_samples, seed=seed,
                                threshold=threshold)
            areas[f"{mth} (r={eps_m:g} m, min={min_samples})"] = shapely.union_all(np.asarray(pc.hulls.geometry.values))
        elif mth in ("gi_star", "local_moran"):
            counts, _ = aggregate_points(p1, units, name="n")
            res = area_hotspots(units, counts["n"].to_numpy(), method=mth, weights=weights,
                                permutations=permutations, alpha=alpha, seed=seed)
            hot = res.hot().to_numpy()
            areas[f"{mth} ({weights}, alpha={alpha:g})"] = shapely.union_all(np.asarray(units.geometry.values)[hot])
        elif mth == "kde":
            hs = heat_surface(p1, bandwidth_m=kde_bandwidth_m, cell_m=100.0, bounds=tuple(units.total_bounds),
                              threshold=threshold)
            cells = hs.cells(hs.top_share_mask(kde_share * A / (hs.density.size * hs.cell_m ** 2)))
            areas[f"kde (bw={kde_bandwidth_m:g} m, top {kde_share:.0%})"] = shapely.union_all(
                np.asarray(cells.geometry.values))
        else:
            raise ValueError(f"unknown method {mth!r}; use dbscan, hdbscan, optics, gi_star, local_moran or kde")
    return evaluate_methods(areas, p1, p2, A, threshold=threshold)


EVALUATION_FORMULAS = ("hit rate = n / N (share of the period's incidents inside the hotspots); "
                       "PAI = (n / N) / (a / A) (hit rate divided by the share of the study area covered); "
                       "RRI = PAI(period 2) / PAI(period 1) = (n2 / n1) / (N2 / N1) for hotspots chosen in period 1.")


def cluster_sensitivity(points: gpd.GeoDataFrame, *, algorithm: Algorithm = "dbscan", eps_m: float = 120.0,
                        min_samples: int = 60, factors: tuple[float, ...] = (0.75, 1.25)) -> pd.DataFrame:
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
