"""Explore: a choropleth of any indicator, with classification, palettes, filters and the full record on click."""

from functools import partial

import streamlit as st

from lillegeo.app import state
from lillegeo.app.cache import cached
from lillegeo.app.text import lang, say, say_error, shown, tr, unescape
from lillegeo.app.widgets import add_slide_button, bound, page_header, show_map, static_downloads, table_downloads
from lillegeo.breaks import format_breaks, parse_breaks
from lillegeo.choices import options_for
from lillegeo.fmt import fmt_counts, fmt_table
from lillegeo.insee import per_option
from lillegeo.maps import PALETTES, SCHEMES, choropleth_map, to_offline_html
from lillegeo.params import bounds, options
from lillegeo.pipeline import run_explore, unit_record
from lillegeo.report import indicator_static_map

ds, token = page_header("explore.title", "explore.question")
o = options_for(ds)
if not o.numeric:
    st.error(tr("explore.no_numeric"))
    st.stop()

r = state.current_recipe()
with st.sidebar:
    column = bound(st.selectbox, tr("explore.column"), "explore", "column", options=o.numeric,
                   then=lambda v: {"per": o.default_per(v)})
    per = bound(st.selectbox, tr("explore.per"), "explore", "per", options=o.per_for(column),
                format_func=lambda v: per_option(column, v, lang()))
    bound(st.checkbox, tr("explore.exclude_ad"), "explore", "exclude_ad", disabled=not per)
    bound(st.radio, tr("explore.smoothing"), "explore", "smoothing", options=options("explore", "smoothing"),
          format_func=lambda v: tr(f"smoothing.{v}"), disabled=not per)
    scheme = bound(st.selectbox, tr("explore.scheme"), "explore", "scheme", options=list(SCHEMES),
                   format_func=lambda v: tr(f"scheme.{v}"))
    if scheme == "user":
        bound(st.text_input, tr("explore.breaks"), "explore", "breaks",
              show=lambda b: format_breaks(b, lang()), read=lambda s: parse_breaks(s, lang()))
    bound(st.slider, tr("explore.k"), "explore", "k", min_value=bounds("explore", "k")[0],
          max_value=bounds("explore", "k")[1])
    bound(st.selectbox, tr("explore.palette"), "explore", "palette", options=list(PALETTES))
    bound(st.number_input, tr("explore.threshold"), "disclosure", "threshold", min_value=bounds("disclosure", "threshold")[0],
          max_value=bounds("disclosure", "threshold")[1], step=1)
    bound(st.multiselect, tr("explore.communes"), "explore", "communes", options=o.communes,
          placeholder=tr("widget.choose"))
    bound(st.checkbox, tr("explore.overlay"), "explore", "overlay", disabled=not o.has_overlay)

r = state.current_recipe()
e, threshold = r.explore, r.disclosure.threshold
try:
    res = cached(run_explore, token, ds, e, threshold=threshold, lang=lang())
    build = partial(choropleth_map, res.units, res.indicator, scheme=e.scheme, k=e.k, breaks=list(e.breaks) or None,
                    palette=e.palette, overlay=ds.overlay if e.overlay else None, overlay_name_col="unit_name",
                    demo=ds.demo, lang=lang())
    m = build(assets="app")
except ValueError as exc:
    say_error(exc)
    st.stop()

out = show_map(m, height=620, key="explore_map", returned_objects=["last_active_drawing"])
ind = res.indicator
add_slide_button("explore", ind.label)
st.caption(tr("explore.partition", threshold=ind.threshold, **fmt_counts(ind.partition, lang())))
for note in ind.notes:
    say("caption", note)
if res.coverage:
    say("info", res.coverage)

left, right = st.columns([1, 1])
with left:
    st.subheader(tr("explore.record"))
    feature = (out or {}).get("last_active_drawing") or {}
    uid = unescape((feature.get("properties") or {}).get("uid", ""))
    shown_unit = uid and uid in set(res.units["unit_id"])
    record = unit_record(ds, uid, threshold=threshold, lang=lang()) if shown_unit else None
    if record is not None:
        st.dataframe(shown(record), width="stretch", key="explore_record")
    else:
        st.info(tr("explore.click"))
with right:
    st.subheader(tr("explore.table"))
    st.dataframe(shown(fmt_table(res.table, lang())), hide_index=True, width="stretch", key="explore_table", height=300)
    table_downloads(res.table, "indicator", "explore_dl_table")  # the demo's carries the synthetic-data mark
    st.download_button(tr("explore.download_map"), lambda: to_offline_html(build(assets="inline", title=ind.label)),
                       file_name="synthetic_demo_map.html" if ds.demo else "map.html", mime="text/html",
                       key="explore_dl_map", on_click="ignore")
    caption = ", ".join(rep.source for rep in ds.reports)
    static_downloads(partial(indicator_static_map, res.units, ind, scheme=e.scheme, k=e.k, breaks=list(e.breaks) or None,
                             palette=e.palette,
                             caption=caption, demo=ds.demo, lang=lang(), overlay=ds.overlay if e.overlay else None),
                     key="explore_dl", name="map")
