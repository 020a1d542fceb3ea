"""The Data page in Chromium: the source radio keeps "My own files" across a language switch (the fresh-eyes
tester saw it go back to the demo), and the two CRS choices have distinct labels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, SLOW_MS, rerun, wait_idle

pytestmark = pytest.mark.browser


def test_data_source_kept_across_language_switch(app_url, page):
    page.goto(app_url)
    wait_idle(page, SLOW_MS)
    page.get_by_role("link", name="1 · Data").click()
    expect(page.get_by_text("My own files")).to_be_visible(timeout=SLOW_MS)
    wait_idle(page)
    rerun(page, lambda: page.get_by_text("My own files").click())
    expect(page.get_by_text("CRS of the contours (when they have none)")).to_be_visible()
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Language", exact=True))
    box.locator("input").click()
    rerun(page, lambda: page.get_by_role("option", name="Français", exact=True).click(), timeout=SLOW_MS)
    expect(page.get_by_role("radio", name="Mes propres fichiers")).to_be_checked(timeout=SLOW_MS)
    expect(page.get_by_text("Système de coordonnées des contours (s'ils n'en ont pas)")).to_be_visible()
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / "data-kept-fr.png"))
    assert page.watch.errors == [], page.watch.errors
