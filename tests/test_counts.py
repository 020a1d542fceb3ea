"""Numbers that agree: the Gi* count at alpha is the same in the result, the legend, the map, the command line
and the p-values; the groups of a caption and its legend partition the units; the CLI map legend counts units;
--smoothing on hotspots; points read from shapefiles."""

from __future__ import annotations

import json
import re
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from esda import G_Local
from esda.smoothing import Empirical_Bayes
from scipy.stats import norm

from lillegeo.__main__ import main
from lillegeo.demo import DEMO_DIR
from lillegeo.hotspots import area_hotspots, build_weights, indicator_hotspots
from lillegeo.i18n import label_text, t
from lillegeo.io.points import read_points
from lillegeo.layers import hot_layer
from lillegeo.maps import categorical_map, choropleth_map
from lillegeo.params import ExploreParams, HotspotParams
from lillegeo.pipeline import run_area_hotspots, run_explore

from .conftest import MEL, needs_realdata

CLI_UNITS = ["--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv")]
GI_SIG = {"Hot spot 99%", "Hot spot 95%", "Hot spot 90%", "Cold spot 90%", "Cold spot 95%", "Cold spot 99%"}


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def _legend_rows(html: str) -> list[tuple[str, int]]:
    """(label, count) of every legend row of a map's HTML (the legend is JSON-escaped in the page)."""
    s = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html).replace('\\"', '"')
    rows = re.findall(r'<div class="row"[^>]*><span class="sw" style="[^"]*"></span><span>([^<]*)</span>'
                      r'<span class="n">(\d+)</span>', s)
    return [(lab, int(n)) for lab, n in rows]


# ------------------------------------------------------------------ Gi* follows alpha, one count everywhere

@pytest.mark.parametrize("alpha", [0.01, 0.05])
def test_gi_star_count_is_the_same_everywhere(demo, tmp_path, capsys, alpha):
    p = HotspotParams(column="P21_CHOM1564", per="P21_ACT1564", method="gi_star", alpha=alpha, seed=3)
    res = run_area_hotspots(demo, p)
    frame = res.hotspots.frame
    # reference: esda's G_Local on the same values and weights; a unit is significant when the larger of its
    # pseudo p (esda p_sim) and the one-sided normal p of esda's z (scipy norm.sf) is at most alpha
    vals = res.indicator.raw.where(~(res.indicator.excluded | res.indicator.withheld))
    keep = np.flatnonzero(vals.notna().to_numpy())
    w = build_weights(demo.units.iloc[keep], "queen")
    w.transform = "B"
    assert not w.islands
    ref = G_Local(vals.to_numpy()[keep], w, transform="B", star=True, permutations=999, seed=3, n_jobs=1)
    # esda keeps p_sim in float32: back to (M+1)/(R+1) exactly in float64 before comparing with alpha
    ref_p = np.maximum(np.round(ref.p_sim.astype(float) * 1000) / 1000, norm.sf(np.abs(ref.Zs)))
    expected = int((ref_p <= alpha).sum())
    assert expected > 0
    # the result
    assert res.n_significant == res.hotspots.n_significant == expected == int((frame["p"] <= alpha).sum())
    # the map: units coloured in a significant class, and the legend's counts
    layer = hot_layer(res.hotspots, "en")
    assert int(layer.labels.isin(GI_SIG).sum()) == expected
    html = categorical_map(demo.units, layer.labels, layer.colors, legend_title=layer.title).get_root().render()
    rows = dict(_legend_rows(html))
    assert sum(n for lab, n in rows.items() if lab in GI_SIG) == expected
    assert sum(rows.values()) == len(demo.units)  # every unit in exactly one legend row
    # bins only down to alpha: at 0.01 the 99 % bins alone; at 0.05 no 90 % bin
    in_use = set(frame["label"]) & GI_SIG
    assert in_use <= ({"Hot spot 99%", "Cold spot 99%"} if alpha == 0.01 else GI_SIG - {"Hot spot 90%", "Cold spot 90%"})
    assert set(rows) & GI_SIG == in_use  # the legend shows the bins in use only
    # the significant table and the page caption's partition
    assert len(res.significant_table()) == expected
    assert res.partition["significant"] == expected and sum(v for k, v in res.partition.items() if k != "total") \
        == res.partition["total"] == len(demo.units)
    # the command line
    out = tmp_path / "h.csv"
    assert main(["hotspots", *CLI_UNITS, "--value", "P21_CHOM1564", "--per", "P21_ACT1564", "--method", "gi_star",
                 "--alpha", str(alpha), "--seed", "3", "--out", str(out)]) == 0
    s = _last_json(capsys.readouterr().out)
    assert s["significant"] == s["partition"]["significant"] == expected
    assert sum(n for lab, n in s["labels"].items() if lab in GI_SIG) == expected
    csv = pd.read_csv(out)
    assert int(csv["label"].isin(GI_SIG).sum()) == int((csv["p"] <= alpha).sum()) == expected


