"""Loading a recipe in the sidebar, in a fresh session (it always failed: StreamlitWidgetAlreadyInstantiatedError
on the language selector, shown on every page until the file was removed)."""

from __future__ import annotations

import pytest

from lillegeo.recipe import Recipe

from .conftest import SLOW_MS, wait_idle

pytestmark = pytest.mark.browser


def test_recipe_loads_in_a_fresh_session_and_switches_the_language(app_url, page, tmp_path):
    r = Recipe.for_demo(title="Conseil du 12 mars", language="fr")
    f = tmp_path / "recipe.toml"
    f.write_text(r.to_toml(), encoding="utf-8")
    page.goto(app_url)
    page.get_by_text("Recipe", exact=True).wait_for(timeout=SLOW_MS)
    wait_idle(page)
    page.get_by_text("Recipe", exact=True).click()
    page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(f))
    # applied: the interface is now in French and says so, with no error and no traceback
    page.get_by_text("Recette chargée : Conseil du 12 mars").wait_for()
    page.get_by_text("Langue", exact=True).wait_for()
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert "could not be completed" not in page.inner_text("body")
    # another page opens in French without an error (the pages' own settings surviving a page change is
    # issue 13's work: today a loaded value for a page not shown is dropped by Streamlit's widget cleanup)
    page.get_by_role("link", name="3 · Points chauds").click()
    page.get_by_text("Seuil de significativité (alpha)").wait_for(timeout=SLOW_MS)
    wait_idle(page)
    assert "StreamlitWidgetAlreadyInstantiatedError" not in page.inner_text("body")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.watch.remote == [], page.watch.remote
