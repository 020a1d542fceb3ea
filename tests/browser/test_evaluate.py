"""The Evaluate page in Chromium with no network, on the demo: pick the planted treated units, a start and a
buffer; the time-series and event-study charts drawn (Vega renders a canvas or an svg), the change map with its
legend, no console error; in English then in French (the design kept); the estimates the page downloads are
the command line's (``python -m lillegeo evaluate``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from playwright.sync_api import expect

from ..app.test_evaluate_page import treated_codes
from ..conftest import ROOT
from .conftest import ARTIFACTS, SLOW_MS, rerun, wait_idle
from .test_explore import FOLIUM, _hover_unit, _map_frame

pytestmark = pytest.mark.browser

DEMO = ROOT / "geodata" / "demo"
CHARTS = '[data-testid="stVegaLiteChart"]'


def _pick_unit(page, code: str) -> None:
    """Type a unit code into the treated-units list and choose it (again when a click raced a rerun)."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_text("Treated units", exact=True))
    for _ in range(6):
        wait_idle(page)
        field = box.locator("input")
        field.click()
        field.fill(code)
        option = page.get_by_role("option").filter(has_text=f"({code})").first
        try:
            expect(option).to_be_visible(timeout=10_000)
        except AssertionError:
            page.keyboard.press("Escape")
            continue
        rerun(page, option.click)
        page.keyboard.press("Escape")
        if box.get_by_text(f"({code})").count():
            return
    raise AssertionError(f"could not pick unit {code}")


def _type(page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.click()
    field.fill(value)
    rerun(page, lambda: field.press("Enter"), timeout=SLOW_MS)


def _date(page, label: str, digits: str) -> None:
    """Type a date into a date field (its year, month and day segments, in order) and close its calendar."""
    page.get_by_label(label, exact=True).click()
    page.keyboard.type(digits)
    # the field keeps the typed date once it loses the focus: close the calendar, then leave the field
    rerun(page, lambda: (page.keyboard.press("Escape"), page.keyboard.press("Tab")), timeout=SLOW_MS)


def _drawn(page, legend_text: str, shot: str) -> None:
    legend = page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]')
    expect(legend).to_contain_text(legend_text, timeout=SLOW_MS)
    wait_idle(page, SLOW_MS)
    charts = page.locator(CHARTS)
    expect(charts.first).to_be_visible()
    drawn = page.locator(f"{CHARTS} canvas, {CHARTS} svg")
    expect(drawn.first).to_be_visible()
    assert drawn.count() >= 2, "the time series and the event study"
    page.screenshot(path=str(ARTIFACTS / f"evaluate-{shot}.png"))
    charts.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"evaluate-{shot}-charts.png"))
    page.locator(FOLIUM).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"evaluate-{shot}-map.png"))


def test_evaluate_page_offline_in_english_and_french_and_the_cli_agrees(app_url, page, tmp_path):
    codes = treated_codes()
    page.goto(app_url)
    wait_idle(page, SLOW_MS)
    page.get_by_role("link", name="5 · Evaluate").click()
    expect(page.get_by_text("Pick the treated units", exact=False)).to_be_visible(timeout=SLOW_MS)
    for code in codes:
        _pick_unit(page, code)
    _type(page, "Displacement ring (metres, 0: none)", "300")
    _date(page, "Start of the programme", "20230701")
    _drawn(page, "Events after / before the start", "en")
    legend = page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]').inner_text()
    assert "Fell by more than 25 %" in legend or "Fell by 10 to 25 %" in legend, legend
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("interval" in a for a in alerts), alerts  # findings carry their interval

    # the estimates the page downloads are the command line's
    with page.expect_download(timeout=SLOW_MS) as dl:
        page.get_by_role("button", name="Download (CSV)").first.click()
    csv = tmp_path / "estimates.csv"
    dl.value.save_as(csv)
    shown = pd.read_csv(csv)
    out = tmp_path / "cli.csv"
    cmd = [sys.executable, "-m", "lillegeo", "evaluate", "--units", str(DEMO / "units.geojson"),
           "--points", f"incidents={DEMO / 'incidents.csv'}", "--treated", ",".join(codes), "--start", "2023-07-01",
           "--buffer-m", "300", "--method", "did", "--out", str(out)]
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr
    cli = json.loads(run.stdout.strip().splitlines()[-1])
    written = pd.read_csv(out)  # the CLI's table: the page's download, column for column
    assert shown["method"].tolist() == written["method"].tolist() == ["did", "before_after", "wdd", "event"]
    for col in ("estimate", "ci_low", "ci_high", "p_value", "n_units", "n_periods"):
        assert shown[col].to_numpy() == pytest.approx(written[col].to_numpy(), rel=1e-6, nan_ok=True), col
    assert shown.loc[0, "estimate"] == pytest.approx(cli["estimate"], rel=1e-6)
    assert shown.loc[0, "ci_low"] == pytest.approx(cli["ci_low"], rel=1e-6)
    assert shown.loc[0, "ci_high"] == pytest.approx(cli["ci_high"], rel=1e-6)
    assert int(shown.loc[0, "n_units"]) == cli["n_units"] and int(shown.loc[0, "n_periods"]) == cli["n_periods"]
    truth = json.loads((DEMO / "truth.json").read_text(encoding="utf-8")).get("interventions")
    if truth:  # the planted effect (truth.json) lies in the page's difference-in-differences interval
        assert shown.loc[0, "ci_low"] <= truth[0]["effect_rate_ratio"] <= shown.loc[0, "ci_high"], shown.loc[0]

    box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Language", exact=True))
    box.locator("input").click()
    rerun(page, lambda: page.get_by_role("option", name="Français", exact=True).click(), timeout=SLOW_MS)
    expect(page.get_by_role("heading", name="Évaluer")).to_be_visible()
    _drawn(page, "Événements après / avant le début", "fr")
    # a unit clicked on the map joins the treated units (here a unit of the ring): the design says so
    n = len(codes)
    expect(page.get_by_text(f"Plan : {n} unités traitées")).to_be_visible()
    extra = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))["interventions"][0]["buffer"][0]
    _hover_unit(page, _map_frame(page), extra, click=True)
    expect(page.get_by_text(f"Plan : {n + 1} unités traitées")).to_be_visible(timeout=SLOW_MS)
    _map_frame(page, timeout=SLOW_MS)
    assert page.watch.remote == [], page.watch.remote
    assert page.watch.errors == [], page.watch.errors
