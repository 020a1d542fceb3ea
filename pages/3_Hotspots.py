"""Hotspots: area hot/cold spots, incident clusters and heat, typologies, evaluation and sensitivity."""

from functools import partial

import pandas as pd
import streamlit as st

from lillegeo.app import state
from lillegeo.app.cache import cached
from lillegeo.app.text import lang, md, say, say_error, tr
from lillegeo.app.widgets import (
    add_slide_button,
    bound,
    map_downloads,
    on_demand_table,
    page_header,
    show_map,
    show_table,
    with_current,
)
from lillegeo.choices import categories_of, options_for, years_of
from lillegeo.fmt import fmt_auto, fmt_counts, fmt_int, fmt_p
from lillegeo.i18n import label_text
from lillegeo.insee import per_option
from lillegeo.layers import hot_layer, typology_layer
from lillegeo.maps import categorical_map
from lillegeo.params import ALPHA_CHOICES, PERMUTATION_CHOICES, WEIGHT_CHOICES, bounds, options
from lillegeo.pipeline import (
    run_area_hotspots,
    run_cluster_sensitivity,
    run_clusters,
    run_evaluation,
    run_hotspot_sensitivity,
    run_typology,
)
from lillegeo.wording import clusters_note, fmt_g, hotspot_note, weights_text

ds, token = page_header("hot.title", "hot.question")
o = options_for(ds)
if not o.numeric:  # point layers are counted into columns: no numeric column means nothing to analyse here
    st.warning(tr("hot.no_numeric"))
    st.stop()
r = state.current_recipe()
threshold = r.disclosure.threshold
tab_area, tab_points, tab_types, tab_eval = st.tabs(
    [tr("hot.tab.area"), tr("hot.tab.points"), tr("hot.tab.types"), tr("hot.tab.eval")])


def number(label: str, section: str, name: str, step):
    lo, hi = bounds(section, name)
    fmt = {"format": "%g"} if isinstance(step, float) else {}  # 120, not 120.00
    return bound(st.number_input, label, section, name, min_value=lo, max_value=hi, step=step, **fmt)


# ------------------------------------------------------------------ area hot and cold spots
with tab_area:
    h = r.hotspots
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        column = bound(st.selectbox, tr("explore.column"), "hotspots", "column", options=o.numeric,
                       then=lambda v: {"per": o.default_per(v)})
        per = bound(st.selectbox, tr("explore.per"), "hotspots", "per", options=o.per_for(column),
                    format_func=lambda v: per_option(column, v, lang()))
        bound(st.checkbox, tr("hot.exclude_ad"), "hotspots", "exclude_ad", disabled=not per,
              help=tr("explore.exclude_ad"))  # a narrow column: the short label, the sentence in the help
        bound(st.radio, tr("explore.smoothing"), "hotspots", "smoothing", options=options("hotspots", "smoothing"),
              format_func=lambda v: tr(f"smoothing.{v}"), disabled=not per)
    with c2:
        bound(st.radio, tr("hot.method"), "hotspots", "method", options=options("hotspots", "method"),
              format_func=lambda v: tr(f"hot.method.{v}"))
        bound(st.selectbox, tr("hot.weights"), "hotspots", "weights", options=with_current(WEIGHT_CHOICES, h.weights),
              format_func=lambda v: weights_text(v, lang()))
    with c3:
        bound(st.selectbox, tr("hot.permutations"), "hotspots", "permutations",
              options=with_current(PERMUTATION_CHOICES, h.permutations))
        bound(st.selectbox, tr("hot.alpha"), "hotspots", "alpha", options=with_current(ALPHA_CHOICES, h.alpha),
              format_func=lambda v: fmt_g(v, lang()))
    with c4:
        bound(st.radio, tr("hot.correction"), "hotspots", "correction", options=options("hotspots", "correction"),
              format_func=lambda v: tr(f"hot.correction.{v}"))
        number(tr("hot.seed"), "hotspots", "seed", 1)
    h = state.current_recipe().hotspots
    try:
        with st.spinner(tr("hot.tab.area")):
            res = cached(run_area_hotspots, token, ds, h, threshold=threshold)
    except ValueError as exc:
        say_error(exc)
    else:
        hs = res.hotspots
        m1, m2, m3 = st.columns(3)
        m1.metric(tr("hot.moran"), fmt_auto(hs.moran_i, lang(), 3))
        m2.metric(tr("hot.moran_p"), fmt_p(hs.moran_p, lang(), bare=True))
        m3.metric(tr("hot.significant"), fmt_int(res.n_significant, lang()))
        st.caption(tr("hot.partition", alpha=fmt_g(h.alpha, lang()), threshold=threshold,
                      **fmt_counts(res.partition, lang())))
        if res.impossible_note(lang()):
            st.warning(res.impossible_note(lang()))
        if hs.islands:
            st.warning(tr("hot.islands", ids=md(", ".join(map(str, hs.islands)))))
        layer = hot_layer(hs, lang(), withheld=res.indicator.withheld, threshold=threshold)
        table = res.table.assign(label=res.table["label"].map(lambda v: label_text(v, lang())))
        note = hotspot_note(h, res.indicator.label, lang())
        build = partial(categorical_map, ds.units, layer.labels, layer.colors, legend_title=layer.title,
                        tooltip_columns={res.indicator.label: res.table["value"], "z": hs.frame["z"],
                                         "p": hs.frame["p"]},
                        legend_note=note, overlay=ds.overlay, demo=ds.demo, lang=lang())
        show_map(build(assets="app"), height=560, key="hot_area_map")
        map_downloads(build, ds.units, layer.labels, layer.colors, title=f"{layer.title}: {res.indicator.label}",
                      key="hotspots_map")
        add_slide_button("hotspots", f"{layer.title}: {res.indicator.label}")
        sig = res.significant_table()
        show_table(sig.assign(label=sig["label"].map(lambda v: label_text(v, lang()))), "hotspots", "hot_area_table",
                   export=table, height=260)
        st.subheader(tr("hot.sensitivity"))
        on_demand_table((h, threshold), lambda: cached(run_hotspot_sensitivity, token, ds, h, threshold=threshold),
                        state_key="hot_sens", button_key="hot_sens_run", note_key="hot.sensitivity_note",
                        name="hotspot_sensitivity")

