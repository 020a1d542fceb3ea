"""AppTest: every page runs on the demo, widgets driven by key, no exception, expected elements."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lillegeo import load_demo
from lillegeo.equity import benchmark_model
from lillegeo.equity.hitrate import outcome_sentence
from lillegeo.pipeline import run_outcome_test

from ..conftest import ROOT
from .conftest import APP_TIMEOUT


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    return at


def test_app_opens_on_explore_with_the_demo():
    at = _app().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Explore"
    assert any("Synthetic demo data" in w.value for w in at.warning)
    assert at.selectbox(key="p.explore.column").value == "incidents"
    assert at.selectbox(key="p.explore.per").value == "P21_POP"
    assert any("withheld" in c.value for c in at.caption)


def test_explore_widgets():
    at = _app().run()
    at.selectbox(key="p.explore.column").set_value("P21_POP_IMM").run()
    at.selectbox(key="p.explore.scheme").set_value("fisher_jenks").run()
    at.slider(key="p.explore.k").set_value(7).run()
    at.selectbox(key="p.explore.palette").set_value("viridis").run()
    at.radio(key="p.explore.smoothing").set_value("spatial_eb").run()
    at.multiselect(key="p.explore.communes").set_value(["Lisle-Centre"]).run()
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    assert len(table) == 81 and table["unit_id"].str.startswith("59901").all()


def test_explore_user_breaks_and_bad_input():
    at = _app().run()
    at.selectbox(key="p.explore.scheme").set_value("user").run()
    at.text_input(key="p.explore.breaks").set_value("10, 20, 50").run()
    assert not at.exception
    at.text_input(key="p.explore.breaks").set_value("ten").run()
    assert not at.exception and at.error


def test_french_labels():
    at = _app().run()
    at.selectbox(key="lang_choice").set_value("fr").run()
    assert not at.exception
    assert at.title[0].value == "Explorer"
    assert at.selectbox(key="p.explore.column").label == "Indicateur (effectif ou valeur)"


def test_data_page_demo_reports():
    at = _app()
    at.switch_page("pages/1_Data.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Data"
    labels = [m.label for m in at.metric]
    assert labels == ["Units matched", "Units without data", "Table rows with no unit"]
    assert at.metric[0].value == "374 / 374"
    preview = at.dataframe[-1].value
    counts = preview[["P21_POP_IMM", "checks_2022"]].to_numpy(float)
    assert not ((counts > 0) & (counts < 11)).any()  # small counts withheld in the preview
    at.radio(key="data_source").set_value("upload").run()
    at.button(key="data_load").click().run()
    assert not at.exception
    assert at.error[0].value == "Upload a contour file first."


def test_hotspots_page_all_tabs():
    at = _app()
    at.switch_page("pages/3_Hotspots.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Hotspots"
    labels = [m.label for m in at.metric]
    assert labels == ["Global Moran's I", "Pseudo p-value", "Significant units"]
    at.radio(key="p.hotspots.method").set_value("local_moran").run()
    at.selectbox(key="p.hotspots.weights").set_value("knn:6").run()
    at.radio(key="p.hotspots.correction").set_value("fdr").run()
    assert not at.exception, at.exception
    at.radio(key="p.clusters.algorithm").set_value("hdbscan").run()
    at.checkbox(key="p.clusters.heat").check().run()
    assert not at.exception, at.exception
    assert any("clusters;" in c.value for c in at.caption)
    at.radio(key="p.clusters.algorithm").set_value("dbscan").run()
    at.button(key="hot_csens_run").click().run()
    assert not at.exception, at.exception
    assert any("Jaccard overlap" in d.value.columns and len(d.value) == 5 for d in at.dataframe)  # readable headers
    at.radio(key="p.typology.method").set_value("constrained").run()
    assert not at.exception, at.exception
    at.button(key="hot_eval_run").click().run()
    assert not at.exception, at.exception
    ev = at.dataframe[-1].value
    assert {"hit rate, period 2", "PAI, period 2", "RRI"} <= set(ev.columns) and len(ev) == 5


def test_equity_page():
    at = _app()
    at.switch_page("pages/4_Equity.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Equity"
    flags = [w.value for w in at.warning if w.value.startswith(("FLAG", "Verdict: ROBUST"))]
    assert len(flags) >= 2  # exposure and the benchmark model's verdict, on the biased demo
    # the model's rate ratio, from benchmark_model (equal to statsmodels' NB2 in tests/test_equity.py)
    u = load_demo().units
    rr = benchmark_model(u, enforcement="checks", crime="incidents", population="P21_POP",
                         share=u["P21_POP_IMM"] / u["P21_POP"]).rate_ratio
    assert any(f"{rr:.2f} times the checks" in w for w in flags)
    # the stop-level outcome test on the demo's checks: table and plain sentence (planted 12 % / 8 %)
    sentence = outcome_sentence(run_outcome_test(load_demo()), "en")  # numbers tested in tests/test_demo_plan.py
    assert sentence.startswith("Checks of group \u201cimmigré\u201d found something in")
    assert any(w.value.replace("\\", "") == sentence for w in at.info)  # shown as the library writes it
    at.radio(key="p.equity.groups").set_value("overlay").run()
    assert not at.exception, at.exception
    assert any("priority" in w.value and "QPV" in w.value for w in list(at.warning) + list(at.info))
    for layer in ("residual", "residual_gi", "share"):
        at.radio(key="p.equity.layer").set_value(layer).run()
        assert not at.exception, at.exception
    # switch_page runs the page alone: set the recipe's language (the sidebar's choice) directly
    at.session_state["recipe"] = at.session_state["recipe"].replace(language="fr")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Équité"
    assert any(w.value.startswith("SIGNAL") for w in at.warning)
    assert any(w.value.startswith("Les contrôles du groupe « immigré » ont trouvé") for w in at.info)


def test_present_page_and_recipe_roundtrip():
    from lillegeo.recipe import Recipe

    at = _app()
    at.switch_page("pages/6_Present.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Present"
    assert [b.label for b in at.get("download_button")] == ["Download the slides (offline HTML)",
                                                            "Download the report (HTML)",
                                                            "Download the report (PDF)"]
    # the session's recipe sets the pages' parameters, and every Explore parameter has its widget
    r = Recipe.for_demo().with_params("explore", column="P21_POP_IMM", scheme="fisher_jenks", k=7)
    at2 = _app()
    at2.session_state["recipe"] = r
    at2.run()
    assert not at2.exception
    assert at2.selectbox(key="p.explore.column").value == "P21_POP_IMM"
    assert at2.selectbox(key="p.explore.scheme").value == "fisher_jenks"
    assert at2.slider(key="p.explore.k").value == 7
    keys = {w.key for kind in ("selectbox", "slider", "radio", "checkbox", "multiselect", "number_input")
            for w in getattr(at2, kind)}
    shown = {k.split(".")[2] for k in keys if k and k.startswith("p.explore.")}
    assert shown == set(r.explore.to_dict()) - {"breaks"}  # breaks: a text field when the scheme is 'user'


def test_map_exports_on_hotspots_and_equity_pages():
    for page, key in (("pages/3_Hotspots.py", "hotspots_map"), ("pages/4_Equity.py", "equity_map")):
        at = _app()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        labels = [b.label for b in at.get("download_button")]
        for want in ("Download the map (offline HTML)", "Static map (PNG)", "Static map (PDF)"):
            assert want in labels, (page, labels)


def test_data_page_widgets_keep_their_values_across_language_and_pages():
    at = _app()
    at.session_state["kept_widgets"] = {"data_source": "upload"}  # the source radio (AppTest keeps its old
    at.switch_page("pages/1_Data.py").run()                        # format_func across a language switch)
    assert at.radio(key="data_source").value == "upload"
    at.selectbox(key="data_crs").set_value("EPSG:4326").run()
    at.checkbox(key="data_planar").check().run()
    assert at.session_state["kept_widgets"] == {"data_source": "upload", "data_crs": "EPSG:4326", "data_planar": True}
    at.switch_page("pages/2_Explore.py").run()  # Streamlit drops the state of widgets not shown
    at.switch_page("pages/1_Data.py").run()
    assert at.radio(key="data_source").value == "upload" and at.selectbox(key="data_crs").value == "EPSG:4326"
    at.session_state["recipe"] = at.session_state["recipe"].replace(language="fr")  # the sidebar's switch
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["data_source"] == "upload"  # the language switch relabels, never resets
    assert at.selectbox(key="data_crs").value == "EPSG:4326" and at.checkbox(key="data_planar").value
    # two different widgets, two different labels (the contours' CRS and the point coordinates' CRS)
    assert at.selectbox(key="data_crs").label == "Système de coordonnées des contours (s'ils n'en ont pas)"
    assert ".shp, .shx, .dbf et .prj" in at.get("file_uploader")[0].help  # what the contour uploader takes
