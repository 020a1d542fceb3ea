"""Untrusted files: the readers open only the format a file declares, GeoPackages only through real
tables, within size limits, and every refusal is one clear line.

Every hostile file is generated here, in a temporary directory (none is committed).
"""

from __future__ import annotations

import http.server
import io
import json
import re
import sqlite3
import threading
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pytest
from shapely.geometry import box

import lillegeo as lg
from lillegeo.io import geojson, guard, points, xlsx

from .conftest import MEL, needs_realdata

READERS = {"units": lg.read_units, "points": lg.read_points}


# ----------------------------------------------------------------------------- hostile files

def vrt(src: str = "CSV:/etc/passwd") -> bytes:
    """An OGR VRT whose layer is another file or URL (0.3 KB)."""
    return (f'<OGRVRTDataSource>\n  <OGRVRTLayer name="units">\n    <SrcDataSource>{src}</SrcDataSource>\n'
            '    <SrcLayer>passwd</SrcLayer>\n  </OGRVRTLayer>\n</OGRVRTDataSource>\n').encode()


def gdalg() -> bytes:
    """A GDALG pipeline file: JSON that GDAL runs as a command."""
    return json.dumps({"type": "gdal_streamed_alg",
                       "command_line": "gdal vector pipeline ! read /etc/passwd ! write --of stream x",
                       "relative_paths_relative_to_this_file": False}).encode()


HOSTILE = {
    "vrt-passwd": lambda: vrt(),
    "vrt-vsicurl": lambda: vrt("/vsicurl/http://127.0.0.1:9/x"),
    "gdalg": gdalg,
}
LOOKS = {"vrt-passwd": "a GDAL VRT XML file", "vrt-vsicurl": "a GDAL VRT XML file",
         "gdalg": r"a GDAL GDALG pipeline \(gdal_streamed_alg\)"}


def units_frame(n: int = 2) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code_iris": [f"59350{i:04d}" for i in range(n)], "nom_iris": [f"U{i}" for i in range(n)]},
                            geometry=[box(700_000 + i * 1000, 7_050_000, 701_000 + i * 1000, 7_051_000)
                                      for i in range(n)], crs=2154)


