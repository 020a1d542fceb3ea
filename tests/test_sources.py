"""Readers: every contour, table and point variant a user brings."""

from __future__ import annotations

import io
import zipfile

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Polygon

import lillegeo as lg
from lillegeo.io import SchemaError

from .conftest import MEL, needs_realdata


# ----------------------------------------------------------------------------- contours

@pytest.mark.parametrize("ext,driver", [(".gpkg", "GPKG"), (".geojson", "GeoJSON"), (".parquet", None)])
def test_read_units_formats(tmp_path, grid_units, ext, driver):
    p = tmp_path / f"units{ext}"
    if driver:
        grid_units.to_file(p, driver=driver)
    else:
        grid_units.to_parquet(p)
    units, rep = lg.read_units(p)
    assert len(units) == 6
    assert units["unit_id"].tolist()[0] == "593500000"
    assert rep.details["schema"].startswith("IGN CONTOURS-IRIS PE")
    assert units.crs.to_epsg() == 2154


def _old_schema(gdf):
    return gdf.rename(columns={"code_iris": "CODE_IRIS", "nom_iris": "NOM_IRIS", "code_insee": "INSEE_COM",
                               "nom_commune": "NOM_COM", "type_iris": "TYP_IRIS"})


def test_read_shapefile_set_and_zip(tmp_path, grid_units):
    shp = tmp_path / "IRIS.shp"
    _old_schema(grid_units).to_file(shp)
    units, rep = lg.read_units(shp)
    assert len(units) == 6 and rep.details["schema"] == "IGN CONTOURS-IRIS (before 2024)"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in tmp_path.glob("IRIS.*"):
            zf.write(f, arcname=f"CONTOURS-IRIS/{f.name}")
    units2, rep2 = lg.read_units(buf.getvalue(), name="upload.zip")
    assert units2["unit_id"].tolist() == units["unit_id"].tolist()
    assert rep2.details["format"] == "zipped shp"


def test_zip_without_dbf_is_refused(tmp_path, grid_units):
    shp = tmp_path / "IRIS.shp"
    _old_schema(grid_units).to_file(shp)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.write(shp, "IRIS.shp")
        zf.write(shp.with_suffix(".shx"), "IRIS.shx")
    with pytest.raises(ValueError, match=r"missing its \.dbf"):
        lg.read_units(buf.getvalue(), name="x.zip")


def test_zip_path_traversal_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../evil.shp", b"x")
    with pytest.raises(ValueError, match="outside the archive"):
        lg.read_units(buf.getvalue(), name="evil.zip")


def test_unknown_schema_needs_mapping(tmp_path, grid_units):
    p = tmp_path / "other.geojson"
    grid_units.rename(columns={"code_iris": "iris_code", "nom_iris": "iris_name", "code_insee": "com_code",
                               "nom_commune": "com_name", "type_iris": "kind"}).to_file(p)
    with pytest.raises(SchemaError, match="match no known IRIS schema; columns are: iris_code"):
        lg.read_units(p)
    units, rep = lg.read_units(p, mapping={"unit_id": "iris_code", "unit_name": "iris_name", "commune_id": "com_code"})
    assert units["unit_name"].iloc[1] == "Unit 0-1"
    assert rep.details["schema"] == "mapped by the user"
    with pytest.raises(ValueError, match=r"mapped column\(s\) \['nope'\] not found"):
        lg.read_units(p, mapping={"unit_id": "nope"})


def test_no_crs_is_refused_with_instructions(tmp_path, grid_units):
    p = tmp_path / "nocrs.shp"
    _old_schema(grid_units).set_crs(None, allow_override=True).to_file(p)
    with pytest.raises(ValueError, match=r"no coordinate reference system.*--crs EPSG:2154.*--planar"):
        lg.read_units(p)
    units, rep = lg.read_units(p, crs="EPSG:2154")
    assert units.crs.to_epsg() == 2154
    units, rep = lg.read_units(p, planar=True)
    assert units.crs is None and "planar" in rep.details["crs"]


def test_reprojection_is_logged(tmp_path, grid_units):
    p = tmp_path / "wgs.geojson"
    grid_units.to_crs(4326).to_file(p)
    units, rep = lg.read_units(p)
    assert units.crs.to_epsg() == 2154
    assert any("reprojected from EPSG:4326" in m for m in rep.messages)
    # back in metres: the squares are 1 km2 again (to 0.1 %)
    assert np.allclose(units.area, 1e6, rtol=1e-3)


def test_invalid_geometry_repaired_and_counted(tmp_path, grid_units):
    bowtie = Polygon([(700000, 7052000), (701000, 7053000), (701000, 7052000), (700000, 7053000)])
    g = grid_units.copy()
    g.loc[0, "geometry"] = bowtie
    p = tmp_path / "bad.gpkg"
    g.to_file(p)
    units, rep = lg.read_units(p)
    assert rep.details["repaired"] == 1
    assert units.is_valid.all()


