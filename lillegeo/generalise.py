"""Disclosure control for point analyses: generalised cluster outlines, safe cluster attributes and
the heat-surface mask (DOMAIN.md, "Statistical disclosure").

What a cluster may show
-----------------------
* **Outline** (:func:`generalised_outline`): never a hull through incidents. The cluster's incidents
  are first reduced to the 25 m grid cells they fall in; the outline is the convex hull of those
  cells, buffered by ``buffer_m`` (at least 25 m) and its vertices snapped to the 25 m grid. It is a
  function of the occupied cells only, so it cannot place an incident more precisely than its 25 m
  cell. Every vertex is then checked against *all* incidents of the layer (KD-tree): none may lie
  within ``OUTLINE_CLEARANCE_M`` (2 m) of one. When an incident sits near a grid node (e.g. data
  geocoded on a grid) the whole grid is shifted by one of 15 other fixed offsets (steps of 6.25 m);
  if every offset has a blocked vertex, the blocked vertices of the best offset move to the nearest
  clear point of a 2.5 m sub-grid within 5 m; failing that the outline is not drawn. Whatever is
  returned has been verified: a valid polygon that contains every incident of its cluster and
  whose every vertex is at least 2 m from every incident given.
* **Dominant categories** (:func:`dominant_categories`): only categories with at least
  ``threshold`` incidents, shares rounded to the percent; the rest is folded into "other", and
  when "other" would be a count from 1 to ``threshold - 1`` the smallest listed category is folded
  in too (secondary suppression: a small count must not be found by difference).
* **First and last month** (:func:`month_bounds`): the month ("2023-05"), never the timestamp, and
  only when at least ``threshold`` incidents of the cluster fall in that month.

The heat surface (:func:`heat_mask`): a cell is coloured only when at least ``threshold``
incidents lie within its neighbourhood of the kernel's bandwidth.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["OUTLINE_GRID_M", "OUTLINE_MIN_BUFFER_M", "OUTLINE_CLEARANCE_M", "outline_buffer",
           "generalised_outline", "safe_point", "dominant_categories", "month_bounds", "heat_mask", "box_sums"]

#: Grid the outlines are built on and snapped to (metres).
OUTLINE_GRID_M = 25.0
#: Smallest distance the outline keeps around the cluster's grid cells (metres).
OUTLINE_MIN_BUFFER_M = 25.0
#: No drawn vertex lies closer than this to any incident (metres; display rounding moves < 1 m).
OUTLINE_CLEARANCE_M = 2.0
#: Grid offsets tried in turn, first the cell centres of the plain 25 m grid.
_OFFSETS = tuple(((12.5 + 6.25 * i) % 25.0, (12.5 + 6.25 * j) % 25.0) for i in range(4) for j in range(4))
#: Last resort for a blocked vertex: the nearest clear point of a 2.5 m sub-grid within 5 m.
_NUDGES = sorted(((2.5 * i, 2.5 * j) for i in range(-2, 3) for j in range(-2, 3)
                  if 0 < i * i + j * j <= 4), key=lambda d: (d[0] ** 2 + d[1] ** 2, d))


def outline_buffer(eps_m: float) -> float:
    """Buffer of the outlines for a search radius: ``max(25, eps_m / 2)`` metres."""
    return max(OUTLINE_MIN_BUFFER_M, float(eps_m) / 2.0)


def _clear(tree, xy: np.ndarray, clearance: float) -> np.ndarray:
    """True where no incident of ``tree`` lies within ``clearance`` of the point."""
    if len(xy) == 0:
        return np.ones(0, dtype=bool)
    d, _ = tree.query(xy, k=1, distance_upper_bound=clearance)
    return ~(d < clearance)


def _outline_on_grid(cxy: np.ndarray, buffer_m: float, ox: float, oy: float, g: float):
    """Hull of the occupied cells of a grid of ``g`` metres with origin (ox, oy), buffered, snapped."""
    origin = np.array([ox, oy])
    cells = np.unique(np.floor((cxy - origin) / g).astype(np.int64), axis=0)
    corners = (cells[:, None, :] + np.array([[0, 0], [1, 0], [0, 1], [1, 1]])[None]).reshape(-1, 2)
    corners = np.unique(corners, axis=0).astype(float) * g  # grid frame: multiples of g, exact
    poly = shapely.buffer(shapely.convex_hull(shapely.multipoints(corners)), buffer_m, quad_segs=2)
    poly = shapely.simplify(shapely.set_precision(poly, g), 0.0)  # grid nodes only, collinear ones dropped
    return shapely.transform(poly, lambda c: c + origin)


def _verified(poly, cxy: np.ndarray, tree, clearance: float) -> bool:
    if poly is None or poly.is_empty or poly.geom_type != "Polygon" or not poly.is_valid:
        return False
    if not _clear(tree, shapely.get_coordinates(poly), clearance).all():
        return False
    return bool(shapely.contains_xy(poly, cxy[:, 0], cxy[:, 1]).all())


def _nudged(poly, tree, clearance: float):
    """``poly`` with each blocked vertex moved to the nearest clear sub-grid point within 5 m (or None)."""
    xy = shapely.get_coordinates(poly)
    ok = _clear(tree, xy, clearance)
    moves: dict[tuple[float, float], np.ndarray] = {}
    for v in map(tuple, xy[~ok]):
        if v in moves:
            continue
        cand = np.asarray(v) + np.asarray(_NUDGES)
        good = np.flatnonzero(_clear(tree, cand, clearance))
        if not len(good):
            return None
        moves[v] = cand[good[0]]
    out = xy.copy()
    for i in np.flatnonzero(~ok):
        out[i] = moves[tuple(xy[i])]
    return shapely.transform(poly, lambda c: out)


def generalised_outline(cxy: np.ndarray, tree, *, buffer_m: float, clearance: float = OUTLINE_CLEARANCE_M,
                        grid_m: float = OUTLINE_GRID_M):
    """The outline of one cluster (see the module docstring), or ``None`` when none can be verified.

    Parameters
    ----------
    cxy : ndarray (n, 2)
        The cluster's incidents, metres.
    tree : scipy.spatial.cKDTree
        Every incident of the layer (the clearance is checked against all of them).
    buffer_m : float
        Buffer around the occupied cells (at least ``OUTLINE_MIN_BUFFER_M``).

    Examples
    --------
    >>> from scipy.spatial import cKDTree
    >>> pts = np.array([[0.0, 0.0], [25.0, 0.0], [0.0, 25.0], [25.0, 25.0]])  # incidents on grid nodes
    >>> poly = generalised_outline(pts, cKDTree(pts), buffer_m=25)
    >>> bool(cKDTree(pts).query(shapely.get_coordinates(poly))[0].min() >= 2)
    True
    """
    if buffer_m < OUTLINE_MIN_BUFFER_M:
        raise ValueError(f"buffer_m must be at least {OUTLINE_MIN_BUFFER_M:g} m; got {buffer_m}")
    best, best_blocked = None, None
    for ox, oy in _OFFSETS:
        poly = _outline_on_grid(cxy, buffer_m, ox, oy, grid_m)
        if _verified(poly, cxy, tree, clearance):
            return poly
        blocked = int((~_clear(tree, shapely.get_coordinates(poly), clearance)).sum())
        if best is None or blocked < best_blocked:
            best, best_blocked = poly, blocked
    if best is not None and best.geom_type == "Polygon":
        poly = _nudged(best, tree, clearance)
        if _verified(poly, cxy, tree, clearance):
            return poly
    return None


def safe_point(x: float, y: float, tree, *, clearance: float = OUTLINE_CLEARANCE_M,
               grid_m: float = OUTLINE_GRID_M) -> tuple[float, float]:
    """A label point near (x, y): the nearest node of the 25 m grid (offset 12.5 m), or a neighbouring
    node when an incident lies within ``clearance`` of it; (nan, nan) when none is clear."""
    o = 12.5 % grid_m
    cx, cy = np.round((x - o) / grid_m) * grid_m + o, np.round((y - o) / grid_m) * grid_m + o
    cand = np.array([[cx + i * grid_m, cy + j * grid_m] for i, j in
                     sorted(((i, j) for i in (-1, 0, 1) for j in (-1, 0, 1)), key=lambda d: (d[0] ** 2 + d[1] ** 2, d))])
    good = np.flatnonzero(_clear(tree, cand, clearance))
    return (float(cand[good[0], 0]), float(cand[good[0], 1])) if len(good) else (np.nan, np.nan)


def dominant_categories(counts: np.ndarray, names: list[str], n: int, threshold: int, top: int = 3) -> str:
    """Up to ``top`` categories with at least ``threshold`` incidents, with rounded shares, then "other".

    ``counts`` are the cluster's incidents per category (``names``), ``n`` its incidents (those
    without a category included). A category under the threshold is never listed; "other" (``n``
    minus the listed ones) is never a count from 1 to ``threshold - 1``: the smallest listed
    category is folded into it instead. Empty when nothing can be listed.

    Examples
    --------
    >>> dominant_categories(np.array([60, 25, 8, 7]), ["vol", "vandalisme", "rixe", "autre"], 100, 11)
    'vol 60%, vandalisme 25%, other 15%'
    >>> dominant_categories(np.array([60, 30, 5, 5]), ["vol", "vandalisme", "rixe", "autre"], 100, 11)  # other 10
    'vol 60%, other 40%'
    >>> dominant_categories(np.array([40, 12, 3]), ["vol", "vandalisme", "rixe"], 55, 11)  # other 3 < 11
    'vol 73%, other 27%'
    """
    counts = np.asarray(counts, dtype=np.int64)
    order = sorted(range(len(counts)), key=lambda k: (-counts[k], str(names[k])))
    listed = [k for k in order[:top] if counts[k] >= threshold]
    while listed and 0 < n - int(counts[listed].sum()) < threshold:
        listed.pop()
    if not listed or n <= 0:
        return ""
    other = n - int(counts[listed].sum())
    parts = [f"{names[k]} {counts[k] / n:.0%}" for k in listed]
    if other > 0:
        parts.append(f"other {other / n:.0%}")
    return ", ".join(parts)


def month_bounds(months: np.ndarray, threshold: int) -> tuple[str | None, str | None]:
    """First and last month ("YYYY-MM") of a cluster, each only when at least ``threshold`` of its
    incidents fall in that month (``None`` otherwise). ``months`` = year * 12 + month - 1, NaN unknown.

    Examples
    --------
    >>> month_bounds(np.array([2023 * 12 + 4] * 11 + [2024 * 12] * 3, dtype=float), 11)
    ('2023-05', None)
    """
    m = np.asarray(months, dtype=float)
    m = m[np.isfinite(m)].astype(np.int64)
    if not len(m):
        return None, None

    def fmt(v: int) -> str:
        return f"{v // 12:04d}-{v % 12 + 1:02d}"

    lo, hi = int(m.min()), int(m.max())
    return (fmt(lo) if (m == lo).sum() >= threshold else None, fmt(hi) if (m == hi).sum() >= threshold else None)


def box_sums(grid: np.ndarray, k: int) -> np.ndarray:
    """Sum of ``grid`` over the (2k+1) x (2k+1) window around every cell (zeros outside), by a
    summed-area table (exact integer sums, any k)."""
    ny, nx = grid.shape
    s = np.zeros((ny + 1, nx + 1), dtype=np.int64)
    s[1:, 1:] = np.cumsum(np.cumsum(grid.astype(np.int64), axis=0), axis=1)
    r0 = np.clip(np.arange(ny) - k, 0, ny)
    r1 = np.clip(np.arange(ny) + k + 1, 0, ny)
    c0 = np.clip(np.arange(nx) - k, 0, nx)
    c1 = np.clip(np.arange(nx) + k + 1, 0, nx)
    return s[np.ix_(r1, c1)] - s[np.ix_(r0, c1)] - s[np.ix_(r1, c0)] + s[np.ix_(r0, c0)]


def heat_mask(xy: np.ndarray, minx: float, maxy: float, nx: int, ny: int, cell_m: float, bandwidth_m: float,
              threshold: int) -> np.ndarray:
    """Cells of a heat surface to withhold: fewer than ``threshold`` incidents within the square of
    ``ceil(bandwidth / cell)`` cells around the cell (rows from north to south). Incidents outside
    the grid are not counted (more cells withheld, never fewer)."""
    ix = np.floor((xy[:, 0] - minx) / cell_m).astype(np.int64)
    iy = np.floor((maxy - xy[:, 1]) / cell_m).astype(np.int64)
    ok = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
    grid = np.zeros((ny, nx), dtype=np.int64)
    np.add.at(grid, (iy[ok], ix[ok]), 1)
    k = int(np.ceil(bandwidth_m / cell_m))
    return box_sums(grid, k) < threshold