def zipped(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for k, v in entries.items():
            zf.writestr(k, v)
    return buf.getvalue()


def view_gpkg(path: Path, *, only_view: bool = False) -> Path:
    """A real GeoPackage (geopandas) plus a layer that is an endless recursive-CTE view."""
    units_frame().to_file(path, layer="iris", driver="GPKG")
    con = sqlite3.connect(path)
    con.execute("CREATE VIEW v AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                "SELECT x AS fid, '593500001' AS code_iris, (SELECT geom FROM iris LIMIT 1) AS geom FROM c")
    con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES ('v', 'features', 'v', 2154)")
    con.execute("INSERT INTO gpkg_geometry_columns VALUES ('v', 'geom', 'POLYGON', 2154, 0, 0)")
    if only_view:
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'iris'")
    con.commit()
    con.close()
    return path


def gpkg_bytes(tmp_path: Path, **kw) -> bytes:
    return view_gpkg(tmp_path / "made.gpkg", **kw).read_bytes()


def timed(fn, *a, **kw):
    t = time.perf_counter()
    try:
        fn(*a, **kw)
    except ValueError as exc:
        return time.perf_counter() - t, str(exc)
    raise AssertionError("expected a refusal")


# ----------------------------------------------------------------------------- disguised GDAL files

@pytest.mark.parametrize("kind", ["units", "points"])
@pytest.mark.parametrize("hostile", list(HOSTILE))
@pytest.mark.parametrize("name,expected", [("units.geojson", "GeoJSON"), ("units.json", "GeoJSON"),
                                           ("units.gpkg", "a GeoPackage")])
def test_disguised_gdal_file_is_refused(kind, hostile, name, expected):
    with pytest.raises(ValueError, match=rf"^'{name}' is not {expected} \(it looks like {LOOKS[hostile]}\); "
                                         "refused") as err:
        READERS[kind](HOSTILE[hostile](), name=name)
    assert "root:" not in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("kind", ["units", "points"])
@pytest.mark.parametrize("hostile", list(HOSTILE))
@pytest.mark.parametrize("inner,expected", [("units.shp", "an ESRI shapefile"), ("units.geojson", "GeoJSON")])
def test_disguised_gdal_file_inside_a_zip_is_refused(kind, hostile, inner, expected):
    entries = {inner: HOSTILE[hostile]()}
    if inner.endswith(".shp"):  # with its companions, so that the content check is what refuses it
        entries.update({"units.shx": HOSTILE[hostile](), "units.dbf": HOSTILE[hostile]()})
    with pytest.raises(ValueError, match=rf"^'{inner}' in 'upload.zip' is not {expected} \(it looks like "
                                         rf"{LOOKS[hostile]}\); refused"):
        READERS[kind](zipped(entries), name="upload.zip")


@pytest.mark.parametrize("hostile", list(HOSTILE))
@pytest.mark.parametrize("name", ["units.geojson", "units.gpkg", "units.json"])
def test_disguised_gdal_file_on_disk_is_refused(tmp_path, hostile, name):
    p = tmp_path / name
    p.write_bytes(HOSTILE[hostile]())
    with pytest.raises(ValueError, match=rf"is not .* \(it looks like {LOOKS[hostile]}\); refused"):
        lg.read_units(p)
    with pytest.raises(ValueError, match=rf"is not .* \(it looks like {LOOKS[hostile]}\); refused"):
        lg.read_points(p)


def test_vrt_with_an_unknown_extension_is_refused():
    with pytest.raises(ValueError, match=r"'units.vrt' is not a contour or points format .* GDAL VRT"):
        lg.read_units(vrt(), name="units.vrt")
    units, _ = lg.read_units(units_frame().to_crs(4326).to_json().encode(), name="units.bin")  # content decides
    assert len(units) == 2


@pytest.mark.parametrize("path", ["/vsicurl/http://127.0.0.1:9/x.geojson", "/vsizip//tmp/a.zip/x.shp",
                                  "GPKG:/tmp/x.gpkg:iris", "VRT:/tmp/x.vrt", "http://127.0.0.1:9/x.csv",
                                  "/VSIMEM/x.geojson"])
@pytest.mark.parametrize("reader", [lg.read_units, lg.read_table, lg.read_points])
def test_gdal_virtual_paths_and_driver_prefixes_are_refused(path, reader):
    with pytest.raises(ValueError, match="looks like a GDAL virtual path, a driver prefix or a URL"):
        reader(path)


def test_content_must_match_the_extension(tmp_path):
    gpkg = tmp_path / "u.gpkg"
    units_frame().to_file(gpkg, driver="GPKG")
    with pytest.raises(ValueError, match=r"^'units.geojson' is not GeoJSON \(it looks like a GeoPackage\)"):
        lg.read_units(gpkg.read_bytes(), name="units.geojson")
    with pytest.raises(ValueError, match=r"^'units.gpkg' is not a GeoPackage \(it looks like GeoJSON\)"):
        lg.read_units(units_frame().to_json().encode(), name="units.gpkg")
    with pytest.raises(ValueError, match=r"^could not read 'units.gpkg': it is not a GeoPackage \(it looks like "
                                         r"binary data of an unknown format\)"):
        lg.read_units(bytes(range(256)) * 8, name="units.gpkg")


@pytest.mark.parametrize("doc,looks", [({"type": "Topology", "objects": {}}, "TopoJSON"),
                                       ({"geometryType": "esriGeometryPolygon", "features": []}, "Esri JSON"),
                                       ({"type": "Something"}, "JSON of type 'Something'"),
                                       ({"features": []}, 'JSON without a GeoJSON "type" member')])
def test_other_json_flavours_are_refused(doc, looks):
    with pytest.raises(ValueError, match=rf"^'u.geojson' is not GeoJSON \(it looks like {looks}\); refused"):
        lg.read_units(json.dumps(doc).encode(), name="u.geojson")


def test_escaped_type_member_cannot_smuggle_a_gdalg_pipeline():
    with pytest.raises(ValueError, match="GDALG pipeline"):
        lg.read_units(b'{"typ\\u0065": "gdal_streamed_alg", "command_line": "x"}', name="u.geojson")


def test_geojson_with_type_last_and_tricky_strings_reads():
    feat = {"type": "Feature", "properties": {"code_iris": "593500001", "nom_iris": 'q\\"{[ "x" ]}'},
            "geometry": {"type": "Polygon", "coordinates": [[[3.0, 50.6], [3.01, 50.6], [3.01, 50.61], [3.0, 50.6]]]}}
    data = json.dumps({"features": [feat], "type": "FeatureCollection"}).encode()
    units, _ = lg.read_units(data, name="u.geojson")
    assert units["unit_name"].iloc[0] == 'q\\"{[ "x" ]}'


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 64, 1 << 22])
def test_json_scan_is_exact_across_chunk_boundaries(tmp_path, chunk):
    text = '{"a": "x\\\\", "b": "q\\"{[", "c": [1, {"d": [[2]]}], "e": "\\\\\\"]]", "type": "T"}'
    assert json.loads(text)["type"] == "T"
    p = tmp_path / "j.json"
    p.write_text(text)
    deepest, top, balanced = geojson._json_scan(p, 100, chunk=chunk)
    keys = [m.group(1) for off in top if (m := geojson._JSON_MEMBER.match(text.encode()[off:]))]
    assert deepest == 5 and balanced and keys == [b"a", b"b", b"c", b"e", b"type"]


