"""The session's state: its dataset and its current recipe.

The recipe (:class:`lillegeo.recipe.Recipe`) holds every choice of every page, the language
included. Widgets read their value from it and write back to it (:mod:`.widgets`), so leaving a
page, switching language or re-running keeps every choice, and "Save the recipe" writes what is on
screen. Streamlit drops the state of a widget that is not shown; the recipe is not a widget.
"""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from ..choices import fit_recipe
from ..dataset import Dataset
from ..recipe import Recipe
from .cache import demo_dataset

RECIPE = "recipe"
PENDING = "recipe_pending"


def current_dataset() -> Dataset:
    """The session's dataset, the demo until the user loads files."""
    ds = st.session_state.get("dataset")
    if ds is None:
        ds = demo_dataset()
        st.session_state["dataset"] = ds
        st.session_state["dataset_token"] = "demo"
    return ds


def dataset_token() -> str:
    current_dataset()
    return st.session_state.get("dataset_token", "demo")


def token_of(token_source: bytes, sources: dict | None) -> str:
    """The cache key of a dataset: SHA-256 of its files' bytes and of every reader choice."""
    h = hashlib.sha256(token_source)
    h.update(json.dumps(sources or {}, sort_keys=True, default=str).encode("utf-8"))
    return h.hexdigest()[:32]


def current_recipe() -> Recipe:
    """The session's recipe (the demo's until the user changes anything), fitted to its dataset."""
    r = st.session_state.get(RECIPE)
    if r is None:
        r = fit_recipe(Recipe.for_demo(), current_dataset())
        st.session_state[RECIPE] = r
    return r


def set_recipe(r: Recipe) -> None:
    st.session_state[RECIPE] = r


def update(section: str, **changes) -> Recipe:
    """Change parameters of ``section`` (validated; a ``ValueError`` names the field)."""
    r = current_recipe().with_params(section, **changes)
    set_recipe(r)
    return r


def lang() -> str:
    return current_recipe().language


def set_language(code: str) -> None:
    set_recipe(current_recipe().replace(language=code))


def _sources_of(ds: Dataset) -> dict:
    return Recipe.for_demo().sources if ds.demo else dict(ds.sources)


def set_dataset(ds: Dataset, token_source: bytes) -> None:
    """Make ``ds`` the session's data. Its token keys every shared cache: the files' bytes **and** every
    reader and mapping choice recorded in ``ds.sources``. The recipe takes the new sources; a recipe
    loaded earlier that was waiting for these files is applied now."""
    st.session_state["dataset"] = ds
    st.session_state["dataset_token"] = "demo" if ds.demo else token_of(token_source, ds.sources)
    pending = st.session_state.get(PENDING)
    base = current_recipe()
    if pending is not None and not pending.missing_sources(_sources_of(ds)):
        base, title = pending, pending.title
        st.session_state.pop(PENDING, None)
    else:
        title = Recipe.for_demo().title if ds.demo else ds.name
    set_recipe(fit_recipe(base.replace(sources=_sources_of(ds), demo=ds.demo, title=title), ds))


def apply_recipe_text(text: str) -> tuple[str, list[str]]:
    """Apply a recipe's text to the session; returns its title and the files it needs that the session
    lacks (then its parameters wait, and apply when those files are loaded on the Data page).
    Raises ``ValueError`` for a bad recipe, leaving the session unchanged."""
    r = Recipe.from_toml(text)
    if r.demo:
        ds = demo_dataset()
        st.session_state["dataset"] = ds
        st.session_state["dataset_token"] = "demo"
        set_recipe(fit_recipe(r.replace(sources=_sources_of(ds)), ds))
        st.session_state.pop(PENDING, None)
        return r.title, []
    ds = current_dataset()
    missing = r.missing_sources(_sources_of(ds))
    if missing:
        st.session_state[PENDING] = r
        set_language(r.language)
        return r.title, missing
    set_recipe(fit_recipe(r.replace(sources=_sources_of(ds), demo=ds.demo), ds))
    return r.title, []


def fit_to(ds: Dataset) -> Recipe:
    """The recipe with every choice the dataset cannot honour replaced (see :func:`lillegeo.choices.fit_recipe`)."""
    r = current_recipe()
    fitted = fit_recipe(r, ds)
    if fitted is not r:
        set_recipe(fitted)
    return fitted
