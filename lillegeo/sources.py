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


# ----------------------------------------------------------------------------- units

def _open_vector(data: bytes, name: str, report: LoadReport, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file given as bytes; zip archives are extracted to a private temp dir."""
    lname = name.lower()
    with tempfile.TemporaryDirectory(prefix="lillegeo-") as tmp:
        tmpdir = Path(tmp)
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
        else:
            suffix = Path(lname).suffix or ".bin"
            path = tmpdir / ("upload" + suffix)
            path.write_bytes(data)
            report.details["format"] = suffix.lstrip(".")
        return _read_path(path, report, layer)


def _read_path(path: Path, report: LoadReport, layer: str | None) -> gpd.GeoDataFrame:
    import pyogrio

    try:
        if path.suffix.lower() == ".parquet":
            return gpd.read_parquet(path)
        kwargs: dict[str, Any] = {}
        if path.suffix.lower() == ".shp":
            cpg = path.with_suffix(".cpg")
            if not cpg.exists():
                enc = _guess_dbf_encoding(path.with_suffix(".dbf"))
                kwargs["encoding"] = enc
                report.details["encoding"] = enc
        if layer is not None:
            kwargs["layer"] = layer
        elif path.suffix.lower() == ".gpkg":
            layers = pyogrio.list_layers(path)
            poly = [lyr for lyr, gt in layers if gt and "Polygon" in str(gt)]
            if len(layers) > 1:
                kwargs["layer"] = (poly or [layers[0][0]])[0]
                report.note("rep.gpkg_layers", n=len(layers), name=kwargs["layer"])
        return gpd.read_file(path, engine="pyogrio", **kwargs)
    except ValueError:
        raise
    except Exception as exc:  # noqa: BLE001 - turn driver errors into messages
        detail = str(exc).replace(str(path), report.source).replace(str(path.parent) + "/", "")
        detail = re.sub(r"\S*lillegeo-[\w-]+/", "", detail)  # never show a server's temporary path
        raise ValueError(f"could not read '{report.source}' as a vector file: {detail}") from None


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
    if isinstance(src, (str, Path)) and Path(src).suffix.lower() in (".shp", ".gpkg", ".geojson", ".json", ".parquet"):
        # a local file is read where it is (no copy; the upload limit is for uploads, not for a
        # national file on disk)
        p = Path(src)
        if not p.exists():
            raise ValueError(f"file not found: '{p}'; check the path")
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


def _sniff_sep(text: str) -> str:
    head = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {s: head.count(s) for s in ";,\t|"}
        return max(counts, key=counts.get) if max(counts.values()) else ","


_FR_NUM = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


def _parse_numbers(values: pd.Series) -> tuple[pd.Series, bool]:
    """Parse text as numbers: '12.5', '12,5', '1 234,5', '1.234,5'.  Returns (numbers, used_decimal_comma).

    French thousands dots are only read as such when some value has a decimal comma.
    """
    num = pd.to_numeric(values, errors="coerce")
    if num.notna().all():
        return num, False
    s = values.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    if s.str.contains(",", regex=False).any() and s.str.fullmatch(_FR_NUM.pattern).all():
        return pd.to_numeric(s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
                             errors="coerce"), True
    return pd.to_numeric(s, errors="coerce"), False


def _clean_frame(raw: pd.DataFrame, report: LoadReport, key_like: set[str]) -> pd.DataFrame:
    """Strings in, typed columns out: markers to NaN (counted), numbers parsed, codes kept as text."""
    df = raw.copy()
    df.columns = [str(c).strip() for c in df.columns]
    first = df.columns[0] if len(df.columns) else None
    if first is not None and (first == "" or first.startswith("Unnamed")):
        vals = df[first].astype(str).str.strip()
        if vals.str.fullmatch(r"\d+").all():
            df = df.drop(columns=first)
            report.note("rep.r_index")
    dup = [c for c in df.columns if list(df.columns).count(c) > 1]
    if dup:
        raise ValueError(f"column name(s) appear twice: {sorted(set(dup))}; rename them")
    withheld: dict[str, int] = {}
    mixed: dict[str, tuple[int, str]] = {}
    decimal_comma = False
    for c in df.columns:
        s = df[c].astype("string").str.strip()
        is_marker = s.isna() | s.str.lower().isin(WITHHELD_MARKERS)
        values = s[~is_marker]
        idlike = c in key_like or c.upper() in {"IRIS", "COM", "DEP", "REG", "TRIRIS", "UU2010", "UU2020",
                                                "GRD_QUART", "CODGEO", "DEPCOM", "CODE_IRIS", "EPCI", "SIREN",
                                                "CODE_EPCI", "INSEE_COM"}
        leading_zero = values.str.fullmatch(r"0\d+").any()
        if not idlike and not leading_zero and len(values):
            num, comma = _parse_numbers(values)
            decimal_comma = decimal_comma or comma
            bad = num.isna()
            if bad.any() and len(values) >= 5 and bad.mean() <= 0.2:
                # mixed types: a numeric column with a few stray texts (a typo, a footnote mark). The
                # texts become missing values, counted and named, rather than the whole column turning
                # into text and vanishing from the indicators.
                mixed[c] = (int(bad.sum()), str(values[bad].iloc[0])[:20])
                num = num.where(~bad, np.nan)
                bad = bad & False
            if not bad.any():
                col = pd.Series(np.nan, index=df.index, dtype="float64")
                col[~is_marker] = num.astype("float64")
                df[c] = col
                n_w = int(is_marker.sum())
                if n_w:
                    withheld[c] = n_w
                continue
        df[c] = s.where(~(s.isna() | (s == "")), pd.NA)
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
    return df


def _xlsx_frame(data: bytes, report: LoadReport, sheet: str | int | None) -> pd.DataFrame:
    try:
        xl = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    except Exception as exc:  # noqa: BLE001
        raise ValueError(f"could not open '{report.source}' as an XLSX workbook ({exc})") from None
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
        raise ValueError(f"sheet '{sheet}' not found; sheets are: {', '.join(sheets)}")
    raw = xl.parse(sheet, header=None, dtype=str)
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


def _csv_frame(data: bytes, report: LoadReport) -> pd.DataFrame:
    text = _decode(data, report)
    if not text.strip():
        raise ValueError(f"'{report.source}' is empty")
    sep = _sniff_sep(text)
    report.details.update({"format": "csv", "separator": sep})
    try:
        try:  # the C parser (fast); the Python parser tolerates more irregular files
            if "\r" in text.replace("\r\n", ""):
                raise ValueError("a lone carriage return: the C parser would end the line there")
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                             skipinitialspace=False, engine="c")
        except Exception:  # noqa: BLE001
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                             skipinitialspace=False, engine="python")
    except Exception as exc:  # noqa: BLE001
        raise ValueError(f"could not parse '{report.source}' as CSV with separator {sep!r}: {exc}") from None
    if df.shape[1] < 2:
        raise ValueError(f"'{report.source}' has a single column with separator {sep!r}; "
                         "expected ';' or ',' separated values")
    header = next(csv.reader(io.StringIO(text.splitlines()[0] if text.splitlines() else ""), delimiter=sep), [])
    header = [h.strip() for h in header]
    dup = sorted({h for h in header if header.count(h) > 1 and h})
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
    for c in cols:
        if df[c].dtype == object or str(df[c].dtype).startswith("str"):
            if df[c].astype("string").str.strip().str.fullmatch(_IRIS_RE.pattern).fillna(False).mean() > 0.9:
                return c
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
