"""The session's recipe is the app's state: widgets read it and write it back, a page left and visited again
keeps every choice, a recipe loaded on any page applies everything, and one that needs files the session
lacks says which and applies when they are loaded."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lillegeo.recipe import Recipe

from ..conftest import ROOT

TIMEOUT = 180


def _app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)


def test_choices_survive_a_visit_to_another_page():
    at = _app().run()
    at.selectbox(key="p.explore.column").set_value("P21_CHOM1564").run()
    at.selectbox(key="p.explore.scheme").set_value("fisher_jenks").run()
    at.switch_page("pages/3_Hotspots.py").run()
    at.selectbox(key="p.hotspots.alpha").set_value(0.01).run()
    at.number_input(key="p.clusters.eps_m").set_value(150.0).run()
    at.switch_page("pages/1_Data.py").run()  # the Explore and Hotspots widgets are gone from the session
    assert "p.explore.column" not in at.session_state
    at.switch_page("pages/2_Explore.py").run()
    assert at.selectbox(key="p.explore.column").value == "P21_CHOM1564"
    assert at.selectbox(key="p.explore.scheme").value == "fisher_jenks"
    at.switch_page("pages/3_Hotspots.py").run()
    assert at.selectbox(key="p.hotspots.alpha").value == 0.01
    assert at.number_input(key="p.clusters.eps_m").value == 150.0
    r = at.session_state["recipe"]
    assert (r.explore.column, r.explore.scheme, r.hotspots.alpha, r.clusters.eps_m) == \
        ("P21_CHOM1564", "fisher_jenks", 0.01, 150.0)
    assert not at.exception


def test_a_refused_value_is_named_and_the_recipe_kept():
    at = _app().run()
    at.selectbox(key="p.explore.scheme").set_value("user").run()
    at.text_input(key="p.explore.breaks").set_value("ten").run()
    assert not at.exception
    assert at.error and "ten" in at.error[0].value
    assert at.session_state["recipe"].explore.breaks == ()


def _apply(text: str):
    """Run the sidebar's recipe loading (the uploader's callback) on ``text`` in a fresh session."""
    def script():
        import streamlit as st

        from lillegeo.app import state

        if "applied" not in st.session_state:
            st.session_state["applied"] = state.apply_recipe_text(st.session_state["text"])
        st.write(state.current_recipe().language)

    at = AppTest.from_function(script, default_timeout=TIMEOUT)
    at.session_state["text"] = text
    return at.run()


def test_a_recipe_that_needs_other_files_says_which_and_waits_for_them():
    r = Recipe.for_demo(title="Conseil", language="fr").with_params("explore", column="P21_CHOM1564")
    sources = {k: v for k, v in r.sources.items() if k != "overlay"}
    sources["units"] = {**sources["units"], "path": "mes_iris.gpkg", "sha256": "a" * 64}
    at = _apply(r.replace(demo=False, sources=sources).to_toml())
    assert not at.exception
    title, missing = at.session_state["applied"]
    assert title == "Conseil" and missing == [f"units: mes_iris.gpkg (sha256 {'a' * 12}…, "
                                              f"{sources['units']['size']:,} bytes)"]
    assert at.session_state["recipe"].language == "fr"  # the language applies at once
    assert at.session_state["recipe"].explore.column == "incidents"  # the rest waits for the files
    assert at.session_state["recipe_pending"].explore.column == "P21_CHOM1564"


def test_a_demo_recipe_applies_everything():
    r = Recipe.for_demo(language="fr").with_params("hotspots", alpha=0.01, method="local_moran")
    at = _apply(r.to_toml())
    assert not at.exception and at.session_state["applied"] == (r.title, [])
    got = at.session_state["recipe"]
    assert (got.language, got.hotspots.alpha, got.hotspots.method) == ("fr", 0.01, "local_moran")


def test_a_bad_recipe_changes_nothing():
    at = _apply(Recipe.for_demo().to_toml().replace("permutations = 999", "permutations = 5"))
    assert at.exception  # raised to the caller: the sidebar's callback turns it into one line
    assert "recipe" not in at.session_state or at.session_state["recipe"].hotspots.permutations == 999
