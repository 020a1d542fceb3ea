"""Folium map builders (no Streamlit here): choropleths, legends, offline assets, escaping.

Every value that reaches HTML (tooltips, popups, legends, titles) goes
through :func:`esc`.  Leaflet is never fetched from a CDN: in the app it is
served by Streamlit from ``static/vendor/leaflet`` (see
:func:`install_static_assets`); in exported files it is inlined
(:func:`to_offline_html`).

Structure of every map built here: a *base* (fitted view, the units' geometry as a
:class:`_Units` layer, commune borders, title, demo mark, stylesheet) and *data groups*
(:func:`_data_group`: a :class:`_Paint` giving the units their values, tooltips and colours, the
legend, overlays, hulls, heat). An exported file holds both; the app sends the base once and
swaps only the data groups on a rerun (:func:`split_map`, ``lillegeo.cached.show_map``). Our
layers render in one pass (:class:`_LiteralMacro`): folium's second Jinja pass would evaluate
``{{ }}`` found in data.
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry
from branca.element import Element, MacroElement
from jinja2 import Template

from .i18n import t
from .indicators import Indicator, count_columns, suppress, suppress_frame

__all__ = [
    "esc", "classify", "SCHEMES", "PALETTES", "palette_colors", "display_geometry", "choropleth_map",
    "categorical_map", "split_map", "layer_properties",
    "install_static_assets", "to_offline_html", "leaflet_dir", "STATIC_URL", "WITHHELD_STYLE", "NODATA_STYLE",
]

Scheme = Literal["quantiles", "fisher_jenks", "equal_interval", "natural_breaks", "user"]
SCHEMES: dict[str, str] = {
    "quantiles": "Quantiles", "fisher_jenks": "FisherJenks", "equal_interval": "EqualInterval",
    "natural_breaks": "NaturalBreaks", "user": "UserDefined",
}
#: Colour-blind-safe sequential palettes (ColorBrewer single/multi-hue and viridis).
PALETTES = ("viridis", "YlGnBu", "YlOrRd", "PuBu", "Greys")
#: URL under which Streamlit serves ``static/`` when ``server.enableStaticServing`` is on.
STATIC_URL = "/app/static/vendor/leaflet"
#: Leaflet pane of the commune borders, above the data layers (overlayPane is 400) and not interactive.
BORDER_PANE = "lillegeoBorders"
WITHHELD_STYLE = {"fillColor": "#d9d9d9", "color": "#404040", "weight": 1.2, "dashArray": "4 3", "fillOpacity": 0.9}
NODATA_STYLE = {"fillColor": "#ffffff", "color": "#9e9e9e", "weight": 0.6, "fillOpacity": 0.6}
HIGHLIGHT_STYLE = {"weight": 2.5, "color": "#000000"}
EXCLUDED_STYLE = {"fillColor": "#f2efe9", "color": "#8d6e63", "weight": 0.8, "dashArray": "1 3", "fillOpacity": 0.8}


def esc(value: Any) -> str:
    """HTML-escape any value for display (``None``/NaN become an empty string).

    Examples
    --------
    Braces become character references too: folium (branca) compiles every element's rendered
    script, data included, as a Jinja template, so a name such as ``{{ 7*7 }}`` in an uploaded
    file would be *evaluated on the server* (template injection) if it reached a map unescaped.

    >>> esc('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> esc('{{ 7*7 }}')
    '&#123;&#123; 7*7 &#125;&#125;'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def leaflet_dir() -> Path:
    """Folder of Leaflet 1.9.4 (js, css, images) from the ``django-js-lib-leaflet`` wheel."""
    import js_lib_leaflet

    d = Path(js_lib_leaflet.__file__).resolve().parent / "static" / "js_lib_leaflet"
    if not (d / "leaflet.js").exists():  # pragma: no cover - broken install
        raise RuntimeError(f"Leaflet assets not found in {d}; reinstall django-js-lib-leaflet")
    return d


def install_static_assets(static_dir: str | Path) -> Path:
    """Copy Leaflet into ``static_dir/vendor/leaflet`` so that Streamlit serves it (idempotent).

    Returns
    -------
    Path
        The folder written.
    """
    src = leaflet_dir()
    dst = Path(static_dir) / "vendor" / "leaflet"
    marker = dst / "leaflet.js"
    if marker.exists() and marker.stat().st_size == (src / "leaflet.js").stat().st_size:
        return dst
    dst.mkdir(parents=True, exist_ok=True)
    for f in ("leaflet.js", "leaflet.css"):
        shutil.copy2(src / f, dst / f)
    shutil.copytree(src / "images", dst / "images", dirs_exist_ok=True)
    return dst


def _walk(el):
    yield el
    for child in getattr(el, "_children", {}).values():
        yield from _walk(child)


def _use_local_assets(m: folium.Map, base_url: str | None) -> None:
    """Point every element's JS/CSS at local Leaflet (``base_url``) or none (inlined later)."""
    for el in _walk(m):
        if hasattr(el, "default_js"):
            el.default_js = [("leaflet", f"{base_url}/leaflet.js")] if (el is m and base_url) else []
        if hasattr(el, "default_css"):
            el.default_css = [("leaflet_css", f"{base_url}/leaflet.css")] if (el is m and base_url) else []


def palette_colors(palette: str, k: int) -> list[str]:
    """``k`` hex colours of a colour-blind-safe palette, light to dark.

    Examples
    --------
    >>> palette_colors("YlGnBu", 3)
    ['#edf8b1', '#7fcdbb', '#2c7fb8']
    """
    if palette not in PALETTES:
        raise ValueError(f"palette must be one of {', '.join(PALETTES)}; got {palette!r}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if palette == "viridis":
        import branca.colormap as cm

        cmap = cm.linear.viridis.scale(0, 1)
        cols = [cmap(x) for x in np.linspace(0.95, 0.05, k)] if k > 1 else [cmap(0.5)]
        return [c[:7] for c in cols]
    from branca.utilities import color_brewer

    if k < 3:
        return color_brewer(palette, 3)[-k:] if k == 2 else [color_brewer(palette, 3)[1]]
    return color_brewer(palette, k)[:k]


def classify(values: pd.Series, scheme: Scheme = "quantiles", k: int = 5, breaks: list[float] | None = None):
    """Classify values with mapclassify.

    Parameters
    ----------
    values : Series
        NaN values are left out (they are drawn as withheld or no data).
    scheme : {"quantiles", "fisher_jenks", "equal_interval", "natural_breaks", "user"}
    k : int
        Number of classes (ignored for ``user``).
    breaks : list of float
        Upper bounds for ``user`` (the last one at least the maximum).

    Returns
    -------
    mapclassify classifier, fitted on the non-missing values.

    Examples
    --------
    >>> classify(pd.Series([1, 2, 3, 4]), "equal_interval", 2).bins.tolist()
    [2.5, 4.0]
    """
    import mapclassify

    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}; got {scheme!r}")
    v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if len(v) == 0:
        raise ValueError("no values to classify (all are missing or withheld)")
    if scheme == "user":
        if not breaks:
            raise ValueError("scheme 'user' needs breaks, e.g. breaks=[10, 20, 50]")
        b = sorted(float(x) for x in breaks)
        if b[-1] < v.max():
            b.append(float(v.max()))
        return mapclassify.UserDefined(v, bins=b)
    k_eff = int(max(1, min(k, len(np.unique(v)))))
    cls = getattr(mapclassify, SCHEMES[scheme])
    kwargs = {"k": k_eff}
    if scheme == "natural_breaks":
        kwargs["initial"] = 10
        np.random.seed(0)  # mapclassify NaturalBreaks has no random_state; fixed for reproducible maps
    return cls(v, **kwargs)


#: How many zoom levels past the fitted view the display geometry stays exact to half a pixel.
DETAIL_ZOOMS = 3


class _Memo:
    """A small bounded memo shared by the app's session threads: every read and write holds a lock.

    Streamlit runs each session's script in its own thread, so a plain dict evicted with
    ``pop(next(iter(d)))`` while another thread reads it raised ``KeyError`` and "dictionary changed
    size during iteration". The value is built outside the lock (two threads may both build it; the
    first stored wins), so a slow build never blocks the other sessions' hits. Oldest entry evicted.
    """

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            return self._data.get(key, default)

    def put(self, key, value):
        """Store ``value`` unless another thread stored one first; return the stored value."""
        with self._lock:
            if key in self._data:
                return self._data[key]
            while len(self._data) >= self.maxsize:
                self._data.popitem(last=False)
            self._data[key] = value
            return value

    def get_or_build(self, key, build):
        _missing = object()
        hit = self.get(key, _missing)
        if hit is not _missing:
            return hit
        return self.put(key, build())

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._data


_DISPLAY_CACHE = _Memo(8)  # content key -> display GeoSeries
_RESOLUTION_CACHE = _Memo(64)  # content key -> (tolerance, decimals)


def fit_zoom(bounds_lonlat) -> int:
    """The Leaflet zoom at which bounds (lon/lat) fill an ~800-pixel map (as :func:`_new_map` does)."""
    b = bounds_lonlat
    span = max(b[2] - b[0], (b[3] - b[1]) * 1.6, 1e-4)
    return int(np.clip(np.floor(np.log2(360 * 800 / (256 * span))), 3, 17))


def display_resolution(units: gpd.GeoDataFrame) -> tuple[float, int]:
    """Simplification tolerance (metres) and coordinate decimals for showing ``units`` on a web map.

    Half a screen pixel at ``DETAIL_ZOOMS`` levels past the fitted view: a 30 km metropolis fits
    at zoom 11, so 3 m and 5 decimals; all of France fits at zoom 6, so ~100 m and 4 decimals. Web
    Mercator ground resolution: 156,543.03 m/px x cos(latitude) / 2^zoom.

    >>> from shapely.geometry import box
    >>> city = gpd.GeoDataFrame(geometry=[box(690_000, 7_050_000, 720_000, 7_080_000)], crs=2154)
    >>> display_resolution(city)
    (3.0, 5)
    >>> france = gpd.GeoDataFrame(geometry=[box(100_000, 6_050_000, 1_200_000, 7_110_000)], crs=2154)
    >>> display_resolution(france)
    (106.0, 4)
    """
    if units.crs is None or len(units) == 0:
        return 0.0, 6
    b = gpd.GeoSeries([shapely.box(*units.total_bounds)], crs=units.crs).to_crs(4326).total_bounds
    z = fit_zoom(b) + DETAIL_ZOOMS
    m_per_px = 156_543.03 * np.cos(np.radians((b[1] + b[3]) / 2)) / 2**z
    tol = round(float(m_per_px / 2), 1)
    decimals = int(np.clip(np.ceil(-np.log10(m_per_px / 4 / 111_320)), 4, 6))
    return tol, decimals


def display_geometry(units: gpd.GeoDataFrame, tolerance: float | None = None,
                     decimals: int | None = None) -> gpd.GeoSeries:
    """Geometry for web display: simplified with shared borders kept, in EPSG:4326, coordinates
    rounded to what the screen can show.

    ``shapely.coverage_simplify`` simplifies a valid coverage without opening
    slivers between neighbours.  Layers that are not a valid coverage are
    simplified per polygon with topology preserved. The result is memoised on the
    geometry's content (a hash of its WKB), so a rerun or another map of the same
    units costs a hash, not a simplification.

    Parameters
    ----------
    units : GeoDataFrame in a projected CRS (metres) or planar.
    tolerance : float, optional
        Simplification tolerance in metres (0 keeps every vertex); default from
        :func:`display_resolution`.
    decimals : int, optional
        Decimals kept in longitude/latitude (default from :func:`display_resolution`).
    """
    import hashlib

    wkb = shapely.to_wkb(np.asarray(units.geometry.values))
    digest = hashlib.blake2b(b"".join(w or b"" for w in wkb), digest_size=16).hexdigest()
    if tolerance is None or decimals is None:
        rkey = (digest, str(units.crs))
        auto = _RESOLUTION_CACHE.get_or_build(rkey, lambda: display_resolution(units))
        tolerance = auto[0] if tolerance is None else tolerance
        decimals = auto[1] if decimals is None else decimals
    key = (digest, str(units.crs), float(tolerance), int(decimals))
    hit = _DISPLAY_CACHE.get(key)
    if hit is not None:
        out = gpd.GeoSeries(hit.values, index=units.index, crs=hit.crs)
        out.attrs["display_key"] = key
        return out
    geoms = units.geometry.values
    if tolerance > 0 and len(geoms):
        arr = np.asarray(geoms)
        try:
            if shapely.coverage_is_valid(arr):
                arr = shapely.coverage_simplify(arr, tolerance, simplify_boundary=True)
            else:
                arr = shapely.simplify(arr, tolerance, preserve_topology=True)
        except Exception:  # noqa: BLE001 - simplification is cosmetic; keep the originals
            pass
        geoms = gpd.array.from_shapely(arr, crs=units.crs)
    gs = gpd.GeoSeries(geoms, index=units.index, crs=units.crs)
    if gs.crs is not None:
        gs = gs.to_crs(4326)
        gs = gpd.GeoSeries(shapely.transform(np.asarray(gs.values), lambda c: np.round(c, decimals)),
                           index=units.index, crs=gs.crs)
    gs = _DISPLAY_CACHE.put(key, gs)
    out = gpd.GeoSeries(gs.values, index=units.index, crs=gs.crs)
    out.attrs["display_key"] = key
    return out


_GEOJSON_CACHE = _Memo(8)


def _memo(key, build):
    """Small content-keyed memo (8 entries, thread-safe) for display geometry derived objects."""
    if key is None:
        return build()
    return _GEOJSON_CACHE.get_or_build(key, build)


def _fmt(v: Any, digits: int = 1, lang: str = "en") -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)) or v is pd.NA:
        return ""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    s = f"{f:,.{digits}f}" if abs(f) < 1e15 else f"{f:.3g}"
    if lang == "fr":
        s = s.replace(",", "\u202f").replace(".", ",")
    return s


