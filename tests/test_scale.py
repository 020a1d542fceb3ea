"""Scale-out: counts of incidents per unit on a dask.distributed LocalCluster equal the in-memory path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lillegeo.indicators import aggregate_points
from lillegeo.scale import aggregate_points_distributed

pytest.importorskip("dask_geopandas")  # listed in requirements.txt: only skipped in a partial install


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    # real worker processes, as on a cluster: the units and the partitions cross process boundaries
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit="2GiB") as cluster, Client(cluster) as c:
        yield c


def test_distributed_counts_equal_in_memory(client, demo, tmp_path):
    pts = demo.points["incidents"]
    xy = pd.DataFrame({"x": pts.geometry.x, "y": pts.geometry.y})
    # three Parquet files and one CSV part, with a row without coordinates and one outside every unit
    xy.iloc[:12_000].to_parquet(tmp_path / "a.parquet")
    xy.iloc[12_000:24_000].to_parquet(tmp_path / "b.parquet")
    extra = pd.DataFrame({"x": [np.nan, 100.0], "y": [7_000_000.0, 100.0]})
    pd.concat([xy.iloc[24_000:], extra]).to_parquet(tmp_path / "c.parquet")
    counts, rep = aggregate_points_distributed(str(tmp_path / "*.parquet"), demo.units, client=client)
    expected, erep = aggregate_points(pts, demo.units, name="count")
    pd.testing.assert_series_equal(counts["count"], expected["count"])
    assert rep["inside"] == erep["inside"] == len(pts) and rep["outside"] == 1 and rep["missing"] == 1
    assert rep["partitions"] == 3


def test_distributed_csv_partitions_in_lonlat(client, demo, tmp_path):
    pts = demo.points["incidents"].iloc[:5000]
    ll = pts.to_crs(4326)
    pd.DataFrame({"lon": ll.geometry.x, "lat": ll.geometry.y}).to_csv(tmp_path / "p.csv", sep=";", index=False)
    counts, rep = aggregate_points_distributed(str(tmp_path / "p.csv"), demo.units, x="lon", y="lat",
                                               crs="EPSG:4326", client=client, blocksize="40KB")
    expected, _ = aggregate_points(pts, demo.units, name="count")
    assert rep["partitions"] > 1
    pd.testing.assert_series_equal(counts["count"], expected["count"])


def test_missing_files_give_a_clear_message(client, demo, tmp_path):
    with pytest.raises(ValueError, match="no file matches"):
        aggregate_points_distributed(str(tmp_path / "none*.csv"), demo.units, client=client)


def test_aggregate_command_line(demo, tmp_path, capsys):
    from lillegeo.__main__ import main
    from lillegeo.demo import DEMO_DIR

    pts = demo.points["incidents"]
    pd.DataFrame({"x": pts.geometry.x, "y": pts.geometry.y}).to_parquet(tmp_path / "p.parquet")
    rc = main(["aggregate", "--units", str(DEMO_DIR / "units.geojson"), "--points", str(tmp_path / "p.parquet"),
               "--local-workers", "1", "--out", str(tmp_path / "c.csv")])
    n = f"{len(pts):,}"  # the demo's points as read by lillegeo (test_indicators ties them to the file's rows)
    assert rc == 0 and f"points: {n}; inside a unit: {n}" in capsys.readouterr().out
    got = pd.read_csv(tmp_path / "c.csv", dtype={"unit_id": str}).set_index("unit_id")["incidents"]
    assert got.to_dict() == demo.units.set_index("unit_id")["incidents"].astype(int).to_dict()


def test_bad_point_files_give_clear_messages(client, demo, tmp_path):
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(ValueError, match="'empty.csv' is empty"):
        aggregate_points_distributed(str(tmp_path / "empty.csv"), demo.units, client=client)
    (tmp_path / "cols.csv").write_text("a;b\n1;2\n")
    with pytest.raises(ValueError, match=r"column\(s\) x, y not found in 'cols.csv'; columns are: a, b"):
        aggregate_points_distributed(str(tmp_path / "cols.csv"), demo.units, client=client)
    pd.DataFrame({"lon": [1.0], "lat": [2.0]}).to_parquet(tmp_path / "p.parquet")
    with pytest.raises(ValueError, match="not found in"):
        aggregate_points_distributed(str(tmp_path / "p.parquet"), demo.units, client=client)
    # text where a coordinate should be (HTML included): a missing coordinate, counted, not a crash
    (tmp_path / "html.csv").write_text("x;y\n<img src=x onerror=alert(1)>;7059000\n704000;7059000\n")
    counts, rep = aggregate_points_distributed(str(tmp_path / "html.csv"), demo.units, client=client)
    assert rep["missing"] == 1 and rep["inside"] + rep["outside"] == 1 and rep["points"] == 2
