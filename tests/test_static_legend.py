"""Every outline a static map draws has its legend entry: the priority neighbourhoods' dashed line (drawn
on the Evaluate change map and the others) and the cluster hulls."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
from matplotlib.axes import Axes
from shapely.geometry import box

from lillegeo.report import categorical_static_map


def _legend_labels(monkeypatch, **kw) -> list[str]:
    seen: list[str] = []
    real = Axes.legend

    def spy(self, *a, **k):
        seen.extend(h.get_label() for h in k.get("handles", []))
        return real(self, *a, **k)

    monkeypatch.setattr(Axes, "legend", spy)
    units = gpd.GeoDataFrame({"unit_id": ["a", "b"]}, geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
                             crs=2154)
    labels = pd.Series(["Fell", "Rose"], index=units.index)
    categorical_static_map(units, labels, {"Fell": "#2166ac", "Rose": "#b2182b"}, title="t", caption="c",
                           lang="fr", png=io.BytesIO(), **kw)
    return seen


def test_overlay_and_hulls_in_the_legend(monkeypatch):
    outline = gpd.GeoDataFrame(geometry=[box(200, 200, 800, 800)], crs=2154)
    assert _legend_labels(monkeypatch) == ["Fell (1)", "Rose (1)"]
    assert _legend_labels(monkeypatch, overlay=outline)[-1] == "Quartiers prioritaires (QPV)"
    assert _legend_labels(monkeypatch, hulls=outline)[-1] == "Agrégats d'incidents (enveloppes)"
