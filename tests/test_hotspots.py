"""Hotspots: equal to esda, published reference values, planted-hotspot recovery, evaluation formulas."""

from __future__ import annotations

import json

import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
import shapely
from esda import G_Local, Moran, Moran_Local
from scipy.stats import norm

import lillegeo as lg
from lillegeo.demo import DEMO_DIR
from lillegeo.hotspots import (area_hotspots, build_weights, compare_methods, evaluate_methods, heat_surface,
                               jaccard, point_clusters, sensitivity, typology)

from .conftest import MEL, needs_realdata


@pytest.fixture(scope="module")
def truth():
    return json.loads((DEMO_DIR / "truth.json").read_text(encoding="utf-8"))


def test_gi_star_equals_esda(demo):
    u = demo.units
    res = area_hotspots(u, "incidents", method="gi_star", weights="queen", permutations=999, seed=7)
    w = build_weights(u, "queen")
    w.transform = "B"
    ref = G_Local(u["incidents"].to_numpy(float), w, transform="B", star=True, permutations=999, seed=7, n_jobs=1)
    np.testing.assert_allclose(res.frame["statistic"], ref.Gs)
    np.testing.assert_allclose(res.frame["z"], ref.Zs)
    np.testing.assert_allclose(res.frame["p_sim"], ref.p_sim, atol=1e-6)
    # the decision p: the pseudo p floored by the one-sided normal p of esda's z (scipy.stats.norm.sf)
    np.testing.assert_allclose(res.frame["p"], np.maximum(res.frame["p_sim"], norm.sf(np.abs(ref.Zs))))


def test_local_moran_equals_esda(demo):
    u = demo.units
    res = area_hotspots(u, "incidents", method="local_moran", weights="knn:6", permutations=499, seed=3, alpha=0.05)
    w = build_weights(u, "knn:6")
    w.transform = "R"
    ref = Moran_Local(u["incidents"].to_numpy(float), w, transformation="r", permutations=499, seed=3, n_jobs=1)
    np.testing.assert_allclose(res.frame["statistic"], ref.Is)
    np.testing.assert_allclose(res.frame["z"], ref.z_sim)
    np.testing.assert_allclose(res.frame["p"], ref.p_sim, atol=1e-9)
    sig = ref.p_sim <= 0.05
    assert (res.frame["label"] == "High-High").sum() == int(((ref.q == 1) & sig).sum())
    gm = Moran(u["incidents"].to_numpy(float), w, permutations=0)
    assert res.moran_i == pytest.approx(gm.I)


def test_gi_star_published_reference_values():
    # esda documentation, esda.getisord.G_Local docstring ("Applying Getis and Ord local G* test using a
    # binary weights object"): six points, DistanceBand(threshold=15), y = [2, 3, 3.2, 5, 8, 7] ->
    # Zs = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]
    pts = [(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)]
    units = gpd.GeoDataFrame({"unit_id": [f"u{i}" for i in range(6)]},
                             geometry=[shapely.box(x - 0.5, y - 0.5, x + 0.5, y + 0.5) for x, y in pts], crs=None)
    res = area_hotspots(units, pd.Series([2, 3, 3.2, 5, 8, 7.0]), method="gi_star", weights="distance:15",
                        permutations=99, seed=10)
    np.testing.assert_allclose(res.frame["z"], [-1.39727626, -0.28917762, 0.65064964, -0.28917762,
                                                1.23452088, 2.02424331], atol=1e-7)


def test_global_moran_published_reference_columbus():
    # Columbus (Anselin 1988), CRIME with queen contiguity: Moran's I = 0.500 (GeoDa workbook, Columbus
    # crime, queen weights; esda.Moran gives 0.5001885571828611 with libpysal Queen row-standardised).
    path = libpysal.examples.get_path("columbus.shp")
    units, _ = lg.read_units(path, mapping={"unit_id": "POLYID"}, planar=True)
    col = gpd.read_file(path)
    res = area_hotspots(units, col["CRIME"], method="local_moran", weights="queen", permutations=999, seed=0)
    assert round(res.moran_i, 3) == 0.500
    assert res.moran_p == pytest.approx(0.001)


