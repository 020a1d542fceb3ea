"""Rates, empirical Bayes smoothing, point counts and small-count suppression."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

import lillegeo as lg
from lillegeo.demo import DEMO_DIR


def test_rate_per_1000_by_hand():
    df = pd.DataFrame({"n": [12.0, 50.0, 0.0, 30.0], "pop": [1000.0, 2000.0, 500.0, 0.0]})
    ind = lg.compute_indicator(df, "n", per="pop")
    # 12/1000*1000 = 12; 50/2000*1000 = 25; 0/500 = 0; zero denominator -> no rate
    assert ind.raw.tolist()[:3] == [12.0, 25.0, 0.0] and np.isnan(ind.raw.iloc[3])
    assert ind.withheld.tolist() == [False, False, False, False]
    assert ind.unit == "per 1,000" and "n per 1,000 pop" == ind.label
    assert any("zero denominator" in n for n in ind.notes)


def test_suppression_numerator_and_denominator():
    df = pd.DataFrame({"n": [5.0, 50.0, 3.0, 20.0], "pop": [1000.0, 2000.0, 8.0, 9.0]})
    ind = lg.compute_indicator(df, "n", per="pop", threshold=11)
    # 5 events < 11 -> withheld; 3 and the denominators 8 and 9 < 11 -> withheld
    assert ind.withheld.tolist() == [True, False, True, True]
    assert ind.values.isna().tolist() == [True, False, True, True]
    assert ind.n_withheld == 3
    frame = ind.frame()
    assert frame["numerator"].isna().tolist() == [True, False, True, True]
    ind5 = lg.compute_indicator(df, "n", per="pop", threshold=5)
    assert ind5.withheld.tolist() == [False, False, True, False]


def test_suppress_rule():
    s = pd.Series([0, 1, 10.9, 11, np.nan])
    assert lg.suppress(s).tolist() == [False, True, True, False, False]
    with pytest.raises(ValueError, match="threshold must be at least 1"):
        lg.suppress(s, threshold=0)


def test_global_eb_matches_hand_formula_and_esda():
    from esda.smoothing import Empirical_Bayes

    e = np.array([15.0, 40.0, 300.0, 12.0, 90.0])
    b = np.array([1000.0, 2000.0, 9000.0, 400.0, 5000.0])
    df = pd.DataFrame({"e": e, "b": b})
    ind = lg.compute_indicator(df, "e", per="b", smoothing="global_eb", multiplier=1.0)
    # Marshall (1991) global EB, written out by hand
    r = e / b
    m = e.sum() / b.sum()
    s2 = (b * (r - m) ** 2).sum() / b.sum()
    a = s2 - m / b.mean()
    a = max(a, 0.0)
    w = a / (a + m / b)
    hand = w * r + (1 - w) * m
    np.testing.assert_allclose(ind.raw.to_numpy(), hand, rtol=1e-12)
    np.testing.assert_allclose(ind.raw.to_numpy(), Empirical_Bayes(e.reshape(-1, 1), b.reshape(-1, 1)).r.ravel())


def test_spatial_eb_matches_esda(demo):
    import libpysal
    from esda.smoothing import Spatial_Empirical_Bayes

    u = demo.units
    ind = lg.compute_indicator(u, "incidents", per="P21_POP", smoothing="spatial_eb", multiplier=1.0)
    ok = (u["P21_POP"] > 0).to_numpy()
    sub = u[ok].reset_index(drop=True)
    w = libpysal.weights.Queen.from_dataframe(sub, use_index=False, silence_warnings=True)
    w.id_order = list(range(len(sub)))
    ref = Spatial_Empirical_Bayes(sub["incidents"].to_numpy(float).reshape(-1, 1),
                                  sub["P21_POP"].to_numpy(float).reshape(-1, 1), w).r.ravel()
    np.testing.assert_allclose(ind.raw[ok].to_numpy(), ref)


def test_indicator_errors():
    df = pd.DataFrame({"n": [1.0], "name": ["a"]})
    with pytest.raises(ValueError, match="count column 'x' not found; numeric columns are: n"):
        lg.compute_indicator(df, "x")
    with pytest.raises(ValueError, match="'name' is not numeric"):
        lg.compute_indicator(df, "name")
    with pytest.raises(ValueError, match="smoothing needs a denominator"):
        lg.compute_indicator(df, "n", smoothing="global_eb")
    with pytest.raises(ValueError, match="smoothing must be"):
        lg.compute_indicator(df, "n", per="n", smoothing="bayes")


def test_aggregate_points_border_outside_and_by():
    u = gpd.GeoDataFrame({"unit_id": ["a", "b"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=2154)
    p = gpd.GeoDataFrame({"cat": ["x", "y", "x", "x"]},
                         geometry=[Point(.5, .5), Point(1.0, .5), Point(1.5, .5), Point(9, 9)], crs=2154)
    counts, rep = lg.aggregate_points(p, u, by="cat")
    # the border point (1.0, 0.5) is counted once; (9, 9) is outside
    assert counts["count"].sum() == 3 and rep == {"points": 4, "inside": 3, "outside": 1}
    assert counts.loc["b", "count_x"] == 1
    with pytest.raises(ValueError, match="different CRS"):
        lg.aggregate_points(p.set_crs(4326, allow_override=True), u)


def test_demo_counts_match_points(demo):
    # every row of the shipped file, counted by pandas (the demo's points all lie inside a unit)
    rows = len(pd.read_csv(DEMO_DIR / "incidents.csv"))
    assert demo.units["incidents"].sum() == demo.point_reports["incidents"]["inside"] == rows
    years = [c for c in demo.units.columns if c.startswith("incidents_")]
    assert years == ["incidents_2022", "incidents_2023", "incidents_2024"]
    assert demo.units[years].sum(axis=1).equals(demo.units["incidents"])


def test_suppress_frame_and_safe_table(demo):
    safe, n = demo.safe_table()
    assert n > 0
    counts = demo.count_columns
    v = safe[counts].to_numpy(float)
    assert not ((v > 0) & (v < 11)).any()
    assert "DISP_MED21" not in counts  # an income is not a count


def test_exclude_activity_units_and_subset():
    df = pd.DataFrame({"n": [20.0, 30.0, 40.0], "pop": [1000.0, 50.0, 2000.0], "unit_type": ["H", "A", "D"]})
    ind = lg.compute_indicator(df, "n", per="pop", exclude_types=("A", "D"))
    assert ind.excluded.tolist() == [False, True, True]
    assert ind.values.notna().tolist() == [True, False, False]
    assert ind.n_excluded == 2 and ind.n_missing == 0
    # counted once in the partition the caption and the legend read (no note that a filter would leave stale)
    assert ind.partition == {"shown": 1, "withheld": 0, "left_out": 2, "no_data": 0, "total": 3}
    assert not any("left out" in n for n in ind.notes)
    sub = ind.subset(pd.Series([True, False, True]))
    assert sub.values.index.tolist() == [0, 2] and sub.excluded.tolist() == [False, True]
    assert sub.partition == {"shown": 1, "withheld": 0, "left_out": 1, "no_data": 0, "total": 2}
    raw = lg.compute_indicator(df, "n", exclude_types=("A", "D"))  # raw values are never left out
    assert raw.n_excluded == 0
