"""The Evaluate page's charts, table and change map, on a ProgrammeResult built by hand from the contract
types (lillegeo.programme.types), so every expected number below is worked out from the frames here."""

from __future__ import annotations

import dataclasses
import io
import json
import math
import pickle
import re
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from lillegeo.choices import categories_of, fit_recipe
from lillegeo.outputs import deck_of, report_sections, static_maps
from lillegeo.params import ProgrammeParams, SlideParams
from lillegeo.pipeline import run_analysis, run_programme
from lillegeo.programme.chart import chart_figure, estimates_table, event_chart, series_chart, series_long
from lillegeo.programme.findings import programme_findings
from lillegeo.programme.layers import change_frame, change_layer, change_map, role_outlines
from lillegeo.programme.types import Estimate, PreTrend, ProgrammeResult
from lillegeo.programme.view import findings_shown
from lillegeo.recipe import Recipe
from lillegeo.slides import programme_slide, slide_doc

from .app.test_evaluate_page import treated_codes

PERIODS = pd.to_datetime(["2023-05-01", "2023-06-01", "2023-07-01", "2023-08-01"])
START = pd.Timestamp("2023-07-01")


def _units() -> gpd.GeoDataFrame:
    """A row of 8 squares of 1 km: units 0-1 treated, 2 buffer, 3-6 control, 7 not used."""
    geoms = [box(700_000 + i * 1000, 7_050_000, 701_000 + i * 1000, 7_051_000) for i in range(8)]
    return gpd.GeoDataFrame({"unit_id": [f"U{i}" for i in range(8)], "unit_name": [f"<b>Unit {i}</b>" for i in range(8)],
                             "commune_id": "59350"}, geometry=geoms, crs=2154)


ROLES = pd.Series(["treated", "treated", "buffer", "control", "control", "control", "control", "excluded"],
                  index=[f"U{i}" for i in range(8)])


def _panel() -> pd.DataFrame:
    # treated units: 20 events per period each before, 10 after; buffer: 4 per period (withheld totals);
    # control: 30 per period each
    rows = []
    for u, role in ROLES.items():
        if role == "excluded":
            continue
        for p in PERIODS:
            after = p >= START
            count = {"treated": 10.0 if after else 20.0, "buffer": 4.0, "control": 30.0}[role]
            rows.append({"unit": u, "period": p, "count": count, "role": role,
                         "start": START if role != "control" else pd.NaT, "area": "A" if role != "control" else ""})
    return pd.DataFrame(rows)


def result(*, event: bool = True) -> ProgrammeResult:
    panel = _panel()
    series = panel.groupby(["period", "role"])["count"].mean().unstack("role").reset_index()
    series["synthetic"] = [19.0, 21.0, 20.0, 20.0]
    ev = None
    if event:
        ev = pd.DataFrame({"rel_period": [-2, -1, 0, 1], "estimate": [1.05, 1.0, 0.5, 0.52],
                           "ci_low": [0.8, 1.0, 0.4, 0.41], "ci_high": [1.3, 1.0, 0.62, 0.66], "n_units": [7] * 4})
    did = Estimate("did", 0.5, 0.41, 0.61, 7, 4, p_value=1e-5)
    wdd = Estimate.failed("wdd", "evaluate.no_event", n_units=7, n_periods=4, scale="count")
    change = gpd.GeoDataFrame({
        "unit": [f"U{i}" for i in range(7)],
        "role": ROLES.iloc[:7].tolist(),
        "before": [20.0, 20.0, 4.0, 30.0, 30.0, 0.0, 30.0],
        "after": [10.0, 15.0, 4.0, 30.0, 36.0, 3.0, 22.5],
        "change": [0.5, 0.75, math.nan, 1.0, 1.2, math.nan, 0.75],
        "withheld": [False, False, True, False, False, False, False]}, geometry=list(_units().geometry[:7]), crs=2154)
    p = ProgrammeParams(treated=("U0", "U1"), start="2023-07-01", buffer_rings=1)
    return ProgrammeResult(params=p, roles=ROLES, panel=panel, series=series, start=START, estimate=did,
                           estimates={"did": did, "wdd": wdd}, pretrend=PreTrend(2, 0.4, True), event=ev,
                           change=change, threshold=11)


