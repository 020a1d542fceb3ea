"""The hotspot evaluation table (Hotspots page, evaluation tab) withholds every count under the
disclosure threshold (11): the hits n, the outside N - n and the period's incidents N, with the hit
rate, PAI and RRI computed from them (DOMAIN.md, "Statistical disclosure"; zero is shown as zero)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from lillegeo.hotspots import evaluate_methods
from lillegeo.params import DEFAULT_THRESHOLD, EvaluationParams
from lillegeo.tables import readable

T = DEFAULT_THRESHOLD
AREA = box(0, 0, 10, 10)  # 100 m² of a 1,000 m² study area


def _points(inside: int, outside: int) -> gpd.GeoDataFrame:
    xs = [1.0 + 0.01 * i for i in range(inside)] + [50.0 + 0.01 * i for i in range(outside)]
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, xs), crs=2154)


def test_a_period_with_few_incidents_is_withheld_whole():
    # period 1: 15 of 30 inside (both sides >= 11: shown); period 2: 5 incidents in all (N2 = 5 < 11)
    row = evaluate_methods({"m": AREA}, _points(15, 15), _points(3, 2), 1000.0).iloc[0]
    # by hand: hit rate 15/30 = 0.5, PAI = 0.5 / (100/1000) = 5
    assert (row["n1"], row["N1"], row["hit_rate_1"], row["pai_1"]) == (15, 30, 0.5, pytest.approx(5.0))
    assert np.isnan([row["n2"], row["N2"], row["hit_rate_2"], row["pai_2"], row["rri"]]).all()
    shown = readable(row.to_frame().T)
    assert shown.loc[0, "incidents, period 2 (N₂)"] == "—" and shown.loc[0, "hits, period 2 (n₂)"] == "—"


def test_few_hits_or_few_misses_are_withheld_but_zero_is_shown():
    few_in = evaluate_methods({"m": AREA}, _points(3, 27), _points(0, 20), 1000.0).iloc[0]
    assert np.isnan([few_in["n1"], few_in["hit_rate_1"], few_in["pai_1"], few_in["rri"]]).all()
    assert few_in["N1"] == 30  # the period's total (30 >= 11) stays
    assert (few_in["n2"], few_in["N2"], few_in["hit_rate_2"]) == (0, 20, 0.0)  # zero hits is shown as zero
    few_out = evaluate_methods({"m": AREA}, _points(25, 4), _points(12, 12), 1000.0).iloc[0]
    assert np.isnan(few_out["n1"]) and few_out["N1"] == 29  # n1 = N1 - 4 would reveal the 4 outside
    assert few_out["n2"] == 12 and few_out["hit_rate_2"] == 0.5


def test_demo_evaluation_shows_no_count_under_the_threshold(demo):
    from lillegeo.pipeline import run_evaluation

    table = run_evaluation(demo, EvaluationParams(permutations=99), threshold=T).table
    assert len(table) >= 4  # every method has its row
    for col in ("n1", "N1", "n2", "N2"):
        v = table[col].to_numpy(float)
        assert not ((v > 0) & (v < T)).any(), (col, v)
        # the rest of a withheld count's row is withheld with it
        out = np.isnan(v)
        period = col[-1]
        assert np.isnan(table.loc[out, f"hit_rate_{period}"].to_numpy(float)).all()
