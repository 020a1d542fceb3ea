"""The readers' error messages in the reader's language.

The readers raise ``ValueError`` with an English message (the command line, the logs and the tests
read them). Where a message is shown to a person, :func:`reader_message` turns the known ones into
``lang``: each English pattern below is matched as a whole and its values are carried over; a
message that matches no pattern is returned unchanged.
"""

from __future__ import annotations

import re

from ..fmt import NNBSP
from ..i18n import t

__all__ = ["reader_message"]

_Q = r"'(?P<name>[^']*)'"
_DQ = r"(?P<name>'[^']*'|the file)"
#: (English message as a regular expression, string key); named groups become the string's fields
_PATTERNS: list[tuple[re.Pattern, str]] = [(re.compile(p, re.S), k) for p, k in [
    (r"could not read " + _Q + r": its \.dbf header is damaged", "ioerr.dbf_damaged"),
    (r"could not read " + _Q + r": one of its objects is too large or too complex to read .*", "ioerr.too_complex"),
    (r"could not read " + _Q + r": (?P<inner>.+)", "ioerr.wrapped"),
    (r"(?:it|" + _DQ + r") is not (?P<expected>GeoJSON|a GeoPackage|an ESRI shapefile|a GeoParquet file) "
     r"\(it looks like (?P<what>.+?)\); refused.*", "ioerr.not_expected"),
    (r"file not found: " + _Q + r"; check the path", "ioerr.not_found"),
    (r"(?:'[^']*' is|file is) (?P<mb>[\d,.]+) MB, over the (?P<limit>[\d,.]+) MB limit", "ioerr.too_big"),
    (r"the file is empty \(0 bytes\)", "ioerr.empty_file"),
    (_Q + r" is empty", "ioerr.empty"),
    (_Q + r" has column names but no rows", "ioerr.no_rows"),
    (r"could not parse " + _Q + r" as CSV with separator (?P<sep>'.+?'): (?P<detail>.*)", "ioerr.csv"),
    (_Q + r" has a single column with separator (?P<sep>'.+?'); expected ';' or ',' separated values",
     "ioerr.single_column"),
    (r"column name\(s\) appear twice(?: in '[^']*')?: (?P<cols>.*); rename them", "ioerr.duplicate_columns"),
    (r"key column (?P<name>'[^']*') not found; columns are: (?P<cols>.*)", "ioerr.key_missing"),
    (r"(?P<what>date|category|x|y) column (?P<name>'[^']*') not found; columns are: (?P<cols>.*)",
     "ioerr.column_missing"),
    (r"no coordinate columns found in " + _Q + r"; columns are: (?P<cols>.*?)\. Name them.*", "ioerr.no_coords"),
    (_Q + r" holds no features", "ioerr.no_features"),
    (_Q + r" holds no points", "ioerr.no_points"),
    (_Q + r" holds no points with usable coordinates \((?P<missing>\d+) missing, (?P<impossible>\d+) "
     r"impossible\).*", "ioerr.no_usable_points"),
    (_Q + r" has no geometry column; contours must be polygons", "ioerr.no_geometry"),
    (_Q + r" holds (?P<kinds>.+?) geometries; units must be polygons", "ioerr.not_polygons"),
    (_Q + r" holds (?P<kinds>.+?) geometries; the treated area must be polygons", "ioerr.area_not_polygons"),
    (_Q + r" holds (?P<kinds>.+?) geometries; points are expected", "ioerr.not_points"),
    (r"shapefile " + _Q + r" is missing its (?P<missing>.+?) file; .*", "ioerr.shp_missing"),
    (_Q + r" holds another zip inside; .*", "ioerr.zip_in_zip"),
    (_Q + r" holds no \.shp, \.gpkg, \.geojson or \.parquet file; it holds: (?P<files>.*)", "ioerr.zip_no_vector"),
    (_Q + r" is not a valid zip archive \((?P<detail>.*)\)", "ioerr.bad_zip"),
    (r"zip entry (?P<name>'[^']*') points outside the archive; refused", "ioerr.zip_slip"),
    (r"zip entry (?P<name>'[^']*') expands (?P<ratio>\d+)-fold .*", "ioerr.zip_bomb"),
    (_Q + r" would expand to (?P<mb>[\d,.]+) MB in (?P<n>\d+) entries, .*", "ioerr.zip_total"),
    (_DQ + r" is not a contour or points format lillegeo reads \(it looks like (?P<what>.+?)\); .*",
     "ioerr.not_vector"),
    (r"could not read " + _Q + r" as a vector file: (?P<detail>.*)", "ioerr.vector"),
    (_Q + r" has no coordinate reference system \(no \.prj or CRS in the file\)\..*", "ioerr.no_crs"),
    (_Q + r" has no CRS: state one .*", "ioerr.no_crs"),
    (r"coordinates in '(?P<x>[^']*)'/'(?P<y>[^']*)' need a CRS: .*", "ioerr.points_crs"),
    (r"reading " + _Q + r" took longer than (?P<s>[\d.]+) s and was stopped.*", "ioerr.timeout"),
    (r"reading " + _Q + r" needed more than (?P<mb>[\d,]+) MB of memory and was stopped.*", "ioerr.memory"),
    (r"the server is busy reading other files .*; " + _Q + r" was not read, try again in a minute", "ioerr.busy"),
    (r"could not open " + _Q + r" as an XLSX workbook.*", "ioerr.xlsx"),
    (_Q + r" has (?P<n>[\d,]+) (?P<what>columns|rows|vertices), over the limit of (?P<limit>[\d,]+).*",
     "ioerr.over_limit"),
    (_Q + r" has (?P<n>[\d,]+) lines, over the limit of (?P<limit>[\d,]+) rows; refused\..*", "ioerr.too_many_lines"),
    (_Q + r" is not a regular file; .*", "ioerr.not_regular"),
    (r"the file starts with a UTF-16 byte-order mark but is not valid UTF-16 text; .*", "ioerr.utf16"),
    (r"could not decode the file as UTF-8 or cp1252", "ioerr.decode"),
    (_Q + r" nests JSON arrays and objects more than (?P<limit>\d+) levels deep, over the limit.*", "ioerr.json_depth"),
    (r"could not read " + _Q + r" as GeoJSON: no top-level \"type\" member was found .*", "ioerr.geojson_truncated"),
    (_Q + r" is not a valid GeoPackage: '(?P<view>[^']*)' is a SQL view where a GeoPackage has a table; refused",
     "ioerr.gpkg_view"),
    (_Q + r" is not a valid GeoPackage \(it looks like (?P<what>.+?)\); refused", "ioerr.gpkg_invalid"),
    (_Q + r" holds no vector layer \(its gpkg_contents lists none\)", "ioerr.gpkg_no_layer"),
    (r"layer '(?P<layer>[^']*)' not found in " + _Q + r"; layers are: (?P<layers>.*)", "ioerr.gpkg_layer_missing"),
    (r"layer '(?P<layer>[^']*)' of " + _Q + r" is a SQL view, not a table; .*", "ioerr.gpkg_layer_view"),
    (r"layer '(?P<layer>[^']*)' of " + _Q + r" is (?:a virtual table|missing), not a plain table; .*",
     "ioerr.gpkg_layer_virtual"),
    (r"layer '(?P<layer>[^']*)' of " + _Q + r" has computed \(generated\) columns; .*", "ioerr.gpkg_generated"),
    (_Q + r": its \.dbf is not a dBase table \(it looks like (?P<what>.+?)\); refused", "ioerr.dbf_invalid"),
    (r"7z entry '(?P<name>[^']*)' points outside the archive; refused", "ioerr.zip_slip"),
    (r"the 7z archive expands to more than allowed; refused", "ioerr.7z_total"),
    (r"crs (?P<crs>.+?) is not understood \(.*\); give it as 'EPSG:2154' or 'EPSG:4326'", "ioerr.crs_unknown"),
]]