class _Literal(Element):
    """Rendered text kept as is: never compiled again as a Jinja template."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class _LiteralMacro(MacroElement):
    """``MacroElement.render`` without its second pass.

    branca wraps each rendered macro in ``Element(text)``, which compiles the text (the whole
    GeoJSON, data included) as a new Jinja template: slow on large layers (it lexes every
    coordinate) and a template-injection path for data. Same output, one pass.
    """

    def render(self, **kwargs):
        figure = self.get_root()
        module = self._template.module.__dict__
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = module.get(part)
            if macro is not None:
                target.add_child(_Literal(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


def _script_json(obj) -> str:
    """JSON safe inside a ``<script>`` element (as Jinja's ``tojson``: ``<``, ``>``, ``&``, ``'`` as escapes)."""
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def _encode_polygons(arr: np.ndarray, decimals: int) -> str | None:
    """Polygons as integer deltas: about a third of the GeoJSON text, decoded in the browser by
    :data:`_UNITS_JS`. ``None`` when ``arr`` holds anything but (multi)polygons.

    Layout: ``q`` (10^decimals), ``c`` (x, y deltas of all ring vertices in order, starting from 0),
    ``r`` (vertices per ring), ``p`` (rings per polygon), ``g`` (polygons per geometry; 0 = none).
    """
    missing = shapely.is_missing(arr) | shapely.is_empty(arr)
    kinds = shapely.get_type_id(arr[~missing])
    if not np.isin(kinds, (3, 6)).all():  # 3 Polygon, 6 MultiPolygon
        return None
    g = np.where(missing, 0, shapely.get_num_geometries(np.where(missing, None, arr)))
    polys = shapely.get_parts(arr[~missing])
    rings = shapely.get_rings(polys)
    q = 10 ** decimals
    xy = np.rint(shapely.get_coordinates(rings) * q).astype(np.int64)
    deltas = np.diff(xy, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()

    def ints(a) -> str:
        return ",".join(map(str, np.asarray(a, dtype=np.int64).tolist()))

    return (f'{{"q":{q},"c":[{ints(deltas)}],"r":[{ints(shapely.get_num_coordinates(rings))}],'
            f'"p":[{ints(1 + shapely.get_num_interior_rings(polys))}],"g":[{ints(g)}]}}')


def _geometry_json(geo: gpd.GeoSeries) -> str:
    """The geometries of ``geo`` for :class:`_Units`, memoised on the display key: polygons
    delta-encoded at the display precision, anything else as a GeoJSON array."""
    def build() -> str:
        arr = np.asarray(geo.values, dtype=object)
        key = geo.attrs.get("display_key")
        encoded = _encode_polygons(arr, int(key[3])) if key is not None and geo.crs is not None else None
        if encoded is not None:
            return encoded
        arr = np.where(shapely.is_empty(arr) | shapely.is_missing(arr), None, arr)
        parts = shapely.to_geojson(arr)
        return _script_json("[" + ",".join("null" if x is None else x for x in parts) + "]")

    key = geo.attrs.get("display_key")
    return _memo(None if key is None else ("geometry_json",) + key, build)


def _outline(n_units: int) -> dict:
    """Unit outlines: thin dark lines for a city; fainter as units multiply, so that a national map
    of sub-pixel units shows its colours instead of a grey mesh of borders."""
    if n_units <= 2_000:
        return {"color": "#333333", "weight": 0.5}
    return {"color": "#333333", "weight": 0.3, "opacity": 0.5 if n_units <= 10_000 else 0.25}


#: Leaflet's defaults for path options (L.Path, L.Polyline); see _style_table.
_PATH_DEFAULTS = {"stroke": True, "color": "#3388ff", "weight": 3, "opacity": 1.0, "fill": True, "fillColor": None,
                  "fillOpacity": 0.2, "dashArray": None}


def _style_table(styles: list[dict]) -> tuple[list[dict], list[int] | None]:
    """Distinct styles and one index per feature (``None`` when all features share one style).

    Every style names every option any of them sets (Leaflet's default otherwise): Leaflet's
    ``setStyle`` merges, so a unit repainted from "withheld" (dashed) to a class colour would keep
    its dashes if the new style did not say ``dashArray: null``.
    """
    styles = styles or [{}]
    keys = sorted({k for st_ in styles for k in st_})
    styles = [{k: st_.get(k, _PATH_DEFAULTS.get(k)) for k in keys} for st_ in styles]
    table: dict[str, int] = {}
    index = [table.setdefault(json.dumps(st_, sort_keys=True), len(table)) for st_ in styles]
    return [json.loads(k) for k in table], (index if len(table) > 1 else None)


def _columns(props: pd.DataFrame | None) -> dict[str, list]:
    if props is None:
        return {}
    return {c: [None if (isinstance(v, float) and not np.isfinite(v)) else v for v in props[c].tolist()]
            for c in props.columns}


#: Builds a Leaflet GeoJSON layer from compact geometry and columnar properties (see :class:`_Units`).
_UNITS_JS = """(function (geoms, p) {
  if (!Array.isArray(geoms)) {  /* integer deltas (see _encode_polygons) */
    var e = geoms, out = [], ci = 0, ri = 0, pi = 0, x = 0, y = 0;
    for (var k = 0; k < e.g.length; k++) {
      if (!e.g[k]) { out.push(null); continue; }
      var polys = [];
      for (var a = 0; a < e.g[k]; a++) {
        var rings = [], nr = e.p[pi++];
        for (var b = 0; b < nr; b++) {
          var n = e.r[ri++], ring = new Array(n);
          for (var j = 0; j < n; j++) { x += e.c[ci++]; y += e.c[ci++]; ring[j] = [x / e.q, y / e.q]; }
          rings.push(ring);
        }
        polys.push(rings);
      }
      out.push({type: "MultiPolygon", coordinates: polys});
    }
    geoms = out;
  }
  var feats = [];
  for (var i = 0; i < geoms.length; i++) {
    if (!geoms[i]) continue;
    var props = {};
    for (var k2 in p.props) props[k2] = p.props[k2][i];
    feats.push({type: "Feature", id: i, geometry: geoms[i], properties: props});
  }
  var layer;
  function table(f, fields, aliases) {  /* values and aliases arrive HTML-escaped */
    var h = "<table>";
    for (var j = 0; j < fields.length; j++) {
      var v = f.properties[fields[j]];
      h += "<tr><th>" + aliases[j] + "</th><td>" + (v === null || v === undefined ? "" : v) + "</td></tr>";
    }
    return h + "</table>";
  }
  var opts = {interactive: p.interactive, smoothFactor: p.smooth,
              style: function (f) { return p.styles[p.style ? p.style[f.id] : 0]; }};
  if (p.pane) opts.pane = p.pane;
  if (p.interactive) opts.onEachFeature = function (f, l) {
    l.bindTooltip(function () { return table(f, layer._lg.fields, layer._lg.aliases); },
                  {sticky: true, className: "lillegeo-tip"});
    l.on("mouseover", function () { if (layer._lg.highlight) l.setStyle(layer._lg.highlight); });
    l.on("mouseout", function () { layer.resetStyle(l); });
  };
  layer = L.geoJSON({type: "FeatureCollection", features: feats}, opts);
  layer._lg = p;
  layer._lgTable = table;
  return layer;
})"""

#: A pseudo-layer that gives a units layer its values, tooltips and colours when added (see :class:`_Paint`).
_PAINT_JS = """(function (layer, p) {
  var Paint = L.Layer.extend({
    onAdd: function (map) {
      clearTimeout(layer._lgRemoval);
      layer._lg = p;
      layer.eachLayer(function (l) {
        var f = l.feature;
        for (var k in p.props) f.properties[k] = p.props[k][f.id];
        if (p.popup.length && !l.getPopup()) {
          l.bindPopup(function () { return layer._lgTable(f, layer._lg.popup, layer._lg.popup_aliases); },
                      {maxWidth: 420, className: "lillegeo-tip"});
        } else if (!p.popup.length && l.getPopup()) { l.unbindPopup(); }
      });
      layer.options.style = function (f) { return p.styles[p.style ? p.style[f.id] : 0]; };
      layer.setStyle(layer.options.style);
      if (!map.hasLayer(layer)) map.addLayer(layer);
    },
    onRemove: function (map) {
      /* the app swaps data groups by removing the old one and adding the new one at once:
         keep the polygons on the map unless no paint takes over */
      layer._lgRemoval = setTimeout(function () { map.removeLayer(layer); }, 0);
    }
  });
  return new Paint();
})"""


class _Units(_LiteralMacro):
    """Polygons sent compactly, with tooltips and per-feature styles.

    The geometry goes as one memoised string of integer deltas (:func:`_encode_polygons`),
    properties column by column, styles as a small table plus one index per feature; nothing
    passes through Jinja twice. With ``painted=True`` the layer is only created: a :class:`_Paint`
    in a data group gives it values and colours and puts it on the map. In the app the units layer
    is then part of the unchanging base map, and a rerun that recolours the map sends a few
    kilobytes that restyle the polygons in place. Property values and aliases must already be
    escaped (:func:`esc`).
    """

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this.js }}({{ this.geoms }}, {{ this.payload }});
{% if not this.painted %}{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});{% endif %}
{% endmacro %}
""")

    def __init__(self, geo: gpd.GeoSeries | None = None, *, geoms_json: str | None = None, bounds=None,
                 props: pd.DataFrame | None = None, styles: list[dict] | None = None,
                 fields: list[str] = (), aliases: list[str] = (), highlight: dict | None = None,
                 interactive: bool = True, pane: str | None = None, smooth: float = 0.5, painted: bool = False):
        super().__init__()
        self._name = "LillegeoUnits"
        self.js = _UNITS_JS
        self.painted = painted
        self.geoms = _geometry_json(geo) if geoms_json is None else geoms_json
        self._bounds_ll = _bounds(geo) if bounds is None else bounds
        table, index = _style_table(styles)
        self.payload = _script_json({
            "props": _columns(props), "styles": table, "style": index, "fields": list(fields),
            "aliases": list(aliases), "popup": [], "popup_aliases": [], "highlight": highlight,
            "interactive": interactive, "pane": pane, "smooth": smooth})

    def _get_self_bounds(self):
        return self._bounds_ll


