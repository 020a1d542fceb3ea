"""Layout and French leftovers of issue 14 on the pages themselves (AppTest): one pair of downloads per
table on Equity (the per-unit table's pair under the map), a short checkbox label on Hotspots, alpha
written 0,05 in the Hotspots caption, the band slider's options 0,80 … 1,25 and whole-number inputs."""

from __future__ import annotations

from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest

from lillegeo.i18n import t
from lillegeo.recipe import Recipe

from ..conftest import ROOT
from .conftest import APP_TIMEOUT
from .test_disclosure import downloads  # noqa: F401  (the download spy fixture)


def _page(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.session_state["recipe"] = Recipe.for_demo(language=lang)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_equity_offers_one_pair_of_downloads_per_table(downloads):  # noqa: F811
    _page("pages/4_Equity.py", "en")
    names = [n for n, _ in downloads if n.endswith((".csv", ".xlsx"))]
    stems = Counter(n.rsplit(".", 1)[0] for n in names)
    # every table once as CSV and once as XLSX: never two pairs for one table
    assert stems and all(c == 2 for c in stems.values()), stems
    assert all(n.rsplit(".", 1)[0] + ".xlsx" in names for n in names if n.endswith(".csv"))
    order = [n.rsplit(".", 1)[0] for n in names if n.endswith(".csv")]
    units = next(i for i, s in enumerate(order) if s.endswith("equity_units"))
    rep = next(i for i, s in enumerate(order) if s.endswith("equity_representation"))
    exposure = next(i for i, s in enumerate(order) if s.endswith("equity_exposure"))
    assert units < exposure < rep  # the map's per-unit values come with the map, not after the representation


def test_equity_band_slider_reads_french():
    at = _page("pages/4_Equity.py", "fr")
    band = at.select_slider(key="p.equity.band")
    q = Recipe.for_demo().equity
    assert "0,80" in band.options and "1,25" in band.options and "0.80" not in band.options
    assert tuple(band.value) == tuple(q.band)  # the recipe's band, unchanged by the widget


def test_equity_band_slider_keeps_and_sets_the_range():
    # in English: AppTest formats the widgets' values again outside the run, where the session's language
    # is not known (the French options would be looked up in English)
    at = _page("pages/4_Equity.py", "en")
    q = Recipe.for_demo().equity
    at.run()  # a rerun keeps the range (a range select slider needs its default as a range)
    assert not at.error and at.session_state["recipe"].equity.band == q.band
    at.select_slider(key="p.equity.band").set_range(0.75, 1.5).run()  # moving the thumbs sets the recipe
    assert not at.error, [e.value for e in at.error]
    assert at.session_state["recipe"].equity.band == (0.75, 1.5)
    at.switch_page("pages/2_Explore.py").run()  # another page: the band is not reset
    assert not at.error and at.session_state["recipe"].equity.band == (0.75, 1.5)


def test_hotspots_caption_checkbox_and_number_inputs():
    at = _page("pages/3_Hotspots.py", "fr")
    captions = " ".join(str(c.value) for c in at.caption)
    assert "alpha 0,05" in captions and "alpha 0.05" not in captions
    box = at.checkbox(key="p.hotspots.exclude_ad")
    assert box.label == t("hot.exclude_ad", "fr") and len(box.label) <= 30  # fits its quarter-width column
    assert box.help == t("explore.exclude_ad", "fr")  # the whole sentence, on hover
    for key in ("p.clusters.eps_m", "p.clusters.bandwidth_m", "p.clusters.cell_m", "p.evaluation.eps_m"):
        assert at.number_input(key=key).proto.format == "%g", key  # 120, not 120.00


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_robustness_moran_note_never_reads_p_equals_zero(monkeypatch, demo, lang):
    from lillegeo.equity import spatial
    from lillegeo.equity.model import benchmark_model

    monkeypatch.setattr(spatial, "residual_moran", lambda resid, units: (0.41, 0.0))  # an analytical p of 0
    u = demo.units
    r = benchmark_model(u, enforcement="checks", crime="incidents", population="P21_POP",
                        share=u["P21_POP_IMM"] / u["P21_POP"], lang=lang)
    note = r.robustness.iloc[-1]["variant"]
    assert note.endswith("p < 0,001" if lang == "fr" else "p < 0.001"), note
    assert "p = 0" not in note
