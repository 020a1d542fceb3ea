"""Counts to indicators: rates, empirical Bayes smoothing, points per unit, small-count suppression."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from .i18n import t
from .params import DEFAULT_THRESHOLD
from .weights import build_weights  # queen contiguity, vectorised and cached per geometry

__all__ = [
    "DEFAULT_THRESHOLD",
    "GROUPS",
    "Indicator",
    "aggregate_points",
    "compute_indicator",
    "count_columns",
    "numeric_columns",
    "suppress",
    "suppress_frame",
]

#: Default disclosure threshold: no count or rate computed from fewer persons or events is shown.

Smoothing = Literal["none", "global_eb", "spatial_eb"]
#: The groups that partition the units of an indicator (see :attr:`Indicator.groups`).
GROUPS = ("shown", "withheld", "left_out", "no_data")


@dataclass
class Indicator:
    """An indicator per unit, with what it was computed from and what is withheld.

    Attributes
    ----------
    values : Series
        The indicator (raw value, rate or smoothed rate), indexed like the units.
        Withheld cells are **already** NaN here; ``raw`` keeps the computed value
        for analyses that never leave the library.
    numerator, denominator : Series or None
    withheld : Series of bool
        True where the value is withheld (numerator or denominator below the threshold).
    label : str
        Human-readable name, e.g. ``"P16_POP_IMM per 1,000 P16_POP"``.
    unit : str
        Unit of the values (``"per 1,000"`` or ``""``).
    """

    values: pd.Series
    raw: pd.Series
    numerator: pd.Series
    denominator: pd.Series | None
    withheld: pd.Series
    label: str
    unit: str = ""
    threshold: int = DEFAULT_THRESHOLD
    smoothing: str = "none"
    notes: list[str] = field(default_factory=list)
    excluded: pd.Series | None = None

    def __post_init__(self):
        if self.excluded is None:
            self.excluded = pd.Series(False, index=self.values.index)

    def subset(self, mask: pd.Series) -> Indicator:
        """The indicator on the units where ``mask`` is True (e.g. a commune filter)."""
        m = mask.reindex(self.values.index).fillna(False).astype(bool)
        den = None if self.denominator is None else self.denominator[m]
        return Indicator(self.values[m], self.raw[m], self.numerator[m], den, self.withheld[m], self.label,
                         self.unit, self.threshold, self.smoothing, list(self.notes), self.excluded[m])

    @property
    def n_withheld(self) -> int:
        return int(self.withheld.sum())

    @property
    def n_missing(self) -> int:
        """Units with no value that are neither withheld nor left out (no data)."""
        return int((self.values.isna() & ~self.withheld & ~self.excluded).sum())

    @property
    def n_excluded(self) -> int:
        """Units left out on purpose (e.g. activity and miscellaneous IRIS for rates per resident)."""
        return int(self.excluded.sum())

    @property
    def groups(self) -> pd.Series:
        """The group of each unit, exactly one per unit (:data:`GROUPS`): ``withheld`` first (a withheld
        A/D unit is drawn and counted as withheld), then ``left_out`` (A/D), ``no_data``, ``shown``."""
        g = np.select([self.withheld.to_numpy(bool), self.excluded.to_numpy(bool), self.values.isna().to_numpy()],
                      list(GROUPS[1:]), GROUPS[0])
        return pd.Series(g, index=self.values.index, dtype=object)

    @property
    def partition(self) -> dict[str, int]:
        """Units per group (``shown, withheld, left_out, no_data``) and ``total``; the groups add up to it.

        The caption and the legend of every map of the indicator read these numbers.

        Examples
        --------
        >>> df = pd.DataFrame({"n": [5.0, 50.0, 0.0, None], "pop": [1000.0, 2000.0, 500.0, 800.0]})
        >>> compute_indicator(df, "n", per="pop").partition
        {'shown': 2, 'withheld': 1, 'left_out': 0, 'no_data': 1, 'total': 4}
        """
        counts = self.groups.value_counts()
        out = {k: int(counts.get(k, 0)) for k in GROUPS}
        out["total"] = len(self.values)
        return out

    def frame(self, ids: pd.Series | None = None) -> pd.DataFrame:
        """The indicator as a table safe to show or export (withheld cells blank, flagged)."""
        out = pd.DataFrame({"value": self.values})
        out["numerator"] = self.numerator.where(~self.withheld)
        if self.denominator is not None:
            out["denominator"] = self.denominator.where(~self.withheld)
        out["withheld"] = self.withheld
        if self.excluded.any():
            out["left_out"] = self.excluded
        if ids is not None:
            out.insert(0, "unit_id", ids.to_numpy())
        return out


def numeric_columns(df: pd.DataFrame) -> list[str]:
    """Numeric columns of a frame, excluding geometry and identifiers.

    Examples
    --------
    >>> numeric_columns(pd.DataFrame({"a": [1.0], "b": ["x"]}))
    ['a']
    """
    return [c for c in df.columns if c != "geometry" and pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c])]


def suppress(counts: pd.Series, *, threshold: int = DEFAULT_THRESHOLD) -> pd.Series:
    """Mask of cells to withhold: counts of persons or events from 1 to ``threshold - 1``.

    A zero is shown (it discloses nobody); a missing count is not "withheld"
    but "no data".

    Parameters
    ----------
    counts : Series
    threshold : int
        Smallest count that may be shown (default 11, the fiscal-data rule).

    Returns
    -------
    Series of bool

    Examples
    --------
    >>> suppress(pd.Series([0, 3, 10.6, 11, None])).tolist()
    [False, True, True, False, False]
    """
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    c = pd.to_numeric(counts, errors="coerce")
    return ((c > 0) & (c < threshold)).fillna(False).astype(bool)


def _check_col(df: pd.DataFrame, col: str, what: str) -> pd.Series:
    if col not in df.columns:
        raise ValueError(f"{what} column '{col}' not found; numeric columns are: {', '.join(numeric_columns(df))}")
    s = df[col]
    if not pd.api.types.is_numeric_dtype(s):
        raise ValueError(f"{what} column '{col}' is not numeric (dtype {s.dtype}); pick a count column")
    return s.astype(float)


def compute_indicator(
    units: pd.DataFrame,
    column: str,
    *,
    per: str | None = None,
    multiplier: float = 1000.0,
    smoothing: Smoothing = "none",
    threshold: int = DEFAULT_THRESHOLD,
    weights=None,
    exclude_types: tuple[str, ...] = (),
    lang: str = "en",
) -> Indicator:
    """Turn a count column into an indicator with disclosure control.

    Parameters
    ----------
    units : DataFrame or GeoDataFrame
        Joined units.
    column : str
        Count (numerator) column.
    per : str, optional
        Denominator column; when given the result is a rate per ``multiplier``.
    multiplier : float
        1,000 by default ("per 1,000 residents"); 100 gives a percentage (see
        :func:`lillegeo.insee.rate_multiplier` for the conventional one).
    smoothing : {"none", "global_eb", "spatial_eb"}
        Empirical Bayes smoothing of the rate (Marshall 1991), computed with
        ``esda.smoothing``.  ``spatial_eb`` shrinks towards the local mean over
        queen-contiguity neighbours (or ``weights``).
    threshold : int
        Counts from 1 to ``threshold - 1`` in the numerator, or a denominator
        below ``threshold``, are withheld.
    weights : libpysal.weights.W, optional
        Spatial weights for ``spatial_eb`` (default: queen contiguity).
    lang : {"en", "fr"}
        Language of the indicator's label.
    exclude_types : tuple of str
        IRIS types (``unit_type``) whose rates are left out, e.g. ``("A", "D")``:
        activity and miscellaneous IRIS have few residents, so rates per
        resident there are meaningless.  Ignored for raw values.

    Returns
    -------
    Indicator

    Examples
    --------
    >>> df = pd.DataFrame({"n": [5.0, 50.0, 0.0], "pop": [1000.0, 2000.0, 500.0]})
    >>> ind = compute_indicator(df, "n", per="pop")
    >>> ind.values.tolist()
    [nan, 25.0, 0.0]
    >>> ind.n_withheld
    1
    """
    if smoothing not in ("none", "global_eb", "spatial_eb"):
        raise ValueError(f"smoothing must be 'none', 'global_eb' or 'spatial_eb', got {smoothing!r}")
    num = _check_col(units, column, "count")
    notes: list[str] = []
    if per is None:
        if smoothing != "none":
            raise ValueError("smoothing needs a denominator: give per= (e.g. the population column)")
        raw = num.copy()
        withheld = suppress(num, threshold=threshold)
        values = raw.where(~withheld)
        return Indicator(values, raw, num, None, withheld, label=column, unit="", threshold=threshold,
                         notes=notes)
    den = _check_col(units, per, "denominator")
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = pd.Series(np.where(den > 0, num / den * multiplier, np.nan), index=units.index)
    zero_den = int(((den <= 0) & num.notna()).sum())
    if zero_den:
        notes.append(t("note.zero_den", lang, n=zero_den))
    if smoothing != "none":
        from esda.smoothing import Empirical_Bayes, Spatial_Empirical_Bayes

        ok = num.notna() & den.notna() & (den > 0)
        e = num[ok].to_numpy(dtype=float).reshape(-1, 1)
        b = den[ok].to_numpy(dtype=float).reshape(-1, 1)
        if smoothing == "global_eb":
            sm = Empirical_Bayes(e, b).r.ravel()
        else:
            if not isinstance(units, gpd.GeoDataFrame):
                raise TypeError("spatial_eb needs a GeoDataFrame (to build neighbours) or weights=")
            w = weights or build_weights(units[ok.to_numpy()], "queen")
            sm = Spatial_Empirical_Bayes(e, b, w).r.ravel()
            if w.islands:
                notes.append(t("note.eb_islands", lang, n=len(w.islands)))
        raw = pd.Series(np.nan, index=units.index)
        raw[ok] = sm * multiplier
        notes.append(t(f"note.{smoothing}", lang))
    withheld = suppress(num, threshold=threshold) | (den.notna() & (den < threshold) & (den > 0))
    excluded = pd.Series(False, index=units.index)
    if exclude_types and "unit_type" in units.columns:
        excluded = units["unit_type"].astype("string").isin(list(exclude_types)).fillna(False).astype(bool)
        # the A/D units left out are counted in :attr:`Indicator.partition` (caption and legend)
    values = raw.where(~withheld & ~excluded)

    mult = f"{multiplier:,.0f}"
    if lang == "fr":
        mult = mult.replace(",", "\u202f")
    pct = multiplier == 100
    label = t("ind.pct" if pct else "ind.per", lang, column=column, mult=mult, per=per) + (
        "" if smoothing == "none" else f" ({t('smoothing.' + smoothing, lang)})")
    unit = t("ind.unit_pct", lang) if pct else t("ind.unit", lang, mult=mult)
    return Indicator(values, raw, num, den, withheld, label=label, unit=unit,
                     threshold=threshold,
                     smoothing=smoothing, notes=notes, excluded=excluded)


def aggregate_points(
    points: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    *,
    name: str = "count",
    by: str | None = None,
    units_id: str = "unit_id",
) -> tuple[pd.DataFrame, dict]:
    """Count points per unit by point-in-polygon.

    A point on a border shared by two units is counted once, in the first
    unit found.  Points outside every unit are counted and reported.

    Parameters
    ----------
    points, units : GeoDataFrame
        In the same CRS (both EPSG:2154 after the readers).
    name : str
        Name of the count column.
    by : str, optional
        A column of ``points`` (e.g. ``category`` or a year) to count by: one
        column per value, named ``{name}_{value}``.
    units_id : str

    Returns
    -------
    counts : DataFrame
        Indexed by unit code, one row per unit (zeros included).
    report : dict
        ``points``, ``inside``, ``outside``.

    Examples
    --------
    >>> from shapely.geometry import box, Point
    >>> u = gpd.GeoDataFrame({"unit_id": ["a", "b"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=2154)
    >>> p = gpd.GeoDataFrame(geometry=[Point(.5, .5), Point(1.5, .5), Point(1.2, .2), Point(5, 5)], crs=2154)
    >>> counts, rep = aggregate_points(p, u)
    >>> counts["count"].tolist(), rep["outside"]
    ([1, 2], 1)
    """
    if not isinstance(points, gpd.GeoDataFrame) or not isinstance(units, gpd.GeoDataFrame):
        raise TypeError("points and units must both be GeoDataFrames")
    if (points.crs is None) != (units.crs is None) or (points.crs is not None and not points.crs.equals(units.crs)):
        raise ValueError(f"points ({points.crs}) and units ({units.crs}) are in different CRS; "
                         "read both with lillegeo readers (EPSG:2154) or reproject explicitly")
    pts = points[[c for c in ([by] if by else []) if c]].copy()
    pts = gpd.GeoDataFrame(pts, geometry=points.geometry.values, crs=points.crs)
    hit = gpd.sjoin(pts, units[[units_id, "geometry"]], how="left", predicate="intersects")
    hit = hit[~hit.index.duplicated(keep="first")]
    inside = hit[units_id].notna()
    rep = {"points": len(points), "inside": int(inside.sum()), "outside": int((~inside).sum())}
    ids = pd.Index(units[units_id], name=units_id)
    if by is None:
        counts = hit.loc[inside, units_id].value_counts().reindex(ids, fill_value=0).rename(name).to_frame()
    else:
        tab = pd.crosstab(hit.loc[inside, units_id], hit.loc[inside, by].astype("string").fillna("(none)"))
        tab = tab.reindex(ids, fill_value=0)
        tab.columns = [f"{name}_{c}" for c in tab.columns]
        counts = tab
        counts.insert(0, name, tab.sum(axis=1))
    return counts.astype("int64"), rep


_COUNT_RE = r"^[PC]\d{2}_"


def count_columns(df: pd.DataFrame, extra: list[str] | None = None) -> list[str]:
    """Columns holding counts of persons or events: INSEE census counts (``P21_…``, ``C21_…``) and ``extra``.

    Examples
    --------
    >>> count_columns(pd.DataFrame({"P21_POP": [1.0], "DISP_MED21": [2.0], "incidents": [3]}), ["incidents"])
    ['P21_POP', 'incidents']
    """
    import re

    extra = set(extra or [])
    return [c for c in numeric_columns(df) if re.match(_COUNT_RE, str(c)) or c in extra
            or any(str(c).startswith(f"{e}_") for e in extra)]


def suppress_frame(df: pd.DataFrame, *, threshold: int = DEFAULT_THRESHOLD,
                   columns: list[str] | None = None) -> tuple[pd.DataFrame, int]:
    """Copy of ``df`` with small counts blanked in count columns, ready to show or export.

    Parameters
    ----------
    df : DataFrame
    threshold : int
    columns : list of str, optional
        Count columns (default: :func:`count_columns`).

    Returns
    -------
    DataFrame, int
        The safe copy (geometry dropped) and the number of cells withheld.

    Examples
    --------
    >>> safe, n = suppress_frame(pd.DataFrame({"P21_POP": [5.0, 50.0]}))
    >>> safe["P21_POP"].tolist(), n
    ([nan, 50.0], 1)
    """
    out = pd.DataFrame(df.drop(columns="geometry", errors="ignore")).copy()
    cols = columns if columns is not None else count_columns(out)
    n = 0
    for c in cols:
        if c in out.columns:
            mask = suppress(out[c], threshold=threshold)
            n += int(mask.sum())
            out[c] = out[c].astype("float64").where(~mask)
    return out, n
