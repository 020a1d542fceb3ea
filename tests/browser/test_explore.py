"""What a person sees: the Explore map drawn offline, the legend, escaped names, real files uploaded."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from ..conftest import MEL, needs_realdata
from .conftest import ARTIFACTS, SETTLE_MS, load_files, rerun, wait_idle

pytestmark = pytest.mark.browser
FOLIUM = 'iframe[title="streamlit_folium.st_folium"]'
XSS = "<img src=x onerror=alert(1)>"


DRAWN = """() => {
        const ids = new Set(); let canvas = 0;
        if (!window.map) return {units: 0, painted: 0, canvases: 0};
        window.map.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.uid !== undefined)
                                          ids.add(l.feature.properties.uid); });
        const c = document.querySelector('.leaflet-overlay-pane canvas');
        if (c) { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                 for (let i = 3; i < d.length; i += 4 * 97) if (d[i] > 0) canvas++; }
        return {units: ids.size, painted: canvas, canvases: document.querySelectorAll('.leaflet-overlay-pane canvas').length};
    }"""


# A Leaflet map whose view is final: loaded, not zooming or panning, and sized to its container (the maps refit
# themselves when their container is resized, from a ResizeObserver: until that has run, Leaflet's cached size
# differs from the container's and a point computed from the view would miss the unit it aims at).
SETTLED = """(m) => { const c = m.getContainer(), s = m.getSize();
    return !!m._loaded && !m._animatingZoom && !(m._panAnim && m._panAnim._inProgress)
           && c.clientWidth > 0 && s.x === c.clientWidth && s.y === c.clientHeight; }"""


def _map_frame(page, timeout=SETTLE_MS):
    """The map's frame once it is settled: legend shown, Streamlit idle, the units drawn and painted, the view final."""
    page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]').wait_for(timeout=timeout)
    wait_idle(page, timeout=timeout)
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    frame.wait_for_function(f"""() => {{ const d = ({DRAWN})();
        return d.units > 0 && d.painted > 0 && ({SETTLED})(window.map); }}""", timeout=timeout)
    return frame


def _drawn(frame) -> dict:
    return frame.evaluate(DRAWN)


def test_recolouring_restyles_in_place_and_keeps_the_view(app_url, page):
    """A widget that only changes values and colours (smoothing) repaints the same polygons: the
    map frame stays, with the user's zoom, and no polygon is rebuilt (lillegeo.cached.show_map)."""
    page.goto(f"{app_url}/")
    frame = _map_frame(page)
    units = """() => { const out = []; window.map.eachLayer(l => {
        if (l.feature && l.feature.properties && l.feature.properties.uid !== undefined) out.push(l); }); return out; }"""
    before = frame.evaluate(f"""() => {{ window.map.setZoom(window.map.getZoom() + 1, {{animate: false}});
        const ls = ({units})(); ls.forEach(l => {{ l._testMark = 1; }});
        return {{zoom: window.map.getZoom(), n: ls.length,
                 values: Object.fromEntries(ls.map(l => [l.feature.properties.uid, l.feature.properties.value]))}}; }}""")
    rerun(page, page.get_by_text("Empirical Bayes (global)", exact=True).click)
    frame.locator('[data-lillegeo="legend"]', has_text="Empirical Bayes").wait_for()
    after = frame.evaluate(f"""() => {{ const ls = ({units})();
        return {{zoom: window.map.getZoom(), n: ls.length, marked: ls.filter(l => l._testMark).length,
                 values: Object.fromEntries(ls.map(l => [l.feature.properties.uid, l.feature.properties.value]))}}; }}""")
    assert before["n"] == 374 and after["n"] == 374 and after["marked"] == 374  # same polygon objects
    assert after["zoom"] == before["zoom"]  # the user's view is kept
    changed = [u for u in before["values"] if before["values"][u] != after["values"][u]]
    assert len(changed) > 100, len(changed)  # smoothed rates reached the tooltips
    assert page.watch.errors == [], page.watch.errors


def _open_data_page(page, app_url) -> None:
    # open the app at its root, as a person does, then follow the navigation
    # (a deep link makes Streamlit probe /data/_stcore/* first, which logs 404s that are not ours)
    page.goto(app_url)
    page.get_by_role("link", name="1 · Data").click()
    page.get_by_text("My own files").wait_for()
    wait_idle(page)


