"""One parameter model: types, ranges and options checked in one place for recipes, the command line
and the pages; the cost guard refuses work beyond its budget before it starts."""

from __future__ import annotations

import time

import numpy as np
import pytest
import shapely

from lillegeo import load_demo
from lillegeo.__main__ import main
from lillegeo.demo import DEMO_DIR
from lillegeo.params import COST_BUDGET, DEFAULTS, SPEC, bounds, check_cost, check_slides, validate
from lillegeo.recipe import Recipe


def _demo_toml(**sections) -> str:
    r = Recipe.for_demo()
    text = r.to_toml()
    for sec, body in sections.items():
        text = text.replace(f"[{sec}]\n", f"[{sec}]\n{body}\n", 1)
    return text


@pytest.mark.parametrize("section,key,value,message", [
    ("equity", "band", "x", r"\[equity\] band = 'x' must be two numbers"),
    ("equity", "band", [1.2, 1.5], r"low < 1 < high"),
    ("equity", "bootstrap", 150_000, r"bootstrap = 150000 is above the largest allowed value 9999"),
    ("hotspots", "permutations", 3_000_000, r"permutations = 3000000 is above the largest allowed value 9999"),
    ("hotspots", "permutations", 5, r"below the smallest allowed value 19"),
    ("clusters", "eps_m", 2000.0, r"eps_m = 2000.0 is above the largest allowed value 1000"),
    ("clusters", "min_samples", 3, r"below the smallest allowed value 11"),
    ("hotspots", "alpha", "0.05", r"must be a number, not str"),
    ("hotspots", "weights", "knn:99", r"k outside 1 to 50"),
    ("hotspots", "weights", "wkt:POINT", r"not a weights spec"),
    ("hotspots", "method", "gi", r"allowed: gi_star, local_moran"),
    ("explore", "k", True, r"must be a number, not bool"),
    ("explore", "k", 2.5, r"must be a whole number"),
    ("disclosure", "threshold", 1, r"below the smallest allowed value 11"),
    ("explore", "exclude_ad", "yes", r"must be true or false"),
    ("explore", "column", "x" * 5000, r"longer than 4096 characters"),
])
def test_bad_values_are_refused_with_the_field_named(section, key, value, message):
    with pytest.raises(ValueError, match=message):
        validate(section, {key: value})


def test_defaults_are_valid_and_filled_in():
    for sec in SPEC:
        assert validate(sec, {}) == DEFAULTS[sec]
    assert validate("clusters", {"eps_m": 150})["eps_m"] == 150.0  # ints accepted where floats are expected
    assert bounds("clusters", "eps_m") == (10.0, 1000.0)
    with pytest.raises(ValueError, match=r"unknown key\(s\) in \[hotspots\]: bogus"):
        validate("hotspots", {"bogus": 1})


def test_recipe_loading_validates_every_section():
    # the recipe with band = "x" that gave a traceback
    with pytest.raises(ValueError, match=r"\[equity\] band = 'x'"):
        Recipe.from_toml(_demo_toml(equity='band = "x"').replace('band = [\n    0.8,\n    1.25,\n]\n', ""))
    t0 = time.perf_counter()
    text = _demo_toml().replace("permutations = 999", "permutations = 3000000")
    with pytest.raises(ValueError, match="permutations = 3000000 is above"):
        Recipe.from_toml(text)
    assert time.perf_counter() - t0 < 2
    with pytest.raises(ValueError, match="at most 30 are allowed"):
        check_slides([{"layer": "explore", "title": "t", "caption": "c"}] * 31)
    with pytest.raises(ValueError, match=r"\[slide 1\] layer = 'points' is not allowed"):
        check_slides([{"layer": "points"}])
    bad_src = _demo_toml().replace('path = "demo/units.geojson"', "path = 5")
    with pytest.raises(ValueError, match="source 'units': 'path' must be str, not int"):
        Recipe.from_toml(bad_src)
    # a valid recipe round-trips unchanged
    r = Recipe.for_demo()
    assert Recipe.from_toml(r.to_toml()).hotspots == r.hotspots