def test_series_withholds_small_totals_and_keeps_the_rest():
    raw = result()
    s = series_long(dataclasses.replace(raw, params=raw.params.replace(index=False)), "en")
    # buffer: one unit with 4 events per period -> total 4, from 1 to 10: withheld in every period
    buf = s[s["line"] == "buffer"]
    assert buf["withheld"].all() and buf["value"].isna().all()
    # treated: 2 units x 20 = 40 before, 2 x 10 = 20 after (>= 11): shown, mean per unit 20 then 10
    tr = s[s["line"] == "treated"]
    assert tr["value"].tolist() == [20.0, 20.0, 10.0, 10.0] and not tr["withheld"].any()
    # synthetic follows the treated line's disclosure: shown here, its own values
    assert s[s["line"] == "synthetic"]["value"].tolist() == [19.0, 21.0, 20.0, 20.0]
    assert set(s["name"]) == {"Treated", "Control", "Synthetic control", "Ring (buffer)"}
    # as an index (the page's default): each line over its own mean before the start, times 100
    ix = series_long(raw, "en")
    assert ix[ix["line"] == "treated"]["value"].tolist() == [100.0, 100.0, 50.0, 50.0]  # 20, 20 -> mean 20
    assert ix[ix["line"] == "synthetic"]["value"].tolist() == [95.0, 105.0, 100.0, 100.0]  # 19, 21 -> mean 20
    assert ix[ix["line"] == "buffer"]["value"].isna().all()  # withheld stays withheld


def test_series_chart_marks_the_start_and_leaves_out_withheld_points_in_french():
    spec = series_chart(result(), "fr").to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    # the buffer's points are all withheld: neither drawn nor in the legend (only the note under the chart names it)
    assert "Début" in text and "Anneau (zone tampon)" not in spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert not [r for d in spec["datasets"].values() for r in d
                if r.get("name") == "Anneau (zone tampon)" and r.get("value") is not None]
    rows = [r for d in spec["datasets"].values() for r in d if r.get("value") is not None and "period_end" not in r]
    assert len(rows) == 12  # treated, control, synthetic x 4 periods; the 4 buffer points withheld
    assert spec["layer"][0]["encoding"]["x"]["axis"]["format"] == "%Y-%m"  # no English month names
    starts = [r for d in spec["datasets"].values() for r in d if r.get("label") == "Début"]
    assert starts and starts[0]["period"].startswith("2023-07-01")


def test_event_chart_has_intervals_a_line_at_one_and_none_without_an_event_study():
    assert event_chart(result(event=False)) is None
    spec = event_chart(result(), "en").to_dict()
    rows = [r for d in spec["datasets"].values() for r in d]
    assert {"y": 1.0} in rows and {"x": -0.5} in rows
    assert [r["ci_high"] for r in rows if "ci_high" in r] == [1.3, 1.0, 0.62, 0.66]
    # log scale from the lowest bound to the highest (0.4 and 1.3 here), 1 always inside, 10 % margin
    assert '"type": "log"' in json.dumps(spec)
    assert spec["layer"][1]["encoding"]["y"]["scale"]["domain"] == pytest.approx([0.4 / 1.1, 1.3 * 1.1])


@pytest.mark.parametrize("which", ["series", "event"])
def test_chart_figures_write_png_and_pdf(which):
    png, pdf = io.BytesIO(), io.BytesIO()
    out = chart_figure(result(), which, "fr", caption="$\\foo{$ source", demo=True, png=png, pdf=pdf)
    assert out.startswith(b"\x89PNG") and png.getvalue().startswith(b"\x89PNG")
    assert pdf.getvalue().startswith(b"%PDF")
    with pytest.raises(ValueError, match="which must be 'series' or 'event', got 'map'"):
        chart_figure(result(), "map")


def test_estimates_table_puts_the_chosen_method_first_and_gives_no_number_for_a_failed_one():
    tab = estimates_table(result(), "fr")
    assert tab["method"].tolist() == ["Double différence", "Différence de déplacement pondérée (WDD)"]
    assert tab.loc[0, ["estimate", "ci_low", "ci_high", "n_units", "n_periods"]].tolist() == [0.5, 0.41, 0.61, 7, 4]
    assert np.isnan(tab.loc[1, "estimate"]) and tab.loc[1, "note"] == "Pas d'étude d'événement pour cette méthode ou ces données."
    assert tab.loc[1, "scale"] == "événements"


