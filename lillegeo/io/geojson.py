"""GeoJSON screening before GDAL opens a file: top-level ``type`` must be a GeoJSON type (never a GDALG
pipeline, TopoJSON or Esri JSON), nesting within the limit (one vectorised pass, no parsing) and no
coordinate reference system given as a link or a URL."""

from __future__ import annotations

import json
import mmap
import re
from pathlib import Path

import numpy as np

from .guard import _limit, _limit_var
from .sniff import _head, _looks_like, _not_format

_GEOJSON_TYPES = {"FeatureCollection", "Feature", "Point", "MultiPoint", "LineString", "MultiLineString",
                  "Polygon", "MultiPolygon", "GeometryCollection"}


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
                        "choose it under 'CRS of the contours'")
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
