"""Hotspots: area hot/cold spots, incident clusters and heat, typologies, evaluation and sensitivity."""

from functools import partial

import pandas as pd
import streamlit as st

import lillegeo as lg
from lillegeo import cached as c
from lillegeo.cached import lang, tr
from lillegeo.i18n import label_text
from lillegeo.hotspots import EVALUATION_FORMULAS, HOT_COLORS, LISA_COLORS, TYPE_COLORS
from lillegeo.maps import categorical_map
from lillegeo.params import DEFAULTS, bounds

ds, token = c.page_header("hot.title", "hot.question")

numeric = lg.numeric_columns(ds.units)
if not numeric:  # point layers are counted into columns: no numeric column means nothing to analyse here
    st.warning(tr("hot.no_numeric"))
    st.stop()
counts = set(ds.count_columns)
tab_area, tab_points, tab_types, tab_eval = st.tabs(
    [tr("hot.tab.area"), tr("hot.tab.points"), tr("hot.tab.types"), tr("hot.tab.eval")])

# ------------------------------------------------------------------ area hot and cold spots
with tab_area:
    c1, c2, c3, c4 = st.columns(4)
    default_col = "incidents" if "incidents" in numeric else numeric[0]
    column = c1.selectbox(tr("explore.column"), numeric, index=numeric.index(default_col), key="hot_column")
    per_opts = [""] + [x for x in numeric if x != column]
    default_per = ds.population if (ds.population in per_opts and column in counts) else ""
    per = c1.selectbox(tr("explore.per"), per_opts, index=per_opts.index(default_per), key="hot_per",
                       format_func=lambda v: v or tr("explore.raw")) or None
    method = c2.radio(tr("hot.method"), ["gi_star", "local_moran"], key="hot_method",
                      format_func=lambda v: tr(f"hot.method.{v}"))
    weights = c2.selectbox(tr("hot.weights"), ["queen", "rook", "knn:6", "knn:8", "distance:1000", "distance:1500"],
                           key="hot_weights")
    permutations = c3.selectbox(tr("hot.permutations"), [99, 499, 999, 9999], index=2, key="hot_permutations")
    alpha = c3.selectbox(tr("hot.alpha"), [0.01, 0.05, 0.10], index=1, key="hot_alpha")
    correction = c4.radio(tr("hot.correction"), ["none", "fdr", "bonferroni"], key="hot_correction",
                          format_func=lambda v: tr(f"hot.correction.{v}"))
    seed = int(c4.number_input(tr("hot.seed"), min_value=0, max_value=2**31 - 1, value=0, step=1, key="hot_seed"))
    exclude = ("A", "D") if per else ()
    c.remember("hotspots")
    params = (column, per, exclude, lg.DEFAULT_THRESHOLD, method, weights, int(permutations), float(alpha),
              correction, seed)
    try:
        with st.spinner(tr("hot.tab.area")):
            ind, res, table = c.area_hotspots_for(token, ds, *params)
    except ValueError as exc:
        c.say_error(exc)
    else:
        m1, m2, m3 = st.columns(3)
        m1.metric(tr("hot.moran"), f"{res.moran_i:.3f}")
        m2.metric(tr("hot.moran_p"), f"{res.moran_p:.3f}")
        m3.metric(tr("hot.significant"), int((res.frame["bin"] != 0).sum()))
        if res.islands:
            st.warning(tr("hot.islands", ids=c.md(", ".join(map(str, res.islands)))))
        colors = HOT_COLORS if method == "gi_star" else LISA_COLORS
        colors = {label_text(k, lang()): v for k, v in colors.items() if k in set(res.frame["label"]) or k in
                  ("Hot spot 99%", "High-High", "Not significant")}
        shown_labels = res.frame["label"].map(lambda v: label_text(v, lang()))
        table = table.assign(label=table["label"].map(lambda v: label_text(v, lang())))
        note = (f"{ind.label}; {weights}; {permutations} permutations; seed {seed}; "
                f"alpha {alpha}; correction {correction}")
        build = partial(categorical_map, ds.units, shown_labels, colors, legend_title=tr("hot.legend"),
                        tooltip_columns={ind.label: table["value"], "z": res.frame["z"], "p": res.frame["p"]},
                        legend_note=note, overlay=ds.overlay, demo=ds.demo, lang=lang())
        c.show_map(build(assets="app"), height=560, key="hot_area_map")
        c.map_downloads(build, ds.units, shown_labels, colors, title=f"{tr('hot.legend')}: {ind.label}",
                        key="hotspots_map")
        st.dataframe(c.shown(table[res.frame["label"].to_numpy() != "Not significant"]), hide_index=True, width="stretch",
                     key="hot_area_table", height=260)
        c.table_downloads(table, "hotspots", "hot_dl_area")
        st.subheader(tr("hot.sensitivity"))
        c.on_demand_table(params, lambda: c.sensitivity_for(token, ds, *params), state_key="hot_sens",
                          button_key="hot_sens_run", note_key="hot.sensitivity_note")

