"""AppTest: the Hotspots count follows alpha and equals the library's; a correction that cannot pass is said;
the Explore caption's groups add up to the units shown on the map, filter included."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from lillegeo import load_demo
from lillegeo.params import HotspotParams
from lillegeo.pipeline import run_area_hotspots

from ..conftest import ROOT
from .conftest import APP_TIMEOUT


def _numbers(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text)]


def test_hotspots_count_follows_alpha_and_bonferroni_is_explained():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.switch_page("pages/3_Hotspots.py").run()
    assert not at.exception, at.exception
    column, per = at.selectbox(key="p.hotspots.column").value, at.selectbox(key="p.hotspots.per").value
    seen = {}
    for alpha in (0.01, 0.05):
        at.selectbox(key="p.hotspots.alpha").set_value(alpha).run()
        assert not at.exception, at.exception
        want = run_area_hotspots(load_demo(), HotspotParams(column=column, per=per, alpha=alpha))
        metric = next(m for m in at.metric if m.label == "Significant units")
        seen[alpha] = int(metric.value)
        assert seen[alpha] == want.n_significant
        caption = next(c.value for c in at.caption if "significant at alpha" in c.value)
        assert caption.startswith(f"{want.partition['total']} units: {want.n_significant} significant")
        n = _numbers(caption.replace(f"alpha {alpha}", "").replace("under 11", ""))
        assert n[0] == 374 and sum(n[1:]) == 374, caption  # the six groups partition the units
    assert seen[0.01] < seen[0.05]
    at.radio(key="p.hotspots.correction").set_value("bonferroni").run()
    assert not at.exception, at.exception
    assert any("No unit can be significant" in w.value and "0.001" in w.value for w in at.warning)
    assert int(next(m for m in at.metric if m.label == "Significant units").value) == 0


def test_explore_caption_adds_up_with_a_commune_filter():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT).run()
    assert not at.exception, at.exception
    caption = next(c.value for c in at.caption if "shown" in c.value)
    n = _numbers(caption.replace("under 11", ""))
    assert n[-1] == 374 and sum(n[:4]) == 374, caption
    at.multiselect(key="p.explore.communes").set_value(["Lisle-Centre"]).run()
    caption = next(c.value for c in at.caption if "shown" in c.value)
    n = _numbers(caption.replace("under 11", ""))
    assert n[-1] == 81 and sum(n[:4]) == 81, caption
