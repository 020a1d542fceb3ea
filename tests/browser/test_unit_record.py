"""The unit's record popup and the hover tooltip never overlap (issue 14): a map exported by the command
line, hovered and clicked in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lillegeo.cli import main

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

CENTRE = """(uid) => { let p = null; for (const k of Object.keys(window)) if (k.startsWith('map_'))
        window[k].eachLayer(l => { if (!p && l.feature && l.feature.properties.uid === uid) {
            const c = window[k].latLngToContainerPoint(l.getCenter());
            const r = window[k].getContainer().getBoundingClientRect(); p = [r.left + c.x, r.top + c.y]; } });
        return p; }"""
SETTLED = """() => { const ks = Object.keys(window).filter(k => k.startsWith('map_'));
    return ks.length > 0 && ks.every(k => { const m = window[k], c = m.getContainer(), s = m.getSize();
        let n = 0; m.eachLayer(l => { if (l.feature) n++; });
        return n > 0 && !!m._loaded && !m._animatingZoom && s.x === c.clientWidth && s.y === c.clientHeight; }); }"""


def test_tooltip_and_popup_do_not_overlap(page, tmp_path, grid_units):
    src = tmp_path / "u.geojson"
    g = grid_units.copy()
    g["unit_name"] = [f"Unit {i}" for i in range(len(g))]
    g["P"] = [100.0, 300.0, 70.0, 40.0, 600.0, 250.0]
    g.to_file(src)
    out = tmp_path / "map.html"
    assert main(["map", "--units", str(src), "--column", "P", "--out", str(out)]) == 0
    page.goto(out.as_uri())
    page.wait_for_function(SETTLED)
    x, y = page.evaluate(CENTRE, "593500000")
    page.mouse.move(x, y)
    page.mouse.move(x + 2, y + 2)
    tip = page.locator(".leaflet-tooltip:visible")
    expect(tip).to_have_count(1)
    tip_box = tip.bounding_box()
    assert tip_box["x"] >= x + 2  # beside the pointer, not under it
    page.mouse.click(x + 2, y + 2)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    expect(page.locator(".leaflet-tooltip:visible")).to_have_count(0)  # closed when the record opens
    # hovering the next unit while the record is open shows no tooltip over it either
    x2, y2 = page.evaluate(CENTRE, "593500100")
    page.mouse.move(x2, y2)
    page.mouse.move(x2 + 2, y2 + 2)
    expect(page.locator(".leaflet-tooltip:visible")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "record_popup.png"))
    # once the record is closed, tooltips come back, and never on the popup
    page.locator(".leaflet-popup-close-button").click()
    expect(popup).to_have_count(0)
    page.mouse.move(x, y)
    page.mouse.move(x + 2, y + 2)
    expect(page.locator(".leaflet-tooltip:visible")).to_have_count(1)
    assert page.watch.errors == [] and page.watch.remote == []

