"""Property-based tests (hypothesis): for any input, the readers, the join and the rates return a
result or raise the documented error (ValueError / SchemaError), never anything else."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

import lillegeo as lg

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=2000), st.sampled_from(["t.csv", "t.xlsx", "t.zip", "t.txt"]))
def test_read_table_any_bytes(data, name):
    try:
        df, rep = lg.read_table(data, name=name)
    except ValueError:
        return
    assert df.attrs["key"] in df.columns and rep.rows == len(df)


cell = st.one_of(st.text(max_size=12), st.integers(-10**6, 10**6).map(str),
                 st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f"{f:.3f}".replace(".", ",")),
                 st.sampled_from(["ns", "nd", "s", "nc", "", "=1+1", "<b>x</b>"]))


@FAST
@given(st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=12), st.sampled_from([";", ",", "\t"]))
def test_read_table_any_csv_with_codes(rows, sep):
    lines = [sep.join(["IRIS", "A", "B"])]
    for i, r in enumerate(rows):
        lines.append(sep.join([f"59350{i:04d}"] + [c.replace(sep, " ").replace("\n", " ").replace('"', "")
                                                  for c in r[1:]]))
    try:
        df, rep = lg.read_table("\n".join(lines).encode("utf-8"), name="t.csv")
    except ValueError:
        return
    assert df["IRIS"].str.len().eq(9).all()
    for c in df.columns:  # numbers are floats, everything else is text: no object soup
        assert df[c].dtype.kind in "fO" or str(df[c].dtype).startswith(("string", "str"))


@FAST
@given(st.binary(max_size=3000), st.sampled_from(["u.geojson", "u.gpkg", "u.zip", "u.parquet"]))
def test_read_units_any_bytes(data, name):
    try:
        units, rep = lg.read_units(data, name=name)
    except ValueError:
        return
    assert units["unit_id"].is_unique


@FAST
@given(st.lists(st.sampled_from([f"59350{i:04d}" for i in range(8)] + ["12345678", "599990000", "x"]),
                min_size=0, max_size=10, unique=True))
def test_join_accounts_for_every_unit_and_row(codes):
    units = gpd.GeoDataFrame({"unit_id": [f"59350{i:04d}" for i in range(5)]},
                             geometry=[box(i, 0, i + 1, 1) for i in range(5)], crs=2154)
    table = pd.DataFrame({"IRIS": codes, "v": np.arange(len(codes), dtype=float)})
    if not codes:
        with pytest.raises(ValueError, match="no rows"):
            lg.join_table(units, table, key="IRIS")
        return
    joined, rep = lg.join_table(units, table, key="IRIS")
    assert len(joined) == 5
    assert rep.matched + len(rep.units_without_data) == 5
    assert rep.matched + len(rep.unmatched_rows) == len(codes)


@FAST
@given(st.lists(st.tuples(st.floats(0, 1e5, allow_nan=False), st.floats(0, 1e6, allow_nan=False)), min_size=1,
                max_size=30), st.integers(1, 50))
def test_rates_and_suppression_invariants(pairs, threshold):
    df = pd.DataFrame(pairs, columns=["n", "pop"])
    ind = lg.compute_indicator(df, "n", per="pop", threshold=threshold)
    shown = ind.values.notna()
    # nothing shown that comes from a count of 1..threshold-1 or a denominator below the threshold
    assert not (shown & (df["n"] > 0) & (df["n"] < threshold)).any()
    assert not (shown & (df["pop"] > 0) & (df["pop"] < threshold)).any()
    # a rate is count / denominator * 1,000 wherever it is shown
    np.testing.assert_allclose(ind.values[shown], (df["n"] / df["pop"] * 1000)[shown])
