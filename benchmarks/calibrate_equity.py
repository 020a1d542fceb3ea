"""Calibration of the profiling verdict on the demo geometry: false *robust* verdicts and power.

For each replication, recorded crime is redrawn around the demo's incident counts and identity
checks are simulated with the generator's own function (``lillegeo.demo.simulate_checks``), then
``lillegeo.equity.benchmark_model`` gives its verdict (robust / fragile / no evidence; robust
needs every specification of the robustness table to exclude 1 and a tipping recording gradient
above the 5 % tolerance).  Scenarios, all without any bias unless a true rate ratio is given:

- correct model: checks follow recorded crime exactly as the model says;
- noisy proxy: checks follow true crime; the crime recorded is a sparse offence (about 10 per unit);
- recording gradient 3 % (under the tolerance): recorded crime 3 % lower per 10 points of share;
- spatially autocorrelated errors: log checks shifted by a SAR(ρ) field, (ρ 0.7, sd 0.3) and (0.85, 0.5);
- nonlinearity: checks convex in the log crime rate (exp(0.15 z²), z the standardised log rate);
- spill-over: checks also follow neighbours' crime (exp(0.5 * (W log rate - mean)));
- power: the correct model with true rate ratios 1.3 and 1.5 per 10 points.

Prints the share of replications per verdict and checks the targets (false robust <= 5 % under the
correct model, <= 10 % under each departure, power >= 80 % at 1.5).

    python benchmarks/calibrate_equity.py [--reps 20] [--only 'noisy'] [--jobs 2]
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
from lillegeo.equity import benchmark_model  # noqa: E402
from lillegeo.weights import build_weights  # noqa: E402

SCENARIOS = ("correct model", "noisy proxy (~10 per unit)", "recording gradient 3%", "SAR errors rho 0.7 sd 0.3",
             "SAR errors rho 0.85 sd 0.5", "nonlinear (convex in log rate)", "spill-over (neighbours' crime)",
             "power at rate ratio 1.3", "power at rate ratio 1.5")


def _draw(name: str, rng: np.random.Generator, base, share, pop, w_dense, cpi) -> tuple[np.ndarray, np.ndarray]:
    """(recorded crime, checks) for one replication of scenario ``name``."""
    true_crime = rng.poisson(base)
    recorded, factor, rr = true_crime, np.ones(len(base)), 1.0
    log_rate = np.log((true_crime + 0.5) / pop * 1000)
    if name.startswith("noisy"):
        recorded = rng.poisson(base * 10 / base.mean())
    elif name.startswith("recording"):
        recorded = rng.binomial(true_crime, 0.97 ** (10 * share))
    elif name.startswith("SAR"):
        rho, sd = (0.7, 0.3) if "0.7 " in name else (0.85, 0.5)
        e = np.linalg.solve(np.eye(len(base)) - rho * w_dense, rng.normal(0, sd, len(base)))
        factor = np.exp(e - e.mean())
    elif name.startswith("nonlinear"):
        z = (log_rate - log_rate.mean()) / log_rate.std()
        factor = np.exp(0.15 * z ** 2)
    elif name.startswith("spill"):
        lag = w_dense @ log_rate
        factor = np.exp(0.5 * (lag - lag.mean()))
    elif name.startswith("power"):
        rr = float(name.rsplit(" ", 1)[1])
    checks = simulate_checks((true_crime + 0.5) * factor - 0.5, share, bias_rr=rr, checks_per_incident=cpi, rng=rng)
    return recorded, checks


_CTX: dict = {}


def _context() -> dict:
    """The demo geometry and what every replication shares (built once per process)."""
    if not _CTX:
        u = load_demo().units
        pop = u["P21_POP"].to_numpy(float)
        w = build_weights(u, "queen")
        w.transform = "r"
        _CTX.update(u=u, pop=pop, share=np.where(pop > 0, u["P21_POP_IMM"].to_numpy(float) / np.maximum(pop, 1e-9), 0.0),
                    base=u["incidents"].to_numpy(float), cpi=DemoConfig().checks_per_incident, w_dense=w.full()[0])
    return _CTX


def _one(name: str, rep: int) -> str:
    """The verdict of one replication ('failed' when the main fit could not be reported)."""
    c = _context()
    u, share = c["u"], c["share"]
    rng = np.random.default_rng(20_000 + rep)
    recorded, checks = _draw(name, rng, c["base"], share, c["pop"], c["w_dense"], c["cpi"])
    frame = u[["unit_id", "unit_type", "commune_id", "P21_POP", "geometry"]].assign(checks=checks, crime=recorded)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return benchmark_model(frame, enforcement="checks", crime="crime", population="P21_POP",
                                   share=pd.Series(share, index=u.index)).verdict
        except ValueError:
            return "failed"


def _wilson(k: int, n: int) -> str:
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson") if n else (np.nan, np.nan)
    return f"{lo:.0%}-{hi:.0%}"


def calibrate(reps: int = 20, scenarios: tuple[str, ...] = SCENARIOS, jobs: int = 1) -> pd.DataFrame:
    tasks = [(name, rep) for name in scenarios for rep in range(reps)]
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs) as ex:
            got = list(ex.map(_one, *zip(*tasks), chunksize=max(1, len(tasks) // (8 * jobs))))
    else:
        got = [_one(*task) for task in tasks]
    rows = []
    for name in scenarios:
        v = pd.Series([g for (n, _), g in zip(tasks, got) if n == name], dtype=object)
        ok = v[v != "failed"]
        k = int((ok == "robust").sum())
        rows.append({"scenario": name, "reps": reps, "robust": k / max(len(ok), 1), "robust 95% CI": _wilson(k, len(ok)),
                     "fragile": (ok == "fragile").mean(), "no evidence": (ok == "no_evidence").mean(),
                     "failed fits": int((v == "failed").sum())})
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--only", default="", help="run only the scenarios whose name starts with this text")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (replications are independent)")
    args = ap.parse_args()
    t = time.perf_counter()
    chosen = tuple(s for s in SCENARIOS if s.startswith(args.only)) or SCENARIOS
    table = calibrate(args.reps, chosen, args.jobs)
    if args.only:
        pd.set_option("display.width", 160)
        print(table.to_string(index=False, float_format=lambda v: f"{v:.0%}"))
        print(f"{args.reps} replications in {time.perf_counter() - t:.0f} s")
        return
    pd.set_option("display.width", 160)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.0%}"))
    rob = table.set_index("scenario")["robust"]
    departures = [s for s in rob.index if not s.startswith(("correct", "power"))]
    print(f"\nfalse robust, correct model: {rob['correct model']:.0%} (target <= 5%); worst departure: "
          f"{rob[departures].max():.0%} ({rob[departures].idxmax()}; target <= 10%); "
          f"power at 1.5: {rob['power at rate ratio 1.5']:.0%} (target >= 80%)")
    print(f"{args.reps} replications x {len(table)} scenarios in {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
