"""Programme evaluation flow: design (treated / buffer / control), the panel, run_programme, findings, CLI."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from lillegeo.params import ProgrammeParams
from lillegeo.programme.design import design, match_controls, parse_treated, units_inside
from lillegeo.programme.panel import build_panel, check_panel_size, wide_counts


@pytest.fixture()
def grid():
    """5 x 5 grid of 100 m squares (Lambert-93), codes 'r{row}c{col}'; the corner unit r4c4 is of type A."""
    rows, geoms = [], []
    for r in range(5):
        for c in range(5):
            geoms.append(box(700_000 + c * 100, 7_050_000 + r * 100, 700_100 + c * 100, 7_050_100 + r * 100))
            rows.append({"unit_id": f"r{r}c{c}", "unit_type": "A" if (r, c) == (4, 4) else "H"})
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=2154)


def _role_set(roles, role):
    return set(roles.index[roles == role])


# ------------------------------------------------------------------ design

def test_buffer_rings_on_grid(grid):
    # centre r2c2 treated; queen ring 1 = the 8 squares around it (hand count); ring 2 = the other 16
    roles, starts, areas = design(grid, ProgrammeParams(treated=("r2c2",), start="2023-07-01", buffer_rings=1))
    ring1 = {f"r{r}c{c}" for r in (1, 2, 3) for c in (1, 2, 3)} - {"r2c2"}
    assert _role_set(roles, "treated") == {"r2c2"}
    assert _role_set(roles, "buffer") == ring1
    # control: the 16 outer squares minus the A unit r4c4 (left out)
    assert len(_role_set(roles, "control")) == 15 and roles["r4c4"] == "excluded"
    assert starts["r2c2"] == pd.Timestamp("2023-07-01") and starts["r1c1"] == pd.Timestamp("2023-07-01")
    assert pd.isna(starts["r0c0"]) and areas["r0c0"] == "" and areas["r1c2"] == areas["r2c2"] == "2023-07-01"
    roles2, _, _ = design(grid, ProgrammeParams(treated=("r2c2",), start="2023-07-01", buffer_rings=2))
    assert len(_role_set(roles2, "buffer")) == 24 and not _role_set(roles2, "control")


def test_buffer_metres_on_grid(grid):
    # treated r2c2 (x 700200-700300, y 7050200-7050300). Squares touching it are 0 m away; the next ring
    # is 100 m away (edge to edge) or 100*sqrt(2) = 141 m (corner r0c0 to corner r2c2's (200,200)).
    p = ProgrammeParams(treated=("r2c2",), start="2023-07-01", buffer_m=50)
    roles, _, _ = design(grid, p)
    assert len(_role_set(roles, "buffer")) == 8
    roles, _, _ = design(grid, p.replace(buffer_m=120))  # edge-adjacent second ring (100 m) in; corners (141 m) out
    ring2_edges = {"r0c1", "r0c2", "r0c3", "r4c1", "r4c2", "r4c3", "r1c0", "r2c0", "r3c0", "r1c4", "r2c4", "r3c4"}
    assert _role_set(roles, "buffer") == ring1_plus(ring2_edges)
    roles, _, _ = design(grid, p.replace(buffer_m=150))  # corners at 141 m now in: every other unit
    assert len(_role_set(roles, "buffer")) == 24


def ring1_plus(extra):
    return ({f"r{r}c{c}" for r in (1, 2, 3) for c in (1, 2, 3)} - {"r2c2"}) | extra


def test_staggered_starts_and_areas(grid):
    roles, starts, areas = design(grid, ProgrammeParams(treated=("r0c0", "r4c0@2024-01-01", "r0c4"),
                                                        start="2023-07-01", buffer_rings=1))
    assert starts["r4c0"] == pd.Timestamp("2024-01-01")
    # r0c0 and r0c4 share a start but do not touch: two areas, numbered by their first code
    assert areas["r0c0"] == "2023-07-01 #1" and areas["r0c4"] == "2023-07-01 #2" and areas["r4c0"] == "2024-01-01"
    # a buffer unit takes the area and start of its nearest treated unit
    assert areas["r1c0"] == "2023-07-01 #1" and areas["r3c0"] == "2024-01-01"
    assert starts["r3c0"] == pd.Timestamp("2024-01-01")


def test_design_refusals(grid):
    with pytest.raises(ValueError, match=r"not among the units: nope; codes look like: r0c0"):
        design(grid, ProgrammeParams(treated=("nope",), start="2023-07-01"))
    with pytest.raises(ValueError, match="has no start date"):
        design(grid, ProgrammeParams(treated=("r0c0",)))
    with pytest.raises(ValueError, match="is not a date"):
        parse_treated(["r0c0@2023-13-01"], "", ["r0c0"])
    with pytest.raises(ValueError, match="not both"):
        design(grid, ProgrammeParams(treated=("r0c0",), start="2023-07-01", buffer_m=100, buffer_rings=1))
    with pytest.raises(ValueError, match="priority-neighbourhood layer"):
        design(grid, ProgrammeParams(treated_from="qpv", start="2023-07-01"))
    with pytest.raises(ValueError, match="hotspots selection is empty"):
        design(grid, ProgrammeParams(treated_from="hotspots", start="2023-07-01"), hotspot_units=[])
    with pytest.raises(ValueError, match="needs the units' counts"):
        design(grid, ProgrammeParams(treated=("r0c0",), start="2023-07-01", control="matched"))


def test_units_inside_qpv_and_upload(grid):
    # a polygon covering r0c0 fully and 60 % of r0c1, 40 % of r1c0 (hand-computed shares)
    area = gpd.GeoDataFrame(geometry=[box(700_000, 7_050_000, 700_160, 7_050_100),
                                      box(700_000, 7_050_100, 700_040, 7_050_200)], crs=2154)
    assert sorted(units_inside(grid, area)) == ["r0c0", "r0c1"]
    roles, _, _ = design(grid, ProgrammeParams(treated_from="qpv", start="2023-07-01"), qpv=area)
    assert _role_set(roles, "treated") == {"r0c0", "r0c1"}
    roles, _, _ = design(grid, ProgrammeParams(treated_from="hotspots", start="2023-07-01"), hotspot_units=["r3c3"])
    assert _role_set(roles, "treated") == {"r3c3"}
    with pytest.raises(ValueError, match="different CRS"):
        units_inside(grid, area.set_crs(4326, allow_override=True))
    with pytest.raises(ValueError, match="must be polygons"):
        units_inside(grid, gpd.GeoDataFrame(geometry=[Point(700_010, 7_050_010)], crs=2154))


def test_matched_controls_by_hand():
    # units: treated T (pre counts 10, 12: level 11, slope 2); candidates A (11, 13) identical trend +1 level,
    # B (0, 0), C (30, 10). Standardised distances: A nearest, then C or B; with n=1 only A is kept.
    codes = ["T", "A", "B", "C"]
    counts = pd.DataFrame([[10, 12, 20], [11, 13, 5], [0, 0, 0], [30, 10, 1]], index=codes,
                          columns=pd.to_datetime(["2023-05-01", "2023-06-01", "2023-07-01"]))
    roles = pd.Series(["treated", "control", "control", "control"], index=codes)
    out = match_controls(roles, counts, pd.Timestamp("2023-07-01"), 1)
    assert out.to_dict() == {"T": "treated", "A": "control", "B": "excluded", "C": "excluded"}
    # z-scores by hand: level (11, 12, 0, 20) mean 10.75 sd 7.12; slope (2, 2, 0, -20) mean -4 sd 9.27;
    # B: |dz| = (11/7.12, 2/9.27) -> 1.56; C: (9/7.12, 22/9.27) -> 2.69: B is second
    out2 = match_controls(roles, counts, pd.Timestamp("2023-07-01"), 2)
    assert set(out2[out2 == "control"].index) == {"A", "B"}
    with pytest.raises(ValueError, match="at least 2 periods before"):
        match_controls(roles, counts, pd.Timestamp("2023-06-01"), 1)


# ------------------------------------------------------------------ panel

def _points(rows):
    return gpd.GeoDataFrame({"date": pd.to_datetime([r[2] for r in rows]), "category": [r[3] for r in rows]},
                            geometry=[Point(700_000 + r[0], 7_050_000 + r[1]) for r in rows], crs=2154)


def test_panel_counts_by_hand(grid):
    pts = _points([(50, 50, "2023-01-05", "vol"), (60, 50, "2023-01-20", "vol"),   # r0c0, Jan: 2
                   (50, 50, "2023-03-31", "violence"),                              # r0c0, Mar: 1 (Feb: 0)
                   (250, 250, "2023-02-02", "vol"),                                 # r2c2, Feb: 1
                   (450, 450, "2023-02-02", "vol"),                                 # r4c4 (A unit, excluded)
                   (9_999, 9_999, "2023-02-02", "vol")])                            # outside every unit
    roles, starts, areas = design(grid, ProgrammeParams(treated=("r2c2",), start="2023-02-01", buffer_rings=1))
    panel = build_panel(pts, grid, roles, starts, areas)
    assert list(panel.columns) == ["unit", "period", "count", "role", "start", "area"]
    assert len(panel) == 24 * 3  # 24 units in a role (r4c4 excluded) x Jan, Feb, Mar (zero-filled)
    c = panel.set_index(["unit", "period"])["count"]
    assert c[("r0c0", pd.Timestamp("2023-01-01"))] == 2 and c[("r0c0", pd.Timestamp("2023-02-01"))] == 0
    assert c[("r0c0", pd.Timestamp("2023-03-01"))] == 1 and c[("r2c2", pd.Timestamp("2023-02-01"))] == 1
    assert panel["count"].sum() == 4
    row = panel[panel["unit"] == "r2c2"].iloc[0]
    assert row["role"] == "treated" and row["start"] == pd.Timestamp("2023-02-01") and row["area"] == "2023-02-01"
    q = build_panel(pts, grid, roles, starts, areas, period="quarter", categories=("vol",))
    # one quarter (Q1 2023); r0c0 keeps its 2 thefts, the violence is filtered out
    assert q["period"].nunique() == 1 and q.set_index("unit")["count"]["r0c0"] == 2
    assert wide_counts(pts, grid).loc["r4c4"].sum() == 1


def test_panel_refusals(grid):
    with pytest.raises(ValueError, match="over the limit of 4,000,000"):
        check_panel_size(200_000, 36)
    pts = _points([(50, 50, "2023-01-05", "vol")]).drop(columns="date")
    roles, starts, areas = design(grid, ProgrammeParams(treated=("r2c2",), start="2023-02-01"))
    with pytest.raises(ValueError, match="no date column"):
        build_panel(pts, grid, roles, starts, areas)
