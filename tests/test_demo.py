"""The demo generator: deterministic, realistic, small, with its ground truth."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely

import lillegeo as lg
from lillegeo.demo import DEMO_DIR, DemoConfig, generate_demo, write_demo


@pytest.fixture(scope="module")
def small():
    return generate_demo(DemoConfig(n_cells=1500, n_incidents=3000))


def test_shipped_demo_is_what_the_generator_writes(tmp_path):
    write_demo(tmp_path)
    for name in ("census.csv", "incidents.csv", "checks.csv", "truth.json", "incident_hotspot.csv"):
        assert (tmp_path / name).read_bytes() == (DEMO_DIR / name).read_bytes(), name
    a, _ = lg.read_units(tmp_path / "units.geojson")
    b, _ = lg.read_units(DEMO_DIR / "units.geojson")
    assert a["unit_id"].tolist() == b["unit_id"].tolist()
    assert np.allclose(a.area, b.area, rtol=1e-6)


def test_same_seed_same_data_other_seed_other_data(small):
    again = generate_demo(DemoConfig(n_cells=1500, n_incidents=3000))
    pd.testing.assert_frame_equal(small["census"], again["census"])
    other = generate_demo(DemoConfig(seed=1, n_cells=1500, n_incidents=3000))
    assert not small["census"]["P21_POP"].equals(other["census"]["P21_POP"])


def test_shipped_demo_looks_like_real_data(demo):
    u = demo.units
    assert 300 <= len(u) <= 600
    assert u["commune_id"].nunique() >= 8
    assert set(u["unit_type"]) == {"H", "A", "D", "Z"}
    assert u["unit_id"].str.fullmatch(r"\d{9}").all()
    arr = np.asarray(u.geometry.values)
    assert shapely.coverage_is_valid(arr)  # no overlaps
    hull_gaps = shapely.union_all(arr).interiors if shapely.union_all(arr).geom_type == "Polygon" else []
    assert len(list(hull_gaps)) == 0  # no holes: a true coverage
    # census correlations: unemployment rises with immigrant share, income falls with poverty
    c = u[u["unit_type"] == "H"]
    share = c["P21_POP_IMM"] / c["P21_POP"]
    unemp = c["P21_CHOM1564"] / c["P21_ACT1564"]
    assert np.corrcoef(share, unemp)[0, 1] > 0.5
    inc = c[["DISP_MED21", "DISP_TP6021"]].dropna()
    assert np.corrcoef(inc["DISP_MED21"], inc["DISP_TP6021"])[0, 1] < -0.5
    rep = next(r for r in demo.reports if r.source == "census.csv")
    assert rep.details["withheld"]["DISP_MED21"] > 0  # 'ns' cells, as Filosofi writes them


def test_demo_points_and_truth(demo):
    inc = demo.points["incidents"]
    assert len(inc) >= 30_000
    assert sorted(inc["date"].dt.year.unique()) == [2022, 2023, 2024]
    assert inc["category"].nunique() >= 5
    truth = json.loads((DEMO_DIR / "truth.json").read_text(encoding="utf-8"))
    assert len(truth["hotspots"]) >= 5 and truth["bias"]["rate_ratio_per_10pp_immigrant_share"] == 1.3
    assert len(demo.points["checks"]) > 1000
    assert demo.overlay is not None and len(demo.overlay) >= 3


def test_demo_is_small():
    total = sum(p.stat().st_size for p in DEMO_DIR.iterdir())
    assert total < 5 * 1024 * 1024
