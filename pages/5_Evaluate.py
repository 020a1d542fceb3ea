"""Evaluate: did a programme change the outcome where it ran, compared with what, and did the problem move?"""

from functools import partial

import streamlit as st

from lillegeo.app import state
from lillegeo.app.cache import cached
from lillegeo.app.evaluate import area_uploader, map_click, start_checks, start_table
from lillegeo.app.text import lang, md, say, say_error, tr
from lillegeo.app.widgets import (
    add_slide_button,
    bound,
    map_downloads,
    page_header,
    show_map,
    show_table,
    static_downloads,
    with_current,
)
from lillegeo.choices import categories_of, options_for
from lillegeo.params import ALPHA_CHOICES, bounds, options
from lillegeo.pipeline import run_programme
from lillegeo.programme.chart import chart_figure, estimates_table, event_chart, series_chart
from lillegeo.programme.errors import error_text
from lillegeo.programme.layers import change_layer, change_map
from lillegeo.programme.run import estimates_table as estimates_export
from lillegeo.programme.view import (
    as_date,
    date_text,
    findings_shown,
    is_ready,
    treated_label,
    undated_message,
    unit_labels,
    with_kept,
)

ds, token = page_header("evaluate.title", "evaluate.question")
o = options_for(ds)
if not o.dated_layers:
    say("info", undated_message(ds, lang()))
    st.stop()

st.subheader(tr("evaluate.define"))
p = state.current_recipe().programme
names = unit_labels(ds.units)
c1, c2, c3 = st.columns(3)
with c1:
    layer = bound(st.selectbox, tr("evaluate.layer"), "programme", "layer", options=with_current(o.dated_layers, p.layer))
    bound(st.multiselect, tr("evaluate.categories"), "programme", "categories",
          options=with_kept(categories_of(ds, layer), p.categories))
    src = bound(st.radio, tr("evaluate.treated_from"), "programme", "treated_from",
                options=options("programme", "treated_from"), format_func=lambda v: tr(f"evaluate.treated_from.{v}"))
    if src == "units":
        bound(st.multiselect, tr("evaluate.treated"), "programme", "treated", options=with_kept(names, p.treated),
              format_func=partial(treated_label, names=names, lang=lang()))
        area_uploader()
with c2:
    bound(st.date_input, tr("evaluate.start"), "programme", "start", show=as_date, read=date_text)
    lo, hi = bounds("programme", "buffer_m")
    bound(st.number_input, tr("evaluate.buffer_m"), "programme", "buffer_m", min_value=lo, max_value=hi, step=50.0,
          format="%g")
    lo, hi = bounds("programme", "buffer_rings")
    bound(st.number_input, tr("evaluate.buffer_rings"), "programme", "buffer_rings", min_value=lo, max_value=hi, step=1)
    control = bound(st.radio, tr("evaluate.control"), "programme", "control", options=options("programme", "control"),
                    format_func=lambda v: tr(f"evaluate.control.{v}"))
    if control == "matched":
        lo, hi = bounds("programme", "n_matched")
        bound(st.number_input, tr("evaluate.n_matched"), "programme", "n_matched", min_value=lo, max_value=hi, step=1)
with c3:
    bound(st.radio, tr("evaluate.period"), "programme", "period", options=options("programme", "period"),
          format_func=lambda v: tr(f"evaluate.period.{v}"), horizontal=True)
    method = bound(st.selectbox, tr("evaluate.method"), "programme", "method", options=options("programme", "method"),
                   format_func=lambda v: tr(f"evaluate.method.{v}"))
    st.caption(tr(f"programme.assume.{method}"))
    with st.expander(tr("evaluate.more")):
        bound(st.radio, tr("evaluate.family"), "programme", "family", options=options("programme", "family"),
              format_func=lambda v: tr(f"evaluate.family.{v}"), horizontal=True)
        lo, hi = bounds("programme", "event_window")
        bound(st.number_input, tr("evaluate.event_window"), "programme", "event_window", min_value=lo, max_value=hi)
        bound(st.selectbox, tr("evaluate.alpha"), "programme", "alpha", options=with_current(ALPHA_CHOICES, p.alpha))
        lo, hi = bounds("programme", "seed")
        bound(st.number_input, tr("evaluate.seed"), "programme", "seed", min_value=lo, max_value=hi, step=1)
start_table(names)  # under the design, full width: one row per treated unit and its own start
r = state.current_recipe()
if not is_ready(r.programme):
    st.info(tr("evaluate.pick_treated"))
    st.stop()
if not start_checks(ds, r.programme):
    st.stop()
try:
    with st.spinner(tr("evaluate.running")):
        res = cached(run_programme, token, ds, r.programme, threshold=r.disclosure.threshold, hotspots=r.hotspots)
except ValueError as exc:
    say_error(error_text(exc, lang()))
    st.stop()

st.subheader(tr("evaluate.findings"))
for kind, line in findings_shown(res, lang()):
    getattr(st, kind)(md(line))

st.subheader(tr("evaluate.estimates"))
# shown in words; downloaded as the command line and `run` write it (machine names, exact values)
show_table(estimates_table(res, lang()), "programme_estimates", "ev_estimates_table", export=estimates_export(res))

st.subheader(tr("evaluate.series"))
bound(st.toggle, tr("evaluate.index"), "programme", "index")
st.altair_chart(series_chart(res, lang()), width="stretch")
static_downloads(partial(chart_figure, res, "series", lang(), demo=ds.demo), key="ev_series_dl",
                 name="programme_series", labels=(tr("evaluate.chart_png"), tr("evaluate.chart_pdf")))
st.subheader(tr("evaluate.event"))
ev = event_chart(res, lang())
if ev is None:
    st.caption(tr("evaluate.no_event"))
else:
    st.altair_chart(ev, width="stretch")
    static_downloads(partial(chart_figure, res, "event", lang(), demo=ds.demo), key="ev_event_dl",
                     name="programme_event_study", labels=(tr("evaluate.chart_png"), tr("evaluate.chart_pdf")))

st.subheader(tr("evaluate.map"))
build = partial(change_map, res, ds.units, lang(), demo=ds.demo)
out = show_map(build(assets="app"), height=540, key="ev_map", returned_objects=["last_active_drawing"])
map_click(out, names, r.programme)  # a unit clicked on the map joins the treated units
layer = change_layer(res, ds.units, lang())
map_downloads(build, ds.units, layer.labels, layer.colors, title=tr("evaluate.map"), key="programme_map")
add_slide_button("programme", tr("evaluate.map"))
