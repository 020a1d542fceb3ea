"""Council-ready outputs in Chromium with no network: slides stepped with the keyboard, offline map files."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from playwright.sync_api import expect

from lillegeo.outputs import run_recipe
from lillegeo.recipe import Recipe, default_slides

from .conftest import ARTIFACTS, SLOW_MS, Watch, new_context, rerun, wait_idle

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("council")
    r = Recipe.for_demo()
    r = r.with_params("hotspots", permutations=199).with_params("equity", bootstrap=199)
    r = r.replace(slides=default_slides("en"))
    run_recipe(r, out)
    return out


def test_slides_step_with_the_keyboard(run_dir, page):
    page.goto((run_dir / "presentation.html").as_uri())
    legend = page.frame_locator("#frame").locator('[data-lillegeo="legend"]')
    legend.wait_for()
    expect(page.locator("body")).to_have_attribute("data-slide", "1")
    expect(page.locator("#title")).to_have_text("Incidents per 1,000 residents")
    expect(page.locator("#count")).to_have_text("1 / 5")
    page.screenshot(path=str(ARTIFACTS / "slide1.png"))
    page.keyboard.press("ArrowRight")
    expect(page.locator("body")).to_have_attribute("data-slide", "2")
    expect(legend).to_contain_text("Hot spot 99%")
    page.screenshot(path=str(ARTIFACTS / "slide2.png"))
    page.keyboard.press("End")
    expect(page.locator("#count")).to_have_text("5 / 5")
    expect(page.frame_locator("#frame").locator("body")).to_contain_text("95% interval")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("body")).to_have_attribute("data-slide", "3")
    expect(page.locator("#count")).to_have_text("3 / 5")
    # slide 3 draws cluster hulls, never the raw incident points
    legend.wait_for()
    assert page.watch.remote == [] and page.watch.errors == [], (page.watch.remote, page.watch.errors)


def _boxes_overlap(a, b) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_slides_at_1920x1080_fill_the_screen_with_legends_read_from_the_back(run_dir, browser):
    ctx = new_context(browser, viewport={"width": 1920, "height": 1080})
    page = ctx.new_page()
    page.watch = Watch(page)
    page.goto((run_dir / "presentation.html").as_uri())
    inside = page.frame_locator("#frame")
    shots = {1: "explore", 3: "clusters", 4: "equity", 5: "findings"}
    for n in range(1, 6):
        expect(page.locator("body")).to_have_attribute("data-slide", str(n))
        title, count = page.locator("#title").bounding_box(), page.locator("#count").bounding_box()
        demo = page.locator("#demo").bounding_box()
        assert not _boxes_overlap(title, demo) and not _boxes_overlap(count, demo), (title, demo)
        assert page.locator("#title").evaluate("e => e.scrollWidth <= e.clientWidth")  # not cut
        frame = page.locator("#frame").bounding_box()
        assert frame["width"] == 1920 and frame["height"] >= 1080 - 200
        if n < 5:  # a map: the units fill the slide beside the legend, in large type
            fitted = inside.locator("body[data-fitted]")
            fitted.wait_for()
            w, h, mw, mh = json.loads(fitted.get_attribute("data-fitted"))
            assert h >= 0.85 * mh or w >= 0.85 * (mw - 700), (w, h, mw, mh)
            legend = inside.locator('[data-lillegeo="legend"]').first
            size = legend.evaluate("e => parseFloat(getComputedStyle(e.querySelector('.lillegeo-legend') || e).fontSize)")
            assert size >= 22, size
        if n == 3:  # the clusters legend has the outline's swatch
            sw = inside.locator(".lillegeo-legend .sw").first.bounding_box()
            assert sw["width"] >= 36 and sw["height"] >= 24
        if n == 4:  # the bivariate legend: nine large swatches with their counts
            cells = inside.locator(".lillegeo-legend span[style*='inline-block']")
            expect(cells).to_have_count(9)
            assert cells.first.bounding_box()["width"] >= 60
        if n == 5:
            body = inside.locator("body[data-lillegeo='findings']")
            expect(body).to_contain_text("95% interval")
            expect(body).to_contain_text("units")
        if n in shots:
            page.screenshot(path=str(ARTIFACTS / f"slide-1920-{n}-{shots[n]}.png"))
        page.keyboard.press("ArrowRight")
    assert page.watch.remote == [] and page.watch.errors == [], (page.watch.remote, page.watch.errors)
    ctx.close()


def test_report_pdf_first_pages(run_dir):
    """The first two pages of the report as images (looked at; named in the closing note)."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("report-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(run_dir / "report.pdf"),
                    str(ARTIFACTS / "report-page")], check=True)
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(run_dir / "report.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "Summary of findings" in first and "95% interval" in first
    assert sorted(p.name for p in ARTIFACTS.glob("report-page-*.png")) == ["report-page-01.png", "report-page-02.png"]


@pytest.mark.parametrize("name", ["explore", "hotspots", "clusters", "equity"])
def test_run_maps_open_offline(run_dir, page, name):
    page.goto((run_dir / "maps" / f"{name}.html").as_uri())
    page.locator('[data-lillegeo="legend"]').wait_for()
    assert page.locator('[data-lillegeo="demo"]').inner_text() == "Synthetic demo data"
    assert page.watch.remote == [] and page.watch.errors == [], (page.watch.remote, page.watch.errors)


def test_recipe_saved_in_the_app_reruns_headless(app_url, page, tmp_path):
    from lillegeo.__main__ import main

    page.goto(app_url)
    page.get_by_role("link", name="4 · Equity").click()
    verdict = page.get_by_text(re.compile(r"^Verdict: (ROBUST|FRAGILE|NO EVIDENCE)\. Given recorded crime"))
    verdict.first.wait_for(timeout=SLOW_MS)
    wait_idle(page)
    shown = verdict.first.inner_text()
    page.get_by_text("Recipe", exact=True).click()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Save the recipe (TOML)").click()
    recipe = tmp_path / "recipe.toml"
    dl.value.save_as(recipe)
    text = recipe.read_text(encoding="utf-8")
    assert "[equity]" in text and "sha256" in text
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", str(recipe), "--out", str(a)]) == 0
    assert main(["run", str(recipe), "--out", str(b)]) == 0
    for f in sorted((a / "tables").glob("*.csv")):
        assert f.read_bytes() == (b / "tables" / f.name).read_bytes(), f.name
    report = (a / "report.html").read_text(encoding="utf-8")
    import html as _h

    rr = re.search(r"go with ([\d.]+) times the checks \(95% interval ([\d.]+) to ([\d.]+)", shown)
    assert rr, shown
    assert f"go with {rr.group(1)} times the checks (95% interval {rr.group(2)} to {rr.group(3)}" in _h.unescape(report)
    page.goto((a / "maps" / "equity.html").as_uri())
    page.locator('[data-lillegeo="legend"]').wait_for()
    assert page.watch.remote == [] and page.watch.errors == [], (page.watch.remote, page.watch.errors)


def test_a_map_added_on_explore_becomes_a_slide_edited_on_present(app_url, page):
    page.goto(app_url)
    page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator('[data-lillegeo="legend"]').wait_for(
        timeout=SLOW_MS)
    wait_idle(page)
    rerun(page, page.get_by_role("button", name="Add this map as a slide").click)
    expect(page.get_by_text("Slide 6 added")).to_be_visible()
    page.get_by_role("link", name="6 · Present").click()
    title = page.get_by_label("Title of slide 6 (Explore map)")
    expect(title).to_have_value(re.compile("incidents"))  # the indicator mapped when it was added
    deck = page.frame_locator('iframe[srcdoc*="id=\\"slides\\""]')
    expect(deck.locator("#count")).to_have_text("1 / 6", timeout=SLOW_MS)
    wait_idle(page)
    title.fill("Council view")
    rerun(page, lambda: title.press("Enter"))
    deck.locator("#head").click()  # the deck takes the keys
    page.keyboard.press("End")
    expect(deck.locator("#title")).to_have_text("Council view")
    expect(deck.locator("#count")).to_have_text("6 / 6")
    rerun(page, page.locator(".st-key-present_up_5 button").first.click)
    expect(page.get_by_label("Title of slide 5 (Explore map)")).to_have_value("Council view")
    rerun(page, page.locator(".st-key-present_remove_0 button").first.click)
    expect(deck.locator("#count")).to_have_text("1 / 5")
    expect(deck.locator("#title")).to_have_text("Where incidents concentrate (Gi*)")
    expect(page.get_by_label("Title of slide 4 (Explore map)")).to_have_value("Council view")
    page.screenshot(path=str(ARTIFACTS / "present-editor.png"), full_page=True)
    assert page.watch.remote == [], page.watch.remote
