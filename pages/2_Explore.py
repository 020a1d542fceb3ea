"""Explore: a choropleth of any indicator, with classification, palettes, filters and the full record on click."""

from functools import partial

import streamlit as st

import lillegeo as lg
from lillegeo import cached as c
from lillegeo.cached import indicator_for, lang, remember, table_downloads, tr, unescape
from lillegeo.maps import PALETTES, SCHEMES
from lillegeo.params import bounds
from lillegeo.report import indicator_static_map

ds, token = c.page_header("explore.title", "explore.question")

numeric = lg.numeric_columns(ds.units)
if not numeric:
    st.error(tr("explore.no_numeric"))
    st.stop()

counts = set(ds.count_columns)
default_col = "incidents" if "incidents" in numeric else next((x for x in numeric if x in counts), numeric[0])
with st.sidebar:
    column = st.selectbox(tr("explore.column"), numeric, index=numeric.index(default_col), key="explore_column")
    per_opts = [""] + [x for x in numeric if x != column]
    default_per = ds.population if (ds.population in per_opts and column in counts and column != ds.population) else ""
    per = st.selectbox(tr("explore.per"), per_opts, index=per_opts.index(default_per), key="explore_per",
                       format_func=lambda v: v or tr("explore.raw")) or None
    exclude_ad = st.checkbox(tr("explore.exclude_ad"), value=True, key="explore_exclude_ad", disabled=per is None)
    smoothing = st.radio(tr("explore.smoothing"), ["none", "global_eb", "spatial_eb"], key="explore_smoothing",
                         format_func=lambda v: tr(f"smoothing.{v}"), disabled=per is None)
    scheme = st.selectbox(tr("explore.scheme"), list(SCHEMES), key="explore_scheme",
                          format_func=lambda v: tr(f"scheme.{v}"))
    breaks = None
    if scheme == "user":
        txt = st.text_input(tr("explore.breaks"), key="explore_breaks", value="")
        try:
            breaks = [float(x) for x in txt.replace(";", ",").split(",") if x.strip()] or None
        except ValueError:
            st.error(tr("explore.breaks"))
    k = st.slider(tr("explore.k"), 2, 9, 5, key="explore_k")
    palette = st.selectbox(tr("explore.palette"), list(PALETTES), key="explore_palette", index=1)
    threshold = st.number_input(tr("explore.threshold"), *bounds("explore", "threshold"), value=lg.DEFAULT_THRESHOLD,
                                step=1, key="explore_threshold")
    communes = sorted(ds.units["commune_name"].astype(str).unique())
    chosen = st.multiselect(tr("explore.communes"), communes, key="explore_communes")
    show_overlay = st.checkbox(tr("explore.overlay"), value=ds.overlay is not None, key="explore_overlay",
                               disabled=ds.overlay is None)

remember("explore")
try:
    ind = indicator_for(token, ds, column, per, smoothing if per else "none", int(threshold),
                        ("A", "D") if (per and exclude_ad) else (), lang())
    units = ds.units
    if chosen:
        keep = units["commune_name"].astype(str).isin(chosen)
        units = units[keep]
        ind = ind.subset(keep)
    build = partial(lg.choropleth_map, units, ind, scheme=scheme, k=k, breaks=breaks, palette=palette,
                    overlay=ds.overlay if show_overlay else None, overlay_name_col="unit_name", demo=ds.demo,
                    lang=lang())
    m = build(assets="app")
except ValueError as exc:
    c.say_error(exc)
    st.stop()

out = c.show_map(m, height=620, key="explore_map", returned_objects=["last_active_drawing"])
st.caption(tr("explore.summary", shown=int(ind.values.notna().sum()), withheld=ind.n_withheld,
              threshold=ind.threshold, nodata=ind.n_missing))
for note in ind.notes:
    c.say("caption", note)

left, right = st.columns([1, 1])
with left:
    st.subheader(tr("explore.record"))
    feature = (out or {}).get("last_active_drawing") or {}
    uid = unescape((feature.get("properties") or {}).get("uid", ""))
    if uid and (units["unit_id"] == uid).any():
        safe, _ = lg.suppress_frame(units[units["unit_id"] == uid], threshold=int(threshold),
                                    columns=ds.count_columns)
        record = safe.iloc[0].astype("string").rename("value").to_frame()
        st.dataframe(record, width="stretch", key="explore_record")
    else:
        st.info(tr("explore.click"))
with right:
    st.subheader(tr("explore.table"))
    table = ind.frame(units["unit_id"])
    table.insert(1, "unit_name", units["unit_name"].to_numpy())
    st.dataframe(c.shown(table), hide_index=True, width="stretch", key="explore_table", height=300)
    export = table.assign(data=tr("demo.badge")) if ds.demo else table
    table_downloads(export, "synthetic_demo_indicator" if ds.demo else "indicator", "explore_dl_table")

    st.download_button(tr("explore.download_map"), lambda: lg.to_offline_html(build(assets="inline", title=ind.label)),
                       file_name="synthetic_demo_map.html" if ds.demo else "map.html", mime="text/html",
                       key="explore_dl_map", on_click="ignore")

    def _static(fmt: str):
        def make() -> bytes:
            import io

            buf = io.BytesIO()
            caption = ", ".join(r.source for r in ds.reports)
            kw = {"png": buf} if fmt == "png" else {"pdf": buf}
            indicator_static_map(units, ind, scheme=scheme, k=k, palette=palette, caption=caption, demo=ds.demo,
                                 lang=lang(), overlay=ds.overlay if show_overlay else None, **kw)
            return buf.getvalue()
        return make

    s1, s2 = st.columns(2)
    s1.download_button(tr("explore.download_png"), _static("png"), file_name="map.png", mime="image/png",
                       key="explore_dl_png", on_click="ignore")
    s2.download_button(tr("explore.download_pdf"), _static("pdf"), file_name="map.pdf", mime="application/pdf",
                       key="explore_dl_pdf", on_click="ignore")
