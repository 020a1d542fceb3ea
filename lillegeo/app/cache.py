"""Caches shared by the sessions of one server: the demo, Leaflet's assets and the pipeline's results.

A pipeline function is cached under the dataset's token (its files' bytes and reader choices) and
the ``repr`` of its parameter objects (frozen dataclasses: equal parameters, equal key).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any, Callable

import streamlit as st

from ..dataset import Dataset, load_demo
from ..demo import DEMO_DIR
from ..maps import install_static_assets

ROOT = Path(__file__).resolve().parent.parent.parent

#: Libraries the pages use, imported once while this module is first imported. Streamlit runs each
#: session's script in its own thread; two threads importing the same packages for the first time
#: (statsmodels -> formulaic -> narwhals) can deadlock in Python's import locks.
_PRELOAD = ("narwhals.stable.v1", "narwhals.stable.v2", "statsmodels.api", "esda", "libpysal.weights",
            "mapclassify", "sklearn.cluster", "sklearn.neighbors", "sklearn.preprocessing")
for _name in _PRELOAD:
    try:
        importlib.import_module(_name)
    except ImportError:  # optional: the page that needs it will say so
        pass


@st.cache_resource(show_spinner=False)
def ensure_assets() -> str:
    """Copy Leaflet into ``static/`` once per server process (served with enableStaticServing)."""
    return str(install_static_assets(ROOT / "static"))


@st.cache_data(show_spinner=False, max_entries=2)
def demo_dataset() -> Dataset:
    """The demo, loaded once per server and copied to each session (pages never share objects).

    ``LILLEGEO_DEMO_DIR`` points the app at another folder in the demo's layout (the benchmarks'
    city-scale data, or a city's own synthetic training set)."""
    return load_demo(os.environ.get("LILLEGEO_DEMO_DIR") or DEMO_DIR)


@st.cache_data(show_spinner=False, max_entries=64)
def _run(token: str, key: str, _fn: Callable, _ds: Dataset, _args: tuple, _kw: dict) -> Any:
    return _fn(_ds, *_args, **{k[1:] if k.startswith("_") else k: v for k, v in _kw.items()})


def cached(fn: Callable, token: str, ds: Dataset, *args, **kw) -> Any:
    """``fn(ds, *args, **kw)`` cached per dataset token and arguments (a pipeline function).

    A keyword argument named with a leading ``_`` is passed without it and left out of the key, as
    ``st.cache_data`` does: a result already computed from the other arguments (the analysis of the
    recipe a presentation is made of)."""
    key = repr((fn.__module__, fn.__qualname__, args, sorted((k, v) for k, v in kw.items() if not k.startswith("_"))))
    return _run(token, key, fn, ds, args, kw)
