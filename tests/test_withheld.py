"""Withheld units and small counts on every map and export (issue 14): the withheld class with its legend
entry and count on every categorical map, no class colour equal to the withheld or no-data colour, and
the disclosure acceptance test: the numerator of every exported share, rate and ratio, rebuilt from the
units' counts, is never under the threshold where the value is shown."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from lillegeo.equity import BIVARIATE, residual_classes
from lillegeo.hotspots import HOT_COLORS, LISA_COLORS, TYPE_COLORS
from lillegeo.hotspots.area import NO_DATA
from lillegeo.layers import SHARE_BINS, equity_layer, hot_layer, typology_layer, with_withheld
from lillegeo.maps import NODATA_STYLE, PALETTES, WITHHELD_STYLE, categorical_map, palette_colors
from lillegeo.outputs import run_recipe
from lillegeo.params import EquityParams, HotspotParams, TypologyParams, bounds
from lillegeo.pipeline import run_area_hotspots, run_equity, run_typology
from lillegeo.recipe import Recipe
from lillegeo.report import categorical_static_map

THR = 11
GREY, WHITE = WITHHELD_STYLE["fillColor"], NODATA_STYLE["fillColor"]
WITHHELD = "Withheld (fewer than 11)"


def small(s: pd.Series, threshold: int = THR) -> pd.Series:
    """The disclosure rule written out again (DOMAIN.md): a count from 1 to threshold - 1."""
    v = pd.to_numeric(s, errors="coerce")
    return (v > 0) & (v < threshold)


@pytest.fixture(scope="module")
def equity(demo):
    return run_equity(demo, EquityParams(bootstrap=99), hotspots=HotspotParams(permutations=99), threshold=THR)


def test_no_class_colour_is_the_withheld_or_no_data_colour():
    lo, hi = bounds("explore", "k")
    classes = {f"{p} k={k}": c for p in PALETTES for k in range(1, hi + 1) for c in palette_colors(p, k)}
    classes.update({f"bivariate {c}": c for row in BIVARIATE for c in row})
    classes.update({f"residual {k}": c for k, c in residual_classes(pd.Series([1.0]))[1].items()})
    classes.update({f"hot {k}": c for k, c in {**HOT_COLORS, **LISA_COLORS}.items() if k != NO_DATA})
    classes.update({f"type {i}": c for i, c in enumerate(TYPE_COLORS)})
    classes.update({f"share {c}": c for c in palette_colors("PuBu", len(SHARE_BINS) - 1)})
    clash = {k: c for k, c in classes.items() if c.lower() in (GREY.lower(), WHITE.lower())}
    assert not clash, clash
    assert GREY.lower() != WHITE.lower() and WITHHELD_STYLE.get("dashArray")  # dashed outline as well


def _legend_count(html: str) -> int | None:
    """The count of the withheld row of a rendered map's legend (None without one)."""
    html = html.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')  # legends go as JSON
    m = re.search(r'data-role="withheld".*?class="n">(\d+)<', html)
    return int(m.group(1)) if m else None


def _check_map(units, layer, expected: pd.Series):
    """Withheld units (``expected``) and only they get the withheld colour; the map's legend says how many."""
    fill = layer.labels.map(layer.colors)
    assert ((fill == GREY) == expected.to_numpy()).all()
    assert (layer.labels[expected.to_numpy()] == WITHHELD).all()
    html = categorical_map(units, layer.labels, layer.colors, legend_title=layer.title, legend=layer.legend,
                           assets="inline").get_root().render()
    assert _legend_count(html) == int(expected.sum())
    assert '"dashArray": "4 3"' in html or '"dashArray":"4 3"' in html  # the withheld style is drawn


@pytest.mark.parametrize("name", ["bivariate", "residual", "residual_gi", "share"])
def test_equity_layers_draw_withheld_units_with_their_count(demo, equity, name):
    u = demo.units
    if name == "share":  # share = group / residents: withheld when either count is small
        expected = small(u["P21_POP_IMM"]) | small(u["P21_POP"])
        assert int(expected.sum()) == 13  # the 13 units of the issue (one of them has 7 residents)
    else:  # rates and observed / expected: checks, incidents or residents small
        expected = small(u["checks"]) | small(u["incidents"]) | small(u["P21_POP"])
    layer = equity_layer(equity, name, "en", group="P21_POP_IMM")
    _check_map(u, layer, expected)


