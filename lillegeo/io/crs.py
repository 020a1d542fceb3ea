"""Coordinate reference systems: units and points are held in Lambert-93 (EPSG:2154, metres) for
measurement and converted to WGS84 only for display.  Reprojection is explicit and logged in the report.
"""

from __future__ import annotations

import warnings
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj

from .base import LoadReport

__all__ = ["WORK_CRS", "DISPLAY_CRS"]

WORK_CRS = "EPSG:2154"
DISPLAY_CRS = "EPSG:4326"


def _is_lambert93(crs: pyproj.CRS) -> bool:
    """True when ``crs`` is Lambert-93 even if pyproj cannot name its EPSG code."""
    try:
        if crs.to_epsg() == 2154:
            return True
        ref = pyproj.CRS.from_epsg(2154)
        if crs.equals(ref, ignore_axis_order=True):
            return True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            d = crs.to_dict()
        if d.get("proj") != "lcc":
            return False
        want = {"lat_0": 46.5, "lon_0": 3, "lat_1": 44, "lat_2": 49, "x_0": 700000, "y_0": 6600000}
        for k, v in want.items():
            if abs(float(d.get(k, np.nan)) - v) > 1e-6 and not (k in ("lat_1", "lat_2")
                                                               and abs(float(d.get("lat_2" if k == "lat_1" else "lat_1", np.nan)) - v) < 1e-6):
                return False
        return d.get("ellps", "GRS80") == "GRS80"
    except Exception:  # noqa: BLE001 - a CRS pyproj cannot describe is not Lambert-93
        return False


def _parse_crs(crs: Any) -> pyproj.CRS:
    try:
        return pyproj.CRS.from_user_input(crs)
    except Exception as exc:  # noqa: BLE001
        raise ValueError(f"crs {crs!r} is not understood ({exc}); give it as 'EPSG:2154' or 'EPSG:4326'") from None


def _to_work_crs(gdf: gpd.GeoDataFrame, report: LoadReport, *, crs: Any, planar: bool) -> gpd.GeoDataFrame:
    """Put a layer in EPSG:2154 (or keep it planar), logging every CRS decision."""
    if planar:
        report.details["crs"] = "planar (no reprojection)"
        report.note("rep.planar")
        return gdf.set_crs(None, allow_override=True) if gdf.crs is not None else gdf
    if crs is not None:
        stated = _parse_crs(crs)
        if gdf.crs is not None and not gdf.crs.equals(stated):
            report.note("rep.crs_override", declared=gdf.crs.name, stated=stated.name)
        gdf = gdf.set_crs(stated, allow_override=True)
    if gdf.crs is None:
        raise ValueError(
            f"'{report.source}' has no coordinate reference system (no .prj or CRS in the file). "
            "State one: in the app pick it under 'CRS of the contours'; on the command line add "
            "--crs EPSG:2154 (Lambert-93) or --crs EPSG:4326 (longitude/latitude), "
            "or --planar for planar coordinates that must not be reprojected.")
    report.details["crs_in"] = gdf.crs.name if gdf.crs.to_epsg() is None else f"EPSG:{gdf.crs.to_epsg()}"
    if _is_lambert93(gdf.crs):
        if gdf.crs.to_epsg() != 2154:
            report.note("rep.l93")
        return gdf.set_crs(WORK_CRS, allow_override=True)
    report.note("rep.reprojected", crs=report.details["crs_in"])
    return gdf.to_crs(WORK_CRS)
