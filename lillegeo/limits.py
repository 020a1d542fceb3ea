"""Limits on what an untrusted file may cost the server: time, memory, size, shape and nesting.

Every limit has a documented default and can be changed with an environment variable
``LILLEGEO_LIMIT_<NAME>`` (the field name in capitals), e.g. ``LILLEGEO_LIMIT_READ_SECONDS=120``.
A value that is not a positive number is refused with a message naming the variable, so a typo in a
deployment is seen at the first read rather than silently ignored.

>>> lim = Limits()
>>> lim.read_seconds, lim.worker_mb, lim.max_columns
(60.0, 1536, 2000)
>>> Limits.from_env({"LILLEGEO_LIMIT_READ_SECONDS": "5"}).read_seconds
5.0
>>> Limits.from_env({"LILLEGEO_LIMIT_WORKER_MB": "lots"})
Traceback (most recent call last):
...
ValueError: LILLEGEO_LIMIT_WORKER_MB must be a whole number above 0; got 'lots'
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields
from typing import Mapping

__all__ = ["Limits", "limits", "ENV_PREFIX"]

ENV_PREFIX = "LILLEGEO_LIMIT_"


@dataclass(frozen=True)
class Limits:
    """The limits applied to files read for a user (uploads, recipe sources, command-line inputs).

    Attributes
    ----------
    read_seconds : float
        Wall-clock time one file may take to read in the worker process before it is stopped
        (default 60 s). ``LILLEGEO_LIMIT_READ_SECONDS``.
    worker_mb : int
        Memory the worker process reading one file may use, in MB (default 1,536). Enforced by the
        kernel (``RLIMIT_DATA``) and by the server watching the worker's resident memory.
        ``LILLEGEO_LIMIT_WORKER_MB``.
    upload_mb : int
        Largest file accepted, in MB (default 200, as ``lillegeo.sources.MAX_UPLOAD_MB`` and
        Streamlit's ``server.maxUploadSize``). ``LILLEGEO_LIMIT_UPLOAD_MB``.
    max_columns : int
        Most columns a table, contour or point file may have (default 2,000).
        ``LILLEGEO_LIMIT_MAX_COLUMNS``.
    max_rows : int
        Most rows (features, points) a file may have (default 5,000,000). ``LILLEGEO_LIMIT_MAX_ROWS``.
    max_vertices : int
        Most coordinates over all geometries of a file (default 20,000,000).
        ``LILLEGEO_LIMIT_MAX_VERTICES``.
    max_nesting : int
        Deepest nesting of a recipe (tables, arrays, inline tables and dotted keys) and of JSON
        (default 32). ``LILLEGEO_LIMIT_MAX_NESTING``.
    recipe_kb : int
        Largest recipe text, in KB (default 256). ``LILLEGEO_LIMIT_RECIPE_KB``.
    recipe_keys : int
        Most keys (``key = value`` pairs and table headers) in a recipe (default 5,000).
        ``LILLEGEO_LIMIT_RECIPE_KEYS``.
    """

    read_seconds: float = 60.0
    worker_mb: int = 1536
    upload_mb: int = 200
    max_columns: int = 2000
    max_rows: int = 5_000_000
    max_vertices: int = 20_000_000
    max_nesting: int = 32
    recipe_kb: int = 256
    recipe_keys: int = 5000

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            whole = f.type in ("int", int)
            ok = (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0
                  and (not whole or float(v).is_integer()))
            if not ok:
                kind = "a whole number above 0" if whole else "a number above 0"
                raise ValueError(f"limit {f.name} ({ENV_PREFIX}{f.name.upper()}) must be {kind}; got {v!r}")

    @staticmethod
    def env_name(field_name: str) -> str:
        """The environment variable that sets ``field_name``: ``LILLEGEO_LIMIT_<NAME>``."""
        return ENV_PREFIX + field_name.upper()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Limits":
        """The defaults, overridden by ``LILLEGEO_LIMIT_<NAME>`` variables of ``environ`` (``os.environ``)."""
        env = os.environ if environ is None else environ
        known = {cls.env_name(f.name): f for f in fields(cls)}
        unknown = sorted(k for k in env if k.startswith(ENV_PREFIX) and k not in known)
        if unknown:
            raise ValueError(f"unknown limit variable(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        values = {}
        for var, f in known.items():
            raw = env.get(var)
            if raw is None or raw.strip() == "":
                continue
            whole = f.type in ("int", int)
            try:
                v = float(raw.strip().replace("_", ""))
            except ValueError:
                v = float("nan")
            if not (math.isfinite(v) and v > 0 and (not whole or v.is_integer())):
                kind = "a whole number above 0" if whole else "a number above 0"
                raise ValueError(f"{var} must be {kind}; got {raw!r}")
            values[f.name] = int(v) if whole else v
        return cls(**values)


def limits() -> Limits:
    """The limits in force now: the defaults overridden by ``LILLEGEO_LIMIT_*`` environment variables.

    Raises
    ------
    ValueError
        When a variable holds something other than a positive number (the message names it).
    """
    return Limits.from_env()
