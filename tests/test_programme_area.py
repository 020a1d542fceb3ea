"""An uploaded outline as the treated area (issue 16): the units mostly inside it, through the bounded
reader (any columns or none, any CRS), hostile files refused in words; the command line's ``--treated
FILE.geojson`` gives the numbers of ``--treated CODE,CODE``; the start-date helpers of the page."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

import lillegeo as lg
from lillegeo.io.messages import reader_message
from lillegeo.params import ProgrammeParams
from lillegeo.programme.area import AreaPick, area_text, units_in_file
from lillegeo.programme.errors import error_text
from lillegeo.programme.view import staggered_note, start_problems, starts_frame, treated_with_starts


@pytest.fixture(scope="module")
def demo():
    return lg.load_demo()


def _two_units(units):
    """Two touching units of the demo (the first unit and its first neighbour, by code)."""
    a = units.iloc[0]
    touching = units[units.geometry.touches(a.geometry) | units.geometry.intersects(a.geometry.buffer(1))]
    b = touching[touching["unit_id"] != a["unit_id"]].sort_values("unit_id").iloc[0]
    return [str(a["unit_id"]), str(b["unit_id"])]


def outline_file(units, codes, path, *, crs=4326, inset=-10.0):
    """The union of ``codes``' polygons shrunk by ``inset`` metres, written as GeoJSON in ``crs`` (no columns)."""
    geom = shapely.union_all(units.loc[units["unit_id"].isin(codes)].geometry.values).buffer(inset)
    gpd.GeoDataFrame(geometry=[geom], crs=units.crs).to_crs(crs).to_file(path, driver="GeoJSON")
    return path


def test_units_inside_an_uploaded_outline_in_wgs84(demo, tmp_path):
    codes = _two_units(demo.units)
    f = outline_file(demo.units, codes, tmp_path / "zone.geojson")
    assert "properties\": {}" in f.read_text() or "properties\": { }" in f.read_text()  # no column at all
    pick = units_in_file(demo.units, f)
    # golden: the two units whose union, shrunk by 10 m, is the outline (by construction); each is ~all inside,
    # every neighbour has at most a 10 m sliver outside it, far under half its area
    assert sorted(pick.codes) == sorted(codes) and pick.n_polygons == 1 and pick.reason == ""
    assert area_text(pick, "fr").startswith("2 unités dont la surface est surtout dans le contour chargé « zone.geojson »")


def test_the_more_than_half_rule_on_a_cut_unit(demo, tmp_path):
    u = demo.units.iloc[10]
    g = u.geometry
    x0, y0, x1, y1 = g.bounds
    for frac in (0.3, 0.8):
        cut = g.intersection(box(x0 - 1, y0 - 1, x0 + frac * (x1 - x0), y1 + 1))
        share = cut.area / g.area  # the golden share, by shapely directly
        f = tmp_path / f"cut{frac}.gpkg"
        gpd.GeoDataFrame({"note": ["x"]}, geometry=[cut], crs=2154).to_file(f, driver="GPKG")
        pick = units_in_file(demo.units, f)
        assert (str(u["unit_id"]) in pick.codes) == (share > 0.5), (frac, share)


def test_outline_outside_the_city_or_too_small_says_why(demo, tmp_path):
    far = tmp_path / "paris.geojson"
    gpd.GeoDataFrame(geometry=[box(2.33, 48.85, 2.36, 48.87)], crs=4326).to_file(far, driver="GeoJSON")
    pick = units_in_file(demo.units, far)
    assert pick.codes == () and pick.reason == "outside"
    assert "lies outside the units loaded" in area_text(pick, "en") and "en dehors" in area_text(pick, "fr")
    c = demo.units.geometry.iloc[5].representative_point()
    small = tmp_path / "small.geojson"
    gpd.GeoDataFrame(geometry=[c.buffer(20)], crs=2154).to_crs(4326).to_file(small, driver="GeoJSON")
    pick = units_in_file(demo.units, small)
    assert pick.codes == () and pick.reason == "small" and "too small" in area_text(pick, "en")


