"""City scale in the browser: the Explore map's draw time and a rerun after a widget change, against
the rerun of an empty Streamlit page with the same widget, measured in the same run.

    python benchmarks/national_data.py   # writes benchmarks/data/national/city_demo (600 units, 100,000 incidents)
    python benchmarks/rerun.py              # add --national for all of France (48,600 units)

The app is started with ``LILLEGEO_DEMO_DIR`` pointing at the city data; times are medians of
12 changes after the data is cached (the first load is reported separately), each made on a settled
page (``SETTLE_MS``), from the click until the new legend is drawn and Streamlit is idle.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.national_data import DEFAULT_OUT  # noqa: E402
from benchmarks.sessions import ARGS, CHROMIUM, FOLIUM, rss_mib, serve_app  # noqa: E402

#: Pause before each change, on both pages: a person does not click within milliseconds of a redraw,
#: and a click landing while the browser still paints the previous result measures the paint twice.
SETTLE_MS = 500
OPTIONS = ["Empirical Bayes (global)", "None", "Empirical Bayes (spatial)", "None"] * 3 + ["Empirical Bayes (global)"]
DRAWN = """(n) => { const f = [...document.querySelectorAll('iframe')].find(i => i.title === 'streamlit_folium.st_folium');
    const w = f && f.contentWindow; if (!w || !w.map) return false;
    const leg = w.document.querySelector('[data-lillegeo="legend"]'); if (!leg) return false;
    let c = 0; w.map.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.uid !== undefined) c++; });
    return c >= n ? leg.innerText : false; }"""


def _idle(page):
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=120_000,
                           polling=20)


def measure(city_dir: Path, n_units: int, options: list[str] = OPTIONS, timeout_ms: int = 120_000) -> dict:
    from playwright.sync_api import sync_playwright

    out = {}
    with serve_app(env={"LILLEGEO_DEMO_DIR": str(city_dir)}) as app, serve_app(script="benchmarks/empty_app.py") as empty, \
            sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        t0 = time.perf_counter()
        page.goto(app.url)
        page.wait_for_function(DRAWN, arg=n_units, timeout=5 * timeout_ms, polling=20)
        out["first_load_s"] = time.perf_counter() - t0  # reads and joins the files, counts the points
        loads = []
        for _ in range(3):
            t0 = time.perf_counter()
            page.reload()
            page.wait_for_function(DRAWN, arg=n_units, timeout=timeout_ms, polling=20)
            loads.append(time.perf_counter() - t0)
        out["map_drawn_s"] = statistics.median(loads)
        _idle(page)
        ep = b.new_page()
        ep.goto(empty.url)
        ep.get_by_text("choice: None").wait_for(timeout=60_000)
        rss0 = peak = rss_mib(app.pid)
        for settle, suffix in ((SETTLE_MS, ""), (0, "_back_to_back")):
            reruns = []
            for opt in options:
                page.wait_for_timeout(settle)
                t0 = time.perf_counter()
                page.get_by_text(opt, exact=True).click()
                want = "Empirical Bayes" if opt != "None" else None
                page.wait_for_function(
                    f"""(n) => {{ const t = ({DRAWN})(n); if (!t) return false;
                         return {'t.includes("Empirical Bayes")' if want else '!t.includes("Empirical Bayes")'}; }}""",
                    arg=n_units, timeout=timeout_ms, polling=20)
                _idle(page)
                reruns.append(time.perf_counter() - t0)
                peak = max(peak, rss_mib(app.pid))
            out["rerun_s" + suffix] = statistics.median(reruns[1:])
            er = []
            for opt in options:
                ep.wait_for_timeout(settle)
                t0 = time.perf_counter()
                ep.get_by_text(opt, exact=True).click()
                ep.get_by_text(f"choice: {opt}").wait_for(timeout=60_000)
                _idle(ep)
                er.append(time.perf_counter() - t0)
            out["empty_rerun_s" + suffix] = statistics.median(er[1:])
        b.close()
    out["server_rerun_mib"] = peak - rss0  # growth of the app server's resident memory over the reruns
    out["ratio_back_to_back"] = out["rerun_s_back_to_back"] / out["empty_rerun_s_back_to_back"]
    out["ratio"] = out["rerun_s"] / out["empty_rerun_s"]
    return out


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--national", action="store_true",
                    help="all of France (benchmarks/data/national/national_demo: 48,600 units) instead of the city")
    a = ap.parse_args()
    d = DEFAULT_OUT / ("national_demo" if a.national else "city_demo")
    units_file = next((d / f for f in ("units.geojson", "units.gpkg") if (d / f).exists()), None)
    if units_file is None:
        sys.exit("run python benchmarks/national_data.py first")
    import pyogrio

    n = pyogrio.read_info(units_file)["features"]
    r = measure(d, n, OPTIONS[:5] if a.national else OPTIONS, 600_000 if a.national else 120_000)
    what = f"{n:,} units, {'200,000' if a.national else '100,000'} incidents"
    print(f"| Explore page, first load (reads the files) | {what} | {r['first_load_s']:.2f} s |")
    print(f"| Explore map drawn after a page load (data cached) | {n:,} units | {r['map_drawn_s']:.2f} s |")
    print(f"| rerun after a widget change (smoothing) | {n:,} units | {r['rerun_s']:.2f} s |")
    print(f"| rerun of an empty Streamlit page, same widget | – | {r['empty_rerun_s']:.2f} s |")
    print(f"| ratio rerun / empty rerun | | **{r['ratio']:.1f}×** |")
    print(f"| same, each change made right after the previous redraw (no pause) | {n:,} units | "
          f"{r['rerun_s_back_to_back']:.2f} s vs {r['empty_rerun_s_back_to_back']:.2f} s = "
          f"{r['ratio_back_to_back']:.1f}× |")
