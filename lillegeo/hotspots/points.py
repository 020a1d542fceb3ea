"""Point clusters (scikit-learn DBSCAN, HDBSCAN, OPTICS) with withheld small clusters and
generalised outlines (:mod:`lillegeo.generalise`), and the period/category filter of incidents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..generalise import (OUTLINE_CLEARANCE_M, OUTLINE_GRID_M, OUTLINE_MIN_BUFFER_M, dominant_categories,
                          generalised_outline, month_bounds, outline_buffer, safe_point)
from ..fmt import fmt_int
from ..i18n import t
from ..params import DEFAULT_THRESHOLD, ClusterParams
from ..params import check_cost

__all__ = ["PointClusters", "filter_points", "dbscan_labels", "point_clusters", "DBSCAN_EXACT_LIMIT"]

Algorithm = Literal["dbscan", "hdbscan", "optics"]


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
            return t("count.fewer", lang, threshold=self.threshold) if 0 < v < self.threshold else fmt_int(v, lang)

        return t("hot.clusters_summary", lang, k=fmt_int(self.n_clusters, lang), noise=count(self.n_noise), n=count(self.n_points))

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
    eps_m: float = ClusterParams.eps_m,
    min_samples: int = ClusterParams.min_samples,
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