# ------------------------------------------------------------------ incident clusters and heat surface
with tab_points:
    if not ds.points:
        st.info(tr("hot.no_points"))
    else:
        c1, c2, c3 = st.columns(3)
        layer = c1.selectbox(tr("hot.layer"), list(ds.points), key="hot_layer")
        pts = ds.points[layer]
        cats = sorted(pts["category"].dropna().unique()) if "category" in pts.columns else []
        chosen_cats = c1.multiselect(tr("hot.categories"), cats, key="hot_cats")
        years = sorted(pts["date"].dt.year.dropna().astype(int).unique()) if "date" in pts.columns else []
        chosen_years = c1.multiselect(tr("hot.years"), years, key="hot_years")
        algorithm = c2.radio(tr("hot.algorithm"), ["dbscan", "hdbscan", "optics"], key="hot_algorithm",
                             format_func=str.upper)
        if algorithm == "optics":
            c2.caption(tr("hot.optics_slow"))
        eps = c2.number_input(tr("hot.eps"), *bounds("hotspots", "eps_m"), DEFAULTS["hotspots"]["eps_m"], 10.0, key="hot_eps")
        min_samples = c2.number_input(tr("hot.min_samples"), *bounds("hotspots", "min_samples"),
                                      DEFAULTS["hotspots"]["min_samples"], 5, key="hot_min_samples")
        c.remember("hotspots")
        show_heat = c3.checkbox(tr("hot.heat"), value=False, key="hot_heat")
        bw = c3.number_input(tr("hot.bandwidth"), 50, 2000, 250, 50, key="hot_bw", disabled=not show_heat)
        cell = c3.number_input(tr("hot.cell"), 25, 1000, 100, 25, key="hot_cell", disabled=not show_heat)
        try:
            with st.spinner(tr("hot.tab.points")):
                pc, _n_used = c.clusters_for(token, ds, layer, tuple(chosen_cats), tuple(chosen_years), algorithm,
                                            float(eps), int(min_samples), 0)
                heat = (c.heat_for(token, ds, layer, tuple(chosen_cats), tuple(chosen_years), float(bw), float(cell))
                        if show_heat else None)
        except ValueError as exc:
            c.say_error(exc)
        else:
            st.caption(pc.summary_text(lang()))
            if pc.n_withheld:  # clusters under the disclosure threshold: counted, never shown
                st.caption(pc.withheld_note(lang()))
            for note in pc.notes:
                c.say("caption", note)
            blank = pd.Series("", index=ds.units.index)
            build = partial(categorical_map, ds.units, blank, {}, legend_title=tr("map.hulls"),
                            layer_name=tr("map.units"), hulls=pc.hulls,
                            heat=heat, overlay=ds.overlay, demo=ds.demo, lang=lang(),
                            legend_note=f"{algorithm.upper()}: r = {eps} m, min = {min_samples}")
            c.show_map(build(assets="app"), height=560, key="hot_points_map")
            c.map_downloads(build, ds.units, blank, {}, title=tr("map.hulls"), key="clusters_map", hulls=pc.hulls)
            table = pc.table.drop(columns=["x", "y"])
            st.dataframe(c.shown(table), hide_index=True, width="stretch", key="hot_clusters_table")
            c.table_downloads(table, "clusters", "hot_dl_clusters")
            st.subheader(tr("hot.sensitivity"))
            pkey = (layer, tuple(chosen_cats), tuple(chosen_years), algorithm, float(eps), int(min_samples))
            c.on_demand_table(pkey, lambda: c.cluster_sensitivity_for(token, ds, *pkey), state_key="hot_csens",
                              button_key="hot_csens_run", note_key="hot.csens_note")

