"""Plain sentences about what the library did: the readers' reports, partial coverage, empty clusterings.

Every function returns text in ``lang`` (``"en"`` or ``"fr"``) built from :mod:`lillegeo.i18n`
strings; names coming from files are returned as given: the caller escapes them for its medium
(``md``/``say`` on a page).

Examples
--------
>>> from lillegeo import load_demo
>>> ds = load_demo()
>>> describe_report(ds.reports[1])
'Read 374 rows from census.csv (CSV). Text encoding utf-8. Columns separated by «;». Joined on the column IRIS. 42 withheld or missing value(s) (ns, nd, s, nc or empty) turned into missing values in 2 column(s).'
>>> coverage_note(ds) is None
True
"""

from __future__ import annotations

import pandas as pd

from .dataset import Dataset
from .i18n import t
from .io.base import LoadReport

__all__ = ["describe_report", "coverage_note", "units_with_data", "data_first", "no_cluster_reason", "FORMATS"]

#: Readable names of the formats the readers record.
FORMATS = {"shp": "ESRI Shapefile", "zipped shp": "ESRI Shapefile (zip)", "geojson": "GeoJSON", "json": "GeoJSON",
           "gpkg": "GeoPackage", "parquet": "GeoParquet", "csv": "CSV", "txt": "CSV", "xlsx": "Excel (XLSX)",
           "zipped csv": "CSV (zip)"}


def describe_report(rep: LoadReport, lang: str = "en") -> str:
    """What a reader did, as sentences (format, encoding, separator, CRS, repairs, then its notes)."""
    d = rep.details
    fmt = FORMATS.get(str(d.get("format", "")).lower(), str(d.get("format", "")) or "?")
    kind = rep.kind if rep.kind in ("units", "table", "points") else "table"
    out = [t(f"read.{kind}", lang, rows=f"{rep.rows:,}".replace(",", "\u202f" if lang == "fr" else ","),
             file=rep.source, format=fmt)]
    if d.get("encoding"):
        out.append(t("read.encoding", lang, encoding=d["encoding"]))
    if d.get("separator"):
        out.append(t("read.separator", lang, sep=d["separator"]))
    if d.get("schema") == "mapped by the user":  # the reader's own words for a hand mapping
        out.append(t("read.schema_user", lang))
    elif d.get("schema"):
        out.append(t("read.schema", lang, schema=d["schema"]))
    if d.get("key"):
        out.append(t("read.key", lang, column=d["key"]))
    if d.get("x") and d.get("y"):
        out.append(t("read.xy", lang, x=d["x"], y=d["y"]))
    if d.get("crs_in") == "EPSG:2154":  # any other CRS: the reader's own note says what it did
        out.append(t("read.crs_same", lang))
    if "repaired" in d:
        out.append(t("read.repaired", lang, n=d["repaired"]) if d["repaired"] else t("read.no_repair", lang))
    if d.get("types"):
        types = ", ".join(f"{k} {v}" for k, v in d["types"].items())
        out.append(t("read.types", lang, communes=d.get("communes", "?"), types=types))
    if d.get("rejected_missing") or d.get("rejected_impossible"):
        out.append(t("read.rejected", lang, missing=d.get("rejected_missing", 0),
                     impossible=d.get("rejected_impossible", 0)))
    if d.get("date") or d.get("category"):
        out.append(t("read.dated", lang, date=d.get("date") or "–", category=d.get("category") or "–"))
    out += [m[:1].upper() + m[1:] + ("" if m.endswith(".") else ".") for m in rep.messages_in(lang) if m]
    return " ".join(out)


def units_with_data(ds: Dataset) -> pd.Series:
    """True for units that received a row of the indicator table (all True without a table)."""
    jr = ds.join_report
    if jr is None or not jr.units_without_data:
        return pd.Series(True, index=ds.units.index)
    return ~ds.units["unit_id"].astype(str).isin(set(map(str, jr.units_without_data)))


def data_first(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (indexed like ``ds.units``) with the units that have table data first, order kept otherwise."""
    has = units_with_data(ds).reindex(frame.index, fill_value=False).to_numpy()
    return frame.iloc[(~has).argsort(kind="stable")]


def _names(values: list[str], lang: str, most: int = 3) -> str:
    if len(values) <= most:
        return ", ".join(values)
    more = len(values) - most
    return ", ".join(values[:most]) + (f" et {more} autres" if lang == "fr" else f" and {more} others")


def coverage_note(ds: Dataset, lang: str = "en") -> str | None:
    """"The table covers 110 of 509 units (Lille); …" when the table covers only some units, else None."""
    has = units_with_data(ds)
    if bool(has.all()) or not bool(has.any()):
        return None
    communes = sorted(set(ds.units.loc[has, "commune_name"].astype(str)))
    return t("coverage.partial", lang, n=int(has.sum()), total=len(has), communes=_names(communes, lang))


def no_cluster_reason(algorithm: str, *, eps_m: float, min_samples: int, n_points: int, lang: str = "en") -> str:
    """Why a clustering found nothing, and what to change.

    Examples
    --------
    >>> no_cluster_reason("dbscan", eps_m=120, min_samples=60, n_points=500)
    'No cluster: no place has at least 60 incidents within 120 m (500 incidents used). Lower the minimum or widen the radius.'
    """
    if n_points < min_samples:
        return t("clusters.none_few", lang, n=n_points, min=min_samples)
    key = "clusters.none_dbscan" if algorithm == "dbscan" else "clusters.none_other"
    return t(key, lang, min=min_samples, eps=f"{eps_m:g}", n=n_points)
