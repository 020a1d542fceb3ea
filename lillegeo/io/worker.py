"""Read untrusted files in a bounded worker process.

A hostile file can make a parser spin forever (a GeoPackage layer that is an endless SQL view), grow
without end (a VRT running a recursive SQLite query) or hold the interpreter for seconds (a CSV with
thousands of columns).  Read in the server's own process, one such upload stops every session and
even SIGTERM.  :func:`read_units_bounded`, :func:`read_table_bounded` and :func:`read_points_bounded`
take the same arguments as :func:`lillegeo.read_units`, :func:`lillegeo.read_table` and
:func:`lillegeo.read_points` and run them in a separate process (``python`` running
:mod:`lillegeo.io.child`):

* the input goes to the worker as a file in a private temporary folder (mode 0700), where the worker
  also keeps its own temporary files; the folder is removed after the read, also after a kill;
* the worker is limited by the kernel (``RLIMIT_DATA``/``RLIMIT_AS`` at the memory limit, a CPU-time
  backstop, no core dumps) and dies with the server (``PR_SET_PDEATHSIG``);
* the server stops it (SIGKILL to its whole process group) when the wall-clock time or the resident
  memory it reads in ``/proc/<pid>/status`` goes over the limit (:func:`lillegeo.limits.limits`);
* the result comes back **without pickle**: the frame as (Geo)Parquet, the report and the frame's
  ``attrs`` as JSON, so that a worker taken over by a malicious file cannot run code in the server;
* :class:`~lillegeo.io.base.SchemaError` (with its ``columns``), ``ValueError`` and ``TypeError`` come
  back as the same types with the same messages; a stopped read raises :class:`ReadLimitError` (a
  ``ValueError``) with a one-line message naming the file (never a server path) and the limit.

The worker needs about a second to start (importing geopandas); the Data page caches each read by the
file's content hash so that a rerun does not pay it again.

>>> from lillegeo.demo import DEMO_DIR
>>> units, rep = read_units_bounded(DEMO_DIR / "units.geojson")
>>> len(units), rep.details["schema"], units.crs.to_epsg()
(374, 'IGN CONTOURS-IRIS PE / IRIS-GE (2024+)', 2154)
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ..limits import Limits, limits as current_limits
from .base import LoadReport, SchemaError
from .child import TEST_SLEEP_ENV  # noqa: F401 - the test hook, named here as before

log = logging.getLogger(__name__)

__all__ = ["read_units_bounded", "read_area_bounded", "read_table_bounded", "read_points_bounded", "ReadLimitError"]

#: The ``lillegeo`` package folder (the worker's bare ``lillegeo`` package points at it).
_PKG_DIR = Path(__file__).resolve().parent.parent

# The worker starts without running lillegeo/__init__.py (which imports the map and analysis
# modules, about 0.8 s) nor lillegeo/io/__init__.py (which imports the download code): bare package
# modules pointing at these folders are enough for ``lillegeo.io.child``, the readers and their
# relative imports (``lillegeo.i18n``, ``lillegeo.limits``).
_BOOT = ("import os, sys, types; p = types.ModuleType('lillegeo'); p.__path__ = [sys.argv[1]]; "
         "q = types.ModuleType('lillegeo.io'); q.__path__ = [os.path.join(sys.argv[1], 'io')]; p.io = q; "
         "sys.modules.update({'lillegeo': p, 'lillegeo.io': q}); "
         "import lillegeo.io.child as w; sys.exit(w._child_main(sys.argv[2]))")


class ReadLimitError(ValueError):
    """A read was stopped because it went over a limit (time, memory); the message names the limit."""


# ============================================================================ server side

def read_units_bounded(src, *, name: str | None = None, mapping: dict[str, str] | None = None, crs: Any = None,
                       planar: bool = False, layer: str | None = None, limits: Limits | None = None):
    """:func:`lillegeo.read_units` in a bounded worker process; same arguments plus ``limits``.

    Returns
    -------
    (GeoDataFrame, LoadReport)
        As :func:`lillegeo.read_units`.

    Raises
    ------
    SchemaError, ValueError, TypeError
        As the plain reader; :class:`ReadLimitError` when the read went over ``limits``.
    """
    return _run("units", src, name, dict(mapping=mapping, crs=_crs_arg(crs), planar=bool(planar), layer=layer),
                limits)


def read_area_bounded(src, *, name: str | None = None, crs: Any = None, layer: str | None = None,
                      limits: Limits | None = None):
    """:func:`lillegeo.io.area.read_area` (a polygon layer, any columns) in a bounded worker process."""
    return _run("area", src, name, dict(crs=_crs_arg(crs), layer=layer), limits)


def read_table_bounded(src, *, name: str | None = None, key: str | None = None, sheet: str | int | None = None,
                       limits: Limits | None = None):
    """:func:`lillegeo.read_table` in a bounded worker process; same arguments plus ``limits``.

    >>> from lillegeo.demo import DEMO_DIR
    >>> t, rep = read_table_bounded(DEMO_DIR / "census.csv")
    >>> t.attrs["key"], str(t["IRIS"].dtype), rep.details["separator"]
    ('IRIS', 'string', ';')
    """
    return _run("table", src, name, dict(key=key, sheet=sheet), limits)


def read_points_bounded(src, *, name: str | None = None, x: str | None = None, y: str | None = None, crs: Any = None,
                        planar: bool = False, date: str | None = None, category: str | None = None,
                        limits: Limits | None = None):
    """:func:`lillegeo.read_points` in a bounded worker process; same arguments plus ``limits``.

    ``attrs`` (``source_rows``, ``n_input``, ``input_ids``) come back as the plain reader sets them.
    """
    return _run("points", src, name, dict(x=x, y=y, crs=_crs_arg(crs), planar=bool(planar), date=date,
                                          category=category), limits)


def _crs_arg(crs: Any) -> Any:
    """A CRS as JSON can carry it: str and int as given, a pyproj CRS as WKT."""
    if crs is None or isinstance(crs, (str, int)):
        return crs
    if hasattr(crs, "to_wkt"):
        return crs.to_wkt()
    return str(crs)


def _display_name(src, name: str | None) -> str:
    if name:
        return str(name)
    if isinstance(src, (str, Path)):
        return Path(src).name
    return Path(str(getattr(src, "name", "upload"))).name


def _run(kind: str, src, name: str | None, kwargs: dict, lim: Limits | None):
    lim = lim or current_limits()
    shown = _display_name(src, name)
    job: dict[str, Any] = {"kind": kind, "name": name, "kwargs": kwargs, "limits": _limits_dict(lim)}
    data = None
    if isinstance(src, (str, Path)):
        job["path"] = os.fspath(src)  # as given: relative to the working folder, as the plain reader sees it
    elif isinstance(src, (bytes, bytearray, memoryview)):
        data = bytes(src)
    elif hasattr(src, "read"):
        data = src.read()
        if hasattr(src, "seek"):
            src.seek(0)
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError(f"expected a file opened in binary mode, got {type(data).__name__} from read()")
    else:
        raise TypeError(f"expected a path, bytes or a file object, got {type(src).__name__}")
    if data is not None:
        if len(data) > lim.upload_mb * 2**20:
            raise ValueError(f"file is {len(data) / 2**20:.0f} MB, over the {lim.upload_mb} MB limit")
        job["name"] = name if name else shown
    return _run_job(job, data, shown, lim)


def _limits_dict(lim: Limits) -> dict[str, float]:
    return {k: getattr(lim, k) for k in lim.__dataclass_fields__}


_STATS = threading.local()


def last_read_stats() -> dict[str, float]:
    """Wall time (s) and peak resident memory (MB, sampled) of this thread's last worker read; for the
    reliability figures (``benchmarks/reliability.py``)."""
    return {"seconds": getattr(_STATS, "seconds", float("nan")), "peak_mb": getattr(_STATS, "peak_mb", float("nan"))}


_SLOTS_LOCK = threading.Lock()
_SLOTS: dict[int, threading.BoundedSemaphore] = {}


def _slots(n: int) -> threading.BoundedSemaphore:
    """The server-wide semaphore of ``n`` worker slots (one per configured count)."""
    with _SLOTS_LOCK:
        return _SLOTS.setdefault(int(n), threading.BoundedSemaphore(int(n)))


def _run_job(job: dict, data: bytes | None, shown: str, lim: Limits):
    """Run one job in a worker (at most ``lim.workers`` at once in this server) and turn its answer (or
    its breach) into the reader's result or exception."""
    slots = _slots(lim.workers)
    if not slots.acquire(timeout=lim.read_seconds):
        raise ReadLimitError(f"the server is busy reading other files ({lim.workers} at a time, limit "
                             f"{Limits.env_name('workers')}); '{shown}' was not read, try again in a minute")
    try:
        return _run_job_in_slot(job, data, shown, lim)
    finally:
        slots.release()


