"""ESRI shapefile screening: the .shp has the shapefile magic number, its .dbf is a dBase table, and rows,
columns and vertices (read from the record headers through the .shx index, not parsed) are within the
limits; the .dbf encoding when no .cpg says it."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from .guard import _check_counts
from .sniff import _head, _looks_like, _not_format

_DBF_VERSIONS = {0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xE5, 0xF5, 0xFB}


def _sibling(path: Path, ext: str) -> Path | None:
    for e in (ext, ext.upper()):
        p = path.with_suffix(e)
        if p.exists():
            return p
    return None


def _check_shapefile(path: Path, dq: str) -> None:
    """The .shp has the shapefile magic number, the .dbf is a dBase table; counts within the limits."""
    head = _head(path, 100)
    if len(head) < 100 or head[:4] != b"\x00\x00\x27\x0a":
        raise _not_format(dq, "shp", _looks_like(_head(path)))
    missing = [e for e in (".dbf", ".shx") if _sibling(path, e) is None]
    if missing:
        raise ValueError(f"shapefile {dq} is missing its {' and '.join(missing)} file; "
                         "zip the .shp, .shx, .dbf and .prj together")
    dbf = _sibling(path, ".dbf")
    dhead = _head(dbf, 32)
    size = dbf.stat().st_size
    if len(dhead) < 32 or dhead[0] not in _DBF_VERSIONS:
        raise ValueError(f"{dq}: its .dbf is not a dBase table (it looks like {_looks_like(_head(dbf))}); refused")
    n_rec, hdr_len = struct.unpack("<IH", dhead[4:10])
    if hdr_len < 33 or hdr_len > size:
        raise ValueError(f"could not read {dq}: its .dbf header is damaged")
    _check_counts(dq, columns=(hdr_len - 33) // 32, rows=n_rec)
    _check_counts(dq, vertices=_shp_vertices(path, _sibling(path, ".shx")))


def _shp_vertices(shp: Path, shx: Path | None) -> int:
    """Total vertices of a shapefile read from its record headers (through the .shx index), not parsed."""
    shape_type = struct.unpack("<i", _head(shp, 36)[32:36])[0]
    if shx is None:
        return 0
    idx = np.fromfile(shx, dtype=">i4", offset=100) if shx.stat().st_size > 100 else np.zeros(0, ">i4")
    idx = idx[: len(idx) // 2 * 2].reshape(-1, 2).astype(np.int64) * 2  # (offset, content length) in bytes
    if shape_type in (1, 11, 21):  # points
        return len(idx)
    at = 40 if shape_type in (3, 5, 13, 15, 23, 25, 31) else 36 if shape_type in (8, 18, 28) else None
    if at is None or not len(idx):
        return 0
    data = np.memmap(shp, dtype=np.uint8, mode="r")
    pos = idx[:, 0] + 8 + at
    ok = (idx[:, 1] >= at + 4) & (pos >= 0) & (pos + 4 <= len(data))
    pos = pos[ok]
    if not len(pos):
        return 0
    raw = np.stack([data[pos + k] for k in range(4)], axis=1).copy()
    counts = raw.view("<i4").ravel().astype(np.int64)
    return int(np.clip(counts, 0, None).sum())


def _guess_dbf_encoding(dbf: Path) -> str:
    """DBF files without a .cpg: UTF-8 when the text decodes as UTF-8, else cp1252."""
    try:
        raw = dbf.read_bytes()
    except OSError:
        return "utf-8"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"
