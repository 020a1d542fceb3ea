"""Tables as a reader sees them: translated headers, locale numbers, ``p < 0.001``, whole people.

Display only: the pages show :func:`readable` of a table and download the table itself (exact
values, machine column names). One rule for every table of the Hotspots and Equity pages, so a
p-value, an interval bound or a number of people reads the same everywhere.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .fmt import DASH, fmt_auto, fmt_int, fmt_p
from .i18n import COLUMN_LABELS_FR, STRINGS, t

__all__ = ["readable", "header", "model_table", "P_COLUMNS", "PEOPLE_COLUMNS", "COUNT_COLUMNS", "DIGITS"]

#: Columns holding p-values: ``p < 0.001`` below 0.001, else three decimals.
P_COLUMNS = frozenset({"p", "p_value", "p_sim", "moran_p", "pvalue"})
#: Columns holding numbers of people (weighted sums of residents): whole numbers.
PEOPLE_COLUMNS = frozenset({"people", "population", "residents"})
#: Counts (float when some are withheld): whole numbers, ``—`` when withheld.
COUNT_COLUMNS = frozenset({"units", "n_units", "hotspot_units", "hot_units", "incidents", "clusters", "cluster",
                           "n1", "N1", "n2", "N2", "stops", "hits", "rows", "value_count"})
#: Decimals per statistic (others: two, or three significant digits when smaller).
DIGITS = {"exposure": 1, "coef": 3, "statistic": 3, "z": 2, "hit_rate_1": 3, "hit_rate_2": 3, "hit_rate": 3,
          "pai_1": 1, "pai_2": 1, "area_share": 3, "clustered_share": 3, "jaccard": 2, "area_m2": 0,
          "density_per_km2": 0}


def header(column, lang: str = "en") -> str:
    """A column's header in ``lang``: ``col.<name>`` (or ``column:<name>``) of :mod:`lillegeo.i18n`, else the French
    table of technical names, else the name itself (a data column such as ``P21_POP``).

    Examples
    --------
    >>> header("ci_low"), header("ci_low", "fr"), header("P21_POP_IMM", "fr")
    ('95 % CI low', 'IC 95 % bas', 'P21_POP_IMM')
    """
    name = str(column)
    for key in (f"col.{name}", f"column:{name}"):  # the tables' headers, then the record's and report's
        if key in STRINGS:
            return t(key, lang)
    return COLUMN_LABELS_FR.get(name, name) if lang == "fr" else name


def _cell(column: str, value, lang: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return DASH
    if isinstance(value, (bool, np.bool_)):
        return t("col.yes" if value else "col.no", lang)
    if column == "dominant_categories" and lang == "fr":  # "vol 35%, other 33%" -> "vol 35 %, autres 33 %"
        return re.sub(r"(\d+)%", "\\1\u00a0%", re.sub(r"\bother (\d+%)$", r"autres \1", str(value)))
    if not isinstance(value, (int, float, np.integer, np.floating)):
        return t(f"value:{value}", lang) if f"value:{value}" in STRINGS else str(value)  # a kind: model, units
    if column in P_COLUMNS:
        return fmt_p(value, lang, bare=True)
    if column in PEOPLE_COLUMNS or column in COUNT_COLUMNS or isinstance(value, (int, np.integer)):
        return fmt_int(value, lang)
    return fmt_auto(value, lang, DIGITS.get(column, 2))


def readable(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A copy of ``df`` for display: every number as text in ``lang`` (``1,234.5`` / ``1 234,5``),
    p-values as ``< 0.001`` or ``0.012``, people and counts as whole numbers, missing values and
    the reference row's interval as ``—``, yes/no for flags, headers translated (:func:`header`).
    A text index (a model's terms) becomes the first column ``term``, its values translated too; row
    numbers are dropped.

    Examples
    --------
    >>> df = pd.DataFrame({"people": [89373.637, 682124.6], "ratio": [2.12487, 1.0], "ci_low": [1.7994, None],
    ...                    "p_value": [4e-25, 0.01234], "flag": [True, False]})
    >>> readable(df).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'people': ['89,374', '682,125'], 'ratio': ['2.12', '1.00'], '95 % CI low': ['1.80', '—'],
     'p': ['< 0.001', '0.012'], 'flagged': ['yes', 'no']}
    >>> readable(df, "fr")["IC 95 % bas"].tolist(), readable(df, "fr")["personnes"].tolist() == ["89\\u202f374", "682\\u202f125"]
    (['1,80', '—'], True)
    """
    out = df.reset_index(drop=True) if pd.api.types.is_integer_dtype(df.index) else df  # row numbers
    if not isinstance(out.index, pd.RangeIndex):
        name = out.index.name or "term"
        out = out.reset_index(names=name)
        out[name] = [header(v, lang) for v in out[name]]  # a model's terms: "share_10pp" -> readable
    cells = {c: [header(v, lang) if c == "term" else _cell(str(c), v, lang) for v in out[c].tolist()]
             for c in out.columns}
    shown = pd.DataFrame(cells, index=pd.RangeIndex(len(out)), columns=list(out.columns))
    return shown.rename(columns={c: header(c, lang) for c in out.columns})


def model_table(model) -> pd.DataFrame:
    """The benchmark model's coefficients (one row per term: coefficient, rate ratio, its interval,
    p-value) with ``n_units``, the number of units the model used, on every row.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> params = pd.DataFrame({"coef": [-9.0, 0.29], "p_value": [0.0, 4e-23]}, index=["const", "share_10pp"])
    >>> model_table(SimpleNamespace(params=params, n_units=374)).to_dict("list")
    {'term': ['const', 'share_10pp'], 'coef': [-9.0, 0.29], 'p_value': [0.0, 4e-23], 'n_units': [374, 374]}
    """
    table = model.params.reset_index(names="term")
    return table.assign(n_units=int(model.n_units))
