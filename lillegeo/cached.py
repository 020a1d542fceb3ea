"""The only module that imports Streamlit: cached wrappers and session helpers for the pages."""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

import streamlit as st

from . import compute_indicator, load_demo
from .dataset import Dataset
from .i18n import t
from .maps import install_static_assets

ROOT = Path(__file__).resolve().parent.parent


@st.cache_resource(show_spinner=False)
def ensure_assets() -> str:
    """Copy Leaflet into ``static/`` once per server process (served with enableStaticServing)."""
    return str(install_static_assets(ROOT / "static"))


@st.cache_data(show_spinner=False, max_entries=2)
def demo_dataset() -> Dataset:
    """The demo, loaded once per server and copied to each session (pages never share objects)."""
    return load_demo()


def lang() -> str:
    return st.session_state.get("lang", "en")


def tr(key: str, **kw) -> str:
    """Translate in the session's language."""
    return t(key, lang(), **kw)


def current_dataset() -> Dataset:
    """The session's dataset, the demo until the user loads files."""
    ds = st.session_state.get("dataset")
    if ds is None:
        ds = demo_dataset()
        st.session_state["dataset"] = ds
        st.session_state["dataset_token"] = "demo"
    return ds


def set_dataset(ds: Dataset, token_source: bytes) -> None:
    st.session_state["dataset"] = ds
    st.session_state["dataset_token"] = hashlib.sha256(token_source).hexdigest()[:16]


def dataset_token() -> str:
    current_dataset()
    return st.session_state.get("dataset_token", "demo")


@st.cache_data(show_spinner=False, max_entries=32)
def indicator_for(token: str, _ds: Dataset, column: str, per: str | None, smoothing: str, threshold: int,
                  exclude_types: tuple[str, ...] = ()):
    """Indicator cached per dataset token and parameters (``_ds`` is not hashed)."""
    return compute_indicator(_ds.units, column, per=per, smoothing=smoothing, threshold=threshold,
                             exclude_types=exclude_types)


def unescape(value: str) -> str:
    return html.unescape(value or "")
