"""The Equity page in Chromium with no network: findings with intervals and sample sizes, disparity layers."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from lillegeo import load_demo
from lillegeo.demo import DemoConfig, write_demo

from .conftest import ARTIFACTS, SLOW_MS, load_files, rerun, wait_idle
from .test_explore import FOLIUM

pytestmark = pytest.mark.browser


def test_equity_page_offline(app_url, page):
    page.goto(app_url)
    page.get_by_role("link", name="4 · Equity").click()
    page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]').wait_for(timeout=SLOW_MS)
    wait_idle(page)  # every finding of the run is on the page
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    flagged = [a for a in alerts if "FLAG" in a or "Verdict: ROBUST" in a]
    assert len(flagged) >= 2, alerts
    # the verdict and the tipping recording gradient, with their numbers (demo: bias 1.3 per 10 points)
    assert any(re.search(r"Verdict: ROBUST.*p < 0\.001.*excludes 1 under all \d+ specifications.*"
                         r"more than \d+\.\d% per 10 points of share", a, re.S) for a in alerts), alerts
    assert any(re.search(r"shortfall of \d+\.\d% per 10 points of share would be enough to explain", a)
               for a in alerts), alerts
    heading = page.get_by_text("Sensitivity: how large a recording gradient would change the conclusion")
    expect(heading).to_be_visible()
    heading.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "equity_sensitivity.png"))
    for a in flagged + [a for a in alerts if "times the share" in a]:
        # every finding carries its interval and its sample size
        assert re.search(r"95% interval \d", a) and re.search(r"\d+ (hotspot )?units", a), a
    legend = page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]').inner_text()
    assert "Crime" in legend and "Top-left: many checks, little recorded crime" in legend
    page.screenshot(path=str(ARTIFACTS / "equity.png"), full_page=True)
    # the stop-level outcome test on the demo's checks (planted hit rates 12 % / 8 %): table and sentence
    outcome = page.get_by_text(re.compile(r"^Checks of group \u201cimmigré\u201d found something in \d+\.\d %"))
    expect(outcome).to_be_visible()
    outcome.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "equity_outcome_test.png"))
    rerun(page, page.get_by_text("Checks observed / expected given crime").click)
    legend = page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]')
    expect(legend).to_contain_text("more than expected")
    expect(legend).to_contain_text("fewer than expected")
    assert page.watch.remote == [], page.watch.remote
    assert page.watch.errors == [], page.watch.errors


def _chosen(box) -> str:
    """The value a Streamlit selectbox shows (in its input, or as the text after its label)."""
    return box.locator("input").input_value() or box.inner_text().strip().splitlines()[-1]


def test_equity_page_no_evidence_without_bias(app_url, page, tmp_path):
    """The demo regenerated with no bias (--bias-rr 1.0), its files uploaded: the page says NO EVIDENCE."""
    d = tmp_path / "demo"
    write_demo(d, DemoConfig(bias_rr=1.0))
    page.goto(app_url)
    page.get_by_role("link", name="1 · Data").click()
    page.get_by_text("My own files").wait_for()
    wait_idle(page)
    rerun(page, page.get_by_text("My own files").click)
    inputs = page.locator('[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]')
    inputs.nth(0).set_input_files(str(d / "units.geojson"))
    wait_idle(page)
    # one indicator table: the census plus the counts per unit, named as counts (C24_...) so the page offers them
    counts = load_demo(d).units[["unit_id", "checks", "incidents"]]
    counts = counts.rename(columns={"unit_id": "IRIS", "checks": "C24_CHECKS", "incidents": "C24_INCIDENTS"})
    census = pd.read_csv(d / "census.csv", sep=";", dtype={"IRIS": str}).merge(counts, on="IRIS")
    census.to_csv(d / "census_counts.csv", sep=";", index=False)
    inputs.nth(1).set_input_files(str(d / "census_counts.csv"))
    wait_idle(page)
    expect(page.get_by_text("census_counts.csv").first).to_be_visible()
    load_files(page, "Loaded: units.geojson")
    expect(page.get_by_text("census_counts.csv").first).to_be_visible()
    page.get_by_role("link", name="4 · Equity").click()
    for label, column in (("Enforcement counts", "C24_CHECKS"), ("Recorded crime counts", "C24_INCIDENTS"),
                          ("Population (denominator)", "P21_POP"), ("Group residents", "P21_POP_IMM")):
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label)
        box.wait_for(timeout=SLOW_MS)
        wait_idle(page)
        if _chosen(box) != column:
            box.locator("input").click()
            box.locator("input").fill(column)
            rerun(page, page.get_by_role("option", name=column, exact=True).click, timeout=SLOW_MS)
        assert _chosen(box) == column, (box.inner_text(), box.locator("input").input_value())
    verdict = page.locator('[data-testid="stAlert"]').filter(has_text="Verdict:")
    expect(verdict).to_contain_text("Verdict: NO EVIDENCE", timeout=SLOW_MS)
    expect(verdict).to_contain_text("95% interval")
    assert "ROBUST" not in verdict.inner_text()
    page.screenshot(path=str(ARTIFACTS / "equity_no_bias.png"), full_page=True)


def test_equity_layers_draw_withheld_units_with_their_count(app_url, page):
    """Issue 14: units withheld on the bivariate layer (checks, incidents or residents from 1 to 10,
    the rule written out again below and in tests/test_withheld.py) are grey and dashed with their
    legend row, no longer white like a class; the share layer withholds the 13 units with few group
    residents."""
    u = load_demo().units
    small = [(pd.to_numeric(u[c], errors="coerce") > 0) & (pd.to_numeric(u[c], errors="coerce") < 11)
             for c in ("checks", "incidents", "P21_POP")]
    n_withheld = int((small[0] | small[1] | small[2]).sum())
    page.goto(app_url)
    page.get_by_role("link", name="4 · Equity").click()
    legend = page.frame_locator(FOLIUM).locator('[data-lillegeo="legend"]')
    legend.wait_for(timeout=SLOW_MS)
    wait_idle(page)
    row = legend.locator('[data-role="withheld"]')
    expect(row).to_contain_text("Withheld (fewer than 11)")
    expect(row).to_contain_text(str(n_withheld))
    page.frame_locator(FOLIUM).locator(".leaflet-container").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "equity_withheld_bivariate.png"), full_page=True)
    rerun(page, page.get_by_text("Group share of residents").click)
    expect(legend.locator('[data-role="withheld"]')).to_contain_text("13")
    assert page.watch.remote == [], page.watch.remote
    assert page.watch.errors == [], page.watch.errors