# ------------------------------------------------------------------ incident clusters and heat surface
with tab_points:
    if not o.layers:
        st.info(tr("hot.no_points"))
    else:
        c1, c2, c3 = st.columns(3)
        with c1:
            layer_name = bound(st.selectbox, tr("hot.layer"), "clusters", "layer", options=o.layers)
            bound(st.multiselect, tr("hot.categories"), "clusters", "categories",
                  options=categories_of(ds, layer_name), placeholder=tr("widget.choose"))
            bound(st.multiselect, tr("hot.years"), "clusters", "years", options=years_of(ds, layer_name),
                  placeholder=tr("widget.choose"))
        with c2:
            algorithm = bound(st.radio, tr("hot.algorithm"), "clusters", "algorithm",
                              options=options("clusters", "algorithm"), format_func=str.upper)
            if algorithm == "optics":
                st.caption(tr("hot.optics_slow"))
            number(tr("hot.eps"), "clusters", "eps_m", 10.0)
            number(tr("hot.min_samples"), "clusters", "min_samples", 5)
        with c3:
            heat_on = bound(st.checkbox, tr("hot.heat"), "clusters", "heat")
            lo, hi = bounds("clusters", "bandwidth_m")
            bound(st.number_input, tr("hot.bandwidth"), "clusters", "bandwidth_m", min_value=lo, max_value=hi,
                  step=50.0, format="%g", disabled=not heat_on)
            lo, hi = bounds("clusters", "cell_m")
            bound(st.number_input, tr("hot.cell"), "clusters", "cell_m", min_value=lo, max_value=hi, step=25.0,
                  format="%g", disabled=not heat_on)
        cp = state.current_recipe().clusters
        try:
            with st.spinner(tr("hot.tab.points")):
                cres = cached(run_clusters, token, ds, cp, threshold=threshold)
        except ValueError as exc:
            say_error(exc)
        else:
            pc = cres.clusters
            st.caption(pc.summary_text(lang()))
            if cres.empty_reason(lang()):
                st.info(cres.empty_reason(lang()))
            if pc.n_withheld:  # clusters under the disclosure threshold: counted, never shown
                st.caption(pc.withheld_note(lang()))
            for note in pc.notes:
                say("caption", note)
            blank = pd.Series("", index=ds.units.index)
            build = partial(categorical_map, ds.units, blank, {}, legend_title=tr("map.hulls"),
                            layer_name=tr("map.units"), hulls=pc.hulls, heat=cres.heat, overlay=ds.overlay,
                            demo=ds.demo, lang=lang(),
                            legend_note=clusters_note(cp, lang()))
            show_map(build(assets="app"), height=560, key="hot_points_map")
            map_downloads(build, ds.units, blank, {}, title=tr("map.hulls"), key="clusters_map", hulls=pc.hulls)
            add_slide_button("clusters", tr("map.hulls"))
            table = pc.table.drop(columns=["x", "y"])
            show_table(table, "clusters", "hot_clusters_table")
            st.subheader(tr("hot.sensitivity"))
            on_demand_table(cp.replace(heat=False), lambda: cached(run_cluster_sensitivity, token, ds, cp.replace(heat=False)),
                            state_key="hot_csens", button_key="hot_csens_run", note_key="hot.csens_note",
                            name="cluster_sensitivity")

