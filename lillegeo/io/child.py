"""The bounded worker process: the side of :mod:`lillegeo.io.worker` that runs in the child.

It sets the kernel limits on itself and dies with the server, runs one reader on the job in its
folder, and writes the answer **without pickle**: the frame as (Geo)Parquet, the report and the
frame's ``attrs`` as JSON (arrays each in a Parquet file); every failure goes back as a message.
The server starts it with ``python -c`` (``lillegeo.io.worker._BOOT``) and reads the answer.
"""

from __future__ import annotations

import json
import math
import os
import signal
import time
from pathlib import Path
from typing import Any

from ..limits import Limits

#: Test hook only: seconds the worker sleeps before reading (lets tests make a read run long).
TEST_SLEEP_ENV = "LILLEGEO_TEST_WORKER_SLEEP"
#: Address space allowed above the memory limit for code, shared libraries and thread stacks.
_AS_HEADROOM_MB = 1024


def _set_limits(lim: dict) -> None:
    """Kernel limits on this (worker) process, set before any file is opened (Unix; elsewhere the
    server's watch alone applies)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not Unix
        return

    cap = int(lim["worker_mb"]) * 2**20
    for res, value in ((resource.RLIMIT_DATA, cap), (resource.RLIMIT_AS, cap + _AS_HEADROOM_MB * 2**20),
                       (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError):  # an existing lower hard limit stays
            pass
    # backstop only (a read may use several threads): the server's wall clock acts first
    cpu = int(math.ceil(float(lim["read_seconds"]) * 4)) + 30
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    except (ValueError, OSError):
        pass


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when the server goes (a no-op elsewhere)."""
    parent = os.environ.get("LILLEGEO_WORKER_PARENT")
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if parent and os.getppid() != int(parent):  # the server went before the call above
        os._exit(3)


def _jsonable(v: Any) -> Any:
    import numpy as np

    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set)):
        return [_jsonable(x) for x in (sorted(v, key=str) if isinstance(v, set) else v)]
    if isinstance(v, np.generic):
        return v.item()
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def _encode_attrs(attrs: dict, folder: Path) -> dict:
    """``attrs`` as JSON; arrays (``source_rows``, ``input_ids``: one per point) each in a Parquet file."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = {}
    for i, (k, v) in enumerate(attrs.items()):
        if isinstance(v, np.ndarray):
            if v.dtype.kind == "O":
                arr = pa.array([None if (x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)))
                                else str(x) for x in v.tolist()], type=pa.string())
                dtype = "O"
            elif v.dtype.kind in "biuf":
                arr, dtype = pa.array(v), v.dtype.str
            else:
                raise TypeError(f"attrs[{k!r}] holds an array of kind {v.dtype.kind!r}")
            fname = f"attr_{i}.parquet"
            pq.write_table(pa.table({"values": arr}), folder / fname)
            out[str(k)] = {"__array__": fname, "dtype": dtype}
        else:
            out[str(k)] = _jsonable(v)
    return out


def _check_shape(frame, lim: dict, source: str) -> None:
    """Columns, rows and vertices of the result against the limits (a backstop to the readers' own checks)."""
    ncol, nrow = frame.shape[1], frame.shape[0]
    if ncol > lim["max_columns"]:
        raise ValueError(f"'{source}' has {ncol:,} columns, over the limit of {int(lim['max_columns']):,} "
                         f"({Limits.env_name('max_columns')})")
    if nrow > lim["max_rows"]:
        raise ValueError(f"'{source}' has {nrow:,} rows, over the limit of {int(lim['max_rows']):,} "
                         f"({Limits.env_name('max_rows')})")
    if "geometry" in frame.columns and hasattr(frame, "geometry"):
        import shapely

        nv = int(shapely.get_num_coordinates(frame.geometry.values).sum())
        if nv > lim["max_vertices"]:
            raise ValueError(f"'{source}' has {nv:,} vertices, over the limit of {int(lim['max_vertices']):,} "
                             f"({Limits.env_name('max_vertices')})")


def _write_json(path: Path, obj: dict) -> None:
    tmp = path.with_suffix(".part")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, allow_nan=True), encoding="utf-8")
    os.replace(tmp, path)


