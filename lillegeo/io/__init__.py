"""Reading files, trusted or not: contours (units), indicator tables and points, and the official downloads.

The flow: a source's bytes (:mod:`~lillegeo.io.base`) pass the hostile-file guards
(:mod:`~lillegeo.io.guard`, :mod:`~lillegeo.io.sniff`, :mod:`~lillegeo.io.archives` and the format
screens :mod:`~lillegeo.io.geojson`, :mod:`~lillegeo.io.gpkg`, :mod:`~lillegeo.io.shapefile`,
:mod:`~lillegeo.io.xlsx`) before a reader parses them (:mod:`~lillegeo.io.vector` for units,
:mod:`~lillegeo.io.tables`, :mod:`~lillegeo.io.points`), in Lambert-93 (:mod:`~lillegeo.io.crs`).
Untrusted files are read in a bounded worker process (:mod:`~lillegeo.io.worker`, whose child side is
:mod:`~lillegeo.io.child`); :mod:`~lillegeo.io.fetch` downloads the official IGN and INSEE files.
"""

from .base import KEY_CANDIDATES, MAX_UPLOAD_MB, LoadReport, SchemaError, Source
from .crs import DISPLAY_CRS, WORK_CRS
from .fetch import OFFICIAL_SOURCES, fetch_area, load_source_table
from .guard import GDAL_SAFE_CONFIG
from .points import csv_columns, read_points
from .tables import WITHHELD_MARKERS, detect_key, read_table
from .vector import STD, UNIT_SCHEMAS, read_units, suggest_unit_mapping
from .worker import ReadLimitError, last_read_stats, read_points_bounded, read_table_bounded, read_units_bounded

__all__ = [
    "LoadReport", "SchemaError", "Source", "read_units", "read_table", "read_points", "detect_key",
    "suggest_unit_mapping", "csv_columns", "UNIT_SCHEMAS", "STD", "KEY_CANDIDATES", "WITHHELD_MARKERS",
    "WORK_CRS", "DISPLAY_CRS", "MAX_UPLOAD_MB", "GDAL_SAFE_CONFIG",
    "read_units_bounded", "read_table_bounded", "read_points_bounded", "ReadLimitError", "last_read_stats",
    "OFFICIAL_SOURCES", "fetch_area", "load_source_table",
]