@pytest.mark.parametrize("argv,message", [
    (["clusters", "--points", "p.csv", "--min-samples", "2", "--out", "o.csv"], "--min-samples: .*below"),
    (["clusters", "--points", "p.csv", "--eps-m", "2000", "--out", "o.csv"], "--eps-m: .*above"),
    (["hotspots", "--units", "u.gpkg", "--value", "v", "--permutations", "3000000", "--out", "o.csv"],
     "--permutations: .*above"),
    (["equity", "--units", "u.gpkg", "--burden", "b", "--group", "g", "--bootstrap", "150000", "--out", "o.csv"],
     "--bootstrap: .*above"),
    (["equity", "--units", "u.gpkg", "--burden", "b", "--group", "g", "--band-low", "1.1", "--out", "o.csv"],
     "low < 1 < high"),
])
def test_command_line_checks_the_same_ranges_before_reading_files(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "error:" in err and __import__("re").search(message, err)


def test_command_line_defaults_are_the_recipe_defaults():
    from lillegeo.cli import build_parser

    args = build_parser().parse_args(["clusters", "--points", "p.csv", "--out", "o.csv"])
    assert (args.eps_m, args.min_samples) == (DEFAULTS["clusters"]["eps_m"], DEFAULTS["clusters"]["min_samples"])


def test_cost_guard():
    check_cost("permutations", units=374, draws=9999)
    with pytest.raises(ValueError, match=r"use at most 1,234 permutations"):  # 60,000,000 // 48,600 = 1,234
        check_cost("permutations", units=48_600, draws=9_999)
    with pytest.raises(ValueError, match="bootstrap"):
        check_cost("bootstrap", units=48_600, draws=9_999)
    # DBSCAN: 36,000 demo incidents at 2,000 m gave 1.8 GB; refused before any neighbour list is built
    xy = shapely.get_coordinates(load_demo().points["incidents"].geometry.values)
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match=r"search radius of 1000 m gives about [\d,]+ neighbour pairs"):
        check_cost("dbscan", xy=xy, eps_m=1000)
    assert time.perf_counter() - t0 < 5
    check_cost("dbscan", xy=xy, eps_m=DEFAULTS["clusters"]["eps_m"])
    # hand check of the estimate: 100 points on one spot all neighbour each other -> 100 x 100 pairs
    same = np.zeros((100, 2))
    with pytest.raises(ValueError, match="about 10,000 neighbour pairs"):
        check_cost("dbscan", xy=same, eps_m=10, budget={"neighbour_pairs": 9_999})
    assert COST_BUDGET["neighbour_pairs"] >= 10_000_000


def test_pipeline_functions_apply_the_guard():
    from lillegeo.equity import exposure_ratio
    from lillegeo.hotspots import area_hotspots, point_clusters

    ds = load_demo()
    with pytest.raises(ValueError, match="budget"):
        point_clusters(ds.points["incidents"], eps_m=3000, min_samples=60)
    import lillegeo.params as P

    old = dict(P.COST_BUDGET)
    try:
        P.COST_BUDGET["permutation_units"] = 1000
        P.COST_BUDGET["bootstrap_units"] = 1000
        with pytest.raises(ValueError, match="permutations on 374 units"):
            area_hotspots(ds.units, "incidents", permutations=99)
        import pandas as pd

        df = pd.DataFrame({"b": np.arange(20.0), "g": 1.0, "r": 2.0})
        with pytest.raises(ValueError, match="bootstrap on 20 units"):
            exposure_ratio(df, "b", "g", "r", bootstrap=999)
    finally:
        P.COST_BUDGET.update(old)


def test_cache_token_includes_every_reader_choice():
    # the cache key was the file's SHA-256 only: correcting the unit-code column kept the wrong result
    from lillegeo.app.state import token_of

    data = b"same bytes"
    a = token_of(data, {"units": {"sha256": "x", "mapping": {"unit_id": "id_zone"}}})
    b = token_of(data, {"units": {"sha256": "x", "mapping": {"unit_id": "code"}}})
    c = token_of(data, {"units": {"sha256": "x", "mapping": {"unit_id": "code"}, "crs": "EPSG:2154"}})
    d = token_of(data, {"table": {"key": "IRIS"}, "units": {"sha256": "x"}})
    e = token_of(data, {"table": {"key": "CODGEO"}, "units": {"sha256": "x"}})
    assert len({a, b, c, d, e}) == 5
    assert token_of(data, {"units": {"mapping": {"unit_id": "code"}, "sha256": "x"}}) == b  # order does not matter