def test_deeply_nested_geojson_is_refused_fast():
    deep = "[" * 100_000 + "]" * 100_000
    data = ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"x": ' + deep
            + '}, "geometry": null}]}').encode()
    took, msg = timed(lg.read_units, data, name="u.geojson")
    assert took < 5 and re.search(r"nests JSON arrays and objects more than \d+ levels deep", msg)


# ----------------------------------------------------------------------------- network and GDAL options

def test_gdal_runs_with_network_and_vrt_tricks_off(tmp_path):
    """Even a VRT reaching GDAL directly (not through the readers) cannot fetch a URL."""
    import pyogrio

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"a,b\n1,2\n")

        do_HEAD = do_GET  # noqa: N815

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        lg.read_units(units_frame().to_crs(4326).to_json().encode(), name="u.geojson")  # sets the options
        for k, v in guard.GDAL_SAFE_CONFIG.items():
            got = pyogrio.get_gdal_config_option(k)
            assert (got is None if v is None else str(got) == v), (k, got)
        url = f"http://127.0.0.1:{srv.server_address[1]}/x.csv"
        f = tmp_path / "n.vrt"
        f.write_bytes(vrt("/vsicurl/" + url).replace(b"<SrcLayer>passwd</SrcLayer>", b""))
        for target in (str(f), "/vsicurl/" + url):
            with pytest.raises(Exception):
                pyogrio.read_dataframe(target)
        # a GeoJSON "crs" given as a link or URL made GDAL fetch it (attack round): refused by the readers,
        # and GDAL itself, reached directly, sends it to a dead proxy
        base = f"http://127.0.0.1:{srv.server_address[1]}"
        feats = json.loads(units_frame().to_crs(4326).to_json())["features"]
        for crs in ({"type": "link", "properties": {"href": base + "/link", "type": "ogcwkt"}},
                    {"type": "name", "properties": {"name": base + "/name"}},
                    {"type": "name", "properties": {"name": "http:\\u002f\\u002f127.0.0.1/escaped"}}):
            doc = json.dumps({"type": "FeatureCollection", "crs": crs, "features": feats})
            for reader in (lg.read_units, lg.read_points):
                with pytest.raises(ValueError, match=r"gives its coordinate reference system as a link or a URL"):
                    reader(doc.encode(), name="u.geojson")
            g = tmp_path / "crs.geojson"
            g.write_text(doc)
            try:
                pyogrio.read_dataframe(g)
            except Exception:  # noqa: BLE001 - failing is fine; fetching is not
                pass
        named = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
        lg.read_units(json.dumps({"type": "FeatureCollection", "crs": named, "features": feats}).encode(),
                      name="u.geojson")
        assert hits == []
    finally:
        srv.shutdown()


# ----------------------------------------------------------------------------- GeoPackage: tables only

