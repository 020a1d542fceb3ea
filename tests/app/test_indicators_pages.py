"""AppTest for issue 14's planner items: the conventional denominator follows the column, the readers'
sentences and the partial coverage on Data and Explore, why a clustering is empty."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

import lillegeo as lg
from lillegeo.demo import DEMO_DIR
from lillegeo.recipe import Recipe

from ..conftest import MEL, ROOT, needs_realdata
from .conftest import APP_TIMEOUT


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)


def test_denominator_follows_the_column_and_stays_changeable():
    at = _app().run()
    at.selectbox(key="p.explore.column").set_value("P21_CHOM1564").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="p.explore.per").value == "P21_ACT1564"  # unemployment: % of the labour force
    at.selectbox(key="p.explore.per").set_value("P21_POP").run()  # the person may change it
    assert at.selectbox(key="p.explore.per").value == "P21_POP"
    at.selectbox(key="p.explore.column").set_value("P21_POP_IMM").run()
    assert at.selectbox(key="p.explore.per").value == "P21_POP"
    at.selectbox(key="p.explore.column").set_value("DISP_MED21").run()
    assert at.selectbox(key="p.explore.per").value == ""  # a median stays a raw value
    assert not at.exception, at.exception
    assert "REG" not in at.selectbox(key="p.explore.column").options


def test_data_page_says_what_the_readers_did_in_sentences():
    at = _app()
    at.switch_page("pages/1_Data.py").run()
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Read 374 units from units.geojson (GeoJSON). Columns recognised as IGN CONTOURS" in text
    rows = len(pd.read_csv(DEMO_DIR / "incidents.csv"))  # every row of the shipped file, counted by pandas
    assert f"Read {rows:,} points from incidents.csv (CSV)." in text
    assert '{"' not in text and not any("details" in d.value.columns for d in at.dataframe)
    fr = _app()
    fr.session_state["recipe"] = Recipe.for_demo(language="fr")
    fr.switch_page("pages/1_Data.py").run()
    text = " ".join(m.value for m in fr.markdown)
    assert "374 unités lues dans units.geojson (GeoJSON)." in text


@needs_realdata
def test_partial_coverage_on_data_and_explore():
    units, urep = lg.read_units(MEL / "MEL_IRIS.shp")
    table, trep = lg.read_table(MEL / "Lille_IRIS_pop_16.csv")
    ds = lg.build_dataset(units, name="MEL_IRIS.shp", table=table, reports=[urep, trep])
    want = "The table covers 110 of 509 units (Lille); the map is fitted to them."
    for page in ("pages/1_Data.py", "pages/2_Explore.py"):
        at = _app()
        at.session_state["dataset"] = ds
        at.session_state["dataset_token"] = "mel-test"
        at.switch_page(page).run()
        assert not at.exception, at.exception
        assert [i.value for i in at.info if "covers" in i.value] == [want]
        table = at.dataframe[-1].value  # Data: the preview; Explore: the indicator table
        first = table["unit_id"].iloc[:min(110, len(table))]
        assert len(first) >= 50 and first.str.startswith("59350").all()  # Lille's units, with data, first


def test_no_cluster_says_why_on_the_clusters_tab():
    at = _app()
    at.switch_page("pages/3_Hotspots.py").run()
    at.number_input(key="p.clusters.eps_m").set_value(10.0).run()
    at.number_input(key="p.clusters.min_samples").set_value(5000).run()
    assert not at.exception, at.exception
    assert any(i.value.startswith("No cluster: no place has at least 5000 incidents within 10 m") for i in at.info)