def test_codes_padded_and_duplicates_refused(tmp_path, grid_units):
    g = grid_units.copy()
    g["code_iris"] = ["12345678", "12345679", "593500002", "593500003", "593500004", "593500005"]
    p = tmp_path / "codes.geojson"
    g.to_file(p)
    units, rep = lg.read_units(p)
    assert units["unit_id"].iloc[0] == "012345678"
    assert any("leading zero" in m for m in rep.messages)
    g["code_iris"] = ["593500000"] * 2 + ["593500002", "593500003", "593500004", "593500005"]
    g.to_file(p)
    with pytest.raises(ValueError, match="appear more than once.*593500000"):
        lg.read_units(p)


def test_points_layer_is_not_units(tmp_path):
    p = tmp_path / "pts.geojson"
    gpd.GeoDataFrame({"code_iris": ["593500000"]}, geometry=gpd.points_from_xy([3.0], [50.6]), crs=4326).to_file(p)
    with pytest.raises(ValueError, match="Point geometries; units must be polygons"):
        lg.read_units(p)


def test_empty_file_refused():
    with pytest.raises(ValueError, match="empty"):
        lg.read_units(b"", name="x.geojson")


@needs_realdata
def test_real_mel_contours_prj_without_epsg():
    units, rep = lg.read_units(MEL / "MEL_IRIS.shp")
    # SOURCE.md of grisoudre-mel-iris-2016: 509 units, 90 communes, H 428 / Z 50 / A 24 / D 7
    assert len(units) == 509 and units["commune_id"].nunique() == 90
    assert rep.details["types"] == {"H": 428, "Z": 50, "A": 24, "D": 7}
    assert units.crs.to_epsg() == 2154
    assert any("Lambert-93 without an EPSG code" in m for m in rep.messages)
    assert units["unit_id"].str.len().eq(9).all()
    assert rep.details["encoding"] == "cp1252"
    assert "Marcq-en-Bar?ul" in set(units["commune_name"])  # the DBF's literal '?', kept as published


# ----------------------------------------------------------------------------- tables

CSV_ROWS = [("593500101", "1 234,5", "ns"), ("593500102", "2000,25", "12,5"), ("593500103", "15", "")]


def _csv(sep=";", decimal=",", encoding="utf-8", bom=False, rindex=False):
    lines = []
    head = ["IRIS", "P20_POP", "DISP_TP6020"]
    if rindex:
        head = [""] + head
    lines.append(sep.join(f'"{h}"' for h in head))
    for i, (code, pop, tp) in enumerate(CSV_ROWS, 1):
        if decimal == ".":
            pop, tp = pop.replace(" ", "").replace(",", "."), tp.replace(",", ".")
        row = [f'"{code}"', pop, tp]
        if rindex:
            row = [f'"{i}"'] + row
        lines.append(sep.join(row))
    data = ("\n".join(lines) + "\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.mark.parametrize("kw", [
    {}, {"sep": ",", "decimal": "."}, {"encoding": "cp1252"}, {"bom": True}, {"rindex": True},
    {"sep": "\t", "decimal": "."},
])
def test_read_table_csv_variants(kw):
    t, rep = lg.read_table(_csv(**kw), name="t.csv")
    assert t.attrs["key"] == "IRIS"
    assert t["IRIS"].tolist() == ["593500101", "593500102", "593500103"]
    if kw.get("sep", ";") == ";":
        assert t["P20_POP"].tolist() == [1234.5, 2000.25, 15.0]
    assert t["DISP_TP6020"].isna().tolist() == [True, False, True]
    assert rep.details["withheld"] == {"DISP_TP6020": 2}
    assert list(t.columns) == ["IRIS", "P20_POP", "DISP_TP6020"]


def test_read_table_cp1252_text():
    data = "IRIS;LIBIRIS;P20_POP\n593500101;Moulins Œuvre é;10\n".encode("cp1252")
    t, rep = lg.read_table(data, name="x.csv")
    assert t["LIBIRIS"].iloc[0] == "Moulins Œuvre é"
    assert rep.details["encoding"] == "cp1252"


