"""Limits on what an untrusted file may cost the server: time, memory, size, shape and nesting.

Every limit has a documented default and can be changed with an environment variable
``LILLEGEO_LIMIT_<NAME>`` (the field name in capitals), e.g. ``LILLEGEO_LIMIT_READ_SECONDS=120``.
A value that is not a positive number is refused with a message naming the variable, so a typo in a
deployment is seen at the first read rather than silently ignored.

>>> lim = Limits()
>>> lim.read_seconds, lim.worker_mb, lim.max_columns
(120.0, 3072, 2000)
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
        (default 120 s: a 200 MB CSV of 2.8 million points reads in about 50 s). ``LILLEGEO_LIMIT_READ_SECONDS``.
    worker_mb : int
        Memory the worker process reading one file may use, in MB (default 3,072; that CSV peaks at 2.4 GB). Enforced by the
        kernel (``RLIMIT_DATA``) and by the server watching the worker's resident memory.
        ``LILLEGEO_LIMIT_WORKER_MB``.
    upload_mb : int
        Largest file accepted, in MB (default 200, as ``lillegeo.io.MAX_UPLOAD_MB`` and
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
        Most keys (``key = value`` pairs and table headers) in a recipe (default 2,000).
        ``LILLEGEO_LIMIT_RECIPE_KEYS``.
    workers : int
        Files read at the same time by one server (default 2, one a core): a read waits for a free
        worker up to ``read_seconds``, then stops with a "server busy" message, so a burst of uploads
        cannot take all the memory (``workers`` x ``worker_mb``). ``LILLEGEO_LIMIT_WORKERS``.
    """

    read_seconds: float = 120.0
    worker_mb: int = 3072
    upload_mb: int = 200
    max_columns: int = 2000
    max_rows: int = 5_000_000
    max_vertices: int = 20_000_000
    max_nesting: int = 32
    recipe_kb: int = 256
    recipe_keys: int = 2000
    workers: int = 2

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


#: Limits other modules may read as constants (``lillegeo.limits.MAX_COLUMNS``); each access follows the
#: environment, like :func:`limits`.
CONSTANTS = {"MAX_COLUMNS": "max_columns", "MAX_ROWS": "max_rows", "MAX_VERTICES": "max_vertices",
             "MAX_JSON_DEPTH": "max_nesting", "MAX_UPLOAD_MB": "upload_mb"}


def __getattr__(name: str):
    if name in CONSTANTS:
        return getattr(limits(), CONSTANTS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def limits() -> Limits:
    """The limits in force now: the defaults overridden by ``LILLEGEO_LIMIT_*`` environment variables.

    Raises
    ------
    ValueError
        When a variable holds something other than a positive number (the message names it).
    """
    return Limits.from_env()


def check_toml(text: str, lim: Limits | None = None, *, what: str = "the recipe") -> None:
    """Refuse TOML text that would hold the parser: too large, nested too deeply, or with too many keys.

    ``tomllib`` is pure Python: a 40 KB line of dotted keys (``a.a.a…=1``) takes seconds holding the
    interpreter (its cost grows with the square of a key's depth) and deeply nested arrays raise
    ``RecursionError``.  This scan runs in time linear in the text and checks, before parsing, the size
    (``recipe_kb``), the deepest nesting counting table headers, dotted keys, arrays and inline tables
    (``max_nesting``) and the number of keys and headers (``recipe_keys``).  The text is not validated
    as TOML: ``tomllib`` does that afterwards.

    Raises
    ------
    ValueError
        Naming the limit and its environment variable.

    >>> check_toml('[sources.units]\\npath = "u.gpkg"\\nband = [0.8, 1.25]\\n')
    >>> check_toml("a" + ".a" * 40 + " = 1")
    Traceback (most recent call last):
    ...
    ValueError: the recipe nests 41 levels deep (tables, dotted keys, arrays); the limit is 32 (LILLEGEO_LIMIT_MAX_NESTING)
    """
    lim = lim or limits()
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > lim.recipe_kb * 1024:
        raise ValueError(f"{what} is {size / 1024:,.0f} KB, over the {lim.recipe_kb:,} KB limit "
                         f"({Limits.env_name('recipe_kb')})")
    max_depth = lim.max_nesting

    def check(depth: int) -> int:
        if depth > max_depth:
            raise ValueError(f"{what} nests {depth} levels deep (tables, dotted keys, arrays); the limit is "
                             f"{max_depth} ({Limits.env_name('max_nesting')})")
        return depth

    def count_key() -> None:
        nonlocal keys
        keys += 1
        if keys > lim.recipe_keys:
            raise ValueError(f"{what} has more than {lim.recipe_keys:,} keys and table headers; the limit is "
                             f"{lim.recipe_keys:,} ({Limits.env_name('recipe_keys')})")

    n, i, keys = len(text), 0, 0
    table = 0            # depth of the current [table] header
    stack: list[tuple[str, int]] = []  # each open '[' or '{' of a value with its nesting level
    cur = 0              # nesting level of the value being read
    segs = 1             # segments of the key being read
    in_key = True        # reading a key: at a line start, or after '{' or ',' inside an inline table
    line_start = True
    while i < n:
        ch = text[i]
        if ch == "#":  # comment to the end of the line
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif ch in "\"'":  # strings, skipped whole (keys in quotes are one segment)
            i, line_start = _string_end(text, i), False
        elif ch == "\n":
            if not stack:
                in_key, segs = True, 1
            line_start = True
            i += 1
        elif ch in " \t\r":
            i += 1
        elif line_start and not stack and ch == "[":  # a [table] or [[array of tables]] header
            j, depth = i + 1, 1
            while j < n and text[j] not in "]\n":
                if text[j] in "\"'":
                    j = _string_end(text, j)
                    continue
                if text[j] == ".":
                    depth += 1
                j += 1
            table = check(depth)
            count_key()
            k = text.find("\n", j)
            i, line_start = (n if k < 0 else k), False
        else:
            line_start = False
            if ch in "]}":
                if stack:
                    stack.pop()
                cur = stack[-1][1] if stack else table
                in_key = False
            elif in_key:
                if ch == ".":
                    segs += 1
                elif ch == "=":
                    count_key()
                    cur = check((stack[-1][1] if stack else table) + segs)
                    in_key = False
            elif ch in "[{":
                cur = check(cur + 1)
                stack.append((ch, cur))
                if ch == "{":
                    in_key, segs = True, 1
            elif ch == "," and stack:
                in_key, segs = stack[-1][0] == "{", 1
            i += 1


def _string_end(text: str, i: int) -> int:
    """Index just after the TOML string starting at ``text[i]`` (basic, literal, multi-line; escapes
    honoured). A one-line string ends at the end of its line even when unterminated (``tomllib``
    then reports the error)."""
    q, n = text[i], len(text)
    if text.startswith(q * 3, i):
        j = i + 3
        while j < n and not text.startswith(q * 3, j):
            j += 2 if q == '"' and text[j] == "\\" else 1
        while j + 3 < n and text[j + 3] == q:  # up to two more quotes belong to the string
            j += 1
        return min(j + 3, n)
    j = i + 1
    while j < n and text[j] != q and text[j] != "\n":
        j += 2 if q == '"' and text[j] == "\\" else 1
    return min(j + 1, n) if j < n and text[j] == q else min(j, n)