def test_gi_star_alpha_changes_the_count(demo):
    kw = dict(method="gi_star", permutations=999, seed=0)
    strict = area_hotspots(demo.units, "incidents", alpha=0.01, **kw)
    loose = area_hotspots(demo.units, "incidents", alpha=0.05, **kw)
    # same permutations (same seed): the units significant at 0.01 are a strict subset of those at 0.05
    assert strict.n_significant < loose.n_significant
    assert not (strict.significant & ~loose.significant).any()
    assert set(strict.frame.loc[strict.significant, "bin"].abs()) == {3}
    with pytest.raises(ValueError, match="alpha must be between 0.001 and 0.1"):
        area_hotspots(demo.units, "incidents", alpha=0.2, **kw)


def test_small_z_is_never_in_a_bin(demo):
    res = area_hotspots(demo.units, "incidents", method="gi_star", permutations=999, seed=0, alpha=0.10)
    f = res.frame
    # incident counts are skewed: esda's pseudo p puts units with a z of about -0.8 under 0.01 (they were
    # labelled "Cold spot 99%"); the normal p of such a z is about 0.2 (norm.sf(0.8) = 0.212)
    skewed = (f["p_sim"] <= 0.01) & (f["z"].abs() < 1.0)
    assert skewed.sum() > 0
    assert (f.loc[skewed, "bin"] == 0).all() and (f.loc[skewed, "label"] == "Not significant").all()
    # no bin without the z of its level: one-sided normal critical values 1.2816 (90 %), 1.6449 (95 %),
    # 2.3263 (99 %) (scipy norm.isf(0.10), isf(0.05), isf(0.01))
    for k, zc in ((1, 1.2816), (2, 1.6449), (3, 2.3263)):
        assert (f.loc[f["bin"].abs() == k, "z"].abs() >= zc - 1e-4).all(), k
    # direction from the sign of z
    sig = f["bin"] != 0
    assert (np.sign(f.loc[sig, "bin"]) == np.sign(f.loc[sig, "z"])).all()


def test_bonferroni_that_cannot_pass_says_so(demo, tmp_path, capsys):
    # 99 permutations: the smallest pseudo p is 1/100 = 0.01, above 0.05 / 374 tested units = 0.000134
    bonf = area_hotspots(demo.units, "incidents", correction="bonferroni", permutations=99, seed=0, alpha=0.05)
    assert bonf.n_tested == 374 and bonf.min_p == pytest.approx(0.01)
    assert bonf.best_threshold == pytest.approx(0.05 / 374)
    assert bonf.correction_impossible and bonf.n_significant == 0
    # the false discovery rate and no correction can pass (0.01 <= 0.05)
    for correction in ("fdr", "none"):
        assert not area_hotspots(demo.units, "incidents", correction=correction, permutations=99, seed=0,
                                 alpha=0.05).correction_impossible
    res = run_area_hotspots(demo, HotspotParams(column="incidents", correction="bonferroni", permutations=99))
    note = res.impossible_note("fr")
    assert res.hotspots.n_tested == 361  # 13 units with 1-10 incidents are withheld, left out of the test
    assert "0,01," in note and "0,000139" in note and "Bonferroni" in note  # 0.05 / 361 = 0.000139
    assert run_area_hotspots(demo, HotspotParams(column="incidents", permutations=99)).impossible_note("en") == ""
    assert main(["hotspots", *CLI_UNITS, "--value", "P21_POP_IMM", "--permutations", "999", "--bonferroni",
                 "--out", str(tmp_path / "b.csv")]) == 0
    cap = capsys.readouterr()
    s = _last_json(cap.out)
    assert s["correction_impossible"] and s["significant"] == 0 and "0.001" in s["note"] and "note:" in cap.err


# ------------------------------------------------------------------ the groups of captions and legends

def _expected_groups(units: pd.DataFrame, num: str, den: str, threshold: int = 11) -> pd.Series:
    """By hand: withheld (count 1-10 or population 1-10) first, then A/D left out, then no data, then shown."""
    n, d = units[num].astype(float), units[den].astype(float)
    withheld = ((n > 0) & (n < threshold)) | ((d > 0) & (d < threshold))
    ad = units["unit_type"].astype(str).isin(["A", "D"])
    nodata = n.isna() | d.isna() | (d <= 0)
    return pd.Series(np.select([withheld, ad, nodata], ["withheld", "left_out", "no_data"], "shown"),
                     index=units.index)


