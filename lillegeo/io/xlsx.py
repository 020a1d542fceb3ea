"""XLSX workbooks from untrusted sources: a pre-check before openpyxl (a valid zip, a bounded expanded size,
no DOCTYPE or entity declaration in any XML part), parser errors turned into one line, and INSEE's
layout (title lines above the header row, the data on the sheet holding a key column)."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile

import numpy as np
import pandas as pd

from .archives import MAX_UNZIPPED_MB
from .base import KEY_CANDIDATES, LoadReport
from .guard import _check_counts, _Refused

_XML_PARTS = (".xml", ".rels", ".vml")


def _xml_prolog_problem(stream) -> str | None:
    """What is unsafe in the prolog of an XML part (a DOCTYPE or entity declaration), or None."""
    buf = b""
    while len(buf) < 1 << 20:
        chunk = stream.read(65536)
        if not chunk:
            break
        buf += chunk
        if buf[:2] == b"\xff\xfe" or buf[:2] == b"<\x00":
            txt = buf.decode("utf-16-le", "ignore")
        elif buf[:2] == b"\xfe\xff" or buf[:2] == b"\x00<":
            txt = buf.decode("utf-16-be", "ignore")
        else:
            txt = buf.decode("latin-1")
        clean = re.sub(r"<!--.*?-->|<\?.*?\?>", "", txt, flags=re.DOTALL)  # comments and processing instructions
        root = re.search(r"<[A-Za-z_]", clean)
        prolog = clean[:root.start()] if root else clean
        if re.search(r"<!\s*(DOCTYPE|ENTITY)", prolog, re.IGNORECASE):
            return "a DOCTYPE / XML entity declaration"
        if root and "<!--" not in prolog and "<?" not in prolog:
            return None
    return None if len(buf) < 1 << 20 else "an XML part with no element in its first megabyte"


def _xlsx_precheck(data: bytes, name: str) -> None:
    """Before openpyxl: a valid zip, a bounded size, no DOCTYPE or entity in any XML part."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _Refused(f"could not open '{name}' as an XLSX workbook (not a valid zip archive: {exc})") from None
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_MB * 2**20:
            raise _Refused(f"'{name}' would expand to {total / 2**20:,.0f} MB, over the {MAX_UNZIPPED_MB} MB "
                           "limit; refused as a possible zip bomb")
        for info in infos:
            if not info.filename.lower().endswith(_XML_PARTS):
                continue
            try:
                with zf.open(info) as f:
                    problem = _xml_prolog_problem(f)
            except Exception as exc:  # noqa: BLE001 - a damaged member
                raise _Refused(f"could not open '{name}' as an XLSX workbook (damaged part "
                               f"'{info.filename}': {str(exc).splitlines()[0][:120] if str(exc) else exc!r})") from None
            if problem:
                raise _Refused(f"could not open '{name}' as an XLSX workbook (it contains {problem}, refused)")


def _xlsx_frame(data: bytes, report: LoadReport, sheet: str | int | None) -> pd.DataFrame:
    _xlsx_precheck(data, report.source)
    try:
        return _xlsx_parse(data, report, sheet)
    except _Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - every parser error becomes one line
        chain, e = [], exc
        while e is not None and len(chain) < 10:
            chain.append(e)
            e = e.__cause__ or e.__context__
        if any(type(e).__module__.startswith("defusedxml") for e in chain):
            raise ValueError(f"could not open '{report.source}' as an XLSX workbook (it contains a DOCTYPE / "
                             "XML entity declaration, refused)") from None
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        detail = re.sub(re.escape(tempfile.gettempdir().rstrip("/")) + r"/\S*", "<temporary file>", detail)
        raise ValueError(f"could not open '{report.source}' as an XLSX workbook ({detail})") from None


def _xlsx_parse(data: bytes, report: LoadReport, sheet: str | int | None) -> pd.DataFrame:
    xl = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    sheets = xl.sheet_names
    if sheet is None:
        # INSEE workbooks: data on the first sheet whose header row holds a key column
        sheet = sheets[0]
        for sh in sheets:
            head = xl.parse(sh, header=None, nrows=15, dtype=str)
            if head.isin(KEY_CANDIDATES).any().any():
                sheet = sh
                break
    elif sheet not in sheets and not isinstance(sheet, int):
        raise _Refused(f"sheet '{sheet}' not found; sheets are: {', '.join(sheets)}")
    raw = xl.parse(sheet, header=None, dtype=str)
    _check_counts(f"'{report.source}'", columns=raw.shape[1], rows=max(0, raw.shape[0] - 1))
    hdr = None
    for i in range(min(30, len(raw))):
        row = raw.iloc[i].astype(str).str.strip().tolist()
        if any(v in KEY_CANDIDATES for v in row):
            hdr = i
            break
    if hdr is None:  # first row with as many filled cells as the widest row
        filled = raw.notna().sum(axis=1)
        hdr = int(np.argmax(filled.to_numpy() >= filled.max()))
    if hdr:
        report.note("rep.title_lines", n=hdr, sheet=sheet)
    report.details.update({"format": "xlsx", "sheet": str(sheet), "header_row": hdr + 1})
    df = raw.iloc[hdr + 1:].copy()
    df.columns = [str(c) if pd.notna(c) else f"column_{j}" for j, c in enumerate(raw.iloc[hdr])]
    df = df.dropna(how="all").reset_index(drop=True)
    return df
