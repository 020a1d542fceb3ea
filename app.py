"""lillegeo app: page config, shared sidebar (language, data status) and navigation. Nothing else."""

import streamlit as st

from lillegeo.cached import current_dataset, ensure_assets, tr
from lillegeo.i18n import LANGS

st.set_page_config(page_title="lillegeo", page_icon="static/icon.png", layout="wide")
ensure_assets()

with st.sidebar:
    st.selectbox(tr("app.language"), list(LANGS), format_func=LANGS.get, key="lang")
    ds = current_dataset()
    st.markdown(f"**{tr('app.data_status')}**")
    st.text(tr("demo.name") if ds.demo else ds.name)
    st.caption(tr("app.units", n=len(ds.units), c=ds.n_communes))
    if ds.demo:
        st.warning(tr("demo.badge"), icon=":material/science:")

pages = [
    st.Page("pages/1_Data.py", title=tr("nav.data"), icon=":material/database:", url_path="data"),
    st.Page("pages/2_Explore.py", title=tr("nav.explore"), icon=":material/map:", url_path="explore", default=True),
    st.Page("pages/3_Hotspots.py", title=tr("nav.hotspots"), icon=":material/local_fire_department:",
            url_path="hotspots"),
    st.Page("pages/4_Equity.py", title=tr("nav.equity"), icon=":material/balance:", url_path="equity"),
]
st.navigation(pages).run()
