"""Serve the real app on localhost and drive it with Debian's headless Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("LILLEGEO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", ""}

# Timeouts are for a loaded machine (2 cores, one kept busy by another process): waits end on a condition,
# never after a fixed time, so a generous bound costs nothing when the machine is idle.
SETTLE_MS = 120_000  # a page, a rerun, a map or a file load to settle; the default for every Playwright wait
SLOW_MS = 3 * SETTLE_MS  # a first run of the heavier pages (permutations, bootstrap, the PDF report)
START_S = SLOW_MS / 1000  # the server to answer on /_stcore/health after it is started
QUIET_MS = 750  # Streamlit is idle once its script state has stayed 'notRunning' this long
expect.set_options(timeout=SETTLE_MS)

# Counts Streamlit's finished script runs (the app root's data-test-script-state turning 'notRunning') and
# the time of the last change of that state, so that tests wait for a rerun to end instead of sleeping.
RUN_WATCH = """
(() => {
  window.__lgRuns = 0; window.__lgChanged = performance.now();
  new MutationObserver((records) => {
    for (const r of records) {
      const now = r.target.getAttribute('data-test-script-state');
      if (now === r.oldValue) continue;
      window.__lgChanged = performance.now();
      if (now === 'notRunning') window.__lgRuns++;
    }
  }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ['data-test-script-state']});
})();
"""


@pytest.fixture(scope="session")
def chromium_path() -> str:
    # A missing browser is a failure, not a skip: CI must run these tests.
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def app_url():
    """The real app (``streamlit run app.py``) on a free localhost port, its log in artifacts/."""
    from benchmarks.sessions import serve_app

    ARTIFACTS.mkdir(exist_ok=True)
    try:
        server = serve_app(ARTIFACTS / "streamlit.log", start_timeout=START_S)
        srv = server.__enter__()
    except RuntimeError as exc:
        pytest.fail(f"{exc} (tests/browser/artifacts/streamlit.log)")
    yield srv.url
    server.__exit__(None, None, None)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                    "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


class Watch:
    """Records console errors, dialogs and every request that would leave the machine (and blocks it)."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.remote: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)

        def route(r):
            u = urlparse(r.request.url)
            if u.scheme in ("data", "blob", "about", "file") or u.hostname in LOCAL_HOSTS:
                return r.continue_()
            self.remote.append(r.request.url)
            return r.abort()

        page.route("**/*", route)


def new_context(browser, **kwargs):
    """A browser context whose pages wait up to SETTLE_MS and report Streamlit's script runs (see RUN_WATCH)."""
    ctx = browser.new_context(**kwargs)
    ctx.set_default_timeout(SETTLE_MS)
    ctx.set_default_navigation_timeout(SETTLE_MS)
    ctx.add_init_script(RUN_WATCH)
    return ctx


@pytest.fixture()
def page(browser, request):
    ctx = new_context(browser, viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.watch = Watch(pg)
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:  # keep what the person would have seen
        try:
            pg.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
        except Exception:  # noqa: BLE001
            pass
    ctx.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call":
        item.rep_call = rep


def runs(page) -> int:
    """How many script runs of this page have finished so far (counted by RUN_WATCH)."""
    return page.evaluate("() => window.__lgRuns || 0")


def wait_idle(page, timeout: float = SETTLE_MS, after: int | None = None) -> None:
    """Wait until Streamlit is connected and has finished its runs: the app's script state is
    ``notRunning`` and has not changed for QUIET_MS (a rerun a component asks for right after drawing,
    as st_folium does, starts within that window). With ``after`` (a :func:`runs` count taken before an
    action), also wait until a run started after that count has finished."""
    page.wait_for_function(
        """([after, quiet]) => {
            const app = document.querySelector('[data-testid="stApp"]');
            return !!app && app.dataset.testConnectionState === 'CONNECTED'
                && app.dataset.testScriptState === 'notRunning' && (window.__lgRuns || 0) > after
                && performance.now() - (window.__lgChanged || 0) >= quiet;
        }""", arg=[-1 if after is None else after, QUIET_MS], timeout=timeout, polling=100)


def rerun(page, action, timeout: float = SETTLE_MS) -> None:
    """Do ``action`` (a widget change, a click) and wait for the rerun it causes to finish."""
    before = runs(page)
    action()
    wait_idle(page, timeout=timeout, after=before)


def load_files(page, expect_text: str, attempts: int = 3) -> None:
    """Click 'Load these files' once Streamlit is idle and wait for ``expect_text``; click again only if the
    run the click caused finished without it (the click fell into a rerun of the uploaders)."""
    for _ in range(attempts):
        wait_idle(page)
        button = page.get_by_role("button", name="Load these files")
        expect(button).to_be_enabled()
        rerun(page, button.click, timeout=SLOW_MS)
        try:
            expect(page.get_by_text(expect_text).first).to_be_visible(timeout=5_000)
            return
        except AssertionError:
            continue
    raise AssertionError(f"'{expect_text}' never appeared after loading")
