"""Hostile-file guards every reader shares: the limits on a file's shape (columns, rows, vertices, nesting),
GDAL with network and virtual-file tricks turned off, and local paths that are plain files only.

Uploads and local files are untrusted.  GDAL picks its driver from a file's *content*, so a GDAL
VRT or GDALG pipeline named ``units.geojson`` would be opened as such (reading /etc/passwd, fetching
internal URLs), and a GeoPackage whose layer is a SQL view runs whatever query the view holds.
Before GDAL sees a file, its content is sniffed and must match the declared format; GeoJSON and
GeoPackage are then opened with the driver pinned ("GeoJSON:" / "GPKG:" prefixes), GeoParquet is
read by pyarrow (never GDAL), GeoPackages are inspected with sqlite3 (read-only, immutable) so that
only real tables are read, and size limits are checked before the heavy parsing.

The format checks live beside: :mod:`lillegeo.io.sniff` (what a file is), :mod:`lillegeo.io.geojson`,
:mod:`lillegeo.io.gpkg`, :mod:`lillegeo.io.shapefile` and :mod:`lillegeo.io.xlsx`.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from ..limits import Limits, limits as current_limits
from .base import Source

__all__ = ["GDAL_SAFE_CONFIG", "MAX_COLUMNS", "MAX_ROWS", "MAX_VERTICES", "MAX_JSON_DEPTH", "MAX_GPKG_INSPECT_S"]

# limits: see lillegeo/limits.py -- its ``limits()`` (defaults overridden by LILLEGEO_LIMIT_* variables)
# wins; these constants are the fallback for a limit it does not hold.
#: Most columns (fields) a table, a points file or a contour layer may have.
MAX_COLUMNS = 2_000
#: Most rows (features) a table, a points file or a contour layer may have.
MAX_ROWS = 5_000_000
#: Most vertices all contour geometries together may have.
MAX_VERTICES = 20_000_000
#: Deepest nesting of arrays and objects in a GeoJSON file (a collection of MultiPolygons needs 9).
MAX_JSON_DEPTH = 32
#: Longest a GeoPackage inspection (sqlite3) may take, in seconds.
MAX_GPKG_INSPECT_S = 10.0


class _Refused(ValueError):
    """A reader's own refusal (passed through as it is by the wrappers that reword driver errors)."""


#: Limit name here -> field of ``lillegeo.limits.Limits``.
_LIMIT_FIELDS = {"MAX_COLUMNS": "max_columns", "MAX_ROWS": "max_rows", "MAX_VERTICES": "max_vertices",
                 "MAX_JSON_DEPTH": "max_nesting"}


def _limit(name: str):
    """A limit in force now: from ``lillegeo.limits.limits()`` when it has it, else this module's default."""
    field_name = _LIMIT_FIELDS.get(name)
    if field_name:
        value = getattr(current_limits(), field_name, None)
        if value is not None:
            return value
    return globals()[name]


def _limit_var(name: str) -> str:
    """' (LILLEGEO_LIMIT_MAX_COLUMNS)': the variable that changes a limit, when lillegeo.limits has one."""
    field_name = _LIMIT_FIELDS.get(name)
    return f" ({Limits.env_name(field_name)})" if field_name else ""


def _limit_text(name: str) -> str:
    """'2,000 (LILLEGEO_LIMIT_MAX_COLUMNS)': a limit and the variable that changes it."""
    return f"{_limit(name):,}{_limit_var(name)}"


#: GDAL configuration that turns off network and virtual-file tricks (names checked against GDAL 3.12).
GDAL_SAFE_CONFIG = {
    # no /vsicurl/ (nor /vsis3/, /vsigs/…) file name is allowed, whatever its extension
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "/vsicurl/lillegeo-network-access-disabled",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".lillegeo-network-access-disabled",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_NETRC": "NO",
    "GDAL_VRT_ENABLE_PYTHON": "NO",
    "GDAL_VRT_ENABLE_RAWRASTERBAND": "NO",
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    "OGR_SQLITE_LOAD_EXTENSIONS": None,
    "GDAL_PAM_ENABLED": "NO",  # never read or write .aux.xml side-cars
    # every other HTTP fetch GDAL could make (a CRS given as a URL: GeoJSON "crs" links, OSR user
    # input) goes to a proxy on the discard port where nothing listens: refused at once
    "GDAL_HTTP_PROXY": "127.0.0.1:9",
    "GDAL_HTTPS_PROXY": "127.0.0.1:9",
}
_GDAL_HARDENED = False


def _harden_gdal() -> None:
    """Set :data:`GDAL_SAFE_CONFIG` once per process, before GDAL opens anything."""
    global _GDAL_HARDENED
    if _GDAL_HARDENED:
        return
    import pyogrio

    pyogrio.set_gdal_config_options(GDAL_SAFE_CONFIG)
    _GDAL_HARDENED = True


def _check_local_path(src: Source) -> None:
    """Refuse GDAL virtual paths, driver prefixes and URLs given as a path (command line, recipes)."""
    if not isinstance(src, (str, Path)):
        return
    s = str(src)
    try:
        absolute = str(Path(s).resolve())
    except (OSError, RuntimeError, ValueError):
        absolute = s
    vsi = any(re.match(r"[/\\]vsi", x, re.IGNORECASE) for x in (s, absolute))
    if vsi or ":" in re.sub(r"^[A-Za-z]:[/\\]", "", s) or "\x00" in s:
        raise ValueError(f"'{s}' looks like a GDAL virtual path, a driver prefix or a URL (/vsi…, DRIVER:…, "
                         "http://…); only plain local files are read; refused")


def _check_counts(dq: str, *, columns: int | None = None, rows: int | None = None,
                  vertices: int | None = None) -> None:
    """Refuse a file over a limit, saying which and what to do."""
    if columns is not None and columns > _limit("MAX_COLUMNS"):
        raise _Refused(f"{dq} has {columns:,} columns, over the limit of {_limit_text('MAX_COLUMNS')}; refused. "
                       "Keep only the columns you need (in a spreadsheet, QGIS or ogr2ogr) and load that file")
    if rows is not None and rows > _limit("MAX_ROWS"):
        raise _Refused(f"{dq} has {rows:,} rows, over the limit of {_limit_text('MAX_ROWS')}; refused. "
                       "Keep only your area or period and load that file")
    if vertices is not None and vertices > _limit("MAX_VERTICES"):
        raise _Refused(f"{dq} has {vertices:,} vertices, over the limit of {_limit_text('MAX_VERTICES')}; "
                       "refused. Simplify the contours (QGIS Simplify, mapshaper) or keep only your area")


def _check_frame_limits(gdf: gpd.GeoDataFrame, dq: str) -> None:
    """Rows, columns and vertices of a layer once read (cheap; before any geometry work)."""
    has_geom = isinstance(gdf, gpd.GeoDataFrame) and gdf._geometry_column_name in gdf.columns
    geom = gdf.geometry.values if has_geom else None
    vertices = int(shapely.get_num_coordinates(np.asarray(geom)).sum()) if geom is not None else 0
    _check_counts(dq, columns=gdf.shape[1] - (geom is not None), rows=len(gdf), vertices=vertices)
