"""The only module that imports Streamlit: cached wrappers and session helpers for the pages."""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import re
from pathlib import Path

import streamlit as st

from . import compute_indicator, load_demo
from .demo import DEMO_DIR
from .dataset import Dataset
from .i18n import t
from .maps import install_static_assets

try:  # Streamlit's st.rerun / st.stop exceptions (BaseException subclasses today)
    from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException as _ScriptControl
except ImportError:  # pragma: no cover - other Streamlit versions
    _ScriptControl = None

ROOT = Path(__file__).resolve().parent.parent


def _import_analysis_libraries() -> None:
    """Import the libraries the pages load lazily, once, while this module is first imported.

    Streamlit runs each session's script in its own thread, and a page stopped mid-run keeps its
    thread until its next checkpoint. Two threads importing the same packages for the first time
    (statsmodels -> formulaic -> narwhals on the Equity page, narwhals from a table being shown)
    can deadlock in Python's import locks: ``_DeadlockError`` seen in the browser tests. The
    import of this module is serialised by its own lock, so importing them here closes the race.
    """
    import importlib

    for name in ("narwhals.stable.v1", "narwhals.stable.v2", "statsmodels.api", "esda", "libpysal.weights",
                 "mapclassify", "sklearn.cluster", "sklearn.neighbors", "sklearn.preprocessing"):
        try:
            importlib.import_module(name)
        except ImportError:  # optional or not installed: the page that needs it will say so
            pass


_import_analysis_libraries()


@st.cache_resource(show_spinner=False)
def ensure_assets() -> str:
    """Copy Leaflet into ``static/`` once per server process (served with enableStaticServing)."""
    return str(install_static_assets(ROOT / "static"))


@st.cache_data(show_spinner=False, max_entries=2)
def demo_dataset() -> Dataset:
    """The demo, loaded once per server and copied to each session (pages never share objects).

    ``LILLEGEO_DEMO_DIR`` points the app at another folder in the demo's layout (the benchmarks'
    city-scale data, or a city's own synthetic training set)."""
    import os

    return load_demo(os.environ.get("LILLEGEO_DEMO_DIR") or DEMO_DIR)


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
    """Make ``ds`` the session's data. Its token keys every shared cache: the files' bytes **and** every
    reader and mapping choice recorded in ``ds.sources`` (code columns, key, CRS, coordinates), so two
    readings of the same file with different choices never share a result."""
    st.session_state["dataset"] = ds
    st.session_state["dataset_token"] = token_of(token_source, ds.sources)


def token_of(token_source: bytes, sources: dict | None) -> str:
    """The cache key of a dataset: SHA-256 of its files' bytes and of every reader choice."""
    import json

    h = hashlib.sha256(token_source)
    h.update(json.dumps(sources or {}, sort_keys=True, default=str).encode("utf-8"))
    return h.hexdigest()[:32]


def dataset_token() -> str:
    current_dataset()
    return st.session_state.get("dataset_token", "demo")


#: Uploads read per session, newest last (each holds a frame: a few are enough for one Data page).
_UPLOAD_READS = 6


def read_upload(kind: str, data: bytes, name: str, **options):
    """Read an uploaded file **once per change**: in the bounded worker (:mod:`lillegeo.worker`), the
    outcome kept in the session under the file's SHA-256 and every reader option (name, crs, planar,
    mapping, key, x, y…), so that a rerun with nothing changed neither starts a worker nor parses again.

    Returns ``(frame, report)`` as the reader does; a ``ValueError`` / ``TypeError`` (``SchemaError``
    included) is kept as well and raised again on later reruns. ``kind`` is ``units``, ``table`` or
    ``points``. A spinner shows while the worker runs.
    """
    import json

    from .io import worker

    reader = {"units": worker.read_units_bounded, "table": worker.read_table_bounded,
              "points": worker.read_points_bounded}[kind]
    options = {k: v for k, v in options.items() if v is not None}
    key = json.dumps([kind, hashlib.sha256(data).hexdigest(), name, options], sort_keys=True, default=str)
    memo = st.session_state.setdefault("_upload_reads", {})
    if key not in memo:
        with st.spinner(tr("data.reading", name=md(name))):
            try:
                memo[key] = (True, reader(data, name=name, **options))
            except (ValueError, TypeError) as exc:
                memo[key] = (False, exc.with_traceback(None))  # no frames (nor the bytes) kept
        while len(memo) > _UPLOAD_READS:
            memo.pop(next(iter(memo)))
    ok, value = memo[key]
    if not ok:
        raise value.with_traceback(None)
    return value