def _run_job_in_slot(job: dict, data: bytes | None, shown: str, lim: Limits):
    _sweep_orphans()
    # mode 0700: private to the server's user; named after the server's pid (see _sweep_orphans)
    tmp = Path(tempfile.mkdtemp(prefix=f"lillegeo-worker-{os.getpid()}-"))
    proc = None
    try:
        if data is not None:
            (tmp / "input.bin").write_bytes(data)
            job["input"] = "input.bin"
        (tmp / "job.json").write_text(json.dumps(job), encoding="utf-8")
        env = dict(os.environ)
        env.update({
            "LILLEGEO_WORKER_PARENT": str(os.getpid()),
            # pyarrow's jemalloc/mimalloc reserve about 1 GB of address space up front: with the system
            # allocator the kernel's data limit measures what the reader really uses
            "ARROW_DEFAULT_MEMORY_POOL": "system",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",
            # the reader's own temporary files (extracted zips…) go in the job folder: removed with it,
            # even when the worker is killed mid-read
            "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp), "CPL_TMPDIR": str(tmp),
        })
        t0 = time.monotonic()
        with open(tmp / "stderr.txt", "wb") as err:
            proc = subprocess.Popen([sys.executable, "-c", _BOOT, str(_PKG_DIR), str(tmp)],
                                    cwd=tmp if data is not None else None, env=env, stdin=subprocess.DEVNULL,
                                    stdout=err, stderr=err, start_new_session=True, close_fds=True)
        breach, peak_mb = None, 0.0
        delay = 0.02
        while proc.poll() is None:
            elapsed = time.monotonic() - t0
            rss = _rss_mb(proc.pid)
            peak_mb = max(peak_mb, rss)
            if elapsed > lim.read_seconds:
                breach = "time"
            elif rss > lim.worker_mb:
                breach = "memory"
            if breach:
                _kill(proc)
                break
            time.sleep(delay)
            delay = min(delay * 1.5, 0.1)
        log.debug("worker %s of %s: %.2f s, peak %.0f MB, exit %s", job["kind"], shown, time.monotonic() - t0,
                  peak_mb, proc.returncode)
        _STATS.seconds, _STATS.peak_mb = time.monotonic() - t0, peak_mb
        if breach == "time":
            raise ReadLimitError(_time_message(shown, lim))
        if breach == "memory":
            raise ReadLimitError(_memory_message(shown, lim))
        return _answer(tmp, proc.returncode, shown, lim)
    finally:
        if proc is not None and proc.poll() is None:
            _kill(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def _sweep_orphans() -> None:
    """Remove job folders left by a server that was stopped mid-read (its ``finally`` never ran): each is
    named ``lillegeo-worker-<server pid>-…``; a folder whose server is gone is deleted."""
    try:
        entries = list(Path(tempfile.gettempdir()).glob("lillegeo-worker-*-*"))
    except OSError:
        return
    for d in entries:
        pid = d.name.split("-")[2]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            if d.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except (OSError, AttributeError):
            continue


def _time_message(shown: str, lim: Limits) -> str:
    return (f"reading '{shown}' took longer than {lim.read_seconds:g} s and was stopped "
            f"(limit {Limits.env_name('read_seconds')})")


def _memory_message(shown: str, lim: Limits) -> str:
    return (f"reading '{shown}' needed more than {lim.worker_mb:,} MB of memory and was stopped "
            f"(limit {Limits.env_name('worker_mb')})")


def _rss_mb(pid: int) -> float:
    """Resident memory of a process in MB from /proc (0 when it is gone or /proc is not there)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def _kill(proc: subprocess.Popen) -> None:
    """SIGKILL the worker's whole process group (it is a session leader) and reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):  # AttributeError: no process groups
        try:
            proc.kill()
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a SIGKILLed process is reaped at once
        log.error("worker %s did not stop after SIGKILL", proc.pid)


def _scrub(text: str, tmp: Path) -> str:
    """Remove the worker's temporary folder (a server path) from a message."""
    text = str(text).replace(str(tmp) + os.sep, "").replace(str(tmp), "")
    return re.sub(r"\S*lillegeo-[\w-]+/", "", text)


def _answer(tmp: Path, code: int | None, shown: str, lim: Limits):
    res_path = tmp / "result.json"
    if not res_path.exists():
        if code == -signal.SIGXCPU:  # the kernel's CPU-time backstop
            raise ReadLimitError(_time_message(shown, lim))
        if code == -signal.SIGKILL:  # not sent by us: the kernel's out-of-memory killer
            raise ReadLimitError(_memory_message(shown, lim))
        log.warning("worker reading %s stopped with exit status %s and no answer", shown, code)
        raise ValueError(f"could not read '{shown}': the reader stopped unexpectedly (exit status {code}); it may "
                         f"have needed more than the {lim.worker_mb:,} MB allowed "
                         f"({Limits.env_name('worker_mb')})")
    try:
        if res_path.stat().st_size > 64 * 2**20:
            raise ValueError("answer too large")
        res = json.loads(res_path.read_text(encoding="utf-8"))
        if not isinstance(res, dict):
            raise ValueError("answer is not an object")
    except (ValueError, RecursionError, OSError, UnicodeDecodeError):
        raise ValueError(f"could not read '{shown}': the reader's answer was malformed") from None
    if not res.get("ok"):
        kind, msg = str(res.get("error")), _scrub(str(res.get("message", "")), tmp)
        if kind == "SchemaError":
            cols = res.get("columns")
            raise SchemaError(msg, [str(c) for c in cols] if isinstance(cols, list) else [])
        if kind == "TypeError":
            raise TypeError(msg)
        if kind == "MemoryError":
            raise ReadLimitError(_memory_message(shown, lim))
        if kind == "ValueError":
            raise ValueError(msg)
        raise ValueError(f"could not read '{shown}': {msg}")
    try:
        frame = _read_frame(tmp / "frame.parquet", bool(res.get("geo")), res.get("crs"))
        frame.attrs.update(_decode_attrs(res.get("attrs") or {}, tmp))
        r = res["report"]
        rep = LoadReport(str(r["source"]), str(r["kind"]), rows=int(r["rows"]), details=dict(r["details"]),
                         messages=[str(m) for m in r["messages"]],
                         codes=[(str(k), dict(kw)) for k, kw in r["codes"]])
    except Exception as exc:  # noqa: BLE001 - a malformed answer is a failed read, never a crash of the server
        log.warning("worker answer for %s could not be decoded: %s", shown, type(exc).__name__)
        raise ValueError(f"could not read '{shown}': the reader's answer was malformed") from None
    return frame, rep


def _read_frame(path: Path, geo: bool, srs: Any = None):
    import geopandas as gpd
    import pandas as pd
    import pyproj

    df = gpd.read_parquet(path) if geo else pd.read_parquet(path)
    df.attrs.clear()
    if geo and isinstance(srs, str) and df.crs is not None and len(srs) < 100_000:
        # the CRS as the reader set it ('EPSG:2154'), not as GeoParquet spells it (PROJJSON)
        same = pyproj.CRS.from_user_input(srs)
        if same == df.crs:
            df = df.set_crs(same, allow_override=True)
    return df


def _decode_attrs(enc: dict, folder: Path) -> dict:
    """The frame's ``attrs``: JSON values as they are, arrays from their Parquet files (numbers, or text
    with missing values as ``pd.NA``)."""
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    out = {}
    for k, v in enc.items():
        if isinstance(v, dict) and v.get("__array__"):
            fname = str(v["__array__"])
            if not re.fullmatch(r"attr_\d+\.parquet", fname):
                raise ValueError("unexpected array file name")
            col = pq.read_table(folder / fname).column("values")
            dtype = np.dtype(v["dtype"])
            if dtype.kind == "O":
                out[k] = np.array([pd.NA if x is None else str(x) for x in col.to_pylist()], dtype=object)
            elif dtype.kind in "biuf":
                out[k] = col.to_numpy(zero_copy_only=False).astype(dtype, copy=False)
            else:
                raise ValueError(f"array kind {dtype.kind!r} not accepted")
        else:
            out[k] = v
    return out
