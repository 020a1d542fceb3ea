"""Uploaded files read in the bounded worker (:mod:`lillegeo.io.worker`), once per change."""

from __future__ import annotations

import hashlib
import json

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
