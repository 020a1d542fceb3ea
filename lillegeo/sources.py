"""Readers for contours (units), indicator tables and points, as publishers write them.

Every reader returns the data **and** a report saying what it did (encoding,
separator, repaired geometries, withheld markers, rejected rows…), so that the
app and the command line can show it.  Reprojection is explicit and logged in
the report: units and points are held in Lambert-93 (EPSG:2154, metres) for
measurement and converted to WGS84 only for display.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Union

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

log = logging.getLogger(__name__)

__all__ = [
    "LoadReport", "read_units", "read_table", "read_points", "detect_key",
    "UNIT_SCHEMAS", "WITHHELD_MARKERS", "WORK_CRS", "DISPLAY_CRS", "SchemaError",
]

WORK_CRS = "EPSG:2154"
DISPLAY_CRS = "EPSG:4326"
MAX_UPLOAD_MB = 200
#: Largest total size a zip may expand to, and largest expansion ratio (zip bombs).
MAX_UNZIPPED_MB = 1024
MAX_ZIP_RATIO = 200

#: Text INSEE and Filosofi write where a value is withheld or not available.
WITHHELD_MARKERS = ("ns", "nd", "s", "nc", "", "na", "n/a", "nan", "secret")

#: Standard columns of a units layer after reading.
STD = ("unit_id", "unit_name", "commune_id", "commune_name", "unit_type")

#: Known contour schemas: standard column -> source column (matched case-sensitively first).
UNIT_SCHEMAS: dict[str, dict[str, str]] = {
    "IGN CONTOURS-IRIS (before 2024)": {
        "unit_id": "CODE_IRIS", "unit_name": "NOM_IRIS", "commune_id": "INSEE_COM",
        "commune_name": "NOM_COM", "unit_type": "TYP_IRIS"},
    "IGN CONTOURS-IRIS PE / IRIS-GE (2024+)": {
        "unit_id": "code_iris", "unit_name": "nom_iris", "commune_id": "code_insee",
        "commune_name": "nom_commune", "unit_type": "type_iris"},
    "IGN CONTOURS-IRIS (2014-2015)": {
        "unit_id": "DCOMIRIS", "unit_name": "NOM_IRIS", "commune_id": "DEPCOM",
        "commune_name": "NOM_COM", "unit_type": "TYP_IRIS"},
}

#: Key columns of INSEE/IRIS tables, in order of preference.
KEY_CANDIDATES = ("IRIS", "CODE_IRIS", "code_iris", "DCOMIRIS", "iris", "iris_code", "CODGEO", "codgeo")

_IRIS_RE = re.compile(r"^(\d{2}|2[AB])\d{3}\d{4}$")

Source = Union[str, Path, bytes, BinaryIO]


class SchemaError(ValueError):
    """The columns of a file were not recognised; the message says how to map them."""

    def __init__(self, message: str, columns: list[str]):
        super().__init__(message)
        self.columns = columns


@dataclass
class LoadReport:
    """What a reader did to a file.

    Attributes
    ----------
    source : str
        File name as given by the user.
    kind : str
        ``"units"``, ``"table"`` or ``"points"``.
    rows : int
        Rows (features) kept.
    details : dict
        Reader-specific facts (format, encoding, separator, schema, CRS…).
    messages : list of str
        Plain-language notes on everything that was changed or rejected.
    """

    source: str
    kind: str
    rows: int = 0
    details: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    codes: list = field(default_factory=list)

    def note(self, key: str, **kwargs) -> None:
        """Record a note by its i18n key (``rep.*``); ``messages`` holds the English text."""
        from .i18n import t

        self.codes.append((key, kwargs))
        msg = t(key, "en", **kwargs)
        self.messages.append(msg)
        log.info("%s: %s", self.source, msg)

    def messages_in(self, lang: str = "en") -> list[str]:
        """The notes in ``lang``."""
        from .i18n import t

        return [t(k, lang, **kw) for k, kw in self.codes]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "kind": self.kind, "rows": self.rows,
                "details": self.details, "messages": list(self.messages)}


# ----------------------------------------------------------------------------- helpers

def _name_of(src: Source, name: str | None) -> str:
    if name:
        return str(name)
    if isinstance(src, (str, Path)):
        return Path(src).name
    return getattr(src, "name", "upload")


def _read_bytes(src: Source) -> bytes:
    if isinstance(src, bytes):
        data = src
    elif isinstance(src, (str, Path)):
        p = Path(src)
        if not p.exists():
            raise ValueError(f"file not found: '{p}'; check the path")
        if not p.is_file():
            raise ValueError(f"'{p}' is not a regular file; give the path of the file itself")
        if p.stat().st_size > MAX_UPLOAD_MB * 1024 * 1024:
            raise ValueError(f"'{p.name}' is {p.stat().st_size / 2**20:.0f} MB, over the {MAX_UPLOAD_MB} MB limit")
        data = p.read_bytes()
    elif hasattr(src, "read"):
        data = src.read()
        if hasattr(src, "seek"):
            src.seek(0)
    else:
        raise TypeError(f"expected a path, bytes or a file object, got {type(src).__name__}")
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        raise ValueError(f"file is {len(data) / 2**20:.0f} MB, over the {MAX_UPLOAD_MB} MB limit")
    if len(data) == 0:
        raise ValueError("the file is empty (0 bytes)")
    return data


def _safe_extract(data: bytes, dest: Path, report: LoadReport) -> list[Path]:
    """Extract a zip into ``dest`` refusing path traversal, nested zips and zip bombs."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValueError(f"'{report.source}' is not a valid zip archive ({exc})") from None
    out = []
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        # every check runs on the whole directory before a single byte is written
        for info in infos:
            name = info.filename.replace("\\", "/")
            parts = [p for p in name.split("/") if p not in ("", ".")]
            if name.startswith("/") or ".." in parts or re.match(r"^[A-Za-z]:", name):
                raise ValueError(f"zip entry '{info.filename}' points outside the archive; refused")
            if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
                raise ValueError(f"zip entry '{info.filename}' expands {info.file_size / info.compress_size:.0f}-fold "
                                 f"(limit {MAX_ZIP_RATIO}); refused as a possible zip bomb")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_MB * 2**20:
            raise ValueError(f"'{report.source}' would expand to {total / 2**20:,.0f} MB in {len(infos)} entries, "
                             f"over the {MAX_UNZIPPED_MB} MB limit; refused as a possible zip bomb")
        for info in infos:
            name = info.filename.replace("\\", "/")
            parts = [p for p in name.split("/") if p not in ("", ".")]
            if parts and parts[-1].startswith("__MACOSX") or "__MACOSX" in parts:
                continue
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as fsrc, open(target, "wb") as fdst:
                fdst.write(fsrc.read())
            out.append(target)
    report.details["zip_entries"] = [str(p.relative_to(dest)) for p in out]
    return out


def _find_col(columns: list[str], wanted: str) -> str | None:
    if wanted in columns:
        return wanted
    low = {c.lower(): c for c in columns}
    return low.get(wanted.lower())


def _is_lambert93(crs: pyproj.CRS) -> bool:
    """True when ``crs`` is Lambert-93 even if pyproj cannot name its EPSG code."""
    try:
        if crs.to_epsg() == 2154:
            return True
        ref = pyproj.CRS.from_epsg(2154)
        if crs.equals(ref, ignore_axis_order=True):
            return True
        import warnings
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
            "State one: in the app pick it under 'CRS of the file'; on the command line add "
            "--crs EPSG:2154 (Lambert-93) or --crs EPSG:4326 (longitude/latitude), "
            "or --planar for planar coordinates that must not be reprojected.")
    report.details["crs_in"] = gdf.crs.name if gdf.crs.to_epsg() is None else f"EPSG:{gdf.crs.to_epsg()}"
    if _is_lambert93(gdf.crs):
        if gdf.crs.to_epsg() != 2154:
            report.note("rep.l93")
        return gdf.set_crs(WORK_CRS, allow_override=True)
    report.note("rep.reprojected", crs=report.details["crs_in"])
    return gdf.to_crs(WORK_CRS)


