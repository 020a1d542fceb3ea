"""Uploaded files read in the bounded worker (:mod:`lillegeo.io.worker`), once per change."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import streamlit as st

from ..io import worker
from .text import md, tr

#: Uploads read per session, newest last (each holds a frame: a few are enough for one Data page).
_UPLOAD_READS = 6


def read_upload(kind: str, data: bytes, name: str, **options):
    """Read an uploaded file **once per change**: in the bounded worker, the outcome kept in the
    session under the file's SHA-256 and every reader option (name, crs, planar, mapping, key, x, y…),
    so that a rerun with nothing changed neither starts a worker nor parses again.

    Returns ``(frame, report)`` as the reader does; a ``ValueError`` / ``TypeError`` (``SchemaError``
    included) is kept as well and raised again on later reruns. ``kind`` is ``units``, ``table`` or
    ``points``. A spinner shows while the worker runs.
    """
    reader = {"units": worker.read_units_bounded, "table": worker.read_table_bounded,
              "points": worker.read_points_bounded}[kind]
    options = {k: v for k, v in options.items() if v is not None}
    key = json.dumps([kind, hashlib.sha256(data).hexdigest(), name, options], sort_keys=True, default=str)
    memo = st.session_state.setdefault("_upload_reads", {})
    if key not in memo:
        with st.spinner(tr("data.reading", name=md(name))):
            try:
                memo[key] = (True, reader(data, name=name, **options))
            except (ValueError, TypeError) as exc:
                memo[key] = (False, exc.with_traceback(None))  # no frames (nor the bytes) kept
        while len(memo) > _UPLOAD_READS:
            memo.pop(next(iter(memo)))
    ok, value = memo[key]
    if not ok:
        raise value.with_traceback(None)
    return value


def source_record(data: bytes, name: str) -> dict:
    """How a recipe records an uploaded file: its name (the path next to the recipe), SHA-256 and size."""
    return {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def as_single_upload(files) -> tuple[bytes | None, str | None, dict | None]:
    """One file as it is; a shapefile uploaded as separate files zipped in memory.

    Returns the bytes to read, their name and the recipe's record of the source. The zip is the same
    bytes for the same files (sorted names, a fixed date), so its cache key does not change from one
    upload to the next; the recipe records the ``.shp`` itself, the file a user has next to the recipe
    (and that ``python -m lillegeo run`` reads with its sibling files).
    """
    if not files:
        return None, None, None
    if len(files) == 1:
        data, name = files[0].getvalue(), files[0].name
        return data, name, source_record(data, name)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(files, key=lambda f: f.name):
            zf.writestr(zipfile.ZipInfo(f.name.replace("/", "_"), date_time=(1980, 1, 1, 0, 0, 0)), f.getvalue())
    shp = next((f for f in files if f.name.lower().endswith(".shp")), None)
    stem = shp.name.rsplit(".", 1)[0] if shp is not None else "shapefile"
    record = source_record(shp.getvalue(), shp.name) if shp is not None else source_record(buf.getvalue(),
                                                                                          f"{stem}.zip")
    return buf.getvalue(), f"{stem}.zip", record