# ------------------------------------------------------------------ typologies
with tab_types:
    c1, c2 = st.columns([3, 1])
    with c1:
        cols = bound(st.multiselect, tr("hot.types_columns"), "typology", "columns", options=o.numeric,
                     placeholder=tr("widget.choose"))
    with c2:
        lo, hi = bounds("typology", "k")
        bound(st.slider, tr("hot.types_k"), "typology", "k", min_value=lo, max_value=hi)
        bound(st.radio, tr("hot.types_method"), "typology", "method", options=options("typology", "method"),
              format_func=lambda v: tr(f"hot.types.{v}"))
    if len(cols) < 2:
        st.info(tr("hot.types_pick"))
    else:
        try:
            typ = cached(run_typology, token, ds, state.current_recipe().typology, threshold=threshold, lang=lang())
        except ValueError as exc:
            say_error(exc)
        else:
            tl, profile = typology_layer(typ, lang())
            build = partial(categorical_map, ds.units, tl.labels, tl.colors, legend_title=tl.title, demo=ds.demo,
                            lang=lang(), legend_note=tl.note)
            show_map(build(assets="app"), height=520, key="hot_types_map")
            map_downloads(build, ds.units, tl.labels, tl.colors, title=tl.title, key="types_map")
            show_table(profile, "typology_profile", "hot_types_profile")

# ------------------------------------------------------------------ evaluation
with tab_eval:
    if not o.dated_layers:
        st.info(tr("hot.eval_need_years"))
        st.stop()
    c1, c2, c3, c4 = st.columns(4)
    with c1:  # the layer first: the years offered are those of the chosen layer
        layer_name = bound(st.selectbox, tr("hot.layer"), "evaluation", "layer", options=o.dated_layers)
        years = years_of(ds, layer_name)
        if len(years) >= 2:
            p2 = bound(st.selectbox, tr("hot.period2"), "evaluation", "period2", options=years,
                       show=lambda v: v if v in years else years[-1])
            bound(st.multiselect, tr("hot.period1"), "evaluation", "period1", options=[y for y in years if y < p2],
                  show=lambda v: [y for y in (v or years) if y < p2], placeholder=tr("widget.choose"))
    with c2:
        number(tr("hot.eps"), "evaluation", "eps_m", 10.0)
        number(tr("hot.min_samples"), "evaluation", "min_samples", 5)
    with c3:
        ev = state.current_recipe().evaluation
        bound(st.selectbox, tr("hot.weights"), "evaluation", "weights",
              options=with_current(WEIGHT_CHOICES, ev.weights), format_func=lambda v: weights_text(v, lang()))
        bound(st.selectbox, tr("hot.alpha"), "evaluation", "alpha", options=with_current(ALPHA_CHOICES, ev.alpha),
              format_func=lambda v: fmt_g(v, lang()))
        bound(st.selectbox, tr("hot.permutations"), "evaluation", "permutations",
              options=with_current(PERMUTATION_CHOICES, ev.permutations))
        number(tr("hot.seed"), "evaluation", "seed", 1)
    with c4:
        st.caption(tr("hot.eval_heat"))
        number(tr("hot.bandwidth"), "evaluation", "bandwidth_m", 50.0)
        number(tr("hot.cell"), "evaluation", "cell_m", 25.0)
        number(tr("hot.eval_share"), "evaluation", "kde_share", 0.02)
    st.caption(tr("hot.eval_params"))
    ev = state.current_recipe().evaluation
    if len(years) < 2:
        st.info(tr("hot.eval_need_years"))
    elif st.button(tr("hot.eval_run"), key="hot_eval_run"):
        with st.spinner(tr("hot.eval_run")):
            try:
                st.session_state["hot_eval"] = (ev, cached(run_evaluation, token, ds, ev, threshold=threshold))
            except ValueError as exc:
                st.session_state.pop("hot_eval", None)
                say_error(exc)
    kept = st.session_state.get("hot_eval")
    if kept and kept[0] == ev and len(years) >= 2:  # a result is shown only for the parameters on screen
        show_table(kept[1].table, "evaluation", "hot_eval_table")
    elif kept:
        st.info(tr("hot.eval_stale"))
    st.caption(tr("hot.formulas_line", formulas=tr("hot.eval_formulas")))
