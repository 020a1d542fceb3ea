"""Maps of units coloured by category (hot and cold spots, LISA quadrants, types), with optional
cluster hulls, heat surface and a bivariate legend."""

from __future__ import annotations

import base64
from typing import Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..fmt import fmt_int
from ..i18n import t
from .build import _add_commune_borders, _add_overlay, _data_group, _finish, _new_map, _require_geometry
from .classes import HIGHLIGHT_STYLE, WITHHELD_STYLE, _outline, palette_colors
from .escape import _fmt, esc
from .geometry import display_geometry
from .layers import _Legend, _Paint, _Units

__all__ = ["bivariate_legend_html", "categorical_map", "withheld_legend_row"]


def withheld_legend_row(label: str, n: int, lang: str = "en") -> str:
    """The legend row of withheld units: the withheld swatch (grey, dark dashed outline), label, count."""
    return (f'<div class="row" data-role="withheld"><span class="sw" style="background:{WITHHELD_STYLE["fillColor"]};'
            f'border:1.5px dashed {WITHHELD_STYLE["color"]}"></span><span>{esc(label)}</span>'
            f'<span class="n">{esc(fmt_int(int(n), lang))}</span></div>')


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
    overlay_label: str | None = None,
    overlay_interactive: bool = True,
) -> folium.Map:
    """Units coloured by category (hot/cold spots, LISA quadrants, types), plus optional layers.

    Parameters
    ----------
    units : GeoDataFrame
    categories : Series of str
        Label of each unit (aligned with ``units``).
    colors : dict
        Colour of each label, in legend order; labels missing here are drawn as outlines only. A label
        coloured ``WITHHELD_STYLE["fillColor"]`` is the withheld class: drawn in the withheld style
        (dashed outline) with the withheld legend row.
    legend_title : str
    tooltip_columns : dict, optional
        Extra tooltip rows: alias -> values aligned with ``units`` (escaped here).
    hulls : GeoDataFrame, optional
        Point-cluster hulls (from :func:`lillegeo.hotspots.point_clusters`).
    heat : HeatSurface, optional
        Kernel density surface drawn as an image layer with its own legend.
    legend : str, optional
        Legend HTML built by :func:`bivariate_legend_html` (already escaped), replacing the list legend.
    overlay_label : str, optional
        Name of the ``overlay`` outlines (default: the priority neighbourhoods).
    overlay_interactive : bool
        Whether the outlines take the mouse (their own tooltip); ``False`` leaves hovering and clicking
        to the units under them.

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
    grey = WITHHELD_STYLE["fillColor"]
    styles = [dict(WITHHELD_STYLE) if f == grey else
              {"fillColor": f or "#ffffff", **line, "fillOpacity": 0.0 if not f else (0.85 if heat is None else 0.35)}
              for f in fills]
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
    _add_overlay(m, overlay, overlay_label, None, units.crs is None, lang, overlay_interactive)
    counts = cats.value_counts()
    if legend is not None:
        _Legend(legend, position="bottomright").add_to(data)
        return _finish(m, title=title, demo=demo, lang=lang, assets=assets)
    rows = [f"<h4>{esc(legend_title)}</h4>"]
    for lab, col in colors.items():
        if col == WITHHELD_STYLE["fillColor"]:
            rows.append(withheld_legend_row(lab, int(counts.get(lab, 0)), lang))
            continue
        rows.append(f'<div class="row"><span class="sw" style="background:{esc(col)}"></span><span>{esc(lab)}</span>'
                    f'<span class="n">{esc(fmt_int(int(counts.get(lab, 0)), lang))}</span></div>')
    rows.append(f'<div class="note">{esc(t("legend.count_note", lang))}</div>')
    if legend_note:
        rows.append(f'<div class="note">{esc(legend_note)}</div>')
    _Legend("".join(rows), position="bottomright").add_to(data)
    return _finish(m, title=title, demo=demo, lang=lang, assets=assets)


def bivariate_legend_html(title: str, colors: list[list[str]], counts: dict[str, int], note: str,
                          x_label: str, y_label: str, withheld: tuple[str, int] | None = None,
                          others: tuple[tuple[str, str, int], ...] = (), lang: str = "en") -> str:
    """A 3 x 3 legend grid (rows: y high to low; columns: x low to high), every text escaped;
    ``withheld`` = (label, number of units) adds the withheld row, ``others`` = ((label, colour, number
    of units), …) a row for each group of units without a class (left out, no data)."""
    def cell(a: int, b: int) -> str:
        n = esc(counts.get(f"x{a}y{b}", 0))
        return (f'<span style="display:inline-block;width:26px;height:20px;background:{esc(colors[b][a])};'
                f'font-size:10px;text-align:center;line-height:20px">{n}</span>')

    grid = "".join("<div>" + "".join(cell(a, b) for a in range(3)) + "</div>" for b in (2, 1, 0))
    return (f"<h4>{esc(title)}</h4><div style='display:flex;gap:6px;align-items:center'>"
            f"<div style='writing-mode:vertical-rl;transform:rotate(180deg);font-size:11px'>{esc(y_label)} ↑</div>"
            f"<div>{grid}<div style='font-size:11px'>{esc(x_label)} →</div></div></div>"
            + (withheld_legend_row(*withheld, lang) if withheld else "")
            + "".join(f'<div class="row"><span class="sw" style="background:{esc(c)};border:1px solid #999"></span>'
                      f'<span>{esc(lab)}</span><span class="n">{esc(fmt_int(int(n), lang))}</span></div>'
                      for lab, c, n in others)
            + f"<div class='note'>{esc(note)}</div>")


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