def test_explore_groups_partition_the_units(demo):
    res = run_explore(demo, ExploreParams(column="incidents", per="P21_POP"))
    part = res.indicator.partition
    want = _expected_groups(demo.units, "incidents", "P21_POP").value_counts()
    assert {k: part[k] for k in ("shown", "withheld", "left_out", "no_data")} == \
        {k: int(want.get(k, 0)) for k in ("shown", "withheld", "left_out", "no_data")}
    assert part["shown"] + part["withheld"] + part["left_out"] + part["no_data"] == part["total"] == 374
    assert part["left_out"] < 21  # 21 A/D units, some of them withheld: counted once, as withheld
    # the legend of the map reads the same groups
    html = choropleth_map(res.units, res.indicator).get_root().render()
    rows = _legend_rows(html)
    assert sum(n for _, n in rows) == 374
    assert dict(rows)[t("legend.withheld", "en", threshold=11)] == part["withheld"]
    assert dict(rows).get(t("legend.excluded", "en"), 0) == part["left_out"]
    caption = t("explore.partition", "en", threshold=11, **part)
    assert caption.endswith(": 374 units in all.") and f"{part['left_out']} A/D left out" in caption


def test_explore_groups_follow_the_commune_filter(demo):
    units = demo.units
    commune = units.loc[units["unit_type"].astype(str).isin(["A", "D"]), "commune_name"].astype(str).iloc[0]
    res = run_explore(demo, ExploreParams(column="incidents", per="P21_POP", communes=(commune,)))
    part = res.indicator.partition
    mine = units[units["commune_name"].astype(str) == commune]
    want = _expected_groups(mine, "incidents", "P21_POP").value_counts()
    assert part["total"] == len(mine) == len(res.units)
    assert part["left_out"] == int(want.get("left_out", 0)) and part["withheld"] == int(want.get("withheld", 0))
    assert sum(n for _, n in _legend_rows(choropleth_map(res.units, res.indicator).get_root().render())) == len(mine)


def test_hotspot_groups_partition_the_units(demo):
    res = run_area_hotspots(demo, HotspotParams(column="incidents", per="P21_POP", permutations=99))
    part = res.partition
    want = _expected_groups(demo.units, "incidents", "P21_POP").value_counts()
    assert part["withheld"] == int(want["withheld"]) and part["left_out"] == int(want.get("left_out", 0))
    assert sum(v for k, v in part.items() if k != "total") == part["total"] == 374
    layer = hot_layer(res.hotspots, "fr")
    rows = dict(_legend_rows(categorical_map(demo.units, layer.labels, layer.colors,
                                             legend_title=layer.title).get_root().render()))
    assert rows[label_text("Withheld", "fr")] == part["withheld"] and sum(rows.values()) == 374


@needs_realdata
def test_real_mel_map_legend_counts_classes_and_groups(tmp_path, capsys):
    # MEL contours (509 IRIS) with Lille's census (110 IRIS): Fisher-Jenks k=5 on a real column
    out = tmp_path / "m.html"
    assert main(["map", "--units", str(MEL / "MEL_IRIS.shp"), "--table", str(MEL / "Lille_IRIS_pop_16.csv"),
                 "--column", "P16_POP_IMM", "--per", "P16_POP", "--scheme", "fisher_jenks", "--k", "5",
                 "--out", str(out)]) == 0
    s = _last_json(capsys.readouterr().out)
    assert s["shown"] + s["withheld"] + s["excluded_ad"] + s["no_data"] == s["units"] == 509
    rows = _legend_rows(out.read_text(encoding="utf-8"))
    classes = rows[:5]
    # five classes named by their bounds ("36 – 83"), with unit counts adding up to the units shown
    assert all(re.fullmatch(r"[\d.,]+ – [\d.,]+", lab) for lab, _ in classes), classes
    assert sum(n for _, n in classes) == s["shown"]
    assert sum(n for _, n in rows) == 509
    assert not any(lab.startswith(("P16_", "C16_")) for lab, _ in rows)


# ------------------------------------------------------------------ --smoothing on hotspots

