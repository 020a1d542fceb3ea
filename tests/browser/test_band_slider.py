"""The Equity page's disparity band (issue 14): a range select slider written 0,80 – 1,25 in French whose
thumbs a reader moves (keyboard) to a new band that the recipe, the findings and a rerun keep."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import SLOW_MS, rerun, wait_idle

pytestmark = pytest.mark.browser


def test_band_thumbs_move_and_stay(app_url, page):
    page.goto(app_url)
    page.get_by_role("link", name="4 · Equity").click()
    band = page.locator('[data-testid="stSlider"]').filter(has=page.get_by_text(re.compile("^Disparity band")))
    band.wait_for(timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)
    expect(band).to_contain_text("0.80")
    expect(band).to_contain_text("1.25")
    thumbs = band.get_by_role("slider")
    expect(thumbs).to_have_count(2)  # a range: two thumbs
    thumbs.nth(1).focus()
    rerun(page, lambda: page.keyboard.press("ArrowRight"), timeout=SLOW_MS)  # 1.25 -> the next option, 1.30
    expect(band).to_contain_text("1.30")
    expect(band).to_contain_text("0.80")  # the other thumb stays
    main = page.locator('[data-testid="stMain"]')
    expect(main).not_to_contain_text("must be two numbers")  # the recipe took the range
    expect(main.get_by_text(re.compile(r"0\.80–1\.30")).first).to_be_visible()  # the findings use the new band
    assert page.watch.errors == [], page.watch.errors