# ----------------------------------------------------------------------------- untrusted files
#
# Uploads and local files are untrusted.  GDAL picks its driver from a file's *content*, so a GDAL
# VRT or GDALG pipeline named ``units.geojson`` would be opened as such (reading /etc/passwd, fetching
# internal URLs), and a GeoPackage whose layer is a SQL view runs whatever query the view holds.
# Before GDAL sees a file, its content is sniffed and must match the declared format; GeoJSON and
# GeoPackage are then opened with the driver pinned ("GeoJSON:" / "GPKG:" prefixes), GeoParquet is
# read by pyarrow (never GDAL), GeoPackages are inspected with sqlite3 (read-only, immutable) so that
# only real tables are read, and size limits are checked before the heavy parsing.

# limits: see lillegeo/limits.py -- its ``limits()`` (defaults overridden by LILLEGEO_LIMIT_* variables)
# wins; these constants are the fallback when that module is absent.
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


def _limits_module():
    try:
        from . import limits as mod  # type: ignore[attr-defined]
    except ImportError:
        return None
    return mod if hasattr(mod, "limits") else None


def _limit(name: str):
    """A limit in force now: from ``lillegeo.limits.limits()`` when it has it, else this module's default."""
    mod, field_name = _limits_module(), _LIMIT_FIELDS.get(name)
    if mod is not None and field_name:
        value = getattr(mod.limits(), field_name, None)
        if value is not None:
            return value
    return globals()[name]


def _limit_var(name: str) -> str:
    """' (LILLEGEO_LIMIT_MAX_COLUMNS)': the variable that changes a limit, when lillegeo.limits has one."""
    mod, field_name = _limits_module(), _LIMIT_FIELDS.get(name)
    return f" ({mod.Limits.env_name(field_name)})" if mod is not None and field_name and hasattr(mod, "Limits") else ""


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


#: What a contour/points file must be, by extension.
_DECLARED = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".shp": "shp",
             ".parquet": "parquet", ".geoparquet": "parquet"}
_FORMAT_TEXT = {"geojson": "GeoJSON", "gpkg": "a GeoPackage", "shp": "an ESRI shapefile",
                "parquet": "a GeoParquet file"}
_GEOJSON_TYPES = {"FeatureCollection", "Feature", "Point", "MultiPoint", "LineString", "MultiLineString",
                  "Polygon", "MultiPolygon", "GeometryCollection"}
_GPKG_APP_IDS = (b"GPKG", b"GP10", b"GP11")
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Descriptions meaning "we do not know what this is" (the message then says "could not read").
_UNKNOWN = ("binary data of an unknown format", "text", "an empty file")


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


# ---- GeoJSON

def _json_scan(path: Path, max_depth: int, chunk: int = 1 << 22) -> tuple[int, list[int], bool]:
    """One vectorised pass over a JSON file, without parsing it.

    Returns the deepest nesting of arrays/objects (stops early past ``max_depth``), the byte offsets
    of the strings directly inside the top-level object (its member names and string values) and
    whether the brackets were balanced.  Strings (with escaped quotes) are skipped exactly.
    """
    depth, deepest, in_str, carry_bs, offset = 0, 0, 0, 0, 0
    top: list[int] = []
    balanced = True
    with open(path, "rb") as f:
        while True:
            buf = f.read(chunk)
            if not buf:
                break
            a = np.frombuffer(buf, dtype=np.uint8)
            n = len(a)
            q = np.flatnonzero(a == 34)
            escaped = (a[np.maximum(q - 1, 0)] == 92) & (q > 0) | ((q == 0) & (carry_bs > 0))
            if escaped.any():  # some quote follows a backslash: count each run of backslashes
                idx = np.arange(n, dtype=np.int64)
                last_nb = np.where(a == 92, -1, idx)  # last position (<= i) that is not a backslash
                np.maximum.accumulate(last_nb, out=last_nb)
                prev = q - 1
                safe = np.maximum(prev, 0)
                run = np.where(prev >= 0, prev - last_nb[safe], 0)
                run = run + np.where((prev < 0) | (last_nb[safe] == -1), carry_bs, 0)
                toggles = q[(run % 2) == 0]  # quotes that open or close a string
            else:
                toggles = q
            struct = np.flatnonzero((a == 123) | (a == 91) | (a == 125) | (a == 93))
            outside = ((np.searchsorted(toggles, struct) + in_str) % 2) == 0
            s = struct[outside]
            d = depth + np.cumsum(np.where((a[s] == 123) | (a[s] == 91), 1, -1))
            if len(d):
                deepest = max(deepest, int(d.max()))
                if int(d.min()) < 0:
                    balanced = False
            if deepest > max_depth:
                return deepest, top, balanced
            if len(top) < 10_000:
                opens = toggles[((np.arange(len(toggles)) + in_str) % 2) == 0]
                j = np.searchsorted(s, opens)
                dep = np.where(j > 0, d[np.maximum(j - 1, 0)] if len(d) else depth, depth)
                top.extend(int(x) + offset for x in opens[dep == 1][: 10_000 - len(top)])
            if len(d):
                depth = int(d[-1])
            in_str = (in_str + len(toggles)) % 2
            tail = n - len(buf.rstrip(b"\\"))  # backslashes ending the chunk
            carry_bs = tail + (carry_bs if tail == n else 0)
            offset += n
    return deepest, top, balanced and depth == 0


_JSON_MEMBER = re.compile(rb'"((?:[^"\\]|\\.){0,200})"\s*:\s*(?:"((?:[^"\\]|\\.){0,200})")?', re.DOTALL)


_CRS_MEMBER = re.compile(rb'"(crs|\\u0063rs|c\\u0072s|cr\\u0073)"\s*:\s*\{|\\u00(63|72|73)', re.IGNORECASE)


def _check_geojson_crs(path: Path, dq: str) -> None:
    """Refuse a GeoJSON ``crs`` given as a link or a URL: GDAL would fetch it (a request from the server
    to any address, seen in the attack round). A named CRS (``EPSG:2154``, an OGC URN) is fine. The crs
    object is decoded with the json module, so escaped characters (``\\/``, ``\\u0068ref``) are seen."""
    import json
    import mmap

    def strings(v):
        if isinstance(v, dict):
            for k, x in v.items():
                yield k
                yield from strings(x)
        elif isinstance(v, list):
            for x in v:
                yield from strings(x)
        elif isinstance(v, str):
            yield v

    refuse = ValueError(f"{dq} gives its coordinate reference system as a link or a URL, which would make the "
                        "server fetch it; refused. Give the CRS by name (\"EPSG:2154\") or leave it out and "
                        "choose it under 'CRS of the file'")
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        for m in _CRS_MEMBER.finditer(mm):
            if not m.group(0).endswith(b"{"):  # an escaped letter of "crs" outside a member: look closer
                if re.search(rb'"[^"]{0,40}"\s*:\s*\{', mm[m.start():m.start() + 64]) is None:
                    continue
            start = mm.find(b"{", m.start())
            try:
                obj, _ = json.JSONDecoder().raw_decode(mm[start:start + 65536].decode("utf-8", "replace"))
            except ValueError:
                raise refuse from None
            for text in strings(obj):
                low = text.lower()
                if low in ("link", "href") or "://" in low or low.startswith(("/vsi", "http", "ftp", "file:")):
                    raise refuse


