"""Names from the user's files are shown as written, in Chromium: a column, file or category named
like a Markdown image makes no request, ``$\\foo$`` is no maths (and breaks no static map or report),
``{{7*7}}`` is not evaluated; and no page shows a traceback or a server path."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect
from shapely.geometry import box

from lillegeo.i18n import t

from .conftest import ARTIFACTS, SLOW_MS, load_files, rerun, wait_idle
from .test_explore import FOLIUM

pytestmark = pytest.mark.browser
PROBE = "lillegeo-probe"  # any request whose URL holds this came from a name rendered as Markdown
MATH = "$\\foo$"
JINJA = "{{7*7}}"
CMD = "=cmd|' /C calc'!A0"
SERVER_TEXT = ("/tmp/", "/work/", "site-packages", "Traceback")


def _names(app_url: str) -> dict[str, str]:
    return {"img": f"![c]({app_url}/{PROBE}-column.png)", "img_cat": f"![p]({app_url}/{PROBE}-category.png)",
            # a file name has no '/': a relative image, which the browser would fetch from the app's origin
            "file": f"![f]({PROBE}-file.png) {MATH} {JINJA}.geojson"}


def _files(tmp_path, app_url):
    n = _names(app_url)
    geoms, rows = [], []
    for i in range(4):
        for j in range(3):
            geoms.append(box(700_000 + i * 1000, 7_050_000 + j * 1000, 701_000 + i * 1000, 7_051_000 + j * 1000))
            rows.append({"code_iris": f"59350{i:02d}{j:02d}", "nom_iris": f"{n['img']} {MATH} {i}-{j}",
                         "code_insee": "59350", "nom_commune": JINJA, "type_iris": "H"})
    units = gpd.GeoDataFrame(rows, geometry=geoms, crs=2154)
    rng = np.random.default_rng(0)
    units[n["img"]] = rng.integers(20, 400, len(units)).astype(float)  # the first numeric column: chosen by default
    units[MATH] = rng.integers(20, 400, len(units)).astype(float)
    units[JINJA] = rng.integers(20, 400, len(units)).astype(float)
    units[CMD] = rng.integers(500, 3000, len(units)).astype(float)
    geojson = units.to_crs(4326).to_json().encode()
    # points: hostile categories, a few dates, in the units
    k = 400
    x = rng.uniform(700_000, 704_000, k)
    y = rng.uniform(7_050_000, 7_053_000, k)
    x[:150] = rng.normal(701_500, 60, 150)  # a dense cluster
    y[:150] = rng.normal(7_051_500, 60, 150)
    ll = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=2154).to_crs(4326)
    cats = [MATH, n["img_cat"], JINJA, CMD]
    pts = pd.DataFrame({"id": [f"P{i}" for i in range(k)], "date": pd.date_range("2022-01-01", periods=k, freq="5D"),
                        "categorie": [cats[i % 4] for i in range(k)], "longitude": ll.x, "latitude": ll.y})
    return geojson, pts.to_csv(index=False).encode()


def _probe_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if PROBE in r.url else None)
    return seen


def _check_page(page, where: str, probes: list[str]) -> str:
    wait_idle(page)  # the run is over: everything the page shows is drawn
    text = page.locator("body").inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0, (where, text[:2000])
    leaked = [s for s in SERVER_TEXT if s in text]
    assert not leaked, (where, leaked)
    assert t("error.unexpected", "en") not in text, where  # no page stopped on an unexpected error
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert not errors, (where, errors)  # e.g. a mathtext parser error instead of the report
    assert page.locator(f'img[src*="{PROBE}"]').count() == 0, where
    for f in page.frames:
        try:
            assert f.locator(f'img[src*="{PROBE}"]').count() == 0, where
        except AssertionError:
            raise
        except Exception:  # noqa: BLE001 - frames come and go while Streamlit reruns
            pass
    assert probes == [], (where, probes)
    page.screenshot(path=str(ARTIFACTS / f"escaping_{where}.png"), full_page=True)
    return text


def test_hostile_names_are_literal_on_every_page(app_url, page, tmp_path):
    n = _names(app_url)
    geojson, points = _files(tmp_path, app_url)
    probes = _probe_requests(page)
    page.goto(app_url)
    page.get_by_role("link", name="1 · Data").click()
    page.get_by_text("My own files").click()
    inputs = page.locator('[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]')
    inputs.nth(0).set_input_files({"name": n["file"], "mimeType": "application/geo+json", "buffer": geojson})
    inputs.nth(2).set_input_files({"name": f"{JINJA} points.csv", "mimeType": "text/csv", "buffer": points})
    load_files(page, "Loaded: ")
    text = _check_page(page, "data", probes)
    alerts = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
    assert f"Loaded: {n['file']}" in alerts, alerts  # the file name, as written
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert n["file"] in sidebar and JINJA in sidebar  # not evaluated as a template

    page.get_by_role("link", name="2 · Explore").click()
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Indicator (count or value)")
    box.wait_for()
    wait_idle(page)
    box.locator("input").click()
    box.locator("input").fill(n["img"])
    rerun(page, page.get_by_role("option", name=n["img"], exact=True).click)
    text = _check_page(page, "explore", probes)
    # the chosen column's name, literally, in the map's legend
    expect(page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]')).to_contain_text(n["img"])  # the chosen column's name, literally, in the map's legend

    page.get_by_role("link", name="3 · Hotspots").click()
    page.get_by_role("tab", name="Incident clusters & heat").wait_for(timeout=SLOW_MS)
    text = _check_page(page, "hotspots", probes)
    expect(page.frame_locator(FOLIUM).first.locator('[data-lillegeo="legend"]')).to_contain_text(n["img"])
    page.get_by_role("tab", name="Incident clusters & heat").click()
    expect(page.get_by_role("tab", name="Incident clusters & heat")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text("Show the heat surface")).to_be_visible()  # the tab's content is shown
    text = _check_page(page, "hotspots_points", probes)

    page.get_by_role("link", name="6 · Present").click()
    page.get_by_role("button", name="Download the report (PDF)").or_(
        page.locator('[data-testid="stAlertContentError"]')).first.wait_for(timeout=SLOW_MS)
    text = _check_page(page, "present", probes)
    # the slides' frame (components.html) is titled after the recipe: the file name
    expect(page.locator('iframe[data-testid="stIFrame"]')).to_have_count(1)  # the page's one components.html
    expect(page.frame_locator('iframe[data-testid="stIFrame"]').locator("#title")).to_be_attached()
    slides = page.locator('iframe[data-testid="stIFrame"]').element_handle().content_frame()
    slides.wait_for_function("() => document.title !== ''")
    title = slides.evaluate("document.title")
    assert title == n["file"], title  # literally: no maths, no template, no image
    assert page.watch.remote == [], page.watch.remote
    assert page.watch.dialogs == []
    (ARTIFACTS / "escaping_names.json").write_text(json.dumps(n, indent=1))
