"""Indicators a planner expects (issue 14): conventional rates and denominators, code columns, typologies
on rates, the unit record, partial coverage, the readers' sentences, why a clustering is empty."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lillegeo as lg
from lillegeo.choices import fit_recipe, options_for
from lillegeo.demo import DEMO_DIR
from lillegeo.explain import coverage_note, describe_report, no_cluster_reason
from lillegeo.indicators import compute_indicator, suppress
from lillegeo.insee import conventional_per, field_label, is_code_column, rate_multiplier
from lillegeo.layers import typology_layer
from lillegeo.maps import choropleth_map
from lillegeo.params import ClusterParams, ExploreParams, TypologyParams
from lillegeo.pipeline import run_clusters, run_explore, run_typology, typology_inputs, unit_record
from lillegeo.recipe import Recipe

from .conftest import MEL, needs_realdata

CODES = ["REG", "DEP", "MODIF_IRIS", "LAB_IRIS", "TRIRIS", "GRD_QUART", "TYP_IRIS", "UU2010", "UU2020", "COM",
         "IRIS", "INSEE_COM", "CODE_IRIS", "REG_table", "DEP_table"]


@pytest.fixture(scope="module")
def mel():
    units, urep = lg.read_units(MEL / "MEL_IRIS.shp")
    table, trep = lg.read_table(MEL / "Lille_IRIS_pop_16.csv")
    return lg.build_dataset(units, name="MEL_IRIS.shp", table=table, reports=[urep, trep])


# ------------------------------------------------------------------ 1. rates in % and default denominators

def test_unemployment_is_a_percentage_of_the_labour_force():
    # 60 unemployed among 1,200 in the labour force: 60 / 1200 = 5 %, by hand
    df = pd.DataFrame({"P21_CHOM1564": [60.0, 30.0], "P21_ACT1564": [1200.0, 1000.0], "P21_POP": [2500.0, 2000.0]})
    per = conventional_per("P21_CHOM1564", df.columns)
    assert per == "P21_ACT1564"
    ind = compute_indicator(df, "P21_CHOM1564", per=per, multiplier=rate_multiplier("P21_CHOM1564", per))
    assert ind.values.tolist() == [5.0, 3.0]
    assert ind.unit == "%" and ind.label == "P21_CHOM1564 as % of P21_ACT1564"
    assert compute_indicator(df, "P21_CHOM1564", per=per, multiplier=100, lang="fr").label == \
        "P21_CHOM1564 en % de P21_ACT1564"


@pytest.mark.parametrize("column, available, want, mult", [
    ("P21_CHOM1564", ["P21_ACT1564", "P21_POP"], "P21_ACT1564", 100.0),
    ("P16_POP_IMM", ["P16_POP"], "P16_POP", 100.0),
    ("P21_POP_ETR", ["P21_POP"], "P21_POP", 100.0),
    ("P16_SCOL1824", ["P16_POP1824", "P16_POP"], "P16_POP1824", 100.0),
    ("C16_POP15P_CS3", ["C16_POP15P", "P16_POP"], "C16_POP15P", 100.0),
    ("C21_CHOM1564", ["P21_ACT1564"], "P21_ACT1564", 100.0),     # same year, other exploitation
    ("P21_SCOL1824", ["P21_POP"], "P21_POP", 1000.0),            # POP1824 missing: per 1,000 residents
    ("incidents", ["P21_POP"], "P21_POP", 1000.0),
    ("P21_POP", ["P21_POP"], "", 1000.0),
])
def test_conventional_denominators_keep_the_year_prefix(column, available, want, mult):
    assert conventional_per(column, [column, *available], population="P21_POP" if "P21_POP" in available else None) \
        == want
    assert rate_multiplier(column, want) == mult


def test_page_default_and_recipe_wins(demo):
    o = options_for(demo)
    assert o.default_per("P21_CHOM1564") == "P21_ACT1564"
    assert o.default_per("P21_POP_IMM") == "P21_POP"
    assert o.default_per("DISP_MED21") == ""  # a median is not a count
    base = Recipe.for_demo()
    # a per the data lacks falls back to the convention
    fitted = fit_recipe(base.with_params("explore", column="P21_CHOM1564", per="nope"), demo)
    assert fitted.explore.per == "P21_ACT1564"
    # an explicit per in a recipe wins
    explicit = base.with_params("explore", column="P21_CHOM1564", per="P21_POP")
    assert fit_recipe(explicit, demo).explore.per == "P21_POP"
    res = run_explore(demo, ExploreParams(column="P21_CHOM1564", per="P21_ACT1564", exclude_ad=False))
    u = demo.units
    want = u["P21_CHOM1564"] / u["P21_ACT1564"] * 100  # the definition, on the demo's own columns
    shown = res.indicator.values.notna()
    assert np.allclose(res.indicator.values[shown], want[shown])
    assert res.indicator.unit == "%"


# ------------------------------------------------------------------ 2. code columns are never indicators

def test_code_columns_are_not_offered(demo):
    assert all(is_code_column(c) for c in CODES)
    assert not any(is_code_column(c) for c in ("P16_POP", "incidents_2022", "DISP_MED21", "checks"))
    o = options_for(demo)
    assert not [c for c in o.numeric if is_code_column(c)]
    assert "P21_POP" in o.numeric and "incidents" in o.numeric


@needs_realdata
def test_code_columns_are_not_offered_on_the_real_files(mel):
    numeric_cols = [c for c in mel.units.columns if c != "geometry" and pd.api.types.is_numeric_dtype(mel.units[c])]
    assert {"REG", "MODIF_IRIS", "LAB_IRIS"} <= set(numeric_cols)  # numeric-looking codes in the real files
    o = options_for(mel)
    assert not set(o.numeric) & set(CODES)
    assert o.numeric[0] == "P16_POP"
    assert o.default_per("P16_POP_IMM") == "P16_POP" and o.default_per("P16_POP1824") == "P16_POP"


# ------------------------------------------------------------------ 3. typologies on rates

def test_typology_standardises_rates_not_counts(demo):
    cols = ["P21_CHOM1564", "P21_POP_IMM", "DISP_MED21"]
    X, withheld, notes = typology_inputs(demo, cols)
    u = demo.units
    assert list(X.columns) == ["%: P21_CHOM1564 / P21_ACT1564", "%: P21_POP_IMM / P21_POP", "DISP_MED21"]
    assert not lg.count_columns(X)  # a rate is never taken for a count (and blanked under 11)
    imm = X["%: P21_POP_IMM / P21_POP"]
    ok = imm.notna()
    assert np.allclose(imm[ok], (u["P21_POP_IMM"] / u["P21_POP"] * 100)[ok])
    # withheld: a count from 1 to 10, or a denominator under 11 (the disclosure rule of indicators.suppress)
    want = (suppress(u["P21_CHOM1564"]) | suppress(u["P21_POP_IMM"])
            | ((u["P21_ACT1564"] > 0) & (u["P21_ACT1564"] < 11)) | ((u["P21_POP"] > 0) & (u["P21_POP"] < 11)))
    assert withheld.equals(want) and withheld.any()
    assert len(notes) == 2
    # ten times the people in half of the units, same rates: the same types (raw counts would regroup them)
    big = demo.units.copy()
    half = big.index[::2]
    for c in ("P21_CHOM1564", "P21_ACT1564", "P21_POP_IMM", "P21_POP"):
        big.loc[half, c] = big.loc[half, c] * 10
    p = TypologyParams(columns=tuple(cols), k=4)
    a = run_typology(demo, p)
    b = run_typology(dataclasses.replace(demo, units=big), p)
    kept = ~(a.withheld | b.withheld)
    assert (a.labels[kept] == b.labels[kept]).all()
    assert a.n_withheld == int(withheld.sum()) and (a.labels[a.withheld] == -1).all()
    layer, _ = typology_layer(a, "fr")
    assert (layer.labels[a.withheld] == "Masqué (moins de 11)").all()
    assert "Masqué (moins de 11)" in layer.colors


# ------------------------------------------------------------------ 4. the unit record

def test_unit_record_reads_every_field(demo):
    uid = demo.units["unit_id"].iloc[3]
    rec = unit_record(demo, uid, lang="fr")
    assert list(rec.columns) == ["Valeur"]
    assert len(rec) == len(demo.units.columns) - 1  # every field but the geometry
    assert "Chômeurs de 15 à 64 ans, 2021 (P21_CHOM1564)" in rec.index
    assert "Population, 2021 (P21_POP)" in rec.index
    en = unit_record(demo, uid)
    assert list(en.columns) == ["Value"] and "Unemployed aged 15 to 64, 2021 (P21_CHOM1564)" in en.index
    checks = demo.units.loc[demo.units["unit_id"] == uid, "checks"].iloc[0]
    assert 0 < checks < 11  # this unit's checks are withheld
    assert rec.loc["Contrôles d'identité (checks)", "Valeur"] == "masqué (moins de 11)"
    assert field_label("MODIF_IRIS") == "IRIS changed since the previous boundaries (code) (MODIF_IRIS)"


def test_tooltip_is_hidden_while_a_popup_is_open():
    js = (Path(lg.__file__).parent / "maps" / "js" / "units.js").read_text()
    assert 'l.on("popupopen"' in js and "closeTooltip" in js and "lillegeo-popup-open" in js


# ------------------------------------------------------------------ 5. partial coverage

@needs_realdata
def test_partial_coverage_is_said_and_fitted(mel):
    assert coverage_note(mel) == "The table covers 110 of 509 units (Lille); the map is fitted to them."
    assert coverage_note(mel, "fr") == "Le tableau couvre 110 unités sur 509 (Lille) ; la carte est cadrée sur elles."
    res = run_explore(mel, ExploreParams(column="P16_POP_IMM", per="P16_POP"))
    assert res.coverage == coverage_note(mel)
    lille = set(mel.units.loc[mel.units["commune_name"] == "Lille", "unit_id"])
    assert len(lille) == 110 and set(res.table["unit_id"].iloc[:110]) == lille  # units with data first
    m = choropleth_map(res.units, res.indicator)
    b = res.units[res.units["unit_id"].isin(lille)].to_crs(4326).total_bounds
    lat, lon = m.location
    assert b[1] <= lat <= b[3] and b[0] <= lon <= b[2]
    full = res.units.to_crs(4326).total_bounds  # the whole MEL is centred elsewhere
    assert abs((full[1] + full[3]) / 2 - lat) > 0.01 or abs((full[0] + full[2]) / 2 - lon) > 0.01


def test_full_coverage_says_nothing(demo):
    assert coverage_note(demo) is None
    assert run_explore(demo, ExploreParams()).coverage is None


# ------------------------------------------------------------------ 6. what the readers did, as sentences

@needs_realdata
def test_reader_reports_as_sentences(mel):
    units, tables = mel.reports[0], mel.reports[1]
    s = describe_report(units)
    assert s.startswith("Read 509 units from MEL_IRIS.shp (ESRI Shapefile). Text encoding cp1252. ")
    assert "No invalid geometry." in s and "recognised as EPSG:2154" in s and "{" not in s
    fr = describe_report(units, "fr")
    assert fr.startswith("509 unités lues dans MEL_IRIS.shp (ESRI Shapefile).")
    assert "Aucune géométrie invalide." in fr
    t = describe_report(tables)
    assert t.startswith("Read 110 rows from Lille_IRIS_pop_16.csv (CSV).") and "Columns separated by «;»." in t


# ------------------------------------------------------------------ 7. an empty clustering says why

def test_no_cluster_says_why(demo):
    res = run_clusters(demo, ClusterParams(eps_m=10.0, min_samples=5000))
    assert res.clusters.n_clusters == 0
    rows = len(pd.read_csv(DEMO_DIR / "incidents.csv"))  # every row of the shipped file, counted by pandas
    assert res.empty_reason() == (f"No cluster: no place has at least 5000 incidents within 10 m ({rows} incidents "
                                  "used). Lower the minimum or widen the radius.")
    assert res.empty_reason("fr").startswith("Aucun agrégat : aucun endroit ne compte au moins 5000 incidents")
    assert run_clusters(demo, ClusterParams()).empty_reason() is None
    assert no_cluster_reason("dbscan", eps_m=120, min_samples=60, n_points=12).startswith(
        "No cluster: only 12 incidents are selected, fewer than the minimum of 60.")


def test_cli_no_cluster_says_why(tmp_path, capsys):
    from lillegeo.cli import main

    pts = tmp_path / "p.csv"
    pts.write_text("longitude,latitude\n" + "".join(f"{3.06 + i * 0.01:.4f},50.63\n" for i in range(30)))
    rc = main(["clusters", "--points", str(pts), "--out", str(tmp_path / "o.csv"), "--eps-m", "50",
               "--min-samples", "11"])
    assert rc == 0
    assert "No cluster: no place has at least 11 incidents within 50 m (30 incidents used)." in capsys.readouterr().out
