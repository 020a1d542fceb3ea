"""lillegeo app: page config, shared sidebar (language, data status) and navigation. Nothing else."""

import streamlit as st

from lillegeo.cached import (current_dataset, current_recipe, ensure_assets, guarded, load_recipe_upload, md, say_error,
                             tr)
from lillegeo.i18n import LANGS

st.set_page_config(page_title="lillegeo", page_icon="static/icon.png", layout="wide")
ensure_assets()

with st.sidebar, guarded("sidebar"):
    st.selectbox(tr("app.language"), list(LANGS), format_func=LANGS.get, key="lang")
    ds = current_dataset()
    st.markdown(f"**{tr('app.data_status')}**")
    st.text(tr("demo.name") if ds.demo else ds.name)
    st.caption(tr("app.units", n=len(ds.units), c=ds.n_communes))
    if ds.demo:
        st.warning(tr("demo.badge"), icon=":material/science:")
    with st.expander(tr("recipe.title")):
        st.download_button(tr("recipe.save"), lambda: current_recipe().to_toml(), file_name="recipe.toml",
                           mime="application/toml", key="recipe_save", on_click="ignore")
        # applied in the uploader's callback, before any widget of the run exists: setting the language
        # and the pages' widget keys from the script body raised StreamlitWidgetAlreadyInstantiatedError
        st.file_uploader(tr("recipe.load"), type=["toml"], key="recipe_upload", on_change=load_recipe_upload)
        if st.session_state.get("recipe_error"):
            say_error(st.session_state["recipe_error"])
    # outside the expander: its label changes with the recipe's language, so it opens again collapsed
    flash = st.session_state.pop("recipe_flash", None)
    if flash:
        st.success(tr("recipe.loaded", title=md(flash.lstrip("!"))))
        if flash.startswith("!"):
            st.info(tr("recipe.needs_files"))

pages = [
    st.Page("pages/1_Data.py", title=tr("nav.data"), icon=":material/database:", url_path="data"),
    st.Page("pages/2_Explore.py", title=tr("nav.explore"), icon=":material/map:", url_path="explore", default=True),
    st.Page("pages/3_Hotspots.py", title=tr("nav.hotspots"), icon=":material/local_fire_department:",
            url_path="hotspots"),
    st.Page("pages/4_Equity.py", title=tr("nav.equity"), icon=":material/balance:", url_path="equity"),
    st.Page("pages/5_Present.py", title=tr("nav.present"), icon=":material/co_present:", url_path="present"),
]
with guarded("page"):  # an unexpected error: one translated line, the traceback in the server log
    st.navigation(pages).run()