def test_hostile_outlines_are_refused_in_words(demo, tmp_path):
    vrt = tmp_path / "zone.geojson"
    vrt.write_text('<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource>'
                   '</OGRVRTLayer></OGRVRTDataSource>')
    with pytest.raises(ValueError, match="VRT") as e:
        units_in_file(demo.units, vrt)
    assert "/etc/passwd" not in str(e.value)
    pts = tmp_path / "points.geojson"
    gpd.GeoDataFrame(geometry=[Point(3.06, 50.63)], crs=4326).to_file(pts, driver="GeoJSON")
    with pytest.raises(ValueError, match="Point geometries; the treated area must be polygons") as e:
        units_in_file(demo.units, pts)
    assert reader_message(str(e.value), "fr").startswith("« points.geojson » contient des géométries Point ; la zone")
    with pytest.raises(ValueError, match="empty"):
        units_in_file(demo.units, b"", name="empty.geojson")
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])  # self-crossing: repaired, not refused
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": None,
                                                      "geometry": shapely.geometry.mapping(bowtie)}]}
    assert units_in_file(demo.units, json.dumps(fc).encode(), name="bow.geojson").reason == "outside"


def test_huge_outline_refused_before_reading(demo, monkeypatch):
    monkeypatch.setenv("LILLEGEO_LIMIT_UPLOAD_MB", "1")  # the limit in force (lillegeo.limits.limits())
    with pytest.raises(ValueError, match="is 2 MB, over the 1 MB limit") as e:
        units_in_file(demo.units, b" " * (2 * 2**20), name="huge.geojson")
    assert reader_message(str(e.value), "fr") != str(e.value)  # shown in French on a French page


def test_cli_outline_gives_the_numbers_of_the_codes(demo, tmp_path, capsys):
    from lillegeo.cli import main

    codes = _two_units(demo.units)
    f = outline_file(demo.units, codes, tmp_path / "zone.geojson")
    common = ["evaluate", "--units", "geodata/demo/units.geojson", "--points", "incidents=geodata/demo/incidents.csv",
              "--start", "2023-07-01", "--buffer-m", "300", "--method", "before_after"]
    assert main(common + ["--treated", ",".join(codes), "--out", str(tmp_path / "a.csv")]) == 0
    by_codes = capsys.readouterr()
    assert main(common + ["--treated", str(f), "--out", str(tmp_path / "b.csv")]) == 0
    by_file = capsys.readouterr()
    assert json.loads(by_file.out.strip().splitlines()[-1]) == json.loads(by_codes.out.strip().splitlines()[-1])
    assert "2 units whose area is mostly inside the uploaded outline 'zone.geojson'" in by_file.err
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "a.csv"), pd.read_csv(tmp_path / "b.csv"))


def test_start_helpers(demo):
    assert treated_with_starts(("A", "B"), ["2024-02-01", ""]) == ("A@2024-02-01", "B")
    with pytest.raises(ValueError, match="not a date"):
        treated_with_starts(("A",), ["soon"])
    assert starts_frame(("A@2024-02-01", "B"), {})["start"].tolist() == ["2024-02-01", ""]
    with pytest.raises(ValueError, match="start of A '2024-13-45' is not a date") as e:
        treated_with_starts(("A",), ["2024-13-45"])
    assert error_text(e.value, "fr") == ("le début de A « 2024-13-45 » n'est pas une date ; écrivez-la AAAA-MM-JJ, "
                                         "par exemple 2023-07-01")
    # the demo's incidents run from 2022-01-01 to 2024-12-30 (lg.load_demo().points["incidents"]["date"])
    dates = demo.points["incidents"]["date"]
    assert (f"{dates.min():%Y-%m-%d}", f"{dates.max():%Y-%m-%d}") == ("2022-01-01", "2024-12-30")
    p = ProgrammeParams(layer="incidents", treated=("A", "B@2030-01-01"), start="2023-07-01")
    assert start_problems(demo, p, "en") == ["The start 2030-01-01 is after the last event in the data (2024-12-30): "
                                             "there is no after period to measure. Choose an earlier start. "
                                             "Units with this start: B."]
    assert start_problems(demo, ProgrammeParams(layer="incidents", treated=("A",), start="2021-01-01"),
                          "fr")[0].startswith("Le début 2021-01-01 tombe au plus tard le jour du premier événement")
    assert start_problems(demo, ProgrammeParams(layer="incidents", treated=("A",), start="2023-07-01")) == []
    note = staggered_note(ProgrammeParams(treated=("A", "B@2024-01-01"), start="2023-07-01", method="synth"))
    assert "uses the earliest (2023-07-01)" in note
    assert staggered_note(ProgrammeParams(treated=("A", "B"), start="2023-07-01")) == ""
    assert AreaPick(("a",), 1).reason == ""
