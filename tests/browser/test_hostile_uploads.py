"""A hostile upload holds only its own worker process: other sessions keep getting answers, and the person who
uploaded it sees one line saying which limit stopped the read (no traceback, no server path)."""

from __future__ import annotations

import re
import sqlite3
import time

import geopandas as gpd
import pytest
from shapely.geometry import box

from .conftest import ARTIFACTS, SLOW_MS, START_S, Watch, new_context, wait_idle

pytestmark = pytest.mark.browser

READ_SECONDS = 15  # the served app's read limit (LILLEGEO_LIMIT_READ_SECONDS)
UPLOADER = '[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]'


@pytest.fixture(scope="module")
def slow_app_url():
    """The real app with a low read limit; its worker sleeps before reading (the test hook
    ``LILLEGEO_TEST_WORKER_SLEEP``), so that any upload runs into the limit, as an endless file would."""
    from benchmarks.sessions import serve_app
    from lillegeo.io.worker import TEST_SLEEP_ENV

    ARTIFACTS.mkdir(exist_ok=True)
    server = serve_app(ARTIFACTS / "streamlit_hostile.log",
                       env={"LILLEGEO_LIMIT_READ_SECONDS": str(READ_SECONDS), TEST_SLEEP_ENV: "600"},
                       start_timeout=START_S)
    try:
        srv = server.__enter__()
    except RuntimeError as exc:
        pytest.fail(f"{exc} (tests/browser/artifacts/streamlit_hostile.log)")
    yield srv.url
    server.__exit__(None, None, None)


def _endless_gpkg(path) -> None:
    """A GeoPackage whose only layer is a view over a recursive query that never ends."""
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


def test_hostile_upload_does_not_hold_other_sessions(slow_app_url, browser, tmp_path):
    path = tmp_path / "endless.gpkg"
    _endless_gpkg(path)
    a, b = new_context(browser, viewport={"width": 1400, "height": 1000}), new_context(browser)
    pa, pb = a.new_page(), b.new_page()
    pa.watch, pb.watch = Watch(pa), Watch(pb)
    try:
        # both sessions open and idle first (the server's first run imports the analysis libraries)
        for p in (pb, pa):
            p.goto(slow_app_url)
            p.get_by_role("link", name="1 · Data").click()
            p.get_by_text("What the readers did").wait_for(timeout=SLOW_MS)
            wait_idle(p)
        pa.get_by_text("My own files").click()
        pa.get_by_role("button", name="Load these files").wait_for()
        wait_idle(pa)

        t0 = time.monotonic()
        pa.locator(UPLOADER).first.set_input_files(str(path))  # A's worker now runs until the limit
        pa.get_by_text("Reading endless.gpkg").wait_for()

        # B keeps getting answers while A's read is running: a page change and a widget change
        pb.get_by_role("link", name="2 · Explore").click()
        pb.get_by_role("heading", name="Explore", exact=True).wait_for()
        pb.get_by_role("link", name="1 · Data").click()
        pb.get_by_text("What the readers did").wait_for()
        pb.get_by_text("My own files").click()
        pb.get_by_role("button", name="Load these files").wait_for()
        b_done = time.monotonic() - t0
        assert pa.get_by_text("Reading endless.gpkg").count() == 1, "A's read should still be running"
        assert b_done < READ_SECONDS, f"B waited {b_done:.1f} s"

        # A: the read stops at the limit; loading shows one line naming the file and the limit
        wait_idle(pa)
        pa.get_by_role("button", name="Load these files").click()
        alert = pa.locator('[data-testid="stAlert"]').filter(has_text="took longer than")
        alert.first.wait_for()
        took = time.monotonic() - t0
        text = alert.first.inner_text().strip()
        pa.screenshot(path=str(ARTIFACTS / "hostile_upload.png"), full_page=True)
        assert text == (f"reading 'endless.gpkg' took longer than {READ_SECONDS} s and was stopped "
                        "(limit LILLEGEO_LIMIT_READ_SECONDS)"), text
        assert took < READ_SECONDS + 15 < 31, f"the error came after {took:.1f} s"
        body = pa.locator("body").inner_text()
        assert "Traceback" not in body and pa.locator('[data-testid="stException"]').count() == 0
        assert not re.search(r"/(tmp|home|root|usr|work)/", body), "a server path is shown"
        assert "lillegeo-worker" not in body
        assert pa.get_by_text("Nothing was changed").count() == 1  # the demo stays loaded
        for p in (pa, pb):
            assert p.watch.remote == [], p.watch.remote
    except Exception:
        for name, p in (("a", pa), ("b", pb)):
            try:
                p.screenshot(path=str(ARTIFACTS / f"FAILED-hostile-{name}.png"), full_page=True)
            except Exception:  # noqa: BLE001
                pass
        raise
    finally:
        a.close()
        b.close()
