"""Present: council slides (full-screen maps, keyboard, offline) and the report of the analysis."""

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from lillegeo import cached as c
from lillegeo.cached import current_recipe, presentation_for, tr

ds, token = c.page_header("present.title", "present.question")

recipe = current_recipe()
if st.session_state.get("recipe_slides"):
    recipe.slides = st.session_state["recipe_slides"]
try:
    with st.spinner(tr("present.building")):
        slides, report, report_pdf = presentation_for(token, ds, recipe.to_toml())
except ValueError as exc:
    c.say_error(exc)
    st.stop()

st.caption(tr("present.help"))
components.html(slides, height=720, scrolling=False)
c1, c2, c3 = st.columns(3)
c1.download_button(tr("present.download"), slides, file_name="presentation.html", mime="text/html",
                   key="present_dl_slides")
c2.download_button(tr("present.report"), report, file_name="report.html", mime="text/html", key="present_dl_report")
c3.download_button(tr("present.report_pdf"), report_pdf, file_name="report.pdf", mime="application/pdf",
                   key="present_dl_report_pdf")
with st.expander(tr("present.slides")):
    st.dataframe(c.shown(pd.DataFrame(recipe.slides)), width="stretch", key="present_slides")
