"""lillegeo app: page config, shared sidebar (language, data status, recipe) and navigation. Nothing else."""

import streamlit as st

from lillegeo.app.cache import ensure_assets
from lillegeo.app.state import current_dataset
from lillegeo.app.text import guarded, tr
from lillegeo.app.widgets import language_picker, recipe_box
from lillegeo.i18n import LANGS

st.set_page_config(page_title="lillegeo", page_icon="static/icon.png", layout="wide")
ensure_assets()

with st.sidebar, guarded("sidebar"):
    language_picker(LANGS)
    ds = current_dataset()
    st.markdown(f"**{tr('app.data_status')}**")
    st.text(tr("demo.name") if ds.demo else ds.name)
    st.caption(tr("app.units", n=len(ds.units), c=ds.n_communes))
    if ds.demo:
        st.warning(tr("demo.badge"), icon=":material/science:")
    recipe_box()

pages = [
    st.Page("pages/1_Data.py", title=tr("nav.data"), icon=":material/database:", url_path="data"),
    st.Page("pages/2_Explore.py", title=tr("nav.explore"), icon=":material/map:", url_path="explore", default=True),
    st.Page("pages/3_Hotspots.py", title=tr("nav.hotspots"), icon=":material/local_fire_department:",
            url_path="hotspots"),
    st.Page("pages/4_Equity.py", title=tr("nav.equity"), icon=":material/balance:", url_path="equity"),
    st.Page("pages/5_Evaluate.py", title=tr("nav.evaluate"), icon=":material/query_stats:", url_path="evaluate"),
    st.Page("pages/6_Present.py", title=tr("nav.present"), icon=":material/co_present:", url_path="present"),
]
with guarded("page"):  # an unexpected error: one translated line, the traceback in the server log
    st.navigation(pages).run()
