"""An area drawn by hand (a patrol zone outlined in QGIS, a project's perimeter): a polygon layer with
any columns or none, read with the same screened, driver-whitelisted opening as the units
(:func:`lillegeo.io.vector._read_vector_source`) and put in Lambert-93 (:func:`lillegeo.io.crs._to_work_crs`:
a GeoJSON without CRS is WGS84, any other file needs its ``.prj`` / CRS).

>>> from shapely.geometry import box, mapping
>>> import json
>>> fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
...       "geometry": mapping(box(3.05, 50.62, 3.06, 50.63))}]}
>>> area, rep = read_area(json.dumps(fc).encode(), name="zone.geojson")
>>> len(area), area.crs.to_epsg(), list(area.columns)
(1, 2154, ['geometry'])
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely

from .base import LoadReport, Source, _name_of
from .crs import _to_work_crs
from .guard import _check_local_path
from .vector import _read_vector_source

__all__ = ["read_area"]


def read_area(src: Source, *, name: str | None = None, crs: Any = None,
              layer: str | None = None) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """Read a polygon layer as one treated area: its polygons in EPSG:2154, no attribute kept.

    Raises ``ValueError`` (in words) for an empty file, a file with no polygon (points or lines have no
    area), a file with no CRS (a GeoJSON without one is read as WGS84), or a format outside the allow-list.
    """
    report = LoadReport(_name_of(src, name), "area")
    _check_local_path(src)
    gdf = _read_vector_source(src, report, layer)
    if len(gdf) == 0:
        raise ValueError(f"'{report.source}' holds no features")
    if "geometry" not in gdf or gdf.geometry.isna().all():
        raise ValueError(f"'{report.source}' has no geometry column; the treated area must be polygons")
    if gdf.geometry.name != "geometry":
        gdf = gdf.rename_geometry("geometry")
    gdf = gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    kinds = set(gdf.geom_type.dropna().unique())
    bad = kinds - {"Polygon", "MultiPolygon"}
    if not len(gdf) or bad:
        shown = ", ".join(sorted(bad)) or "empty"
        raise ValueError(f"'{report.source}' holds {shown} geometries; the treated area must be polygons")
    geoms = shapely.force_2d(gdf.geometry.values)
    gdf = gpd.GeoDataFrame(geometry=geoms, crs=gdf.crs)
    gdf = _to_work_crs(gdf, report, crs=crs, planar=False)
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        fixed = [shapely.union_all([p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")])
                 for g in shapely.make_valid(gdf.geometry.values)]
        gdf = gpd.GeoDataFrame(geometry=fixed, crs=gdf.crs)
        report.note("rep.repaired", n=int(invalid.sum()))
    gdf = gdf[~gdf.geometry.is_empty & (gdf.geometry.area > 0)].reset_index(drop=True)
    if not len(gdf):
        raise ValueError(f"'{report.source}' holds empty geometries; the treated area must be polygons")
    report.rows = len(gdf)
    return gdf, report