def test_gpkg_with_an_endless_view_layer_is_refused_fast(tmp_path):
    data = gpkg_bytes(tmp_path)
    for kw in ({}, {"layer": "v"}):
        took, msg = timed(lg.read_units, data, name="units.gpkg", **kw)
        assert took < 5
        assert re.search(r"layer 'v' of 'units.gpkg' is a SQL view, not a table; .*Export the view as a table", msg)
    took, msg = timed(lg.read_points, data, name="p.gpkg")
    assert took < 5 and "is a SQL view" in msg
    took, msg = timed(lg.read_units, view_gpkg(tmp_path / "only.gpkg", only_view=True))
    assert took < 5 and "is a SQL view" in msg


def test_gpkg_table_layer_named_next_to_a_view_reads(tmp_path):
    units, _ = lg.read_units(view_gpkg(tmp_path / "v.gpkg"), layer="iris")
    assert units["unit_id"].tolist() == ["593500000", "593500001"]


def test_gpkg_whose_gpkg_contents_is_a_view_is_refused(tmp_path):
    p = tmp_path / "c.gpkg"
    units_frame().to_file(p, driver="GPKG")
    con = sqlite3.connect(p)
    con.execute("ALTER TABLE gpkg_contents RENAME TO real_contents")
    con.execute("CREATE VIEW gpkg_contents AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                "SELECT r.* FROM real_contents r, c")
    con.commit()
    con.close()
    took, msg = timed(lg.read_units, p)
    assert took < 5 and "'gpkg_contents' is a SQL view where a GeoPackage has a table" in msg


def test_gpkg_with_generated_columns_is_refused(tmp_path):
    p = tmp_path / "g.gpkg"
    units_frame().to_file(p, layer="iris", driver="GPKG")
    con = sqlite3.connect(p)
    con.execute("ALTER TABLE iris ADD COLUMN big TEXT GENERATED ALWAYS AS (zeroblob(1000000000)) VIRTUAL")
    con.commit()
    con.close()
    with pytest.raises(ValueError, match="has computed \\(generated\\) columns"):
        lg.read_units(p)


def test_corrupt_or_plain_sqlite_gpkg_gives_a_clear_message(tmp_path):
    good = tmp_path / "ok.gpkg"
    units_frame().to_file(good, driver="GPKG")
    corrupt = good.read_bytes()[:100] + b"\xde\xad" * 3000
    with pytest.raises(ValueError, match=r"could not read 'c.gpkg' as a GeoPackage: the SQLite file is damaged"):
        lg.read_units(corrupt, name="c.gpkg")
    plain = tmp_path / "plain.db"
    con = sqlite3.connect(plain)
    con.execute("CREATE TABLE t (a)")
    con.commit()
    con.close()
    with pytest.raises(ValueError, match=r"'p.gpkg' is not a valid GeoPackage \(it looks like a SQLite database "
                                         r"without GeoPackage tables\)"):
        lg.read_units(plain.read_bytes(), name="p.gpkg")


def test_gpkg_with_rtree_triggers_reads(tmp_path):
    """GDAL (like IGN) writes R-tree triggers; they fire only on writes and are not refused."""
    p = tmp_path / "t.gpkg"
    units_frame().to_file(p, driver="GPKG")
    con = sqlite3.connect(p)
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0] > 0
    con.close()
    assert len(lg.read_units(p)[0]) == 2


# ----------------------------------------------------------------------------- shapefiles

def shp_zip(tmp_path: Path, gdf=None) -> bytes:
    d = tmp_path / "shp"
    d.mkdir(exist_ok=True)
    (gdf if gdf is not None else units_frame()).to_file(d / "IRIS.shp")
    return zipped({f.name: f.read_bytes() for f in d.iterdir()})