# ------------------------------------------------------------------ typologies
with tab_types:
    default_types = [x for x in ("DISP_MED21", "DISP_TP6021", "P21_CHOM1564", "P21_POP_IMM") if x in numeric]
    c1, c2 = st.columns([3, 1])
    cols = c1.multiselect(tr("hot.types_columns"), numeric, default=default_types, key="hot_types_cols")
    k = c2.slider(tr("hot.types_k"), 2, 10, 5, key="hot_types_k")
    tmethod = c2.radio(tr("hot.types_method"), ["kmeans", "constrained"], key="hot_types_method",
                       format_func=lambda v: tr(f"hot.types.{v}"))
    if len(cols) < 2:
        st.info(tr("hot.types_pick"))
    else:
        try:
            typ = c.typology_for(token, ds, tuple(cols), int(k), tmethod, 0)
        except ValueError as exc:
            c.say_error(exc)
        else:
            names = {i: f"{tr('hot.types_legend')} {i + 1}" for i in range(k)}
            labels = typ.labels.map(lambda v: names.get(v, "No data"))
            colors = {names[i]: TYPE_COLORS[i % len(TYPE_COLORS)] for i in range(k)}
            build = partial(categorical_map, ds.units, labels, colors, legend_title=tr("hot.types_legend"),
                            demo=ds.demo, lang=lang(), legend_note=", ".join(cols))
            c.show_map(build(assets="app"), height=520, key="hot_types_map")
            c.map_downloads(build, ds.units, labels, colors, title=tr("hot.types_legend"), key="types_map")
            prof = typ.profile.assign(type=typ.profile["type"].map(names))
            st.dataframe(c.shown(prof), hide_index=True, width="stretch", key="hot_types_profile")

# ------------------------------------------------------------------ evaluation
with tab_eval:
    layer_opts = [x for x in ds.points if "date" in ds.points[x].columns]
    years = sorted(ds.points[layer_opts[0]]["date"].dt.year.dropna().astype(int).unique()) if layer_opts else []
    if len(years) < 2:
        st.info(tr("hot.eval_need_years"))
    else:
        c1, c2 = st.columns(2)
        layer = c1.selectbox(tr("hot.layer"), layer_opts, key="hot_eval_layer")
        p1 = c1.multiselect(tr("hot.period1"), years, default=years[:-1], key="hot_eval_p1")
        p2 = c2.selectbox(tr("hot.period2"), years, index=len(years) - 1, key="hot_eval_p2")
        if st.button(tr("hot.eval_run"), key="hot_eval_run") and p1:
            period1 = (f"{min(p1)}-01-01", f"{max(p1) + 1}-01-01")
            period2 = (f"{p2}-01-01", f"{p2 + 1}-01-01")
            with st.spinner(tr("hot.eval_run")):
                try:
                    st.session_state["hot_eval"] = c.evaluation_for(token, ds, layer, period1, period2, 120.0, 40,
                                                                    "queen", 0.05, 0)
                except ValueError as exc:
                    c.say_error(exc)
        if "hot_eval" in st.session_state:
            st.dataframe(c.shown(st.session_state["hot_eval"].round(3)), hide_index=True, width="stretch",
                         key="hot_eval_table")
        st.caption(f"{tr('hot.formulas')}: {EVALUATION_FORMULAS}")
