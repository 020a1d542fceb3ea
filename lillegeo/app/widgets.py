"""Widgets bound to the session's recipe, the page header, maps and downloads.

A bound widget (:func:`bound`) takes its value from the recipe on every run and writes a change
back in its callback, before the script runs: the recipe is the only state, so a page left and
visited again, a language switch or a loaded recipe shows exactly the recipe's values.
"""

from __future__ import annotations

import io
from typing import Any, Callable

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from ..dataset import Dataset
from ..maps import split_map, to_offline_html
from ..params import MAX_SLIDES, SLIDE_SECTION, SlideParams
from ..report import categorical_static_map, export_name, mark_synthetic, table_bytes
from . import state
from .cache import ensure_assets
from .text import md, say_error, table_view, tr

PARAM_ERROR = "param_error"
#: The values of the widgets made with :func:`kept` (widget key -> value).
KEPT = "kept_widgets"


def _key(section: str, name: str) -> str:
    return f"p.{section}.{name}"


def _write_back(section: str, name: str, key: str, convert: Callable | None, then: Callable | None = None) -> None:
    value = st.session_state.get(key)
    try:
        value = convert(value) if convert else value
        if isinstance(value, list):
            value = tuple(value)
        state.update(section, **{name: value, **(then(value) if then else {})})
    except ValueError as exc:  # the widget's bounds stop most; a bad typed value is named, the recipe kept
        st.session_state[PARAM_ERROR] = str(exc)


def bound(widget: Callable, label: str, section: str, name: str, *, show: Callable | None = None,
          read: Callable | None = None, then: Callable | None = None, **kw) -> Any:
    """``widget(label, …)`` whose value is the recipe's ``section.name``.

    ``show`` turns the recipe's value into the widget's (default: tuples become lists, except for a
    slider's range) and ``read`` the widget's into the recipe's. ``then(value)`` gives other parameters
    of ``section`` that follow a change of this one (e.g. a column's conventional denominator).
    """
    value = getattr(getattr(state.current_recipe(), section), name)
    if show is not None:
        value = show(value)
    elif isinstance(value, tuple) and widget not in (st.slider, st.select_slider):  # a range stays a tuple
        value = list(value)
    key = _key(section, name)
    st.session_state[key] = value
    if widget is st.multiselect:
        # Streamlit's own "Choose options" placeholder and "Select all" entry are English only: our
        # placeholder in every language, and no "Select all" in French (an empty choice means all anyway)
        kw.setdefault("placeholder", tr("widget.choose"))
        kw.setdefault("select_all", state.lang() == "en")
    out = widget(label, key=key, on_change=_write_back, args=(section, name, key, read, then), **kw)
    return read(out) if read else out


def _keep(key: str) -> None:
    st.session_state.setdefault(KEPT, {})[key] = st.session_state.get(key)


def kept(key: str, default: Any, options: list | None = None) -> dict:
    """Keyword arguments (``key``, ``on_change``) for a widget that is not a recipe parameter (the Data
    page's source, CRS…): its value is kept outside the widget, so a language switch (a new label, hence
    a new widget for Streamlit) or a visit to another page does not reset it. With ``options`` (choices
    that depend on a file), a kept value no longer among them gives way to ``default``.
    ``st.radio(label, options, **kept("data_source", "demo"))``."""
    value = st.session_state.setdefault(KEPT, {}).get(key, default)
    st.session_state[key] = default if options is not None and value not in options else value
    return {"key": key, "on_change": _keep, "args": (key,)}


def with_current(choices: tuple | list, current: Any) -> list:
    """A widget's choices with the current value added (a recipe may hold any valid value)."""
    out = list(choices)
    if current not in out:
        out = sorted(out + [current])
    return out


def param_error() -> None:
    """The last refused widget value, named (shown once)."""
    msg = st.session_state.pop(PARAM_ERROR, None)
    if msg:
        say_error(msg)


def page_header(title_key: str, question_key: str) -> tuple[Dataset, str]:
    """Title, the one-sentence question the page answers, the demo mark; returns the dataset and its token.

    Leaflet is installed here too: a page opened by its address before the app's first run (Streamlit
    then runs the page alone) still draws its maps offline."""
    ensure_assets()
    st.title(tr(title_key))
    st.markdown(tr(question_key))
    ds = state.current_dataset()
    state.fit_to(ds)
    if ds.demo:
        st.caption(f":material/science: {tr('demo.badge')}")
    param_error()
    return ds, state.dataset_token()


def show_map(m, *, key: str, height: int, returned_objects: list[str] | None = None):
    """Show a map built by :mod:`lillegeo.maps`: the base map keys the browser component and the data
    groups are sent apart (:func:`lillegeo.maps.split_map`), so a widget that only recolours the map
    swaps its layers in place instead of reloading the map frame. The map is consumed: build a new
    one for a download."""
    base, groups, control = split_map(m)
    return st_folium(base, height=height, use_container_width=True, key=key,
                     returned_objects=returned_objects or [], feature_group_to_add=groups or None,
                     layer_control=control, render=False)