def _check_geojson(path: Path, dq: str) -> None:
    """Refuse anything but JSON whose top-level ``type`` is a GeoJSON type, or nested too deep."""
    import json

    head = _head(path)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        raise _not_format(dq, "geojson", _looks_like(head))
    limit = _limit("MAX_JSON_DEPTH")
    deepest, top, balanced = _json_scan(path, limit)
    if deepest > limit:
        raise ValueError(f"{dq} nests JSON arrays and objects more than {limit} levels deep, over the limit"
                         f"{_limit_var('MAX_JSON_DEPTH')}; refused (GeoJSON contours need fewer than 10)")
    types, keys = set(), set()
    with open(path, "rb") as f:
        for off in top:
            f.seek(off)
            m = _JSON_MEMBER.match(f.read(512))
            if not m:
                continue
            try:
                key = json.loads(b'"' + m.group(1) + b'"')
                keys.add(key)
                if key == "type" and m.group(2) is not None:
                    types.add(json.loads(b'"' + m.group(2) + b'"'))
            except ValueError:
                continue
    if len(types) == 1 and next(iter(types)) in _GEOJSON_TYPES:
        _check_geojson_crs(path, dq)
        return
    hint = ""
    if "gdal_streamed_alg" in types:
        what = "a GDAL GDALG pipeline (gdal_streamed_alg)"
    elif "Topology" in types:
        what, hint = "TopoJSON", "Convert it to GeoJSON first (mapshaper, QGIS)"
    elif len(types) > 1:
        what = f"JSON with several top-level types {sorted(map(str, types))}"
    elif types:
        what = f"JSON of type '{str(next(iter(types)))[:40]}'"
    elif {"geometryType", "spatialReference", "fieldAliases"} & keys:
        what, hint = "Esri JSON", "Export it as GeoJSON first (QGIS, ogr2ogr)"
    else:
        what = "JSON without a GeoJSON \"type\" member"
        if not balanced:
            raise ValueError(f"could not read {dq} as GeoJSON: no top-level \"type\" member was found "
                             "(the file may be truncated)")
    raise _not_format(dq, "geojson", what, hint)


# ---- GeoPackage

def _gpkg_error(dq: str, exc: Exception) -> ValueError:
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    if "interrupt" in detail.lower():
        return ValueError(f"{dq}: inspecting the GeoPackage took over {_limit('MAX_GPKG_INSPECT_S'):g} s; refused")
    return ValueError(f"could not read {dq} as a GeoPackage: the SQLite file is damaged or not a database "
                      f"({detail})")