class _Paint(_LiteralMacro):
    """Values, tooltips, popups and colours for a ``painted`` :class:`_Units` layer, as a layer of its
    data group: added, it restyles the polygons in place and shows them; removed, it hides them."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this.js }}({{ this.target.get_name() }}, {{ this.payload }});
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
{% endmacro %}
""")

    def __init__(self, target: _Units, *, props: pd.DataFrame, styles: list[dict], fields: list[str],
                 aliases: list[str], popup: list[str] = (), popup_aliases: list[str] = (),
                 highlight: dict | None = None):
        super().__init__()
        self._name = "LillegeoPaint"
        self.js = _PAINT_JS
        self.target = target
        table, index = _style_table(styles)
        self.payload = _script_json({
            "props": _columns(props), "styles": table, "style": index, "fields": list(fields),
            "aliases": list(aliases), "popup": list(popup), "popup_aliases": list(popup_aliases),
            "highlight": highlight})


def layer_properties(script: str) -> list[list[dict]]:
    """The per-unit properties of every units layer in a map's script or HTML, as the browser
    receives them, values from its paint included (for audits: what a tooltip or popup can show).
    One list per layer, one dict per unit drawn."""
    dec = json.JSONDecoder()

    def call_args(start: int, n: int) -> list:
        args, i = [], start
        for _ in range(n):
            while script[i] in ", \n":
                i += 1
            if n == 2 and not args and script[i].isalpha():  # a variable name (paint target)
                j = i
                while script[j].isalnum() or script[j] == "_":
                    j += 1
                args.append(script[i:j])
                i = j
                continue
            value, i = dec.raw_decode(script, i)
            args.append(value)
        return args

    layers: dict[str, tuple[list[bool], list[dict]]] = {}
    for m in re.finditer(r"var (\w+) = " + re.escape(_UNITS_JS) + r"\(", script):
        geoms, payload = call_args(m.end(), 2)
        present = [g is not None for g in geoms] if isinstance(geoms, list) else [n > 0 for n in geoms["g"]]
        cols = payload["props"]
        layers[m.group(1)] = (present, [{k: v[i] for k, v in cols.items()} for i in range(len(present))])
    for m in re.finditer(re.escape(_PAINT_JS) + r"\(", script):
        name, payload = call_args(m.end(), 2)
        if name in layers:
            for i, row in enumerate(layers[name][1]):
                row.update({k: v[i] for k, v in payload["props"].items()})
    return [[row for keep, row in zip(present, rows) if keep] for present, rows in layers.values()]