def test_bivariate_no_longer_leaves_withheld_units_white(demo, equity):
    layer = equity_layer(equity, "bivariate", "fr", group="P21_POP_IMM")
    # before: 241 of 374 units blank; then the units without rates (A/D); now none: A/D units are named
    assert not (layer.labels == "").any()
    ad = demo.units["unit_type"].isin(["A", "D"]) & ~(layer.labels == "Masqué (moins de 11)")
    assert (layer.labels[ad] == "Écarté (IRIS A/D)").all() and int(ad.sum()) <= 5
    assert "Masqué (moins de 11)" in layer.legend and 'data-role="withheld"' in layer.legend


def test_typology_and_hotspot_layers_draw_withheld_units(demo):
    typ = run_typology(demo, TypologyParams(columns=("checks", "DISP_MED21"), k=3), threshold=THR)
    layer, _ = typology_layer(typ, "en")
    # checks enter as a rate per 1,000 residents: withheld when the checks or the residents are 1 to 10
    _check_map(demo.units, layer, small(demo.units["checks"]) | small(demo.units["P21_POP"]))
    h = HotspotParams(column="incidents", per="P21_POP", permutations=99)
    res = run_area_hotspots(demo, h, threshold=THR)
    hl = hot_layer(res.hotspots, "en", withheld=res.indicator.withheld, threshold=THR)
    _check_map(demo.units, hl, res.indicator.withheld)
    assert res.indicator.withheld.sum() > 0


def test_withheld_label_helper_keeps_inputs():
    labels = pd.Series(["a", "b", "c"])
    lab, col = with_withheld(labels, {"a": "#000000"}, pd.Series([False, True, False]), 5, "fr")
    assert lab.tolist() == ["a", "Masqué (moins de 5)", "c"] and labels.tolist() == ["a", "b", "c"]
    assert list(col) == ["a", "Masqué (moins de 5)"] and col["Masqué (moins de 5)"] == GREY
    assert with_withheld(labels, {"a": "#000000"}, None, 5, "fr") == (labels, {"a": "#000000"})


def test_static_map_hatches_withheld_units_and_counts_them(demo):
    from PIL import Image

    labels = pd.Series(["Hot"] * 10 + [WITHHELD] * (len(demo.units) - 10), index=demo.units.index)
    png = categorical_static_map(demo.units, labels, {"Hot": "#b2182b", WITHHELD: GREY}, title="t", demo=True)
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    hatch = (img == [0x40, 0x40, 0x40]).all(axis=1).sum()  # the dark hatch lines over the grey
    assert hatch > 500


# ------------------------------------------------------------------ the disclosure acceptance test

@pytest.fixture(scope="module")
def run(tmp_path_factory, demo):
    r = Recipe.for_demo().with_params("hotspots", permutations=99).with_params("equity", bootstrap=99)
    out = tmp_path_factory.mktemp("withheld_run")
    run_recipe(r, out)
    return r, out


def _numerators(r: Recipe, units: pd.DataFrame) -> dict[tuple[str, str], list[pd.Series]]:
    """For every share, rate and ratio column of a per-unit table: the counts it is computed from."""
    e, h, q = r.explore, r.hotspots, r.equity
    u = units.set_index("unit_id")
    enf, cri, pop, grp = u[q.enforcement], u[q.crime], u[q.population], u[q.group]
    rate = [enf, pop]
    return {("indicator", "value"): [u[e.column]] + ([u[e.per]] if e.per else []),
            ("hotspots", "value"): [u[h.column]] + ([u[h.per]] if h.per else []),
            ("equity_units", "enforcement_per_1000"): rate,
            ("equity_units", "crime_per_1000"): [cri, pop],
            ("equity_units", "share"): [grp, pop],
            ("equity_units", "expected"): [enf, cri, pop],
            ("equity_units", "observed_over_expected"): [enf, cri, pop],  # observed = enforcement count
            ("equity_units", "enforcement"): [enf], ("equity_units", "crime"): [cri]}