def test_islands_and_missing_values_are_listed(grid_units):
    units, _ = lg.read_units(grid_units.to_json().encode(), name="u.geojson")
    far = units.iloc[[0]].copy()
    far["unit_id"] = "599999999"
    far["geometry"] = shapely.box(800_000, 7_000_000, 801_000, 7_001_000)
    units = pd.concat([units, far], ignore_index=True)
    vals = pd.Series([1.0, 5.0, 2.0, np.nan, 9.0, 4.0, 3.0])
    res = area_hotspots(units, vals, method="local_moran", permutations=99)
    assert res.islands == ["599999999"] and res.no_data == ["593500101"]
    labels = dict(zip(res.frame["unit_id"], res.frame["label"]))
    assert labels["599999999"] == "No neighbours (island)" and labels["593500101"] == "No data"


def test_area_hotspot_errors(demo):
    with pytest.raises(ValueError, match="method must be 'gi_star' or 'local_moran'"):
        area_hotspots(demo.units, "incidents", method="getis")
    with pytest.raises(ValueError, match="weights must be 'queen', 'rook', 'knn:K' or 'distance:METRES'"):
        area_hotspots(demo.units, "incidents", weights="bishop")
    with pytest.raises(ValueError, match="permutations must be at least 19"):
        area_hotspots(demo.units, "incidents", permutations=5)
    with pytest.raises(ValueError, match="column 'nope' not found"):
        area_hotspots(demo.units, "nope")
    with pytest.raises(ValueError, match="constant"):
        area_hotspots(demo.units, pd.Series(1.0, index=demo.units.index))


def test_fdr_and_bonferroni_are_stricter(demo):
    kw = dict(method="gi_star", permutations=999, seed=1)
    none = area_hotspots(demo.units, "incidents", **kw).hot().sum()
    fdr = area_hotspots(demo.units, "incidents", correction="fdr", **kw).hot().sum()
    bonf = area_hotspots(demo.units, "incidents", correction="bonferroni", **kw).hot().sum()
    assert none >= fdr >= bonf


def _recall_precision(centres: np.ndarray, found: np.ndarray, radius: float) -> tuple[float, float]:
    d = np.hypot(centres[:, None, 0] - found[None, :, 0], centres[:, None, 1] - found[None, :, 1])
    recall = float((d.min(axis=1) <= radius).mean())
    precision = float((d.min(axis=0) <= radius).mean())
    return recall, precision


@pytest.mark.parametrize("algorithm", ["dbscan", "hdbscan", "optics"])
def test_point_methods_recover_planted_hotspots(demo, truth, algorithm):
    # Ground truth: 8 planted hotspots (truth.json), Gaussian spread sigma 140-220 m. A hotspot is
    # recovered when a cluster's centre lies within 400 m (about 2 sigma) of it. Thresholds: every
    # planted hotspot must be found (recall 1.0); the city-centre background also concentrates
    # incidents, so up to a third of the large clusters may be real-but-unplanted (precision >= 0.6).
    centres = np.array([[h["x"], h["y"]] for h in truth["hotspots"]])
    pc = point_clusters(demo.points["incidents"], algorithm=algorithm, eps_m=120, min_samples=60)
    big = pc.table[pc.table["incidents"] >= 300]
    recall, precision = _recall_precision(centres, big[["x", "y"]].to_numpy(), 400)
    assert recall == 1.0, (algorithm, recall)
    assert precision >= 0.6, (algorithm, precision)


