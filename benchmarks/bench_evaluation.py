"""Hotspot evaluation (Hotspots page, Evaluation tab) on the demo: where the time goes, and the
ratio of the current pipeline to the previous one, run in the same process.

The baseline repeats what ``compare_methods`` did before (the exact kernel density of every
period-1 incident at every 100 m cell, the incident counts aggregated once per area method, and
the readers' ``attrs`` deep-copied by pandas on every selection of the points). The ratio, not
the seconds, is the stable number on a shared machine.

    python benchmarks/bench_evaluation.py            # timings and ratio
    python benchmarks/bench_evaluation.py --profile  # plus the 20 heaviest calls (cProfile)
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import shapely

from lillegeo import load_demo
from lillegeo.hotspots import area_hotspots, filter_points, heat_surface, point_clusters
from lillegeo.hotspots.evaluation import evaluate_methods, study_area
from lillegeo.indicators import aggregate_points
from lillegeo.params import EvaluationParams
from lillegeo.pipeline import run_evaluation

P1, P2 = ("2022-01-01", "2024-01-01"), ("2024-01-01", "2025-01-01")


def baseline(units, points, p: EvaluationParams):
    """The evaluation as it ran before this change (same parameters, same methods)."""
    p1 = filter_points(points, start=P1[0], end=P1[1])
    p2 = filter_points(points, start=P2[0], end=P2[1])
    A = study_area(units)
    areas = {}
    for mth in ("dbscan", "hdbscan"):
        pc = point_clusters(p1, algorithm=mth, eps_m=p.eps_m, min_samples=p.min_samples, seed=p.seed)
        areas[mth] = shapely.union_all(np.asarray(pc.hulls.geometry.values))
    for mth in ("gi_star", "local_moran"):
        counts, _ = aggregate_points(p1, units, name="n")
        res = area_hotspots(units, counts["n"].to_numpy(), method=mth, weights=p.weights,
                            permutations=p.permutations, alpha=p.alpha, seed=p.seed)
        areas[mth] = shapely.union_all(np.asarray(units.geometry.values)[res.hot().to_numpy()])
    hs = heat_surface(p1, bandwidth_m=p.bandwidth_m, cell_m=p.cell_m, bounds=tuple(units.total_bounds), exact=True)
    cells = hs.cells(hs.top_share_mask(p.kde_share * A / (hs.density.size * hs.cell_m ** 2)))
    areas["kde"] = shapely.union_all(np.asarray(cells.geometry.values))
    return evaluate_methods(areas, p1, p2, A)


def main() -> None:
    ds = load_demo()
    p = EvaluationParams(period1=(2022, 2023), period2=2024)
    run_evaluation(ds, p.replace(permutations=99))  # warm up: imports, weights cache
    t = time.perf_counter()
    old = baseline(ds.units, ds.points[p.layer], p)
    old_s = time.perf_counter() - t
    prof = cProfile.Profile() if "--profile" in sys.argv else None
    t = time.perf_counter()
    if prof:
        prof.enable()
    new = run_evaluation(ds, p).table
    if prof:
        prof.disable()
    new_s = time.perf_counter() - t
    print(f"{len(ds.points[p.layer]):,} demo incidents, periods 2022-2023 -> 2024, {p.permutations} permutations")
    print(f"baseline (previous evaluation): {old_s:.2f} s")
    print(f"run_evaluation (current):       {new_s:.2f} s")
    print(f"ratio current / baseline: {new_s / old_s:.2f}")
    print(new[["method", "hit_rate_2", "pai_2", "rri"]].to_string(index=False))
    print(f"baseline PAI period 2: {np.round(old['pai_2'].to_numpy(), 2).tolist()}")
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(20)


if __name__ == "__main__":
    main()
