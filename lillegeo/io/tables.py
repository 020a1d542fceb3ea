"""Indicator tables (CSV, XLSX or a zip holding one) as INSEE writes them, read by :func:`read_table`:
separator, decimal mark, encoding and byte-order mark detected, withheld markers counted, code columns
kept as text, the key column of IRIS codes found (:func:`detect_key`)."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .archives import _safe_extract
from .base import KEY_CANDIDATES, LoadReport, SchemaError, Source, _IRIS_RE, _find_col, _name_of, _normalise_codes
from .base import _read_bytes
from .guard import _check_counts, _check_local_path, _limit, _limit_text
from .xlsx import _xlsx_frame

__all__ = ["read_table", "detect_key", "WITHHELD_MARKERS"]

#: Text INSEE and Filosofi write where a value is withheld or not available.
WITHHELD_MARKERS = ("ns", "nd", "s", "nc", "", "na", "n/a", "nan", "secret")


def _decode(data: bytes, report: LoadReport) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        report.details["encoding"] = "utf-8 (with BOM)"
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte-order mark (Excel "Unicode text")
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError("the file starts with a UTF-16 byte-order mark but is not valid UTF-16 text; "
                             "save it as CSV UTF-8") from None
        report.details["encoding"] = "utf-16"
        report.note("rep.decoded", enc="UTF-16")
        return text
    for enc in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(enc)
            report.details["encoding"] = enc
            if enc != "utf-8":
                report.note("rep.decoded", enc=enc)
            return text
        except UnicodeDecodeError:
            continue
    raise ValueError("could not decode the file as UTF-8 or cp1252")  # pragma: no cover - latin-1 never fails


#: csv.Sniffer's quote detection is quadratic in the length of a line: it sees this many characters.
_SNIFF_CHARS = 8192


def _sniff_sep(text: str) -> str:
    chunk = text[:_SNIFF_CHARS]
    lines = chunk.splitlines()
    if len(text) > len(chunk) and 1 < len(lines) <= 20 and not chunk.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line was cut
    head = "\n".join(lines[:20])
    try:
        return csv.Sniffer().sniff(head, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {s: head.count(s) for s in ";,\t|"}
        return max(counts, key=counts.get) if max(counts.values()) else ","


_FR_NUM = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


#: Columns that hold codes (kept as text even when they look like numbers).
_ID_COLUMNS = {"IRIS", "COM", "DEP", "REG", "TRIRIS", "UU2010", "UU2020", "GRD_QUART", "CODGEO", "DEPCOM",
               "CODE_IRIS", "EPCI", "SIREN", "CODE_EPCI", "INSEE_COM"}
#: Cells handled per vectorised step in :func:`_clean_frame` and :func:`detect_key` (wide files: many
#: columns at once; tall files: one column at a time).
_CELLS_PER_BLOCK = 1_000_000


def _floats(s: pd.Series) -> np.ndarray:
    """``pd.to_numeric`` of text as float64 with NaN for what is not a number.

    A column that is all plain numbers (coordinates, counts) is cast by Arrow, ten times faster than
    ``pd.to_numeric`` on millions of points; anything else takes ``pd.to_numeric``'s path."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(s) > 10_000:
        try:
            arr = pa.array(s.to_numpy(dtype=object, na_value=None), type=pa.string())
            plain = pc.match_substring_regex(arr, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
            return pc.cast(pc.if_else(plain, arr, pa.scalar(None, pa.string())), pa.float64()).to_numpy(
                zero_copy_only=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
            pass
    num = pd.to_numeric(s, errors="coerce")
    return np.asarray(num.astype("Float64").to_numpy(dtype="float64", na_value=np.nan))


def _clean_frame(raw: pd.DataFrame, report: LoadReport, key_like: set[str]) -> pd.DataFrame:
    """Strings in, typed columns out: markers to NaN (counted), numbers parsed, codes kept as text.

    Vectorised over blocks of columns (a file of 4,000 columns reads in a fraction of a second).
    """
    df = raw.set_axis([str(c).strip() for c in raw.columns], axis=1)
    first = df.columns[0] if len(df.columns) else None
    if first is not None and (first == "" or first.startswith("Unnamed")):
        vals = df[first].astype(str).str.strip()
        if vals.str.fullmatch(r"\d+").all():
            df = df.drop(columns=first)
            report.note("rep.r_index")
    counts = Counter(df.columns)
    dup = sorted(c for c, k in counts.items() if k > 1)
    if dup:
        raise ValueError(f"column name(s) appear twice: {dup}; rename them")
    withheld: dict[str, int] = {}
    mixed: dict[str, tuple[int, str]] = {}
    decimal_comma = False
    names = list(df.columns)
    n = len(df)
    out: dict[str, Any] = {}
    width = max(1, _CELLS_PER_BLOCK // max(n, 1))
    for b0 in range(0, len(names), width):
        block = names[b0:b0 + width]
        k = len(block)
        cells = df.iloc[:, b0:b0 + k].to_numpy(dtype=object).ravel(order="F")  # column after column
        flat = pd.Series(cells, dtype=object).astype("string").str.strip()
        is_marker = (flat.isna().to_numpy()
                     | flat.str.lower().isin(WITHHELD_MARKERS).to_numpy(dtype=bool, na_value=False)).reshape(k, n)
        lead0 = flat.str.fullmatch(r"0\d+").to_numpy(dtype=bool, na_value=False).reshape(k, n) & ~is_marker
        num = _floats(flat).reshape(k, n)
        text_flat = flat.mask(flat == "")
        parsed: dict[int, np.ndarray] = {}
        fallback: list[int] = []
        for j, c in enumerate(block):
            ok = ~is_marker[j]
            idlike = c in key_like or c.upper() in _ID_COLUMNS
            if idlike or lead0[j].any() or not ok.any():
                continue
            v = num[j][ok]
            if np.isnan(v).any():
                fallback.append(j)
            else:
                parsed[j] = v
        if fallback:
            # text, or numbers written the French way: '12,5', '1 234,5', '1.234,5' (thousands dots are only
            # read as such when the column's values all match that pattern and some has a decimal comma)
            sel = np.concatenate([j * n + np.flatnonzero(~is_marker[j]) for j in fallback])
            s2 = flat.iloc[sel].str.replace(r"[\s\u00a0\u202f]", "", regex=True)
            comma = s2.str.contains(",", regex=False).to_numpy(dtype=bool, na_value=False)
            fr_ok = s2.str.fullmatch(_FR_NUM.pattern).to_numpy(dtype=bool, na_value=False)
            num_fr = _floats(s2.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
            num_plain = _floats(s2)
            pos = 0
            for j in fallback:
                m = int((~is_marker[j]).sum())
                part = slice(pos, pos + m)
                pos += m
                if comma[part].any() and fr_ok[part].all():
                    parsed[j] = num_fr[part]
                    decimal_comma = True
                else:
                    parsed[j] = num_plain[part]
        for j, c in enumerate(block):
            ok = ~is_marker[j]
            v = parsed.get(j)
            if v is not None:
                bad = np.isnan(v)
                if bad.any() and len(v) >= 5 and bad.mean() <= 0.2:
                    # mixed types: a numeric column with a few stray texts (a typo, a footnote mark). The
                    # texts become missing values, counted and named, rather than the whole column turning
                    # into text and vanishing from the indicators.
                    example = flat.iloc[j * n + np.flatnonzero(ok)[np.flatnonzero(bad)[0]]]
                    mixed[c] = (int(bad.sum()), str(example)[:20])
                    bad = bad & False
                if not bad.any():
                    col = np.full(n, np.nan, dtype="float64")
                    col[ok] = v
                    out[c] = col
                    n_w = int(is_marker[j].sum())
                    if n_w:
                        withheld[c] = n_w
                    continue
            out[c] = text_flat.array[j * n:(j + 1) * n]
    result = pd.DataFrame(out, index=df.index, columns=names) if names else df.copy()
    result.attrs = dict(raw.attrs)
    if decimal_comma:
        report.details["decimal"] = ","
        report.note("rep.decimal_comma")
    report.details["withheld"] = withheld
    for col, (n_bad, example) in mixed.items():
        report.note("rep.mixed", col=col, n=n_bad, example=example)
    report.details["mixed"] = {k: v[0] for k, v in mixed.items()}
    if withheld:
        total = sum(withheld.values())
        report.note("rep.withheld", n=total, cols=len(withheld))
    return result


_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _csv_frame(data: bytes, report: LoadReport) -> pd.DataFrame:
    dq = f"'{report.source}'"
    lines = data.count(b"\n")
    if lines > _limit("MAX_ROWS") + 1:  # counted before parsing: cheap
        raise ValueError(f"{dq} has {lines:,} lines, over the limit of {_limit_text('MAX_ROWS')} rows; refused. "
                         "Keep only your area or period and load that file")
    text = _decode(data, report)
    if not text.strip():
        raise ValueError(f"'{report.source}' is empty")
    sep = _sniff_sep(text)
    report.details.update({"format": "csv", "separator": sep})
    brk = _LINE_BREAK.search(text)
    first = text[:brk.start()] if brk else text
    header = next(csv.reader(io.StringIO(first), delimiter=sep), [])
    _check_counts(dq, columns=len(header))  # before pandas parses anything
    try:
        try:  # the C parser (fast); the Python parser tolerates more irregular files
            if re.search(r"\r(?!\n)", text):
                raise ValueError("a lone carriage return: the C parser would end the line there")
            # UTF-8 bytes, not a StringIO (4 bytes a character: 800 MB for a 200 MB file); Arrow-backed
            # text columns, not Python objects (a third of the memory on millions of points)
            df = pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=sep, dtype="string[pyarrow]",
                             keep_default_na=False, skipinitialspace=False, engine="c", encoding="utf-8")
        except Exception:  # noqa: BLE001
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=object, keep_default_na=False,
                             skipinitialspace=False, engine="python")
    except Exception as exc:  # noqa: BLE001
        raise ValueError(f"could not parse '{report.source}' as CSV with separator {sep!r}: {exc}") from None
    _check_counts(dq, columns=df.shape[1], rows=len(df))
    if df.shape[1] < 2:
        raise ValueError(f"'{report.source}' has a single column with separator {sep!r}; "
                         "expected ';' or ',' separated values")
    header = [h.strip() for h in header]
    dup = sorted(h for h, k in Counter(header).items() if k > 1 and h)
    if dup:
        raise ValueError(f"column name(s) appear twice in '{report.source}': {dup}; rename them")
    return df


def detect_key(df: pd.DataFrame) -> str | None:
    """The column holding IRIS codes, or ``None`` when none is recognised.

    Examples
    --------
    >>> detect_key(pd.DataFrame({"IRIS": ["593500101"], "TRIRIS": ["593501"]}))
    'IRIS'
    """
    cols = list(df.columns)
    for k in KEY_CANDIDATES:
        c = _find_col(cols, k)
        if c is not None and df[c].astype("string").str.strip().str.fullmatch(r"\w{8,9}").fillna(False).mean() > 0.5:
            return c
    dtypes = list(df.dtypes)
    textual = [i for i, dt in enumerate(dtypes) if dt == object or str(dt).startswith("str")]
    n = len(df)
    width = max(1, _CELLS_PER_BLOCK // max(n, 1))
    for b0 in range(0, len(textual), width):
        pos = textual[b0:b0 + width]
        cells = df.iloc[:, pos].to_numpy(dtype=object).ravel(order="F")
        hit = (pd.Series(cells, dtype=object).astype("string").str.strip().str.fullmatch(_IRIS_RE.pattern)
               .to_numpy(dtype=bool, na_value=False).reshape(len(pos), n))
        share = hit.mean(axis=1) if n else np.zeros(len(pos))
        for j, i in enumerate(pos):
            if share[j] > 0.9:
                return cols[i]
    return None


def read_table(
    src: Source,
    *,
    name: str | None = None,
    key: str | None = None,
    sheet: str | int | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Read an indicator table (CSV, XLSX or a zip holding one) as INSEE writes them.

    Separator, decimal mark, encoding and byte-order mark are detected; an
    unnamed index column written by R is dropped; INSEE's withheld markers
    (``ns``, ``nd``, ``s``, ``nc``, empty) become missing values and are
    counted per column in the report; code columns stay text.

    Parameters
    ----------
    src : path, bytes or file object
    name : str, optional
        Display name (and extension) of the file.
    key : str, optional
        Column holding the unit codes; detected when omitted.
    sheet : str or int, optional
        XLSX sheet (default: the first one holding a key column).

    Returns
    -------
    table : DataFrame
        With ``attrs["key"]`` naming the key column (codes as 9-character strings).
    report : LoadReport

    Examples
    --------
    >>> from lillegeo.demo import DEMO_DIR
    >>> t, rep = read_table(DEMO_DIR / "census.csv")
    >>> t.attrs["key"], rep.details["separator"]
    ('IRIS', ';')
    """
    report = LoadReport(_name_of(src, name), "table")
    _check_local_path(src)
    data = _read_bytes(src)
    lname = report.source.lower()
    if data[:4] == b"PK\x03\x04" and not lname.endswith(".xlsx"):
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
            inner_names = [i.filename for i in zf.infolist() if not i.is_dir()]
        except zipfile.BadZipFile:
            inner_names = []
        if "[Content_Types].xml" in inner_names:  # an XLSX without its extension
            df = _xlsx_frame(data, report, sheet)
        else:
            with tempfile.TemporaryDirectory(prefix="lillegeo-") as tmp:
                files = _safe_extract(data, Path(tmp), report)
                tables = [p for p in files if p.suffix.lower() in (".csv", ".txt", ".xlsx")]
                main = [p for p in tables if not p.name.lower().startswith(("meta", "doc", "var"))]
                if not (main or tables):
                    raise ValueError(f"'{report.source}' holds no CSV or XLSX file; it holds: "
                                     f"{', '.join(p.name for p in files) or 'nothing'}")
                pick = max(main or tables, key=lambda p: p.stat().st_size)
                report.note("rep.zip_read", name=pick.name)
                inner = pick.read_bytes()
                df = _xlsx_frame(inner, report, sheet) if pick.suffix.lower() == ".xlsx" else _csv_frame(inner, report)
    elif lname.endswith((".xlsx", ".xlsm")):
        df = _xlsx_frame(data, report, sheet)
    else:
        if data[:4] == b"PK\x03\x04":
            df = _xlsx_frame(data, report, sheet)
        else:
            df = _csv_frame(data, report)
    if len(df) == 0:
        raise ValueError(f"'{report.source}' has column names but no rows")
    key_like = {key} if key else set()
    key_like |= {c for c in df.columns if str(c).strip() in KEY_CANDIDATES}
    df = _clean_frame(df, report, key_like)
    if key is not None:
        if key not in df.columns:
            raise ValueError(f"key column '{key}' not found; columns are: {', '.join(map(str, df.columns))}")
    else:
        key = detect_key(df)
        if key is None:
            raise SchemaError(
                f"no column of IRIS codes found in '{report.source}'; columns are: "
                f"{', '.join(map(str, df.columns[:40]))}. Pick the code column (in the app, or --key on the "
                "command line).", list(map(str, df.columns)))
    df[key] = _normalise_codes(df[key], report, "key")
    report.details["key"] = key
    report.rows = len(df)
    df.attrs["key"] = key
    return df, report