def test_shapefile_with_a_non_dbase_dbf_is_refused(tmp_path):
    data = shp_zip(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    entries["IRIS.dbf"] = vrt()
    with pytest.raises(ValueError, match=r"its \.dbf is not a dBase table \(it looks like a GDAL VRT XML file\)"):
        lg.read_units(zipped(entries), name="u.zip")


def test_shapefile_limits_are_read_from_the_headers(tmp_path, monkeypatch):
    data = shp_zip(tmp_path, units_frame(3))
    monkeypatch.setenv("LILLEGEO_LIMIT_MAX_VERTICES", "14")
    with pytest.raises(ValueError, match=r"has 15 vertices, over the limit of 14"):
        lg.read_units(data, name="u.zip")
    monkeypatch.setenv("LILLEGEO_LIMIT_MAX_VERTICES", "15")
    monkeypatch.setenv("LILLEGEO_LIMIT_MAX_ROWS", "2")
    with pytest.raises(ValueError, match=r"'IRIS.shp' in 'u.zip' has 3 rows, over the limit of 2"):
        lg.read_units(data, name="u.zip")


def test_vertex_limit_on_geojson_and_gpkg(monkeypatch, tmp_path):
    monkeypatch.setenv("LILLEGEO_LIMIT_MAX_VERTICES", "9")
    with pytest.raises(ValueError, match="has 10 vertices, over the limit of 9"):
        lg.read_units(units_frame().to_crs(4326).to_json().encode(), name="u.geojson")
    p = tmp_path / "u.gpkg"
    units_frame().to_file(p, driver="GPKG")
    with pytest.raises(ValueError, match="has 10 vertices"):
        lg.read_units(p)


# ----------------------------------------------------------------------------- CSV size

def wide_csv(ncol: int, nrow: int = 5) -> bytes:
    head = "IRIS;" + ";".join(f"C{i}" for i in range(ncol))
    rows = [f"59350000{r};" + ";".join(str(i + r) if i % 2 else f"x{i}" for i in range(ncol)) for r in range(nrow)]
    return ("\n".join([head, *rows]) + "\n").encode()


def test_csv_with_50000_columns_is_refused_fast():
    data = wide_csv(50_000)
    for reader, name in ((lg.read_table, "t.csv"), (lg.read_points, "p.csv")):
        took, msg = timed(reader, data, name=name)
        assert took < 5 and re.search(rf"'{name}' has 50,001 columns, over the limit of 2,000", msg)
    assert points.csv_columns(data) == []


def test_csv_with_4000_columns_is_refused_or_read_fast(monkeypatch):
    data = wide_csv(4000)
    took, msg = timed(lg.read_table, data, name="t.csv")
    assert took < 2 and "4,001 columns" in msg
    monkeypatch.setenv("LILLEGEO_LIMIT_MAX_COLUMNS", "5000")
    t = time.process_time()
    df, rep = lg.read_table(data, name="t.csv")
    assert time.process_time() - t < 2
    assert df.shape == (5, 4001) and df["C1"].dtype == "float64" and df["C0"].iloc[0] == "x0"
    assert df.attrs["key"] == "IRIS"


def test_csv_row_limit(monkeypatch):
    monkeypatch.setenv("LILLEGEO_LIMIT_MAX_ROWS", "10")
    data = ("IRIS;P\n" + "".join(f"59350{i:04d};{i}\n" for i in range(20))).encode()
    with pytest.raises(ValueError, match=r"'t.csv' has 21 lines, over the limit of 10 .*rows"):
        lg.read_table(data, name="t.csv")


def test_sniffing_a_hostile_header_stays_fast():
    """csv.Sniffer's quote regex is quadratic in a line's length: it sees only the first characters."""
    data = (',"a' * 40_000 + "\n1,2\n").encode()
    t = time.perf_counter()
    with pytest.raises(ValueError):
        lg.read_table(data, name="t.csv")
    assert time.perf_counter() - t < 5


# ----------------------------------------------------------------------------- XLSX and Parquet

def xlsx_with(prolog: bytes = b"", member: str = "xl/worksheets/sheet1.xml") -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["IRIS", "P"])
    wb.active.append(["593500001", 1])
    buf = io.BytesIO()
    wb.save(buf)
    src, out = zipfile.ZipFile(io.BytesIO(buf.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            d = src.read(info)
            if info.filename == member and prolog:
                at = d.index(b"?>") + 2 if b"?>" in d else 0
                d = d[:at] + prolog + d[at:]
            zf.writestr(info, d)
    return out.getvalue()


LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


@pytest.mark.parametrize("prolog,member", [(LAUGHS, "xl/worksheets/sheet1.xml"),
                                           (b"<!-- <a> -->" + LAUGHS, "xl/worksheets/sheet1.xml"),
                                           (LAUGHS, "[Content_Types].xml"), (LAUGHS, "xl/workbook.xml")])
def test_xlsx_with_a_doctype_is_refused_in_one_line(prolog, member):
    assert lg.read_table(xlsx_with(), name="t.xlsx")[0]["P"].tolist() == [1.0]
    with pytest.raises(ValueError, match=r"^could not open 't.xlsx' as an XLSX workbook \(it contains a DOCTYPE / "
                                         r"XML entity declaration, refused\)$"):
        lg.read_table(xlsx_with(prolog, member), name="t.xlsx")


def test_xlsx_doctype_is_refused_by_the_parser_too(monkeypatch):
    """Behind the pre-check, openpyxl parses with defusedxml: still one line, never a ParseError."""
    pytest.importorskip("defusedxml")
    monkeypatch.setattr(xlsx, "_xlsx_precheck", lambda data, name: None)
    with pytest.raises(ValueError, match=r"^could not open 't.xlsx' as an XLSX workbook \(it contains a DOCTYPE"):
        lg.read_table(xlsx_with(LAUGHS), name="t.xlsx")


def test_corrupt_parquet_message_has_no_server_path():
    buf = io.BytesIO()
    units_frame().to_parquet(buf)
    good = buf.getvalue()
    for bad in (good[: len(good) // 2], good[:60] + b"\xff" * 400 + good[460:], b"PAR1" + b"\0" * 64 + b"PAR1"):
        with pytest.raises(ValueError, match=r"^could not read 'u.parquet' as GeoParquet: ") as err:
            lg.read_units(bad, name="u.parquet")
        assert "/tmp" not in str(err.value) and "lillegeo-" not in str(err.value)
    with pytest.raises(ValueError, match=r"'u.parquet' is not a GeoParquet file \(it looks like a GDAL VRT"):
        lg.read_units(vrt(), name="u.parquet")


# ----------------------------------------------------------------------------- real files still read

@needs_realdata
def test_real_ign_files_still_read(tmp_path):
    units, rep = lg.read_units(MEL / "MEL_IRIS.shp")
    assert len(units) == 509 and rep.details["encoding"] == "cp1252"
    p = tmp_path / "mel.gpkg"
    gpd.read_file(MEL / "MEL_IRIS.shp").to_file(p, driver="GPKG", layer="contours_iris")
    units2, _ = lg.read_units(p)
    assert units2["unit_id"].tolist() == units["unit_id"].tolist()
    zipped_shp = zipped({f.name: f.read_bytes() for f in MEL.glob("MEL_IRIS.*")})
    assert len(lg.read_units(zipped_shp, name="CONTOURS-IRIS.zip")[0]) == 509
    pts, _ = lg.read_points(MEL / "lille_bar_cafe_pub_restaurant.geojson")
    assert len(pts) > 700



def test_json_scan_matches_the_json_module_on_random_documents(tmp_path):
    import random

    rng = random.Random(7)
    alphabet = ['"', "\\", "{", "}", "[", "]", ":", ",", "a", "é", " "]

    def text():
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))

    def value(depth):
        r = rng.random()
        if depth > 5 or r < 0.3:
            return rng.choice([text(), 1, None, True, 2.5])
        if r < 0.65:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        return {text(): value(depth + 1) for _ in range(rng.randint(0, 3))}

    def nesting(v):
        if isinstance(v, list):
            return 1 + max((nesting(x) for x in v), default=0)
        if isinstance(v, dict):
            return 1 + max((nesting(x) for x in v.values()), default=0)
        return 0

    p = tmp_path / "r.json"
    for _ in range(100):
        doc = {text(): value(1) for _ in range(rng.randint(1, 4))}
        raw = json.dumps(doc, ensure_ascii=rng.random() < 0.5).encode()
        p.write_bytes(raw)
        for chunk in (3, 1 << 20):
            deepest, top, balanced = geojson._json_scan(p, 1000, chunk=chunk)
            keys = [json.loads(b'"' + m.group(1) + b'"') for off in top if (m := geojson._JSON_MEMBER.match(raw[off:]))]
            assert (deepest, balanced, keys) == (nesting(doc), True, list(doc)), raw
