"""Scale-out: count incidents per unit when the incidents do not fit in one machine's memory.

The points are read lazily, one partition at a time, by dask (CSV or Parquet files, a glob of many
files, local or on a shared file system), turned into point geometries with dask-geopandas, and
each partition is counted with the very function the in-memory path uses
(:func:`lillegeo.indicators.aggregate_points`), on the workers of a ``dask.distributed`` cluster.
Only the per-unit counts travel back and are summed. Because a point's unit does not depend on the
other points, the counts equal the in-memory path's exactly (tested with a ``LocalCluster``).

Example (a cluster of several machines: ``dask scheduler`` on one, ``dask worker tcp://HOST:8786``
on each)::

    from distributed import Client
    from lillegeo.scale import aggregate_points_distributed
    counts, report = aggregate_points_distributed("incidents/*.parquet", units, x="x", y="y",
                                                  crs="EPSG:2154", client=Client("tcp://HOST:8786"))

or ``python -m lillegeo aggregate --units iris.gpkg --points 'incidents/*.parquet' --x x --y y
--crs EPSG:2154 --scheduler tcp://HOST:8786 --out counts.csv`` (``--local-workers 2`` starts a
LocalCluster on this machine instead).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .indicators import aggregate_points
from .io import WORK_CRS

__all__ = ["aggregate_points_distributed", "read_points_lazily"]


def read_points_lazily(source: str | list[str], *, x: str, y: str, blocksize: str = "64MB"):
    """A dask DataFrame of the ``x``/``y`` columns of CSV (``;`` or ``,``) or Parquet files.

    Nothing is read until the graph runs; each partition is at most ``blocksize`` of text.
    """
    import dask.dataframe as dd

    first = source[0] if isinstance(source, list) else source
    if str(first).lower().endswith((".parquet", ".pq")) or str(first).endswith("/"):
        ddf = dd.read_parquet(source)
        _check_columns(list(ddf.columns), x, y, str(first))
        ddf = ddf[[x, y]]
    else:
        path = _first_file(source)
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            header = f.readline().strip()
        if not header:
            raise ValueError(f"'{Path(path).name}' is empty (no header line)")
        sep = ";" if header.count(";") > header.count(",") else ","
        _check_columns([c.strip().strip('"') for c in header.split(sep)], x, y, Path(path).name)
        ddf = dd.read_csv(source, sep=sep, usecols=[x, y], blocksize=blocksize, dtype={x: "string", y: "string"})
    # text that is not a number (a typo, a withheld marker) becomes a missing coordinate, counted
    return ddf.map_partitions(lambda d: d.apply(pd.to_numeric, errors="coerce").astype("float64"),
                              meta={x: "float64", y: "float64"})


def _check_columns(columns: list[str], x: str, y: str, name: str) -> None:
    missing = [c for c in (x, y) if c not in columns]
    if missing:
        raise ValueError(f"column(s) {', '.join(missing)} not found in '{name}'; columns are: "
                         f"{', '.join(columns)}. Name the coordinate columns with --x/--y (x=, y=)")


def _first_file(source) -> str:
    import glob

    pattern = source[0] if isinstance(source, list) else source
    files = sorted(glob.glob(pattern))
    if not files:
        raise ValueError(f"no file matches {pattern!r}")
    return files[0]


def _count_partition(pts: gpd.GeoDataFrame, units: gpd.GeoDataFrame, units_id: str) -> tuple[pd.Series, int, int]:
    """Counts of one partition of points: the in-memory function on this partition."""
    if pts.crs is not None and not pts.crs.equals(units.crs):
        pts = pts.to_crs(units.crs)  # each worker reprojects its own partition
    counts, rep = aggregate_points(pts, units, name="count", units_id=units_id)
    return counts["count"], rep["outside"], 0


def _sum(parts: list[tuple[pd.Series, int, int]]) -> tuple[pd.Series, int, int]:
    total = parts[0][0].copy()
    for s, _, _ in parts[1:]:
        total = total.add(s, fill_value=0)
    return total.astype("int64"), sum(p[1] for p in parts), sum(p[2] for p in parts)


def aggregate_points_distributed(source, units: gpd.GeoDataFrame, *, x: str = "x", y: str = "y",
                                 crs: Any = WORK_CRS, client=None, blocksize: str = "64MB",
                                 units_id: str = "unit_id", name: str = "count") -> tuple[pd.DataFrame, dict]:
    """Count points per unit with dask on a ``dask.distributed`` cluster.

    Parameters
    ----------
    source : str or list of str
        CSV or Parquet file(s), globs allowed, with coordinate columns ``x`` and ``y``.
    units : GeoDataFrame
        The units (EPSG:2154 after :func:`lillegeo.read_units`); sent once to every worker.
    crs : CRS of the coordinates (default Lambert-93 metres; ``"EPSG:4326"`` for longitude/latitude).
    client : distributed.Client, optional
        The cluster to run on; default: the current client (``distributed.get_client``).
    blocksize : size of a CSV partition.

    Returns
    -------
    counts, report : like :func:`lillegeo.indicators.aggregate_points` (plus ``partitions`` and
        ``missing``: rows without coordinates, not counted).
    """
    import dask
    from distributed import get_client

    client = client or get_client()
    import dask_geopandas as dgpd

    ddf = read_points_lazily(source, x=x, y=y, blocksize=blocksize)
    missing = (ddf[x].isna() | ddf[y].isna()).sum()
    ddf = ddf.dropna(subset=[x, y])
    gddf = dgpd.from_dask_dataframe(ddf, geometry=dgpd.points_from_xy(ddf, x, y, crs=crs))
    small = gpd.GeoDataFrame(units[[units_id]].copy(), geometry=units.geometry.values, crs=units.crs)
    [units_future] = client.scatter([small], broadcast=True)
    parts = [dask.delayed(_count_partition)(p, units_future, units_id) for p in gddf.to_delayed()]
    # tree reduction: no worker ever holds more than a few partitions' counts
    while len(parts) > 8:
        parts = [dask.delayed(_sum)(parts[i:i + 8]) for i in range(0, len(parts), 8)]
    total, outside, _ = client.compute(dask.delayed(_sum)(parts), sync=True)
    missing = int(client.compute(missing, sync=True))
    counts = total.reindex(pd.Index(units[units_id], name=units_id), fill_value=0).rename(name).to_frame()
    inside = int(counts[name].sum())
    return counts, {"points": inside + outside + missing, "inside": inside, "outside": outside,
                    "missing": missing, "partitions": ddf.npartitions}