def _bounds(geo: gpd.GeoSeries) -> list[list[float | None]]:
    if not len(geo) or geo.is_empty.all():
        return [[None, None], [None, None]]
    b = geo.total_bounds
    return [[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]]


def _data_group(name: str) -> folium.FeatureGroup:
    """A layer group holding data: in the app it is sent apart from the base map (see :func:`split_map`)."""
    fg = folium.FeatureGroup(name=name, show=True)
    fg._lillegeo_data = True  # noqa: SLF001
    return fg


class _Style(MacroElement):
    """The stylesheet of lillegeo's map controls, in the base map's header."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>
.lillegeo-legend{background:rgba(255,255,255,.94);padding:8px 10px;border-radius:4px;font:13px/1.35 system-ui,sans-serif;
 color:#222;box-shadow:0 1px 4px rgba(0,0,0,.35);max-width:280px}
.lillegeo-legend h4{margin:0 0 4px;font-size:13px}
.lillegeo-legend .row{display:flex;align-items:center;gap:6px;margin:2px 0}
.lillegeo-legend .sw{display:inline-block;width:18px;height:12px;border:1px solid #555;flex:none}
.lillegeo-legend .n{color:#555;margin-left:auto;padding-left:8px}
.lillegeo-legend .note{color:#444;font-size:11px;margin-top:4px}
.lillegeo-badge{background:#7a2e00;color:#fff;padding:3px 8px;border-radius:3px;font:600 12px system-ui,sans-serif}
.lillegeo-title{background:rgba(255,255,255,.94);padding:4px 10px;border-radius:4px;font:600 15px system-ui,sans-serif;
 box-shadow:0 1px 4px rgba(0,0,0,.3)}
.leaflet-container{background:#f4f4f2}
.lillegeo-tip table{border-collapse:collapse;font:13px/1.3 system-ui,sans-serif}
.lillegeo-tip th{text-align:left;padding:1px 8px 1px 0;color:#444;font-weight:600;vertical-align:top}
.lillegeo-tip td{padding:1px 0;max-width:320px;overflow-wrap:anywhere}
</style>
{% endmacro %}
""")