@pytest.mark.parametrize("method", ["gi_star", "local_moran"])
def test_area_methods_recover_planted_hotspots(demo, truth, method):
    # Incident counts per unit, queen weights, 999 permutations, alpha 0.05.
    # Recall: a planted hotspot is recovered when a hot unit lies within 500 m of its centre (about
    # 2 sigma; the spread crosses unit borders). Threshold 0.75: the two weakest planted hotspots
    # (8 % of hotspot incidents each, active two years out of three) are diluted by unit-level
    # background and do not reach significance; the point methods above find them.
    # Precision: hot units should lie within 1.5 km of a planted centre (units are ~1 km across);
    # threshold 0.7 (population-weighted background also concentrates in the dense centre).
    centres = np.array([[h["x"], h["y"]] for h in truth["hotspots"]])
    res = area_hotspots(demo.units, "incidents", method=method, weights="queen", permutations=999, seed=0)
    hot = demo.units[res.hot().to_numpy()]
    dist = shapely.distance(shapely.points(centres), shapely.union_all(np.asarray(hot.geometry.values)))
    recall = float(np.mean(dist <= 500))
    hc = shapely.get_coordinates(hot.geometry.representative_point().values)
    _, precision = _recall_precision(centres, hc, 1500)
    assert recall >= 0.75, (method, recall, dist)
    assert precision >= 0.7, (method, precision)


def test_heat_surface_integrates_to_the_points(demo):
    pts = demo.points["incidents"]
    # threshold=1: no cell withheld. With the default disclosure threshold (11) the cells with fewer
    # than 11 incidents within a bandwidth are set to 0 (intended change; 4.4 % of the mass here,
    # the tails over sparse areas), see tests/test_cluster_disclosure.py.
    hs = heat_surface(pts, bandwidth_m=300, cell_m=200, threshold=1)
    total = hs.density.sum() * (hs.cell_m / 1000) ** 2  # density per km² x cell area in km²
    assert total == pytest.approx(len(pts), rel=0.02)
    safe = heat_surface(pts, bandwidth_m=300, cell_m=200)
    assert safe.withheld.any() and (safe.density[safe.withheld] == 0).all()
    assert safe.density.sum() * (safe.cell_m / 1000) ** 2 > 0.9 * len(pts)
    with pytest.raises(ValueError, match="use larger cells"):
        heat_surface(pts, cell_m=5)


def test_hit_rate_pai_rri_by_hand():
    from shapely.geometry import box

    area = box(0, 0, 10, 10)  # 100 of a 1,000 m² study area
    p1 = gpd.GeoDataFrame(geometry=gpd.points_from_xy([1, 2, 3, 50, 60], [1, 2, 3, 50, 60]), crs=2154)
    p2 = gpd.GeoDataFrame(geometry=gpd.points_from_xy([1, 70, 80, 90], [1, 70, 80, 90]), crs=2154)
    # threshold=1: these hand-sized counts (3 of 5, 1 of 4) are under the disclosure threshold (11) and
    # would be withheld by default (intended; checked below)
    t = evaluate_methods({"m": area}, p1, p2, 1000.0, threshold=1).iloc[0]
    # period 1: n1/N1 = 3/5 = 0.6, PAI1 = 0.6 / 0.1 = 6; period 2: 1/4 = 0.25, PAI2 = 2.5
    # RRI = PAI2 / PAI1 = 2.5 / 6 = (n2/n1)/(N2/N1) = (1/3)/(4/5)
    assert [t["hit_rate_1"], t["pai_1"], t["hit_rate_2"], t["pai_2"]] == pytest.approx([0.6, 6.0, 0.25, 2.5])
    assert t["rri"] == pytest.approx((1 / 3) / (4 / 5))
    safe = evaluate_methods({"m": area}, p1, p2, 1000.0).iloc[0]
    assert np.isnan([safe["n1"], safe["hit_rate_1"], safe["pai_1"], safe["n2"], safe["pai_2"], safe["rri"]]).all()


