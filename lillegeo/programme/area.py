"""An uploaded outline as the treated area: the units mostly inside it become the treated units.

One function for the Evaluate page and the ``evaluate`` command (:func:`units_in_file`): the file is read
by the bounded, driver-whitelisted reader (:func:`lillegeo.io.worker.read_area_bounded`; any columns or
none), then :func:`~lillegeo.programme.design.units_inside` (rule: more than half of a unit's area). The
recipe keeps the codes, not the file, so a saved recipe, ``run`` and the slides reproduce the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from ..fmt import fmt_int
from ..i18n import t
from ..io.worker import read_area_bounded
from .design import MOSTLY, units_inside

__all__ = ["AreaPick", "units_in_file", "area_text", "AREA_SUFFIXES", "is_area_file"]

#: Files ``--treated`` reads as an outline (the units inside it), not as a list of codes.
AREA_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".shp", ".parquet")


@dataclass(frozen=True)
class AreaPick:
    """The units an outline takes: their codes (in the units' order), the outline's polygon count, and
    why none was taken (``outside``: the outline does not touch the units; ``small``: it touches them but
    covers no unit's area by more than half; ``''`` when some were)."""

    codes: tuple[str, ...]
    n_polygons: int
    reason: str = ""
    source: str = ""


def is_area_file(value: str) -> bool:
    """Whether ``--treated`` names an outline file (by its extension).

    >>> is_area_file("zone.GeoJSON"), is_area_file("codes.txt"), is_area_file("599010101,599010102")
    (True, False, False)
    """
    return Path(value).suffix.lower() in AREA_SUFFIXES


def units_in_file(units: gpd.GeoDataFrame, src: Any, *, name: str | None = None, crs: Any = None) -> AreaPick:
    """The units whose area is mostly (> 50 %) inside the polygons of a file (path or bytes with ``name``).

    Raises ``ValueError`` in words for a file the reader refuses (format, size, no CRS, points or lines…).
    """
    area, rep = read_area_bounded(src, name=name, crs=crs)
    codes = tuple(units_inside(units, area.to_crs(units.crs) if units.crs is not None else area, share=MOSTLY))
    reason = ""
    if not codes:
        outline = shapely.union_all(area.geometry.values)
        reason = "small" if shapely.intersects(shapely.union_all(units.geometry.values), outline) else "outside"
    return AreaPick(codes=codes, n_polygons=len(area), reason=reason, source=rep.source)


def area_text(pick: AreaPick, lang: str = "en") -> str:
    """What the outline did, in words.

    >>> area_text(AreaPick(("a", "b"), 1, source="zone.geojson"))
    "2 units whose area is mostly inside the uploaded outline 'zone.geojson' are now the treated units; the recipe keeps their codes."
    >>> area_text(AreaPick((), 1, "outside", "zone.geojson"))[:60]
    "No unit was taken: the outline 'zone.geojson' lies outside t"
    """
    if pick.codes:
        return t("evaluate.area_taken", lang, n=fmt_int(len(pick.codes), lang), name=pick.source)
    return t(f"evaluate.area_none_{pick.reason or 'small'}", lang, name=pick.source)
