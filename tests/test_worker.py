"""Untrusted files read in a bounded worker process (lillegeo.worker), the limits (lillegeo.limits) and the
recipe screen: a read that runs too long or grows too large is stopped with a one-line message; a
normal read gives exactly what the plain reader gives."""

from __future__ import annotations

import os
import pickle
import sqlite3
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from lillegeo import io as sources
from lillegeo.io import worker
from lillegeo.demo import DEMO_DIR
from lillegeo.limits import Limits, check_toml, limits
from lillegeo.dataset import load_sources
from lillegeo.io import SchemaError
from lillegeo.io.worker import ReadLimitError, read_points_bounded, read_table_bounded, read_units_bounded
from lillegeo.recipe import Recipe

from .conftest import MEL, REALDATA, needs_realdata

PLAIN = {"units": sources.read_units, "table": sources.read_table, "points": sources.read_points}
BOUNDED = {"units": read_units_bounded, "table": read_table_bounded, "points": read_points_bounded}


@pytest.fixture()
def spawned(monkeypatch):
    """The worker processes started during a test (to check that they are gone afterwards)."""
    started = []
    real = worker.subprocess.Popen

    class Recording(real):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            started.append(self)

    monkeypatch.setattr(worker.subprocess, "Popen", Recording)
    return started


def _gone(proc) -> bool:
    try:
        os.kill(proc.pid, 0)
    except ProcessLookupError:
        return True
    return False


def _same(a, b) -> None:
    """Frames, dtypes, CRS, attrs equal (the bounded read is the plain read)."""
    assert type(a) is type(b)
    assert list(a.columns) == list(b.columns)
    assert dict(a.dtypes.astype(str)) == dict(b.dtypes.astype(str))
    if isinstance(a, gpd.GeoDataFrame):
        assert a.crs == b.crs and str(a.crs) == str(b.crs)
        assert a.geometry.name == b.geometry.name
        assert a.geometry.geom_equals_exact(b.geometry, tolerance=0).all()
        pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry")))
    else:
        pd.testing.assert_frame_equal(a, b)
    assert sorted(a.attrs) == sorted(b.attrs)
    for k, v in b.attrs.items():
        if isinstance(v, np.ndarray):
            assert a.attrs[k].dtype == v.dtype, k
            assert [None if x is pd.NA else x for x in a.attrs[k].tolist()] == \
                   [None if x is pd.NA else x for x in v.tolist()], k
        else:
            assert a.attrs[k] == v, k


def _same_report(ra, rb) -> None:
    assert ra.to_dict() == rb.to_dict()
    assert ra.codes == rb.codes
    assert ra.messages_in("fr") == rb.messages_in("fr")


# ------------------------------------------------------------------ limits

def test_limits_defaults_and_environment(monkeypatch):
    lim = Limits()
    assert (lim.read_seconds, lim.worker_mb, lim.upload_mb, lim.max_columns, lim.max_rows, lim.max_vertices,
            lim.max_nesting, lim.recipe_kb, lim.recipe_keys) == (120.0, 3072, 200, 2000, 5_000_000, 20_000_000,
                                                                 32, 256, 2000)
    assert lim.upload_mb == sources.MAX_UPLOAD_MB
    monkeypatch.setenv("LILLEGEO_LIMIT_READ_SECONDS", "2.5")
    monkeypatch.setenv("LILLEGEO_LIMIT_WORKER_MB", "700")
    assert (limits().read_seconds, limits().worker_mb) == (2.5, 700)
    with pytest.raises(AttributeError):
        lim.read_seconds = 1  # frozen


