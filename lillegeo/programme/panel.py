"""Points -> the long panel of programme evaluation (one row per unit and period; columns of
:mod:`lillegeo.programme.types`).

Points are put in units with :func:`lillegeo.indicators.aggregate_points` (the point-in-polygon count
every page uses: a point on a shared border counts once), counted per unit and month or quarter,
and zero-filled over every period from the first to the last in the data.

Examples
--------
>>> from lillegeo import load_demo
>>> from lillegeo.params import ProgrammeParams
>>> from lillegeo.programme.design import design
>>> ds = load_demo()
>>> roles, starts, areas = design(ds.units, ProgrammeParams(treated=(ds.units["unit_id"].iloc[0],),
...                                                          start="2023-07-01"))
>>> panel = build_panel(ds.points["incidents"], ds.units, roles, starts, areas)
>>> panel["period"].nunique(), int(panel["count"].sum()) <= len(ds.points["incidents"])
(36, True)
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ..hotspots import filter_points
from ..indicators import aggregate_points
from .errors import ProgrammeError
from .types import PANEL_COLUMNS, ROLES

__all__ = ["build_panel", "period_start", "periods_of", "check_panel_size", "MAX_UNIT_PERIODS", "wide_counts"]

#: Most unit-periods a panel may hold (48,600 IRIS x 36 months = 1.75 M fits; a panel beyond this is
#: refused before any work starts).
MAX_UNIT_PERIODS = 4_000_000
_FREQ = {"month": "MS", "quarter": "QS"}


def period_start(dates: pd.Series, period: str) -> pd.Series:
    """First day of the month or quarter of each date."""
    if period not in _FREQ:
        raise ValueError(f"period {period!r} is not allowed (allowed: month, quarter)")
    p = pd.to_datetime(dates).dt.to_period("M" if period == "month" else "Q")
    return p.dt.start_time


def periods_of(points: gpd.GeoDataFrame, period: str) -> pd.DatetimeIndex:
    """Every period from the first to the last date of ``points`` (the panel's zero-filled range)."""
    if "date" not in points.columns:
        raise ValueError("the points have no date column; read them with a date column to evaluate a programme")
    d = pd.to_datetime(points["date"]).dropna()
    if d.empty:
        raise ValueError("the points have no date: a programme evaluation counts events per period")
    first, last = period_start(pd.Series([d.min(), d.max()]), period)
    return pd.date_range(first, last, freq=_FREQ[period])


def check_panel_size(n_units: int, n_periods: int, *, limit: int = MAX_UNIT_PERIODS) -> None:
    """Refuse a panel of more than ``limit`` unit-periods before building it.

    >>> check_panel_size(48_600, 36)
    >>> check_panel_size(48_600, 120)
    Traceback (most recent call last):
    ...
    lillegeo.programme.errors.ProgrammeError: 48,600 units x 120 periods is 5,832,000 unit-periods, over the limit of 4,000,000; use quarters, fewer years or fewer units
    """
    n = int(n_units) * int(n_periods)
    if n > limit:
        raise ProgrammeError("programme.err.panel_size", n_units=int(n_units), n_periods=int(n_periods), n=n,
                             limit=int(limit))


def wide_counts(points: gpd.GeoDataFrame, units: gpd.GeoDataFrame, *, period: str = "month",
                categories=()) -> pd.DataFrame:
    """Counts per unit (rows, every unit of ``units`` by ``unit_id``) and period (columns, zero-filled)."""
    pts = filter_points(points, categories=list(categories) or None)
    periods = periods_of(points, period)  # the range of the whole layer: a filter does not shorten it
    check_panel_size(len(units), len(periods))
    pts = pts[pts["date"].notna()]
    by = period_start(pts["date"], period).dt.strftime("%Y-%m-%d")
    tab, _ = aggregate_points(pts.assign(_period=by.to_numpy()), units, name="n", by="_period")
    tab = tab.drop(columns="n")
    tab.columns = pd.to_datetime([c[len("n_"):] for c in tab.columns])
    tab = tab.reindex(columns=periods, fill_value=0)
    tab.index = tab.index.astype(str)
    tab.index.name = "unit"
    return tab


def build_panel(points: gpd.GeoDataFrame, units: gpd.GeoDataFrame, roles: pd.Series, starts: pd.Series,
                areas: pd.Series, *, period: str = "month", categories=(),
                counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The long panel: one row per unit in a role (treated, buffer, control) and period.

    ``roles``, ``starts`` and ``areas`` are :func:`~lillegeo.programme.design.design`'s (indexed by
    unit code); units of role ``excluded`` are left out. ``categories`` keeps only those values of
    the layer's ``category`` column. ``counts`` (from :func:`wide_counts`) skips the counting.
    """
    if counts is None:
        counts = wide_counts(points, units, period=period, categories=categories)
    keep = roles[roles.isin(ROLES)]
    wide = counts.reindex(keep.index.astype(str))
    if wide.isna().any().any():
        missing = wide.index[wide.isna().any(axis=1)][:5].tolist()
        raise ValueError(f"units {missing} of the design are not among the units counted")
    n_u, n_p = wide.shape
    out = pd.DataFrame({
        "unit": np.repeat(wide.index.to_numpy(), n_p),
        "period": np.tile(wide.columns.to_numpy(), n_u),
        "count": wide.to_numpy(float).ravel(),
        "role": np.repeat(keep.to_numpy(str), n_p),
        "start": np.repeat(pd.to_datetime(starts.reindex(keep.index)).to_numpy(), n_p),
        "area": np.repeat(areas.reindex(keep.index).fillna("").to_numpy(str), n_p),
    })
    return out[list(PANEL_COLUMNS)]
