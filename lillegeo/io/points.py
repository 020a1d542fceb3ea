"""Point records (incidents, stops) from CSV or any vector format the units are read from (GeoJSON,
GeoPackage, shapefile, zipped shapefile, GeoParquet), read by :func:`read_points`: coordinate,
date and category columns detected, rows with missing or impossible coordinates rejected and counted,
held in Lambert-93."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .base import LoadReport, Source, _find_col, _name_of, _read_bytes
from .crs import _parse_crs, _to_work_crs
from .guard import _check_local_path
from .tables import _clean_frame, _csv_frame
from .vector import LOCAL_VECTOR_SUFFIXES, _open_vector, _read_vector_source

__all__ = ["read_points", "csv_columns", "DATE_NAMES"]

_X_NAMES = ("longitude", "lon", "lng", "long", "x", "coord_x", "x_l93")
_Y_NAMES = ("latitude", "lat", "y", "coord_y", "y_l93")
_DATE_NAMES = ("date", "datetime", "date_heure", "timestamp", "jour")
DATE_NAMES = _DATE_NAMES  # the date column names recognised (said by the pages)
_CAT_NAMES = ("categorie", "catégorie", "category", "type", "classe", "motif", "nature")


def csv_columns(data: bytes, name: str = "upload.csv") -> list[str]:
    r"""Column names of a CSV (for choosing coordinate columns before reading); [] when unreadable.

    Never raises: the full read reports the problem.

    >>> csv_columns(b"id;lon;lat\n1;3.0;50.6\n")
    ['id', 'lon', 'lat']
    >>> csv_columns(bytes(range(256)))
    []
    """
    try:
        rep = LoadReport(name, "points")
        head = data[:65536]
        if len(data) > len(head) and b"\n" in head:
            head = head[: head.rindex(b"\n") + 1]  # the first lines are enough for the header
        return [str(c) for c in _csv_frame(_read_bytes(head), rep).columns]
    except Exception:  # noqa: BLE001 - a preview only; read_points gives the message
        return []


def read_points(
    src: Source,
    *,
    name: str | None = None,
    x: str | None = None,
    y: str | None = None,
    crs: Any = None,
    planar: bool = False,
    date: str | None = None,
    category: str | None = None,
) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """Read point records (incidents, stops) from CSV, GeoJSON, GeoPackage, a shapefile (path to the
    ``.shp``), a zipped shapefile or GeoParquet: the formats :func:`read_units` reads.

    Parameters
    ----------
    src : path, bytes or file object
    name : str, optional
    x, y : str, optional
        Coordinate columns of a CSV (detected: longitude/latitude, lon/lat, x/y).
    crs : str or int, optional
        CRS of the coordinates.  Longitude/latitude columns default to
        EPSG:4326; x/y columns need it stated.
    planar : bool
        Keep the coordinates as they are.
    date, category : str, optional
        Date and category columns (detected by name when omitted); kept as
        ``date`` (datetime) and ``category`` (text).

    Returns
    -------
    points : GeoDataFrame in EPSG:2154
        ``attrs["source_rows"]`` gives each kept point's row in the input.
    report : LoadReport
        Counts rows rejected for missing or impossible coordinates.

    Examples
    --------
    >>> from lillegeo.demo import DEMO_DIR
    >>> pts, rep = read_points(DEMO_DIR / "incidents.csv")
    >>> rep.details["crs_in"], rep.details["rejected_missing"]
    ('EPSG:4326', 0)
    """
    report = LoadReport(_name_of(src, name), "points")
    _check_local_path(src)
    local_vector = isinstance(src, (str, Path)) and Path(src).suffix.lower() in LOCAL_VECTOR_SUFFIXES
    data = b"" if local_vector else _read_bytes(src)  # a local vector file is read where it is (.shp + .dbf …)
    lname = report.source.lower()
    if not local_vector and (lname.endswith((".csv", ".txt")) or not (
            lname.endswith((".geojson", ".json", ".gpkg", ".zip", ".parquet", ".shp")) or data[:4] == b"PK\x03\x04")):
        df = _clean_frame(_csv_frame(data, report), report, set())
        cols = list(df.columns)

        def find(names, given, what):
            if given:
                if given not in cols:
                    raise ValueError(f"{what} column '{given}' not found; columns are: {', '.join(cols)}")
                return given
            for n in names:
                c = _find_col(cols, n)
                if c:
                    return c
            return None

        xc, yc = find(_X_NAMES, x, "x"), find(_Y_NAMES, y, "y")
        if not xc or not yc:
            raise ValueError(f"no coordinate columns found in '{report.source}'; columns are: {', '.join(cols)}. "
                             "Name them (x= and y=, or --x/--y on the command line)")
        xs = pd.to_numeric(df[xc], errors="coerce")
        ys = pd.to_numeric(df[yc], errors="coerce")
        lonlat = xc.lower() in ("longitude", "lon", "lng", "long")
        if crs is None and not planar:
            if lonlat:
                crs = "EPSG:4326"
            else:
                raise ValueError(f"coordinates in '{xc}'/'{yc}' need a CRS: add crs='EPSG:2154' (Lambert-93 metres) "
                                 "or 'EPSG:4326', (--crs on the command line), or --planar")
        missing = xs.isna() | ys.isna() | ~np.isfinite(xs) | ~np.isfinite(ys)
        gdf = gpd.GeoDataFrame(df.drop(columns=[xc, yc]), geometry=gpd.points_from_xy(xs, ys), crs=None)
        report.details.update({"x": xc, "y": yc})
    else:
        gdf = _read_vector_source(src, report) if local_vector else _open_vector(data, report.source, report)
        if len(gdf) and not set(gdf.geom_type.dropna().unique()) <= {"Point", "MultiPoint"}:
            raise ValueError(f"'{report.source}' holds {', '.join(sorted(set(gdf.geom_type.dropna())))} "
                             "geometries; points are expected")
        if gdf.geometry.name != "geometry":
            gdf = gdf.rename_geometry("geometry")
        if (gdf.geom_type == "MultiPoint").any():
            gdf = gdf.explode(index_parts=False)
        missing = gdf.geometry.isna() | gdf.geometry.is_empty
        cols = [c for c in gdf.columns if c != "geometry"]
    if len(gdf) == 0:
        raise ValueError(f"'{report.source}' holds no points")
    gdf = gdf.assign(_source_row=np.arange(len(gdf)))
    id_col = next((c for c in gdf.columns if str(c).lower() in ("id", "identifiant", "point_id")), None)
    input_ids = gdf[id_col].astype("string").to_numpy() if id_col else None
    report.details["rejected_missing"] = int(missing.sum())
    if missing.any():
        report.note("rep.no_coords", n=int(missing.sum()))
    gdf = gdf[~missing.to_numpy()]
    if crs is not None or planar:
        gdf = gdf.set_crs(None, allow_override=True) if gdf.crs is not None and crs is not None else gdf
    # impossible coordinates: outside the CRS's area of use
    impossible = pd.Series(False, index=gdf.index)
    if not planar:
        c = _parse_crs(crs) if crs is not None else gdf.crs
        if c is None:
            raise ValueError(f"'{report.source}' has no CRS: state one with crs= (--crs on the command line) or --planar")
        gdf = gdf.set_crs(c, allow_override=True)
        aou = c.area_of_use
        if aou is not None:
            ll = gdf.geometry.to_crs(4326) if not c.is_geographic else gdf.geometry
            with np.errstate(invalid="ignore"):
                lx, ly = ll.x.to_numpy(), ll.y.to_numpy()
                pad = 1.0
                impossible = pd.Series(~(np.isfinite(lx) & np.isfinite(ly)
                                         & (lx >= aou.west - pad) & (lx <= aou.east + pad)
                                         & (ly >= aou.south - pad) & (ly <= aou.north + pad)), index=gdf.index)
    report.details["rejected_impossible"] = int(impossible.sum())
    if impossible.any():
        report.note("rep.bad_coords", n=int(impossible.sum()))
    gdf = gdf[~impossible]
    if len(gdf) == 0:
        raise ValueError(f"'{report.source}' holds no points with usable coordinates "
                         f"({report.details['rejected_missing']} missing, {report.details['rejected_impossible']} "
                         "impossible); check the coordinate columns and their CRS")
    gdf = _to_work_crs(gdf, report, crs=None, planar=planar)
    cols = [c for c in gdf.columns if c != "geometry"]
    dc = date if date else next((_find_col(cols, n) for n in _DATE_NAMES if _find_col(cols, n)), None)
    if date and date not in cols:
        raise ValueError(f"date column '{date}' not found; columns are: {', '.join(cols)}")
    if dc:
        parsed = pd.to_datetime(gdf[dc].astype("string"), errors="coerce", format="mixed", dayfirst=False)
        bad = int((parsed.isna() & gdf[dc].notna()).sum())
        if bad:
            report.note("rep.bad_dates", n=bad, col=dc)
        gdf = gdf.assign(date=parsed) if dc != "date" else gdf.assign(date=parsed)
        report.details["date"] = dc
    cc = category if category else next((_find_col(cols, n) for n in _CAT_NAMES if _find_col(cols, n)), None)
    if category and category not in cols:
        raise ValueError(f"category column '{category}' not found; columns are: {', '.join(cols)}")
    if cc:
        gdf = gdf.assign(category=gdf[cc].astype("string"))
        report.details["category"] = cc
    source_rows = gdf.pop("_source_row").to_numpy()
    gdf = gdf.reset_index(drop=True)
    gdf.attrs["source_rows"] = source_rows
    gdf.attrs["n_input"] = int(len(source_rows) + report.details["rejected_missing"]
                               + report.details["rejected_impossible"])
    if input_ids is not None:
        gdf.attrs["input_ids"] = input_ids
    report.rows = len(gdf)
    return gdf, report