@st.cache_data(show_spinner=False, max_entries=32)
def indicator_for(token: str, _ds: Dataset, column: str, per: str | None, smoothing: str, threshold: int,
                  exclude_types: tuple[str, ...] = (), lang: str = "en"):
    """Indicator cached per dataset token and parameters (``_ds`` is not hashed)."""
    return compute_indicator(_ds.units, column, per=per, smoothing=smoothing, threshold=threshold,
                             exclude_types=exclude_types, lang=lang)


def unescape(value: str) -> str:
    return html.unescape(value or "")


@st.cache_data(show_spinner=False, max_entries=32)
def area_hotspots_for(token: str, _ds: Dataset, column: str, per: str | None, exclude_types: tuple, threshold: int,
                      method: str, weights: str, permutations: int, alpha: float, correction: str, seed: int):
    from .hotspots import indicator_hotspots

    return indicator_hotspots(_ds.units, column, per=per, exclude_types=exclude_types, threshold=threshold,
                              method=method, weights=weights, permutations=permutations, alpha=alpha,
                              correction=correction, seed=seed)


@st.cache_data(show_spinner=False, max_entries=16)
def sensitivity_for(token: str, _ds: Dataset, column: str, per: str | None, exclude_types: tuple, threshold: int,
                    method: str, weights: str, permutations: int, alpha: float, correction: str, seed: int):
    from .hotspots import sensitivity

    ind = compute_indicator(_ds.units, column, per=per, exclude_types=exclude_types, threshold=threshold)
    return sensitivity(_ds.units, ind.raw.where(~(ind.excluded | ind.withheld)), method=method, weights=weights,
                       permutations=permutations, alpha=alpha, correction=correction, seed=seed)


@st.cache_data(show_spinner=False, max_entries=16)
def clusters_for(token: str, _ds: Dataset, layer: str, categories: tuple, years: tuple, algorithm: str,
                 eps_m: float, min_samples: int, seed: int):
    from .hotspots import filter_points, point_clusters

    pts = _ds.points[layer]
    pts = filter_points(pts, categories=list(categories) or None)
    if years and "date" in pts.columns:
        pts = pts[pts["date"].dt.year.isin(years)]
    # outlines keep clear of every incident of the layer, not only of the filtered ones
    return point_clusters(pts, algorithm=algorithm, eps_m=eps_m, min_samples=min_samples, seed=seed,
                          keep_clear_of=_ds.points[layer] if len(pts) < len(_ds.points[layer]) else None), len(pts)


@st.cache_data(show_spinner=False, max_entries=8)
def heat_for(token: str, _ds: Dataset, layer: str, categories: tuple, years: tuple, bandwidth_m: float, cell_m: float):
    from .hotspots import filter_points, heat_surface

    pts = filter_points(_ds.points[layer], categories=list(categories) or None)
    if years and "date" in pts.columns:
        pts = pts[pts["date"].dt.year.isin(years)]
    return heat_surface(pts, bandwidth_m=bandwidth_m, cell_m=cell_m, bounds=tuple(_ds.units.total_bounds))


@st.cache_data(show_spinner=False, max_entries=8)
def typology_for(token: str, _ds: Dataset, columns: tuple, k: int, method: str, seed: int):
    from .hotspots import typology

    return typology(_ds.units, list(columns), k=k, method=method, seed=seed, population=_ds.population)


@st.cache_data(show_spinner=False, max_entries=8)
def evaluation_for(token: str, _ds: Dataset, layer: str, period1: tuple, period2: tuple, eps_m: float,
                   min_samples: int, weights: str, alpha: float, seed: int):
    from .hotspots import compare_methods

    return compare_methods(_ds.units, _ds.points[layer], period1=period1, period2=period2, eps_m=eps_m,
                           min_samples=min_samples, weights=weights, alpha=alpha, seed=seed)


