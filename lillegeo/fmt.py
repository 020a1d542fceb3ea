"""Numbers as a reader sees them: English ``1,234.5``, French ``1 234,5``; p-values as ``p < 0.001``.

Display only: exports keep exact values. French uses a narrow no-break space (U+202F) between
thousands and a decimal comma, as the Imprimerie nationale's rules and INSEE's publications do.
"""

from __future__ import annotations

import math
from numbers import Real

import pandas as pd

__all__ = ["NNBSP", "fmt_auto", "fmt_cell", "fmt_int", "fmt_interval", "fmt_number", "fmt_p", "fmt_table", "fmt_counts"]

#: narrow no-break space, the French thousands separator
NNBSP = "\u202f"
DASH = "—"


def _finite(x) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(float(x))


def fmt_number(x, lang: str = "en", digits: int = 1) -> str:
    """``x`` with ``digits`` decimals and thousands separators; ``—`` for missing or infinite values.

    Examples
    --------
    >>> fmt_number(1234.5, "en"), fmt_number(1234.5, "fr") == "1\\u202f234,5"
    ('1,234.5', True)
    >>> fmt_number(float("nan")), fmt_number(None), fmt_number(-0.04, "fr", 1)
    ('—', '—', '0,0')
    """
    if x is None or not _finite(x):
        return DASH
    text = f"{float(x):,.{max(0, int(digits))}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def fmt_int(n, lang: str = "en") -> str:
    """A count or a number of people, rounded to a whole number.

    Examples
    --------
    >>> fmt_int(89373.637), fmt_int(89373.637, "fr") == "89\\u202f374"
    ('89,374', True)
    """
    return fmt_number(n, lang, 0)


def fmt_p(p, lang: str = "en", floor: float = 0.001, *, bare: bool = False) -> str:
    """A p-value for reading: ``p < 0.001`` below ``floor``, else three decimals (two significant
    digits when smaller than 0.01 are not needed: the reader compares with 0.05 or 0.01).
    ``bare`` drops the ``p = `` (a table cell under a ``p`` header: ``< 0.001``, ``0.012``).

    Examples
    --------
    >>> fmt_p(4e-25), fmt_p(0.01234), fmt_p(0.5), fmt_p(0.0123, "fr")
    ('p < 0.001', 'p = 0.012', 'p = 0.500', 'p = 0,012')
    >>> fmt_p(float("nan")), fmt_p(0.0, bare=True), fmt_p(0.04, "fr", bare=True)
    ('p = —', '< 0.001', '0,040')
    """
    if p is None or not _finite(p):
        return DASH if bare else f"p = {DASH}"
    if float(p) < floor:
        text = f"< {fmt_number(floor, lang, 3)}"
    else:
        text = fmt_number(p, lang, 3)
    if bare:
        return text
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def fmt_interval(low, high, lang: str = "en", digits: int = 2) -> str:
    """``[low; high]`` in French, ``[low, high]`` in English; ``—`` when a bound is missing.

    Examples
    --------
    >>> fmt_interval(1.234, 2.5), fmt_interval(1.234, 2.5, "fr"), fmt_interval(None, 2)
    ('[1.23, 2.50]', '[1,23 ; 2,50]', '—')
    """
    if low is None or high is None or not (_finite(low) and _finite(high)):
        return DASH
    sep = " ; " if lang == "fr" else ", "
    return f"[{fmt_number(low, lang, digits)}{sep}{fmt_number(high, lang, digits)}]"



def fmt_auto(x, lang: str = "en", digits: int = 2) -> str:
    """A statistic with ``digits`` decimals, or three significant digits when it is smaller than 1
    in size and would read as 0 (a rate ratio of 0.000118 is not ``0.00``).

    Examples
    --------
    >>> fmt_auto(1.34152), fmt_auto(0.000118), fmt_auto(12345.678, "fr") == "12\u202f345,68"
    ('1.34', '0.000118', True)
    >>> fmt_auto(0.0), fmt_auto(-0.0123, digits=3), fmt_auto(float("inf")), fmt_auto(9.997e-5)
    ('0.00', '-0.012', '—', '0.000100')
    """
    if x is None or not _finite(x):
        return DASH
    v = abs(float(f"{float(x):.3g}"))  # rounded first: 9.997e-5 reads 0.000100, not 0.0001000
    if 0 < v < 10 ** -digits:
        digits = min(12, 2 - math.floor(math.log10(v)))
    return fmt_number(x, lang, digits)
def fmt_cell(v, lang: str = "en", digits: int = 3) -> str:
    """One cell of a table as a reader sees it: text as is, whole numbers with thousands separators,
    other numbers with ``digits`` decimals, ``—`` for a missing value.

    Examples
    --------
    >>> fmt_cell(374), fmt_cell(12345.0, "fr") == "12\\u202f345", fmt_cell(58.5578, "fr"), fmt_cell("queen")
    ('374', True, '58,558', 'queen')
    >>> fmt_cell(None), fmt_cell(True, "fr"), fmt_cell(float("nan"))
    ('—', 'True', '—')
    """
    if isinstance(v, str):
        return v
    if v is None or str(v) in ("<NA>", "NaT"):
        return DASH
    if isinstance(v, bool) or not isinstance(v, Real):
        return str(v)
    if not _finite(v):
        return DASH
    if float(v) == int(float(v)) and abs(float(v)) < 1e15:
        return fmt_number(v, lang, 0)
    return fmt_number(v, lang, digits)


def fmt_table(df, lang: str = "en", digits: int = 2, whole: tuple[str, ...] = ("numerator", "denominator")):
    """A copy of ``df`` for display: number columns written as the reader writes numbers (``whole``
    columns, counts of people, rounded to whole numbers); text and true/false columns unchanged.
    Display only: exports keep the exact values.

    Examples
    --------
    >>> import pandas as pd
    >>> fmt_table(pd.DataFrame({"value": [58.5578, None], "numerator": [89373.637, 3.0], "unit_id": ["1", "2"]}),
    ...           "fr").to_numpy().tolist()
    [['58,56', '89\\u202f374', '1'], ['', '3', '2']]
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            continue
        d = 0 if col in whole else digits
        out[col] = ["" if pd.isna(v) else fmt_number(v, lang, d) if d == 0 else fmt_cell(v, lang, d)
                    for v in s.tolist()]  # a missing (withheld) cell stays blank
    return out


def fmt_counts(counts: dict, lang: str = "en") -> dict[str, str]:
    """Every count of a partition (shown, withheld, ...) as a reader sees it.

    Examples
    --------
    >>> fmt_counts({"shown": 1234, "withheld": 5}, "fr") == {"shown": "1\u202f234", "withheld": "5"}
    True
    """
    return {k: fmt_int(v, lang) for k, v in counts.items()}
