"""fetch: official archives (7z of a GeoPackage, zipped CSV, EPCI table) served by a local HTTP server."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile

import geopandas as gpd
import pandas as pd
import py7zr
import pytest
from shapely.geometry import box

from lillegeo.__main__ import main


@pytest.fixture()
def server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    # IGN-like 7z holding a GeoPackage in the 2024 schema with IRIS of two communes
    rows, geoms = [], []
    for com, n in (("59350", 3), ("59512", 2)):
        for i in range(n):
            rows.append({"code_insee": com, "nom_commune": com, "iris": f"{i:04d}", "code_iris": f"{com}{i:04d}",
                         "nom_iris": f"Iris {i}", "type_iris": "H"})
            geoms.append(box(700_000 + i * 1000 + (0 if com == "59350" else 10_000), 7_050_000,
                             701_000 + i * 1000 + (0 if com == "59350" else 10_000), 7_051_000))
    gpkg = tmp_path / "CONTOURS-IRIS.gpkg"
    gpd.GeoDataFrame(rows, geometry=geoms, crs=2154).rename_geometry("geometrie").to_file(gpkg, layer="iris")
    with py7zr.SevenZipFile(root / "CONTOURS-IRIS_2024.7z", "w") as z:
        z.write(gpkg, "CONTOURS-IRIS_3-0/1_DONNEES_LIVRAISON/CONTOURS-IRIS.gpkg")
    census = pd.DataFrame({"IRIS": [r["code_iris"] for r in rows], "COM": [r["code_insee"] for r in rows],
                           "P21_POP": [1000.5, 2000, 1500, 900, 800]})
    with zipfile.ZipFile(root / "base-ic-2024.zip", "w") as zf:
        zf.writestr("base-ic-evol-struct-pop-2024.csv", census.to_csv(sep=";", index=False))
        zf.writestr("meta_base-ic-evol-struct-pop-2024.csv", "COD_VAR;LIB_VAR\n")
    with zipfile.ZipFile(root / "EPCI_2024.zip", "w") as zf:
        zf.writestr("EPCI.csv", "CODGEO;LIBGEO;EPCI;LIBEPCI\n59350;Lille;200093201;MEL\n59512;Roubaix;200093201;MEL\n"
                                "62041;Arras;200033579;CUA\n")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    src = tmp_path / "sources.toml"
    src.write_text(f'[iris_contours]\nurl = "{base}/CONTOURS-IRIS_{{year}}.7z"\n'
                   f'[census_population]\nurl = "{base}/base-ic-{{year}}.zip"\n'
                   f'[epci_composition]\nurl = "{base}/EPCI_{{year}}.zip"\n', encoding="utf-8")
    yield src
    httpd.shutdown()


def test_fetch_commune(server, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["fetch", "--commune", "59350", "--year", "2024", "--out", str(out), "--sources", str(server)]) == 0
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["files"]["iris_contours"]["kept_rows"] == 3 and m["files"]["census_population"]["kept_rows"] == 3
    assert len(m["files"]["iris_contours"]["sha256"]) == 64 and m["files"]["iris_contours"]["url"].endswith("2024.7z")
    units = gpd.read_file(out / "iris_59350_2024.gpkg")
    assert sorted(units["unit_id"]) == ["593500000", "593500001", "593500002"]


def test_fetch_epci(server, tmp_path):
    out = tmp_path / "out"
    assert main(["fetch", "--epci", "200093201", "--year", "2024", "--out", str(out), "--sources", str(server)]) == 0
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["area"]["communes"] == ["59350", "59512"]
    census = pd.read_csv(out / "census_epci200093201_2024.csv", sep=";", dtype={"IRIS": str})
    assert len(census) == 5


def test_fetch_offline_is_a_clear_message(tmp_path, capsys):
    src = tmp_path / "s.toml"
    src.write_text('[iris_contours]\nurl = "http://127.0.0.1:9/x_{year}.7z"\n', encoding="utf-8")
    rc = main(["fetch", "--commune", "59350", "--year", "2024", "--out", str(tmp_path / "o"), "--sources", str(src),
               "--timeout", "3"])
    err = capsys.readouterr().err
    assert rc == 2 and "seems to be offline" in err and "download the files by hand" in err


def test_fetch_list_and_errors(tmp_path, capsys):
    assert main(["fetch", "--list"]) == 0
    assert "data.geopf.fr" in capsys.readouterr().out
    assert main(["fetch", "--epci", "123", "--year", "2024", "--out", str(tmp_path)]) == 2
    assert "9-digit SIREN" in capsys.readouterr().err