def test_change_classes_by_hand():
    units = _units()
    f = change_frame(result(), units)
    assert f["role"].tolist() == ROLES.tolist()
    layer = change_layer(result(), units, "en")
    # 0.5 < 0.75: fell > 25 %; 0.75 is the lower bound of "fell 10-25 %"; U2 withheld; 1.0 within 10 %;
    # 1.2 in [1.1, 1.25); U5 had no events before (ratio undefined); U6 0.75; U7 not evaluated (its own row)
    assert layer.labels.tolist() == ["Fell by more than 25 %", "Fell by 10 to 25 %", "Withheld (fewer than 11)",
                                     "Within 10 %", "Rose by 10 to 25 %", "No events before", "Fell by 10 to 25 %",
                                     "Not evaluated (A/D units, unmatched controls)"]
    assert list(layer.colors)[-2:] == ["Withheld (fewer than 11)", "Not evaluated (A/D units, unmatched controls)"]
    # the legend's rows partition the units: every unit has a row, so the counts add up to the units
    assert layer.labels.value_counts().sum() == len(units) and set(layer.labels) <= set(layer.colors)


def test_change_map_outlines_treated_and_buffer_and_counts_withheld_units():
    units = _units()
    out = role_outlines(result(), units, "fr")
    assert out["unit_name"].tolist() == ["Zone traitée", "Anneau (zone tampon)"]
    assert out.geometry.area.round().tolist() == [2_000_000.0, 1_000_000.0]  # two and one 1 km squares
    html = change_map(result(), units, "en", assets="inline").get_root().render()
    html = html.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')  # legends go as JSON
    # one withheld unit (U2), its row and count in the legend; U5 "no events before" counted too
    assert re.search(r'data-role="withheld".*?Withheld \(fewer than 11\).*?class="n">1<', html)
    assert re.search(r'No events before</span><span class="n">1<', html)
    assert re.search(r'Not evaluated \(A/D units, unmatched controls\)</span><span class="n">1<', html)
    assert "Treated area and ring" in html
    assert "<b>Unit" not in html  # names escaped


def test_a_result_pickles_for_the_page_cache():
    """st.cache_data pickles what it stores: the estimates' read-only mappings survive as they were."""
    res = result()
    back = pickle.loads(pickle.dumps(res))
    assert back.estimate.to_json() == res.estimate.to_json() and dict(back.estimates["wdd"].message_args) == {}
    assert back.estimates["wdd"].ok is False and math.isnan(back.estimates["wdd"].estimate)
    e = Estimate("wdd", -118.0, -195.6, -40.4, 4, 2, extra={"wdq": 0.5}, message_args={"n": 3})
    assert dict(pickle.loads(pickle.dumps(e)).extra) == {"wdq": 0.5}


def test_programme_slide_and_report_section_on_the_demo(demo):
    """A programme slide (added from the Evaluate page, keeping its parameters) shows the change map titled,
    with the headline finding as its caption; the report gains the change map, the chart and the estimates."""
    codes = treated_codes()
    p = ProgrammeParams(treated=codes, start="2023-07-01", buffer_m=300.0, method="before_after")
    r = (Recipe.for_demo().with_params("hotspots", permutations=99).with_params("equity", bootstrap=0)
         .replace(programme=p))
    slide = SlideParams(layer="programme", params=p)
    filled_slide, m = programme_slide(demo, SimpleNamespace(recipe=r), slide)
    res = run_programme(demo, p, threshold=r.disclosure.threshold)
    assert filled_slide.title == "Did the programme work?"
    assert filled_slide.caption == programme_findings(res, "en")[0] and "interval" in filled_slide.caption
    doc = slide_doc(m)
    assert "Events after / before the start" in doc and "Treated area and ring" in doc
    a = run_analysis(demo, r)
    assert a.programme is not None
    images = static_maps(demo, a)
    assert images["programme"].startswith(b"\x89PNG") and images["programme_series"].startswith(b"\x89PNG")
    secs = report_sections(demo, a, images)
    heads = [s["heading"] for s in secs]
    assert "Change per unit" in heads and "Estimates" in heads
    est = next(s for s in secs if s["heading"] == "Estimates")["table"]
    assert est.loc[0, "estimate"] == res.estimate.estimate  # the same evaluation as the page's
    # in the deck (Present page, run): the slide after the built-in ones, its caption the finding
    html, deck = deck_of(demo, r.add_slide(slide), analysis=a)
    assert [s.layer for s in deck][-1] == "programme" and deck[-1].caption == filled_slide.caption
    assert '"layer": "programme"' in html or '"layer":"programme"' in html


