"""What a fresh-eyes tester met on Evaluate and Equity (issue 16, and issue 15 on the real MEL files): the
time-series chart squeezed to a strip on the page, a synthetic-control p-value and interval that disagree
without a word, per-unit starts lost in the exported table, a start after the data that did not say which
units, English reader errors on the French page, and the equity page crashing (ZeroDivisionError) or fitting
census columns as police checks on the real census files."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import lillegeo as lg
from lillegeo import pipeline
from lillegeo.choices import fit_recipe
from lillegeo.dataset import build_dataset
from lillegeo.equity import benchmark_model
from lillegeo.i18n import t
from lillegeo.io.messages import reader_message
from lillegeo.params import ProgrammeParams
from lillegeo.pipeline import run_analysis
from lillegeo.programme.chart import series_chart
from lillegeo.programme.findings import estimate_sentence, programme_findings
from lillegeo.programme.run import estimates_table, run_programme
from lillegeo.programme.types import Estimate
from lillegeo.programme.view import start_problems
from lillegeo.recipe import Recipe
from lillegeo.slides import findings_html, headline_findings

from .conftest import MEL, needs_realdata
from .test_programme_view import result


@pytest.fixture(scope="module")
def demo():
    return lg.load_demo()


def test_series_chart_keeps_its_plot_height_whatever_the_notes_take():
    # Streamlit draws an Altair chart with autosize "fit": the notes under it (up to five lines) and the
    # legend were taken from the 300 px, leaving a strip of a plot. "fit-x": the plot is 300 px high.
    spec = series_chart(result(), "fr").to_dict()
    assert spec["height"] == 300 and spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["title"]["orient"] == "bottom" and len(spec["title"]["text"]) >= 2


def _synth(p: float, low: float, high: float) -> Estimate:
    return Estimate("synth", 1.30, low, high, 43, 36, p_value=p)


@pytest.mark.parametrize("lang, words", [("en", "answer different questions and disagree here"),
                                         ("fr", "répondent à des questions différentes et divergent ici")])
def test_synthetic_control_says_when_its_p_value_and_interval_disagree(lang, words):
    # the tester's case: rank p 0.024 (1 / 41 placebos) and an interval [0.87, 2.25] that contains 1
    text = estimate_sentence(_synth(1 / 41, 0.87, 2.25), lang)
    assert words in text and t("programme.find.covers", lang, value="1")[:20] in text
    # p below alpha and an interval excluding 1, or neither: they agree, no note
    assert words not in estimate_sentence(_synth(1 / 41, 1.1, 2.25), lang)
    assert words not in estimate_sentence(_synth(0.4, 0.87, 2.25), lang)
    # the p-value ranks the post/pre RMSPE ratio and can be below 0.05 while the interval holds 1: the note
    # carries the p-value the sentence shows
    assert "p = 0.024" in estimate_sentence(_synth(1 / 41, 0.87, 2.25), "en").split("disagree here")[0]


def test_exported_estimates_keep_each_units_own_start(demo):
    p = ProgrammeParams(treated=("599010102@2023-03-01", "599010103@2023-10-01", "599010105"), start="2023-07-01",
                        method="did")
    table = estimates_table(run_programme(demo, p))
    # as the recipe writes them: the programme's start, and CODE@date for a unit that started another day
    assert set(table["start"]) == {"2023-07-01"}
    assert set(table["treated"]) == {"599010102@2023-03-01;599010103@2023-10-01;599010105"}
    one = estimates_table(run_programme(demo, dataclasses.replace(p, treated=("599010102", "599010105"))))
    assert set(one["treated"]) == {"599010102;599010105"} and set(one["start"]) == {"2023-07-01"}


def test_a_start_after_the_data_names_its_units(demo):
    p = ProgrammeParams(treated=("599010102@2099-01-01", "599010103"), start="2023-07-01")
    (line,) = start_problems(demo, p, "fr")
    assert line.startswith("Le début 2099-01-01 est postérieur au dernier événement")
    assert line.endswith("Unités qui commencent à cette date : 599010102.")
    # one common start: no unit list (every unit)
    (one,) = start_problems(demo, ProgrammeParams(treated=("599010102",), start="2099-07-01"), "en")
    assert "Units with this start" not in one


@pytest.mark.parametrize("english, french", [
    ("'vrt.geojson' is not GeoJSON (it looks like a GDAL VRT XML file); refused",
     "« vrt.geojson » n'est pas du GeoJSON (cela ressemble à un fichier XML VRT de GDAL) ; refusé"),
    ("could not read 'x.gpkg': it is not a GeoPackage (it looks like an HTML page); refused. A hint",
     "Lecture de « x.gpkg » impossible : le fichier n'est pas un GeoPackage (cela ressemble à une page HTML) ; refusé"),
    ("could not read 'big.geojson': one of its objects is too large or too complex to read (over the GeoJSON "
     "reader's limit); simplify the geometry or split it",
     "« big.geojson » n'a pas pu être lu : un de ses objets est trop grand ou trop complexe (au-delà de la limite "
     "du lecteur GeoJSON) ; simplifiez la géométrie ou découpez-la")])
def test_outline_refusals_read_in_french(english, french):
    assert reader_message(english, "fr") == french and reader_message(english, "en") == english


def test_clusters_are_counted_among_the_units_the_model_fits(demo):
    # a census joined for one commune of a metropolis: every fitted unit in one commune. The sandwich with one
    # cluster divides by zero (statsmodels cov_cluster: n_groups / (n_groups - 1)); the row is left out, as
    # for fewer than 5 communes, and the table is still made.
    units = demo.units.copy()
    units.loc[units["commune_id"] != units["commune_id"].mode()[0], "checks"] = float("nan")
    kept = units["checks"].notna().sum()
    assert kept >= 30 and units.loc[units["checks"].notna(), "commune_id"].nunique() == 1
    table = benchmark_model(units, enforcement="checks", crime="incidents", population="P21_POP",
                            share=units["P21_POP_IMM"] / units["P21_POP"]).robustness
    assert not table["variant"].str.contains("commune_id").any()
    assert table.loc[0, "n_units"] <= kept and pd.notna(table.loc[0, "rate_ratio"])


@needs_realdata
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_real_census_without_checks_is_refused_in_words_not_fitted(lang):
    # the real MEL contours and Lille's census table: no checks, no recorded crime. The equity defaults fall
    # on census columns (P16_POP0002 as "checks"); the page must say what to load, never give a verdict.
    units = lg.read_units(MEL / "MEL_IRIS.shp")[0]
    table = lg.read_table(MEL / "Lille_IRIS_pop_16.csv")
    ds = build_dataset(units, name="MEL", table=table[0] if isinstance(table, tuple) else table)
    q = fit_recipe(Recipe(), ds).equity
    assert pipeline.CENSUS_COLUMN.match(q.enforcement)
    with pytest.raises(ValueError) as err:
        pipeline.run_equity(ds, q, lang=lang)
    assert str(err.value) == t("prof.err.census_column", lang, col=q.enforcement)
    assert "INSEE" in str(err.value) and "Error" not in str(err.value)


@pytest.mark.parametrize("lang, said", [
    ("en", "In the buffer around the treated area no. 2 (start 2023-07-01): the weighted displacement quotient is "
           "not defined: it divides by the treated area's fall relative to the control units, and the treated area "
           "did not fall."),
    ("fr", "Dans la zone tampon autour de la zone traitée n° 2 (début le 2023-07-01) : le quotient de déplacement "
           "pondéré n'est pas défini : il divise par la baisse de la zone traitée par rapport aux témoins, et la "
           "zone traitée n'a pas baissé.")])
def test_an_undefined_wdq_is_said_in_words_not_a_dash(lang, said):
    raw = result()
    wdd = Estimate("wdd", -5.0, -9.0, -1.0, 7, 4, scale="count", extra={"wdq": float("nan"),
                                                                       "wdq_reading": "undefined"})
    res = dataclasses.replace(raw, estimates={**raw.estimates, "wdd@2023-07-01 #2": wdd})
    found = programme_findings(res, lang)
    assert said in found and not any("—" in s for s in found)


def test_the_report_summary_and_findings_slide_carry_the_evaluation(demo):
    r = Recipe.for_demo()
    r = r.replace(programme=ProgrammeParams(treated=("599010102", "599010116"), start="2023-07-01", method="did"))
    a = run_analysis(demo, r)
    found = headline_findings(a)
    kinds = [f["kind"] for f in found]
    mine = [f["text"] for f in found if f["kind"] == "programme"]
    # the chosen method's sentence as the Evaluate page says it, before the caveats
    assert estimate_sentence(a.programme.estimate, "en", alpha=r.programme.alpha, period=r.programme.period) in mine
    assert kinds.index("programme") < kinds.index("caveat")
    assert mine[-1].split(":")[0] in findings_html(a)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_area_comparison_says_which_group_the_verdict_is_about(demo, lang):
    # priority neighbourhoods vs elsewhere above; the benchmark model is still about the group column's share
    q = Recipe.for_demo().equity
    area = pipeline.run_equity(demo, q.replace(groups="overlay"), lang=lang)
    said = t("verdict.about_share", lang, group=lg.insee.field_label(q.group, lang))
    model = next(f for f in area.findings if f["kind"] == "model")
    assert model["text"].endswith(said) and said.count("P21_POP_IMM") == 1
    people = pipeline.run_equity(demo, q, lang=lang)
    assert not any(said in f["text"] for f in people.findings)