class _FitWhenShown(_LiteralMacro):
    """Fit the map to its units again when its box changes size, until the person moves it.

    A map created while hidden (a Streamlit tab not yet opened) is fitted to a zero-sized box:
    Leaflet's world view at zoom 0. In the app the base map then stays (only data groups are
    swapped), so the view would stay wrong until a reload: refit when the box gets its size.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function (map, bounds) {
  var c = map.getContainer(), touched = false, w = c.clientWidth, h = c.clientHeight;
  ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (e) {
    c.addEventListener(e, function () { touched = true; }, {passive: true});
  });
  function check() {  /* refit while the person has not moved the map themselves */
    if (touched || !(c.clientWidth > 0 && c.clientHeight > 0) || (c.clientWidth === w && c.clientHeight === h)) return;
    w = c.clientWidth; h = c.clientHeight;
    map.invalidateSize(false); map.fitBounds(bounds);
  }
  if (window.ResizeObserver) new ResizeObserver(check).observe(c);
  window.addEventListener("resize", check);
})({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
{% endmacro %}
""")

    def __init__(self, bounds):
        super().__init__()
        self._name = "LillegeoFit"
        self.bounds = bounds


class _Legend(_LiteralMacro):
    """A Leaflet control holding pre-escaped legend HTML, wrapped in a layer so that it comes and goes
    with its parent (a data group swapped on a rerun, or a layer switched off in the layer control)."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
{{ this.get_name() }}.onAdd = function (map) {
    var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
    div.innerHTML = {{ this.html|tojson }};
    div.setAttribute("data-lillegeo", {{ this.role|tojson }});
    L.DomEvent.disableClickPropagation(div);
    return div;
};
var {{ this.get_name() }}_layer = new (L.Layer.extend({
    onAdd: function (map) { {{ this.get_name() }}.addTo(map); },
    onRemove: function (map) { {{ this.get_name() }}.remove(); }
}))();
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }}_layer);
{% endmacro %}
""")

    def __init__(self, html_text: str, position: str = "bottomright", css_class: str = "lillegeo-legend",
                 role: str = "legend"):
        super().__init__()
        self._name = "LillegeoControl"
        self.html = html_text
        self.position = position
        self.css_class = css_class
        self.role = role


def legend_html(title: str, colors: list[str], labels: list[str], counts: list[int], *,
                n_withheld: int, n_nodata: int, threshold: int, lang: str = "en", note: str = "",
                n_excluded: int = 0) -> str:
    """Legend as HTML, every piece of text escaped."""
    rows = [f"<h4>{esc(title)}</h4>"]
    for c, lab, n in zip(colors, labels, counts):
        rows.append(f'<div class="row"><span class="sw" style="background:{esc(c)}"></span>'
                    f'<span>{esc(lab)}</span><span class="n">{esc(n)}</span></div>')
    if n_withheld:
        rows.append(f'<div class="row" data-role="withheld"><span class="sw" style="background:{WITHHELD_STYLE["fillColor"]};'
                    f'border:1.5px dashed #404040"></span><span>{esc(t("legend.withheld", lang, threshold=threshold))}'
                    f'</span><span class="n">{esc(n_withheld)}</span></div>')
    if n_excluded:
        rows.append(f'<div class="row" data-role="excluded"><span class="sw" style="background:{EXCLUDED_STYLE["fillColor"]};'
                    f'border:1.5px dotted {EXCLUDED_STYLE["color"]}"></span><span>{esc(t("legend.excluded", lang))}'
                    f'</span><span class="n">{esc(n_excluded)}</span></div>')
    if n_nodata:
        rows.append(f'<div class="row"><span class="sw" style="background:#fff;border-color:#9e9e9e"></span>'
                    f'<span>{esc(t("legend.nodata", lang))}</span><span class="n">{esc(n_nodata)}</span></div>')
    rows.append(f'<div class="note">{esc(t("legend.count_note", lang))}</div>')
    if note:
        rows.append(f'<div class="note">{esc(note)}</div>')
    return "".join(rows)


