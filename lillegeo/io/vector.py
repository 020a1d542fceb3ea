"""Contours (units): vector files opened with the driver of their declared format only (the allow-list:
GeoJSON, GeoPackage, shapefile, zipped shapefile, GeoParquet), screened first (see
:mod:`lillegeo.io.guard`), then recognised against the IGN CONTOURS-IRIS schemas, checked and
reprojected to Lambert-93 by :func:`read_units`.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from .archives import _safe_extract
from .base import LoadReport, SchemaError, Source, _IRIS_RE, _find_col, _name_of, _normalise_codes, _read_bytes
from .crs import _to_work_crs
from .geojson import _check_geojson
from .gpkg import _inspect_gpkg
from .guard import _check_frame_limits, _check_counts, _check_local_path, _harden_gdal
from .shapefile import _check_shapefile, _guess_dbf_encoding, _sibling
from .sniff import _format_of, _head, _looks_like, _not_format

__all__ = ["read_units", "suggest_unit_mapping", "STD", "UNIT_SCHEMAS"]

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
        if "too complex/large" in detail:  # GDAL's advice names a server setting: not for the person uploading
            raise ValueError(f"could not read '{report.source}': one of its objects is too large or too complex to "
                             "read (over the GeoJSON reader's limit); simplify the geometry or split it") from None
        raise ValueError(f"could not read '{report.source}' as a vector file: {detail}") from None
    _check_frame_limits(gdf, dq)
    return gdf


#: Vector files read where they are on disk (a shapefile needs its .shx and .dbf beside it).
LOCAL_VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".parquet")


def _read_vector_source(src, report: LoadReport, layer: str | None = None) -> gpd.GeoDataFrame:
    """A vector file from a local path (read where it is: no copy; the upload limit is for uploads, not
    for a national file on disk), or from bytes / a file object (a zip is extracted); units and points
    both read through here, so they accept the same formats."""
    if isinstance(src, (str, Path)) and Path(src).suffix.lower() in LOCAL_VECTOR_SUFFIXES:
        p = Path(src)
        if not p.exists():
            raise ValueError(f"file not found: '{p}'; check the path")
        if not p.is_file():
            raise ValueError(f"'{p}' is not a regular file; give the path of the file itself")
        if p.stat().st_size == 0:
            raise ValueError("the file is empty (0 bytes)")
        report.details["format"] = p.suffix.lstrip(".").lower()
        return _read_path(p, report, layer)
    return _open_vector(_read_bytes(src), report.source, report, layer)


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
    gdf = _read_vector_source(src, report, layer)
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
