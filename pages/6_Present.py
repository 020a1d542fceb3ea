"""Present: council slides (full-screen maps, keyboard, offline), edited here, and the report of the analysis."""

import streamlit as st
import streamlit.components.v1 as components

from lillegeo.app import state
from lillegeo.app.cache import cached
from lillegeo.app.text import say_error, tr
from lillegeo.app.widgets import page_header, slide_editor
from lillegeo.outputs import deck_of, report_of
from lillegeo.pipeline import run_analysis

ds, token = page_header("present.title", "present.question")
with st.expander(tr("present.edit"), expanded=True):
    slide_editor()

recipe = state.current_recipe()
try:
    with st.spinner(tr("present.building")):
        # the analysis does not depend on the slides: editing a slide redraws the slides only
        analysis = cached(run_analysis, token, ds, recipe.replace(slides=()))
        slides, _ = cached(deck_of, token, ds, recipe, _analysis=analysis)
except ValueError as exc:
    say_error(exc)
    st.stop()

st.caption(tr("present.help"))
components.html(slides, height=720, scrolling=False)
c1, c2, c3 = st.columns(3)
c1.download_button(tr("present.download"), slides, file_name="presentation.html", mime="text/html",
                   key="present_dl_slides")
# the report is drawn when asked for (its maps and PDF take a while), from the analysis above
c2.download_button(tr("present.report"), lambda: report_of(ds, recipe, analysis=analysis)[0], file_name="report.html",
                   mime="text/html", key="present_dl_report", on_click="ignore")
c3.download_button(tr("present.report_pdf"), lambda: report_of(ds, recipe, analysis=analysis)[1],
                   file_name="report.pdf", mime="application/pdf", key="present_dl_report_pdf", on_click="ignore")