@pytest.mark.parametrize("var, value, match", [
    ("LILLEGEO_LIMIT_READ_SECONDS", "soon", "LILLEGEO_LIMIT_READ_SECONDS must be a number above 0; got 'soon'"),
    ("LILLEGEO_LIMIT_READ_SECONDS", "-1", "must be a number above 0"),
    ("LILLEGEO_LIMIT_WORKER_MB", "1.5", "LILLEGEO_LIMIT_WORKER_MB must be a whole number above 0"),
    ("LILLEGEO_LIMIT_MAX_ROWS", "inf", "must be a whole number above 0"),
    ("LILLEGEO_LIMIT_READ_SECOND", "5", "unknown limit variable.*LILLEGEO_LIMIT_READ_SECOND;.*known:"),
])
def test_bad_limit_variable_is_a_clear_error(monkeypatch, var, value, match):
    monkeypatch.setenv(var, value)
    with pytest.raises(ValueError, match=match):
        limits()


def test_limits_object_validates():
    with pytest.raises(ValueError, match=r"limit worker_mb \(LILLEGEO_LIMIT_WORKER_MB\) must be a whole number"):
        Limits(worker_mb=0)


# ------------------------------------------------------------------ same results as the plain readers

DEMO_CASES = [("units", "units.geojson", {}), ("units", "qpv.geojson", {"mapping": {"unit_id": "code_qp",
                                                                                   "unit_name": "nom_qp"}}),
              ("table", "census.csv", {}), ("points", "incidents.csv", {}), ("points", "checks.csv", {})]


@pytest.mark.parametrize("kind, fname, kw", DEMO_CASES, ids=[c[1] for c in DEMO_CASES])
def test_bounded_read_equals_plain_read_on_demo_files(kind, fname, kw):
    a, ra = BOUNDED[kind](DEMO_DIR / fname, **kw)
    b, rb = PLAIN[kind](DEMO_DIR / fname, **kw)
    _same(a, b)
    _same_report(ra, rb)


def test_bounded_read_of_bytes_equals_plain_read():
    data = (DEMO_DIR / "incidents.csv").read_bytes()
    a, ra = read_points_bounded(data, name="my incidents.csv", crs="EPSG:4326")
    b, rb = sources.read_points(data, name="my incidents.csv", crs="EPSG:4326")
    _same(a, b)
    _same_report(ra, rb)
    assert ra.source == "my incidents.csv"
    assert str(a["id"].dtype) == "string" and str(a["date"].dtype).startswith("datetime64")
    assert a.attrs["input_ids"].dtype == object and a.attrs["source_rows"].dtype == np.int64


def test_categories_datetimes_and_codes_survive_the_trip(tmp_path):
    g = gpd.GeoDataFrame({"code_iris": ["593500101", "593500102"], "nom_iris": ["A", "B"],
                          "code_insee": ["59350", "59350"], "nom_commune": ["Lille", "Lille"], "type_iris": ["H", "A"],
                          "when": pd.to_datetime(["2023-01-02 10:00", "2024-05-06 11:30"]),
                          "zone": pd.Categorical(["n", "s"]), "n": [1, 2]},
                         geometry=[box(700_000, 7_050_000, 701_000, 7_051_000),
                                   box(701_000, 7_050_000, 702_000, 7_051_000)], crs=2154)
    g.to_parquet(tmp_path / "u.parquet")
    a, ra = read_units_bounded(tmp_path / "u.parquet")
    b, rb = sources.read_units(tmp_path / "u.parquet")
    _same(a, b)
    assert str(a["zone"].dtype) == "category" and str(a["when"].dtype).startswith("datetime64")
    assert a["unit_id"].tolist() == ["593500101", "593500102"]


REAL_CASES = [("units", "grisoudre-mel-iris-2016/MEL_IRIS.shp", {}),
              ("units", "grisoudre-mel-iris-2016/Lille_IRIS.shp", {}),
              ("units", "heat-risk-lille-iris/lille_iris_heat_vulnerability.geojson", {}),
              ("units", "zonecore-iris-mel-subset/iris_lille.geojson",
               {"mapping": {"unit_id": "iris_code", "unit_name": "nom_iris", "commune_id": "code_insee"}}),
              ("table", "grisoudre-mel-iris-2016/Lille_IRIS_pop_16.csv", {}),
              ("table", "heat-risk-lille-iris/lille_iris_elderly_pct.csv", {}),
              ("points", "grisoudre-mel-iris-2016/lille_bar_cafe_pub_restaurant.geojson", {})]


