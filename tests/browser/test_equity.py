"""The Equity page in Chromium with no network: findings with intervals and sample sizes, disparity layers."""

from __future__ import annotations

import re

import pytest

from .conftest import ARTIFACTS
from .test_explore import FOLIUM

pytestmark = pytest.mark.browser


def test_equity_page_offline(app_url, page):
    page.goto(app_url)
    page.get_by_role("link", name="4 · Equity").click()
    page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]').wait_for(timeout=120_000)
    page.wait_for_timeout(1500)
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    flagged = [a for a in alerts if "FLAG" in a]
    assert len(flagged) >= 2, alerts
    for a in flagged + [a for a in alerts if "times the share" in a]:
        # every finding carries its interval and its sample size
        assert re.search(r"95% interval \d", a) and re.search(r"\d+ (hotspot )?units", a), a
    legend = page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]').inner_text()
    assert "Crime" in legend and "Top-left: many checks, little recorded crime" in legend
    page.screenshot(path=str(ARTIFACTS / "equity.png"), full_page=True)
    page.get_by_text("Checks observed / expected given crime").click()
    page.wait_for_timeout(3000)
    legend = page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]').inner_text()
    assert "more than expected" in legend and "fewer than expected" in legend
    assert page.watch.remote == [], page.watch.remote
    assert page.watch.errors == [], page.watch.errors