@st.cache_data(show_spinner=False, max_entries=8)
def cluster_sensitivity_for(token: str, _ds: Dataset, layer: str, categories: tuple, years: tuple, algorithm: str,
                            eps_m: float, min_samples: int):
    from .hotspots import cluster_sensitivity, filter_points

    pts = filter_points(_ds.points[layer], categories=list(categories) or None)
    if years and "date" in pts.columns:
        pts = pts[pts["date"].dt.year.isin(years)]
    return cluster_sensitivity(pts, algorithm=algorithm, eps_m=eps_m, min_samples=min_samples)


@st.cache_data(show_spinner=False, max_entries=8)
def equity_for(token: str, _ds: Dataset, enforcement: str, crime: str, population: str, group: str,
               reference: str | None, other_crime: str | None, bootstrap: int, seed: int, band: tuple, lang: str,
               area_group: str = "people"):
    from .equity import run_equity

    return run_equity(_ds.units, enforcement=enforcement, crime=crime, population=population, group=group,
                      reference=reference, other_crime=other_crime, bootstrap=bootstrap, seed=seed, band=band,
                      lang=lang, points=_ds.points.get(crime), area_group=area_group, overlay=_ds.overlay)


#: Characters Streamlit's Markdown acts on wherever they are: emphasis, code, links and images (``[``),
#: HTML and autolinks (``<``), strikethrough, maths (``$``). Escaped always; the rest only where they act.
_MD_ALWAYS = re.compile(r"([\\`*\[\]<>~$])")
#: An absolute server path (``/tmp/…/upload.shp``, ``/usr/…/site-packages/…``), not inside a URL.
_SERVER_PATH = re.compile(r"(?<![\w.:/~-])(?:/[^\s/'\"`,;:()\[\]<>]+)+/([^\s/'\"`,;:()\[\]<>]*)")


def md(text) -> str:
    """Escape Markdown so that data values (column names, file names, unit names, recipe titles)
    show literally in ``st.error`` / ``st.caption`` / ``st.markdown`` …: no image or link is made
    (so the browser fetches nothing), no maths, emphasis, heading or list; one line. Punctuation
    that does nothing in running text (quotes, parentheses, dots) is left alone, so messages read
    (and match) as written.

    >>> md("![a](http://127.0.0.1/x.png) $x$ *b* _c_ code_iris")
    '!\\\\[a\\\\](http\\\\://127.0.0.1/x.png) \\\\$x\\\\$ \\\\*b\\\\* \\\\_c\\\\_ code_iris'
    """
    s = re.sub(r"\s*[\r\n\v\f]+\s*", " ", str(text))
    s = _MD_ALWAYS.sub(r"\\\1", s)
    s = re.sub(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])", r"\\_", s)  # emphasis; code_iris stays as is
    s = re.sub(r"&(?=#?\w+;)", r"\\&", s)  # an entity
    s = re.sub(r"(?<=\w):(?=//)", r"\\:", s)  # an autolink (http://…)
    s = re.sub(r"^(\s*)([#>+=|-])", r"\1\\\2", s)  # a heading, quote, list or table at the start
    return re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", s)  # a numbered list at the start


def scrub(text) -> str:
    """A message as a person may see it: absolute server paths reduced to the file name.

    >>> scrub("cannot read /tmp/lillegeo-x1/upload.shp: bad")
    'cannot read upload.shp: bad'
    """
    return _SERVER_PATH.sub(lambda m: m.group(1) or "…", str(text))


def say(kind: str, message, **kw) -> None:
    """Show a message (``error``, ``warning``, ``info``, ``success``, ``caption``) whose text comes
    from data or from an exception: on one line, Markdown escaped, without server paths."""
    if kind not in ("error", "warning", "info", "success", "caption"):
        raise ValueError(f"kind must be error, warning, info, success or caption; got {kind!r}")
    getattr(st, kind)(md(scrub(message)), **kw)


def say_error(message) -> None:
    """``st.error`` for a library error (``ValueError`` …) or any message holding data values: see :func:`say`."""
    say("error", message)


_LOG = logging.getLogger("lillegeo.app")


