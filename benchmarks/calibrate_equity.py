"""Calibration of the bias flag over many seeds of the demo generator.

For each seed, recorded crime is redrawn (Poisson around the demo's incident counts) and identity
checks are simulated with the generator's own function (``lillegeo.demo.simulate_checks``) at a
given bias (rate ratio per 10 points of immigrant share).  The benchmark model
(``lillegeo.equity.benchmark_model``) is fitted and its flag (95 % interval excludes 1) recorded.

Prints, per true rate ratio: how often the flag fires (false positive rate at 1.0, power at 1.5),
how often the 95 % interval contains the true rate ratio (coverage), and, for contrast, how often
the unadjusted exposure ratio is flagged.

    python benchmarks/calibrate_equity.py [--seeds 200]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from lillegeo import load_demo  # noqa: E402
from lillegeo.demo import DemoConfig, simulate_checks  # noqa: E402
from lillegeo.equity import benchmark_model, exposure_ratio  # noqa: E402


def calibrate(seeds: int = 200, rates: tuple[float, ...] = (1.0, 1.5), bootstrap: int = 199) -> pd.DataFrame:
    ds = load_demo()
    u = ds.units
    pop = u["P21_POP"].to_numpy(float)
    share = np.where(pop > 0, u["P21_POP_IMM"].to_numpy(float) / np.maximum(pop, 1e-9), 0.0)
    base = u["incidents"].to_numpy(float)
    cpi = DemoConfig().checks_per_incident
    ad = u["unit_type"].isin(["A", "D"]).to_numpy()
    rows = []
    for rr in rates:
        flags, covers, exp_flags, ests = [], [], [], []
        for seed in range(seeds):
            rng = np.random.default_rng(10_000 + seed)
            crime = rng.poisson(base)
            checks = simulate_checks(crime, share, bias_rr=rr, checks_per_incident=cpi, rng=rng)
            frame = u[["unit_id", "unit_type", "commune_id", "P21_POP", "P21_POP_IMM"]].assign(
                checks=checks, crime=crime)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = benchmark_model(frame, enforcement="checks", crime="crime", population="P21_POP",
                                    share=pd.Series(share, index=u.index))
            flags.append(m.flag)
            covers.append(m.ci_low <= rr <= m.ci_high)
            ests.append(m.rate_ratio)
            burden = pd.Series(np.where((pop > 0) & ~ad, checks / np.maximum(pop, 1e-9) * 1000, np.nan), index=u.index)
            e = exposure_ratio(frame.assign(b=burden), "b", "P21_POP_IMM", population="P21_POP",
                               bootstrap=bootstrap, seed=seed)
            exp_flags.append(e.flag)
        rows.append({"true rate ratio": rr, "seeds": seeds, "model flag rate": np.mean(flags),
                     "95% CI coverage": np.mean(covers), "mean estimate": np.mean(ests),
                     "exposure-ratio flag rate (not adjusted for crime)": np.mean(exp_flags)})
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=200)
    args = ap.parse_args()
    t = time.perf_counter()
    table = calibrate(args.seeds)
    pd.set_option("display.width", 160)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    fpr = table.loc[table["true rate ratio"] == 1.0, "model flag rate"].item()
    power = table.loc[table["true rate ratio"] == 1.5, "model flag rate"].item()
    print(f"\nfalse positive rate (no bias): {fpr:.1%} (target <= 5%); power at 1.5: {power:.1%} (target >= 80%); "
          f"coverage: {table['95% CI coverage'].min():.1%}-{table['95% CI coverage'].max():.1%} (target ~95%)")
    print(f"{args.seeds} seeds x {len(table)} rates in {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