def _child_main(job_dir: str) -> int:
    """Entry point of the worker process: read the job, run the reader, write the answer."""
    d = Path(job_dir)
    job = json.loads((d / "job.json").read_text(encoding="utf-8"))
    _set_limits(job["limits"])
    _die_with_parent()
    try:
        if os.environ.get(TEST_SLEEP_ENV):  # test hook only: make the read run long
            time.sleep(float(os.environ[TEST_SLEEP_ENV]))
        if job.get("selftest"):  # test hook only: allocate memory, then answer
            _selftest(job["selftest"])
        # the readers (geopandas, GDAL) are imported only now: after the kernel limits and the test hooks
        from .area import read_area
        from .points import read_points
        from .tables import read_table
        from .vector import read_units

        reader = {"units": read_units, "table": read_table, "points": read_points, "area": read_area}[job["kind"]]
        src = (d / job["input"]).read_bytes() if job.get("input") else Path(job["path"])
        frame, rep = reader(src, name=job.get("name"), **job["kwargs"])
        _check_shape(frame, job["limits"], rep.source)
        attrs = _encode_attrs(dict(frame.attrs), d)
        frame.attrs = {}
        bad = [c for c in frame.columns if not isinstance(c, str)]
        if bad:
            frame = frame.rename(columns={c: str(c) for c in bad})
        geo = hasattr(frame, "geometry") and "geometry" in frame.columns
        frame.to_parquet(d / "frame.parquet", index=True)
        report = {"source": rep.source, "kind": rep.kind, "rows": rep.rows, "details": _jsonable(rep.details),
                  "messages": list(map(str, rep.messages)), "codes": [[k, _jsonable(kw)] for k, kw in rep.codes]}
        srs = frame.crs.srs if geo and frame.crs is not None else None
        _write_json(d / "result.json", {"ok": True, "geo": geo, "crs": srs, "report": report, "attrs": attrs})
    except MemoryError:
        _write_json(d / "result.json", {"ok": False, "error": "MemoryError", "message": ""})
    except RecursionError:
        _write_json(d / "result.json", {"ok": False, "error": "ValueError",
                                        "message": f"'{job.get('name') or Path(job.get('path', 'upload')).name}' "
                                                   "is nested too deeply to read"})
    except Exception as exc:  # noqa: BLE001 - every failure goes back as a message
        if type(exc).__name__ == "SchemaError":
            err, msg = "SchemaError", str(exc)
        elif isinstance(exc, (TypeError, ValueError)):
            err, msg = ("TypeError" if isinstance(exc, TypeError) else "ValueError"), str(exc)
        else:
            err, msg = "Other", f"{type(exc).__name__}: {exc}"
        _write_json(d / "result.json", {"ok": False, "error": err, "message": msg,
                                        "columns": list(map(str, getattr(exc, "columns", []) or []))})
    return 0


def _selftest(spec: dict) -> None:
    """Test hook: allocate ``heap_mb`` with malloc (kernel data limit) or ``shared_mb`` in a shared mapping
    (outside the data limit: the server's RSS watch must stop it), then sleep ``sleep`` seconds."""
    import mmap

    keep = []
    if spec.get("heap_mb"):
        keep.append(bytearray(int(spec["heap_mb"]) * 2**20))
        for i in range(0, len(keep[-1]), 4096):
            keep[-1][i] = 1
    if spec.get("shared_mb"):
        m = mmap.mmap(-1, int(spec["shared_mb"]) * 2**20)
        step = 2**20
        for i in range(0, len(m), 4096):
            m[i] = 1
            if i % step == 0:
                time.sleep(0)
        keep.append(m)
    if spec.get("sleep"):
        time.sleep(float(spec["sleep"]))
