"""Equity: exposure of groups to checks, the benchmark model (checks beyond crime), disparity layers, findings."""

from functools import partial

import pandas as pd
import streamlit as st

import lillegeo as lg
from lillegeo import cached as c
from lillegeo.cached import lang, md, tr
from lillegeo.equity import BIVARIATE, bivariate_names, outcome_test, residual_classes
from lillegeo.hotspots import HOT_COLORS
from lillegeo.i18n import label_text
from lillegeo.maps import bivariate_legend_html, categorical_map

ds, token = c.page_header("eq.title", "eq.question")

numeric = lg.numeric_columns(ds.units)
counts = [x for x in numeric if x in set(ds.count_columns)]
if len(counts) < 3:
    st.info(tr("eq.need_columns"))
    st.stop()


def pick(label, options, default, key, **kw):
    idx = options.index(default) if default in options else 0
    return st.selectbox(label, options, index=idx, key=key, **kw)


c1, c2, c3 = st.columns(3)
with c1:
    enforcement = pick(tr("eq.enforcement"), counts, "checks", "eq_enforcement")
    crime = pick(tr("eq.crime"), counts, "incidents", "eq_crime")
with c2:
    population = pick(tr("eq.population"), counts, ds.population, "eq_population")
    group = pick(tr("eq.group"), counts, "P21_POP_IMM", "eq_group")
    reference = pick(tr("eq.reference"), ["complement"] + counts, "complement", "eq_reference",
                     format_func=lambda v: tr("eq.complement") if v == "complement" else v)
with c3:
    others = [""] + [x for x in counts if x not in (crime, enforcement)]
    other_crime = pick(tr("eq.other_crime"), others, "incidents_2023", "eq_other_crime",
                       format_func=lambda v: v or tr("data.none")) or None
    bootstrap = st.selectbox(tr("eq.bootstrap"), [199, 999, 1999], index=1, key="eq_bootstrap")
    seed = int(st.number_input(tr("eq.seed"), 0, 2**31 - 1, 0, key="eq_seed"))
    band = st.slider(tr("eq.band"), 0.5, 2.0, (0.8, 1.25), 0.05, key="eq_band")
kinds = ["people", "top_share"] + (["overlay"] if ds.overlay is not None else [])
area_group = st.radio(tr("eq.group_kind"), kinds, horizontal=True, key="eq_group_kind",
                      format_func=lambda v: tr(f"eq.group_kind.{v}"))

c.remember("equity")
try:
    with st.spinner(tr("eq.title")):
        res = c.equity_for(token, ds, enforcement, crime, population, group,
                           None if reference == "complement" else reference, other_crime, int(bootstrap), seed,
                           tuple(band), lang(), area_group)
except ValueError as exc:
    c.say_error(exc)
    st.stop()

st.subheader(tr("eq.findings"))
for f in res["findings"]:
    text = md(f["text"])
    if f["kind"] == "caveat":
        st.caption(text)
    elif f["flag"]:
        st.warning(text, icon=":material/flag:")
    else:
        st.info(text)

st.subheader(tr("eq.layers"))
layer = st.radio(tr("eq.layer"), ["bivariate", "residual", "residual_gi", "share"], horizontal=True, key="eq_layer",
                 format_func=lambda v: tr(f"eq.layer.{v}"))
common = dict(demo=ds.demo, lang=lang(), overlay=ds.overlay)
table = res["units_table"]
tips = {tr("eq.layer.residual"): table["observed_over_expected"], enforcement: table["enforcement"], crime: table["crime"]}
if layer == "bivariate":
    labels, colors = res["bivariate"]
    legend = bivariate_legend_html(tr("eq.layer.bivariate"), BIVARIATE, labels.value_counts().to_dict(),
                                   tr("eq.biv.note"), tr("eq.crime"), tr("eq.enforcement"))
    build = partial(categorical_map, ds.units, labels, colors, legend_title=tr("eq.biv.legend"), legend=legend,
                    tooltip_columns=tips, **common)
    names = bivariate_names(lang())
    map_labels, map_colors = labels.map(names).fillna(""), {names[k]: v for k, v in colors.items()}
elif layer == "residual":
    labels, colors = residual_classes(res["residual_ratio"], lang())
    build = partial(categorical_map, ds.units, labels, colors, legend_title=tr("eq.res.legend"), tooltip_columns=tips,
                    legend_note=res["model"].model, **common)
    map_labels, map_colors = labels, colors
elif layer == "residual_gi":
    hs = res["residual_hotspots"]
    colors = {label_text(k, lang()): v for k, v in HOT_COLORS.items()
              if k in set(hs.frame["label"]) or k == "Not significant"}
    map_labels, map_colors = hs.frame["label"].map(lambda v: label_text(v, lang())), colors
    build = partial(categorical_map, ds.units, map_labels, colors, legend_title=tr("eq.layer.residual_gi"),
                    tooltip_columns=tips, **common)
else:
    share_pct = (res["share"] * 100).round(0)
    bins = pd.cut(share_pct, [-0.1, 10, 20, 30, 40, 100], labels=["0–10 %", "10–20 %", "20–30 %", "30–40 %", "> 40 %"])
    colors = dict(zip(["0–10 %", "10–20 %", "20–30 %", "30–40 %", "> 40 %"], lg.maps.palette_colors("PuBu", 5)))
    map_labels, map_colors = bins.astype("string"), colors
    build = partial(categorical_map, ds.units, map_labels, colors, legend_title=f"{tr('eq.layer.share')}: {group}",
                    tooltip_columns=tips, **common)
c.show_map(build(assets="app"), height=560, key="eq_map")
c.map_downloads(build, ds.units, map_labels, map_colors, title=tr(f"eq.layer.{layer}"), key="equity_map")

exp = res["exposure"]
st.subheader(tr("eq.exposure"))
st.dataframe(c.shown(exp.table), hide_index=True, width="stretch", key="eq_exposure_table")
st.subheader(tr("eq.model"))
c.say("caption", res["model"].model)
st.dataframe(c.shown(res["model"].params), width="stretch", key="eq_model_table")
st.subheader(tr("eq.robustness"))
st.dataframe(c.shown(res["robustness"]), hide_index=True, width="stretch", key="eq_robust_table")
st.subheader(tr("eq.representation"))
st.dataframe(c.shown(res["representation"]), hide_index=True, width="stretch", key="eq_rep_table")
c.table_downloads(table, "equity_units", "eq_dl")

st.subheader(tr("eq.stop_level"))
stops = next((p for p in ds.points.values() if {"outcome", "group"} <= set(p.columns)), None)
if stops is None:
    st.info(tr("eq.stop_level_none"))
else:
    st.dataframe(c.shown(outcome_test(stops, group="group", outcome="outcome")), hide_index=True, width="stretch",
                 key="eq_outcome_table")
