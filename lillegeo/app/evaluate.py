"""The Evaluate page's two ways of defining the treated units besides the list: an uploaded outline
(the units mostly inside it) and a start date per unit (staggered starts). Both write the recipe's
``programme.treated`` in a callback, so Save / Load / ``run`` / slides reproduce the page."""

from __future__ import annotations

import hashlib

import streamlit as st

from ..programme.area import area_text, units_in_file
from ..programme.errors import error_text
from ..programme.view import clicked_unit, staggered_note, start_problems, starts_frame, treated_with_starts, with_unit
from . import state
from .text import md, say_error, tr
from .widgets import PARAM_ERROR

__all__ = ["area_uploader", "start_table", "start_checks", "map_click"]

_AREA = "ev_area_upload"
#: The outcome of the last outline applied: (file ids, AreaPick or None, error text or None).
_AREA_DONE = "ev_area_done"
#: Accepted outline files: one GeoJSON, GeoPackage, GeoParquet or zipped shapefile (.shp with its .dbf, .shx, .prj).
AREA_TYPES = ["geojson", "json", "gpkg", "zip", "parquet"]


def _area_uploaded() -> None:
    """Callback of the outline uploader: once per set of files, before the run's widgets exist, the units
    mostly inside the outline become the treated units (none taken: the treated units are kept)."""
    up = st.session_state.get(_AREA)
    if up is None or (st.session_state.get(_AREA_DONE) or ("",))[0] == up.file_id:
        return
    ids = up.file_id
    try:
        pick = units_in_file(state.current_dataset().units, up.getvalue(), name=up.name)
    except (ValueError, TypeError) as exc:
        st.session_state[_AREA_DONE] = (ids, None, str(exc))
        return
    st.session_state[_AREA_DONE] = (ids, pick, None)
    if pick.codes:
        state.update("programme", treated_from="units", treated=pick.codes)


def area_uploader() -> None:
    """The outline uploader and, while its file is there, what it did (in the session's language)."""
    up = st.file_uploader(tr("evaluate.area_upload"), type=AREA_TYPES, key=_AREA, on_change=_area_uploaded,
                          help=tr("evaluate.area_help"))
    done = st.session_state.get(_AREA_DONE)
    if up is None or not done or done[0] != up.file_id:
        return
    _, pick, error = done
    if error:
        say_error(error)
    else:
        st.success(md(area_text(pick, state.lang()))) if pick.codes else st.warning(md(area_text(pick, state.lang())))


def _starts_edited(key: str, codes: tuple[str, ...]) -> None:
    """Callback of the start table: the edited start dates written back to ``treated`` (CODE@date)."""
    edits = (st.session_state.get(key) or {}).get("edited_rows", {})
    treated = state.current_recipe().programme.treated
    if tuple(c.split("@")[0] for c in treated) != codes:  # the recipe moved on since the table was drawn
        return
    starts = [c.partition("@")[2] or None for c in treated]
    for row, change in edits.items():
        if "start" in change:
            starts[int(row)] = change["start"] or None
    try:
        state.update("programme", treated=treated_with_starts(codes, starts))
    except ValueError as exc:  # shown once by the page header, in the page's language
        st.session_state[PARAM_ERROR] = error_text(exc, state.lang())


def start_table(names: dict[str, str]) -> None:
    """One row per treated unit (name, code, start date; empty: the common start), bound to ``treated``."""
    p = state.current_recipe().programme
    if p.treated_from != "units" or not p.treated:
        return
    codes = tuple(c.split("@")[0] for c in p.treated)
    key = "ev_starts_" + hashlib.sha256("|".join(p.treated).encode()).hexdigest()[:16]
    df = starts_frame(p.treated, names)
    st.caption(tr("evaluate.starts_help"))
    st.data_editor(df, key=key, hide_index=True, disabled=["name", "code"],
                   on_change=_starts_edited, args=(key, codes),
                   column_config={"name": st.column_config.TextColumn(tr("evaluate.starts_name")),
                                  "code": st.column_config.TextColumn(tr("evaluate.starts_code")),
                                  # text, not a date picker: an empty cell reads empty (a date cell shows
                                  # "None"), and a wrong date is named in words (treated_with_starts)
                                  "start": st.column_config.TextColumn(tr("evaluate.starts_start"),
                                                                       validate=r"^(\d{4}-\d{2}-\d{2})?$")})


def start_checks(ds, p) -> bool:
    """The start dates against the layer's dates (an error in words for each start outside them: ``False``,
    the page stops) and, for staggered starts, what the chosen method does with them."""
    problems = start_problems(ds, p, state.lang())
    for line in problems:
        st.error(md(line))
    note = staggered_note(p, state.lang())
    if note and not problems:
        st.info(md(note))
    return not problems


def map_click(out, names: dict[str, str], p) -> None:
    """Units picked from the list: a unit clicked on the change map joins the treated units (once per click)."""
    if p.treated_from != "units":
        return
    st.caption(tr("evaluate.click"))
    picked = clicked_unit(out, names)
    if picked and picked != st.session_state.get("ev_last_click"):
        st.session_state["ev_last_click"] = picked
        state.update("programme", treated=with_unit(p.treated, picked))
        st.rerun()