def choropleth_map(
    units: gpd.GeoDataFrame,
    indicator: Indicator,
    *,
    scheme: Scheme = "quantiles",
    k: int = 5,
    breaks: list[float] | None = None,
    palette: str = "YlGnBu",
    overlay: gpd.GeoDataFrame | None = None,
    overlay_label: str | None = None,
    overlay_name_col: str | None = None,
    record_columns: list[str] | None = None,
    count_cols: list[str] | None = None,
    title: str | None = None,
    demo: bool = False,
    lang: str = "en",
    assets: Literal["app", "inline"] = "app",
    tiles: str | None = None,
    tolerance: float | None = None,
    commune_borders: bool = True,
) -> folium.Map:
    """Build a choropleth of an indicator, offline and escaped.

    Parameters
    ----------
    units : GeoDataFrame
        Units with ``unit_id``, ``unit_name``, ``commune_name`` (EPSG:2154 or planar).
    indicator : Indicator
        From :func:`lillegeo.compute_indicator` on the same units (same index).
    scheme, k, breaks
        Classification (see :func:`classify`).
    palette : str
        One of :data:`PALETTES`.
    overlay : GeoDataFrame, optional
        A polygon overlay (e.g. priority neighbourhoods), drawn as outlines.
    record_columns : list of str, optional
        Columns shown in the click popup (default: none beyond the tooltip).
        Small counts in them are withheld like the indicator's.
    count_cols : list of str, optional
        Extra columns to treat as counts of persons or events (census
        ``P…``/``C…`` columns and the indicator's numerator are detected).
    title : str, optional
    demo : bool
        Add the "synthetic demo data" mark.
    lang : {"en", "fr"}
    assets : {"app", "inline"}
        ``app``: Leaflet from the app's static server; ``inline``: use with
        :func:`to_offline_html` for a self-contained file.
    tiles : str, optional
        A tile URL template for an online basemap; ``None`` (default) draws no
        basemap, so the map works with no network.
    tolerance : float, optional
        Display simplification in metres (default: :func:`display_resolution`).
    commune_borders : bool
        Draw commune outlines over the units (when there are several communes).

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> from lillegeo import load_demo, compute_indicator
    >>> ds = load_demo()
    >>> ind = compute_indicator(ds.units, "P21_POP_IMM", per="P21_POP")
    >>> m = choropleth_map(ds.units, ind, demo=True)
    >>> type(m).__name__
    'Map'
    """
    if not isinstance(units, gpd.GeoDataFrame):
        raise TypeError(f"units must be a GeoDataFrame, got {type(units).__name__}")
    if not indicator.values.index.equals(units.index):
        raise ValueError("indicator and units do not share the same index; compute the indicator on these units")
    _require_geometry(units)
    planar = units.crs is None
    geo = display_geometry(units, tolerance=tolerance)
    vals = indicator.values
    withheld = indicator.withheld
    present = vals.notna()
    colors = palette_colors(palette, k)
    cls_idx = pd.Series(-2, index=units.index)  # -2 no data, -1 withheld, -3 left out
    cls_idx[withheld] = -1
    cls_idx[indicator.excluded & ~withheld] = -3
    labels: list[str] = []
    counts: list[int] = []
    if present.any():
        c = classify(vals[present], scheme, k, breaks)
        cls_idx[present] = c.yb
        bins = list(c.bins)
        colors = palette_colors(palette, len(bins))
        lo = float(vals[present].min())
        digits = 0 if max(abs(b) for b in bins) >= 100 else (1 if max(abs(b) for b in bins) >= 1 else 3)
        prev = lo
        for i, b in enumerate(bins):
            lo_txt, hi_txt = _fmt(prev, digits, lang), _fmt(b, digits, lang)
            labels.append(hi_txt if lo_txt == hi_txt else f"{lo_txt} – {hi_txt}")  # many ties: "0", not "0 – 0"
            counts.append(int((cls_idx == i).sum()))
            prev = b
    n_nodata = int((cls_idx == -2).sum())

    w = withheld.to_numpy(dtype=bool)
    ex = indicator.excluded.to_numpy(dtype=bool)
    v = vals.to_numpy(dtype=float)
    value_text = np.where(w, t("map.withheld_value", lang, threshold=indicator.threshold),
                          np.where(ex, t("map.excluded_value", lang),
                                   np.where(np.isnan(v), t("map.nodata_value", lang),
                                            np.array([_fmt(x, 2, lang) for x in v], dtype=object))))
    props = pd.DataFrame(index=units.index)
    props["uid"] = units["unit_id"].map(esc)
    props["name"] = units.get("unit_name", units["unit_id"]).map(esc)
    props["commune"] = units.get("commune_name", pd.Series("", index=units.index)).map(esc)
    props["value"] = [esc(x) for x in value_text]
    den = indicator.denominator
    props["den"] = ([""] * len(units) if den is None else
                    [esc("" if wi else _fmt(d, 0, lang)) for wi, d in zip(w, den.to_numpy())])
    rec_cols = record_columns if record_columns is not None else []
    rec_cols = [c for c in rec_cols if c in units.columns and c != "geometry"]
    rec_keys = [f"r{j}" for j in range(len(rec_cols))]
    if rec_cols:
        counts = count_columns(units, [str(indicator.numerator.name)] + list(count_cols or []))
        safe, _ = suppress_frame(units[rec_cols], threshold=indicator.threshold,
                                 columns=[c for c in rec_cols if c in counts])
        masked = {c: suppress(units[c], threshold=indicator.threshold) for c in rec_cols if c in counts}
        hidden = t("map.withheld_value", lang, threshold=indicator.threshold)
        for key, col in zip(rec_keys, rec_cols):
            vals_c = safe[col]
            mask = masked.get(col)
            props[key] = [esc(hidden if (mask is not None and mask.iloc[j]) else
                              (_fmt(v, 2, lang) if isinstance(v, (float, np.floating)) else v))
                          for j, v in enumerate(vals_c)]
    gdf = gpd.GeoDataFrame(props, geometry=geo.values, crs=geo.crs)

    m = _new_map(gdf, tiles=tiles, lang=lang)

    line = _outline(len(units))
    special = {-1: WITHHELD_STYLE, -2: NODATA_STYLE, -3: EXCLUDED_STYLE}
    if len(units) > 2_000:  # no dashes on sub-pixel units: fills only, faint outlines
        special = {k: {**v, **line, "dashArray": None} for k, v in special.items()}
    styles = [dict(special[ci]) if ci < 0 else {"fillColor": colors[ci], **line, "fillOpacity": 0.82}
              for ci in cls_idx.astype(int)]

    fields = ["name", "uid", "commune", "value"] + (["den"] if den is not None else [])
    aliases = [esc(t(x, lang)) for x in ("map.name", "map.code", "map.commune")] + [esc(indicator.label)]
    if den is not None:
        aliases.append(esc(t("map.denominator", lang, column=den.name or "")))
    popup_fields = fields + rec_keys
    popup_aliases = aliases + [esc(c) for c in rec_cols]
    static = ["uid", "name", "commune"]  # with the geometry in the base map; the rest comes with the paint
    base = _Units(geo, props=props[static], painted=True)
    base.add_to(m)
    data = _data_group(esc(indicator.label))
    _Paint(base, props=props.drop(columns=static), styles=styles, fields=fields, aliases=aliases,
           popup=popup_fields, popup_aliases=popup_aliases, highlight=HIGHLIGHT_STYLE).add_to(data)
    data.add_to(m)

    if commune_borders:
        _add_commune_borders(m, units, geo, lang)

    _add_overlay(m, overlay, overlay_label, overlay_name_col, planar, lang)

    _Legend(legend_html(indicator.label, colors[: len(labels)], labels, counts, n_withheld=int(withheld.sum()),
                        n_nodata=n_nodata, threshold=indicator.threshold, lang=lang,
                        n_excluded=int((cls_idx == -3).sum()),
                        note=f"{t('legend.scheme', lang)}: {t('scheme.' + scheme, lang)}"),
            position="bottomright").add_to(data)
    return _finish(m, title=title, demo=demo, lang=lang, assets=assets)


def _require_geometry(units: gpd.GeoDataFrame) -> None:
    g = units.geometry
    if not len(g) or bool((g.isna() | g.is_empty).all()):
        raise ValueError("nothing to map: no unit has a geometry (empty layer, or every polygon missing or empty)")


def _new_map(gdf: gpd.GeoDataFrame, *, tiles: str | None, lang: str) -> folium.Map:
    """An empty canvas-rendered map fitted to ``gdf`` (EPSG:4326, or planar with a plain grid)."""
    b = gdf.total_bounds
    if gdf.crs is None:
        m = folium.Map(crs="Simple", tiles=None, prefer_canvas=True, control_scale=False, zoom_start=0,
                       location=[(b[1] + b[3]) / 2, (b[0] + b[2]) / 2])
    else:
        zoom = fit_zoom(b)
        m = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, zoom_control=True,
                       location=[(b[1] + b[3]) / 2, (b[0] + b[2]) / 2], zoom_start=zoom)
    _Style().add_to(m)
    if tiles:
        folium.TileLayer(tiles, attr=esc(t("map.tiles_attr", lang)), name=esc(t("map.basemap", lang))).add_to(m)
    m.fit_bounds([[b[1], b[0]], [b[3], b[2]]])
    _FitWhenShown([[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]]).add_to(m)
    return m