_WHAT_FR = {"columns": "colonnes", "rows": "lignes", "vertices": "sommets", "category": "catégorie",
            # what a file looks like (lillegeo.io.sniff) and the formats expected
            "GeoJSON": "du GeoJSON", "a GeoPackage": "un GeoPackage", "an ESRI shapefile": "un shapefile ESRI",
            "a GeoParquet file": "un fichier GeoParquet", "an empty file": "un fichier vide",
            "a SQLite database": "une base SQLite", "a zip archive or an Office document":
            "une archive zip ou un document Office", "a Parquet file": "un fichier Parquet",
            "an ESRI shapefile (.shp)": "un shapefile ESRI (.shp)", "a FlatGeobuf file": "un fichier FlatGeobuf",
            "a PDF document": "un document PDF", "a gzip archive": "une archive gzip", "a 7z archive": "une archive 7z",
            "a GDAL GDALG pipeline (gdal_streamed_alg)": "un pipeline GDAL GDALG (gdal_streamed_alg)",
            "a GDAL VRT XML file": "un fichier XML VRT de GDAL", "a GDAL raster VRT XML file":
            "un fichier XML VRT raster de GDAL", "an HTML page": "une page HTML", "KML": "du KML",
            "an XML document": "un document XML", "TopoJSON": "du TopoJSON", "Esri JSON": "du JSON Esri",
            "JSON": "du JSON", "a JSON array": "un tableau JSON", "a GeoJSON text sequence":
            "une séquence de textes GeoJSON", "text": "du texte",
            "binary data of an unknown format": "des données binaires d'un format inconnu"}


def reader_message(message, lang: str = "en") -> str:
    """A reader's error message in ``lang`` (unchanged in English or when it is not a known one).

    Examples
    --------
    >>> reader_message("'a.csv' has column names but no rows", "fr")
    '« a.csv » a des noms de colonnes mais aucune ligne'
    >>> reader_message("could not read 'x.zip': 'x.zip' holds no features", "fr")
    'Lecture de « x.zip » impossible : « x.zip » ne contient aucune entité'
    >>> reader_message("something else", "fr")
    'something else'
    """
    text = str(message)
    if lang == "en":
        return text
    for pattern, key in _PATTERNS:
        m = pattern.fullmatch(text.strip())
        if m is None:
            continue
        fields = {k: (v or "").strip("'") for k, v in m.groupdict().items()}
        if "inner" in fields:
            fields["inner"] = reader_message(m.group("inner"), lang)
        for k in ("what", "expected"):
            if k in fields and lang == "fr":
                fields[k] = _WHAT_FR.get(fields[k], fields[k])
        if key == "ioerr.not_expected":
            fields["name"] = (t("ioerr.the_file", lang) if m.group("name") in (None, "the file")
                              else t("ioerr.quoted", lang, name=fields["name"]))
        if lang == "fr":  # 2,000,000 -> 2 000 000
            fields.update({k: fields[k].replace(",", NNBSP) for k in ("n", "limit", "mb") if k in fields})
        if key == "ioerr.not_vector":  # a quoted file name, or "the file"
            fields["name"] = (t("ioerr.the_file", lang) if m.group("name") == "the file"
                              else t("ioerr.quoted", lang, name=fields["name"]))
        return t(key, lang, **fields)
    return text
