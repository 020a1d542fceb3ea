"""Reliability figures, all measured here and written to docs/RELIABILITY.md:

- every case of the bad-input corpus through the library, the command line and the app's Data page
  (Streamlit AppTest uploads): clear messages (naming the problem), documented repairs, crashes;
- concurrent browser sessions on the demo (benchmarks/sessions.py: Chromium, real server), response
  times, server memory per session, and an audit of the server log for row-level data;
- the disclosure walk (tests/app/test_disclosure.py) run on every page, map and download.

    python benchmarks/reliability.py            # about 2 minutes
    python benchmarks/reliability.py --no-browser
    python benchmarks/reliability.py --large      # with a 200 MB points file (about 1 more minute)
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lillegeo as lg  # noqa: E402
from lillegeo.__main__ import main  # noqa: E402
from tests.corpus.cases import cases  # noqa: E402
from tests.test_corpus import cli_args  # noqa: E402

READERS = {"units": lg.read_units, "table": lg.read_table, "points": lg.read_points}


def run() -> tuple[list[dict], float]:
    rows = []
    t0 = time.perf_counter()
    for c in cases():
        data = c.make()
        outcome, detail = "", ""
        try:
            _, rep = READERS[c.kind](data, name=c.filename, **(c.kwargs or {}))
            outcome, detail = "repair" if rep.messages else "read", "; ".join(rep.messages)[:90]
        except ValueError as exc:
            outcome, detail = "clear message", str(exc)[:90]
        except Exception as exc:  # noqa: BLE001 - counted as a crash
            outcome, detail = "CRASH", f"{type(exc).__name__}: {exc}"[:90]
        cli = ""
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / c.filename
            f.write_bytes(data)
            args = cli_args(c, f, Path(d))
            err = io.StringIO()
            try:
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    rc = main(args)
                cli = "ok" if rc == 0 else ("message" if "Traceback" not in err.getvalue() else "TRACEBACK")
            except Exception:  # noqa: BLE001
                cli = "CRASH " + traceback.format_exc(limit=1).splitlines()[-1][:60]
        rows.append({"case": c.name, "kind": c.kind, "library": outcome, "cli": cli or "-", "detail": detail,
                     "app": app_outcome(c)})
    return rows, time.perf_counter() - t0


_APP = {}


def app_outcome(case) -> str:
    """Upload the case on the Data page (AppTest) and press Load: what does the user see?"""
    if "limit" in case.name:
        return "refused by the server (maxUploadSize)"
    from tests.app.test_corpus_app import open_data_page, set_upload

    at = _APP.get("at")
    if at is None:
        at = _APP["at"] = open_data_page()
    set_upload(at, case)
    before = at.session_state["dataset_token"] if "dataset_token" in at.session_state else "demo"
    try:
        at.run()
        if at.exception:
            return "EXCEPTION"
        mapping = [sb for sb in at.selectbox if sb.key in ("data_map_unit_id", "data_key")]
        at.button(key="data_load").click().run()
    except Exception as exc:  # noqa: BLE001
        return f"CRASH {type(exc).__name__}"
    if at.exception:
        return "EXCEPTION"
    after = at.session_state["dataset_token"]
    if at.error:
        return "message, previous data kept" if after == before else "MESSAGE BUT DATA CHANGED"
    if mapping:
        return "columns offered to pick"
    return "loaded" if after != before else "UNCHANGED"


BOUNDED = None  # filled on first use: the bounded readers (worker process with time and memory limits)


def _recipe_attacks() -> list[tuple[str, str]]:
    """Hostile recipes: the text, and what it tries."""
    from lillegeo.recipe import Recipe

    good = Recipe.for_demo().to_toml()
    dotted = "[recipe]\nversion = 1\n" + "".join(f"k{i}." + ".".join("a" * 3 for _ in range(40)) + " = 1\n"
                                                   for i in range(300))
    nested = "[recipe]\nversion = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n"
    return [
        ("recipe: band = \"x\"", good.replace("band = [\n    0.8,\n    1.25,\n]", 'band = "x"')),
        ("recipe: 3,000,000 permutations", good.replace("permutations = 999", "permutations = 3000000")),
        ("recipe: bootstrap 150,000", good.replace("bootstrap = 999", "bootstrap = 150000")),
        ("recipe: DBSCAN radius 5,000 m", good.replace("eps_m = 120.0", "eps_m = 5000.0")),
        ("recipe: clusters of 2 incidents", good.replace("min_samples = 60", "min_samples = 2")),
        ("recipe: 40 KB of dotted keys", dotted),
        ("recipe: arrays nested 5,000 deep", nested),
        ("recipe: 1,000 slides", good + "".join('[[slides]]\nlayer = "explore"\n' for _ in range(1000))),
        ("recipe: source path given as a number", good.replace('path = "demo/units.geojson"', "path = 5")),
    ]


def hostile(large: bool = False) -> list[dict]:
    """Every untrusted-file case through the bounded readers (time to the answer, worker peak memory),
    and hostile recipes through the recipe parser."""
    from lillegeo.io import worker
    from lillegeo.recipe import Recipe
    from tests.corpus.cases import _untrusted_cases

    readers = {"units": worker.read_units_bounded, "table": worker.read_table_bounded,
               "points": worker.read_points_bounded}
    rows = []
    items = [(c.name, c.kind, c.filename, c.make) for c in _untrusted_cases()]
    if large:
        items.append(("points CSV of 200 MB (2.8 million incidents)", "points", "p.csv", _large_points))
    for name, kind, filename, make in items:
        data = make()
        t0 = time.perf_counter()
        try:
            out, _ = readers[kind](data, name=filename)
            outcome, detail = "read", f"{len(out):,} rows"
        except ValueError as exc:
            outcome, detail = "refused", str(exc)[:110]
        except Exception as exc:  # noqa: BLE001 - counted as a crash
            outcome, detail = "CRASH", f"{type(exc).__name__}: {exc}"[:110]
        st = worker.last_read_stats()
        rows.append({"case": name, "outcome": outcome, "seconds": time.perf_counter() - t0,
                     "peak_mb": st["peak_mb"], "detail": detail})
    for name, text in _recipe_attacks():
        t0 = time.perf_counter()
        try:
            Recipe.from_toml(text)
            outcome, detail = "ACCEPTED", ""
        except ValueError as exc:
            outcome, detail = "refused", str(exc)[:110]
        except Exception as exc:  # noqa: BLE001
            outcome, detail = "CRASH", f"{type(exc).__name__}: {exc}"[:110]
        rows.append({"case": name, "outcome": outcome, "seconds": time.perf_counter() - t0, "peak_mb": float("nan"),
                     "detail": detail})
    return rows


def _large_points() -> bytes:
    import numpy as np
    import pandas as pd

    n = 2_800_000
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"id": np.arange(n), "date": pd.Timestamp("2023-01-01")
                       + pd.to_timedelta(rng.integers(0, 730 * 86400, n), unit="s"),
                       "category": rng.choice(["vol", "degradation", "rixe", "nuisance"], n),
                       "longitude": 3.0 + rng.random(n) * 0.2, "latitude": 50.6 + rng.random(n) * 0.1})
    return df.to_csv(index=False).encode()


def disclosure_walk() -> str:
    """Run the disclosure walk test and report its result."""
    import subprocess

    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/app/test_disclosure.py"], cwd=ROOT, capture_output=True, text=True)
    last = [ln for ln in out.stdout.splitlines() if ln.strip()][-1:] or ["no output"]
    return (f"- disclosure walk (`tests/app/test_disclosure.py`: every page's tables, metrics and maps, and every "
            f"download offered: CSV, XLSX, HTML maps, report, slides): **{'no leak' if out.returncode == 0 else 'LEAKS'}**"
            f" ({last[0]}; {time.perf_counter() - t0:.0f} s)")


def main_() -> None:
    browser = "--no-browser" not in sys.argv
    rows, secs = run()
    crashes = sum(r["library"] == "CRASH" or r["cli"].startswith(("CRASH", "TRACEBACK"))
                  or r["app"].startswith(("CRASH", "EXCEPTION")) or r["app"].isupper() for r in rows)
    session_lines = ["- concurrent sessions: not measured in this run (--no-browser)"]
    if browser:
        from benchmarks.sessions import measure_sessions

        session_lines = measure_sessions(10).summary_lines()
    walk = disclosure_walk()
    bad = hostile(large="--large" in sys.argv)
    from lillegeo.limits import limits

    lim = limits()
    hostile_lines = [
        "", "## Hostile files and recipes", "",
        "Each untrusted-file case of the corpus read through the bounded reader (`lillegeo.io.worker`: a separate "
        f"process, stopped at {lim.read_seconds:g} s or {lim.worker_mb:,} MB, {lim.workers} at a time), and hostile "
        "recipes through `Recipe.from_toml`. Time is to the answer the user sees; memory is the worker's sampled "
        "peak." + (" The 200 MB points file is generated with `--large`." if "--large" in sys.argv else
                   " Add `--large` to include a 200 MB points file."), "",
        f"- cases: **{len(bad)}**; refused with a message: **{sum(r['outcome'] == 'refused' for r in bad)}**; read: "
        f"{sum(r['outcome'] == 'read' for r in bad)}; crashes or accepted attacks: "
        f"**{sum(r['outcome'] in ('CRASH', 'ACCEPTED') for r in bad)}**",
        f"- slowest answer: {max(r['seconds'] for r in bad):.1f} s; largest worker peak: "
        f"{max((r['peak_mb'] for r in bad if r['peak_mb'] == r['peak_mb']), default=0):,.0f} MB", "",
        "| case | outcome | seconds | worker peak MB | message |", "|---|---|---|---|---|"]
    for r in bad:
        detail = r["detail"].replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")
        peak = "-" if r["peak_mb"] != r["peak_mb"] else f"{r['peak_mb']:,.0f}"
        hostile_lines.append(f"| {r['case']} | {r['outcome']} | {r['seconds']:.2f} | {peak} | {detail} |")
    lines = ["# Reliability", "",
             "Regenerate with `python benchmarks/reliability.py` (the corpus is `tests/corpus/cases.py`, "
             "checked by `tests/test_corpus.py`).", "",
             f"- cases tried: **{len(rows)}** ({sum(r['kind'] == 'units' for r in rows)} contours, "
             f"{sum(r['kind'] == 'table' for r in rows)} tables, {sum(r['kind'] == 'points' for r in rows)} points)",
             f"- clear messages: **{sum(r['library'] == 'clear message' for r in rows)}**; documented repairs or reads: "
             f"**{sum(r['library'] in ('repair', 'read') for r in rows)}**; crashes or tracebacks: **{crashes}**",
             f"- in the app (Data page, AppTest upload then Load): "
             f"{sum(r['app'].startswith('message') for r in rows)} clear messages with the previous data kept, "
             f"{sum(r['app'] == 'loaded' for r in rows)} loaded (repairs reported in the readers' notes), "
             f"{sum(r['app'] == 'columns offered to pick' for r in rows)} with the file's columns offered to pick; "
             "exceptions shown to a user: "
             f"**{sum(r['app'].startswith(('CRASH', 'EXCEPTION')) for r in rows)}**",
             f"- time for the whole corpus (library, command line and app): {secs:.1f} s",
             *session_lines, walk, "",
             "Property-based tests (hypothesis) for the readers, the join and the rates: `tests/test_properties.py`.",
             "", "| case | kind | library | command line | app | message or repair |", "|---|---|---|---|---|---|"]
    for r in rows:
        detail = r["detail"].replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")
        lines.append(f"| {r['case']} | {r['kind']} | {r['library']} | {r['cli']} | {r['app']} | {detail} |")
    lines += hostile_lines
    out = ROOT / "docs" / "RELIABILITY.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:14]))
    print(f"written {out}")


if __name__ == "__main__":
    main_()