@needs_realdata
@pytest.mark.parametrize("kind, rel, kw", REAL_CASES, ids=[Path(c[1]).name for c in REAL_CASES])
def test_bounded_read_equals_plain_read_on_real_files(kind, rel, kw):
    path = REALDATA / rel
    if not path.exists():
        pytest.skip(f"{rel} not present")
    # a tight memory limit still reads the real MEL files
    a, ra = BOUNDED[kind](path, limits=Limits(worker_mb=600), **kw)
    b, rb = PLAIN[kind](path, **kw)
    _same(a, b)
    _same_report(ra, rb)


@needs_realdata
def test_zipped_shapefile_upload_as_bytes(tmp_path):
    import zipfile

    z = tmp_path / "mel.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for ext in (".shp", ".shx", ".dbf", ".prj"):
            zf.write(MEL / f"MEL_IRIS{ext}", f"MEL_IRIS{ext}")
    a, ra = read_units_bounded(z.read_bytes(), name="mel.zip")
    b, rb = sources.read_units(z.read_bytes(), name="mel.zip")
    _same(a, b)
    _same_report(ra, rb)
    assert len(a) == 509


# ------------------------------------------------------------------ errors come back as they are

def test_schema_error_keeps_type_message_and_columns():
    g = gpd.GeoDataFrame({"zone_id": ["a", "b"], "label": ["x", "y"]},
                         geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=2154)
    data = g.to_json().encode()
    with pytest.raises(SchemaError) as plain:
        sources.read_units(data, name="zones.geojson")
    with pytest.raises(SchemaError) as bounded:
        read_units_bounded(data, name="zones.geojson")
    assert str(bounded.value) == str(plain.value)
    assert bounded.value.columns == plain.value.columns and "zone_id" in bounded.value.columns


@pytest.mark.parametrize("data, name", [(b"", "empty.csv"), (b"\x00\x01garbage" * 10, "bad.gpkg"),
                                        (b'{"type": "FeatureCollection", "features": [', "cut.geojson")])
def test_value_errors_keep_their_message_and_no_server_path(data, name):
    reader = read_table_bounded if name.endswith(".csv") else read_units_bounded
    plain = sources.read_table if name.endswith(".csv") else sources.read_units
    with pytest.raises(ValueError) as b:
        reader(data, name=name)
    with pytest.raises(ValueError) as p:
        plain(data, name=name)
    # the same message; public types come back as they are (a private ValueError subclass as ValueError)
    assert str(b.value) == str(p.value) and isinstance(b.value, ValueError)
    msg = str(b.value)
    assert "\n" not in msg and "lillegeo-" not in msg and "/tmp" not in msg and "input.bin" not in msg


def test_wrong_kind_of_source_is_a_type_error():
    with pytest.raises(TypeError, match="expected a path, bytes or a file object, got int"):
        read_table_bounded(42)


def test_upload_over_the_limit_is_refused_before_any_worker(spawned):
    with pytest.raises(ValueError, match="file is 2 MB, over the 1 MB limit"):
        read_table_bounded(b"a;b\n" * (2**19), name="big.csv", limits=Limits(upload_mb=1))
    assert spawned == []


