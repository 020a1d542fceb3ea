"""Slides built in the app: "Add this map as a slide" on Explore keeps the page's parameters; on Present the
slides are renamed, moved and removed; the saved recipe holds exactly that deck."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lillegeo.recipe import Recipe

from ..conftest import ROOT
from .conftest import APP_TIMEOUT


def test_add_a_map_then_rename_move_and_remove_slides():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT).run()
    at.selectbox(key="p.explore.column").set_value("P21_POP_IMM").run()
    at.button(key="slide_add_explore").click().run()
    assert not at.exception
    r = at.session_state["recipe"]
    assert [s.layer for s in r.slides] == ["explore", "hotspots", "clusters", "equity", "findings", "explore"]
    added = r.slides[-1]
    assert added.params.column == "P21_POP_IMM" and added.title.startswith("P21_POP_IMM")
    assert any("Slide 6 added" in s.value for s in at.success)
    # lighter analyses for the Present page's previews
    at.session_state["recipe"] = r.with_params("hotspots", permutations=99).with_params("equity", bootstrap=0)
    at.switch_page("pages/6_Present.py").run()
    assert not at.exception
    assert at.text_input(key="present_title_5").value == added.title
    at.text_input(key="present_title_5").set_value("Immigrant residents").run()
    at.button(key="present_up_5").click().run()
    at.button(key="present_remove_2").click().run()  # the clusters slide
    assert not at.exception
    r = at.session_state["recipe"]
    assert [(s.layer, s.title) for s in r.slides] == [
        ("explore", ""), ("hotspots", ""), ("equity", ""), ("explore", "Immigrant residents"), ("findings", "")]
    assert at.text_input(key="present_title_3").value == "Immigrant residents"
    assert Recipe.from_toml(r.to_toml()).slides == r.slides