def test_hit_rate_pai_counts_boundary_points():
    """Points on a hotspot's vertices and edges are inside it (a hull's corners are incidents)."""
    from shapely.geometry import Polygon

    from lillegeo.hotspots import hit_rate_pai

    tri = Polygon([(0, 0), (4, 0), (0, 4)])  # right triangle, area 4 * 4 / 2 = 8 m²
    pts = np.array([[0, 0], [4, 0], [0, 4],  # its three vertices
                    [2, 0], [2, 2],  # on the bottom edge and on the hypotenuse x + y = 4
                    [1, 1],  # strictly inside
                    [3, 3], [10, 10], [-1, 0], [5, 0]])  # outside (two of them on the edges' lines)
    r = hit_rate_pai(tri, pts, 80.0)
    # by hand: n = 3 vertices + 2 edge points + 1 interior = 6 of N = 10, hit rate = 6/10 = 0.6;
    # a/A = 8/80 = 0.1, PAI = (n/N)/(a/A) = 0.6/0.1 = 6 (Chainey, Tompson & Uhlig 2008, Security Journal 21)
    assert (r["n"], r["N"], r["a"]) == (6, 10, 8.0)
    assert r["hit_rate"] == pytest.approx(0.6) and r["pai"] == pytest.approx(6.0)
    # the old rule (strictly inside) found 1 of 10; boundary points are no longer lost
    assert int(shapely.contains_xy(tri, pts[:, 0], pts[:, 1]).sum()) == 1


def test_compare_methods_on_demo(demo):
    t = compare_methods(demo.units, demo.points["incidents"], period1=("2022-01-01", "2024-01-01"),
                        period2=("2024-01-01", "2025-01-01"), permutations=199)
    assert len(t) == 5
    # the planted hotspots persist, so every method's hotspots keep catching incidents: RRI near 1
    assert (t["pai_2"] > 2).all() and t["rri"].between(0.7, 1.3).all()


def test_sensitivity_table(demo):
    t = sensitivity(demo.units, "incidents", permutations=99,
                    variants=[{"alpha": 0.10}, {"weights": "rook"}])
    assert t["variant"].tolist() == ["baseline", "alpha=0.1", "weights=rook"]
    assert t.loc[0, "jaccard"] == 1.0 and t["jaccard"].between(0, 1).all()
    assert jaccard(set(), set()) == 1.0


@pytest.mark.parametrize("method", ["kmeans", "constrained"])
def test_typology(demo, method):
    typ = typology(demo.units, ["P21_POP_IMM", "P21_CHOM1564", "DISP_MED21"], k=4, method=method, population="P21_POP")
    assert set(typ.labels[typ.labels >= 0]) == {0, 1, 2, 3}
    assert typ.profile["units"].sum() == (typ.labels >= 0).sum()
    assert (typ.labels == -1).sum() == demo.units["DISP_MED21"].isna().sum()  # 'ns' income cells
    if method == "constrained":  # each type is one contiguous region or a few: far fewer pieces than units
        u = demo.units.assign(t=typ.labels)
        pieces = sum(len(shapely.get_parts(shapely.union_all(np.asarray(g.geometry.values))))
                     for _, g in u[u.t >= 0].groupby("t"))
        assert pieces < 40


def test_cluster_sensitivity(demo):
    from lillegeo.hotspots import cluster_sensitivity

    t = cluster_sensitivity(demo.points["incidents"], eps_m=120, min_samples=60)
    assert len(t) == 5 and t.loc[0, "jaccard"] == 1.0
    # the planted hotspots are dense: a 25 % change of radius keeps most clustered incidents
    assert t["jaccard"].min() > 0.5


def _same_neighbours(w1, w2) -> bool:
    return w1.n == w2.n and all(sorted(w1.neighbors[i]) == sorted(w2.neighbors[i]) for i in range(w1.n))


def test_fast_queen_equals_libpysal_queen(demo, grid_units):
    """lillegeo.fastgeo.queen_adjacency applies libpysal's vertex rule: same neighbours as
    libpysal.weights.Queen (the reference) on the demo and on a grid with a corner-only contact."""
    import libpysal

    from lillegeo.hotspots import _WEIGHTS_CACHE, build_weights

    for units in (demo.units, grid_units):
        _WEIGHTS_CACHE.clear()
        ref = libpysal.weights.Queen.from_dataframe(units[["geometry"]].reset_index(drop=True), use_index=False,
                                                    silence_warnings=True)
        ours = build_weights(units, "queen")
        assert _same_neighbours(ours, ref)
        again = build_weights(units.copy(), "queen")  # a cache hit rebuilds the same weights
        assert _same_neighbours(again, ref) and len(_WEIGHTS_CACHE) == 1