def test_no_pickle_crosses_from_the_worker(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("pickle used on the worker's answer")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    pts, rep = read_points_bounded(DEMO_DIR / "checks.csv")
    assert len(pts) == rep.rows > 0


# ------------------------------------------------------------------ breaches stop the worker

def test_a_read_over_the_time_limit_is_stopped(monkeypatch, spawned):
    monkeypatch.setenv(worker.TEST_SLEEP_ENV, "60")  # test hook: the worker sleeps before reading
    t0 = time.monotonic()
    with pytest.raises(ReadLimitError) as exc:
        read_table_bounded((DEMO_DIR / "census.csv").read_bytes(), name="slow.csv", limits=Limits(read_seconds=2))
    took = time.monotonic() - t0
    assert str(exc.value) == ("reading 'slow.csv' took longer than 2 s and was stopped "
                              "(limit LILLEGEO_LIMIT_READ_SECONDS)")
    assert isinstance(exc.value, ValueError)
    assert 2 <= took < 6, took
    assert len(spawned) == 1 and _gone(spawned[0]) and spawned[0].returncode == -9
    assert not Path(spawned[0].args[-1]).exists()  # the private temporary folder is removed


def test_limit_from_the_environment_applies(monkeypatch):
    monkeypatch.setenv(worker.TEST_SLEEP_ENV, "60")
    monkeypatch.setenv("LILLEGEO_LIMIT_READ_SECONDS", "1.5")
    with pytest.raises(ReadLimitError, match=r"took longer than 1.5 s"):
        read_table_bounded(DEMO_DIR / "census.csv")


def _selftest(spec: dict, lim: Limits):
    job = {"kind": "table", "name": "big.csv", "kwargs": {}, "limits": worker._limits_dict(lim), "selftest": spec}
    return worker._run_job(job, b"IRIS;x\n593500101;1\n", "big.csv", lim)


def test_memory_over_the_limit_stops_the_read_kernel_limit(spawned):
    # malloc beyond RLIMIT_DATA fails in the worker: MemoryError, reported as the memory limit
    with pytest.raises(ReadLimitError, match=r"^reading 'big.csv' needed more than 400 MB of memory and was "
                                             r"stopped \(limit LILLEGEO_LIMIT_WORKER_MB\)$"):
        _selftest({"heap_mb": 800}, Limits(worker_mb=400))
    assert _gone(spawned[0])


def test_memory_over_the_limit_stops_the_read_server_watch(spawned):
    # a shared mapping escapes RLIMIT_DATA: the server sees the resident memory and kills the worker
    t0 = time.monotonic()
    with pytest.raises(ReadLimitError, match="needed more than 300 MB of memory"):
        _selftest({"shared_mb": 600, "sleep": 20}, Limits(worker_mb=300))
    assert time.monotonic() - t0 < 15
    assert spawned[0].returncode == -9 and _gone(spawned[0])


def test_memory_under_the_limit_is_fine():
    t, rep = _selftest({"heap_mb": 100}, Limits(worker_mb=600))
    assert rep.rows == 1 and t["IRIS"].tolist() == ["593500101"]


def _endless_gpkg(path: Path) -> None:
    """A GeoPackage whose only layer is a view over a recursive query that never ends (the attack)."""
    g = gpd.GeoDataFrame({"code_iris": ["593500000"], "nom_iris": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=2154)
    g.to_file(path, layer="base", engine="pyogrio")
    con = sqlite3.connect(path)
    con.execute("CREATE VIEW endless AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
                "SELECT r.i AS fid, b.geom AS geom, b.code_iris AS code_iris, b.nom_iris AS nom_iris FROM r, base b")
    con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES ('endless', 'features', 'endless', 2154)")
    con.execute("INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) "
                "VALUES ('endless', 'geom', 'POLYGON', 2154, 0, 0)")
    con.execute("DELETE FROM gpkg_contents WHERE table_name = 'base'")
    con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'base'")
    con.commit()
    con.close()


def test_endless_geopackage_view_is_stopped(tmp_path, spawned):
    _endless_gpkg(tmp_path / "endless.gpkg")
    t0 = time.monotonic()
    with pytest.raises(ValueError) as exc:  # stopped by the limit, or refused by the reader up front
        read_units_bounded((tmp_path / "endless.gpkg").read_bytes(), name="endless.gpkg",
                           limits=Limits(read_seconds=4))
    assert time.monotonic() - t0 < 12
    assert "endless.gpkg" in str(exc.value) and str(tmp_path) not in str(exc.value)
    assert all(_gone(p) for p in spawned)


# ------------------------------------------------------------------ the command line and recipes use the worker

def test_cli_reads_through_the_worker(monkeypatch, capsys, tmp_path):
    from lillegeo.__main__ import main

    monkeypatch.setenv(worker.TEST_SLEEP_ENV, "60")
    monkeypatch.setenv("LILLEGEO_LIMIT_READ_SECONDS", "1")
    rc = main(["join", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
               "--out", str(tmp_path / "j.csv")])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.strip() == ("error: reading 'units.geojson' took longer than 1 s and was stopped "
                           "(limit LILLEGEO_LIMIT_READ_SECONDS)")


def test_recipe_sources_read_through_the_worker_demo_in_process(monkeypatch, tmp_path):
    monkeypatch.setenv(worker.TEST_SLEEP_ENV, "60")
    monkeypatch.setenv("LILLEGEO_LIMIT_READ_SECONDS", "1")
    ds = load_sources(Recipe.for_demo())  # shipped demo files: read in this process
    assert len(ds.units) == 374
    (tmp_path / "units.geojson").write_bytes((DEMO_DIR / "units.geojson").read_bytes())
    r = Recipe.for_demo()
    r = r.replace(demo=False, base_dir=tmp_path, sources={"units": {**r.sources["units"], "path": "units.geojson"}})
    with pytest.raises(ReadLimitError, match="reading 'units.geojson' took longer than 1 s"):
        load_sources(r)


# ------------------------------------------------------------------ recipes that would hold the parser

def _timed_refusal(text: str, match: str) -> None:
    t0 = time.monotonic()
    with pytest.raises(ValueError, match=match):
        Recipe.from_toml(text)
    assert time.monotonic() - t0 < 2


def test_deeply_nested_recipe_is_refused_quickly():
    _timed_refusal("[recipe]\nversion = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n",
                   r"the recipe nests 33 levels deep .*the limit is 32 \(LILLEGEO_LIMIT_MAX_NESTING\)")
    _timed_refusal("x = " + "{a = " * 200 + "1" + "}" * 200, "nests 33 levels deep")


def test_dotted_key_recipe_is_refused_quickly():
    # 40 KB of dotted keys: tomllib alone needs seconds (its cost grows with the square of a key's depth)
    deep = "a" + ".a" * 20_000 + " = 1\n"
    assert 40_000 < len(deep) < 41_000
    _timed_refusal(deep, "nests 20001 levels deep")
    lines = "".join("k%d" % i + ".b" * 40 + " = 1\n" for i in range(460))
    assert len(lines) > 40_000
    _timed_refusal(lines, "nests 41 levels deep")
    headers = "".join("[t%d" % i + ".b" * 40 + "]\n" for i in range(460))
    _timed_refusal(headers, "nests 41 levels deep")


def test_recipe_size_and_key_count_limits(monkeypatch, tmp_path):
    _timed_refusal("# " + "x" * 300_000, r"the recipe is 293 KB, over the 256 KB limit \(LILLEGEO_LIMIT_RECIPE_KB\)")
    _timed_refusal("".join(f"k{i} = 1\n" for i in range(2500)),
                   r"more than 2,000 keys and table headers; the limit is 2,000 \(LILLEGEO_LIMIT_RECIPE_KEYS\)")
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 300_000)
    with pytest.raises(ValueError, match="over the 256 KB limit"):
        Recipe.read(big)
    monkeypatch.setenv("LILLEGEO_LIMIT_RECIPE_KB", "1")
    with pytest.raises(ValueError, match="over the 1 KB limit"):
        Recipe.from_toml(Recipe.for_demo().to_toml())


def test_recipes_within_the_limits_parse_as_before():
    text = Recipe.for_demo().to_toml()
    assert Recipe.from_toml(text).sources == Recipe.for_demo().sources
    # brackets, dots and '#' inside strings and comments are not structure
    check_toml('title = "[[[[a.b.c.d.e.f]]]] # {{{{"\n# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n'
               "s = '''\n" + "[" * 100 + "\n'''\n" + 'm = """\\"""' + "{" * 50 + '"""\n'
               'band = [0.8, 1.25]\nslides = [{layer = "explore", title = "x"}]\n')
    with pytest.raises(ValueError, match="nests"):  # an escaped quote does not hide what follows
        check_toml('["x\\"" ' + ".a" * 40 + "]\n")
    with pytest.raises(ValueError, match="nests"):
        check_toml('a = """x\\"""' + "[" * 40 + '"""\nb = ' + "[" * 40 + "]" * 40)


# ------------------------------------------------------------------ the Data page reads an upload once per change

def test_data_page_reads_an_upload_once_per_change(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from .conftest import ROOT

    calls = []
    real = worker._run_job

    def counting(job, data, shown, lim):
        calls.append(job["kind"])
        return real(job, data, shown, lim)

    monkeypatch.setattr(worker, "_run_job", counting)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/1_Data.py").run()
    at.radio(key="data_source").set_value("upload").run()
    at.file_uploader(key="data_contours").set_value(
        ("units.geojson", (DEMO_DIR / "units.geojson").read_bytes(), "application/geo+json"))
    at.run()
    assert calls == ["units"]
    at.run()  # a rerun with nothing changed does not read again
    at.button(key="data_load").click().run()  # loading uses the read already made
    assert not at.exception, [e.value for e in at.exception]
    assert calls == ["units"]
    assert any("Loaded" in s.value for s in at.success)
    at.selectbox(key="data_crs").set_value("EPSG:2154").run()  # another reader option: read again
    assert calls == ["units", "units"]
    at.run()
    assert calls == ["units", "units"]


def test_data_page_shows_a_stopped_read_as_one_line(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from .conftest import ROOT

    monkeypatch.setenv(worker.TEST_SLEEP_ENV, "60")
    monkeypatch.setenv("LILLEGEO_LIMIT_READ_SECONDS", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/1_Data.py").run()
    at.radio(key="data_source").set_value("upload").run()
    at.file_uploader(key="data_contours").set_value(("slow.geojson", b'{"type": "FeatureCollection"}', "x"))
    at.run()
    at.button(key="data_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "took longer than 1 s and was stopped" in errors[0]
    assert "\n" not in errors[0] and "/" not in errors[0].replace("\\", "")
    assert at.session_state["dataset_token"] == "demo"  # what was loaded before is kept


def test_folders_of_a_stopped_server_are_removed(tmp_path, monkeypatch):
    import subprocess
    import sys
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    left = tmp_path / f"lillegeo-worker-{dead}-abc"  # a server killed mid-read left its job folder
    left.mkdir()
    (left / "input.bin").write_bytes(b"private upload")
    mine = tmp_path / f"lillegeo-worker-{os.getpid()}-def"  # this server's reads in progress stay
    mine.mkdir()
    read_table_bounded(DEMO_DIR / "census.csv")
    assert not left.exists() and mine.exists()
    assert [p.name for p in tmp_path.iterdir()] == [mine.name]


def test_reads_wait_for_a_free_worker_then_say_the_server_is_busy():
    # limits.workers caps the files read at once by one server: a burst of uploads cannot take
    # workers x worker_mb of memory; a read that finds no free worker in time says so in one line
    from lillegeo.io import worker as W
    from lillegeo.limits import Limits

    lim = Limits(workers=1, read_seconds=0.5)
    slots = W._slots(1)
    assert slots.acquire(timeout=1)
    try:
        with pytest.raises(ValueError, match=r"server is busy reading other files \(1 at a time, limit "
                                             r"LILLEGEO_LIMIT_WORKERS\); 'u.geojson' was not read"):
            W.read_units_bounded(b"{}", name="u.geojson", limits=lim)
    finally:
        slots.release()
