"""Attribute joins of indicator tables onto units, with a report of what joined."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

__all__ = ["JoinReport", "join_table"]


@dataclass
class JoinReport:
    """What a join matched and what it did not.

    Attributes
    ----------
    n_units, n_rows : int
        Units in the layer, rows in the table.
    matched : int
        Units that received a table row.
    units_without_data : list of str
        Unit codes with no row in the table.
    unmatched_rows : list of str
        Table codes with no unit (listed so that they can be downloaded).
    hints : list of str
        Plain-language explanations (e.g. boundaries from another year).
    """

    n_units: int
    n_rows: int
    matched: int
    units_without_data: list[str] = field(default_factory=list)
    unmatched_rows: list[str] = field(default_factory=list)
    key: str = ""
    hints: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Counts only, for printing as JSON."""
        return {"units": self.n_units, "table_rows": self.n_rows, "matched": self.matched,
                "units_without_data": len(self.units_without_data),
                "unmatched_rows": len(self.unmatched_rows), "key": self.key, "hints": self.hints}

    def unmatched_frame(self) -> pd.DataFrame:
        """Table codes without a unit, as a frame for download."""
        return pd.DataFrame({"code": self.unmatched_rows, "commune": [c[:5] for c in self.unmatched_rows]})


def join_table(
    units: gpd.GeoDataFrame,
    table: pd.DataFrame,
    *,
    key: str | None = None,
    units_id: str = "unit_id",
) -> tuple[gpd.GeoDataFrame, JoinReport]:
    """Join an indicator table onto units by code, never dropping a unit.

    Parameters
    ----------
    units : GeoDataFrame
        Units, e.g. from :func:`lillegeo.read_units`.
    table : DataFrame
        Indicator table, e.g. from :func:`lillegeo.read_table`.
    key : str, optional
        Code column of ``table`` (default ``table.attrs["key"]``).
    units_id : str
        Code column of ``units``.

    Returns
    -------
    joined : GeoDataFrame
        Every unit, with the table's columns (missing where no row matched).
        Table columns whose names clash with unit columns (ignoring case) get a
        ``_table`` suffix; the table's key column is dropped (``unit_id`` holds the codes).
    report : JoinReport

    Raises
    ------
    ValueError
        When a column is missing or the table has duplicate codes (named).

    Examples
    --------
    >>> from lillegeo.demo import DEMO_DIR
    >>> from lillegeo.io import read_units, read_table
    >>> u, _ = read_units(DEMO_DIR / "units.geojson")
    >>> t, _ = read_table(DEMO_DIR / "census.csv")
    >>> joined, rep = join_table(u, t)
    >>> rep.matched == len(u), rep.unmatched_rows
    (True, [])
    """
    if not isinstance(units, gpd.GeoDataFrame):
        raise TypeError(f"units must be a GeoDataFrame, got {type(units).__name__}")
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a DataFrame, got {type(table).__name__}")
    key = key or table.attrs.get("key")
    if key is None or key not in table.columns:
        raise ValueError(f"key column {key!r} not found in the table; columns are: "
                         f"{', '.join(map(str, table.columns[:40]))}; pick the IRIS code column")
    if units_id not in units.columns:
        raise ValueError(f"column {units_id!r} not found in the units; columns are: "
                         f"{', '.join(map(str, units.columns))}")
    if len(table) == 0:
        raise ValueError("the table has no rows: there is nothing to join")
    codes = table[key].astype("string").str.strip()
    if codes.isna().any():
        raise ValueError(f"{int(codes.isna().sum())} table row(s) have an empty code in '{key}'; fix or remove them")
    dup = codes[codes.duplicated(keep=False)]
    if len(dup):
        shown = ", ".join(sorted(set(dup))[:10])
        raise ValueError(f"the table has {dup.nunique()} duplicate code(s) in '{key}': {shown}. "
                         "Each unit must appear once: aggregate the rows or pick another table")
    tab = table.copy()
    tab[key] = codes
    taken = {str(c).lower() for c in units.columns}
    clash = [c for c in tab.columns if str(c).lower() in taken and c != key]
    tab = tab.rename(columns={c: f"{c}_table" for c in clash})
    unit_codes = units[units_id].astype("string")
    in_table = unit_codes.isin(set(codes))
    in_units = codes.isin(set(unit_codes))
    right = tab.rename(columns={key: "__key"})
    joined = units.merge(right, how="left", left_on=units_id, right_on="__key", validate="one_to_one")
    joined = joined.drop(columns="__key")
    report = JoinReport(
        n_units=len(units), n_rows=len(table), matched=int(in_table.sum()),
        units_without_data=sorted(unit_codes[~in_table].tolist()),
        unmatched_rows=sorted(codes[~in_units].tolist()), key=key,
    )
    if report.unmatched_rows:
        communes_units = set(unit_codes.str[:5])
        by_com = pd.Series([c[:5] for c in report.unmatched_rows]).value_counts()
        known = [c for c in by_com.index if c in communes_units]
        if known:
            top = ", ".join(f"{c} ({by_com[c]})" for c in known[:5])
            report.hints.append(
                f"unmatched codes cluster in communes that are in the map: {top}. "
                "The contours and the table may be from different years (IRIS boundaries change): "
                "use contours of the table's year (millésime).")
        unknown = [c for c in by_com.index if c not in communes_units]
        if unknown:
            report.hints.append(f"{len(unknown)} commune(s) of the table are not in the map "
                                f"(e.g. {', '.join(unknown[:5])}): the table covers a wider area than the contours.")
    if report.matched == 0:
        report.hints.append("no code matched: check that the key column holds 9-character IRIS codes "
                            f"(table example: '{codes.iloc[0]}', units example: '{unit_codes.iloc[0]}').")
    return joined, report
