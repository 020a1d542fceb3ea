"""Council-ready outputs in Chromium with no network: slides stepped with the keyboard, offline map files."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lillegeo.outputs import run_recipe
from lillegeo.recipe import Recipe, default_slides

from .conftest import ARTIFACTS, SLOW_MS, wait_idle

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
    expect(page.locator("#count")).to_have_text("1 / 4")
    page.screenshot(path=str(ARTIFACTS / "slide1.png"))
    page.keyboard.press("ArrowRight")
    expect(page.locator("body")).to_have_attribute("data-slide", "2")
    expect(legend).to_contain_text("Hot spot 99%")
    page.screenshot(path=str(ARTIFACTS / "slide2.png"))
    page.keyboard.press("End")
    expect(page.locator("#count")).to_have_text("4 / 4")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("body")).to_have_attribute("data-slide", "3")
    expect(page.locator("#count")).to_have_text("3 / 4")
    # slide 3 draws cluster hulls, never the raw incident points
    legend.wait_for()
    assert page.watch.remote == [] and page.watch.errors == [], (page.watch.remote, page.watch.errors)


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
    page.get_by_text("FLAG: given recorded crime").wait_for(timeout=SLOW_MS)
    wait_idle(page)
    shown = page.get_by_text("FLAG: given recorded crime").inner_text()
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
    import re

    rr = re.search(r"go with ([\d.]+) times the checks \(95% interval ([\d.]+) to ([\d.]+)", shown)
    assert rr, shown
    assert f"go with {rr.group(1)} times the checks (95% interval {rr.group(2)} to {rr.group(3)}" in _h.unescape(report)
    page.goto((a / "maps" / "equity.html").as_uri())
    page.locator('[data-lillegeo="legend"]').wait_for()
    assert page.watch.remote == [] and page.watch.errors == [], (page.watch.remote, page.watch.errors)