def test_no_exported_share_rate_or_ratio_comes_from_a_small_count(run, demo):
    r, out = run
    checked = 0
    for (table, column), counts in _numerators(r, demo.units).items():
        df = pd.read_csv(out / "tables" / f"{table}.csv", dtype={"unit_id": str})
        shown = df.set_index("unit_id")[column].notna()
        for c in counts:
            bad = shown & small(c.reindex(shown.index)).to_numpy()
            assert not bad.any(), (table, column, c.name, list(shown.index[bad])[:5])
        checked += int(shown.sum())
    assert checked > 1000  # the test looked at values (not only blanks)
    units = pd.read_csv(out / "tables" / "equity_units.csv", dtype={"unit_id": str})
    enf = demo.units.set_index("unit_id").loc[units["unit_id"], r.equity.enforcement].to_numpy()
    hot = units["residual_hotspot"].to_numpy()
    assert (hot[small(pd.Series(enf)).to_numpy()] == "Withheld").all()  # no statistic for a withheld unit
    clusters = pd.read_csv(out / "tables" / "clusters.csv")
    assert (clusters["incidents"] >= THR).all()
    for name in ("equity_exposure",):
        people = pd.read_csv(out / "tables" / f"{name}.csv")["people"]
        assert (people >= THR).all()


def test_run_exports_carry_the_synthetic_data_mark(run):
    r, out = run
    tables = sorted((out / "tables").glob("*.csv"))
    assert {p.stem for p in tables} >= {"indicator", "hotspots", "equity_units", "equity_exposure"}
    for p in tables:
        df = pd.read_csv(p)
        assert (df["data"] == "Synthetic demo data").all(), p.name
    for p in sorted((out / "maps").glob("*.png")):
        assert p.stat().st_size > 1000  # drawn by static_map, which prints the mark when demo=True


def test_run_maps_and_slides_have_the_withheld_legend(run, demo, equity):
    r, out = run
    html = (out / "maps" / "equity.html").read_text(encoding="utf-8")
    n = int((small(demo.units["checks"]) | small(demo.units["incidents"]) | small(demo.units["P21_POP"])).sum())
    assert _legend_count(html) == n
    slides = (out / "presentation.html").read_text(encoding="utf-8")
    assert "Withheld (fewer than 11)" in slides


def test_cli_profiling_residuals_withhold_ratios_from_small_counts(tmp_path, capsys, demo):
    from lillegeo.__main__ import main
    from lillegeo.demo import DEMO_DIR

    base = ["--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
            "--points", f"checks={DEMO_DIR / 'checks.csv'}", "--points", f"incidents={DEMO_DIR / 'incidents.csv'}"]
    assert main(["profiling", *base, "--enforcement", "checks", "--crime", "incidents", "--population", "P21_POP",
                 "--share", "P21_POP_IMM", "--out", str(tmp_path / "p.csv"),
                 "--residuals-out", str(tmp_path / "r.csv")]) == 0
    df = pd.read_csv(tmp_path / "r.csv", dtype={"unit_id": str}).set_index("unit_id")
    u = demo.units.set_index("unit_id").loc[df.index]
    for column in ("expected", "observed_over_expected"):
        shown = df[column].notna()
        assert shown.sum() > 100
        for count in ("checks", "incidents", "P21_POP"):  # observed = checks; expected from crime and residents
            assert not (shown & small(u[count])).any(), (column, count)


def test_representation_from_fewer_group_residents_than_the_threshold_is_withheld(demo, monkeypatch):
    import lillegeo.equity.analysis as analysis

    real = analysis.representation

    def few(*args, **kwargs):  # the demo's hotspots hold thousands of the group: pretend 7 and 0
        r = real(*args, **kwargs)
        r["group_in_hotspots"] = 7.0 if few.calls == 0 else 0.0  # first method: 7 people; the others: nobody
        few.calls += 1
        return r

    few.calls = 0
    monkeypatch.setattr(analysis, "representation", few)
    res = analysis.run_equity(demo.units, enforcement="checks", crime="incidents", population="P21_POP",
                              group="P21_POP_IMM", bootstrap=19, permutations=99)
    rep = res.representation
    assert np.isnan(rep.loc[0, ["ratio", "ci_low", "ci_high"]].to_numpy(float)).all() and not rep.loc[0, "flag"]
    assert rep.loc[1:, "ratio"].notna().all()  # zero group residents in hotspots discloses nobody
