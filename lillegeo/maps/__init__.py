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

Modules, each one concern (none imports this package's ``__init__``):

- :mod:`.escape`: :func:`esc`, JSON for ``<script>``, number formatting;
- :mod:`.assets`: local Leaflet for the app, inlined in exported files;
- :mod:`.classes`: palettes, classification, fixed styles;
- :mod:`.geometry`: display geometry, its memo caches, the compact polygon encoding;
- :mod:`.layers`: the Leaflet elements (units, paint, stylesheet, refit, legend), their
  JavaScript in ``js/``;
- :mod:`.build`: the steps every builder shares, :func:`split_map`;
- :mod:`.choropleth`, :mod:`.categorical`: the map builders.
"""

from __future__ import annotations

from .assets import STATIC_URL, install_static_assets, leaflet_dir, to_offline_html
from .build import BORDER_PANE as BORDER_PANE
from .build import split_map
from .categorical import bivariate_legend_html as bivariate_legend_html
from .categorical import categorical_map
from .choropleth import choropleth_map
from .choropleth import legend_html as legend_html
from .classes import EXCLUDED_STYLE as EXCLUDED_STYLE
from .classes import HIGHLIGHT_STYLE as HIGHLIGHT_STYLE
from .classes import NODATA_STYLE, PALETTES, SCHEMES, WITHHELD_STYLE, classify, palette_colors
from .classes import Scheme as Scheme
from .escape import esc
from .geometry import _DISPLAY_CACHE as _DISPLAY_CACHE
from .geometry import _GEOJSON_CACHE as _GEOJSON_CACHE
from .geometry import _RESOLUTION_CACHE as _RESOLUTION_CACHE
from .geometry import DETAIL_ZOOMS as DETAIL_ZOOMS
from .geometry import _encode_polygons as _encode_polygons
from .geometry import _memo as _memo
from .geometry import display_geometry
from .geometry import display_resolution as display_resolution
from .geometry import fit_zoom as fit_zoom
from .layers import _PAINT_JS as _PAINT_JS
from .layers import _UNITS_JS as _UNITS_JS
from .layers import layer_properties

__all__ = [
    "NODATA_STYLE",
    "PALETTES",
    "SCHEMES",
    "STATIC_URL",
    "WITHHELD_STYLE",
    "categorical_map",
    "choropleth_map",
    "classify",
    "display_geometry",
    "esc",
    "install_static_assets",
    "layer_properties",
    "leaflet_dir",
    "palette_colors",
    "split_map",
    "to_offline_html",
]
