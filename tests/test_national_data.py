"""The national-scale generator (benchmarks/national_data.py) at a small size: a valid coverage with
IRIS-shaped codes, realistic vertex counts, and incidents inside France."""

from __future__ import annotations

import numpy as np
import shapely

import lillegeo as lg
from benchmarks.national_data import FRANCE, city_subset, make_incidents, make_units


def test_small_national_coverage_is_valid_and_reads_like_iris(tmp_path):
    units, census, _ = make_units(n_urban=400, n_rural=600, seed=3)
    assert 950 <= len(units) <= 1000
    assert shapely.coverage_is_valid(np.asarray(units.geometry.values))
    assert units["code_iris"].str.fullmatch(r"\d{9}").all() and units["code_iris"].is_unique
    assert (units["code_iris"].str[:5] == units["insee_com"]).all()
    nv = shapely.get_num_coordinates(units.geometry.values)
    # borders have a vertex every ~80 m at most (real MEL IRIS: median 64 m between vertices); at the
    # national size that gives ~165 vertices per unit (real MEL: mean 65 for city IRIS only)
    assert 20 < np.median(shapely.length(units.geometry.values) / nv) <= 90  # 80 m, lengthened by the wiggle
    # the whole generated area is France's outline: no gaps, no overlaps
    assert abs(shapely.union_all(units.geometry.values).area - FRANCE.area) / FRANCE.area < 1e-3
    units.to_file(tmp_path / "iris.gpkg", layer="iris")
    census.to_csv(tmp_path / "census.csv", sep=";", index=False)
    u, _ = lg.read_units(tmp_path / "iris.gpkg")
    t, _ = lg.read_table(tmp_path / "census.csv")
    joined, rep = lg.join_table(u, t)
    assert rep.matched == len(units) and not rep.unmatched_rows
    inc = make_incidents(units, census, n=20_000)
    assert len(inc) == 20_000 and shapely.contains_xy(FRANCE.buffer(2000), inc["x"], inc["y"]).mean() > 0.99
    city, cinc = city_subset(units, inc, n_units=100, n_points=5000)
    assert len(city) == 100 and len(cinc) == 5000
