"""Point clustering at city scale: 100,000 demo incidents with DBSCAN (kd-tree), on this machine.

Prints wall-clock figures and, as the stable number, the ratio against a baseline run in the same
process (brute-force neighbour search on a 20,000-point subsample, per point).

    python benchmarks/bench_clusters.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geopandas as gpd
import numpy as np
import shapely
from sklearn.cluster import DBSCAN

from lillegeo.demo import DemoConfig, generate_demo
from lillegeo.hotspots import point_clusters


def main() -> None:
    t0 = time.perf_counter()
    demo = generate_demo(DemoConfig(n_incidents=100_000))
    inc = demo["incidents"]
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(inc["longitude"], inc["latitude"]), crs=4326).to_crs(2154)
    print(f"generated {len(pts):,} incidents in {time.perf_counter() - t0:.1f} s")

    t = time.perf_counter()
    pc = point_clusters(pts, algorithm="dbscan", eps_m=120, min_samples=150)
    tree_s = time.perf_counter() - t
    print(f"lillegeo.point_clusters DBSCAN kd-tree, 100,000 points: {tree_s:.2f} s "
          f"({pc.n_clusters} clusters, {pc.n_noise:,} noise)")

    xy = shapely.get_coordinates(pts.geometry.values)
    sub = xy[np.random.default_rng(0).choice(len(xy), 20_000, replace=False)]
    t = time.perf_counter()
    DBSCAN(eps=120, min_samples=30, algorithm="kd_tree").fit(sub)
    tree_sub = time.perf_counter() - t
    t = time.perf_counter()
    DBSCAN(eps=120, min_samples=30, algorithm="brute").fit(sub)
    brute_sub = time.perf_counter() - t
    print(f"20,000-point subsample: kd-tree {tree_sub:.2f} s, brute force {brute_sub:.2f} s, "
          f"ratio brute/tree = {brute_sub / tree_sub:.1f}x")

    t = time.perf_counter()
    h = point_clusters(pts, algorithm="hdbscan", eps_m=120, min_samples=150)
    print(f"HDBSCAN kd-tree, 100,000 points: {time.perf_counter() - t:.2f} s ({h.n_clusters} clusters)")


if __name__ == "__main__":
    main()