def _hover_unit(page, frame, uid: str, click=False) -> None:
    pt = frame.evaluate("""(uid) => { let p = null; window.map.eachLayer(l => {
            if (!p && l.feature && l.feature.properties && l.feature.properties.uid === uid) {
                const ll = l.getCenter ? l.getCenter() : l.getBounds().getCenter();
                const c = window.map.latLngToContainerPoint(ll);
                const r = window.map.getContainer().getBoundingClientRect(); p = [r.left + c.x, r.top + c.y]; } });
            return p; }""", uid)
    assert pt, f"unit {uid} not drawn"
    box = page.locator(FOLIUM).bounding_box()
    x, y = box["x"] + pt[0], box["y"] + pt[1]
    page.mouse.move(x, y)
    page.mouse.move(x + 2, y + 2)
    frame.locator(".leaflet-tooltip", has_text=uid).wait_for()
    if click:  # the click reruns the page (the unit's record is shown)
        rerun(page, lambda: page.mouse.click(x, y))


def test_explore_demo_offline(app_url, page):
    page.goto(f"{app_url}/")
    frame = _map_frame(page)
    drawn = _drawn(frame)
    assert drawn["units"] == 374 and drawn["canvases"] == 1 and drawn["painted"] > 100, drawn
    legend = frame.locator('[data-lillegeo="legend"]').inner_text()
    assert "incidents per 1,000 P21_POP" in legend and "Withheld (fewer than 11)" in legend
    assert "Synthetic demo data" in frame.locator('[data-lillegeo="demo"]').inner_text()
    page.screenshot(path=str(ARTIFACTS / "explore.png"), full_page=True)
    assert page.watch.remote == [], page.watch.remote
    assert page.watch.errors == [], page.watch.errors


def test_hostile_names_shown_literally(app_url, page, tmp_path, grid_units):
    g = grid_units.copy()
    g["P20_POP"] = [1000.0, 2000.0, 1500.0, 1200.0, 3000.0, 2500.0]
    g["P20_POP_IMM"] = [100.0, 300.0, 70.0, 40.0, 600.0, 250.0]
    path = tmp_path / "hostile.geojson"
    g.to_crs(4326).to_file(path)
    _open_data_page(page, app_url)
    page.get_by_text("My own files").click()
    page.locator('[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))
    load_files(page, "Loaded: hostile.geojson")
    page.get_by_role("link", name="2 · Explore").click()
    frame = _map_frame(page)
    _hover_unit(page, frame, "593500000")
    tip = frame.locator(".leaflet-tooltip").inner_text()
    assert XSS in tip
    _hover_unit(page, frame, "593500000", click=True)
    frame = _map_frame(page)  # take the map as drawn after the click's rerun
    assert frame.locator(".leaflet-tooltip img, .leaflet-popup img, .lillegeo-legend img").count() == 0
    page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)
    assert page.watch.dialogs == []
    assert page.watch.errors == [], page.watch.errors
    assert page.watch.remote == [], page.watch.remote


def test_offline_html_export_opens_with_no_network(page, tmp_path, grid_units):
    from lillegeo.__main__ import main

    src = tmp_path / "u.geojson"
    g = grid_units.copy()
    g["P"] = [100.0, 300.0, 70.0, 40.0, 600.0, 250.0]
    g.to_file(src)
    out = tmp_path / "map.html"
    assert main(["map", "--units", str(src), "--column", "P", "--out", str(out)]) == 0
    page.goto(out.as_uri())
    page.locator('[data-lillegeo="legend"]').wait_for()
    features = """() => { let n = 0; for (const k of Object.keys(window)) if (k.startsWith('map_'))
                        window[k].eachLayer(l => { if (l.feature) n++; }); return n; }"""
    page.wait_for_function(f"""() => ({features})() > 0 && Object.keys(window).filter(k => k.startsWith('map_'))
                                                                    .every(k => ({SETTLED})(window[k]))""")
    n = page.evaluate(features)
    assert n == 6
    # hover the hostile unit in the exported file too
    pt = page.evaluate("""() => { let p = null; for (const k of Object.keys(window)) if (k.startsWith('map_'))
            window[k].eachLayer(l => { if (!p && l.feature && l.feature.properties.uid === '593500000') {
                const c = window[k].latLngToContainerPoint(l.getCenter());
                const r = window[k].getContainer().getBoundingClientRect(); p = [r.left + c.x, r.top + c.y]; } });
            return p; }""")
    page.mouse.move(pt[0], pt[1])
    page.mouse.move(pt[0] + 2, pt[1] + 2)
    page.locator(".leaflet-tooltip", has_text="593500000").wait_for()
    assert XSS in page.locator(".leaflet-tooltip").inner_text()
    page.mouse.click(pt[0] + 2, pt[1] + 2)
    page.locator(".leaflet-popup-content").wait_for()
    assert XSS in page.locator(".leaflet-popup-content").inner_text()  # the full record, escaped
    assert page.locator(".leaflet-popup img, .leaflet-tooltip img").count() == 0
    assert page.watch.remote == [] and page.watch.errors == [] and page.watch.dialogs == []


