"""The map of a programme evaluation: the change of each unit (events per period after the start over
before), in five classes around "little change", the treated area and its buffer outlined, units whose
counts are under the disclosure threshold in the withheld style with their legend row and count.

The page, the slides and the static exports draw it from here, so it shows the same classes everywhere.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from ..i18n import t
from ..hotspots import HOT_COLORS, LEFT_OUT
from ..layers import Layer, with_withheld
from ..maps import categorical_map
from .types import ProgrammeResult

__all__ = ["CHANGE_BREAKS", "CHANGE_COLORS", "change_frame", "change_layer", "role_outlines", "change_map"]

#: Upper bounds of the change classes (after / before): fell by more than 25 %, fell 10-25 %, within
#: 10 %, rose 10-25 %, rose by more than 25 % (a class holds values up to its bound, exclusive).
CHANGE_BREAKS = (0.75, 0.9, 1.1, 1.25)
#: Colours of the five classes (ColorBrewer RdBu reversed: blue = fewer events) and of "no events before".
CHANGE_COLORS = ("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b")
_NO_BASE = "#d9d9d9"
_CLASS_KEYS = ("fell_more", "fell", "same", "rose", "rose_more")


def change_frame(res: ProgrammeResult, units: gpd.GeoDataFrame) -> pd.DataFrame:
    """``res.change`` aligned with ``units`` (by ``unit_id``): ``role``, ``before``, ``after``, ``change``,
    ``withheld``; units absent from the evaluation have role ``excluded`` and no values."""
    ch = pd.DataFrame(res.change.drop(columns="geometry", errors="ignore"))
    key = next((c for c in ("unit", "unit_id") if c in ch.columns), None)
    if key is not None:
        ch = ch.set_index(key)
    ch.index = ch.index.astype(str)
    codes = units["unit_id"].astype(str)
    out = pd.DataFrame(index=units.index)
    for col in ("before", "after", "change"):
        out[col] = pd.to_numeric(codes.map(ch[col]) if col in ch.columns else pd.Series(float("nan"), index=codes.index),
                                 errors="coerce").to_numpy()
    roles = ch["role"] if "role" in ch.columns else res.roles.rename(index=str)
    out["role"] = codes.map(roles).fillna(codes.map(res.roles.rename(index=str))).fillna("excluded").to_numpy()
    wh = codes.map(ch["withheld"]) if "withheld" in ch.columns else pd.Series(False, index=codes.index)
    out["withheld"] = wh.fillna(False).astype(bool).to_numpy()
    return out


def _class_names(lang: str) -> list[str]:
    return [t(f"evaluate.change.{k}", lang) for k in _CLASS_KEYS]


def change_layer(res: ProgrammeResult, units: gpd.GeoDataFrame, lang: str = "en") -> Layer:
    """The change classes of each unit of ``units``, translated, with their colours in legend order:
    five classes of after / before, "no events before" (a ratio needs events before the start), the
    withheld class (counts under the threshold) and the units not in the evaluation (A/D units, unmatched
    control units) last, so that the legend's counts add up to the units; classes no unit falls in are
    left out of the legend.

    Examples
    --------
    >>> CHANGE_BREAKS
    (0.75, 0.9, 1.1, 1.25)
    """
    f = change_frame(res, units)
    names = _class_names(lang)
    bins = [-float("inf"), *CHANGE_BREAKS, float("inf")]
    cls = pd.cut(f["change"], bins, labels=names, right=False).astype("string")
    none = t("evaluate.change.no_base", lang)
    no_after = t("evaluate.change.no_after", lang)  # a start after the data: events before, no period after
    evaluated = f["role"] != "excluded"
    why = pd.Series(none, index=f.index).where(~(f["after"].isna() & (f["before"] > 0)), no_after)
    labels = cls.where(cls.notna(), why).where(evaluated, "").astype(object)
    used = set(labels[~(f["withheld"] & evaluated).to_numpy()])  # withheld units are relabelled below
    colors = {k: v for k, v in {**dict(zip(names, CHANGE_COLORS)), none: _NO_BASE, no_after: _NO_BASE}.items()
              if k in used}
    labels, colors = with_withheld(labels, colors, f["withheld"] & evaluated, res.threshold, lang)
    if (~evaluated).any():  # A/D units and unmatched control units: named, so the legend adds up to the units
        out = t("evaluate.change.excluded", lang)
        labels = labels.where(evaluated.to_numpy(), out)
        colors = {**colors, out: HOT_COLORS[LEFT_OUT]}
    return Layer(labels, colors, t("evaluate.change.legend", lang), note=t("evaluate.change.note", lang))


def role_outlines(res: ProgrammeResult, units: gpd.GeoDataFrame, lang: str = "en") -> gpd.GeoDataFrame:
    """The treated area and the buffer, each dissolved into one outline named in ``unit_name``."""
    roles = units["unit_id"].astype(str).map(res.roles.rename(index=str)).fillna("excluded")
    parts = []
    for role in ("treated", "buffer"):
        sel = units[(roles == role).to_numpy()]
        if len(sel):
            parts.append(gpd.GeoDataFrame({"unit_name": [t(f"evaluate.role.{role}", lang)]},
                                          geometry=[sel.geometry.union_all()], crs=units.crs))
    if not parts:
        return gpd.GeoDataFrame({"unit_name": []}, geometry=[], crs=units.crs)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=units.crs)


def change_map(res: ProgrammeResult, units: gpd.GeoDataFrame, lang: str = "en", *, demo: bool = False,
               assets: str = "app", title: str | None = None, **kw: Any) -> folium.Map:
    """The change map as the Evaluate page draws it: :func:`change_layer` on ``units``, tooltips with the
    role, events before and after (withheld ones left blank) and the change; the treated area and the
    buffer outlined (:func:`role_outlines`), the outlines leaving the mouse to the units (a click picks a
    unit inside them)."""
    layer = change_layer(res, units, lang)
    f = change_frame(res, units)
    hide = f["withheld"]
    tips = {t("evaluate.role", lang): f["role"].map(lambda r: t(f"evaluate.role.{r}", lang)),
            t("evaluate.before", lang): f["before"].where(~hide),
            t("evaluate.after", lang): f["after"].where(~hide),
            t("evaluate.change", lang): f["change"].where(~hide)}
    return categorical_map(units, layer.labels, layer.colors, legend_title=layer.title, legend_note=layer.note,
                           tooltip_columns=tips, overlay=role_outlines(res, units, lang),
                           overlay_label=t("evaluate.outline", lang), overlay_interactive=False, demo=demo, lang=lang, assets=assets,
                           title=title, **kw)
