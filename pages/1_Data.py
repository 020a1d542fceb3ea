"""Data: choose the demo or upload contours, a table and points; map columns; see the join report."""

import pandas as pd
import streamlit as st

import lillegeo as lg
from lillegeo.app import text as c
from lillegeo.app.cache import demo_dataset
from lillegeo.app.state import current_dataset, current_recipe, set_dataset
from lillegeo.app.text import lang, tr
from lillegeo.app.uploads import as_single_upload, read_upload, source_record
from lillegeo.app.widgets import kept
from lillegeo.explain import coverage_note, data_first, describe_report
from lillegeo.io import STD, SchemaError, csv_columns, suggest_unit_mapping
from lillegeo.report import table_bytes

st.title(tr("data.title"))
st.markdown(tr("data.question"))

if "data_flash" in st.session_state:
    st.success(st.session_state.pop("data_flash"))

source = st.radio(tr("data.source"), ["demo", "upload"], horizontal=True, **kept("data_source", "demo"),
                  format_func=lambda v: tr("data.use_demo") if v == "demo" else tr("data.use_upload"))


CRS_CHOICES = ["auto", "EPSG:2154", "EPSG:4326", "EPSG:3857", "EPSG:27572"]

if source == "demo":
    if st.button(tr("data.use_demo"), key="data_use_demo", type="primary"):
        set_dataset(demo_dataset(), b"demo")
        st.session_state["data_flash"] = tr("data.loaded", name=tr("demo.name"))
        st.rerun()
else:
    c1, c2 = st.columns(2)
    with c1:
        contour_files = st.file_uploader(tr("data.contours"), key="data_contours", accept_multiple_files=True,
                                         type=["gpkg", "geojson", "json", "zip", "parquet", "shp", "shx", "dbf",
                                               "prj", "cpg"], help=tr("data.contours_help"))
        crs_choice = st.selectbox(tr("data.crs"), CRS_CHOICES, **kept("data_crs", "auto"),
                                  format_func=lambda v: tr("data.crs_auto") if v == "auto" else v)
        planar = st.checkbox(tr("data.planar"), **kept("data_planar", False))
    with c2:
        table_file = st.file_uploader(tr("data.table"), key="data_table", type=["csv", "txt", "xlsx", "zip"])
        points_file = st.file_uploader(tr("data.points"), key="data_points",
                                       type=["csv", "txt", "geojson", "json", "gpkg", "zip"])
    crs = None if crs_choice == "auto" else crs_choice
    udata, uname, urecord = as_single_upload(contour_files)

    mapping = None
    if udata is not None:
        try:
            read_upload("units", udata, uname, crs=crs, planar=planar)  # read once per change
        except SchemaError as exc:
            st.info(tr("data.map_columns_help"))
            guess = suggest_unit_mapping(exc.columns)
            opts = [""] + exc.columns
            with st.expander(tr("data.map_columns"), expanded=True):
                mapping = {}
                for std in STD:
                    default = guess.get(std) or ""
                    mapping[std] = st.selectbox(tr(f"data.col.{std}"), opts, **kept(f"data_map_{std}", default, opts),
                                                format_func=lambda v: v or tr("data.none")) or None
        except ValueError:
            pass  # reported on load

    key = None
    if table_file is not None:
        try:
            read_upload("table", table_file.getvalue(), table_file.name)
        except SchemaError as exc:
            key = st.selectbox(tr("data.key"), exc.columns, **kept("data_key", exc.columns[0], exc.columns))
        except ValueError:
            pass

    px = py = pcrs = None
    if points_file is not None and points_file.name.lower().endswith((".csv", ".txt")):
        cols = csv_columns(points_file.getvalue(), points_file.name) if points_file.size else []
        c3, c4, c5 = st.columns(3)
        px = c3.selectbox(tr("data.x"), ["auto"] + cols, **kept("data_px", "auto", ["auto"] + cols))
        py = c4.selectbox(tr("data.y"), ["auto"] + cols, **kept("data_py", "auto", ["auto"] + cols))
        pcrs = c5.selectbox(tr("data.points_crs"), CRS_CHOICES, **kept("data_pcrs", "auto"),
                            format_func=lambda v: tr("data.crs_auto") if v == "auto" else v)
        px, py, pcrs = (None if v == "auto" else v for v in (px, py, pcrs))

    if st.button(tr("data.load"), key="data_load", type="primary"):
        if udata is None:
            st.error(tr("data.need_contours"))
        else:
            try:
                with st.status(tr("data.load"), expanded=False) as status:
                    units, urep = read_upload("units", udata, uname, crs=crs, planar=planar, mapping=mapping)
                    reports = [urep]
                    table = None
                    if table_file is not None:
                        table, trep = read_upload("table", table_file.getvalue(), table_file.name, key=key)
                        reports.append(trep)
                    points = {}
                    if points_file is not None:
                        pts, prep = read_upload("points", points_file.getvalue(), points_file.name, x=px, y=py,
                                                     crs=pcrs, planar=planar)
                        reports.append(prep)
                        points["points"] = pts
                    sources = {"units": {**urecord, "mapping": mapping, "crs": crs, "planar": planar}}
                    if table_file is not None:
                        sources["table"] = {**source_record(table_file.getvalue(), table_file.name), "key": key}
                    if points_file is not None:
                        sources["points"] = {"points": {**source_record(points_file.getvalue(), points_file.name),
                                                        "x": px, "y": py, "crs": pcrs}}
                    ds = lg.build_dataset(units, name=uname, table=table, points=points, reports=reports,
                                          sources=sources)
                    status.update(state="complete")
                token = b"".join([udata] + [f.getvalue() for f in (table_file, points_file) if f is not None])
                set_dataset(ds, token)
                # rerun so that the shared sidebar shows the new data; the message survives the rerun
                st.session_state["data_flash"] = tr("data.loaded", name=c.md(uname))
                st.rerun()
            except (ValueError, TypeError) as exc:
                c.say_error(exc)
                st.info(tr("data.kept_previous"))

