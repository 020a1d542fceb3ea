"""Serve the real app on localhost and drive it with Debian's headless Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("LILLEGEO_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", ""}


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
        server = serve_app(ARTIFACTS / "streamlit.log")
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


@pytest.fixture()
def page(browser, request):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
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


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished its current run (its status widget is gone)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(300)


def load_files(page, expect_text: str, attempts: int = 3) -> None:
    """Click 'Load these files' once Streamlit is idle; click again if the click fell into a rerun."""
    for _ in range(attempts):
        wait_idle(page)
        page.get_by_role("button", name="Load these files").click()
        try:
            page.get_by_text(expect_text).wait_for(timeout=45_000)
            return
        except Exception:  # noqa: BLE001 - the click raced a rerun; try again
            continue
    raise AssertionError(f"'{expect_text}' never appeared after loading")
