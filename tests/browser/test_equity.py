"""The Equity page in Chromium with no network: findings with intervals and sample sizes, disparity layers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, SLOW_MS, rerun, wait_idle
from .test_explore import FOLIUM

pytestmark = pytest.mark.browser


def test_equity_page_offline(app_url, page):
    page.goto(app_url)
    page.get_by_role("link", name="4 · Equity").click()
    page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]').wait_for(timeout=SLOW_MS)
    wait_idle(page)  # every finding of the run is on the page
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    flagged = [a for a in alerts if "FLAG" in a]
    assert len(flagged) >= 2, alerts
    for a in flagged + [a for a in alerts if "times the share" in a]:
        # every finding carries its interval and its sample size
        assert re.search(r"95% interval \d", a) and re.search(r"\d+ (hotspot )?units", a), a
    legend = page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]').inner_text()
    assert "Crime" in legend and "Top-left: many checks, little recorded crime" in legend
    page.screenshot(path=str(ARTIFACTS / "equity.png"), full_page=True)
    rerun(page, page.get_by_text("Checks observed / expected given crime").click)
    legend = page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]')
    expect(legend).to_contain_text("more than expected")
    expect(legend).to_contain_text("fewer than expected")
    assert page.watch.remote == [], page.watch.remote
    assert page.watch.errors == [], page.watch.errors


def test_equity_layers_draw_withheld_units_with_their_count(app_url, page):
    """Issue 14: units withheld on the bivariate layer (238 of 374 on the demo: checks, incidents or
    residents from 1 to 10, counted in tests/test_withheld.py) are grey and dashed with their legend
    row, no longer white like a class; the share layer withholds the 13 units with few group residents."""
    page.goto(app_url)
    page.get_by_role("link", name="4 · Equity").click()
    legend = page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]')
    legend.wait_for(timeout=SLOW_MS)
    wait_idle(page)
    row = legend.locator('[data-role="withheld"]')
    expect(row).to_contain_text("Withheld (fewer than 11)")
    expect(row).to_contain_text("238")
    page.frame_locator(FOLIUM).locator(".leaflet-container").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "equity_withheld_bivariate.png"), full_page=True)
    rerun(page, page.get_by_text("Group share of residents").click)
    expect(legend.locator('[data-role="withheld"]')).to_contain_text("13")
    assert page.watch.remote == [], page.watch.remote
    assert page.watch.errors == [], page.watch.errors