@needs_realdata
def test_fast_queen_equals_libpysal_on_real_contours():
    import libpysal

    from lillegeo.hotspots import build_weights

    units, _ = lg.read_units(MEL / "MEL_IRIS.shp")
    ref = libpysal.weights.Queen.from_dataframe(units[["geometry"]].reset_index(drop=True), use_index=False,
                                                silence_warnings=True)
    assert _same_neighbours(build_weights(units, "queen"), ref)


def test_large_inputs_use_documented_approximations_close_to_exact(demo, monkeypatch):
    """Beyond the exact limits, DBSCAN runs on a grid of a tenth of the radius and the heat surface
    is binned and filtered: compared here with the exact computations on the demo (forced)."""
    from sklearn.metrics import adjusted_rand_score

    from lillegeo import hotspots as hs

    xy = shapely.get_coordinates(demo.points["incidents"].geometry.values)
    for eps, ms in [(150, 20), (120, 60)]:
        exact, note0 = hs.dbscan_labels(xy, eps, ms)
        grid, note = hs.dbscan_labels(xy, eps, ms, exact_limit=0)
        assert note0 == "" and "merged on a 15 m grid" in note or "merged on a 12 m grid" in note
        assert adjusted_rand_score(exact, grid) > 0.95  # measured 0.97 (150 m, 20) and 0.996 (120 m, 60)
        assert abs((exact == -1).mean() - (grid == -1).mean()) < 0.02
    exact = hs.heat_surface(demo.points["incidents"])
    monkeypatch.setattr(hs.density, "EXACT_KDE_WORK", 0)  # read by heat_surface in lillegeo.hotspots.density
    binned = hs.heat_surface(demo.points["incidents"])
    assert binned.density.shape == exact.density.shape
    assert np.abs(binned.density - exact.density).max() < 0.01 * exact.density.max()  # measured 0.07 %
    assert abs(binned.density.sum() - exact.density.sum()) / exact.density.sum() < 0.001


def test_withheld_counts_cannot_be_recovered_from_statistics(demo):
    # A reviewer solved all 271 withheld point counts of the MEL units from the G* values of a hot-spot
    # CSV (each G* is a neighbourhood sum). Withheld units are now left out of the statistics, so what is
    # published cannot depend on them: changing a withheld count changes nothing in the table.
    from lillegeo.hotspots import indicator_hotspots

    u = demo.units.copy()
    small = u.index[::9]
    u.loc[small, "incidents"] = 3.0
    _, _, a = indicator_hotspots(u, "incidents", permutations=99, seed=1)
    u.loc[small, "incidents"] = 8.0
    ind, _, b = indicator_hotspots(u, "incidents", permutations=99, seed=1)
    assert ind.withheld[small].all() and len(small) > 30
    pd.testing.assert_frame_equal(a, b)
    assert a.loc[small, ["value", "statistic", "z", "p"]].isna().all().all()
    assert (a.loc[small, "label"] == "Withheld").all()


def test_seeded_hotspots_do_not_depend_on_other_threads():
    """The app runs each browser session in a thread of one process. Without numba, esda seeds and draws
    from NumPy's global generator: a second session computing at the same time changed the permutations
    (issue 13: the page showed 30 significant units, ``run`` of the same recipe 29). Two analyses with
    different seeds run side by side give exactly the p-values each gives alone."""
    import threading

    from lillegeo import load_demo
    from lillegeo.params import HotspotParams
    from lillegeo.pipeline import run_area_hotspots

    ds = load_demo()
    params = [HotspotParams(method="local_moran", alpha=0.01, seed=0, permutations=199),
              HotspotParams(method="gi_star", seed=7, permutations=199)]
    alone = [run_area_hotspots(ds, p).table["p"].to_numpy() for p in params]
    together: dict[int, list] = {0: [], 1: []}

    def work(i):
        for _ in range(3):
            together[i].append(run_area_hotspots(ds, params[i]).table["p"].to_numpy())

    threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in (0, 1):
        for got in together[i]:
            np.testing.assert_array_equal(got, alone[i])
