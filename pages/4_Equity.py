"""Equity: exposure of groups to checks, the benchmark model (checks beyond crime), disparity layers, findings."""

from functools import partial

import streamlit as st

from lillegeo.app import state
from lillegeo.app.cache import cached
from lillegeo.app.text import lang, md, say, say_error, tr
from lillegeo.app.widgets import (
    add_slide_button,
    bound,
    map_downloads,
    page_header,
    show_map,
    show_table,
    table_downloads,
    with_current,
)
from lillegeo.choices import band_choices, options_for
from lillegeo.equity.chart import sensitivity_chart
from lillegeo.equity.hitrate import outcome_sentence
from lillegeo.fmt import fmt_number
from lillegeo.layers import equity_layer
from lillegeo.maps import categorical_map
from lillegeo.params import BOOTSTRAP_CHOICES, bounds, options
from lillegeo.pipeline import run_equity, run_outcome_test
from lillegeo.tables import model_table

ds, token = page_header("eq.title", "eq.question")
o = options_for(ds)
if len(o.counts) < 3:
    st.info(tr("eq.need_columns"))
    st.stop()

q = state.current_recipe().equity
c1, c2, c3 = st.columns(3)
with c1:
    enforcement = bound(st.selectbox, tr("eq.enforcement"), "equity", "enforcement", options=o.counts)
    crime = bound(st.selectbox, tr("eq.crime"), "equity", "crime", options=o.counts)
with c2:
    bound(st.selectbox, tr("eq.population"), "equity", "population", options=o.counts)
    group = bound(st.selectbox, tr("eq.group"), "equity", "group", options=o.counts)
    bound(st.selectbox, tr("eq.reference"), "equity", "reference", options=("complement",) + o.counts,
          format_func=lambda v: tr("eq.complement") if v == "complement" else v)
with c3:
    bound(st.selectbox, tr("eq.other_crime"), "equity", "other_crime", options=("",) + o.counts,
          format_func=lambda v: v or tr("data.none"))
    bound(st.selectbox, tr("eq.bootstrap"), "equity", "bootstrap", options=with_current(BOOTSTRAP_CHOICES, q.bootstrap))
    lo, hi = bounds("equity", "seed")
    bound(st.number_input, tr("eq.seed"), "equity", "seed", min_value=lo, max_value=hi, step=1)
    bound(st.select_slider, tr("eq.band"), "equity", "band", options=band_choices(q.band), value=q.band,
          format_func=lambda v: fmt_number(v, lang(), 2))  # 0,80 – 1,25 in French; value: a range, two thumbs
kinds = [k for k in options("equity", "groups") if k != "overlay" or o.has_overlay]
bound(st.radio, tr("eq.group_kind"), "equity", "groups", options=kinds, horizontal=True,
      format_func=lambda v: tr(f"eq.group_kind.{v}"))

r = state.current_recipe()
try:
    with st.spinner(tr("eq.title")):
        res = cached(run_equity, token, ds, r.equity, hotspots=r.hotspots, clusters=r.clusters,
                     threshold=r.disclosure.threshold, lang=lang())
except ValueError as exc:
    say_error(exc)
    st.stop()

st.subheader(tr("eq.findings"))
for f in res.findings:
    text = md(f["text"])
    if f["kind"] == "caveat":
        st.caption(text)
    elif f["flag"]:
        st.warning(text, icon=":material/flag:")
    else:
        st.info(text)

st.subheader(tr("eq.layers"))
layer_name = bound(st.radio, tr("eq.layer"), "equity", "layer", options=options("equity", "layer"), horizontal=True,
                   format_func=lambda v: tr(f"eq.layer.{v}"))
layer = equity_layer(res, layer_name, lang(), group=group)
table = res.units_table
tips = {tr("eq.layer.residual"): table["observed_over_expected"], enforcement: table["enforcement"],
        crime: table["crime"]}
build = partial(categorical_map, ds.units, layer.labels, layer.colors, legend_title=layer.title, legend=layer.legend,
                legend_note=layer.note, tooltip_columns=tips, demo=ds.demo, lang=lang(), overlay=ds.overlay)
show_map(build(assets="app"), height=560, key="eq_map")
map_downloads(build, ds.units, layer.labels, layer.colors, title=tr(f"eq.layer.{layer_name}"), key="equity_map")
add_slide_button("equity", tr(f"eq.layer.{layer_name}"))
st.caption(tr("eq.units_downloads"))  # the map's values per unit: one pair of buttons, under the map
table_downloads(table, "equity_units", "eq_dl")

st.subheader(tr("eq.exposure"))
show_table(res.exposure.table, "equity_exposure", "eq_exposure_table")
st.subheader(tr("eq.model"))
say("caption", f"{res.model.model}; {tr('eq.model_n', n=res.model.n_units)}")
show_table(model_table(res.model), "equity_model", "eq_model_table")
st.subheader(tr("eq.robustness"))
show_table(res.robustness, "equity_robustness", "eq_robust_table")
if res.model.sensitivity is not None:
    st.subheader(tr("eq.sensitivity"))
    st.altair_chart(sensitivity_chart(res.model.sensitivity, lang(), height=340), width="stretch")
st.subheader(tr("eq.representation"))
show_table(res.representation, "equity_representation", "eq_rep_table")

st.subheader(tr("eq.stop_level"))
outcomes = run_outcome_test(ds)
if outcomes is None:
    st.info(tr("eq.stop_level_none"))
else:
    show_table(outcomes, "equity_outcome_test", "eq_outcome_table")
    sentence = outcome_sentence(outcomes, lang())
    if sentence:
        say("info", sentence)
