"""GeoPackage screening: the file is inspected with sqlite3 (read-only, immutable, with a deadline) before
GDAL opens it, so that only real tables are read (never a SQL view, a virtual table or generated
columns) and counts are checked first."""

from __future__ import annotations

import sqlite3
import time
import urllib.parse
from pathlib import Path

from .guard import _check_counts, _limit
from .sniff import _GPKG_APP_IDS, _SQLITE_MAGIC, _head, _looks_like, _not_format

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
