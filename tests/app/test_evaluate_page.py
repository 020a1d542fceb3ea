"""AppTest of the Evaluate page on the demo: the design from the parameter model, the run, the charts, the
table (the numbers of run_programme called directly), the map, the slide, the recipe, EN/FR, and the
state kept when leaving the page and coming back."""

from __future__ import annotations

import datetime as dt
import json

from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

import lillegeo as lg
from lillegeo.params import ProgrammeParams
from lillegeo.pipeline import run_programme
from lillegeo.programme.chart import estimates_table
from lillegeo.recipe import Recipe
from lillegeo.tables import readable

from ..conftest import ROOT
from .conftest import APP_TIMEOUT
from .test_french import _english_fragments, _visible_texts

PAGE = "pages/5_Evaluate.py"
TRUTH = ROOT / "geodata" / "demo" / "truth.json"


def treated_codes() -> tuple[str, ...]:
    """The treated units of the demo's first planted intervention (truth.json), or before the demo plants
    one, the three units nearest the first planted hot spot's centre."""
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    if truth.get("interventions"):
        return tuple(str(c) for c in truth["interventions"][0]["treated"])
    h = truth["hotspots"][0]
    u = lg.load_demo().units
    near = u.representative_point().distance(Point(h["x"], h["y"])).sort_values().index[:3]
    return tuple(u.loc[near, "unit_id"].astype(str))


def _open(lang: str = "en", **programme) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    r = Recipe.for_demo(language=lang)
    at.session_state["recipe"] = r.with_params("programme", **programme) if programme else r
    at.switch_page(PAGE).run()
    return at


def _design(at: AppTest, codes, method: str = "wdd") -> AppTest:
    at.multiselect(key="p.programme.treated").set_value(list(codes)).run()
    at.date_input(key="p.programme.start").set_value(dt.date(2023, 7, 1)).run()
    at.number_input(key="p.programme.buffer_m").set_value(300.0).run()
    at.selectbox(key="p.programme.method").set_value(method).run()
    return at


def test_fresh_page_asks_for_the_treated_area_and_states_the_method_assumption():
    at = _open()
    assert not at.exception, at.exception
    assert at.title[0].value == "Evaluate"
    assert any("Pick the treated units" in i.value for i in at.info)
    method = at.selectbox(key="p.programme.method")
    assert method.value == ProgrammeParams().method  # the parameter model's default, written once
    assert any(c.value.startswith("Assumes") or "parallel" in c.value for c in at.caption)


def test_run_shows_findings_table_charts_map_and_the_library_numbers():
    codes = treated_codes()
    at = _design(_open(), codes)
    assert not at.exception, at.exception
    assert at.info, "findings in plain words"
    tables = [d.value for d in at.dataframe if "periods (n)" in d.value.columns]
    assert len(tables) == 1
    shown = tables[0]
    # the page's numbers are run_programme's called directly (same parameters, the recipe's threshold),
    # shown through readable() like every table
    p = ProgrammeParams(treated=codes, start="2023-07-01", buffer_m=300.0, method="wdd")
    res = run_programme(lg.load_demo(), p, threshold=11)
    expected = readable(estimates_table(res, "en"), "en")
    assert shown.reset_index(drop=True).equals(expected.reset_index(drop=True)), (shown, expected)
    assert shown.iloc[0, 0] == "Weighted displacement difference (WDD)"
    assert len(at.get("vega_lite_chart")) == 1  # the time series (WDD has no event study)
    assert any("No event study" in c.value for c in at.caption)
    assert any(b.key and b.key.startswith("ev_series_dl") for b in at.get("download_button"))
    assert any(b.key == "ev_estimates_table_dl_csv" for b in at.get("download_button"))


