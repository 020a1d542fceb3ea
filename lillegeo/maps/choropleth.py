"""Choropleth maps of an indicator: classes, withheld and left-out units, legend, record popups."""

from __future__ import annotations

from typing import Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from ..fmt import fmt_int
from ..i18n import t
from ..indicators import Indicator, count_columns, suppress, suppress_frame
from ..insee import field_label
from .build import _add_commune_borders, _add_overlay, _data_group, _finish, _new_map, _require_geometry
from .categorical import withheld_legend_row
from .classes import (
    EXCLUDED_STYLE,
    HIGHLIGHT_STYLE,
    NODATA_STYLE,
    WITHHELD_STYLE,
    Scheme,
    _outline,
    classify,
    palette_colors,
)
from .escape import _fmt, esc
from .geometry import display_geometry
from .layers import _Legend, _Paint, _Units

__all__ = ["choropleth_map", "legend_html"]


def legend_html(title: str, colors: list[str], labels: list[str], counts: list[int], *,
                n_withheld: int, n_nodata: int, threshold: int, lang: str = "en", note: str = "",
                n_excluded: int = 0) -> str:
    """Legend as HTML, every piece of text escaped."""
    rows = [f"<h4>{esc(title)}</h4>"]
    for c, lab, n in zip(colors, labels, counts):
        rows.append(f'<div class="row"><span class="sw" style="background:{esc(c)}"></span>'
                    f'<span>{esc(lab)}</span><span class="n">{esc(fmt_int(n, lang))}</span></div>')
    if n_withheld:
        rows.append(withheld_legend_row(t("legend.withheld", lang, threshold=threshold), n_withheld, lang))
    if n_excluded:
        rows.append(f'<div class="row" data-role="excluded"><span class="sw" style="background:{EXCLUDED_STYLE["fillColor"]};'
                    f'border:1.5px dotted {EXCLUDED_STYLE["color"]}"></span><span>{esc(t("legend.excluded", lang))}'
                    f'</span><span class="n">{esc(fmt_int(n_excluded, lang))}</span></div>')
    if n_nodata:
        rows.append(f'<div class="row"><span class="sw" style="background:#fff;border-color:#9e9e9e"></span>'
                    f'<span>{esc(t("legend.nodata", lang))}</span><span class="n">{esc(fmt_int(n_nodata, lang))}</span></div>')
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
        if scheme == "user" and breaks:  # the person's own breaks shown as typed (72.5 is not "73")
            digits = max([digits] + [next(d for d in range(4) if d == 3 or abs(round(b, d) - b) < 1e-9)
                                     for b in map(float, breaks)])
        prev = lo
        for i, b in enumerate(bins):
            lo_txt, hi_txt = _fmt(prev, digits, lang), _fmt(b, digits, lang)
            labels.append(hi_txt if lo_txt == hi_txt else f"{lo_txt} – {hi_txt}")  # many ties: "0", not "0 – 0"
            counts.append(int((cls_idx == i).sum()))
            prev = b

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
    if rec_cols:  # (not ``counts``: that name holds the legend's unit count per class)
        counted = count_columns(units, [str(indicator.numerator.name)] + list(count_cols or []))
        safe, _ = suppress_frame(units[rec_cols], threshold=indicator.threshold,
                                 columns=[c for c in rec_cols if c in counted])
        masked = {c: suppress(units[c], threshold=indicator.threshold) for c in rec_cols if c in counted}
        hidden = t("map.withheld_value", lang, threshold=indicator.threshold)
        for key, col in zip(rec_keys, rec_cols):
            vals_c = safe[col]
            mask = masked.get(col)
            props[key] = [esc(hidden if (mask is not None and mask.iloc[j]) else
                              (_fmt(v, 2, lang) if isinstance(v, (float, np.floating)) else v))
                          for j, v in enumerate(vals_c)]
    gdf = gpd.GeoDataFrame(props, geometry=geo.values, crs=geo.crs)

    shown = indicator.numerator.notna().to_numpy()  # a table covering part of the map: fitted to its units
    m = _new_map(gdf[shown] if 0 < shown.sum() < len(gdf) else gdf, tiles=tiles, lang=lang)

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
    popup_aliases = aliases + [esc(field_label(c, lang)) for c in rec_cols]  # readable name, code in brackets
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

    part = indicator.partition  # the same groups as the caption: shown (in classes) + the three below = total
    _Legend(legend_html(indicator.label, colors[: len(labels)], labels, counts, n_withheld=part["withheld"],
                        n_nodata=part["no_data"], threshold=indicator.threshold, lang=lang,
                        n_excluded=part["left_out"],
                        note=t("legend.scheme_line", lang, scheme=t("scheme." + scheme, lang))),
            position="bottomright").add_to(data)
    return _finish(m, title=title, demo=demo, lang=lang, assets=assets)