def _add_commune_borders(m: folium.Map, units: gpd.GeoDataFrame, geo: gpd.GeoSeries, lang: str) -> None:
    if "commune_id" not in units.columns or units["commune_id"].nunique() < 2:
        return
    if units["commune_id"].nunique() > 0.5 * len(units):
        # most units are whole communes (rural France, communes non irisées): their outlines already
        # are the commune borders; a second layer would double the map's weight for nothing
        return
    ids = units["commune_id"].astype(str).to_numpy()
    key = geo.attrs.get("display_key")

    def build() -> str:
        com = gpd.GeoDataFrame({"commune_id": ids}, geometry=geo.values, crs=geo.crs)
        com = com.dissolve("commune_id").reset_index()[["geometry"]]
        if key is not None and geo.crs is not None and key[2] > 0:
            # outlines only, drawn over the units: simplified three times more (still a coverage)
            try:
                arr = shapely.coverage_simplify(np.asarray(com.geometry.values), 3 * key[2] / 111_320)
                com = gpd.GeoDataFrame(geometry=shapely.transform(arr, lambda c: np.round(c, key[3])), crs=geo.crs)
            except Exception:  # noqa: BLE001 - cosmetic
                pass
        # all borders as one multipolygon: one Leaflet layer instead of one per commune (not interactive)
        parts = shapely.get_parts(np.asarray(com.geometry.values))
        parts = parts[shapely.get_type_id(parts) == 3]
        one = np.array([shapely.multipolygons(parts)], dtype=object)
        encoded = _encode_polygons(one, int(key[3])) if key is not None and geo.crs is not None else None
        return encoded or _geometry_json(gpd.GeoSeries(one, crs=geo.crs))

    data = _memo(None if key is None else ("communes", hash(tuple(ids))) + key, build)
    # in a pane above the data layers, transparent to the pointer: the borders stay on top when the data
    # layers are swapped on a rerun, and hovering still reaches the units beneath
    folium.map.CustomPane(BORDER_PANE, z_index=450, pointer_events=False).add_to(m)
    fg = folium.FeatureGroup(name=esc(t("map.communes", lang)), show=True)
    _Units(geoms_json=data, bounds=_bounds(geo), styles=[{"fill": False, "color": "#1a1a1a", "weight": 1.6}],
           interactive=False, pane=BORDER_PANE).add_to(fg)
    fg.add_to(m)


def _add_overlay(m: folium.Map, overlay: gpd.GeoDataFrame | None, overlay_label: str | None,
                 overlay_name_col: str | None, planar: bool, lang: str) -> None:
    if overlay is None or not len(overlay):
        return
    # outlines drawn on top: simplified and memoised like the units (a rerun re-sends, never recomputes)
    geo = overlay.geometry if (planar and overlay.crs is not None) else display_geometry(overlay)
    namecol = next((c for c in (overlay_name_col, "unit_name") if c and c in overlay.columns), None)
    labels_s = overlay[namecol].map(esc) if namecol else pd.Series("", index=overlay.index)
    label = esc(overlay_label or t("map.overlay", lang))
    fg = _data_group(label)
    _Units(geo, props=pd.DataFrame({"label": labels_s.to_numpy()}),
           styles=[{"fill": False, "color": "#c2185b", "weight": 2.5, "dashArray": "6 4"}],
           fields=["label"], aliases=[label]).add_to(fg)
    fg.add_to(m)


def _finish(m: folium.Map, *, title: str | None, demo: bool, lang: str, assets: str) -> folium.Map:
    """Title, demo mark, layer control and local assets: the last step of every map builder."""
    if title:
        _Legend(esc(title), position="topright", css_class="lillegeo-title", role="title").add_to(m)
    if demo:
        _Legend(esc(t("demo.badge", lang)), position="bottomleft", css_class="lillegeo-badge", role="demo").add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    _use_local_assets(m, STATIC_URL if assets == "app" else None)
    m._lillegeo_assets = assets  # noqa: SLF001 - read by to_offline_html
    return m


def split_map(m: folium.Map) -> tuple[folium.Map, list[folium.FeatureGroup], folium.LayerControl | None]:
    """Take the data layers and the layer control out of a map built here, for ``st_folium``.

    ``st_folium(base, feature_group_to_add=groups, layer_control=control)`` keys the browser
    component on the *base* map's script only: when a widget changes colours, values or legends
    but not the units, the map in the browser stays (with the user's pan and zoom) and only the
    data groups are swapped, instead of a new frame loading Leaflet and redrawing everything.
    The base map keeps the fitted view, commune borders, title, demo mark and stylesheet.

    Returns
    -------
    (base map, data groups in drawing order, layer control or None)
    """
    groups = [el for el in m._children.values() if getattr(el, "_lillegeo_data", False)]  # noqa: SLF001
    control = next((el for el in m._children.values() if isinstance(el, folium.LayerControl)), None)
    for el in groups + ([control] if control is not None else []):
        del m._children[el.get_name()]  # noqa: SLF001
        el._parent = None  # noqa: SLF001
    return m, groups, control


def categorical_map(
    units: gpd.GeoDataFrame,
    categories: pd.Series,
    colors: dict[str, str],
    *,
    legend_title: str,
    layer_name: str | None = None,
    tooltip_columns: dict[str, pd.Series] | None = None,
    legend_note: str = "",
    hulls: gpd.GeoDataFrame | None = None,
    heat=None,
    overlay: gpd.GeoDataFrame | None = None,
    title: str | None = None,
    demo: bool = False,
    lang: str = "en",
    assets: Literal["app", "inline"] = "app",
    tiles: str | None = None,
    tolerance: float | None = None,
    legend: str | None = None,
) -> folium.Map:
    """Units coloured by category (hot/cold spots, LISA quadrants, types), plus optional layers.

    Parameters
    ----------
    units : GeoDataFrame
    categories : Series of str
        Label of each unit (aligned with ``units``).
    colors : dict
        Colour of each label, in legend order; labels missing here are drawn grey.
    legend_title : str
    tooltip_columns : dict, optional
        Extra tooltip rows: alias -> values aligned with ``units`` (escaped here).
    hulls : GeoDataFrame, optional
        Point-cluster hulls (from :func:`lillegeo.hotspots.point_clusters`).
    heat : HeatSurface, optional
        Kernel density surface drawn as an image layer with its own legend.
    legend : str, optional
        Legend HTML built by :func:`bivariate_legend_html` (already escaped), replacing the list legend.

    Returns
    -------
    folium.Map
    """
    if not isinstance(units, gpd.GeoDataFrame):
        raise TypeError(f"units must be a GeoDataFrame, got {type(units).__name__}")
    _require_geometry(units)
    cats = pd.Series(categories, index=units.index).astype("string").fillna("")
    geo = display_geometry(units, tolerance=tolerance)
    props = pd.DataFrame({"uid": units["unit_id"].map(esc), "name": units.get("unit_name", units["unit_id"]).map(esc),
                          "cat": cats.map(esc)}, index=units.index)
    fields, aliases = ["name", "uid", "cat"], [esc(t("map.name", lang)), esc(t("map.code", lang)), esc(legend_title)]
    for j, (alias, vals) in enumerate((tooltip_columns or {}).items()):
        props[f"t{j}"] = [esc(_fmt(v, 3, lang) if isinstance(v, (float, np.floating)) else v)
                          for v in pd.Series(vals, index=units.index)]
        fields.append(f"t{j}")
        aliases.append(esc(alias))
    fills = [colors.get(c, "") for c in cats]  # labels without a colour: outline only
    line = _outline(len(units))
    styles = [{"fillColor": f or "#ffffff", **line,
               "fillOpacity": 0.0 if not f else (0.85 if heat is None else 0.35)} for f in fills]
    gdf = gpd.GeoDataFrame(props, geometry=geo.values, crs=geo.crs)
    m = _new_map(gdf, tiles=tiles, lang=lang)
    static = ["uid", "name"]
    base = _Units(geo, props=props[static], painted=True)
    base.add_to(m)
    data = _data_group(esc(layer_name or legend_title))
    _Paint(base, props=props.drop(columns=static), styles=styles, fields=fields, aliases=aliases,
           highlight=HIGHLIGHT_STYLE).add_to(data)
    data.add_to(m)
    _add_commune_borders(m, units, geo, lang)
    if heat is not None:
        _add_heat(m, heat, lang)
    if hulls is not None and len(hulls):
        _add_hulls(m, hulls, lang)
    _add_overlay(m, overlay, None, None, units.crs is None, lang)
    counts = cats.value_counts()
    if legend is not None:
        _Legend(legend, position="bottomright").add_to(data)
        return _finish(m, title=title, demo=demo, lang=lang, assets=assets)
    rows = [f"<h4>{esc(legend_title)}</h4>"]
    for lab, col in colors.items():
        rows.append(f'<div class="row"><span class="sw" style="background:{esc(col)}"></span><span>{esc(lab)}</span>'
                    f'<span class="n">{esc(int(counts.get(lab, 0)))}</span></div>')
    rows.append(f'<div class="note">{esc(t("legend.count_note", lang))}</div>')
    if legend_note:
        rows.append(f'<div class="note">{esc(legend_note)}</div>')
    _Legend("".join(rows), position="bottomright").add_to(data)
    return _finish(m, title=title, demo=demo, lang=lang, assets=assets)