def test_state_survives_leaving_the_page_and_goes_into_the_recipe_and_slides():
    codes = treated_codes()
    at = _design(_open(), codes, method="did")
    assert len(at.get("vega_lite_chart")) == 2  # the time series and the event study
    assert any(b.key == "ev_event_dl_png" for b in at.get("download_button"))
    at.selectbox(key="p.programme.method").set_value("before_after").run()
    at.switch_page("pages/2_Explore.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="p.programme.treated").value == list(codes)
    assert at.date_input(key="p.programme.start").value == dt.date(2023, 7, 1)
    assert at.selectbox(key="p.programme.method").value == "before_after"
    at.button(key="slide_add_programme").click().run()
    assert not at.exception, at.exception
    assert any("Slide" in s.value for s in at.success)
    recipe = at.session_state["recipe"]
    assert recipe.programme.treated == codes and recipe.programme.method == "before_after"
    assert recipe.slides[-1].layer == "programme" and recipe.slides[-1].params == recipe.programme
    assert "[programme]" in recipe.to_toml()


def test_french_page_has_no_english_before_and_after_the_run():
    at = _open("fr")
    assert not at.exception, at.exception
    assert at.title[0].value == "Évaluer"
    assert any("Choisissez les unités traitées" in i.value for i in at.info)
    assert at.radio(key="p.programme.control").options == ["Le reste de la ville (hors anneau)",
                                                           "Unités appariées sur la tendance avant et le profil"]
    at = _open("fr", treated=treated_codes(), start="2023-07-01", buffer_m=300.0, method="did")
    assert not at.exception, at.exception
    english = _english_fragments()
    left = sorted({frag for text in _visible_texts(at) for frag in english if frag in text.replace("\\", "")})
    assert left == [], left
    assert len(at.get("vega_lite_chart")) == 2
    headers = {str(c) for d in at.dataframe for c in d.value.columns}
    assert {"méthode", "estimation", "périodes (n)", "échelle", "note"} <= headers, headers


def test_staggered_starts_shown_in_the_start_table_and_estimated():
    codes = treated_codes()
    treated = (codes[0],) + tuple(f"{c}@2024-01-01" for c in codes[1:])
    at = _open(treated=treated, start="2023-07-01", buffer_m=300.0, method="synth")
    assert not at.exception, at.exception
    # the start table: one row per treated unit, its own start or empty (the common start)
    editor = [d.value for d in at.dataframe if list(d.value.columns) == ["name", "code", "start"]]
    assert len(editor) == 1 and editor[0]["code"].tolist() == list(codes)
    assert editor[0]["start"].astype(str).tolist()[1:] == ["2024-01-01"] * (len(codes) - 1)
    assert any("Staggered starts (2 dates): synthetic control needs one start; it uses the earliest (2023-07-01)"
               in i.value for i in at.info)
    est = [d.value for d in at.dataframe if "periods (n)" in d.value.columns]
    assert len(est) == 1  # the estimates ran: a WDD per start date among them
    assert {"Weighted displacement difference (WDD), area 2023-07-01",
            "Weighted displacement difference (WDD), area 2024-01-01"} <= set(est[0].iloc[:, 0])
    assert f"{codes[-1]}@2024-01-01" in at.session_state["recipe"].to_toml()  # what Save recipe writes
    at.switch_page("pages/2_Explore.py").run()  # the table is the recipe's: it survives leaving the page
    at.switch_page(PAGE).run()
    again = [d.value for d in at.dataframe if list(d.value.columns) == ["name", "code", "start"]]
    assert again[0]["start"].astype(str).tolist() == editor[0]["start"].astype(str).tolist()


def test_start_outside_the_data_is_said_in_words():
    at = _open(treated=treated_codes(), start="2030-01-01", method="did")
    assert not at.exception, at.exception
    assert any("The start 2030-01-01 is after the last event in the data (2024-12-30)" in e.value for e in at.error)
    assert not any("periods (n)" in d.value.columns for d in at.dataframe)
    at = _open("fr", treated=treated_codes(), start="2030-01-01", method="did")
    assert any("Le début 2030-01-01 est postérieur au dernier événement des données (2024-12-30)" in e.value
               for e in at.error)


def test_model_refusals_in_the_page_language():
    at = _open("fr", treated=treated_codes(), start="2023-07-01", buffer_m=300.0, buffer_rings=1, method="did")
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["choisissez un anneau en mètres (buffer_m = 300) ou en couronnes "
                                           "d'unités voisines (buffer_rings = 1), pas les deux"]
    at = _open("fr", treated=("599999999",), start="2023-07-01", method="did")
    assert any(e.value.startswith("1 code(s) d'unité traitée absent(s) des unités chargées : 599999999")
               for e in at.error), [e.value for e in at.error]
