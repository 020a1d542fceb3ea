"""Present: council slides (full-screen maps, keyboard, offline), edited here, and the report of the analysis."""

import streamlit as st
import streamlit.components.v1 as components

from lillegeo.app import state
from lillegeo.app.cache import cached
from lillegeo.app.text import say_error, tr
from lillegeo.app.widgets import page_header, slide_editor
from lillegeo.outputs import presentation

ds, token = page_header("present.title", "present.question")
with st.expander(tr("present.edit"), expanded=True):
    slide_editor()

recipe = state.current_recipe()
try:
    with st.spinner(tr("present.building")):
        pres = cached(presentation, token, ds, recipe)
except ValueError as exc:
    say_error(exc)
    st.stop()

st.caption(tr("present.help"))
components.html(pres.slides, height=720, scrolling=False)
c1, c2, c3 = st.columns(3)
c1.download_button(tr("present.download"), pres.slides, file_name="presentation.html", mime="text/html",
                   key="present_dl_slides")
c2.download_button(tr("present.report"), pres.report, file_name="report.html", mime="text/html",
                   key="present_dl_report")
c3.download_button(tr("present.report_pdf"), pres.report_pdf, file_name="report.pdf", mime="application/pdf",
                   key="present_dl_report_pdf")
