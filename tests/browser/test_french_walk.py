"""French complete (issue 14): a French reader walks every page of the demo (Data, Explore, the four tabs
of Hotspots, Equity, Present) and meets no English: not in the page, not in the maps' legends and scale
bars, not in the multiselect's placeholder or menu; the static map downloads and the HTML report has
French table headers."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from lillegeo.demo import DEMO_DIR
from lillegeo.fmt import fmt_int

from .conftest import ARTIFACTS, SLOW_MS, Watch, new_context, rerun, wait_idle

pytestmark = pytest.mark.browser

FOLIUM = 'iframe[title="streamlit_folium.st_folium"]'

NAV = {"data": "1 · Données", "explore": "2 · Explorer", "hotspots": "3 · Points chauds", "equity": "4 · Équité",
       "present": "6 · Présenter"}
#: English a French reader must never meet (the issue's list and common UI words)
ENGLISH = re.compile(r"Withheld|Select all|Choose options|Synthetic demo data|\bvalue\b|\bmiles\b|\b\d+ (?:mi|ft)\b"
                     r"|Hot spot|Cold spot|Not significant|No data|Formulas|\bseed\b|\bperm\.|left out|"
                     r"zero denominator|\bunit\(s\)|Download|Classes: "
                     # issue 14's leftovers: alpha, the band slider, the model note, a p of 0
                     r"|alpha 0\.\d|\b0\.80\b|\b1\.25\b|negative binomial|started from Poisson|\bp = 0\b")
#: a number input showing decimals nobody typed (120.00)
TRAILING_ZEROS = re.compile(r"^\d+\.0+$")


def _maps_text(page) -> str:
    """What the maps show in their corners (legends, scale bar, layer names, title, demo mark)."""
    out = []
    for frame in page.frames[1:]:
        try:
            for el in frame.locator(".leaflet-control-container").all():
                out.append(el.inner_text(timeout=2_000))
        except Exception:  # noqa: BLE001 - a frame replaced by a rerun while read
            continue
    return "\n".join(out)


def _visit(page, link: str, marker: str, timeout: float = SLOW_MS) -> None:
    rerun(page, lambda: page.get_by_role("link", name=link).click(), timeout=timeout)
    page.get_by_text(marker, exact=True).first.wait_for(timeout=timeout)
    wait_idle(page, timeout)


def _no_english(page, where: str, seen: dict) -> None:
    main = page.locator('[data-testid="stMain"]').inner_text()
    side = page.locator('[data-testid="stSidebar"]').inner_text()
    maps = _maps_text(page)
    placeholders = page.eval_on_selector_all("input[placeholder]", "els => els.map(e => e.placeholder)")
    numbers = page.eval_on_selector_all('[data-testid="stNumberInput"] input', "els => els.map(e => e.value)")
    seen[where] = maps
    found = sorted({m.group(0) for m in ENGLISH.finditer("\n".join([main, side, maps, *placeholders]))})
    assert found == [], f"English on {where}: {found}"
    assert not [v for v in numbers if TRAILING_ZEROS.match(v)], f"number inputs on {where}: {numbers}"


def test_a_french_reader_meets_no_english(app_url, browser, tmp_path):
    ctx = new_context(browser, viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    watch = Watch(page)
    seen: dict[str, str] = {}
    try:
        page.goto(app_url)
        page.get_by_text("Indicator (count or value)", exact=True).wait_for(timeout=SLOW_MS)
        wait_idle(page, SLOW_MS)
        box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Language", exact=True))
        box.locator("input").click()
        rerun(page, lambda: page.get_by_role("option", name="Français", exact=True).click())
        page.get_by_text("Langue", exact=True).wait_for()

        _visit(page, NAV["data"], "Unités appariées")
        _no_english(page, "Données", seen)

        _visit(page, NAV["explore"], "Indicateur (effectif ou valeur)")
        legend = page.frame_locator(FOLIUM).first.locator('[data-lillegeo="legend"]').first
        expect(legend).to_contain_text("Masqué (moins de 11)", timeout=SLOW_MS)
        _no_english(page, "Explorer", seen)
        page.screenshot(path=str(ARTIFACTS / "french-explore.png"))
        assert re.search(r"\b\d+ (?:m|km)\b", seen["Explorer"]), seen["Explorer"]  # the scale bar, metric
        communes = page.locator('[data-testid="stMultiSelect"]').first
        expect(communes.locator("input")).to_have_attribute("placeholder", "Choisir")
        menu = page.get_by_role("listbox")
        for attempt in range(8):  # a click that raced a rerun leaves the menu closed: open it again
            wait_idle(page)
            field = communes.locator("input")
            if attempt % 2 == 0:
                field.click()
            else:  # the keyboard opens it too, when a click lands while the widget re-renders
                field.focus()
                page.keyboard.press("ArrowDown")
            try:
                expect(menu).to_be_visible(timeout=10_000)
                break
            except AssertionError:
                page.keyboard.press("Escape")
        expect(menu).to_be_visible()
        assert "Select all" not in menu.inner_text() and "Select" not in menu.inner_text()
        page.keyboard.press("Escape")
        with page.expect_download(timeout=SLOW_MS) as dl:
            page.get_by_role("button", name="Carte statique (PNG)").click()
        png = tmp_path / "explore.png"
        dl.value.save_as(png)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        _visit(page, NAV["hotspots"], "Seuil de significativité (alpha)")
        expect(page.frame_locator(FOLIUM).first.locator('[data-lillegeo="legend"]').first).to_contain_text(
            "contiguïté reine ; 999 permutations ; graine 0 ; alpha 0,05 ; correction Aucune", timeout=SLOW_MS)
        _no_english(page, "Points chauds", seen)
        page.screenshot(path=str(ARTIFACTS / "french-hotspots.png"))
        # tabs are drawn in the same run, shown on click: no rerun to wait for
        for tab, marker in (("Agrégats d'incidents et chaleur", "Couche de points"), ("Typologies", "Nombre de types"),
                            ("Évaluation", "Période 2 (évaluation)")):
            page.get_by_role("tab", name=tab).click()
            page.get_by_text(marker, exact=True).first.wait_for(state="visible")
            wait_idle(page, SLOW_MS)
            _no_english(page, f"Points chauds / {tab}", seen)
            if marker == "Couche de points":  # counts written the French way: 35 371, never 35,371
                n = fmt_int(len(pd.read_csv(DEMO_DIR / "incidents.csv")), "fr")  # the shipped file's rows
                assert "\u202f" in n
                expect(page.get_by_text(re.compile(rf"incidents sur {re.escape(n)} sont du bruit"))).to_be_visible()
        expect(page.get_by_text(re.compile(r"^Formules : taux de capture"))).to_be_visible()

        _visit(page, NAV["equity"], "Résidents du groupe (ex. immigrés)")
        page.locator('[data-testid="stMain"] [data-testid="stAlert"]').first.wait_for(timeout=SLOW_MS)
        wait_idle(page, SLOW_MS)
        _no_english(page, "Équité", seen)
        band = page.locator('[data-testid="stSlider"]').filter(has=page.get_by_text(re.compile("^Bande de disparité")))
        expect(band).to_contain_text("0,80")  # the select slider's thumbs, written the French way
        expect(band).to_contain_text("1,25")
        expect(page.get_by_text(re.compile(r"^binomiale négative \(NB2, initialisée par Poisson")).first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "french-equity.png"), full_page=True)

        _visit(page, NAV["present"], "Modifier les diapositives")
        _no_english(page, "Présenter", seen)
        with page.expect_download(timeout=SLOW_MS) as dl:
            page.get_by_role("button", name="Télécharger le rapport (HTML)").click()
        report = tmp_path / "report.html"
        dl.value.save_as(report)
        html = report.read_text(encoding="utf-8")
        heads = set(re.findall(r"<th[^>]*>([^<]*)</th>", html))
        assert {"fichier", "nature", "lignes", "section", "paramètre", "valeur"} <= heads, heads
        assert heads.isdisjoint({"file", "kind", "rows", "key", "value", "label", "unit_id"}), heads
        assert "Données de démonstration synthétiques" in html
        for word in ("Synthetic demo data", "Withheld", "Hot spot"):
            assert word not in html, word
        assert watch.remote == [], watch.remote
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "FAILED-french-walk.png"), full_page=True)
        raise
    finally:
        ctx.close()
