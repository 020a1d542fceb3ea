"""Join with a report: matched, units without data, rows without unit, duplicates, year hints."""

from __future__ import annotations

import pandas as pd
import pytest

import lillegeo as lg

from .conftest import MEL, needs_realdata


def _units(grid_units):
    return lg.read_units(grid_units.to_json().encode(), name="u.geojson")[0]


def test_join_counts_and_lists(grid_units):
    units = _units(grid_units)
    table = pd.DataFrame({"IRIS": ["593500000", "593500001", "593509999", "591230101"], "P": [1.0, 2.0, 3.0, 4.0]})
    table.attrs["key"] = "IRIS"
    joined, rep = lg.join_table(units, table)
    assert len(joined) == 6  # no unit dropped
    assert rep.matched == 2
    assert rep.units_without_data == ["593500100", "593500101", "593500200", "593500201"]
    assert rep.unmatched_rows == ["591230101", "593509999"]
    assert any("different years" in h and "59350 (1)" in h for h in rep.hints)
    assert any("not in the map" in h for h in rep.hints)
    assert rep.unmatched_frame()["commune"].tolist() == ["59123", "59350"]
    assert joined.loc[joined.unit_id == "593500001", "P"].item() == 2.0


def test_join_refuses_duplicates_naming_them(grid_units):
    units = _units(grid_units)
    table = pd.DataFrame({"IRIS": ["593500000", "593500000", "593500001"], "P": [1, 2, 3]})
    with pytest.raises(ValueError, match=r"1 duplicate code\(s\) in 'IRIS': 593500000"):
        lg.join_table(units, table, key="IRIS")


def test_join_errors(grid_units):
    units = _units(grid_units)
    with pytest.raises(ValueError, match="key column 'X' not found in the table"):
        lg.join_table(units, pd.DataFrame({"IRIS": ["1"]}), key="X")
    with pytest.raises(TypeError, match="units must be a GeoDataFrame"):
        lg.join_table(pd.DataFrame(), pd.DataFrame({"IRIS": ["1"]}), key="IRIS")


def test_join_does_not_mutate_inputs(grid_units):
    units = _units(grid_units)
    table = pd.DataFrame({"IRIS": [" 593500000 "], "P": [1.0]})
    before_u, before_t = units.copy(), table.copy()
    lg.join_table(units, table, key="IRIS")
    pd.testing.assert_frame_equal(table, before_t)
    pd.testing.assert_frame_equal(pd.DataFrame(units.drop(columns="geometry")),
                                  pd.DataFrame(before_u.drop(columns="geometry")))


@needs_realdata
def test_real_lille_join_counts():
    # Acceptance of issue 2: 509 units, 110 matched, 399 without data, 0 unmatched rows
    units, _ = lg.read_units(MEL / "MEL_IRIS.shp")
    table, _ = lg.read_table(MEL / "Lille_IRIS_pop_16.csv")
    joined, rep = lg.join_table(units, table)
    assert (rep.n_units, rep.matched, len(rep.units_without_data), len(rep.unmatched_rows)) == (509, 110, 399, 0)
