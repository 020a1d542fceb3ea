"""Recipes: save and load, hashes refused when changed, headless runs byte-identical, report = page numbers."""

from __future__ import annotations

import io
import shutil

import pandas as pd
import pytest

from lillegeo.__main__ import main
from lillegeo.demo import DEMO_DIR
from lillegeo.recipe import Recipe, default_slides, load_sources, lock_info, run_recipe
from lillegeo.report import fmt_number, neutralise_formulas, table_bytes


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    r = Recipe.for_demo()
    r.hotspots["permutations"] = 199
    r.equity["bootstrap"] = 199
    r.slides = default_slides("en")
    a, b = tmp_path_factory.mktemp("run_a"), tmp_path_factory.mktemp("run_b")
    return r, run_recipe(r, a), a, run_recipe(r, b), b


def test_roundtrip_and_validation():
    r = Recipe.for_demo()
    r.explore["k"] = 7
    text = r.to_toml()
    back = Recipe.from_toml(text)
    assert back.explore["k"] == 7 and back.sources == r.sources and back.demo
    assert back.to_toml() == text  # saving twice gives the same file
    with pytest.raises(ValueError, match="not valid TOML"):
        Recipe.from_toml("[recipe\nversion = 1")
    with pytest.raises(ValueError, match=r"unknown key\(s\) in \[explore\]: colour"):
        Recipe.from_toml(text.replace("[explore]", "[explore]\ncolour = 3"))
    with pytest.raises(ValueError, match="no \\[recipe\\] section"):
        Recipe.from_toml("x = 1")


def test_runs_are_byte_identical(two_runs):
    r, sa, a, sb, b = two_runs
    csvs = sorted(p.relative_to(a) for p in (a / "tables").glob("*.csv"))
    assert len(csvs) >= 8
    for rel in csvs:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    for f in ("report.html", "report.pdf", "presentation.html", "lillegeo.lock.json", "recipe.toml",
              "maps/explore.html", "maps/explore.png", "maps/explore.pdf", "maps/equity.png"):
        assert (a / f).exists() and (a / f).stat().st_size > 0, f


def test_report_numbers_equal_the_library(two_runs, demo):
    from lillegeo.equity import run_equity

    r, summary, a, _, _ = two_runs
    q = run_equity(demo.units, enforcement="checks", crime="incidents", population="P21_POP", group="P21_POP_IMM",
                   bootstrap=199, seed=0, points=demo.points["incidents"])
    assert summary["rate_ratio"] == pytest.approx(q.model.rate_ratio)
    exp = pd.read_csv(a / "tables" / "equity_exposure.csv")
    assert exp.loc[0, "ratio"] == pytest.approx(q.exposure.ratio, rel=1e-9)
    html = (a / "report.html").read_text(encoding="utf-8")
    assert fmt_number(q.model.rate_ratio, "en") in html and "Synthetic demo data" in html
    assert "<script" not in html.lower()  # the report is a document, not an app


def test_changed_source_is_refused(tmp_path):
    for f in ("units.geojson", "census.csv", "incidents.csv", "checks.csv"):
        shutil.copy(DEMO_DIR / f, tmp_path / f)
    r = Recipe.for_demo()
    r.demo = False
    r.sources.pop("overlay")
    for _, src in [("u", r.sources["units"]), ("t", r.sources["table"])] + list(r.sources["points"].items()):
        src["path"] = src["path"].replace("demo/", "")
    (tmp_path / "recipe.toml").write_text(r.to_toml(), encoding="utf-8")
    ds = load_sources(Recipe.read(tmp_path / "recipe.toml"))
    assert len(ds.units) == 374
    with open(tmp_path / "census.csv", "a", encoding="utf-8") as f:
        f.write("\n")
    with pytest.raises(ValueError, match=r"source 'table' \(census.csv\) has changed since the recipe was saved"):
        load_sources(Recipe.read(tmp_path / "recipe.toml"))
    assert len(load_sources(Recipe.read(tmp_path / "recipe.toml"), allow_changed=True).units) == 374
    rc = main(["run", str(tmp_path / "recipe.toml"), "--out", str(tmp_path / "out")])
    assert rc == 2


def test_lock_file_lists_versions():
    lock = lock_info(Recipe.for_demo())
    assert lock["python"] and lock["libraries"]["esda"] and lock["libraries"]["geopandas"]
    assert set(lock["sources"]) >= {"units", "table", "points.incidents"}


def test_cli_recipe_and_run(tmp_path, capsys):
    assert main(["recipe", "--lang", "fr", "--out", str(tmp_path / "r.toml")]) == 0
    r = Recipe.read(tmp_path / "r.toml")
    assert r.language == "fr" and r.slides[0]["title"] == "Incidents pour 1 000 habitants"


def test_exports_neutralise_formulas_and_write_xlsx():
    df = pd.DataFrame({"=cmd|' /C calc'!A0": ["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "-2", "ok"], "n": range(5)})
    safe = neutralise_formulas(df)
    assert safe.columns[0].startswith("'=") and safe.iloc[:4, 0].str.startswith("'").all()
    assert safe.iloc[4, 0] == "ok"
    x = pd.read_excel(io.BytesIO(table_bytes(df, "xlsx")))
    assert x.iloc[0, 0].startswith("'=") and x.columns[0].startswith("'=")
    assert "'=HYPERLINK" in table_bytes(df).decode().splitlines()[1]
    assert fmt_number(1234.5, "fr", 1) == "1\u202f234,5" and fmt_number(1234.5, "en", 1) == "1,234.5"


def test_static_indicator_map_png_and_pdf(demo):
    import lillegeo as lg
    from lillegeo.report import indicator_static_map

    ind = lg.compute_indicator(demo.units, "incidents", per="P21_POP", exclude_types=("A", "D"))
    png, pdf = io.BytesIO(), io.BytesIO()
    data = indicator_static_map(demo.units, ind, caption="demo", demo=True, png=png, pdf=pdf)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and png.getvalue() == data
    assert pdf.getvalue()[:5] == b"%PDF-"


def test_no_small_count_in_any_export(two_runs):
    # disclosure: every count of persons or events written by a run is 0 or at least 11
    _, _, a, _, _ = two_runs
    count_cols = {"numerator", "denominator", "enforcement", "crime", "incidents", "stops", "hits"}
    for f in sorted((a / "tables").glob("*.csv")):
        df = pd.read_csv(f)
        cols = count_cols & set(df.columns)
        if f.name == "hotspots.csv":
            cols.add("value")  # the recipe's hot spots are on raw incident counts per unit
        for c in cols:
            v = pd.to_numeric(df[c], errors="coerce")
            assert not ((v > 0) & (v < 11)).any(), (f.name, c)


def test_categorical_static_map_legend_lists_present_categories(demo):
    from lillegeo.report import categorical_static_map

    labels = pd.Series(["Hot", "Cold"] * (len(demo.units) // 2) + ["Hot"] * (len(demo.units) % 2),
                       index=demo.units.index)
    pdf = io.BytesIO()
    png = categorical_static_map(demo.units, labels, {"Hot": "#b2182b", "Never": "#000000", "Cold": "#2166ac"},
                                 title="t", demo=True, pdf=pdf)
    assert png[:4] == b"\x89PNG" and pdf.getvalue()[:5] == b"%PDF-"
