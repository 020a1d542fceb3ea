"""Shared fixtures: the demo dataset, the real files in ../shared/realdata (when present), small frames."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

import lillegeo as lg

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"
MEL = REALDATA / "grisoudre-mel-iris-2016"

needs_realdata = pytest.mark.skipif(not (MEL / "MEL_IRIS.shp").exists(),
                                    reason="../shared/realdata not present on this machine")


@pytest.fixture(scope="session")
def demo():
    return lg.load_demo()


@pytest.fixture()
def grid_units():
    """3 x 2 grid of 1 km squares in Lambert-93, IGN 2024 schema, with a hostile name."""
    geoms, rows = [], []
    for i in range(3):
        for j in range(2):
            geoms.append(box(700_000 + i * 1000, 7_050_000 + j * 1000, 701_000 + i * 1000, 7_051_000 + j * 1000))
            rows.append({"code_iris": f"59350{i:02d}{j:02d}", "nom_iris": f"Unit {i}-{j}",
                         "code_insee": "59350", "nom_commune": "Lille", "type_iris": "H"})
    rows[0]["nom_iris"] = "<img src=x onerror=alert(1)>"
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=2154)