@contextlib.contextmanager
def guarded(where: str):
    """Run a page (or the sidebar) so that an unexpected error shows one translated line: no
    traceback, no server path, no exception text in the browser. The traceback goes to the server
    log. Streamlit's own control flow (``st.rerun``, ``st.stop``, ``st.switch_page``) passes through."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the last line of defence of a page
        if _ScriptControl is not None and isinstance(exc, _ScriptControl):  # pragma: no cover - BaseException
            raise
        _LOG.error("unexpected error in %s (%s)", where, type(exc).__name__, exc_info=True)
        st.error(tr("error.unexpected"))


# ------------------------------------------------------------------ recipes in the app

#: Recipe parameter -> widget key, per page (the app's state is exactly the recipe's parameters).
WIDGETS = {
    "explore": {"column": "explore_column", "per": "explore_per", "smoothing": "explore_smoothing",
                "scheme": "explore_scheme", "k": "explore_k", "palette": "explore_palette",
                "threshold": "explore_threshold", "exclude_ad": "explore_exclude_ad"},
    "hotspots": {"column": "hot_column", "per": "hot_per", "method": "hot_method", "weights": "hot_weights",
                 "permutations": "hot_permutations", "alpha": "hot_alpha", "correction": "hot_correction",
                 "seed": "hot_seed", "points": "hot_layer", "algorithm": "hot_algorithm", "eps_m": "hot_eps",
                 "min_samples": "hot_min_samples"},
    "equity": {"enforcement": "eq_enforcement", "crime": "eq_crime", "population": "eq_population",
               "group": "eq_group", "reference": "eq_reference", "other_crime": "eq_other_crime",
               "bootstrap": "eq_bootstrap", "seed": "eq_seed", "band": "eq_band", "groups": "eq_group_kind"},
}


def remember(section: str) -> None:
    """Keep a page's current parameters (widget state is dropped when the page is left)."""
    vals = {}
    for param, key in WIDGETS[section].items():
        if key in st.session_state:
            v = st.session_state[key]
            vals[param] = list(v) if isinstance(v, tuple) else v
    st.session_state[f"params_{section}"] = vals


def current_recipe():
    from .recipe import recipe_from_state

    ds = current_dataset()
    params = {sec: st.session_state.get(f"params_{sec}", {}) for sec in WIDGETS}
    title = tr("demo.name") if ds.demo else ds.name
    return recipe_from_state(ds.sources, params, demo=ds.demo, language=lang(), title=title)


