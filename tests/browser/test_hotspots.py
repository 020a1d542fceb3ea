"""The Hotspots page in Chromium with no network: hot/cold layer, cluster hulls, heat surface, legends."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lillegeo import load_demo
from lillegeo.params import ClusterParams
from lillegeo.pipeline import run_clusters

from .conftest import ARTIFACTS, SLOW_MS, rerun, wait_idle
from .test_explore import FOLIUM

pytestmark = pytest.mark.browser


def test_hotspots_page_offline(app_url, page):
    page.goto(app_url)
    page.get_by_role("link", name="3 · Hotspots").click()
    maps = page.frame_locator(FOLIUM)
    maps.first.locator('[data-lillegeo="legend"]').wait_for(timeout=SLOW_MS)
    wait_idle(page)
    legend = maps.first.locator('[data-lillegeo="legend"]').inner_text()
    assert "Hot and cold spots" in legend and "Hot spot 99%" in legend and "Hot spot 95%" in legend
    # alpha 0.05: the bins go down to 95 % only; the legend lists the classes in use, with the withheld units
    assert "90%" not in legend and "Withheld" in legend
    counts = maps.first.locator('[data-lillegeo="legend"] .row .n').all_inner_texts()
    assert sum(int(c) for c in counts) == 374  # every unit in exactly one legend row
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    units = frame.evaluate("""() => { const ids = new Set(); window.map.eachLayer(l => {
        if (l.feature && l.feature.properties && l.feature.properties.uid !== undefined) ids.add(l.feature.properties.uid); });
        return ids.size; }""")
    assert units == 374
    page.screenshot(path=str(ARTIFACTS / "hotspots_area.png"), full_page=True)

    page.get_by_role("tab", name="Incident clusters & heat").click()
    rerun(page, page.get_by_text("Show the heat surface").click, timeout=SLOW_MS)
    # the map frames are served from the app's origin: find the one that draws the heat legend
    heat = page.wait_for_function("""(sel) => { const fs = [...document.querySelectorAll(sel)];
        const i = fs.findIndex(f => f.contentDocument && f.contentDocument.querySelector('[data-lillegeo="heat-legend"]')
                                    && f.contentWindow.map);
        return i >= 0 ? i + 1 : 0; }""", arg=FOLIUM, timeout=SLOW_MS).json_value() - 1
    hf = page.locator(FOLIUM).nth(heat).element_handle().content_frame()
    expect(page.frame_locator(FOLIUM).nth(heat).locator('[data-lillegeo="heat-legend"]')).to_be_visible()
    info = hf.evaluate("""() => { let hulls = 0, img = 0; window.map.eachLayer(l => {
        if (l.feature && l.feature.properties && l.feature.properties.c !== undefined) hulls++;
        if (l._url && l._url.startsWith('data:image/png')) img++; }); return {hulls, img}; }""")
    # one hull per cluster the library finds with the page's defaults (DBSCAN = scikit-learn, tests/test_hotspots.py)
    n_clusters = run_clusters(load_demo(), ClusterParams()).clusters.n_clusters
    assert n_clusters >= 8 and info["hulls"] == n_clusters and info["img"] == 1, (info, n_clusters)
    # the map was created in a hidden tab: it must still be fitted to the city once shown
    view = hf.evaluate("""() => ({zoom: window.map.getZoom(), w: window.map.getSize().x,
        inside: window.map.getBounds().contains(window.map.getCenter()),
        layers: [...document.querySelectorAll('.leaflet-control-layers-overlays label')].map(l => l.innerText.trim())})""")
    assert view["zoom"] >= 9 and view["w"] > 300, view
    assert len(view["layers"]) == len(set(view["layers"])) and "Units" in view["layers"], view["layers"]
    assert "Incidents per km²" in hf.locator('[data-lillegeo="heat-legend"]').inner_text()
    page.screenshot(path=str(ARTIFACTS / "hotspots_points.png"), full_page=True)
    assert page.watch.remote == [], page.watch.remote
    assert page.watch.errors == [], page.watch.errors
