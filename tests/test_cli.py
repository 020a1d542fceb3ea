"""Command line: join and map, on the demo and on the real files as downloaded (and re-encoded)."""

from __future__ import annotations

import io
import json
import re
import zipfile

import geopandas as gpd
import pandas as pd
import pytest

from lillegeo.__main__ import main
from lillegeo.demo import DEMO_DIR

from .conftest import MEL, needs_realdata


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_join_demo(tmp_path, capsys):
    rc = main(["join", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
               "--out", str(tmp_path / "j.gpkg")])
    out = capsys.readouterr().out
    assert rc == 0
    s = _last_json(out)
    assert s["matched"] == s["units"] and s["unmatched_rows"] == 0
    assert len(gpd.read_file(tmp_path / "j.gpkg")) == s["units"]


def test_map_demo_offline(tmp_path, capsys):
    out_html = tmp_path / "map.html"
    rc = main(["map", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
               "--column", "P21_POP_IMM", "--per", "P21_POP", "--scheme", "fisher_jenks", "--demo",
               "--out", str(out_html)])
    assert rc == 0
    html = out_html.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", html)
    assert "Synthetic demo data" in html


def test_cli_errors_are_messages(tmp_path, capsys):
    rc = main(["join", "--units", str(tmp_path / "missing.gpkg"), "--table", str(DEMO_DIR / "census.csv"),
               "--out", str(tmp_path / "o.csv")])
    assert rc == 2
    assert "error: file not found" in capsys.readouterr().err
    rc = main(["map", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
               "--column", "NOPE", "--out", str(tmp_path / "m.html")])
    assert rc == 2 and "count column 'NOPE' not found" in capsys.readouterr().err


def _join(units, table, tmp_path, capsys, *extra):
    rc = main(["join", "--units", str(units), "--table", str(table), *extra, "--out", str(tmp_path / "o.csv")])
    assert rc == 0, capsys.readouterr().err
    return _last_json(capsys.readouterr().out)


@needs_realdata
def test_real_join_acceptance(tmp_path, capsys):
    # Issue 2 acceptance: 509 units in 90 communes, 110 matched, 399 without data, 0 unmatched rows
    want = {"units": 509, "communes": 90, "matched": 110, "units_without_data": 399, "unmatched_rows": 0}
    s = _join(MEL / "MEL_IRIS.shp", MEL / "Lille_IRIS_pop_16.csv", tmp_path, capsys)
    assert {k: s[k] for k in want} == want
    # the same as a zipped shapefile (what a browser upload gives)
    z = tmp_path / "MEL_IRIS.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for ext in ("shp", "shx", "dbf", "prj"):
            zf.write(MEL / f"MEL_IRIS.{ext}", f"MEL_IRIS.{ext}")
    s = _join(z, MEL / "Lille_IRIS_pop_16.csv", tmp_path, capsys)
    assert {k: s[k] for k in want} == want


@needs_realdata
def test_real_join_other_encodings_and_formats(tmp_path, capsys):
    want = {"units": 509, "communes": 90, "matched": 110, "units_without_data": 399, "unmatched_rows": 0}
    # a cp1252 CSV with decimal commas (values made decimal, as INSEE's weighted counts are)
    t = pd.read_csv(MEL / "Lille_IRIS_pop_16.csv", sep=";", dtype=str).drop(columns="Unnamed: 0")
    t["P16_POP"] = (t["P16_POP"].astype(float) + 0.25).map(lambda v: f"{v:.2f}".replace(".", ","))
    t["LIBCOM"] = "Lille-Œuvre"
    cp = tmp_path / "pop_cp1252.csv"
    cp.write_bytes(t.to_csv(sep=";", index=False).encode("cp1252"))
    # GeoJSON in EPSG:4326 and the 2024 lowercase schema
    mel = gpd.read_file(MEL / "MEL_IRIS.shp", encoding="cp1252").set_crs(2154, allow_override=True)
    wgs = tmp_path / "mel_4326.geojson"
    mel.to_crs(4326).to_file(wgs)
    lower = tmp_path / "mel_2024.gpkg"
    mel.rename(columns={"INSEE_COM": "code_insee", "NOM_COM": "nom_commune", "IRIS": "iris",
                        "CODE_IRIS": "code_iris", "NOM_IRIS": "nom_iris", "TYP_IRIS": "type_iris"}) \
        .rename_geometry("geometrie").to_file(lower, layer="contours_iris")
    for units in (wgs, lower, MEL / "MEL_IRIS.shp"):
        for table in (cp, MEL / "Lille_IRIS_pop_16.csv"):
            s = _join(units, table, tmp_path, capsys)
            assert {k: s[k] for k in want} == want, (units.name, table.name)
    out = pd.read_csv(tmp_path / "o.csv", dtype={"unit_id": str})
    assert out["unit_id"].str.len().eq(9).all()


@needs_realdata
def test_real_map_of_immigrant_share(tmp_path, capsys):
    rc = main(["map", "--units", str(MEL / "MEL_IRIS.shp"), "--table", str(MEL / "Lille_IRIS_pop_16.csv"),
               "--column", "P16_POP_IMM", "--per", "P16_POP", "--out", str(tmp_path / "m.html")])
    assert rc == 0
    s = _last_json(capsys.readouterr().out)
    assert s["units"] == 509 and s["no_data"] + s["withheld"] >= 399


def test_join_export_withholds_small_counts(tmp_path, capsys):
    rc = main(["join", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
               "--out", str(tmp_path / "j.csv")])
    assert rc == 0
    s = _last_json(capsys.readouterr().out)
    out = pd.read_csv(tmp_path / "j.csv")
    v = out["P21_POP_IMM"].to_numpy(float)
    assert not ((v > 0) & (v < 11)).any() and s["withheld_cells"] > 0
    rc = main(["join", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
               "--threshold", "0", "--out", str(tmp_path / "raw.csv")])
    assert _last_json(capsys.readouterr().out)["withheld_cells"] == 0