def test_findings_shown_warn_of_a_failed_pretrend_and_a_failed_method():
    ok = findings_shown(result(), "en")
    assert all(kind == "info" for kind, _ in ok) and ok[0][1].startswith("Difference-in-differences")
    bad = dataclasses.replace(result(), pretrend=PreTrend(2, math.nan, False, "programme.fail.few_pre",
                                                          {"n_pre": 2, "min_pre": 4}))
    shown = findings_shown(bad, "fr")
    warned = [text for kind, text in shown if kind == "warning"]
    assert warned == ["Seulement 2 période(s) avant le début ; il en faut au moins 4 pour vérifier que les unités "
                      "traitées et témoins évoluaient de même avant."]
    failed = dataclasses.replace(result(), estimate=result().estimates["wdd"])
    assert findings_shown(failed, "en")[0][0] == "warning"


def test_fit_recipe_gives_the_evaluate_page_a_dated_layer_and_its_categories(demo):
    """A recipe naming a layer or categories the data lack gets the incidents layer and keeps only the
    categories the layer has (as the other pages' layers are fitted)."""
    cats = categories_of(demo, "incidents")
    r = Recipe.for_demo().with_params("programme", layer="checks", categories=(cats[0], "no such category"))
    assert fit_recipe(r, demo).programme.categories == ()  # checks has no such categories
    r = Recipe.for_demo().with_params("programme", categories=(cats[0], "no such category"))
    assert fit_recipe(r, demo).programme.categories == (cats[0],)
    demo_one = dataclasses.replace(demo, points={"checks": demo.points["checks"]})
    assert fit_recipe(Recipe.for_demo(), demo_one).programme.layer == "checks"


def test_legend_leaves_out_empty_classes_and_outlines_leave_the_mouse_to_the_units():
    res = result()
    change = res.change.copy()
    change.loc[5, ["before", "change"]] = [30.0, 0.1]  # U5 now had events before: no "no events before" unit
    layer = change_layer(dataclasses.replace(res, change=change), _units(), "en")
    # U2 (withheld, no ratio) is in the withheld class, not counted as "no events before"
    assert "No events before" not in layer.colors and "Rose by more than 25 %" not in layer.colors
    assert list(layer.colors) == ["Fell by more than 25 %", "Fell by 10 to 25 %", "Within 10 %", "Rose by 10 to 25 %",
                                  "Withheld (fewer than 11)", "Not evaluated (A/D units, unmatched controls)"]
    html = change_map(res, _units(), "en", assets="inline").get_root().render()
    assert html.count('"interactive": false') + html.count('"interactive":false') == 1  # the outlines only


def test_a_start_after_the_data_is_not_called_no_events_before():
    """Start 2030 on 2022-2024 data: every unit had events before and has no period after; the legend says
    so instead of "No events before" (seen on the page: 353 units grey as "No events before")."""
    res = result()
    change = res.change.copy()
    change["after"] = math.nan
    change["change"] = math.nan
    layer = change_layer(dataclasses.replace(res, change=change), _units(), "en")
    # the fixture's before: 20, 20, 4 (withheld), 30, 30, 0, 30 and a 7th unit not evaluated
    assert layer.labels.tolist() == ["No period after the start in the data"] * 2 + ["Withheld (fewer than 11)"] + \
        ["No period after the start in the data"] * 2 + ["No events before", "No period after the start in the data",
                                                          "Not evaluated (A/D units, unmatched controls)"]


def test_event_axis_plain_ratios_and_french_numbers():
    """The event-study axis shows plain ratios with 1 among them (not 10^0 or 6 x 10^-1), French decimal
    commas on the French page (Vega's number locale)."""
    res = result()
    if event_chart(res, "fr") is None:
        pytest.skip("the fixture has no event study")
    spec = event_chart(res, "fr").to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert "locale" not in event_chart(res, "en").to_dict().get("config", {})
    values = [layer["encoding"]["y"]["axis"]["values"] for layer in spec["layer"][:2]]
    assert all(1.0 in v for v in values)


def test_the_undated_message_names_the_layers_and_the_date_names(demo):
    """Real MEL IRIS + OSM bars (no dates): the page says the loaded layer has no dates and which column
    names count as dates, instead of asking to add a layer that was just added."""
    from lillegeo.programme.view import undated_message
    undated = dataclasses.replace(demo, points={"bars <b>": demo.points["incidents"].drop(columns="date")})
    text = undated_message(undated, "en")
    assert "'bars <b>'" in text and "date, datetime" in text and "add one on the Data page" not in text
    assert undated_message(dataclasses.replace(demo, points={}), "fr").startswith("Évaluer un programme demande")
