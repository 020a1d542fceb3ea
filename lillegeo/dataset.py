"""A loaded analysis dataset: units joined with tables, point counts, overlay, and every report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .demo import DEMO_DIR
from .indicators import aggregate_points, count_columns, suppress_frame
from .join import JoinReport, join_table
from .limits import limits
from .io import LoadReport, read_points, read_table, read_units
from .io.worker import read_points_bounded, read_table_bounded, read_units_bounded
from .params import DEFAULT_THRESHOLD
from .recipe import Recipe, iter_sources, sha256_file

__all__ = ["Dataset", "load_demo", "build_dataset", "load_sources"]


@dataclass
class Dataset:
    """Everything the pages show, produced by the library.

    Attributes
    ----------
    name : str
    units : GeoDataFrame
        Units joined with the table and the point counts (EPSG:2154).
    points : dict of str to GeoDataFrame
        Point layers by name (e.g. ``incidents``), EPSG:2154.
    overlay : GeoDataFrame or None
        Priority-neighbourhood polygons.
    reports : list of LoadReport
    join_report : JoinReport or None
    point_reports : dict
        Per point layer: points, inside, outside.
    demo : bool
        True for the synthetic demo (every display says so).
    """

    name: str
    units: gpd.GeoDataFrame
    points: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    overlay: gpd.GeoDataFrame | None = None
    reports: list[LoadReport] = field(default_factory=list)
    join_report: JoinReport | None = None
    point_reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    demo: bool = False
    population: str | None = None
    sources: dict[str, Any] = field(default_factory=dict)

    @property
    def count_columns(self) -> list[str]:
        """Columns of persons or events counts (suppressed in every display and export)."""
        return count_columns(self.units, list(self.points))

    def safe_table(self, threshold: int = DEFAULT_THRESHOLD) -> tuple[pd.DataFrame, int]:
        """The units' attributes with small counts withheld (no geometry)."""
        return suppress_frame(self.units, threshold=threshold, columns=self.count_columns)

    @property
    def n_communes(self) -> int:
        return int(self.units["commune_id"].nunique())


def build_dataset(
    units: gpd.GeoDataFrame,
    *,
    name: str,
    table: pd.DataFrame | None = None,
    key: str | None = None,
    points: dict[str, gpd.GeoDataFrame] | None = None,
    overlay: gpd.GeoDataFrame | None = None,
    reports: list[LoadReport] | None = None,
    demo: bool = False,
    sources: dict[str, Any] | None = None,
) -> Dataset:
    """Join a table and count point layers onto units.

    Point counts become integer columns named after the layer (``incidents``)
    plus one column per year when the points carry a date (``incidents_2023``).
    """
    joined, jrep = (join_table(units, table, key=key) if table is not None else (units.copy(), None))
    prep: dict[str, dict[str, Any]] = {}
    for pname, pts in (points or {}).items():
        counts, rep = aggregate_points(pts, joined, name=pname)
        joined = joined.merge(counts, left_on="unit_id", right_index=True, how="left")
        if "date" in pts.columns and pts["date"].notna().any():
            yp = pts.assign(year=pts["date"].dt.year.astype("Int64").astype("string"))
            by_year, _ = aggregate_points(yp, units, name=pname, by="year")
            by_year = by_year.drop(columns=[pname])
            joined = joined.merge(by_year, left_on="unit_id", right_index=True, how="left")
        prep[pname] = rep
    pop = next((c for c in joined.columns if str(c).upper().endswith("_POP") and str(c).upper().startswith("P")), None)
    return Dataset(name=name, units=joined, points=dict(points or {}), overlay=overlay, reports=list(reports or []),
                   join_report=jrep, point_reports=prep, demo=demo, population=pop, sources=dict(sources or {}))


def load_demo(directory: str | Path = DEMO_DIR) -> Dataset:
    """Load the shipped synthetic demo metropolis through the same readers a user's files go through.

    Examples
    --------
    >>> ds = load_demo()
    >>> ds.demo, len(ds.units) > 300, ds.join_report.unmatched_rows
    (True, True, [])
    """
    d = Path(directory)
    found = [d / f for f in ("units.geojson", "units.gpkg") if (d / f).exists()]  # GeoPackage: national scale
    if not found:
        raise ValueError(f"demo data not found in '{d}'; regenerate it with: python -m lillegeo demo --out {d}")
    units, r1 = read_units(found[0])
    table, r2 = read_table(d / "census.csv")
    inc, r3 = read_points(d / "incidents.csv")
    chk, r4 = read_points(d / "checks.csv")
    qpv, r5 = read_units(d / "qpv.geojson", mapping={"unit_id": "code_qp", "unit_name": "nom_qp"})
    return build_dataset(units, name="demo", table=table, points={"incidents": inc, "checks": chk},
                         overlay=qpv, reports=[r1, r2, r3, r4, r5], demo=True)


def load_sources(recipe: Recipe, *, allow_changed: bool = False) -> Dataset:
    """Check every source's hash and size, then read them with the usual readers into a Dataset.

    The shipped demo files are read in this process; any other file in the bounded worker.
    """
    def read(kind: str, src: dict):
        shipped = recipe.resolve(src["path"]).resolve().parent == DEMO_DIR.resolve()
        return {"units": read_units, "table": read_table, "points": read_points}[kind] if shipped else \
            {"units": read_units_bounded, "table": read_table_bounded, "points": read_points_bounded}[kind]

    for name, src in iter_sources(recipe.sources):
        path = recipe.resolve(src["path"])
        if not path.exists():
            raise ValueError(f"source '{name}' not found at '{path}'; put the file there or edit the recipe's path")
        if not path.is_file():  # a folder or a device (/dev/zero would be hashed for ever)
            raise ValueError(f"source '{name}' at '{path}' is not a regular file")
        if path.stat().st_size > limits().upload_mb * 1024 * 1024:
            raise ValueError(f"source '{name}' ({path.name}) is over the {limits().upload_mb:,} MB limit")
        h, n = sha256_file(path)
        if (h, n) != (src["sha256"], int(src["size"])) and not allow_changed:
            raise ValueError(f"source '{name}' ({path.name}) has changed since the recipe was saved "
                             f"(sha256 {h[:12]}…, {n} bytes; recipe: {src['sha256'][:12]}…, {src['size']} bytes). "
                             "Use the original file, or --allow-changed-sources to run on the new one")
    s = recipe.sources
    u = s["units"]
    units, r1 = read("units", u)(recipe.resolve(u["path"]), mapping=u.get("mapping"), crs=u.get("crs"),
                                 planar=bool(u.get("planar", False)))
    reports = [r1]
    table = None
    if "table" in s:
        table, r2 = read("table", s["table"])(recipe.resolve(s["table"]["path"]), key=s["table"].get("key"))
        reports.append(r2)
    points = {}
    for name, p in s.get("points", {}).items():
        pts, rp = read("points", p)(recipe.resolve(p["path"]), x=p.get("x"), y=p.get("y"), crs=p.get("crs"),
                                    planar=bool(u.get("planar", False)))
        points[name] = pts
        reports.append(rp)
    overlay = None
    if "overlay" in s:
        o = s["overlay"]
        overlay, ro = read("units", o)(recipe.resolve(o["path"]), mapping=o.get("mapping"), crs=o.get("crs"))
        reports.append(ro)
    return build_dataset(units, name=recipe.title, table=table, points=points, overlay=overlay, reports=reports,
                         demo=recipe.demo, sources=recipe.sources)
