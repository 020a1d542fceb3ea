"""Evaluate in Chromium: an outline uploaded as the treated area (a GeoJSON in longitude/latitude, no columns):
the units mostly inside it fill the treated list, the page says how many and by which rule, the findings and
the start table appear; the message follows a language switch; points are refused in words; no console error."""

from __future__ import annotations

import geopandas as gpd
import pytest
from playwright.sync_api import expect
from shapely.geometry import Point

import lillegeo as lg

from ..test_programme_area import _two_units, outline_file
from .conftest import ARTIFACTS, SLOW_MS, rerun, wait_idle
from .test_evaluate import _date

pytestmark = pytest.mark.browser

UPLOADER = '[data-testid="stFileUploader"]'


def _upload(page, label: str, path) -> None:
    box = page.locator(UPLOADER).filter(has_text=label)
    rerun(page, lambda: box.locator('input[type="file"]').set_input_files(str(path)), timeout=SLOW_MS)


def _evaluate_with_outline(app_url, page, path) -> list[str]:
    """Open Evaluate, set the start, upload an outline of two demo units (EPSG:4326: read back in Lambert-93)."""
    units = lg.load_demo().units
    codes = _two_units(units)
    outline_file(units, codes, path)
    page.goto(app_url)
    wait_idle(page, SLOW_MS)
    page.get_by_role("link", name="5 · Evaluate").click()
    expect(page.get_by_text("Pick the treated units", exact=False)).to_be_visible(timeout=SLOW_MS)
    _date(page, "Start of the programme", "20230701")
    _upload(page, "or the units inside an outline", path)
    return codes


def test_outline_upload_fills_the_treated_units(app_url, page, tmp_path):
    codes = _evaluate_with_outline(app_url, page, tmp_path / "patrol_zone.geojson")
    expect(page.get_by_text("2 units whose area is mostly inside the uploaded outline 'patrol_zone.geojson' are "
                            "now the treated units; the recipe keeps their codes.")).to_be_visible(timeout=SLOW_MS)
    treated = page.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_text("Treated units", exact=True))
    for code in codes:
        expect(treated.get_by_text(f"({code})")).to_be_visible()
    expect(page.get_by_role("heading", name="Findings")).to_be_visible(timeout=SLOW_MS)
    expect(page.get_by_text("Design: 2 treated units", exact=False)).to_be_visible()
    expect(page.get_by_text("Start date per treated unit", exact=False)).to_be_visible()
    wait_idle(page, SLOW_MS)
    page.screenshot(path=str(ARTIFACTS / "evaluate-outline-en.png"), full_page=True)

    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Language", exact=True))
    box.locator("input").click()
    rerun(page, lambda: page.get_by_role("option", name="Français", exact=True).click(), timeout=SLOW_MS)
    expect(page.get_by_text("2 unités dont la surface est surtout dans le contour chargé « patrol_zone.geojson »",
                            exact=False)).to_be_visible(timeout=SLOW_MS)
    expect(page.get_by_text("Plan : 2 unités traitées", exact=False)).to_be_visible(timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)
    page.screenshot(path=str(ARTIFACTS / "evaluate-outline-fr.png"), full_page=True)

    # points have no area: refused in words (French), the treated units kept
    pts = tmp_path / "points.geojson"
    gpd.GeoDataFrame(geometry=[Point(3.06, 50.63)], crs=4326).to_file(pts, driver="GeoJSON")
    _upload(page, "ou les unités dans un contour", pts)
    expect(page.get_by_text("« points.geojson » contient des géométries Point ; la zone traitée doit être faite "
                            "de polygones", exact=False)).to_be_visible(timeout=SLOW_MS)
    expect(page.get_by_text("Plan : 2 unités traitées", exact=False)).to_be_visible()
    assert page.watch.remote == [], page.watch.remote
    assert page.watch.errors == [], page.watch.errors


def test_start_table_sets_a_start_per_unit(app_url, page, tmp_path):
    _evaluate_with_outline(app_url, page, tmp_path / "zone.geojson")
    expect(page.get_by_role("heading", name="Findings")).to_be_visible(timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)
    grid = page.locator('[data-testid="stDataFrame"]').first  # the start table comes before the estimates
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # keyboard in the grid: the first cell, then the second row's start column, Enter opens its date editor
    page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)
    for key in ("ArrowDown", "ArrowRight", "ArrowRight", "Enter"):
        page.keyboard.press(key)
    editor = page.locator('[data-testid="stDataFrame"] textarea, #portal textarea, textarea').last
    expect(editor).to_be_visible()
    editor.fill("2024-01-01")
    rerun(page, lambda: page.keyboard.press("Enter"), timeout=SLOW_MS)
    expect(page.get_by_text("Staggered starts (2 dates)", exact=False)).to_be_visible(timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)
    grid.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "evaluate-starts-en.png"))
    # the recipe holds CODE@date: Save the recipe writes it
    page.get_by_text("Recipe", exact=True).click()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Save the recipe (TOML)").click()
    saved = tmp_path / "recipe.toml"
    dl.value.save_as(saved)
    assert "@2024-01-01" in saved.read_text(encoding="utf-8")

    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Language", exact=True))
    box.locator("input").click()
    rerun(page, lambda: page.get_by_role("option", name="Français", exact=True).click(), timeout=SLOW_MS)
    expect(page.get_by_text("Débuts échelonnés (2 dates)", exact=False)).to_be_visible(timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "evaluate-starts-fr.png"))
    assert page.watch.errors == [], page.watch.errors


def _edit_start(page, row: int, text: str, attempts: int = 3) -> None:
    """Type ``text`` in the start cell of ``row`` (0-based) of the start table, by keyboard: a click on the
    row's first cell, arrows to its start cell, Enter opens the cell's editor (again if a rerun took focus)."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    editor = page.locator("#portal textarea:enabled, [data-testid='stDataFrame'] textarea:enabled").last
    for attempt in range(attempts):
        wait_idle(page, SLOW_MS)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 20, box["y"] + 35 + 17 + 33 * row)
        for key in ("ArrowRight", "ArrowRight", "Enter"):
            page.keyboard.press(key)
        try:
            expect(editor).to_be_editable(timeout=15_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
            if attempt == attempts - 1:
                raise
    editor.fill(text)
    rerun(page, lambda: page.keyboard.press("Enter"), timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)


def test_every_start_typed_is_kept(app_url, page, tmp_path):
    """Found by a tester: typing a second unit's start erased the first's (only the last edit survived)."""
    codes = _evaluate_with_outline(app_url, page, tmp_path / "zone.geojson")
    expect(page.get_by_role("heading", name="Findings")).to_be_visible(timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)
    _edit_start(page, 1, "2024-01-01")
    expect(page.get_by_text("Staggered starts (2 dates)", exact=False)).to_be_visible(timeout=SLOW_MS)
    _edit_start(page, 0, "2023-10-01")
    expect(page.get_by_text("Staggered starts (2 dates)", exact=False)).to_be_visible(timeout=SLOW_MS)
    page.get_by_text("Recipe", exact=True).click()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Save the recipe (TOML)").click()
    saved = tmp_path / "recipe.toml"
    dl.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert f"{codes[0]}@2023-10-01" in text and f"{codes[1]}@2024-01-01" in text, text
    assert page.watch.errors == [], page.watch.errors