def test_read_table_xlsx_with_title_lines(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "IRIS"
    ws.append(["Base infracommunale : population 2020"])
    ws.append(["Source : Insee, RP2020"])
    ws.append([])
    ws.append(["Code géographique IRIS", "Libellé", "Population"])
    ws.append(["IRIS", "LIBIRIS", "P20_POP"])
    ws.append(["593500101", "A", 1234.56])
    ws.append(["593500102", "B", "ns"])
    p = tmp_path / "base-ic.xlsx"
    wb.save(p)
    t, rep = lg.read_table(p)
    assert t["IRIS"].tolist() == ["593500101", "593500102"]
    assert t["P20_POP"].iloc[0] == pytest.approx(1234.56)
    assert rep.details["header_row"] == 5
    assert rep.details["withheld"] == {"P20_POP": 1}


def test_read_table_zip_with_metadata():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("meta_base-ic-evol-struct-pop-2020.csv", "COD_VAR;LIB_VAR\nIRIS;code\n")
        zf.writestr("base-ic-evol-struct-pop-2020.csv", _csv())
    t, rep = lg.read_table(buf.getvalue(), name="base-ic.zip")
    assert len(t) == 3 and any("base-ic-evol-struct-pop-2020.csv" in m for m in rep.messages)


def test_read_table_key_errors():
    with pytest.raises(SchemaError, match="no column of IRIS codes"):
        lg.read_table(b"a;b\n1;2\n", name="x.csv")
    with pytest.raises(ValueError, match="key column 'CODE' not found; columns are: IRIS"):
        lg.read_table(_csv(), name="x.csv", key="CODE")
    with pytest.raises(ValueError, match="empty"):
        lg.read_table(b"", name="x.csv")


def test_numeric_codes_keep_leading_zero():
    t, rep = lg.read_table(b"IRIS,P\n12345678,3\n", name="x.csv")
    assert t["IRIS"].iloc[0] == "012345678"


@needs_realdata
def test_real_r_write_csv2_table():
    t, rep = lg.read_table(MEL / "Lille_IRIS_pop_16.csv")
    assert len(t) == 110 and t.attrs["key"] == "IRIS"
    assert "" not in t.columns and not any(str(c).startswith("Unnamed") for c in t.columns)
    # SOURCE.md: sum of P16_POP over Lille's 110 IRIS = 232,449
    assert t["P16_POP"].sum() == pytest.approx(232_449)
    assert t["COM"].iloc[0] == "59350" and t["DEP"].iloc[0] == "59"


# ----------------------------------------------------------------------------- points

def test_read_points_lonlat_csv_rejects_bad_rows():
    data = ("id;longitude;latitude;date;categorie\n"
            "1;3,06;50,63;2023-05-01;vol\n"
            "2;;50,6;2023-05-02;vol\n"
            "3;300;50,6;2023-05-03;vol\n"
            "4;3,07;50,64;pas une date;dégradation\n").encode("utf-8")
    pts, rep = lg.read_points(data, name="inc.csv")
    assert len(pts) == 2
    assert rep.details["rejected_missing"] == 1 and rep.details["rejected_impossible"] == 1
    assert pts.crs.to_epsg() == 2154
    assert pts["category"].tolist() == ["vol", "dégradation"]
    assert pts["date"].isna().tolist() == [False, True]


def test_read_points_xy_needs_crs():
    data = b"x,y\n704000,7059000\n"
    with pytest.raises(ValueError, match="need a CRS"):
        lg.read_points(data, name="p.csv")
    pts, rep = lg.read_points(data, name="p.csv", crs="EPSG:2154")
    assert pts.geometry.x.iloc[0] == pytest.approx(704000)


def test_read_points_geojson_and_gpkg(tmp_path):
    g = gpd.GeoDataFrame({"type": ["a", "b"]}, geometry=gpd.points_from_xy([3.06, 3.07], [50.63, 50.64]), crs=4326)
    for ext, drv in ((".geojson", "GeoJSON"), (".gpkg", "GPKG")):
        p = tmp_path / f"p{ext}"
        g.to_file(p, driver=drv)
        pts, rep = lg.read_points(p)
        assert len(pts) == 2 and pts["category"].tolist() == ["a", "b"]


@needs_realdata
def test_real_osm_points():
    pts, rep = lg.read_points(MEL / "lille_bar_cafe_pub_restaurant.geojson", category="amenity")
    # SOURCE.md: 794 points, restaurant 444, bar 195, cafe 135, pub 20
    assert len(pts) == 794
    assert pts["category"].value_counts()["restaurant"] == 444


def test_uploads_leave_nothing_on_disk(tmp_path, monkeypatch, grid_units):
    """Uploads are bytes in memory; a zip or a driver that needs a file gets a private (0700) temporary
    folder, removed when the read ends, also when it fails."""
    import io
    import stat
    import tempfile
    import zipfile

    made = []
    real = tempfile.TemporaryDirectory

    class Spy(real):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            made.append((self.name, stat.S_IMODE(__import__("os").stat(self.name).st_mode)))

    monkeypatch.setattr(tempfile, "TemporaryDirectory", Spy)
    grid_units.to_file(tmp_path / "IRIS.shp")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in tmp_path.iterdir():
            zf.write(f, f.name)
    lg.read_units(buf.getvalue(), name="iris.zip")
    with pytest.raises(ValueError):
        lg.read_units(b"PK\x03\x04" + bytes(200), name="bad.zip")
    with pytest.raises(ValueError):
        lg.read_units(bytes(range(256)), name="bad.gpkg")
    assert made and all(mode == 0o700 for _, mode in made)
    assert not any(__import__("os").path.exists(d) for d, _ in made)
