"""The design of a programme evaluation: which units are treated, which form the displacement buffer,
which are the control, and when each treated unit starts.

Roles are ``treated``, ``buffer``, ``control`` (:data:`~lillegeo.programme.types.ROLES`) and
``excluded`` (units in no role: A/D activity units left out of the control, or a matched design's
unmatched units). Distances are in metres in the units' CRS (Lambert-93 after the readers).

Examples
--------
>>> from lillegeo import load_demo
>>> from lillegeo.params import ProgrammeParams
>>> ds = load_demo()
>>> code = ds.units["unit_id"].iloc[0]
>>> roles, starts, areas = design(ds.units, ProgrammeParams(treated=(code,), start="2023-07-01", buffer_rings=1))
>>> int((roles == "treated").sum()), str(starts[code].date()), areas[code]
(1, '2023-07-01', '2023-07-01')
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sklearn.neighbors import NearestNeighbors

from ..params import ProgrammeParams
from ..weights import build_weights
from .errors import ProgrammeError

__all__ = ["design", "parse_treated", "units_inside", "match_controls", "AD_TYPES", "MOSTLY"]

#: IRIS types left out of the control (activity and miscellaneous units: few residents, other dynamics).
AD_TYPES = ("A", "D")
#: A unit is "inside" a polygon (a priority neighbourhood, an uploaded area) when more than this share of
#: its area is.
MOSTLY = 0.5

_ENTRY = re.compile(r"^\s*([^@\s]+)\s*(?:@\s*(\d{4}-\d{2}-\d{2}))?\s*$")


def _date(text: str, what: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
    except (ValueError, TypeError):
        raise ProgrammeError("programme.err.not_date", what=what, text=str(text)) from None


def parse_treated(entries, start: str, known) -> dict[str, pd.Timestamp]:
    """Treated unit codes (``CODE`` or ``CODE@YYYY-MM-DD``) -> start date; unknown codes refused.

    >>> parse_treated(["a", "b@2024-01-01"], "2023-07-01", ["a", "b", "c"])["b"]
    Timestamp('2024-01-01 00:00:00')
    """
    known = set(map(str, known))
    out: dict[str, pd.Timestamp] = {}
    unknown: list[str] = []
    for entry in entries:
        m = _ENTRY.match(str(entry))
        if not m:
            raise ProgrammeError("programme.err.bad_entry", entry=str(entry))
        code, day = m.group(1), m.group(2)
        if code not in known:
            unknown.append(code)
            continue
        if day:
            out[code] = _date(day, f"start of {code}")
        elif start:
            out[code] = _date(start, "start")
        else:
            raise ProgrammeError("programme.err.no_start", code=code)
    if unknown:
        examples = ", ".join(sorted(known)[:5])
        raise ProgrammeError("programme.err.unknown", n=len(unknown), codes=", ".join(unknown[:10]),
                             examples=examples)
    return out


def units_inside(units: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, *, share: float = MOSTLY,
                 id_column: str = "unit_id") -> list[str]:
    """Codes of the units whose area is mostly (more than ``share``) inside ``polygons``.

    Used for the priority neighbourhoods (QPV) and for an uploaded polygon. Both layers must be in
    the same CRS (the readers give EPSG:2154); nothing is reprojected here.

    >>> from shapely.geometry import box
    >>> u = gpd.GeoDataFrame({"unit_id": ["a", "b"]}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=2154)
    >>> units_inside(u, gpd.GeoDataFrame(geometry=[box(0, 0, 14, 10)], crs=2154))
    ['a']
    """
    if not isinstance(polygons, gpd.GeoDataFrame):
        raise TypeError(f"the treated area must be a GeoDataFrame of polygons, got {type(polygons).__name__}")
    if polygons.empty:
        raise ValueError("the treated area has no polygon")
    if (polygons.crs is None) != (units.crs is None) or (polygons.crs is not None and not polygons.crs.equals(units.crs)):
        raise ValueError(f"the treated area ({polygons.crs}) and the units ({units.crs}) are in different CRS; "
                         "read the area with lillegeo's readers (EPSG:2154)")
    geoms = polygons.geometry.values
    kinds = set(shapely.get_type_id(geoms).tolist())
    if not kinds <= {3, 6}:
        raise ValueError("the treated area must be polygons (points or lines have no area)")
    area = shapely.union_all(shapely.make_valid(geoms))
    inside = shapely.area(shapely.intersection(units.geometry.values, area))
    total = shapely.area(units.geometry.values)
    keep = inside > share * np.where(total > 0, total, np.inf)
    return units.loc[keep, id_column].astype(str).tolist()


def _rings(units: gpd.GeoDataFrame, treated: np.ndarray, k: int) -> np.ndarray:
    """Positions within ``k`` steps of queen contiguity (libpysal) of a treated position, not treated."""
    adj = build_weights(units, "queen").sparse.tocsr()
    seen = treated.copy()
    frontier = treated.copy()
    for _ in range(k):
        nxt = (adj @ frontier.astype(np.int8)) > 0
        frontier = nxt & ~seen
        seen |= frontier
    return seen & ~treated


def _nearest_area(geoms, target_geoms, target_labels: np.ndarray) -> np.ndarray:
    """For each geometry, the label of the nearest target geometry (ties: the first target)."""
    tree = shapely.STRtree(target_geoms)
    pairs = tree.query_nearest(geoms, all_matches=False)
    out = np.empty(len(geoms), dtype=object)
    out[pairs[0]] = target_labels[pairs[1]]
    return out


def _areas(units: gpd.GeoDataFrame, treated_pos: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Area label of each treated position: its start date; treated units of one start that do not touch
    each other form separate areas (``2023-07-01 #1``, ``#2``) ordered by their first unit code."""
    labels = np.empty(len(treated_pos), dtype=object)
    geoms = units.geometry.values[treated_pos]
    codes = units["unit_id"].astype(str).to_numpy()[treated_pos]
    for day in np.unique(starts):
        idx = np.flatnonzero(starts == day)
        sub = geoms[idx]
        parent = list(range(len(idx)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i
        left, right = shapely.STRtree(sub).query(sub, predicate="intersects")
        for a, b in zip(left.tolist(), right.tolist()):
            parent[find(a)] = find(b)
        roots = [find(i) for i in range(len(idx))]
        first = {r: min(codes[idx][np.array(roots) == r]) for r in set(roots)}
        order = sorted(first, key=first.get)
        name = f"{pd.Timestamp(day):%Y-%m-%d}"
        for i, r in enumerate(roots):
            labels[idx[i]] = name if len(order) == 1 else f"{name} #{order.index(r) + 1}"
    return labels


def match_controls(roles: pd.Series, counts: pd.DataFrame, start: pd.Timestamp, n_matched: int, *,
                   population: pd.Series | None = None) -> pd.Series:
    """Keep as control the ``n_matched`` candidates nearest the treated units; the others become ``excluded``.

    What is matched: for every unit, its mean count per period before ``start`` (level), the slope of a
    straight line through its pre-period counts (trend, per period) and, when given, its population;
    each standardised over treated and candidate units (z-scores). A candidate's distance is the
    Euclidean distance to the nearest treated unit (scikit-learn ``NearestNeighbors``); the
    ``n_matched`` nearest are kept (ties by unit code).

    ``counts``: one row per unit (index: unit code), one column per period (first day), counts.
    """
    pre = counts.loc[:, [c for c in counts.columns if pd.Timestamp(c) < start]]
    if pre.shape[1] < 2:
        raise ProgrammeError("programme.err.matching_pre", start=f"{start:%Y-%m-%d}", n=int(pre.shape[1]))
    x = np.arange(pre.shape[1], dtype=float)
    y = pre.to_numpy(float)
    level = y.mean(axis=1)
    slope = ((x - x.mean()) * (y - level[:, None])).sum(axis=1) / ((x - x.mean()) ** 2).sum()
    feats = [level, slope]
    if population is not None:
        feats.append(pd.to_numeric(population.reindex(pre.index), errors="coerce").fillna(0).to_numpy(float))
    f = np.column_stack(feats)
    sd = f.std(axis=0)
    f = (f - f.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    codes = pre.index.astype(str)
    r = roles.reindex(codes)
    treated, cand = (r == "treated").to_numpy(), (r == "control").to_numpy()
    if not treated.any() or not cand.any():
        raise ProgrammeError("programme.err.matching_none")
    dist, _ = NearestNeighbors(n_neighbors=1).fit(f[treated]).kneighbors(f[cand])
    order = np.lexsort((codes[cand], dist[:, 0]))
    keep = set(codes[cand][order[:n_matched]])
    out = roles.copy()
    out[(out == "control") & ~out.index.isin(keep)] = "excluded"
    return out


def design(units: gpd.GeoDataFrame, params: ProgrammeParams, *, qpv: gpd.GeoDataFrame | None = None,
           hotspot_units=None, counts: pd.DataFrame | None = None,
           population: pd.Series | None = None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Roles, starts and areas of every unit (indexed by unit code).

    Treated: ``params.treated`` (``treated_from="units"``), the units mostly inside a priority
    neighbourhood of ``qpv`` (``"qpv"``) or ``hotspot_units`` (``"hotspots"``: the codes the Hotspots
    page finds hot, passed by the caller). Buffer: units any part of which lies less than
    ``buffer_m`` metres from the treated area, or within ``buffer_rings`` rings of queen contiguity;
    never treated; each buffer unit belongs to the area (and start) of its nearest treated unit.
    Control: the other units except A/D activity units; with ``control="matched"`` only the
    ``n_matched`` nearest on pre-period level, trend and population (:func:`match_controls`, which
    needs ``counts``: units x periods).

    Returns
    -------
    roles : Series of str (``treated``, ``buffer``, ``control``, ``excluded``)
    starts : Series of Timestamp (NaT for control and excluded units)
    areas : Series of str ('' for control and excluded units)
    """
    if not isinstance(units, gpd.GeoDataFrame) or "unit_id" not in units.columns:
        raise TypeError("units must be a GeoDataFrame with a unit_id column (read with lillegeo.read_units)")
    if units.crs is not None and units.crs.is_geographic:
        raise ValueError("units are in longitude/latitude; read them with lillegeo.read_units (EPSG:2154) so that "
                         "the buffer is in metres")
    if params.buffer_m > 0 and params.buffer_rings > 0:
        raise ProgrammeError("programme.err.both_buffers", buffer_m=params.buffer_m, buffer_rings=params.buffer_rings)
    codes = units["unit_id"].astype(str).to_numpy()
    if params.treated_from == "units":
        start_of = parse_treated(params.treated, params.start, codes)
    else:
        if params.treated_from == "qpv":
            if qpv is None or len(qpv) == 0:
                raise ProgrammeError("programme.err.no_qpv")
            picked = units_inside(units, qpv)
        else:
            picked = [str(c) for c in (hotspot_units if hotspot_units is not None else [])]
        if not picked:
            raise ProgrammeError("programme.err.empty_selection", source=params.treated_from)
        start_of = parse_treated(picked, params.start, codes)
    if not start_of:
        raise ProgrammeError("programme.err.no_treated")
    treated = np.isin(codes, list(start_of))
    tstarts = np.array([start_of[c] for c in codes[treated]], dtype="datetime64[ns]")
    labels = _areas(units, np.flatnonzero(treated), tstarts)
    geoms = units.geometry.values
    if params.buffer_rings > 0:
        buffer = _rings(units, treated, params.buffer_rings)
    elif params.buffer_m > 0:
        area = shapely.union_all(geoms[treated])
        buffer = (shapely.distance(geoms, area) < params.buffer_m) & ~treated
    else:
        buffer = np.zeros(len(units), bool)
    ad = units["unit_type"].astype(str).isin(AD_TYPES).to_numpy() if "unit_type" in units else np.zeros(len(units), bool)
    role = np.where(treated, "treated", np.where(buffer, "buffer", np.where(ad, "excluded", "control")))
    area_lab = np.full(len(units), "", dtype=object)
    area_lab[treated] = labels
    start = np.full(len(units), np.datetime64("NaT"), dtype="datetime64[ns]")
    start[treated] = tstarts
    if buffer.any():
        near = _nearest_area(geoms[buffer], geoms[treated], np.arange(int(treated.sum())))
        tpos = np.flatnonzero(treated)[near.astype(int)]
        area_lab[buffer] = area_lab[tpos]
        start[buffer] = start[tpos]
    idx = pd.Index(codes, name="unit")
    roles = pd.Series(role, index=idx, name="role")
    if params.control == "matched":
        if counts is None:
            raise ValueError("control = 'matched' needs the units' counts per period (run_programme passes them)")
        roles = match_controls(roles, counts, pd.Timestamp(tstarts.min()), params.n_matched, population=population)
    return roles, pd.Series(start, index=idx, name="start"), pd.Series(area_lab, index=idx, name="area")