# ------------------------------------------------------------------ what is loaded now
ds = current_dataset()
st.divider()
st.subheader(tr("data.reports"))
for r in ds.reports:
    st.markdown("- " + c.md(c.scrub(describe_report(r, lang()))))
coverage = coverage_note(ds, lang())
if coverage:
    c.say("info", coverage)

jr = ds.join_report
if jr is not None:
    st.subheader(tr("data.join_report"))
    m1, m2, m3 = st.columns(3)
    m1.metric(tr("data.matched"), f"{jr.matched} / {jr.n_units}")
    m2.metric(tr("data.without"), len(jr.units_without_data))
    m3.metric(tr("data.unmatched"), len(jr.unmatched_rows))
    for h in jr.hints:
        c.say("warning", h)
    if jr.unmatched_rows:
        st.download_button(tr("data.download_unmatched"), table_bytes(jr.unmatched_frame()),
                           file_name="unmatched_codes.csv", mime="text/csv", key="data_dl_unmatched")
    if jr.units_without_data:
        st.download_button(tr("data.download_without"),
                           table_bytes(pd.DataFrame({"unit_id": jr.units_without_data})),
                           file_name="units_without_data.csv", mime="text/csv", key="data_dl_without")
for name, rep in ds.point_reports.items():
    st.text(f"{name}: " + tr("data.points_report", inside=rep["inside"], n=rep["points"], outside=rep["outside"]))

st.subheader(tr("data.preview"))
threshold = current_recipe().disclosure.threshold
safe, n_withheld = ds.safe_table(threshold)
st.dataframe(c.shown(data_first(ds, safe).head(50)), hide_index=True, width="stretch", key="data_preview")
st.caption(tr("data.withheld_cells", n=n_withheld, threshold=threshold))
st.page_link("pages/2_Explore.py", label=tr("data.next"), icon=":material/arrow_forward:")