def bivariate_legend_html(title: str, colors: list[list[str]], counts: dict[str, int], note: str,
                          x_label: str, y_label: str) -> str:
    """A 3 x 3 legend grid (rows: y high to low; columns: x low to high), every text escaped."""
    def cell(a: int, b: int) -> str:
        n = esc(counts.get(f"x{a}y{b}", 0))
        return (f'<span style="display:inline-block;width:26px;height:20px;background:{esc(colors[b][a])};'
                f'font-size:10px;text-align:center;line-height:20px">{n}</span>')

    grid = "".join("<div>" + "".join(cell(a, b) for a in range(3)) + "</div>" for b in (2, 1, 0))
    return (f"<h4>{esc(title)}</h4><div style='display:flex;gap:6px;align-items:center'>"
            f"<div style='writing-mode:vertical-rl;transform:rotate(180deg);font-size:11px'>{esc(y_label)} ↑</div>"
            f"<div>{grid}<div style='font-size:11px'>{esc(x_label)} →</div></div></div>"
            f"<div class='note'>{esc(note)}</div>")


def _add_hulls(m: folium.Map, hulls: gpd.GeoDataFrame, lang: str) -> None:
    h = hulls.to_crs(4326) if hulls.crs is not None else hulls
    props = pd.DataFrame({"c": h["cluster"].map(esc).to_numpy(), "n": h["incidents"].map(esc).to_numpy(),
                          "a": [esc(_fmt(a / 1e4, 1, lang)) for a in hulls.geometry.area]})
    fg = _data_group(esc(t("map.hulls", lang)))
    _Units(h.geometry, props=props, styles=[{"fillColor": "#e66101", "color": "#e66101", "weight": 2.2,
                                             "fillOpacity": 0.12}],
           fields=["c", "n", "a"], aliases=[esc(t("map.cluster", lang)), esc(t("map.incidents", lang)),
                                            esc(t("map.area_ha", lang))]).add_to(fg)
    fg.add_to(m)


def _add_heat(m: folium.Map, heat, lang: str, palette: str = "YlOrRd") -> None:
    """Kernel density as a semi-transparent PNG image layer, with its own legend."""
    from io import BytesIO

    from PIL import Image

    d = heat.density
    k = 6
    qs = np.quantile(d[d > 0], np.linspace(0.5, 1.0, k + 1)) if (d > 0).any() else np.zeros(k + 1)
    idx = np.clip(np.searchsorted(qs[1:-1], d, side="right"), 0, k - 1)
    cols = palette_colors(palette, k)
    rgb = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in cols], dtype=np.uint8)
    img = np.zeros(d.shape + (4,), dtype=np.uint8)
    img[..., :3] = rgb[idx]
    img[..., 3] = np.where(d >= qs[0], 170, 0)
    buf = BytesIO()
    Image.fromarray(img, "RGBA").save(buf, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    minx, miny, maxx, maxy = heat.bounds
    if heat.crs is not None:
        ll = gpd.GeoSeries([shapely.box(minx, miny, maxx, maxy)], crs=heat.crs).to_crs(4326).total_bounds
        bounds = [[ll[1], ll[0]], [ll[3], ll[2]]]
    else:
        bounds = [[miny, minx], [maxy, maxx]]
    fg = _data_group(esc(t("map.heat", lang)))
    folium.raster_layers.ImageOverlay(url, bounds=bounds, opacity=0.8, interactive=False,
                                      cross_origin=False).add_to(fg)
    fg.add_to(m)
    rows = [f"<h4>{esc(t('map.heat_legend', lang, bw=int(heat.bandwidth_m)))}</h4>"]
    for i in range(k):
        rows.append(f'<div class="row"><span class="sw" style="background:{cols[i]}"></span>'
                    f'<span>{esc(_fmt(qs[i], 0, lang))} – {esc(_fmt(qs[i + 1], 0, lang))}</span></div>')
    rows.append(f'<div class="note">{esc(t("map.heat_note", lang))}</div>')
    _Legend("".join(rows), position="bottomleft", role="heat-legend").add_to(fg)


def _inline_css(css: str, base: Path) -> str:
    def repl(mo):
        rel = mo.group(1).strip("'\"")
        p = base / rel
        if rel.startswith("data:") or not p.exists():
            return mo.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()})"

    return re.sub(r"url\(([^)]+)\)", repl, css)


def to_offline_html(m: folium.Map, path: str | Path | None = None) -> str:
    """Render a map as one self-contained HTML file (Leaflet inlined, no network needed).

    Parameters
    ----------
    m : folium.Map
        A map built with ``assets="inline"`` (or ``"app"``; its links are replaced).
    path : path, optional
        Where to write the file.

    Returns
    -------
    str
        The HTML.
    """
    _use_local_assets(m, None)
    d = leaflet_dir()
    css = _inline_css((d / "leaflet.css").read_text(encoding="utf-8"), d)
    js = (d / "leaflet.js").read_text(encoding="utf-8")
    root = m.get_root()
    key = "lillegeo_inline_assets"
    if key not in root.header._children:
        root.header.add_child(Element(f"<style>{css}</style>\n<script>{js}</script>"), name=key, index=0)
    out = root.render()
    if re.search(r"<(script|link)[^>]+(src|href)=\"https?://", out):
        raise RuntimeError("offline map still references a remote asset")  # pragma: no cover - guarded by tests
    if path is not None:
        Path(path).write_text(out, encoding="utf-8")
    return out
