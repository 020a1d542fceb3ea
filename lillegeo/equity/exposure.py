"""People-weighted exposure of a group to a burden, representation of a group in hotspots, and
the area-based groups (units in an overlay or in the top quantile of a share) they can compare."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from ..params import EquityParams, check_cost

__all__ = ["group_columns", "ExposureResult", "exposure_ratio", "representation", "area_groups", "overlay_share",
           "top_quantile", "DEFAULT_BAND"]

DEFAULT_BAND = (0.8, 1.25)


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
                   population: str | None = None, bootstrap: int = EquityParams.bootstrap, seed: int | None = 0,
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
                   bootstrap: int = EquityParams.bootstrap, seed: int | None = 0, ci: float = 0.95) -> dict[str, Any]:
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
