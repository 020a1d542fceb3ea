"""The steps every map builder shares: the fitted canvas, data groups, commune borders, overlay,
title and layer control, and the split of a map into its base and data groups for the app."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..i18n import t
from .assets import STATIC_URL, _use_local_assets
from .escape import esc
from .geometry import _bounds, _encode_polygons, _geometry_json, _memo, display_geometry, fit_zoom
from .layers import _FitWhenShown, _Legend, _MetricScale, _Style, _Units

__all__ = ["split_map"]

#: Leaflet pane of the commune borders, above the data layers (overlayPane is 400) and not interactive.
BORDER_PANE = "lillegeoBorders"


def _data_group(name: str) -> folium.FeatureGroup:
    """A layer group holding data: in the app it is sent apart from the base map (see :func:`split_map`)."""
    fg = folium.FeatureGroup(name=name, show=True)
    fg._lillegeo_data = True
    return fg


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
        m = folium.Map(tiles=None, prefer_canvas=True, control_scale=False, zoom_control=True,
                       location=[(b[1] + b[3]) / 2, (b[0] + b[2]) / 2], zoom_start=zoom)
        _MetricScale().add_to(m)  # metres and kilometres only, never miles and feet
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
                 overlay_name_col: str | None, planar: bool, lang: str, interactive: bool = True) -> None:
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
           fields=["label"], aliases=[label], interactive=interactive).add_to(fg)
    fg.add_to(m)


def _finish(m: folium.Map, *, title: str | None, demo: bool, lang: str, assets: str) -> folium.Map:
    """Title, demo mark, layer control and local assets: the last step of every map builder."""
    if title:
        _Legend(esc(title), position="topright", css_class="lillegeo-title", role="title").add_to(m)
    if demo:
        _Legend(esc(t("demo.badge", lang)), position="bottomleft", css_class="lillegeo-badge", role="demo").add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    _use_local_assets(m, STATIC_URL if assets == "app" else None)
    m._lillegeo_assets = assets
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
    groups = [el for el in m._children.values() if getattr(el, "_lillegeo_data", False)]
    control = next((el for el in m._children.values() if isinstance(el, folium.LayerControl)), None)
    for el in groups + ([control] if control is not None else []):
        del m._children[el.get_name()]
        el._parent = None
    return m, groups, control