def table_downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX download buttons for a table already safe to show (formulas neutralised here; on the
    demo, the synthetic-data mark on every row and in the file name)."""
    demo = state.current_dataset().demo
    df, name = mark_synthetic(df, demo, state.lang()), export_name(name, demo)
    c1, c2 = st.columns(2)
    c1.download_button(tr("explore.download_csv"), lambda: table_bytes(df, "csv"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"{key}_csv", on_click="ignore")
    c2.download_button(tr("export.xlsx"), lambda: table_bytes(df, "xlsx"), file_name=f"{name}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                       on_click="ignore")


def show_table(df: pd.DataFrame, name: str, key: str, *, export: pd.DataFrame | None = None, **kw) -> None:
    """One table of a page: shown readable (:func:`~lillegeo.app.text.table_view`) with its CSV and XLSX
    downloads (``export``, default ``df``: exact values, machine column names, formulas neutralised).
    The buttons' keys are ``{key}_dl_csv`` and ``{key}_dl_xlsx``."""
    st.dataframe(table_view(df), hide_index=True, width="stretch", key=key, **kw)
    table_downloads(df if export is None else export, name, f"{key}_dl")


def on_demand_table(params: Any, compute: Callable[[], pd.DataFrame], *, state_key: str, button_key: str,
                    note_key: str, name: str = "sensitivity") -> None:
    """A button that computes a slow table for these parameters; the table stays while they do not change."""
    if st.button(tr("hot.sensitivity_run"), key=button_key):
        with st.spinner(tr("hot.sensitivity_run")):
            st.session_state[state_key] = (params, compute())
    kept = st.session_state.get(state_key)
    if kept and kept[0] == params:
        show_table(kept[1], name, key=f"{state_key}_table")
        st.caption(tr(note_key))
    elif kept:  # computed for other parameters: not shown as if it were this one
        st.info(tr("hot.eval_stale"))


def static_downloads(draw: Callable[..., Any], *, key: str, name: str, labels: tuple[str, str] | None = None) -> None:
    """PNG and PDF download buttons; ``draw(png=buffer)`` / ``draw(pdf=buffer)`` runs only when clicked.
    ``labels``: the buttons' labels (default: static map)."""
    def make(fmt: str):
        def build() -> bytes:
            buf = io.BytesIO()
            draw(**{fmt: buf})
            return buf.getvalue()
        return build

    name = export_name(name, state.current_dataset().demo)
    c1, c2 = st.columns(2)
    png, pdf = labels or (tr("explore.download_png"), tr("explore.download_pdf"))
    c1.download_button(png, make("png"), file_name=f"{name}.png", mime="image/png", key=f"{key}_png",
                       on_click="ignore")
    c2.download_button(pdf, make("pdf"), file_name=f"{name}.pdf", mime="application/pdf", key=f"{key}_pdf",
                       on_click="ignore")


def map_downloads(make_map, units, labels, colors: dict, *, title: str, key: str, hulls=None) -> None:
    """The current map as offline HTML and as a static PNG and PDF (legend, scale bar, north arrow,
    title, sources and date, demo mark), built only when clicked. ``make_map`` builds a fresh map
    (a map already shown is consumed by :func:`show_map`)."""
    ds, lang = state.current_dataset(), state.lang()  # read now: the downloads run outside the session
    caption = tr("static.caption", sources=", ".join(r.source for r in ds.reports) or ds.name,
                 date=pd.Timestamp.today().date().isoformat())

    def static(fmt: str):
        def make() -> bytes:
            buf = io.BytesIO()
            categorical_static_map(units, labels, colors, title=title, caption=caption, demo=ds.demo,
                                   lang=lang, overlay=ds.overlay, hulls=hulls, **{fmt: buf})
            return buf.getvalue()
        return make

    name = export_name(key, ds.demo)
    c1, c2, c3 = st.columns(3)
    c1.download_button(tr("explore.download_map"), lambda: to_offline_html(make_map(assets="inline")),
                       file_name=f"{name}.html", mime="text/html", key=f"{key}_html", on_click="ignore")
    c2.download_button(tr("explore.download_png"), static("png"), file_name=f"{name}.png", mime="image/png",
                       key=f"{key}_png", on_click="ignore")
    c3.download_button(tr("explore.download_pdf"), static("pdf"), file_name=f"{name}.pdf", mime="application/pdf",
                       key=f"{key}_pdf", on_click="ignore")


# ------------------------------------------------------------------ the sidebar's language and recipe box

def _language_changed() -> None:
    state.set_language(st.session_state["lang_choice"])


