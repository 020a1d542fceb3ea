"""Command line: join and map, on the demo and on the real files as downloaded (and re-encoded)."""

from __future__ import annotations

import json
import re
import zipfile

import geopandas as gpd
import numpy as np
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
    assert rc == 2 and "indicator column 'NOPE' not found" in capsys.readouterr().err


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
    # 399 MEL units lie outside Lille's table; A/D units are left out of rates, as on the Explore page
    assert s["units"] == 509 and s["no_data"] + s["withheld"] + s["excluded_ad"] >= 399 and s["excluded_ad"] > 0


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


def test_hotspots_cli_matches_the_library(tmp_path, capsys, demo):
    from lillegeo.hotspots import indicator_hotspots

    out = tmp_path / "h.csv"
    rc = main(["hotspots", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
               "--value", "P21_CHOM1564", "--per", "P21_ACT1564", "--method", "local_moran", "--weights", "knn:6",
               "--permutations", "499", "--alpha", "0.05", "--fdr", "--seed", "4", "--out", str(out)])
    assert rc == 0
    s = _last_json(capsys.readouterr().out)
    assert {"method", "n", "moran_i", "moran_p", "labels"} <= set(s) and s["n"] == 374
    csv = pd.read_csv(out, dtype={"unit_id": str})
    assert list(csv.columns[:6]) == ["unit_id", "value", "statistic", "z", "p", "label"]
    # the page calls the same function with the same parameters: same numbers
    _, res, table = indicator_hotspots(demo.units, "P21_CHOM1564", per="P21_ACT1564", exclude_types=("A", "D"),
                                       method="local_moran",
                                       weights="knn:6", permutations=499, alpha=0.05, correction="fdr", seed=4)
    assert csv["label"].tolist() == table["label"].tolist()
    np.testing.assert_allclose(csv["statistic"], table["statistic"], rtol=1e-8)
    np.testing.assert_allclose(csv["p"], table["p"], rtol=1e-8)
    assert s["moran_i"] == pytest.approx(res.moran_i)
    assert s["labels"] == res.counts


def test_hotspots_cli_gi_star_labels(tmp_path, capsys):
    out = tmp_path / "g.csv"
    assert main(["hotspots", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
                 "--value", "P21_POP_IMM", "--method", "gi_star", "--weights", "distance:1500", "--permutations",
                 "99", "--seed", "1", "--out", str(out)]) == 0
    s = _last_json(capsys.readouterr().out)
    # withheld units (residents 1-10 in A/D units) are left out of the statistics: "Withheld"
    assert set(s["labels"]) <= {"Hot spot 99%", "Hot spot 95%", "Hot spot 90%", "Not significant",
                                "Cold spot 90%", "Cold spot 95%", "Cold spot 99%", "No neighbours (island)", "No data",
                                "Withheld", "Left out (A/D)"}
    table = pd.read_csv(out)
    assert table.loc[table["withheld"], ["statistic", "z", "p"]].isna().all().all()
    assert s["labels"]["Withheld"] == int(table["withheld"].sum()) > 0
    assert main(["hotspots", "--units", str(DEMO_DIR / "units.geojson"), "--value", "x", "--out", str(out)]) == 2


def test_clusters_cli_one_row_per_input_point(tmp_path, capsys):
    pts = tmp_path / "p.csv"
    # 12 incidents within 50 m of each other (a cluster at the smallest allowed size, 11), one row without
    # coordinates, one isolated incident
    ids = [f"p{i}" for i in range(12)] + ["e", "f"]
    pd.DataFrame({"id": ids,
                  "x": [700000 + 3 * i for i in range(12)] + [None, 705000],
                  "y": [7050000 + 2 * i for i in range(12)] + [7050000, 7055000]}).to_csv(pts, index=False)
    out = tmp_path / "c.csv"
    rc = main(["clusters", "--points", str(pts), "--crs", "EPSG:2154", "--algorithm", "dbscan", "--eps-m", "50",
               "--min-samples", "11", "--out", str(out)])
    assert rc == 0
    s = _last_json(capsys.readouterr().out)
    assert (s["algorithm"], s["n_points"], s["n_clusters"], s["n_noise"], s["rejected"]) == ("dbscan", 13, 1, 1, 1)
    csv = pd.read_csv(out, dtype={"point_id": str})
    assert csv["point_id"].tolist() == ids
    assert csv["label"].tolist()[:12] == [0] * 12 and np.isnan(csv["label"][12]) and csv["label"][13] == -1


def test_clusters_cli_demo(tmp_path, capsys):
    rc = main(["clusters", "--points", str(DEMO_DIR / "incidents.csv"), "--algorithm", "hdbscan", "--eps-m", "120",
               "--min-samples", "60", "--out", str(tmp_path / "c.csv")])
    assert rc == 0
    s = _last_json(capsys.readouterr().out)
    # every row of the shipped file (counted by pandas): 36,000 drawn, minus and plus the planted patrols
    assert s["n_points"] == len(pd.read_csv(DEMO_DIR / "incidents.csv")) and s["n_clusters"] >= 8


def test_help_shows_no_empty_defaults():
    """--help said "(default: None)" on required options and "(default: all) (default: )" on filters."""
    from lillegeo.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        text = p.format_help()
        assert "(default: None)" not in text and "(default: )" not in text, name
        assert text.count("(default: all)") <= 1, name
    assert "(default: 999)" in sub.choices["hotspots"].format_help()  # real defaults still shown
