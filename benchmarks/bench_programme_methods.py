"""Programme-evaluation methods at national scale: 48,600 units x 36 months, about 1 M events.

A seeded Poisson panel (unit and month effects; 60 treated units whose rate falls by a quarter from
month 19, 120 buffer units) is built in memory, then each method of
:mod:`lillegeo.programme.methods` is timed on it; prints the wall-clock seconds, the estimate and its
interval. The figures depend on the machine and its load: compare runs made on the same machine.

    python benchmarks/bench_programme_methods.py [n_units]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd

from lillegeo.programme import methods as m


def national_panel(n_units: int = 48_600, n_periods: int = 36, n_treated: int = 60, n_buffer: int = 120,
                   events: float = 1_000_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    periods = pd.date_range("2021-01-01", periods=n_periods, freq="MS")
    start = periods[n_periods // 2]
    unit_fx = np.exp(rng.normal(0, 0.8, n_units))
    period_fx = np.exp(rng.normal(0, 0.05, n_periods))
    mu = np.outer(unit_fx, period_fx)
    mu *= events / mu.sum()
    idx = np.arange(n_units)
    role = np.where(idx < n_treated, "treated", np.where(idx < n_treated + n_buffer, "buffer", "control"))
    mu[idx < n_treated, n_periods // 2:] *= 0.75
    return pd.DataFrame({
        "unit": np.repeat([f"{u:09d}" for u in idx], n_periods),
        "period": np.tile(periods, n_units),
        "count": rng.poisson(mu).ravel().astype(float),
        "role": np.repeat(role, n_periods),
        "start": np.where(np.repeat(role, n_periods) == "control", pd.NaT, start),
        "area": np.where(np.repeat(role, n_periods) == "control", "", "A"),
    }).astype({"start": "datetime64[ns]"})


def main() -> None:
    n_units = int(sys.argv[1]) if len(sys.argv) > 1 else 48_600
    t = time.perf_counter()
    panel = national_panel(n_units)
    print(f"panel: {n_units:,} units x 36 months, {int(panel['count'].sum()):,} events, "
          f"built in {time.perf_counter() - t:.1f} s")
    runs = {"wdd": m.wdd_panel, "before_after (Poisson)": m.before_after,
            "before_after (NB2)": lambda p: m.before_after(p, family="negbin"), "did": m.did,
            "event": m.event_study, "synth (40 donors, 40 placebos)": m.synth}
    for name, fn in runs.items():
        t = time.perf_counter()
        e = fn(panel)
        print(f"{name:32s} {time.perf_counter() - t:6.1f} s   estimate {e.estimate:.3f} "
              f"[{e.ci_low:.3f}, {e.ci_high:.3f}] ({e.scale})")
    t = time.perf_counter()
    pt = m.pretrend(panel)
    print(f"{'pretrend':32s} {time.perf_counter() - t:6.1f} s   p = {pt.p_value:.3f}")


if __name__ == "__main__":
    main()