def load_recipe_upload() -> None:
    """Callback of the sidebar's recipe uploader: apply the recipe once per file, keep its title for the
    success line or its error for one line (shown until another file is chosen)."""
    up = st.session_state.get("recipe_upload")
    st.session_state.pop("recipe_error", None)
    if up is None or st.session_state.get("recipe_applied") == up.file_id:
        return
    try:
        title = apply_recipe(up.getvalue().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        st.session_state["recipe_error"] = str(exc)
        return
    st.session_state["recipe_applied"] = up.file_id
    st.session_state["recipe_flash"] = title


def apply_recipe(text: str) -> str:
    """Set the app's state from a recipe; returns its title. Raises ValueError for a bad recipe."""
    from .recipe import Recipe

    r = Recipe.from_toml(text)
    for sec, keys in WIDGETS.items():
        params = getattr(r, sec)
        st.session_state[f"params_{sec}"] = dict(params)
        for param, key in keys.items():
            if param in params:
                v = params[param]
                st.session_state[key] = tuple(v) if isinstance(v, list) else v
    st.session_state["lang"] = r.language
    if r.demo:
        st.session_state["dataset"] = demo_dataset()
        st.session_state["dataset_token"] = "demo"
    st.session_state["recipe_slides"] = r.slides
    return r.title if r.demo else "!" + r.title


@st.cache_data(show_spinner=False, max_entries=4)
def presentation_for(token: str, _ds: Dataset, recipe_toml: str) -> tuple[str, str, bytes]:
    """Slides and report HTML for the current recipe (same code as python -m lillegeo run)."""
    from .analysis import _report_sections, _static_maps, build_maps, compute, presentation_html
    from .recipe import Recipe
    import io

    from .report import report_html, report_pdf

    r = Recipe.from_toml(recipe_toml)
    res = compute(_ds, r)
    res["unit_ids"] = _ds.units["unit_id"]
    maps = build_maps(_ds, r, res, assets="inline")
    slides = presentation_html(_ds, r, res, maps)
    images = _static_maps(_ds, r, res, None)
    sections = _report_sections(_ds, r, res, images)
    report = report_html(sections, title=r.title, lang=r.language, demo=_ds.demo, recipe_text=recipe_toml)
    pdf = io.BytesIO()
    report_pdf(sections, pdf, title=r.title, lang=r.language, demo=_ds.demo)
    return slides, report, pdf.getvalue()


def table_downloads(df, name: str, key: str) -> None:
    """CSV and XLSX download buttons for a table already safe to show (formulas neutralised here)."""
    from .report import table_bytes

    c1, c2 = st.columns(2)
    c1.download_button(tr("explore.download_csv"), lambda: table_bytes(df, "csv"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"{key}_csv", on_click="ignore")
    c2.download_button(tr("export.xlsx"), lambda: table_bytes(df, "xlsx"), file_name=f"{name}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                       on_click="ignore")


def on_demand_table(params: tuple, compute, *, state_key: str, button_key: str, note_key: str) -> None:
    """A button that computes a slow table for these parameters; the table stays while they do not change."""
    if st.button(tr("hot.sensitivity_run"), key=button_key):
        with st.spinner(tr("hot.sensitivity_run")):
            st.session_state[state_key] = (params, compute())
    kept = st.session_state.get(state_key)
    if kept and kept[0] == params:
        st.dataframe(shown(kept[1]), hide_index=True, width="stretch", key=f"{state_key}_table")
        st.caption(tr(note_key))


def page_header(title_key: str, question_key: str) -> tuple[Dataset, str]:
    """Title, the one-sentence question the page answers, the demo mark; returns the dataset and its token."""
    st.title(tr(title_key))
    st.markdown(tr(question_key))
    ds = current_dataset()
    if ds.demo:
        st.caption(f":material/science: {tr('demo.badge')}")
    return ds, dataset_token()


def shown(df):
    """A table as the page shows it: technical headers in the session's language."""
    from .i18n import column_labels

    return column_labels(df, lang())


def show_map(m, *, key: str, height: int, returned_objects: list[str] | None = None):
    """Show a map built by :mod:`lillegeo.maps`: the base map keys the browser component and the data
    groups are sent apart (:func:`lillegeo.maps.split_map`), so a widget that only recolours the map
    swaps its layers in place instead of reloading the map frame. The map is consumed: build a new
    one for a download."""
    from streamlit_folium import st_folium

    from .maps import split_map

    base, groups, control = split_map(m)
    return st_folium(base, height=height, use_container_width=True, key=key,
                     returned_objects=returned_objects or [], feature_group_to_add=groups or None,
                     layer_control=control, render=False)


def map_downloads(make_map, units, labels, colors: dict, *, title: str, key: str, hulls=None) -> None:
    """The current map as offline HTML and as a static PNG and PDF (legend, scale bar, north arrow,
    title, sources and date, demo mark), built only when clicked. ``make_map`` builds a fresh map
    (a map already shown is consumed by :func:`show_map`)."""
    import io

    import pandas as pd

    from .maps import to_offline_html
    from .report import categorical_static_map

    ds = current_dataset()
    caption = tr("static.caption", sources=", ".join(r.source for r in ds.reports) or ds.name,
                 date=pd.Timestamp.today().date().isoformat())

    def static(fmt: str):
        def make() -> bytes:
            buf = io.BytesIO()
            categorical_static_map(units, labels, colors, title=title, caption=caption, demo=ds.demo, lang=lang(),
                                   overlay=ds.overlay, hulls=hulls, **{fmt: buf})
            return buf.getvalue()
        return make

    c1, c2, c3 = st.columns(3)
    c1.download_button(tr("explore.download_map"), lambda: to_offline_html(make_map(assets="inline")),
                       file_name=f"{key}.html", mime="text/html", key=f"{key}_html", on_click="ignore")
    c2.download_button(tr("explore.download_png"), static("png"), file_name=f"{key}.png", mime="image/png",
                       key=f"{key}_png", on_click="ignore")
    c3.download_button(tr("explore.download_pdf"), static("pdf"), file_name=f"{key}.pdf", mime="application/pdf",
                       key=f"{key}_pdf", on_click="ignore")
