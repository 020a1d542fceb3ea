"""The Hotspots page in Chromium with no network: hot/cold layer, cluster hulls, heat surface, legends."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS
from .test_explore import FOLIUM

pytestmark = pytest.mark.browser


def test_hotspots_page_offline(app_url, page):
    page.goto(app_url)
    page.get_by_role("link", name="3 · Hotspots").click()
    maps = page.frame_locator(FOLIUM)
    maps.first.locator('[data-lillegeo="legend"]').wait_for(timeout=90_000)
    page.wait_for_timeout(1500)
    legend = maps.first.locator('[data-lillegeo="legend"]').inner_text()
    assert "Hot and cold spots" in legend and "Hot spot 99%" in legend and "Cold spot 99%" in legend
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    units = frame.evaluate("""() => { const ids = new Set(); window.map.eachLayer(l => {
        if (l.feature && l.feature.properties && l.feature.properties.uid !== undefined) ids.add(l.feature.properties.uid); });
        return ids.size; }""")
    assert units == 374
    page.screenshot(path=str(ARTIFACTS / "hotspots_area.png"), full_page=True)

    page.get_by_role("tab", name="Incident clusters & heat").click()
    page.get_by_text("Show the heat surface").click()
    hf = None
    for _ in range(120):
        frames = [f for f in page.frames if "streamlit_folium" in f.url]
        for f in frames:
            try:
                if f.locator('[data-lillegeo="heat-legend"]').count():
                    hf = f
            except Exception:  # noqa: BLE001 - frames come and go while Streamlit reruns
                pass
        if hf:
            break
        page.wait_for_timeout(500)
    assert hf is not None, "no heat legend drawn"
    page.wait_for_timeout(1000)
    info = hf.evaluate("""() => { let hulls = 0, img = 0; window.map.eachLayer(l => {
        if (l.feature && l.feature.properties && l.feature.properties.c !== undefined) hulls++;
        if (l._url && l._url.startsWith('data:image/png')) img++; }); return {hulls, img}; }""")
    assert info["hulls"] == 10 and info["img"] == 1, info
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
