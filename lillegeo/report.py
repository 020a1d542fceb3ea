"""Exports: static maps (PNG, PDF) with legend, scale bar, north arrow, title and caption; safe
tables (CSV, XLSX: small counts withheld by the caller, formulas neutralised); the HTML and PDF
report of an analysis."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .document import report_html, report_pdf
from .i18n import t
from .maps import WITHHELD_STYLE

#: Withheld units on paper: the withheld grey under a dark hatch (told apart from every class in print
#: and without colour vision).
WITHHELD_HATCH = "///"

__all__ = [
    "categorical_static_map",
    "export_name",
    "fmt_number",
    "indicator_static_map",
    "mark_synthetic",
    "neutralise_formulas",
    "report_html",
    "report_pdf",
    "static_map",
    "table_bytes",
    "write_table",
]

#: What makes a spreadsheet cell a formula (OWASP "CSV injection"): checked after leading whitespace.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def fmt_number(v: Any, lang: str = "en", digits: int = 2) -> str:
    """Numbers as a reader of ``lang`` writes them: 1,234.5 in English, 1 234,5 in French.

    Examples
    --------
    >>> fmt_number(1234.5, "fr", 1)
    '1\\u202f234,5'
    """
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(v)
    if isinstance(v, (int, np.integer)):
        s = f"{int(v):,}"
    elif isinstance(v, (float, np.floating)):
        s = f"{float(v):,.{digits}f}"
    else:
        return str(v)
    return s.replace(",", "\u202f").replace(".", ",") if lang == "fr" else s


def _neutral(v: Any) -> Any:
    """One cell or header: text a spreadsheet could run (``=``, ``+``, ``-``, ``@``, tab, CR, LF first,
    also after leading whitespace) gets a leading quote, as OWASP advises; numbers are not text."""
    if isinstance(v, str) and (v.startswith(FORMULA_START) or v.lstrip().startswith(FORMULA_START)):
        return "'" + v
    return v


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` where text cells and column names that a spreadsheet would run as a formula
    (starting with ``=``, ``+``, ``-``, ``@``, tab, carriage return or line feed, also after leading
    whitespace) are prefixed with a quote (OWASP, "CSV injection"). Numbers stay numbers; a number
    written as text with a sign (``"-3"``) is text, and quoted like any other.

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"a": ["=1+1", " @SUM(A1)", "ok", -3, "-3"]}))["a"].tolist()
    ["'=1+1", "' @SUM(A1)", 'ok', -3, "'-3"]
    """
    out = pd.DataFrame(df).copy()
    for c in out.columns:
        col = out[c]
        if isinstance(col, pd.DataFrame):  # duplicated column names: fixed by position below
            continue
        if isinstance(col.dtype, pd.CategoricalDtype) or not (pd.api.types.is_numeric_dtype(col.dtype)
                                                              or pd.api.types.is_datetime64_any_dtype(col.dtype)
                                                              or isinstance(col.dtype, pd.PeriodDtype)):
            if isinstance(col.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(col.dtype):
                col = col.astype(object)
            out[c] = col.map(_neutral)
    if out.columns.duplicated().any():
        for i in range(out.shape[1]):
            if not pd.api.types.is_numeric_dtype(out.iloc[:, i].dtype):
                out.isetitem(i, out.iloc[:, i].astype(object).map(_neutral))
    out.columns = [_neutral(c if isinstance(c, str) else (" ".join(map(str, c)) if isinstance(c, tuple) else str(c)))
                   for c in out.columns]
    return out


class _Bare(float):
    """Text the CSV writer leaves unquoted (it is a number to the ``csv`` module): formatted numbers
    and empty cells. Text cells are quoted."""

    __slots__ = ("text",)

    def __new__(cls, text: str):
        obj = float.__new__(cls, 0.0)
        obj.text = text
        return obj

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


_EMPTY = _Bare("")


def _fmt_float(v: float, float_format: str | None) -> str:
    return float_format % v if float_format else repr(float(v))


def _csv_cells(col: pd.Series, float_format: str | None) -> list:
    """One column as CSV cells: numbers and blanks bare, text quoted (pandas' number formats)."""
    na = col.isna().to_numpy()
    if pd.api.types.is_bool_dtype(col.dtype):
        return [_EMPTY if m else _Bare(str(bool(v))) for v, m in zip(col.to_numpy(dtype=object), na)]
    if pd.api.types.is_integer_dtype(col.dtype):
        return [_EMPTY if m else _Bare(str(int(v))) for v, m in zip(col.to_numpy(dtype=object), na)]
    if pd.api.types.is_float_dtype(col.dtype):
        return [_EMPTY if m else _Bare(_fmt_float(v, float_format)) for v, m in zip(col.to_numpy(dtype=object), na)]
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        text = col.astype(object).map(lambda v: v.isoformat(sep=" ") if hasattr(v, "isoformat") else v)
        if (col.dropna().dt.normalize() == col.dropna()).all():  # dates only, as pandas writes them
            text = col.dt.strftime("%Y-%m-%d")
        return [_EMPTY if m else str(v) for v, m in zip(text.to_numpy(dtype=object), na)]
    out = []
    for v, m in zip(col.to_numpy(dtype=object), na if na.ndim == 1 else [False] * len(col)):
        if m or v is None:
            out.append(_EMPTY)
        elif isinstance(v, str):
            out.append(v)
        elif isinstance(v, (bool, np.bool_)):
            out.append(_Bare(str(bool(v))))
        elif isinstance(v, (int, np.integer)):
            out.append(_Bare(str(int(v))))
        elif isinstance(v, (float, np.floating)):
            out.append(_Bare(_fmt_float(v, float_format)))
        else:
            out.append(_neutral(str(v)))
    return out


def write_table(df: pd.DataFrame, dest: Any = None, fmt: str | None = None, *, sheet: str = "data",
                float_format: str | None = "%.10g", sep: str = ",") -> bytes:
    """The one writer of every CSV and XLSX that lillegeo produces (app downloads, command line, recipe
    runs): formulas neutralised in cells and headers (:func:`neutralise_formulas`), text fields
    quoted in CSV (a spreadsheet splitting on another separator cannot start a cell inside one), the
    geometry column left out. Apply disclosure control before.

    Parameters
    ----------
    df : DataFrame
    dest : path or binary file object, optional
        Where to write; the bytes are returned in every case.
    fmt : {"csv", "xlsx"}, optional
        Default: from the suffix of ``dest`` (``.xlsx``), else CSV.
    float_format : str or None
        CSV float format (``None``: full precision).
    sep : str
        CSV separator.

    Returns
    -------
    bytes
        UTF-8 CSV with ``\\n`` line ends, or an XLSX workbook.
    """
    import csv

    if fmt is None:
        suffix = Path(str(dest)).suffix.lower() if isinstance(dest, (str, Path)) else ""
        fmt = "xlsx" if suffix == ".xlsx" else "csv"
    geo = [df.geometry.name] if isinstance(df, gpd.GeoDataFrame) and df._geometry_column_name in df else []
    safe = neutralise_formulas(pd.DataFrame(df).drop(columns=["geometry", *geo], errors="ignore"))
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=sep, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        w.writerow([str(c) for c in safe.columns])
        w.writerows(zip(*(_csv_cells(safe.iloc[:, i], float_format) for i in range(safe.shape[1]))))
        data = buf.getvalue().encode("utf-8")
    elif fmt == "xlsx":
        for i in range(safe.shape[1]):  # characters openpyxl refuses in a cell
            if not pd.api.types.is_numeric_dtype(safe.iloc[:, i].dtype):
                safe.isetitem(i, safe.iloc[:, i].map(lambda v: _XLSX_ILLEGAL.sub("", v) if isinstance(v, str) else v))
        safe.columns = [_XLSX_ILLEGAL.sub("", str(c)) for c in safe.columns]
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xl:
            safe.to_excel(xl, sheet_name=sheet[:31], index=False)
        data = buf.getvalue()
    else:
        raise ValueError(f"fmt must be 'csv' or 'xlsx'; got {fmt!r}")
    if dest is not None:
        if hasattr(dest, "write"):
            dest.write(data)
        else:
            Path(dest).write_bytes(data)
    return data


def mark_synthetic(df: pd.DataFrame, demo: bool, lang: str = "en") -> pd.DataFrame:
    """``df`` with a last column ``data`` giving the synthetic-data mark on every row of a demo table
    (``df`` itself otherwise): a table of the demo cannot be passed off as real once downloaded.

    Examples
    --------
    >>> mark_synthetic(pd.DataFrame({"a": [1]}), True)["data"].tolist()
    ['Synthetic demo data']
    """
    return df.assign(data=t("demo.badge", lang)) if demo else df


def export_name(name: str, demo: bool) -> str:
    """The file name of an export: ``synthetic_demo_<name>`` on the demo.

    Examples
    --------
    >>> export_name("hotspots.csv", True)
    'synthetic_demo_hotspots.csv'
    """
    return f"synthetic_demo_{name}" if demo and not name.startswith("synthetic_demo_") else name


def table_bytes(df: pd.DataFrame, fmt: str = "csv", *, sheet: str = "data") -> bytes:
    """A table as CSV or XLSX bytes through :func:`write_table` (formulas neutralised; apply
    disclosure control before).

    CSV output is deterministic: UTF-8, ``\\n`` line ends, floats with 10 significant digits.
    """
    return write_table(df, None, fmt, sheet=sheet)


def _nice_length(metres: float) -> float:
    exp = 10 ** np.floor(np.log10(metres))
    for m in (5, 2, 1):
        if m * exp <= metres:
            return m * exp
    return exp


def static_map(units: gpd.GeoDataFrame, colors: pd.Series, legend: list[tuple[str, str]], *, title: str,
               caption: str, demo: bool = False, lang: str = "en", overlay: gpd.GeoDataFrame | None = None,
               hulls: gpd.GeoDataFrame | None = None, png: str | Path | None = None,
               pdf: str | Path | None = None, dpi: int = 150) -> bytes:
    """A print-ready map: units filled with ``colors`` (hex per unit), legend, scale bar, north arrow,
    title, source/date caption and the synthetic-data mark.

    Parameters
    ----------
    units : GeoDataFrame in EPSG:2154 (metres) or planar.
    colors : Series of hex colours aligned with ``units`` ('' for no fill).
    legend : list of (colour, label)
    png, pdf : path, optional
        Files to write (PDF is vector).

    Returns
    -------
    bytes
        The PNG image.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(11.7, 8.3))  # A4 landscape
    fill = [c if c else "none" for c in pd.Series(colors, index=units.index).fillna("")]
    grey = WITHHELD_STYLE["fillColor"]
    hidden = np.array([c == grey for c in fill], dtype=bool)
    if (~hidden).any():
        units[~hidden].plot(ax=ax, color=[c for c, h in zip(fill, hidden) if not h], edgecolor="#555555",
                            linewidth=0.25)
    if hidden.any():
        units[hidden].plot(ax=ax, facecolor=grey, edgecolor=WITHHELD_STYLE["color"], hatch=WITHHELD_HATCH,
                           linewidth=0.4)
    if "commune_id" in units.columns and units["commune_id"].nunique() > 1:
        units.dissolve("commune_id").boundary.plot(ax=ax, color="#111111", linewidth=0.8)
    if overlay is not None and len(overlay):
        overlay.to_crs(units.crs).boundary.plot(ax=ax, color="#c2185b", linewidth=1.4, linestyle="--")
    if hulls is not None and len(hulls):
        hulls.to_crs(units.crs).plot(ax=ax, facecolor="#e6610122", edgecolor="#e66101", linewidth=1.2)
    ax.set_axis_off()
    ax.set_aspect("equal")
    minx, miny, maxx, maxy = units.total_bounds
    # scale bar (metres in Lambert-93)
    length = _nice_length((maxx - minx) / 5)
    x0, y0 = minx + (maxx - minx) * 0.03, miny + (maxy - miny) * 0.03
    ax.plot([x0, x0 + length], [y0, y0], color="black", linewidth=3, solid_capstyle="butt")
    ax.text(x0 + length / 2, y0 + (maxy - miny) * 0.012, f"{fmt_number(length / 1000, lang, 0 if length >= 1000 else 1)} km",
            ha="center", va="bottom", fontsize=9, parse_math=False)
    # north arrow (Lambert-93 grid north is close to true north over a city)
    ax.annotate("N", xy=(0.96, 0.93), xytext=(0.96, 0.84), xycoords="axes fraction", ha="center", va="center",
                fontsize=12, fontweight="bold", arrowprops=dict(facecolor="black", width=4, headwidth=12))
    handles = [Patch(facecolor=grey, edgecolor=WITHHELD_STYLE["color"], hatch=WITHHELD_HATCH, label=lab) if c == grey
               else Patch(facecolor=c if c else "white", edgecolor="#555555", label=lab) for c, lab in legend]
    if overlay is not None and len(overlay):  # every line drawn has its legend entry
        handles.append(Line2D([], [], color="#c2185b", linewidth=1.4, linestyle="--", label=t("map.overlay", lang)))
    if hulls is not None and len(hulls):
        handles.append(Patch(facecolor="#e6610122", edgecolor="#e66101", label=t("map.hulls", lang)))
    if handles:
        leg = ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=True, framealpha=0.95)
        for label in leg.get_texts():  # user text (categories, column names) is drawn literally
            label.set_parse_math(False)
    # parse_math=False everywhere user text is drawn: "$\\foo$" or "$" and thousands of "{" in a name
    # would be parsed as mathtext (an error, or a RecursionError) instead of drawn as written
    fig.suptitle(title, fontsize=15, fontweight="bold", x=0.02, ha="left", parse_math=False)
    fig.text(0.02, 0.015, caption, fontsize=8, color="#333333", ha="left", parse_math=False)
    if demo:
        fig.text(0.98, 0.015, t("demo.badge", lang), fontsize=10, color="white", ha="right", fontweight="bold",
                 parse_math=False,
                 bbox=dict(facecolor="#7a2e00", edgecolor="none", pad=4))
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    if png is not None:
        if hasattr(png, "write"):
            png.write(buf.getvalue())
        else:
            Path(png).write_bytes(buf.getvalue())
    if pdf is not None:
        fig.savefig(pdf, format="pdf", metadata={"CreationDate": None, "Creator": None, "Producer": None})
    plt.close(fig)
    return buf.getvalue()


def indicator_static_map(units: gpd.GeoDataFrame, ind, *, scheme: str = "quantiles", k: int = 5,
                         breaks: list[float] | None = None, palette: str = "YlGnBu", title: str | None = None, caption: str = "", demo: bool = False,
                         lang: str = "en", overlay: gpd.GeoDataFrame | None = None,
                         png: Any = None, pdf: Any = None) -> bytes:
    """Static map of an indicator (classes as on the interactive map, withheld cells grey).

    ``png`` / ``pdf`` may be paths or binary file objects; the PNG bytes are returned.
    """
    from .maps import WITHHELD_STYLE, classify, palette_colors

    vals = ind.values
    colors = pd.Series("", index=units.index)
    legend = []
    if vals.notna().any():
        c = classify(vals.dropna(), scheme, k, breaks)
        pal = palette_colors(palette, len(c.bins))
        colors[vals.notna()] = [pal[i] for i in c.yb]
        lo = float(vals.min())
        for i, b in enumerate(c.bins):
            legend.append((pal[i], f"{fmt_number(lo, lang, 1)} – {fmt_number(float(b), lang, 1)}"))
            lo = float(b)
    grey = WITHHELD_STYLE["fillColor"]
    colors[ind.withheld] = grey
    legend.append((grey, f"{t('legend.withheld', lang, threshold=ind.threshold)} ({fmt_number(ind.n_withheld, lang)})"))
    if ind.excluded.any():
        legend.append(("", t("legend.excluded", lang)))
    return static_map(units, colors, legend, title=title or ind.label, caption=caption, demo=demo, lang=lang,
                      overlay=overlay, png=png, pdf=pdf)


def categorical_static_map(units: gpd.GeoDataFrame, labels: pd.Series, colors: dict[str, str], *, title: str,
                           caption: str = "", demo: bool = False, lang: str = "en",
                           overlay: gpd.GeoDataFrame | None = None, hulls: gpd.GeoDataFrame | None = None,
                           png: Any = None, pdf: Any = None) -> bytes:
    """Static map of categories (hot/cold spots, types, bivariate classes): the legend lists the
    categories present, in the order of ``colors``, each with its number of units; a category
    coloured ``WITHHELD_STYLE["fillColor"]`` is drawn hatched."""
    lab = [("" if pd.isna(v) else str(v)) for v in pd.Series(labels, index=units.index)]
    n = pd.Series(lab).value_counts()
    legend = [(col, f"{name} ({fmt_number(int(n[name]), lang)})") for name, col in colors.items() if name in n]
    fills = pd.Series([colors.get(v, "") for v in lab], index=units.index, dtype=object)
    return static_map(units, fills, legend, title=title, caption=caption, demo=demo, lang=lang,
                      overlay=overlay, hulls=hulls, png=png, pdf=pdf)
