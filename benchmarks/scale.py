"""Time and size every stage at national scale, each against a naive baseline in the same run.

    python benchmarks/national_data.py      # once: ~48,600 units, 1,000,000 incidents (~10 s)
    python benchmarks/scale.py              # prints the Markdown table (README "Performance")
    python benchmarks/scale.py --no-browser # without the Chromium and Streamlit rows

Peak memory is the largest resident-set growth of this process during the stage, sampled every
10 ms (/proc/self/status). Baselines that cannot run on the full data in reasonable time are run on
a sample and scaled (linearly, or quadratically for all-pairs methods); the table says so.
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import shapely  # noqa: E402

import lillegeo as lg  # noqa: E402
from benchmarks.national_data import DEFAULT_OUT  # noqa: E402
from benchmarks.sessions import rss_mib  # noqa: E402


class Peak:
    """Largest RSS growth of this process while the block runs (sampled every 10 ms)."""

    def __enter__(self):
        import os

        gc.collect()
        self.pid = os.getpid()
        self.start = self.peak = rss_mib(self.pid)
        self._stop = False
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        self.t0 = time.perf_counter()
        return self

    def _run(self):
        while not self._stop:
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(0.01)

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        self._stop = True
        self._t.join()
        self.peak = max(self.peak, rss_mib(self.pid))
        self.mib = self.peak - self.start


@dataclass
class Row:
    stage: str
    size: str
    ours_s: float
    ours_mib: float
    naive: str
    naive_s: float
    note: str = ""

    def md(self) -> str:
        def f(v, fmt):
            return "–" if v != v else format(v, fmt)  # NaN: not measured / did not finish

        ratio = f"{self.naive_s / self.ours_s:,.1f}×" if self.ours_s > 0 and self.naive_s == self.naive_s else "–"
        return (f"| {self.stage} | {self.size} | {f(self.ours_s, ',.2f')} | {f(self.ours_mib, ',.0f')} | "
                f"{self.naive} | {f(self.naive_s, ',.1f')} | {ratio} | {self.note} |")


def naive_read_gpkg(path: Path) -> gpd.GeoDataFrame:
    """Row by row: SQLite cursor, GeoPackage blob header stripped by hand, one WKB parse per row."""
    con = sqlite3.connect(path)
    table = con.execute("select table_name from gpkg_contents where data_type='features'").fetchone()[0]
    cur = con.execute(f'select * from "{table}"')
    cols = [d[0] for d in cur.description]
    gcol = con.execute("select column_name from gpkg_geometry_columns").fetchone()[0]
    rows, geoms = [], []
    for rec in cur:
        rec = dict(zip(cols, rec))
        blob = rec.pop(gcol)
        env = (blob[3] >> 1) & 0b111
        off = 8 + {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[env]
        geoms.append(shapely.from_wkb(bytes(blob[off:])))
        rows.append(rec)
    con.close()
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=2154)


def naive_join(units: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """csv module, a dict, and a Python loop over units and columns."""
    import csv

    with open(path, encoding="utf-8") as f:
        r = csv.reader(f, delimiter=";")
        head = next(r)
        table = {row[0]: row[1:] for row in r}
    out = units.copy()
    for j, c in enumerate(head[1:]):
        out[c] = [float(table[u][j]) if u in table else np.nan for u in out["unit_id"]]
    return out


class Rows(list):
    def append(self, row):  # progress on stderr as each stage ends
        super().append(row)
        print(row.md(), file=sys.stderr, flush=True)


def run(data: Path, browser: bool) -> list[Row]:
    from lillegeo import hotspots as hs
    from lillegeo.maps.geometry import _DISPLAY_CACHE

    rows: list[Row] = Rows()
    print("reading contours…", flush=True, file=sys.stderr)
    with Peak() as p:
        units, _ = lg.read_units(data / "iris.gpkg")
    with Peak() as q:
        naive_units = naive_read_gpkg(data / "iris.gpkg")
    nv = int(shapely.get_num_coordinates(units.geometry.values).sum())
    rows.append(Row("reading contours (GeoPackage)", f"{len(units):,} units, {nv / 1e6:.1f} M vertices", p.seconds,
                    p.mib, "row-by-row SQLite + WKB", q.seconds, "ours: pyogrio, validity and CRS checks included"))
    del naive_units

    with Peak() as p:
        table, _ = lg.read_table(data / "census.csv")
        joined, jr = lg.join_table(units, table)
    with Peak() as q:
        naive_join(units, data / "census.csv")
    rows.append(Row("joining the census table", f"{len(table):,} rows, {jr.matched:,} matched", p.seconds, p.mib,
                    "csv module + Python loop", q.seconds))

    inc = pd.read_parquet(data / "incidents.parquet")
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(inc["x"], inc["y"]), crs=2154)
    with Peak() as p:
        counts, rep = lg.aggregate_points(pts, joined, name="incidents")
    sample = pts.geometry.values[:200]
    geoms = np.asarray(joined.geometry.values)
    with Peak() as q:
        for g in sample:  # no index: test every unit
            np.flatnonzero(shapely.intersects(geoms, g))[:1]
    rows.append(Row("aggregating points to units", f"{len(pts):,} incidents", p.seconds, p.mib,
                    "point-in-polygon without index (200 pts, ×5,000)", q.seconds * len(pts) / len(sample),
                    "ours: STRtree spatial join"))
    joined = joined.join(counts, on="unit_id")

    hs._WEIGHTS_CACHE.clear()
    with Peak() as p:
        lg.compute_indicator(joined, "incidents", per="P21_POP", smoothing="spatial_eb")
    import libpysal
    from esda.smoothing import Spatial_Empirical_Bayes

    with Peak() as q:
        w0 = libpysal.weights.Queen.from_dataframe(joined[["geometry"]].reset_index(drop=True), use_index=False,
                                                   silence_warnings=True)
        w0.id_order = list(range(w0.n))
        Spatial_Empirical_Bayes(joined[["incidents"]].to_numpy(float), joined[["P21_POP"]].to_numpy(float), w0)
    rows.append(Row("rates and spatial EB smoothing", "queen weights built", p.seconds, p.mib,
                    "libpysal Queen + esda", q.seconds, "ours: vectorised vertex rule, cached by content"))

    hs._WEIGHTS_CACHE.clear()
    with Peak() as p:
        res = hs.area_hotspots(joined, "incidents", permutations=999, seed=0)
    from esda import G_Local

    with Peak() as q:
        w1 = libpysal.weights.Queen.from_dataframe(joined[["geometry"]].reset_index(drop=True), use_index=False,
                                                   silence_warnings=True)
        G_Local(joined["incidents"].to_numpy(float), w1, transform="B", permutations=999, star=True, seed=0,
                n_jobs=1)
    rows.append(Row("Gi* with 999 permutations", f"{len(joined):,} units, {int((res.frame['bin'] != 0).sum()):,} "
                    "significant", p.seconds, p.mib, "libpysal Queen + esda G_Local", q.seconds,
                    "weights included (cold cache)"))

    with Peak() as p:
        pc = hs.point_clusters(pts, algorithm="dbscan", eps_m=150, min_samples=20)
    from sklearn.cluster import DBSCAN

    sub = shapely.get_coordinates(pts.geometry.values[:: len(pts) // 20_000][:20_000])
    with Peak() as q:
        DBSCAN(eps=150, min_samples=20, algorithm="brute").fit(sub)
    rows.append(Row("DBSCAN (150 m, 20 incidents)", f"{len(pts):,} incidents, {pc.table.shape[0]:,} clusters",
                    p.seconds, p.mib, "brute force (20,000 pts, ×2,500: all pairs)",
                    q.seconds * (len(pts) / len(sub)) ** 2, "ours: kd-tree on locations merged on a 15 m grid, weighted"))

    ci0 = pd.read_csv(data / "city_incidents.csv").sample(20_000, random_state=1)
    city = gpd.GeoDataFrame(geometry=gpd.points_from_xy(ci0["x"], ci0["y"]), crs=2154)
    with Peak() as p:
        hs.point_clusters(city, algorithm="hdbscan", eps_m=150, min_samples=20)
    from sklearn.cluster import HDBSCAN

    with Peak() as q:
        HDBSCAN(min_cluster_size=20, min_samples=20, algorithm="brute").fit(shapely.get_coordinates(city.geometry.values))
    rows.append(Row("HDBSCAN", "20,000 city incidents", p.seconds, p.mib, "brute-force distances", q.seconds,
                    "kd-tree; on 1 M incidents not attempted (super-linear)"))

    ci = pd.read_csv(data / "city_incidents.csv")  # the city-scale subset: 100,000 incidents in 600 units
    cpts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(ci["x"], ci["y"]), crs=2154)
    with Peak() as p:
        heat = hs.heat_surface(cpts, bandwidth_m=250, cell_m=100)
    from scipy.stats import gaussian_kde

    xy = shapely.get_coordinates(cpts.geometry.values)
    grid = np.c_[np.random.default_rng(0).uniform(xy.min(0), xy.max(0), size=(500, 2))]
    with Peak() as q:
        gaussian_kde(xy.T, bw_method=250 / xy.std(axis=0).mean())(grid.T)
    n_cells = int(heat.density.size)
    rows.append(Row("kernel density (250 m, 100 m cells)", f"{len(cpts):,} incidents, {n_cells:,} cells", p.seconds,
                    p.mib, f"scipy gaussian_kde, exact (500 cells, ×{n_cells / 500:,.0f})",
                    q.seconds * n_cells / 500, "ours: 20 m bins + Gaussian filter (exact kd-tree sum on small grids)"))

    from lillegeo.equity import exposure_ratio

    joined["burden"] = joined["incidents"] / joined["P21_POP"] * 1000
    joined["P21_POP_NIMM"] = joined["P21_POP"] - joined["P21_POP_IMM"]
    with Peak() as p:
        exposure_ratio(joined, "burden", "P21_POP_IMM", "P21_POP_NIMM", bootstrap=999, seed=0)
    rng = np.random.default_rng(0)
    with Peak() as q:
        for _ in range(50):
            s = joined.iloc[rng.integers(0, len(joined), len(joined))]
            (s["P21_POP_IMM"] * s["burden"]).sum() / s["P21_POP_IMM"].sum()
            (s["P21_POP_NIMM"] * s["burden"]).sum() / s["P21_POP_NIMM"].sum()
    rows.append(Row("equity bootstrap (999 resamples)", f"{len(joined):,} units", p.seconds, p.mib,
                    "pandas loop (50 resamples, ×20)", q.seconds * 999 / 50))

    ind = lg.compute_indicator(joined, "incidents", per="P21_POP")
    _DISPLAY_CACHE.clear()
    out = Path(tempfile.mkdtemp(prefix="lillegeo-scale-"))
    with Peak() as p:
        m = lg.choropleth_map(joined, ind, assets="inline")
        ours_html = lg.to_offline_html(m)
    import folium

    with Peak() as q:
        nm = folium.Map(location=[46.6, 2.5], zoom_start=6, tiles=None)
        folium.GeoJson(joined[["unit_id", "unit_name", "geometry"]].to_crs(4326).to_json()).add_to(nm)
        naive_html = lg.to_offline_html(nm)  # Leaflet inlined in both, so both draw offline
    (out / "ours.html").write_text(ours_html, encoding="utf-8")
    (out / "naive.html").write_text(naive_html, encoding="utf-8")
    rows.append(Row("map payload to the browser", f"{len(ours_html) / 2**20:,.1f} MB vs {len(naive_html) / 2**20:,.1f} MB "
                    f"(**{len(naive_html) / len(ours_html):,.1f}× smaller**)", p.seconds, p.mib,
                    "folium.GeoJson, full geometry", q.seconds,
                    "offline HTML, Leaflet inlined in both; ours: coverage-simplified, rounded to the zoom, "
                    "tooltips and legend included"))
    if browser:
        t_ours, t_naive, h_ours, h_naive = draw_times(out / "ours.html", out / "naive.html", len(joined))
        rows.append(Row("polygons drawn in Chromium", f"{len(joined):,} units", t_ours, h_ours,
                        "folium.GeoJson (SVG)", t_naive, "from navigation to every unit on the map (– = not "
                        f"within 240 s); memory: the page's JavaScript heap then (naive: {h_naive:,.0f} MiB)"))
        import pyogrio

        from benchmarks.rerun import measure

        city = data / "city_demo"
        if (city / "units.geojson").exists():
            print("city app in Chromium…", flush=True, file=sys.stderr)
            n_city = pyogrio.read_info(city / "units.geojson")["features"]
            r = measure(city, n_city)
            rows.append(Row("city: Explore map drawn after a page load", f"{n_city} units, data cached",
                            r["map_drawn_s"], float("nan"), "–", float("nan"), "target 1.5 s"))
            rows.append(Row("city: page rerun after a widget change (smoothing)", f"{n_city} units, data cached",
                            r["rerun_s"], r["server_rerun_mib"], "rerun of an empty Streamlit page", r["empty_rerun_s"],
                            f"target 2× the empty page: **{r['ratio']:.1f}×**; clicks right after the previous "
                            f"redraw: {r['ratio_back_to_back']:.1f}×; memory: app server growth"))
    return rows


def draw_times(ours: Path, naive: Path, n: int, timeout_s: float = 240) -> tuple[float, float, float, float]:
    """Seconds from navigation until every unit is on the map, for two offline HTML files, and the
    page's JavaScript heap then (MiB)."""
    from playwright.sync_api import sync_playwright

    from benchmarks.sessions import ARGS, CHROMIUM

    js = """(n) => { if (!window.map && !Object.keys(window).some(k => k.startsWith('map_'))) return false;
        const m = window.map || window[Object.keys(window).find(k => k.startsWith('map_'))];
        let c = 0; m.eachLayer(l => { if (l.feature) c++; }); return c >= n; }"""
    times, heaps = [], []
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for f in (ours, naive):
            pg = b.new_page(viewport={"width": 1400, "height": 900})
            pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:", "blob:"))
                     else r.abort())
            t0 = time.perf_counter()
            try:
                pg.goto(f.as_uri(), timeout=timeout_s * 1000)
                pg.wait_for_function(js, arg=n, timeout=timeout_s * 1000, polling=100)
                pg.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                times.append(time.perf_counter() - t0)
                heaps.append(pg.evaluate("() => performance.memory.usedJSHeapSize") / 2**20)
            except Exception:  # noqa: BLE001 - too slow: reported as the timeout
                times.append(float("nan"))
                heaps.append(float("nan"))
            pg.close()
        b.close()
    return times[0], times[1], heaps[0], heaps[1]


def table(rows: list[Row]) -> str:
    lines = ["| stage | size | ours (s) | ours peak (MiB) | naive baseline | naive (s) | speed-up | note |",
             "|---|---|---:|---:|---|---:|---:|---|"]
    return "\n".join(lines + [r.md() for r in rows])


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="national-scale stage timings against naive baselines")
    ap.add_argument("--data", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON")
    a = ap.parse_args()
    if not (a.data / "iris.gpkg").exists():
        sys.exit(f"no data in {a.data}: run python benchmarks/national_data.py first")
    rows = run(a.data, browser=not a.no_browser)
    print(table(rows))
    if a.json:
        a.json.write_text(json.dumps([r.__dict__ for r in rows], indent=1))
