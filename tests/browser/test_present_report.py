"""Present in Chromium: the FIRST click on "Download the report (HTML)" and on "(PDF)" gives the file (the
fresh-eyes tester got a deferred-file error on the first click, the file on the second)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, SLOW_MS, wait_idle

pytestmark = pytest.mark.browser


def test_first_click_downloads_the_report(app_url, page, tmp_path):
    page.goto(app_url)
    wait_idle(page, SLOW_MS)
    page.get_by_role("link", name="6 · Present").click()
    button = page.get_by_role("button", name="Download the report (HTML)")
    expect(button).to_be_visible(timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)
    # a person renames a slide and clicks the download at once: the title's change (on blur) reruns the page
    # while the click is on its way
    title = page.get_by_label("Slide 1", exact=False).first
    title.fill("Council, March")
    with page.expect_download(timeout=SLOW_MS) as dl:
        button.click()
    html = tmp_path / "report.html"
    dl.value.save_as(html)
    text = html.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html") and "Synthetic demo data" in text
    with page.expect_download(timeout=SLOW_MS) as dl:
        page.get_by_role("button", name="Download the report (PDF)").click()
    pdf = tmp_path / "report.pdf"
    dl.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
    # in French, the PDF first, clicked as soon as the relabelled button shows
    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Language", exact=True))
    box.locator("input").click()
    page.get_by_role("option", name="Français", exact=True).click()
    fr = page.get_by_role("button", name="Télécharger le rapport (PDF)")
    expect(fr).to_be_visible(timeout=SLOW_MS)
    with page.expect_download(timeout=SLOW_MS) as dl:
        fr.click()
    pdf = tmp_path / "rapport.pdf"
    dl.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    page.screenshot(path=str(ARTIFACTS / "present-report-downloaded.png"))
    expect(page.get_by_text("Failed to generate file", exact=False)).to_have_count(0)
    assert page.watch.errors == [], page.watch.errors
