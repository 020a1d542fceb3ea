"""Concurrent browser sessions on the demo: response times and server memory per session.

Starts the real app (``streamlit run app.py``) on a free port, opens N Chromium sessions at the
same time (separate browser contexts: separate cookies, separate Streamlit sessions), waits in each
for the Explore map to be drawn, then changes a widget in every session at once and waits for
each page to finish its rerun. Reports the times, the server's resident memory before and after,
and scans the server log for row-level data.

    python benchmarks/sessions.py            # 10 sessions, prints a Markdown summary

Used by ``benchmarks/reliability.py`` (docs/RELIABILITY.md) and by the browser test
``tests/browser/test_sessions.py``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("LILLEGEO_CHROMIUM", "/usr/bin/chromium")
FOLIUM = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 120_000  # each session's page load, map and rerun (tests on a loaded machine pass more)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def rss_mib(pid: int) -> float:
    """Resident memory of a process in MiB (Linux /proc; psutil elsewhere)."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    import psutil  # pragma: no cover - non-Linux

    return psutil.Process(pid).memory_info().rss / 2**20  # pragma: no cover


@dataclass
class Server:
    url: str
    pid: int
    log: Path


@contextmanager
def serve_app(log_path: Path | None = None, script: str = "app.py", env: dict | None = None,
              start_timeout: float = 90):
    """Run the app (or ``script``) on a free localhost port; yields a :class:`Server` once its health
    endpoint answers (within ``start_timeout`` seconds); stops it afterwards."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = log_path or Path(tempfile.mkdtemp(prefix="lillegeo-bench-")) / "streamlit.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONUNBUFFERED="1", **(env or {})))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:  # poll the health endpoint until the server answers, it exits, or the deadline passes
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=5).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"the app did not start within {start_timeout:.0f} s; see {log_path}")
            time.sleep(0.25)
        yield Server(url, proc.pid, log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@dataclass
class SessionResult:
    index: int
    first_map_s: float = float("nan")
    rerun_s: float = float("nan")
    units_drawn: int = 0
    ok: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class SessionsReport:
    n: int
    results: list[SessionResult]
    rss_idle_mib: float
    rss_warm_mib: float
    rss_peak_mib: float
    log_hits: list[str]
    wall_s: float

    @property
    def held(self) -> int:
        return sum(r.ok for r in self.results)

    @property
    def per_session_mib(self) -> float:
        return (self.rss_peak_mib - self.rss_warm_mib) / max(self.n, 1)

    def summary_lines(self) -> list[str]:
        first = [r.first_map_s for r in self.results if r.ok]
        rerun = [r.rerun_s for r in self.results if r.ok]
        q = (lambda xs, f: f"{f(xs):.1f} s" if xs else "n/a")
        return [
            f"- concurrent browser sessions on the demo: **{self.n}** opened at once; "
            f"**{self.held}** drew the map and answered a widget change (all at once)",
            f"- time to the drawn map: median {q(first, statistics.median)}, slowest {q(first, max)}; "
            f"rerun after a widget change: median {q(rerun, statistics.median)}, slowest {q(rerun, max)} "
            f"(2 cores, {self.n} Chromium pages on the same machine as the server)",
            f"- server memory: {self.rss_idle_mib:.0f} MiB idle, {self.rss_warm_mib:.0f} MiB after a first session "
            f"(demo cached), {self.rss_peak_mib:.0f} MiB with {self.n} more sessions: "
            f"**{self.per_session_mib:.1f} MiB per session**",
            f"- row-level data found in the server log: **{len(self.log_hits)}** "
            f"({', '.join(self.log_hits) if self.log_hits else 'none of the unit codes, names or values'})",
        ]


async def _explore_session(browser, url: str, i: int, timeout_ms: float = TIMEOUT_MS) -> SessionResult:
    res = SessionResult(i)
    ctx = await browser.new_context(viewport={"width": 1200, "height": 900})
    ctx.set_default_timeout(timeout_ms)  # every wait ends on its condition; this only bounds a stuck session
    ctx.set_default_navigation_timeout(timeout_ms)
    page = await ctx.new_page()
    page.on("pageerror", lambda e: res.errors.append(str(e)))

    async def route(r):
        host = r.request.url.split("/")[2] if "://" in r.request.url else ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host.split(":")[0] in ("127.0.0.1", "localhost"):
            await r.continue_()
        else:
            res.errors.append(f"remote request {r.request.url}")
            await r.abort()

    await page.route("**/*", route)
    try:
        t0 = time.perf_counter()
        await page.goto(url)
        await page.frame_locator(FOLIUM).last.locator('[data-lillegeo="legend"]').wait_for()
        res.first_map_s = time.perf_counter() - t0
        frame = next(f for f in page.frames if "streamlit_folium" in f.url)
        res.units_drawn = await frame.evaluate("""() => { const ids = new Set(); window.map.eachLayer(l => {
            if (l.feature && l.feature.properties && l.feature.properties.uid !== undefined)
                ids.add(l.feature.properties.uid); }); return ids.size; }""")
        res.ok = res.units_drawn > 0
    except Exception as exc:  # noqa: BLE001 - recorded, counted as a session not held
        res.errors.append(f"{type(exc).__name__}: {exc}"[:200])
    # the context stays open: the sessions must be alive together
    return res, page


async def _change_widget(page, res: SessionResult) -> None:
    if not res.ok:
        return
    try:
        t0 = time.perf_counter()
        await page.get_by_text("Empirical Bayes (global)").click()
        # the rerun is over when the map shows the new smoothing and Streamlit's script has stopped running
        await page.frame_locator(FOLIUM).last.locator('[data-lillegeo="legend"]', has_text="Empirical Bayes").wait_for()
        await page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached")
        res.rerun_s = time.perf_counter() - t0
    except Exception as exc:  # noqa: BLE001
        res.ok = False
        res.errors.append(f"rerun: {type(exc).__name__}: {exc}"[:200])


async def _run(server: Server, n: int, timeout_ms: float = TIMEOUT_MS) -> SessionsReport:
    from playwright.async_api import async_playwright

    t_start = time.perf_counter()
    rss_idle = rss_mib(server.pid)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        warm, wpage = await _explore_session(browser, server.url, -1, timeout_ms)  # loads the demo into the server's cache
        await wpage.context.close()
        await asyncio.sleep(1)
        rss_warm = rss_mib(server.pid)
        pairs = await asyncio.gather(*[_explore_session(browser, server.url, i, timeout_ms) for i in range(n)])
        results = [r for r, _ in pairs]
        await asyncio.gather(*[_change_widget(pg, r) for r, pg in pairs])
        rss_peak = rss_mib(server.pid)
        for _, pg in pairs:
            await pg.context.close()
        await browser.close()
    return SessionsReport(n, results, rss_idle, rss_warm, rss_peak, audit_log(server.log),
                          time.perf_counter() - t_start)


def audit_log(log: Path) -> list[str]:
    """Row-level values of the demo that must never appear in a server log: unit codes, names, counts."""
    from lillegeo import load_demo

    text = log.read_text(errors="replace")
    units = load_demo().units
    needles = set(units["unit_id"].astype(str)) | {n for n in units["unit_name"].astype(str) if len(n) > 4}
    return sorted(n for n in needles if n in text)[:10]


def measure_sessions(n: int = 10, server: Server | None = None, timeout_ms: float = TIMEOUT_MS) -> SessionsReport:
    """Open ``n`` sessions at once against ``server`` (or a fresh server) and measure them; ``timeout_ms``
    bounds each session's waits (and the fresh server's start-up).

    Runs its own event loop in a worker thread, so it also works where a loop is already running
    (pytest with Playwright's sync API in the same process)."""
    from concurrent.futures import ThreadPoolExecutor

    def go() -> SessionsReport:
        if server is not None:
            return asyncio.run(_run(server, n, timeout_ms))
        with serve_app(start_timeout=timeout_ms / 1000) as srv:
            return asyncio.run(_run(srv, n, timeout_ms))

    with ThreadPoolExecutor(1) as ex:
        return ex.submit(go).result()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    rep = measure_sessions(n)
    print("\n".join(rep.summary_lines()))
    for r in rep.results:
        if r.errors:
            print(f"session {r.index}: {r.errors[:3]}")
