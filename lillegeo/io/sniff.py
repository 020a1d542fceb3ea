"""What a file really is, from its first bytes: GDAL picks its driver from a file's content, so the content
must match the declared format before GDAL sees it.  Gives the plain-language description used in
refusal messages and the one-line refusal itself."""

from __future__ import annotations

import re
from pathlib import Path

from .guard import _Refused

#: What a contour/points file must be, by extension.
_DECLARED = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".shp": "shp",
             ".parquet": "parquet", ".geoparquet": "parquet"}
_FORMAT_TEXT = {"geojson": "GeoJSON", "gpkg": "a GeoPackage", "shp": "an ESRI shapefile",
                "parquet": "a GeoParquet file"}
_GPKG_APP_IDS = (b"GPKG", b"GP10", b"GP11")
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Descriptions meaning "we do not know what this is" (the message then says "could not read").
_UNKNOWN = ("binary data of an unknown format", "text", "an empty file")


def _head(path: Path, n: int = 65536) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def _looks_like(head: bytes) -> str:
    """A plain-language guess of what a file is, from its first bytes (for refusal messages)."""
    if not head:
        return "an empty file"
    if head.startswith(_SQLITE_MAGIC):
        return "a GeoPackage" if head[68:72] in _GPKG_APP_IDS else "a SQLite database"
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive or an Office document"
    if head.startswith(b"PAR1"):
        return "a Parquet file"
    if head[:4] == b"\x00\x00\x27\x0a":
        return "an ESRI shapefile (.shp)"
    if head.startswith(b"fgb\x03"):
        return "a FlatGeobuf file"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"\x1f\x8b"):
        return "a gzip archive"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "a 7z archive"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    low = text[:8192].lower()
    if b"gdal_streamed_alg" in low:
        return "a GDAL GDALG pipeline (gdal_streamed_alg)"
    if b"<ogrvrtdatasource" in low:
        return "a GDAL VRT XML file"
    if b"<vrtdataset" in low:
        return "a GDAL raster VRT XML file"
    if text.startswith(b"<"):
        for tag, what in ((b"<html", "an HTML page"), (b"<!doctype html", "an HTML page"), (b"<kml", "KML"),
                          (b"<gml", "GML"), (b"featurecollection", "GML or WFS XML")):
            if tag in low:
                return what
        return "an XML document"
    if text.startswith(b"{"):
        if re.search(rb'"type"\s*:\s*"topology"', low):
            return "TopoJSON"
        if b'"geometrytype"' in low or b'"spatialreference"' in low:
            return "Esri JSON"
        if re.search(rb'"type"\s*:\s*"(featurecollection|feature)"', low):
            return "GeoJSON"
        return "JSON"
    if text.startswith(b"["):
        return "a JSON array"
    if text.startswith(b"\x1e"):
        return "a GeoJSON text sequence"
    sample = head[:4096]
    printable = sum(32 <= b < 127 or b in (9, 10, 13) or b >= 128 for b in sample)
    if printable >= 0.95 * len(sample) and b"\x00" not in sample:
        return "text"
    return "binary data of an unknown format"


def _not_format(dq: str, fmt: str, what: str, hint: str = "") -> ValueError:
    """The refusal of a file whose content is not its declared format."""
    expected = _FORMAT_TEXT[fmt]
    hint = f". {hint}" if hint else ""
    if what in _UNKNOWN:
        return _Refused(f"could not read {dq}: it is not {expected} (it looks like {what}); refused{hint}")
    return _Refused(f"{dq} is not {expected} (it looks like {what}); refused{hint}")


def _format_of(path: Path, dq: str) -> str:
    """The declared format of a vector file; without a known extension, one of the allowed formats
    recognised from the content (never a format GDAL would guess on its own)."""
    fmt = _DECLARED.get(path.suffix.lower())
    if fmt is not None:
        return fmt
    what = _looks_like(_head(path))
    found = {"GeoJSON": "geojson", "a GeoPackage": "gpkg", "a Parquet file": "parquet"}.get(what)
    if found is None:
        raise ValueError(f"{dq} is not a contour or points format lillegeo reads (it looks like {what}); "
                         "give a GeoJSON (.geojson), a GeoPackage (.gpkg), a zipped shapefile (.zip) or "
                         "GeoParquet (.parquet); refused")
    return found