@needs_realdata
def test_real_lille_upload_and_map(app_url, page, tmp_path):
    z = tmp_path / "MEL_IRIS.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for ext in ("shp", "shx", "dbf", "prj"):
            zf.write(MEL / f"MEL_IRIS.{ext}", f"MEL_IRIS.{ext}")
    _open_data_page(page, app_url)
    page.get_by_text("My own files").click()
    inputs = page.locator('[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]')
    inputs.nth(0).set_input_files(str(z))
    inputs.nth(1).set_input_files(str(MEL / "Lille_IRIS_pop_16.csv"))
    load_files(page, "Loaded: MEL_IRIS.zip")
    page.get_by_text("110 / 509").wait_for()  # the rerun after loading has finished
    wait_idle(page)
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert metrics == ["110 / 509", "399", "0"], metrics
    # what the readers did, in sentences, and the partial coverage in plain words
    page.get_by_text("Read 509 units from MEL_IRIS.zip").wait_for()
    coverage = "The table covers 110 of 509 units (Lille); the map is fitted to them."
    page.get_by_text(coverage).wait_for()
    page.get_by_role("link", name="2 · Explore").click()
    _map_frame(page)
    # choose P16_POP_IMM in the sidebar: its conventional denominator P16_POP comes with it, in %
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Indicator (count or value)")
    box.locator("input").click()
    box.locator("input").fill("P16_POP_IMM")
    rerun(page, page.get_by_role("option", name="P16_POP_IMM", exact=True).click)
    expect(page.locator('[data-testid="stSelectbox"]').filter(has_text="Per (denominator)").locator("input")
           ).to_have_value("P16_POP (%)")
    expect(page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]')).to_contain_text(
        "P16_POP_IMM as % of P16_POP")
    frame = _map_frame(page)
    legend = frame.locator('[data-lillegeo="legend"]').inner_text()
    assert "P16_POP_IMM as % of P16_POP" in legend and "No data" in legend
    assert _drawn(frame)["units"] == 509
    page.get_by_text(coverage).wait_for()
    # the view is fitted to Lille's units (the ones with data), not to the whole metropolis
    centre = frame.evaluate("() => { const c = window.map.getCenter(); return [c.lat, c.lng]; }")
    assert 50.60 < centre[0] < 50.67 and 2.96 < centre[1] < 3.13, centre
    page.screenshot(path=str(ARTIFACTS / "lille_real.png"), full_page=True)
    assert page.watch.remote == [] and page.watch.errors == []


@needs_realdata
def test_unknown_schema_mapped_by_hand(app_url, page):
    zonecore = MEL.parent / "zonecore-iris-mel-subset" / "iris_lille.geojson"
    _open_data_page(page, app_url)
    page.get_by_text("My own files").click()
    page.locator('[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(zonecore))
    page.get_by_text("The columns match no known IRIS schema").wait_for()
    wait_idle(page)
    # the suggested mapping is pre-filled; check it, then load
    boxes = page.locator('[data-testid="stExpander"] [data-testid="stSelectbox"]')
    vals = [boxes.nth(i).locator("input").input_value() or boxes.nth(i).inner_text() for i in range(3)]
    assert "iris_code" in vals[0] and "code_insee" in vals[2], vals
    load_files(page, "Loaded: iris_lille.geojson")
    page.get_by_text("281 units in 16 commune(s)").wait_for()  # the sidebar shows the new data
    assert page.watch.errors == [] and page.watch.remote == []