def _inspect_gpkg(path: Path, dq: str, layer: str | None) -> tuple[str, list[str]]:
    """Check a GeoPackage with sqlite3 (read-only, immutable) before GDAL opens it.

    Returns the layer to read (a real table registered in ``gpkg_contents``) and the names of all
    layers.  Views are never read: a view can hold any query (an endless recursive CTE, say).
    Triggers are allowed (IGN files carry R-tree triggers) since they fire only on writes.
    """
    import sqlite3
    import time
    import urllib.parse

    head = _head(path, 100)
    if not head.startswith(_SQLITE_MAGIC):
        raise _not_format(dq, "gpkg", _looks_like(_head(path)))
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro&immutable=1"
    deadline = time.monotonic() + float(_limit("MAX_GPKG_INSPECT_S"))
    try:
        con = sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None)
    except sqlite3.Error as exc:
        raise _gpkg_error(dq, exc) from None
    try:
        con.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
        objects = {}
        for typ, name, sql in con.execute("SELECT type, name, sql FROM sqlite_master"):
            objects[str(name).lower()] = (typ, str(name), sql or "")
        for lname, (typ, name, _) in objects.items():
            if typ == "view" and lname.startswith(("gpkg", "sqlite_", "rtree_")):
                raise ValueError(f"{dq} is not a valid GeoPackage: '{name}' is a SQL view where a GeoPackage "
                                 "has a table; refused")
        if objects.get("gpkg_contents", ("",))[0] != "table":
            what = "a SQLite database without GeoPackage tables" if head[68:72] not in _GPKG_APP_IDS else \
                "a GeoPackage without its gpkg_contents table"
            raise ValueError(f"{dq} is not a valid GeoPackage (it looks like {what}); refused")
        rows = con.execute("SELECT table_name, data_type FROM gpkg_contents ORDER BY rowid").fetchall()
        gtypes: dict[str, str] = {}
        if objects.get("gpkg_geometry_columns", ("",))[0] == "table":
            gtypes = {str(t): str(g or "") for t, g in
                      con.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns")}
        layers = [str(t) for t, dt in rows if str(dt).lower() in ("features", "attributes")]
        if not layers:
            raise ValueError(f"{dq} holds no vector layer (its gpkg_contents lists none)")

        def kind(t: str) -> str:
            typ, _, sql = objects.get(t.lower(), ("missing", t, ""))
            if typ == "table" and sql.lstrip().upper().startswith("CREATE VIRTUAL"):
                return "virtual"
            return typ

        if layer is not None:
            same = [t for t in layers if t == layer] or [t for t in layers if t.lower() == str(layer).lower()]
            if not same:
                raise ValueError(f"layer '{layer}' not found in {dq}; layers are: {', '.join(layers)}")
            pick = same[0]
        else:  # a file registering a view is refused unless a table layer is named explicitly
            pick = next((t for t in layers if kind(t) == "view"), None)
            if pick is None:
                tables = [t for t in layers if kind(t) == "table"]
                poly = [t for t in tables if "POLYGON" in gtypes.get(t, "").upper()]
                pick = (poly or tables or layers)[0]
        k = kind(pick)
        if k == "view":
            raise ValueError(f"layer '{pick}' of {dq} is a SQL view, not a table; views are not read (a view "
                             "runs a query, possibly an endless one). Export the view as a table (QGIS: "
                             "Export > Save Features As…, or ogr2ogr) and load that file")
        if k != "table":
            raise ValueError(f"layer '{pick}' of {dq} is {'a virtual table' if k == 'virtual' else 'missing'}, "
                             "not a plain table; refused. Export it as a table and load that file")
        qt = '"' + pick.replace('"', '""') + '"'
        cols = con.execute(f"PRAGMA table_xinfo({qt})").fetchall()
        if any(c[6] in (2, 3) for c in cols if len(c) > 6):
            raise ValueError(f"layer '{pick}' of {dq} has computed (generated) columns; refused. Export it as a "
                             "plain table and load that file")
        _check_counts(dq, columns=len(cols) - 1)
        n = con.execute(f"SELECT count(*) FROM {qt}").fetchone()[0]
        _check_counts(dq, rows=int(n))
        return pick, layers
    except sqlite3.Error as exc:
        raise _gpkg_error(dq, exc) from None
    finally:
        con.close()


# ---- shapefile

_DBF_VERSIONS = {0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xE5, 0xF5, 0xFB}


def _sibling(path: Path, ext: str) -> Path | None:
    for e in (ext, ext.upper()):
        p = path.with_suffix(e)
        if p.exists():
            return p
    return None


def _check_shapefile(path: Path, dq: str) -> None:
    """The .shp has the shapefile magic number, the .dbf is a dBase table; counts within the limits."""
    import struct

    head = _head(path, 100)
    if len(head) < 100 or head[:4] != b"\x00\x00\x27\x0a":
        raise _not_format(dq, "shp", _looks_like(_head(path)))
    missing = [e for e in (".dbf", ".shx") if _sibling(path, e) is None]
    if missing:
        raise ValueError(f"shapefile {dq} is missing its {' and '.join(missing)} file; "
                         "zip the .shp, .shx, .dbf and .prj together")
    dbf = _sibling(path, ".dbf")
    dhead = _head(dbf, 32)
    size = dbf.stat().st_size
    if len(dhead) < 32 or dhead[0] not in _DBF_VERSIONS:
        raise ValueError(f"{dq}: its .dbf is not a dBase table (it looks like {_looks_like(_head(dbf))}); refused")
    n_rec, hdr_len = struct.unpack("<IH", dhead[4:10])
    if hdr_len < 33 or hdr_len > size:
        raise ValueError(f"could not read {dq}: its .dbf header is damaged")
    _check_counts(dq, columns=(hdr_len - 33) // 32, rows=n_rec)
    _check_counts(dq, vertices=_shp_vertices(path, _sibling(path, ".shx")))


def _shp_vertices(shp: Path, shx: Path | None) -> int:
    """Total vertices of a shapefile read from its record headers (through the .shx index), not parsed."""
    import struct

    shape_type = struct.unpack("<i", _head(shp, 36)[32:36])[0]
    if shx is None:
        return 0
    idx = np.fromfile(shx, dtype=">i4", offset=100) if shx.stat().st_size > 100 else np.zeros(0, ">i4")
    idx = idx[: len(idx) // 2 * 2].reshape(-1, 2).astype(np.int64) * 2  # (offset, content length) in bytes
    if shape_type in (1, 11, 21):  # points
        return len(idx)
    at = 40 if shape_type in (3, 5, 13, 15, 23, 25, 31) else 36 if shape_type in (8, 18, 28) else None
    if at is None or not len(idx):
        return 0
    data = np.memmap(shp, dtype=np.uint8, mode="r")
    pos = idx[:, 0] + 8 + at
    ok = (idx[:, 1] >= at + 4) & (pos >= 0) & (pos + 4 <= len(data))
    pos = pos[ok]
    if not len(pos):
        return 0
    raw = np.stack([data[pos + k] for k in range(4)], axis=1).copy()
    counts = raw.view("<i4").ravel().astype(np.int64)
    return int(np.clip(counts, 0, None).sum())


# ---- limits

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


# ---- GeoParquet

def _scrub(msg: str, path: Path, shown: str) -> str:
    """A driver's message without the server's temporary paths; first line only."""
    msg = str(msg).splitlines()[0] if str(msg) else ""
    for p in (str(path), str(path.resolve())):
        msg = msg.replace("GPKG:" + p, shown).replace("GeoJSON:" + p, shown).replace(p, shown)
    for d in {str(path.parent), str(path.resolve().parent)}:
        msg = msg.replace(d + "/", "").replace(d, "")
    msg = re.sub(r"\S*lillegeo-[\w-]+/?", "", msg)
    tmp = re.escape(tempfile.gettempdir().rstrip("/"))
    msg = re.sub(tmp + r"/\S*", "<temporary file>", msg)
    return msg[:300]


def _read_geoparquet(path: Path, dq: str, shown: str) -> gpd.GeoDataFrame:
    """GeoParquet through pyarrow (never GDAL), counts checked from the footer first."""
    head = _head(path, 4)
    with open(path, "rb") as f:
        f.seek(max(0, path.stat().st_size - 4))
        tail = f.read(4)
    if head != b"PAR1":
        raise _not_format(dq, "parquet", _looks_like(_head(path)))
    if tail != b"PAR1":
        raise ValueError(f"could not read {dq} as GeoParquet: the file is truncated or damaged "
                         "(no Parquet footer)")
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
        columns, rows = meta.num_columns - 1, meta.num_rows
    except Exception as exc:  # noqa: BLE001 - pyarrow errors carry the temporary path
        raise ValueError(f"could not read {dq} as GeoParquet: {_scrub(exc, path, shown)}") from None
    _check_counts(dq, columns=columns, rows=rows)
    try:
        return gpd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001
        raise ValueError(f"could not read {dq} as GeoParquet: {_scrub(exc, path, shown)}") from None


# ----------------------------------------------------------------------------- units

def _open_vector(data: bytes, name: str, report: LoadReport, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file given as bytes; zip archives are extracted to a private temp dir."""
    lname = name.lower()
    with tempfile.TemporaryDirectory(prefix="lillegeo-") as tmp:
        tmpdir = Path(tmp)
        display = None
        if data[:4] == b"PK\x03\x04" and not lname.endswith((".xlsx", ".gpkg")):
            files = _safe_extract(data, tmpdir, report)
            if any(p.suffix.lower() == ".zip" for p in files):
                raise ValueError(f"'{name}' holds another zip inside; unzip it and upload the inner file")
            cands = [p for p in files if p.suffix.lower() in (".shp", ".gpkg", ".geojson", ".json", ".parquet")]
            if not cands:
                raise ValueError(f"'{name}' holds no .shp, .gpkg, .geojson or .parquet file; "
                                 f"it holds: {', '.join(p.name for p in files) or 'nothing'}")
            shp = [p for p in cands if p.suffix.lower() == ".shp"]
            path = (shp or cands)[0]
            if len(shp) > 1:
                report.note("rep.zip_many", n=len(shp), name=path.name)
            if path.suffix.lower() == ".shp":
                missing = [e for e in (".dbf", ".shx") if not path.with_suffix(e).exists()
                           and not path.with_suffix(e.upper()).exists()]
                if missing:
                    raise ValueError(f"shapefile '{path.name}' is missing its {' and '.join(missing)} file; "
                                     "zip the .shp, .shx, .dbf and .prj together")
            report.details["format"] = f"zipped {path.suffix.lstrip('.').lower()}"
            display = f"'{path.name}' in '{name}'"
        else:
            suffix = Path(lname).suffix or ".bin"
            if not re.fullmatch(r"\.[a-z0-9]{1,12}", suffix):
                suffix = ".bin"
            path = tmpdir / ("upload" + suffix)
            path.write_bytes(data)
            report.details["format"] = suffix.lstrip(".")
        return _read_path(path, report, layer, display)


def _read_path(path: Path, report: LoadReport, layer: str | None, display: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file on disk with the driver of its declared format only (see "untrusted files")."""
    dq = display or f"'{report.source}'"
    shown = display.split("'")[1] if display else report.source
    if ":" in str(path):  # GDAL would read 'GPKG:/a:b.gpkg' as file '/a', table 'b.gpkg'
        raise ValueError(f"{dq}: a file name or folder holding ':' is not read (GDAL takes it for a driver "
                         "prefix); rename it")
    fmt = _format_of(path, dq)
    _harden_gdal()
    if fmt == "parquet":
        gdf = _read_geoparquet(path, dq, shown)
        _check_frame_limits(gdf, dq)
        return gdf
    kwargs: dict[str, Any] = {}
    if fmt == "geojson":
        _check_geojson(path, dq)
        target = "GeoJSON:" + str(path)  # the GeoJSON driver only: never VRT, GDALG, TopoJSON…
    elif fmt == "gpkg":
        pick, layers = _inspect_gpkg(path, dq, layer)
        kwargs["layer"] = pick
        if layer is None and len(layers) > 1:
            report.note("rep.gpkg_layers", n=len(layers), name=pick)
        target = "GPKG:" + str(path)  # the GeoPackage driver only
    else:  # shapefile: no driver prefix exists; the magic number, .shx and .dbf were checked
        _check_shapefile(path, dq)
        target = str(path)
        if _sibling(path, ".cpg") is None:
            enc = _guess_dbf_encoding(_sibling(path, ".dbf"))
            kwargs["encoding"] = enc
            report.details["encoding"] = enc
        if layer is not None:
            kwargs["layer"] = layer
    try:
        gdf = gpd.read_file(target, engine="pyogrio", **kwargs)
    except Exception as exc:  # noqa: BLE001 - turn driver errors into messages
        detail = _scrub(exc, path, shown)
        raise ValueError(f"could not read '{report.source}' as a vector file: {detail}") from None
    _check_frame_limits(gdf, dq)
    return gdf


def _guess_dbf_encoding(dbf: Path) -> str:
    """DBF files without a .cpg: UTF-8 when the text decodes as UTF-8, else cp1252."""
    try:
        raw = dbf.read_bytes()
    except OSError:
        return "utf-8"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _normalise_codes(s: pd.Series, report: LoadReport, what: str, width: int = 9) -> pd.Series:
    """Codes as stripped strings; numeric codes that lost a leading zero are padded back."""
    out = s.astype("string").str.strip()
    out = out.str.replace(r"\.0$", "", regex=True)
    short = out.str.fullmatch(r"\d+") & (out.str.len() == width - 1)
    if short.any():
        out = out.where(~short, out.str.zfill(width))
        report.note("rep.padded", n=int(short.sum()), what=what, width=width)
    return out


def suggest_unit_mapping(columns: list[str]) -> dict[str, str | None]:
    """Best guess of the standard columns in an unknown schema (for pre-filling the UI)."""
    cols = [c for c in columns if c != "geometry"]
    lower = {c.lower(): c for c in cols}

    def pick(*needles: str, avoid: tuple[str, ...] = ()) -> str | None:
        for n in needles:
            for lc, c in lower.items():
                if n in lc and not any(a in lc for a in avoid):
                    return c
        return None

    return {
        # a commune code is never the unit code: 'code_insee' must not win over 'id_zone'
        "unit_id": pick("code_iris", "iris_code", "dcomiris", "codgeo", "code", "id",
                        avoid=("insee", "com", "dep", "reg", "epci")),
        "unit_name": pick("nom_iris", "iris_name", "libiris", "name", "nom", "lib"),
        "commune_id": pick("insee_com", "code_insee", "com_code", "depcom", "insee"),
        "commune_name": pick("nom_com", "commune", "com_name", "libcom"),
        "unit_type": pick("typ_iris", "type_iris", "type"),
    }


def read_units(
    src: Source,
    *,
    name: str | None = None,
    mapping: dict[str, str] | None = None,
    crs: Any = None,
    planar: bool = False,
    layer: str | None = None,
) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """Read IRIS-like contours (units) from any common vector format.

    GeoPackage, GeoJSON, a shapefile (path to the ``.shp``), a zipped
    shapefile and GeoParquet are read.  The IGN CONTOURS-IRIS schemas are
    recognised; other schemas need ``mapping``.

    Parameters
    ----------
    src : path, bytes or file object
        The file.  Bytes and file objects need ``name`` for their extension.
    name : str, optional
        Display name (and extension) of the file.
    mapping : dict, optional
        Source column for each standard column: ``unit_id`` (required),
        ``unit_name``, ``commune_id``, ``commune_name``, ``unit_type``.
    crs : str or int, optional
        CRS to use when the file has none (or overrides a wrong one).
    planar : bool
        Keep planar coordinates as they are (no reprojection, no web basemap).
    layer : str, optional
        Layer of a multi-layer GeoPackage.

    Returns
    -------
    units : GeoDataFrame
        One row per unit, in EPSG:2154, with standard columns ``unit_id`` (str),
        ``unit_name``, ``commune_id``, ``commune_name``, ``unit_type`` and the
        original attributes.
    report : LoadReport

    Raises
    ------
    SchemaError
        When no schema is recognised and ``mapping`` is not given.
    ValueError
        For a missing CRS, duplicate codes, non-polygon geometries…

    Examples
    --------
    >>> from lillegeo.demo import DEMO_DIR
    >>> units, rep = read_units(DEMO_DIR / "units.geojson")
    >>> rep.details["schema"]
    'IGN CONTOURS-IRIS PE / IRIS-GE (2024+)'
    """
    report = LoadReport(_name_of(src, name), "units")
    _check_local_path(src)
    if isinstance(src, (str, Path)) and Path(src).suffix.lower() in (".shp", ".gpkg", ".geojson", ".json", ".parquet"):
        # a local file is read where it is (no copy; the upload limit is for uploads, not for a
        # national file on disk)
        p = Path(src)
        if not p.exists():
            raise ValueError(f"file not found: '{p}'; check the path")
        if not p.is_file():
            raise ValueError(f"'{p}' is not a regular file; give the path of the file itself")
        if p.stat().st_size == 0:
            raise ValueError("the file is empty (0 bytes)")
        report.details["format"] = p.suffix.lstrip(".").lower()
        gdf = _read_path(p, report, layer)
    else:
        gdf = _open_vector(_read_bytes(src), report.source, report, layer)
    if len(gdf) == 0:
        raise ValueError(f"'{report.source}' holds no features")
    if "geometry" not in gdf or gdf.geometry.isna().all():
        raise ValueError(f"'{report.source}' has no geometry column; contours must be polygons")
    if gdf.geometry.name != "geometry":
        gdf = gdf.rename_geometry("geometry")
    cols = [str(c) for c in gdf.columns if c != "geometry"]

    # geometry type first: nothing else matters if these are not polygons
    gtypes = set(gdf.geom_type.dropna().unique())
    bad = gtypes - {"Polygon", "MultiPolygon"}
    if bad:
        raise ValueError(f"'{report.source}' holds {', '.join(sorted(bad))} geometries; units must be polygons")

    # schema
    if mapping:
        missing = [v for v in mapping.values() if v and v not in cols]
        if missing:
            raise ValueError(f"mapped column(s) {missing} not found; columns are: {', '.join(cols)}")
        if not mapping.get("unit_id"):
            raise ValueError("mapping needs 'unit_id': the column holding each unit's code")
        schema_name, sm = "mapped by the user", {k: v for k, v in mapping.items() if v}
    else:
        schema_name, sm, best = None, None, 0
        for sname, schema in UNIT_SCHEMAS.items():
            found = {k: _find_col(cols, v) for k, v in schema.items()}
            if not found["unit_id"]:
                continue
            score = sum(2 if v in cols else 1 for k, v in schema.items() if found[k])
            if score > best:
                schema_name, sm, best = sname, {k: v for k, v in found.items() if v}, score
        if sm is None:
            raise SchemaError(
                f"the columns of '{report.source}' match no known IRIS schema; columns are: {', '.join(cols)}. "
                "Say which column holds the unit code (and name, commune): in the app under 'Map columns', "
                "on the command line with --units-id COLUMN.", cols)
    report.details["schema"] = schema_name
    report.details["columns"] = sm

    # geometry checks
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if empty.any():
        report.note("rep.empty_geom", n=int(empty.sum()))
        gdf = gdf[~empty]
    if shapely.has_z(gdf.geometry.values).any():
        gdf = gdf.set_geometry(shapely.force_2d(gdf.geometry.values))
        report.note("rep.flat3d")

    gdf = _to_work_crs(gdf, report, crs=crs, planar=planar)
    invalid = ~gdf.geometry.is_valid
    report.details["repaired"] = int(invalid.sum())
    if invalid.any():
        fixed = shapely.make_valid(gdf.geometry.values[invalid.to_numpy()])
        fixed = [shapely.union_all([p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")])
                 for g in fixed]
        gdf = gdf.copy()
        gdf.loc[invalid, "geometry"] = fixed
        report.note("rep.repaired", n=int(invalid.sum()))

    out = gpd.GeoDataFrame(index=gdf.index, geometry=gdf.geometry, crs=gdf.crs)
    out.insert(0, "unit_id", _normalise_codes(gdf[sm["unit_id"]], report, "unit"))
    if out["unit_id"].isna().any():
        n = int(out["unit_id"].isna().sum())
        raise ValueError(f"{n} unit(s) have no code in column '{sm['unit_id']}'; every unit needs one")
    out.insert(1, "unit_name", gdf[sm["unit_name"]].astype("string") if "unit_name" in sm else out["unit_id"])
    if "commune_id" in sm:
        out.insert(2, "commune_id", _normalise_codes(gdf[sm["commune_id"]], report, "commune", 5))
    else:
        out.insert(2, "commune_id", out["unit_id"].str[:5])
        report.note("rep.no_commune")
    out.insert(3, "commune_name", gdf[sm["commune_name"]].astype("string") if "commune_name" in sm
               else out["commune_id"])
    out.insert(4, "unit_type", gdf[sm["unit_type"]].astype("string").str.upper() if "unit_type" in sm
               else pd.Series("H", index=gdf.index, dtype="string"))
    if "unit_type" not in sm:
        report.note("rep.no_type")
    for c in cols:
        if c not in sm.values() and c not in out.columns:
            out[c] = gdf[c]
    dup = out["unit_id"][out["unit_id"].duplicated(keep=False)]
    if len(dup):
        shown = ", ".join(sorted(set(dup))[:10])
        raise ValueError(f"{dup.nunique()} unit code(s) appear more than once in '{sm['unit_id']}': {shown}; "
                         "each unit needs a unique code (dissolve duplicates or pick another column)")
    nonstd = ~out["unit_id"].str.fullmatch(_IRIS_RE.pattern)
    if nonstd.any():
        report.note("rep.nonstd", n=int(nonstd.sum()), example=str(out["unit_id"][nonstd].iloc[0]))
    out = out.reset_index(drop=True)
    report.rows = len(out)
    report.details["communes"] = int(out["commune_id"].nunique())
    report.details["types"] = {str(k): int(v) for k, v in out["unit_type"].value_counts().items()}
    return out, report


# ----------------------------------------------------------------------------- tables

def _decode(data: bytes, report: LoadReport) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        report.details["encoding"] = "utf-8 (with BOM)"
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark (Excel "Unicode text")
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError("the file starts with a UTF-16 byte-order mark but is not valid UTF-16 text; "
                             "save it as CSV UTF-8") from None
        report.details["encoding"] = "utf-16"
        report.note("rep.decoded", enc="UTF-16")
        return text
    for enc in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(enc)
            report.details["encoding"] = enc
            if enc != "utf-8":
                report.note("rep.decoded", enc=enc)
            return text
        except UnicodeDecodeError:
            continue
    raise ValueError("could not decode the file as UTF-8 or cp1252")  # pragma: no cover - latin-1 never fails


#: csv.Sniffer's quote detection is quadratic in the length of a line: it sees this many characters.
_SNIFF_CHARS = 8192


def _sniff_sep(text: str) -> str:
    chunk = text[:_SNIFF_CHARS]
    lines = chunk.splitlines()
    if len(text) > len(chunk) and 1 < len(lines) <= 20 and not chunk.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line was cut
    head = "\n".join(lines[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {s: head.count(s) for s in ";,\t|"}
        return max(counts, key=counts.get) if max(counts.values()) else ","


_FR_NUM = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


#: Columns that hold codes (kept as text even when they look like numbers).
_ID_COLUMNS = {"IRIS", "COM", "DEP", "REG", "TRIRIS", "UU2010", "UU2020", "GRD_QUART", "CODGEO", "DEPCOM",
               "CODE_IRIS", "EPCI", "SIREN", "CODE_EPCI", "INSEE_COM"}
#: Cells handled per vectorised step in :func:`_clean_frame` and :func:`detect_key` (wide files: many
#: columns at once; tall files: one column at a time).
_CELLS_PER_BLOCK = 1_000_000


def _floats(s: pd.Series) -> np.ndarray:
    """``pd.to_numeric`` of text as float64 with NaN for what is not a number.

    A column that is all plain numbers (coordinates, counts) is cast by Arrow, ten times faster than
    ``pd.to_numeric`` on millions of points; anything else takes ``pd.to_numeric``'s path."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(s) > 10_000:
        try:
            arr = pa.array(s.to_numpy(dtype=object, na_value=None), type=pa.string())
            plain = pc.match_substring_regex(arr, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
            return pc.cast(pc.if_else(plain, arr, pa.scalar(None, pa.string())), pa.float64()).to_numpy(
                zero_copy_only=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
            pass
    num = pd.to_numeric(s, errors="coerce")
    return np.asarray(num.astype("Float64").to_numpy(dtype="float64", na_value=np.nan))


def _clean_frame(raw: pd.DataFrame, report: LoadReport, key_like: set[str]) -> pd.DataFrame:
    """Strings in, typed columns out: markers to NaN (counted), numbers parsed, codes kept as text.

    Vectorised over blocks of columns (a file of 4,000 columns reads in a fraction of a second).
    """
    from collections import Counter

    df = raw.set_axis([str(c).strip() for c in raw.columns], axis=1)
    first = df.columns[0] if len(df.columns) else None
    if first is not None and (first == "" or first.startswith("Unnamed")):
        vals = df[first].astype(str).str.strip()
        if vals.str.fullmatch(r"\d+").all():
            df = df.drop(columns=first)
            report.note("rep.r_index")
    counts = Counter(df.columns)
    dup = sorted(c for c, k in counts.items() if k > 1)
    if dup:
        raise ValueError(f"column name(s) appear twice: {dup}; rename them")
    withheld: dict[str, int] = {}
    mixed: dict[str, tuple[int, str]] = {}
    decimal_comma = False
    names = list(df.columns)
    n = len(df)
    out: dict[str, Any] = {}
    width = max(1, _CELLS_PER_BLOCK // max(n, 1))
    for b0 in range(0, len(names), width):
        block = names[b0:b0 + width]
        k = len(block)
        cells = df.iloc[:, b0:b0 + k].to_numpy(dtype=object).ravel(order="F")  # column after column
        flat = pd.Series(cells, dtype=object).astype("string").str.strip()
        is_marker = (flat.isna().to_numpy()
                     | flat.str.lower().isin(WITHHELD_MARKERS).to_numpy(dtype=bool, na_value=False)).reshape(k, n)
        lead0 = flat.str.fullmatch(r"0\d+").to_numpy(dtype=bool, na_value=False).reshape(k, n) & ~is_marker
        num = _floats(flat).reshape(k, n)
        text_flat = flat.mask(flat == "")
        parsed: dict[int, np.ndarray] = {}
        fallback: list[int] = []
        for j, c in enumerate(block):
            ok = ~is_marker[j]
            idlike = c in key_like or c.upper() in _ID_COLUMNS
            if idlike or lead0[j].any() or not ok.any():
                continue
            v = num[j][ok]
            if np.isnan(v).any():
                fallback.append(j)
            else:
                parsed[j] = v
        if fallback:
            # text, or numbers written the French way: '12,5', '1 234,5', '1.234,5' (thousands dots are only
            # read as such when the column's values all match that pattern and some has a decimal comma)
            sel = np.concatenate([j * n + np.flatnonzero(~is_marker[j]) for j in fallback])
            s2 = flat.iloc[sel].str.replace(r"[\s\u00a0\u202f]", "", regex=True)
            comma = s2.str.contains(",", regex=False).to_numpy(dtype=bool, na_value=False)
            fr_ok = s2.str.fullmatch(_FR_NUM.pattern).to_numpy(dtype=bool, na_value=False)
            num_fr = _floats(s2.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
            num_plain = _floats(s2)
            pos = 0
            for j in fallback:
                m = int((~is_marker[j]).sum())
                part = slice(pos, pos + m)
                pos += m
                if comma[part].any() and fr_ok[part].all():
                    parsed[j] = num_fr[part]
                    decimal_comma = True
                else:
                    parsed[j] = num_plain[part]
        for j, c in enumerate(block):
            ok = ~is_marker[j]
            v = parsed.get(j)
            if v is not None:
                bad = np.isnan(v)
                if bad.any() and len(v) >= 5 and bad.mean() <= 0.2:
                    # mixed types: a numeric column with a few stray texts (a typo, a footnote mark). The
                    # texts become missing values, counted and named, rather than the whole column turning
                    # into text and vanishing from the indicators.
                    example = flat.iloc[j * n + np.flatnonzero(ok)[np.flatnonzero(bad)[0]]]
                    mixed[c] = (int(bad.sum()), str(example)[:20])
                    bad = bad & False
                if not bad.any():
                    col = np.full(n, np.nan, dtype="float64")
                    col[ok] = v
                    out[c] = col
                    n_w = int(is_marker[j].sum())
                    if n_w:
                        withheld[c] = n_w
                    continue
            out[c] = text_flat.array[j * n:(j + 1) * n]
    result = pd.DataFrame(out, index=df.index, columns=names) if names else df.copy()
    result.attrs = dict(raw.attrs)
    if decimal_comma:
        report.details["decimal"] = ","
        report.note("rep.decimal_comma")
    report.details["withheld"] = withheld
    for col, (n_bad, example) in mixed.items():
        report.note("rep.mixed", col=col, n=n_bad, example=example)
    report.details["mixed"] = {k: v[0] for k, v in mixed.items()}
    if withheld:
        total = sum(withheld.values())
        report.note("rep.withheld", n=total, cols=len(withheld))
    return result


_XML_PARTS = (".xml", ".rels", ".vml")


def _xml_prolog_problem(stream) -> str | None:
    """What is unsafe in the prolog of an XML part (a DOCTYPE or entity declaration), or None."""
    buf = b""
    while len(buf) < 1 << 20:
        chunk = stream.read(65536)
        if not chunk:
            break
        buf += chunk
        if buf[:2] == b"\xff\xfe" or buf[:2] == b"<\x00":
            txt = buf.decode("utf-16-le", "ignore")
        elif buf[:2] == b"\xfe\xff" or buf[:2] == b"\x00<":
            txt = buf.decode("utf-16-be", "ignore")
        else:
            txt = buf.decode("latin-1")
        clean = re.sub(r"<!--.*?-->|<\?.*?\?>", "", txt, flags=re.DOTALL)  # comments and processing instructions
        root = re.search(r"<[A-Za-z_]", clean)
        prolog = clean[:root.start()] if root else clean
        if re.search(r"<!\s*(DOCTYPE|ENTITY)", prolog, re.IGNORECASE):
            return "a DOCTYPE / XML entity declaration"
        if root and "<!--" not in prolog and "<?" not in prolog:
            return None
    return None if len(buf) < 1 << 20 else "an XML part with no element in its first megabyte"


def _xlsx_precheck(data: bytes, name: str) -> None:
    """Before openpyxl: a valid zip, a bounded size, no DOCTYPE or entity in any XML part."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _Refused(f"could not open '{name}' as an XLSX workbook (not a valid zip archive: {exc})") from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_MB * 2**20:
            raise _Refused(f"'{name}' would expand to {total / 2**20:,.0f} MB, over the {MAX_UNZIPPED_MB} MB "
                           "limit; refused as a possible zip bomb")
        for info in infos:
            if not info.filename.lower().endswith(_XML_PARTS):
                continue
            try:
                with zf.open(info) as f:
                    problem = _xml_prolog_problem(f)
            except Exception as exc:  # noqa: BLE001 - a damaged member
                raise _Refused(f"could not open '{name}' as an XLSX workbook (damaged part "
                               f"'{info.filename}': {str(exc).splitlines()[0][:120] if str(exc) else exc!r})") from None
            if problem:
                raise _Refused(f"could not open '{name}' as an XLSX workbook (it contains {problem}, refused)")


def _xlsx_frame(data: bytes, report: LoadReport, sheet: str | int | None) -> pd.DataFrame:
    _xlsx_precheck(data, report.source)
    try:
        return _xlsx_parse(data, report, sheet)
    except _Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - every parser error becomes one line
        chain, e = [], exc
        while e is not None and len(chain) < 10:
            chain.append(e)
            e = e.__cause__ or e.__context__
        if any(type(e).__module__.startswith("defusedxml") for e in chain):
            raise ValueError(f"could not open '{report.source}' as an XLSX workbook (it contains a DOCTYPE / "
                             "XML entity declaration, refused)") from None
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        detail = re.sub(re.escape(tempfile.gettempdir().rstrip("/")) + r"/\S*", "<temporary file>", detail)
        raise ValueError(f"could not open '{report.source}' as an XLSX workbook ({detail})") from None


def _xlsx_parse(data: bytes, report: LoadReport, sheet: str | int | None) -> pd.DataFrame:
    xl = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    sheets = xl.sheet_names
    if sheet is None:
        # INSEE workbooks: data on the first sheet whose header row holds a key column
        sheet = sheets[0]
        for sh in sheets:
            head = xl.parse(sh, header=None, nrows=15, dtype=str)
            if head.isin(KEY_CANDIDATES).any().any():
                sheet = sh
                break
    elif sheet not in sheets and not isinstance(sheet, int):
        raise _Refused(f"sheet '{sheet}' not found; sheets are: {', '.join(sheets)}")
    raw = xl.parse(sheet, header=None, dtype=str)
    _check_counts(f"'{report.source}'", columns=raw.shape[1], rows=max(0, raw.shape[0] - 1))
    hdr = None
    for i in range(min(30, len(raw))):
        row = raw.iloc[i].astype(str).str.strip().tolist()
        if any(v in KEY_CANDIDATES for v in row):
            hdr = i
            break
    if hdr is None:  # first row with as many filled cells as the widest row
        filled = raw.notna().sum(axis=1)
        hdr = int(np.argmax(filled.to_numpy() >= filled.max()))
    if hdr:
        report.note("rep.title_lines", n=hdr, sheet=sheet)
    report.details.update({"format": "xlsx", "sheet": str(sheet), "header_row": hdr + 1})
    df = raw.iloc[hdr + 1:].copy()
    df.columns = [str(c) if pd.notna(c) else f"column_{j}" for j, c in enumerate(raw.iloc[hdr])]
    df = df.dropna(how="all").reset_index(drop=True)
    return df


_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _csv_frame(data: bytes, report: LoadReport) -> pd.DataFrame:
    from collections import Counter

    dq = f"'{report.source}'"
    lines = data.count(b"\n")
    if lines > _limit("MAX_ROWS") + 1:  # counted before parsing: cheap
        raise ValueError(f"{dq} has {lines:,} lines, over the limit of {_limit_text('MAX_ROWS')} rows; refused. "
                         "Keep only your area or period and load that file")
    text = _decode(data, report)
    if not text.strip():
        raise ValueError(f"'{report.source}' is empty")
    sep = _sniff_sep(text)
    report.details.update({"format": "csv", "separator": sep})
    brk = _LINE_BREAK.search(text)
    first = text[:brk.start()] if brk else text
    header = next(csv.reader(io.StringIO(first), delimiter=sep), [])
    _check_counts(dq, columns=len(header))  # before pandas parses anything
    try:
        try:  # the C parser (fast); the Python parser tolerates more irregular files
            if re.search(r"\r(?!\n)", text):
                raise ValueError("a lone carriage return: the C parser would end the line there")
            # UTF-8 bytes, not a StringIO (4 bytes a character: 800 MB for a 200 MB file); Arrow-backed
            # text columns, not Python objects (a third of the memory on millions of points)
            df = pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=sep, dtype="string[pyarrow]",
                             keep_default_na=False, skipinitialspace=False, engine="c", encoding="utf-8")
        except Exception:  # noqa: BLE001
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=object, keep_default_na=False,
                             skipinitialspace=False, engine="python")
    except Exception as exc:  # noqa: BLE001
        raise ValueError(f"could not parse '{report.source}' as CSV with separator {sep!r}: {exc}") from None
    _check_counts(dq, columns=df.shape[1], rows=len(df))
    if df.shape[1] < 2:
        raise ValueError(f"'{report.source}' has a single column with separator {sep!r}; "
                         "expected ';' or ',' separated values")
    header = [h.strip() for h in header]
    dup = sorted(h for h, k in Counter(header).items() if k > 1 and h)
    if dup:
        raise ValueError(f"column name(s) appear twice in '{report.source}': {dup}; rename them")
    return df


def detect_key(df: pd.DataFrame) -> str | None:
    """The column holding IRIS codes, or ``None`` when none is recognised.

    Examples
    --------
    >>> detect_key(pd.DataFrame({"IRIS": ["593500101"], "TRIRIS": ["593501"]}))
    'IRIS'
    """
    cols = list(df.columns)
    for k in KEY_CANDIDATES:
        c = _find_col(cols, k)
        if c is not None and df[c].astype("string").str.strip().str.fullmatch(r"\w{8,9}").fillna(False).mean() > 0.5:
            return c
    dtypes = list(df.dtypes)
    textual = [i for i, dt in enumerate(dtypes) if dt == object or str(dt).startswith("str")]
    n = len(df)
    width = max(1, _CELLS_PER_BLOCK // max(n, 1))
    for b0 in range(0, len(textual), width):
        pos = textual[b0:b0 + width]
        cells = df.iloc[:, pos].to_numpy(dtype=object).ravel(order="F")
        hit = (pd.Series(cells, dtype=object).astype("string").str.strip().str.fullmatch(_IRIS_RE.pattern)
               .to_numpy(dtype=bool, na_value=False).reshape(len(pos), n))
        share = hit.mean(axis=1) if n else np.zeros(len(pos))
        for j, i in enumerate(pos):
            if share[j] > 0.9:
                return cols[i]
    return None


def read_table(
    src: Source,
    *,
    name: str | None = None,
    key: str | None = None,
    sheet: str | int | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Read an indicator table (CSV, XLSX or a zip holding one) as INSEE writes them.

    Separator, decimal mark, encoding and byte-order mark are detected; an
    unnamed index column written by R is dropped; INSEE's withheld markers
    (``ns``, ``nd``, ``s``, ``nc``, empty) become missing values and are
    counted per column in the report; code columns stay text.

    Parameters
    ----------
    src : path, bytes or file object
    name : str, optional
        Display name (and extension) of the file.
    key : str, optional
        Column holding the unit codes; detected when omitted.
    sheet : str or int, optional
        XLSX sheet (default: the first one holding a key column).

    Returns
    -------
    table : DataFrame
        With ``attrs["key"]`` naming the key column (codes as 9-character strings).
    report : LoadReport

    Examples
    --------
    >>> from lillegeo.demo import DEMO_DIR
    >>> t, rep = read_table(DEMO_DIR / "census.csv")
    >>> t.attrs["key"], rep.details["separator"]
    ('IRIS', ';')
    """
    report = LoadReport(_name_of(src, name), "table")
    _check_local_path(src)
    data = _read_bytes(src)
    lname = report.source.lower()
    if data[:4] == b"PK\x03\x04" and not lname.endswith(".xlsx"):
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            inner_names = [i.filename for i in zf.infolist() if not i.is_dir()]
        except zipfile.BadZipFile:
            inner_names = []
        if "[Content_Types].xml" in inner_names:  # an XLSX without its extension
            df = _xlsx_frame(data, report, sheet)
        else:
            with tempfile.TemporaryDirectory(prefix="lillegeo-") as tmp:
                files = _safe_extract(data, Path(tmp), report)
                tables = [p for p in files if p.suffix.lower() in (".csv", ".txt", ".xlsx")]
                main = [p for p in tables if not p.name.lower().startswith(("meta", "doc", "var"))]
                if not (main or tables):
                    raise ValueError(f"'{report.source}' holds no CSV or XLSX file; it holds: "
                                     f"{', '.join(p.name for p in files) or 'nothing'}")
                pick = max(main or tables, key=lambda p: p.stat().st_size)
                report.note("rep.zip_read", name=pick.name)
                inner = pick.read_bytes()
                df = _xlsx_frame(inner, report, sheet) if pick.suffix.lower() == ".xlsx" else _csv_frame(inner, report)
    elif lname.endswith((".xlsx", ".xlsm")):
        df = _xlsx_frame(data, report, sheet)
    else:
        if data[:4] == b"PK\x03\x04":
            df = _xlsx_frame(data, report, sheet)
        else:
            df = _csv_frame(data, report)
    if len(df) == 0:
        raise ValueError(f"'{report.source}' has column names but no rows")
    key_like = {key} if key else set()
    key_like |= {c for c in df.columns if str(c).strip() in KEY_CANDIDATES}
    df = _clean_frame(df, report, key_like)
    if key is not None:
        if key not in df.columns:
            raise ValueError(f"key column '{key}' not found; columns are: {', '.join(map(str, df.columns))}")
    else:
        key = detect_key(df)
        if key is None:
            raise SchemaError(
                f"no column of IRIS codes found in '{report.source}'; columns are: "
                f"{', '.join(map(str, df.columns[:40]))}. Pick the code column (in the app, or --key on the "
                "command line).", list(map(str, df.columns)))
    df[key] = _normalise_codes(df[key], report, "key")
    report.details["key"] = key
    report.rows = len(df)
    df.attrs["key"] = key
    return df, report


# ----------------------------------------------------------------------------- points

_X_NAMES = ("longitude", "lon", "lng", "long", "x", "coord_x", "x_l93")
_Y_NAMES = ("latitude", "lat", "y", "coord_y", "y_l93")
_DATE_NAMES = ("date", "datetime", "date_heure", "timestamp", "jour")
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
    """Read point records (incidents, stops) from CSV, GeoJSON or GeoPackage.

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
    data = _read_bytes(src)
    lname = report.source.lower()
    if lname.endswith((".csv", ".txt")) or not (lname.endswith((".geojson", ".json", ".gpkg", ".zip", ".parquet"))
                                                or data[:4] == b"PK\x03\x04"):
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
        gdf = _open_vector(data, report.source, report)
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
