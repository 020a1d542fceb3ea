"""Point clusters and heat surfaces publish no incident location and no count under the disclosure
threshold (DOMAIN.md, "Statistical disclosure"; the rules are in lillegeo.generalise):

* no drawn coordinate (outline vertex, label point) lies within 1 m of any incident (KD-tree over
  every incident of the layer), on the demo, on adversarial layouts and in every file a headless
  re-run of the demo recipe writes (HTML maps decoded as the browser decodes them, slides, CSV,
  report, the geometries handed to the PNG/PDF renderer);
* no cluster of fewer than 11 incidents appears; category shares and months never stand for 1-10
  incidents (not even by difference).
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

import lillegeo as lg
from lillegeo.generalise import (OUTLINE_CLEARANCE_M, OUTLINE_GRID_M, dominant_categories, generalised_outline,
                                 month_bounds)
from lillegeo.hotspots import heat_surface, point_clusters
from lillegeo.tables import header

from .app.test_disclosure import html_tables

T = lg.DEFAULT_THRESHOLD
BASE = np.array([700_000.0, 7_050_000.0])
SHARE = re.compile(r"^(.+) (\d+)%$")
MONTH = re.compile(r"^\d{4}-\d{2}$")


@pytest.fixture(scope="module")
def incidents():
    return lg.load_demo().points["incidents"]


@pytest.fixture(scope="module")
def tree(incidents):
    return cKDTree(shapely.get_coordinates(incidents.geometry.values))


@pytest.fixture(scope="module")
def small_clusters(incidents):
    # min_samples 3, radius 60 m: about a thousand clusters, most of them under 11 incidents
    return point_clusters(incidents, algorithm="dbscan", eps_m=60, min_samples=3)


def _gdf(xy: np.ndarray) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=2154)


def _min_distance(tree: cKDTree, xy: np.ndarray) -> float:
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    xy = xy[np.isfinite(xy).all(axis=1)]
    return float(tree.query(xy)[0].min()) if len(xy) else np.inf


def _month(series: pd.Series) -> np.ndarray:
    d = pd.to_datetime(series)
    return (d.dt.year * 12 + d.dt.month - 1).to_numpy(dtype=float)


def check_table(table: pd.DataFrame, where: str, points: pd.DataFrame | None = None,
                labels: np.ndarray | None = None) -> list[str]:
    """Rows of a cluster table (as shown or exported): counts, shares and months that reveal < T
    incidents. With the points and labels, shares and months are checked against the real counts."""
    bad = []
    inc = pd.to_numeric(table["incidents"], errors="coerce")
    if ((inc > 0) & (inc < T)).any():
        bad.append(f"{where}: a cluster of fewer than {T} incidents is listed")
    for _, r in table.iterrows():
        n = int(r["incidents"])
        cell = "" if pd.isna(r.get("dominant_categories")) else str(r.get("dominant_categories", ""))
        listed = {}
        for part in filter(None, cell.split(", ")):
            m = SHARE.match(part)
            if not m:
                bad.append(f"{where}: unreadable share {part!r}")
                continue
            listed[m.group(1)] = int(m.group(2))
        if points is not None and labels is not None:
            mine = points.loc[labels == int(r["cluster"])]
            assert len(mine) == n, (where, r["cluster"])
            counts = mine["category"].value_counts()
            named = {k: v for k, v in listed.items() if k != "other"}
            for k in named:
                if counts.get(k, 0) < T:
                    bad.append(f"{where}: cluster {r['cluster']} lists {k} from {counts.get(k, 0)} incidents")
            other = n - sum(int(counts.get(k, 0)) for k in named)
            if 0 < other < T:
                bad.append(f"{where}: cluster {r['cluster']} leaves {other} incidents in 'other'")
            if named and ("other" in listed) != (other > 0):
                bad.append(f"{where}: cluster {r['cluster']} 'other' inconsistent")
            months = _month(mine["date"])
            for col in ("first", "last"):
                v = r.get(col)
                if v is None or pd.isna(v) or v == "":
                    continue
                y, mo = map(int, str(v).split("-"))
                if (months == y * 12 + mo - 1).sum() < T:
                    bad.append(f"{where}: cluster {r['cluster']} {col} month {v} from fewer than {T} incidents")
        else:  # exported table: shares of named categories must stand for at least T incidents
            for k, pct in listed.items():
                if pct > 0 and (pct + 0.5) / 100 * n < T - 1e-9:
                    bad.append(f"{where}: cluster {r['cluster']} share {k} {pct}% of {n} is under {T}")
        for col in ("first", "last"):
            v = r.get(col)
            if not (v is None or pd.isna(v) or v in ("", "—") or MONTH.match(str(v))):  # "—": withheld, as printed
                bad.append(f"{where}: {col} {v!r} is not a month")
    return bad


# ----------------------------------------------------------------------------- the library, on the demo

def test_demo_small_clusters_withheld_and_counted(small_clusters, incidents):
    pc = small_clusters
    sizes = pd.Series(pc.labels[pc.labels >= 0]).value_counts()
    assert pc.n_withheld > 500 and pc.n_clusters > 50  # the stress case: most clusters are small
    assert sizes.min() >= T and sorted(sizes.index) == list(range(pc.n_clusters))
    assert (pc.table["incidents"] >= T).all() and (pc.hulls["incidents"] >= T).all()
    assert sorted(pc.table["cluster"]) == list(range(pc.n_clusters))
    assert pc.summary()["n_withheld"] == pc.n_withheld and pc.summary()["threshold"] == T
    assert pc.n_noise + int(pc.table["incidents"].sum()) == len(incidents)
    assert str(pc.n_withheld) in pc.withheld_note("en") and "11" in pc.withheld_note("fr")


def test_demo_outlines_keep_away_from_every_incident(small_clusters, incidents, tree):
    pc = small_clusters
    assert len(pc.hulls) == pc.n_clusters  # every kept cluster got a verified outline
    v = shapely.get_coordinates(pc.hulls.geometry.values)
    assert _min_distance(tree, v) >= OUTLINE_CLEARANCE_M >= 1.0
    assert _min_distance(tree, pc.table[["x", "y"]].to_numpy()) >= 1.0
    xy = shapely.get_coordinates(incidents.geometry.values)
    for c, geom in zip(pc.hulls["cluster"], pc.hulls.geometry):
        assert geom.is_valid and geom.geom_type == "Polygon"
        assert shapely.contains_xy(geom, *xy[pc.labels == c].T).all()  # the outline holds its incidents
    # area and density are those of the generalised outline
    t = pc.table.set_index("cluster")
    areas = pd.Series(pc.hulls.geometry.area.to_numpy(), index=pc.hulls["cluster"])
    assert np.allclose(t.loc[areas.index, "area_m2"], areas, atol=50.01)


def test_demo_shares_and_months_never_from_small_counts(small_clusters, incidents):
    pc = small_clusters
    assert not check_table(pc.table, "point_clusters", incidents, pc.labels)
    assert pc.table["dominant_categories"].str.contains("other").any()
    shown = pc.table[["first", "last"]].stack().dropna()
    assert len(shown) and shown.map(lambda v: bool(MONTH.match(str(v)))).all()
    assert pc.table[["first", "last"]].isna().any().any()  # some first/last months are withheld


@pytest.mark.parametrize("algorithm", ["hdbscan", "optics"])
def test_other_algorithms_follow_the_same_rules(incidents, tree, algorithm):
    sub = incidents.iloc[::4]
    pc = point_clusters(sub, algorithm=algorithm, eps_m=60, min_samples=4)
    assert pc.n_clusters and (pc.table["incidents"] >= T).all()
    assert _min_distance(cKDTree(shapely.get_coordinates(sub.geometry.values)),
                         shapely.get_coordinates(pc.hulls.geometry.values)) >= OUTLINE_CLEARANCE_M
    assert not check_table(pc.table, algorithm, sub, pc.labels)


def test_filtered_layer_keeps_clear_of_the_whole_layer(incidents, tree):
    part = incidents[incidents["category"] == "vol"]  # the page's category filter
    pc = point_clusters(part, eps_m=60, min_samples=3, keep_clear_of=incidents)
    assert pc.n_clusters and _min_distance(tree, shapely.get_coordinates(pc.hulls.geometry.values)) >= 2.0
    assert _min_distance(tree, pc.table[["x", "y"]].to_numpy()) >= 1.0


def test_threshold_parameter(incidents):
    sub = incidents.iloc[::6]
    loose = point_clusters(sub, eps_m=60, min_samples=3, threshold=3)
    strict = point_clusters(sub, eps_m=60, min_samples=3, threshold=25)
    assert loose.table["incidents"].min() >= 3 and strict.table["incidents"].min() >= 25
    assert strict.n_clusters + strict.n_withheld == loose.n_clusters + loose.n_withheld
    with pytest.raises(ValueError, match="threshold must be a whole number of at least 1"):
        point_clusters(sub, eps_m=60, min_samples=3, threshold=0)


# ----------------------------------------------------------------------------- adversarial layouts

def _lattice(step: float, half: float, skip_radius: float = 0.0) -> np.ndarray:
    g = np.arange(-half, half, step)
    X, Y = np.meshgrid(g, g)
    xy = np.c_[X.ravel(), Y.ravel()]
    return xy[np.hypot(xy[:, 0], xy[:, 1]) > skip_radius] + BASE


LAYOUTS = {
    # incidents exactly on the nodes of the plain 25 m grid and of the offset one
    "on 25 m nodes": (_lattice(25.0, 250), dict(eps_m=30, min_samples=3)),
    "on offset nodes": (_lattice(25.0, 250) + 12.5, dict(eps_m=30, min_samples=3)),
    # a tight cluster inside a field of isolated incidents on every node of all 16 grid offsets
    "field on 6.25 m": (np.r_[np.random.default_rng(0).normal(0, 1, (50, 2)) + BASE, _lattice(6.25, 200, 10)],
                        dict(eps_m=3, min_samples=20)),
    # ... and on every point of the 2.5 m sub-grid the last resort uses: no outline can be drawn
    "field on 2.5 m": (np.r_[np.random.default_rng(1).normal(0, 0.3, (50, 2)) + BASE, _lattice(2.5, 150, 10)],
                       dict(eps_m=2, min_samples=20)),
    "collinear": (np.c_[np.arange(20) * 3.0, np.zeros(20)] + BASE, dict(eps_m=10, min_samples=3)),
    "one location": (np.repeat(BASE[None], 30, axis=0), dict(eps_m=10, min_samples=3)),
    "random": (np.random.default_rng(2).normal(0, 80, (3000, 2)) + BASE, dict(eps_m=15, min_samples=3)),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_adversarial_layouts(name):
    xy, kw = LAYOUTS[name]
    pc = point_clusters(_gdf(xy), **kw)
    tree = cKDTree(xy)
    assert _min_distance(tree, shapely.get_coordinates(pc.hulls.geometry.values)) >= OUTLINE_CLEARANCE_M
    assert _min_distance(tree, pc.table[["x", "y"]].to_numpy()) >= 1.0
    assert (pc.table["incidents"] >= T).all() and pc.n_clusters >= 1
    for c, geom in zip(pc.hulls["cluster"], pc.hulls.geometry):
        assert geom.is_valid and shapely.contains_xy(geom, *xy[pc.labels == c].T).all()
    if name == "field on 2.5 m":  # nowhere to put a vertex: the outline is not drawn, and the note says so
        assert len(pc.hulls) == 0 and any("not drawn" in n for n in pc.notes)
        assert pc.table["area_m2"].isna().all()
    else:
        assert len(pc.hulls) == pc.n_clusters


def test_outline_depends_only_on_the_occupied_cells():
    # two clusters whose incidents sit in the same 25 m cells (of the first grid tried, offset 12.5 m)
    # at different places inside them: the same outline, so an outline cannot tell where in its cell
    # an incident is
    rng = np.random.default_rng(3)
    cells = rng.integers(0, 8, (40, 2))
    origin = BASE + 12.5
    a = origin + (cells + rng.uniform(0.1, 0.9, (40, 2))) * OUTLINE_GRID_M
    b = origin + (cells + rng.uniform(0.1, 0.9, (40, 2))) * OUTLINE_GRID_M
    oa = generalised_outline(a, cKDTree(a), buffer_m=30)
    ob = generalised_outline(b, cKDTree(b), buffer_m=30)
    assert oa is not None and shapely.equals(oa, ob)
    nodes = (shapely.get_coordinates(oa) - origin) / OUTLINE_GRID_M
    assert np.allclose(nodes, np.round(nodes))  # vertices on the grid's nodes
    with pytest.raises(ValueError, match="buffer_m must be at least 25"):
        generalised_outline(a, cKDTree(a), buffer_m=10)


def test_dominant_categories_and_months_by_hand():
    names = ["vol", "vandalisme", "rixe"]
    assert dominant_categories(np.array([30, 11, 0]), names, 41, 11) == "vol 73%, vandalisme 27%"
    assert dominant_categories(np.array([30, 11, 5]), names, 46, 11) == "vol 65%, other 35%"  # other 5 -> fold
    assert dominant_categories(np.array([10, 10, 10]), names, 30, 11) == ""
    assert dominant_categories(np.array([20, 0, 0]), names, 25, 11) == ""  # 5 without a category: other 5
    assert month_bounds(np.array([np.nan] * 20), 11) == (None, None)
    assert month_bounds(np.array([5.0] * 11 + [9.0] * 11), 11) == ("0000-06", "0000-10")


# ----------------------------------------------------------------------------- heat surface

def test_heat_surface_cells_and_extent(incidents):
    with pytest.raises(ValueError, match="at least 25 m"):
        heat_surface(incidents, bandwidth_m=250, cell_m=10)
    with pytest.raises(ValueError, match="at least 25 m"):
        heat_surface(incidents, bandwidth_m=5, cell_m=100)
    hs = heat_surface(incidents.iloc[::10], bandwidth_m=200, cell_m=100)
    assert all(float(b) % 1000 == 0 for b in (hs.bounds[0], hs.bounds[3]))  # no incident's coordinate


def test_heat_surface_never_colours_a_cell_from_few_incidents(incidents, tree):
    units = lg.load_demo().units
    hs = heat_surface(incidents, bandwidth_m=100, cell_m=100, bounds=tuple(units.total_bounds))
    assert hs.bounds[0] == units.total_bounds[0] and hs.bounds[3] == units.total_bounds[3]
    assert hs.withheld.any() and (hs.density[hs.withheld] == 0).all()
    rr, cc = np.nonzero(hs.density > 0)
    centres = np.c_[hs.bounds[0] + (cc + 0.5) * hs.cell_m, hs.bounds[3] - (rr + 0.5) * hs.cell_m]
    # k = ceil(bandwidth / cell) = 1: the 3 x 3 cells around, a square of half-side 150 m
    n = tree.query_ball_point(centres, r=150 - 1e-6, p=np.inf, return_length=True)
    assert n.min() >= T
    iso = np.array([BASE, BASE + 5000])  # two isolated incidents: nothing is coloured
    assert heat_surface(_gdf(iso), bandwidth_m=100, cell_m=50).density.max() == 0


# ----------------------------------------------------------------------------- a headless re-run

LL_TO_L93 = Transformer.from_crs(4326, 2154, always_xy=True)


def _layers(script: str) -> list[tuple[object, dict]]:
    """Every polygon layer of a lillegeo map (geometry as sent, payload), as lillegeo.maps.layer_properties."""
    from lillegeo.maps.layers import _UNITS_JS

    dec = json.JSONDecoder()
    out = []
    for m in re.finditer(r"var (\w+) = " + re.escape(_UNITS_JS) + r"\(", script):
        geoms, i = dec.raw_decode(script, m.end())
        while script[i] in ", \n":
            i += 1
        payload, _ = dec.raw_decode(script, i)
        out.append((geoms, payload))
    return out


def _lonlat(geoms) -> np.ndarray:
    """Vertices as the browser decodes them (lillegeo.maps._UNITS_JS): GeoJSON, or integer deltas / q."""
    if isinstance(geoms, list):
        parts = [shapely.get_coordinates(shapely.from_geojson(json.dumps(g))) for g in geoms if g]
        return np.concatenate(parts) if parts else np.zeros((0, 2))
    return np.cumsum(np.asarray(geoms["c"], dtype=np.int64).reshape(-1, 2), axis=0) / geoms["q"]


def _to_l93(ll: np.ndarray) -> np.ndarray:
    x, y = LL_TO_L93.transform(ll[:, 0], ll[:, 1])
    return np.c_[x, y]


def check_map(script: str, where: str, tree: cKDTree, base_layers: set[str]) -> tuple[list[str], int]:
    """Hull layers: every vertex 1 m or more from every incident, tooltips from 11 incidents or more.
    Other layers: drawn from the units only (the same geometry as a map with no cluster)."""
    bad, hulls = [], 0
    if re.search(r"L\.(circleMarker|marker|circle)\(", script):
        bad.append(f"{where}: a marker is drawn")
    for geoms, payload in _layers(script):
        if payload["fields"] == ["c", "n", "a"]:
            hulls += 1
            ll = _lonlat(geoms)
            if _min_distance(tree, _to_l93(ll)) < 1.0:
                bad.append(f"{where}: an outline vertex is within 1 m of an incident")
            n = pd.to_numeric(pd.Series(payload["props"]["n"]).astype(str).str.replace(r"\D", "", regex=True))
            if ((n > 0) & (n < T)).any():
                bad.append(f"{where}: a tooltip shows a cluster of fewer than {T} incidents")
        elif json.dumps(geoms, sort_keys=True) not in base_layers:
            bad.append(f"{where}: a layer {payload['fields']} is not drawn from the units")
    return bad, hulls


@pytest.fixture(scope="module")
def rerun(tmp_path_factory, monkeypatch_module):
    """The demo recipe re-run headless with small clusters allowed (min 3 incidents, radius 60 m)."""
    from lillegeo import outputs as analysis
    from lillegeo.outputs import run_recipe
    from lillegeo.recipe import Recipe

    given = []
    original = analysis.static_map

    def spy(units, colors, legend, **kw):
        given.append(kw.get("hulls"))
        return original(units, colors, legend, **kw)

    monkeypatch_module.setattr(analysis, "static_map", spy)
    r = Recipe.for_demo().with_params("clusters", eps_m=60.0, algorithm="dbscan", layer="incidents")
    # the stress case: clusters of 3 incidents, below what a recipe accepts (min_samples >= 11), set past the
    # parameter check so that the outputs' own disclosure control is what is tested
    object.__setattr__(r.clusters, "min_samples", 3)
    out = tmp_path_factory.mktemp("rerun")
    run_recipe(r, out)
    return out, [h for h in given if h is not None]


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_rerun_maps_and_slides_draw_no_incident_location(rerun, tree):
    out, _ = rerun
    base_layers = {json.dumps(g, sort_keys=True) for g, _ in _layers((out / "maps" / "hotspots.html").read_text())}
    problems, hull_layers = [], 0
    for f in sorted((out / "maps").glob("*.html")):
        bad, n = check_map(f.read_text(encoding="utf-8"), f.name, tree, base_layers)
        problems += bad
        hull_layers += n
    text = (out / "presentation.html").read_text(encoding="utf-8")
    slides = json.loads(re.search(r'<script id="slides" type="application/json">(.*?)</script>', text, re.S).group(1))
    for i, doc in enumerate(slides):
        bad, n = check_map(doc, f"slide {i + 1}", tree, base_layers)
        problems += bad
        hull_layers += n
    assert not problems, problems[:10]
    assert hull_layers >= 2  # the clusters map and its slide were read (a vacuous scan passes anything)


def test_rerun_tables_and_report(rerun, incidents):
    out, _ = rerun
    problems = []
    for f in sorted((out / "tables").glob("*.csv")):
        df = pd.read_csv(f)
        coords = [c for c in df.columns if str(c).lower() in ("x", "y", "lon", "lat", "longitude", "latitude",
                                                                "geometry")]
        if coords:
            problems.append(f"{f.name}: coordinate columns {coords}")
    clusters = pd.read_csv(out / "tables" / "clusters.csv", dtype={"first": str, "last": str})
    assert len(clusters) > 50
    problems += check_table(clusters, "clusters.csv")
    # the same table in the report, as printed
    found = False
    machine = {header(c): c for c in ("incidents", "dominant_categories", "first", "last")}  # printed headers
    for df in html_tables((out / "report.html").read_text(encoding="utf-8")):
        df = df.rename(columns=machine)
        if "incidents" in df.columns and "dominant_categories" in df.columns:
            found = True
            df["incidents"] = pd.to_numeric(df["incidents"].astype(str).str.replace(r"[^\d]", "", regex=True))
            problems += check_table(df, "report.html")
    assert found and not problems, problems[:10]
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "clusters under 11 incidents withheld" in report


def test_rerun_static_maps_get_the_generalised_outlines(rerun, incidents, tree):
    out, given = rerun
    assert len(given) == 1 and (out / "maps" / "clusters.png").stat().st_size and (out / "maps" / "clusters.pdf").exists()
    hulls = given[0]
    assert len(hulls) > 50 and (hulls["incidents"] >= T).all()
    assert _min_distance(tree, shapely.get_coordinates(hulls.geometry.values)) >= OUTLINE_CLEARANCE_M
    same = point_clusters(incidents, algorithm="dbscan", eps_m=60, min_samples=3)
    assert shapely.equals(np.asarray(hulls.geometry.values), np.asarray(same.hulls.geometry.values)).all()


def test_summary_caption_withholds_small_noise_and_totals():
    # 12 incidents in one 30 m spot and 3 isolated ones: 1 cluster of 12 shown; the 3 noise incidents and
    # the total are fine to count only when they reach the threshold (a narrow filter leaves few)
    xy = np.vstack([BASE + np.c_[np.arange(12) * 2.0, np.zeros(12)], BASE + [[5000, 0], [0, 5000], [5000, 5000]]])
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=2154)
    pc = point_clusters(pts, eps_m=50, min_samples=11)
    assert (pc.n_clusters, pc.n_noise, pc.n_points) == (1, 3, 15)
    assert pc.summary_text("en") == "1 clusters; fewer than 11 of 15 incidents are noise (in no cluster)."
    assert pc.summary_text("fr").startswith("1 agrégats ; moins de 11 incidents sur 15")
    few = point_clusters(pts.iloc[12:], eps_m=50, min_samples=11)
    assert few.summary_text("en") == "0 clusters; fewer than 11 of fewer than 11 incidents are noise (in no cluster)."