def language_picker(langs: dict[str, str]) -> None:
    """The language, a choice of the recipe."""
    st.session_state["lang_choice"] = state.lang()
    st.selectbox(tr("app.language"), list(langs), format_func=langs.get, key="lang_choice",
                 on_change=_language_changed)


def _recipe_uploaded() -> None:
    """Callback of the recipe uploader: apply the recipe once per file, before any widget of the run
    exists; keep its title for the success line, or its error for one line."""
    up = st.session_state.get("recipe_upload")
    st.session_state.pop("recipe_error", None)
    if up is None or st.session_state.get("recipe_applied") == up.file_id:
        return
    try:
        text = up.getvalue().decode("utf-8-sig")  # a BOM (Windows Notepad) is not an error
    except UnicodeDecodeError:
        st.session_state["recipe_error"] = tr("recipe.not_utf8")
        return
    try:
        title, missing = state.apply_recipe_text(text)
    except ValueError as exc:
        st.session_state["recipe_error"] = str(exc)
        return
    st.session_state["recipe_applied"] = up.file_id
    st.session_state["recipe_flash"] = (title, missing)


def recipe_box() -> None:
    """Save the current recipe (exactly what the pages show) or load one."""
    with st.expander(tr("recipe.title")):
        # built now, in the session: a deferred callable runs outside the session's script and would see
        # no session state (the saved file held the defaults instead of what is on screen)
        st.download_button(tr("recipe.save"), state.current_recipe().to_toml(), file_name="recipe.toml",
                           mime="application/toml", key="recipe_save", on_click="ignore")
        st.file_uploader(tr("recipe.load"), type=["toml"], key="recipe_upload", on_change=_recipe_uploaded)
        if st.session_state.get("recipe_error"):
            say_error(st.session_state["recipe_error"])
    # outside the expander: its label changes with the recipe's language, so it opens again collapsed
    flash = st.session_state.pop("recipe_flash", None)
    if flash:
        title, missing = flash
        st.success(tr("recipe.loaded", title=md(title)))
        if missing:
            st.info(tr("recipe.needs_files", files=md("; ".join(missing))))


# ------------------------------------------------------------------ slides: added on the analysis pages, edited on Present

def _add_slide(layer: str, title: str) -> None:
    r = state.current_recipe()
    try:
        r = r.add_slide(SlideParams(layer=layer, title=title, params=getattr(r, SLIDE_SECTION[layer])))
    except ValueError:  # the slide limit
        st.session_state[f"slide_msg_{layer}"] = ("warning", tr("slide.full", n=MAX_SLIDES))
        return
    state.set_recipe(r)
    st.session_state[f"slide_msg_{layer}"] = ("success", tr("slide.added", n=len(r.slides), title=md(title)))


def add_slide_button(layer: str, title: str) -> None:
    """"Add this map as a slide": appends a slide of ``layer`` with the page's current parameters and
    ``title`` to the recipe's slides (saved with the recipe, re-run by ``python -m lillegeo run``)."""
    st.button(tr("slide.add"), key=f"slide_add_{layer}", icon=":material/slideshow:", on_click=_add_slide,
              args=(layer, title))
    kind, text = st.session_state.pop(f"slide_msg_{layer}", (None, None))
    if kind:
        getattr(st, kind)(text)


def _edit_slides(op: str, i: int, *extra) -> None:
    r = state.current_recipe()
    if op == "rename":
        r = r.rename_slide(i, str(st.session_state.get(f"present_title_{i}", "")))
    elif op == "move":
        r = r.move_slide(i, *extra)
    else:
        r = r.remove_slide(i)
    state.set_recipe(r)


def slide_editor() -> None:
    """The recipe's slides, one row each: title (empty: the map's own), move up, move down, remove."""
    deck = state.current_recipe().slide_deck()
    st.caption(tr("present.edit_help"))
    for i, s in enumerate(deck):
        layer = tr(f"present.layer.{s.layer}")
        key = f"present_title_{i}"
        st.session_state[key] = s.title
        c0, c1, c2, c3 = st.columns([8, 1, 1, 1], vertical_alignment="bottom")
        c0.text_input(tr("present.slide_title", n=i + 1, layer=layer), key=key, placeholder=layer,
                      on_change=_edit_slides, args=("rename", i))
        c1.button(":material/arrow_upward:", key=f"present_up_{i}", help=tr("present.up"), disabled=i == 0,
                  on_click=_edit_slides, args=("move", i, -1))
        c2.button(":material/arrow_downward:", key=f"present_down_{i}", help=tr("present.down"),
                  disabled=i == len(deck) - 1, on_click=_edit_slides, args=("move", i, 1))
        c3.button(":material/delete:", key=f"present_remove_{i}", help=tr("present.remove"),
                  on_click=_edit_slides, args=("remove", i))