def test_hotspots_cli_accepts_smoothing(demo, tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["hotspots", *CLI_UNITS, "--value", "P21_CHOM1564", "--per", "P21_ACT1564", "--smoothing",
                 "global_eb", "--permutations", "99", "--out", str(out)]) == 0
    s = _last_json(capsys.readouterr().out)
    assert s["smoothing"] == "global_eb"
    # reference: esda's Empirical_Bayes on the units with a denominator, in % (unemployment's convention,
    # lillegeo.insee.rate_multiplier), withheld and A/D left out
    u = demo.units
    ok = u["P21_ACT1564"].astype(float) > 0
    eb = pd.Series(np.nan, index=u.index)
    eb[ok] = Empirical_Bayes(u.loc[ok, "P21_CHOM1564"].to_numpy(float).reshape(-1, 1),
                             u.loc[ok, "P21_ACT1564"].to_numpy(float).reshape(-1, 1)).r.ravel() * 100
    groups = _expected_groups(u, "P21_CHOM1564", "P21_ACT1564")
    csv = pd.read_csv(out, dtype={"unit_id": str})
    shown = (groups == "shown").to_numpy()
    np.testing.assert_allclose(csv.loc[shown, "value"], eb[shown], rtol=1e-9)
    raw = u["P21_CHOM1564"].astype(float) / u["P21_ACT1564"].astype(float) * 100
    assert not np.allclose(csv.loc[shown, "value"], raw[shown])  # smoothed, not the raw rate
    # the same as the pipeline with HotspotParams(smoothing=...)
    _, res, _ = indicator_hotspots(u, "P21_CHOM1564", per="P21_ACT1564", exclude_types=("A", "D"),
                                   smoothing="global_eb", permutations=99, seed=0)
    np.testing.assert_allclose(csv["statistic"], res.frame["statistic"], rtol=1e-9)
    assert main(["hotspots", *CLI_UNITS, "--value", "P21_CHOM1564", "--smoothing", "global_eb",
                 "--out", str(out)]) == 2
    assert "--smoothing global_eb needs --per" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse: not one of none, global_eb, spatial_eb
        main(["hotspots", *CLI_UNITS, "--value", "P21_CHOM1564", "--smoothing", "eb", "--out", str(out)])


# ------------------------------------------------------------------ points from every vector format

def test_points_from_shapefile_and_zipped_shapefile(tmp_path, capsys):
    ref, _ = read_points(DEMO_DIR / "incidents.csv")
    pts = gpd.GeoDataFrame({"id": np.arange(len(ref)), "category": ref["category"].astype(str)},
                           geometry=ref.geometry.values, crs=ref.crs)
    shp = tmp_path / "incidents.shp"
    pts.to_file(shp, engine="pyogrio")
    zpath = tmp_path / "incidents.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for f in tmp_path.glob("incidents.*"):
            if f.suffix != ".zip":
                z.write(f, f.name)
    gpkg = tmp_path / "incidents.gpkg"
    pts.to_file(gpkg, engine="pyogrio")
    for src in (shp, zpath, gpkg):
        got, rep = read_points(src)
        assert len(got) == len(ref), src.name
        np.testing.assert_allclose(got.geometry.x, ref.geometry.x, atol=1e-6)
        assert (got["category"] == ref["category"].astype(str)).all()
        assert main(["clusters", "--points", str(src), "--out", str(tmp_path / "c.csv")]) == 0, src.name
        s = _last_json(capsys.readouterr().out)
        assert s["n_input"] == len(ref) and s["n_clusters"] > 0
    bare = tmp_path / "lonely.shp"
    bare.write_bytes(shp.read_bytes())  # no .dbf nor .shx beside it
    assert main(["clusters", "--points", str(bare), "--out", str(tmp_path / "c.csv")]) == 2
    assert "could not parse as CSV" not in capsys.readouterr().err


@pytest.mark.parametrize("alpha", [0.01, 0.05])
def test_equity_representation_uses_the_same_hot_spots(demo, alpha):
    from lillegeo.params import EquityParams
    from lillegeo.pipeline import run_equity

    p = EquityParams(bootstrap=0)
    res = run_equity(demo, p, hotspots=HotspotParams(alpha=alpha, permutations=99))
    row = res.representation.iloc[0]  # the Gi* row ("Gi* on recorded crime (alpha …)")
    assert f"alpha {alpha:g}" in row["method"] and row["method"].startswith("Gi*")
    # the same rule as the Hotspots page: a hot spot is a unit with p <= alpha and a positive z
    hs = area_hotspots(demo.units, demo.units[p.crime].astype(float), method="gi_star", permutations=99,
                       alpha=alpha, seed=p.seed)
    want = int(((hs.frame["p"] <= alpha) & (hs.frame["z"] > 0)).sum())
    assert want > 0 and int(row["hotspot_units"]) == want == int(hs.hot().sum())


def test_demo_map_legend_counts_classes(tmp_path, capsys):
    # the class counts were overwritten by the names of the count columns of the click record
    out = tmp_path / "m.html"
    assert main(["map", *CLI_UNITS, "--column", "P21_POP_IMM", "--per", "P21_POP", "--scheme", "fisher_jenks",
                 "--k", "5", "--out", str(out)]) == 0
    s = _last_json(capsys.readouterr().out)
    rows = _legend_rows(out.read_text(encoding="utf-8"))
    classes = [(lab, n) for lab, n in rows if re.fullmatch(r"[\d.,]+ – [\d.,]+", lab)]
    assert len(classes) == 5 and all(n > 0 for _, n in classes)
    assert sum(n for _, n in classes) == s["shown"] and sum(n for _, n in rows) == s["units"] == 374
