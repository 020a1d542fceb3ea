"""What every reader shares: the report of what it did, the schema error, the source types, the
constants of IRIS codes and reading a source's bytes within the upload limit.

Every reader returns the data **and** a report saying what it did (encoding,
separator, repaired geometries, withheld markers, rejected rows…), so that the
app and the command line can show it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Union

import pandas as pd

from ..i18n import t

log = logging.getLogger(__name__)

__all__ = ["LoadReport", "SchemaError", "Source", "MAX_UPLOAD_MB", "KEY_CANDIDATES"]

MAX_UPLOAD_MB = 200

#: Key columns of INSEE/IRIS tables, in order of preference.
KEY_CANDIDATES = ("IRIS", "CODE_IRIS", "code_iris", "DCOMIRIS", "iris", "iris_code", "CODGEO", "codgeo")

_IRIS_RE = re.compile(r"^(\d{2}|2[AB])\d{3}\d{4}$")

Source = Union[str, Path, bytes, BinaryIO]


class SchemaError(ValueError):
    """The columns of a file were not recognised; the message says how to map them."""

    def __init__(self, message: str, columns: list[str]):
        super().__init__(message)
        self.columns = columns


@dataclass
class LoadReport:
    """What a reader did to a file.

    Attributes
    ----------
    source : str
        File name as given by the user.
    kind : str
        ``"units"``, ``"table"`` or ``"points"``.
    rows : int
        Rows (features) kept.
    details : dict
        Reader-specific facts (format, encoding, separator, schema, CRS…).
    messages : list of str
        Plain-language notes on everything that was changed or rejected.
    """

    source: str
    kind: str
    rows: int = 0
    details: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    codes: list = field(default_factory=list)

    def note(self, key: str, **kwargs) -> None:
        """Record a note by its i18n key (``rep.*``); ``messages`` holds the English text."""
        self.codes.append((key, kwargs))
        msg = t(key, "en", **kwargs)
        self.messages.append(msg)
        log.info("%s: %s", self.source, msg)

    def messages_in(self, lang: str = "en") -> list[str]:
        """The notes in ``lang``."""
        return [t(k, lang, **kw) for k, kw in self.codes]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "kind": self.kind, "rows": self.rows,
                "details": self.details, "messages": list(self.messages)}


# ----------------------------------------------------------------------------- helpers

def _name_of(src: Source, name: str | None) -> str:
    if name:
        return str(name)
    if isinstance(src, (str, Path)):
        return Path(src).name
    return getattr(src, "name", "upload")


def _read_bytes(src: Source) -> bytes:
    if isinstance(src, bytes):
        data = src
    elif isinstance(src, (str, Path)):
        p = Path(src)
        if not p.exists():
            raise ValueError(f"file not found: '{p}'; check the path")
        if not p.is_file():
            raise ValueError(f"'{p}' is not a regular file; give the path of the file itself")
        if p.stat().st_size > MAX_UPLOAD_MB * 1024 * 1024:
            raise ValueError(f"'{p.name}' is {p.stat().st_size / 2**20:.0f} MB, over the {MAX_UPLOAD_MB} MB limit")
        data = p.read_bytes()
    elif hasattr(src, "read"):
        data = src.read()
        if hasattr(src, "seek"):
            src.seek(0)
    else:
        raise TypeError(f"expected a path, bytes or a file object, got {type(src).__name__}")
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        raise ValueError(f"file is {len(data) / 2**20:.0f} MB, over the {MAX_UPLOAD_MB} MB limit")
    if len(data) == 0:
        raise ValueError("the file is empty (0 bytes)")
    return data


def _find_col(columns: list[str], wanted: str) -> str | None:
    if wanted in columns:
        return wanted
    low = {c.lower(): c for c in columns}
    return low.get(wanted.lower())


def _normalise_codes(s: pd.Series, report: LoadReport, what: str, width: int = 9) -> pd.Series:
    """Codes as stripped strings; numeric codes that lost a leading zero are padded back."""
    out = s.astype("string").str.strip()
    out = out.str.replace(r"\.0$", "", regex=True)
    short = out.str.fullmatch(r"\d+") & (out.str.len() == width - 1)
    if short.any():
        out = out.where(~short, out.str.zfill(width))
        report.note("rep.padded", n=int(short.sum()), what=what, width=width)
    return out
