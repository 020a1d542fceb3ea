"""The Leaflet elements of lillegeo's maps: units, paint, stylesheet, refit, legend controls.

Their JavaScript lives in ``js/`` (shipped with the package), read once at import: plain
functions (``units.js``, ``paint.js``) and Jinja macro bodies (``*.jinja.js``, rendered once,
see :class:`_LiteralMacro`).
"""

from __future__ import annotations

import json
import re
from importlib.resources import files

import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from .escape import _script_json
from .geometry import _bounds, _geometry_json

__all__ = ["layer_properties"]


def _read_js(name: str) -> str:
    """A script of ``js/`` as text, without its final newline."""
    return files(__package__).joinpath("js", name).read_text(encoding="utf-8").removesuffix("\n")


def _macro(name: str) -> Template:
    """A ``script`` macro whose body is the Jinja template ``js/<name>``."""
    return Template("\n{% macro script(this, kwargs) %}\n" + _read_js(name) + "\n{% endmacro %}\n")


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
_UNITS_JS = _read_js("units.js")
#: A pseudo-layer that gives a units layer its values, tooltips and colours when added (see :class:`_Paint`).
_PAINT_JS = _read_js("paint.js")


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

    _template = _macro("units_add.jinja.js")

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

    _template = _macro("paint_add.jinja.js")

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
.lillegeo-popup-open .leaflet-tooltip-pane{display:none}
</style>
{% endmacro %}
""")


class _FitWhenShown(_LiteralMacro):
    """Fit the map to its units again when its box changes size, until the person moves it.

    A map created while hidden (a Streamlit tab not yet opened) is fitted to a zero-sized box:
    Leaflet's world view at zoom 0. In the app the base map then stays (only data groups are
    swapped), so the view would stay wrong until a reload: refit when the box gets its size.
    """

    _template = _macro("fit_when_shown.jinja.js")

    def __init__(self, bounds):
        super().__init__()
        self._name = "LillegeoFit"
        self.bounds = bounds


class _MetricScale(_LiteralMacro):
    """Leaflet's scale bar in metres and kilometres only (folium's ``control_scale`` adds miles and feet)."""

    _template = _macro("scale.jinja.js")

    def __init__(self):
        super().__init__()
        self._name = "LillegeoScale"


class _Legend(_LiteralMacro):
    """A Leaflet control holding pre-escaped legend HTML, wrapped in a layer so that it comes and goes
    with its parent (a data group swapped on a rerun, or a layer switched off in the layer control)."""

    _template = _macro("legend.jinja.js")

    def __init__(self, html_text: str, position: str = "bottomright", css_class: str = "lillegeo-legend",
                 role: str = "legend"):
        super().__init__()
        self._name = "LillegeoControl"
        self.html = html_text
        self.position = position
        self.css_class = css_class
        self.role = role
