"""The stop-level outcome test in plain words (the Equity page's sentence under the hit-rate table)."""

from __future__ import annotations

import pandas as pd

from ..fmt import NNBSP, fmt_int, fmt_interval, fmt_number
from ..i18n import t

__all__ = ["outcome_sentence"]


def _pct(x: float, lang: str) -> str:
    return fmt_number(100 * x, lang, 1) + (NNBSP + "%" if lang == "fr" else " %")


def outcome_sentence(table: pd.DataFrame | None, lang: str = "en") -> str | None:
    """The lowest and highest hit rates of :func:`~lillegeo.equity.outcome_test`'s table, with their
    intervals and numbers of checks, and what a gap means; ``None`` with fewer than two groups shown.

    Withheld groups (under the disclosure threshold) are left out. The intervals are read as
    apart when they do not overlap.

    Examples
    --------
    >>> tab = pd.DataFrame({"group": ["a", "b"], "stops": [1000, 500], "hits": [120, 40],
    ...                     "hit_rate": [0.12, 0.08], "ci_low": [0.101, 0.059], "ci_high": [0.142, 0.107],
    ...                     "withheld": [False, False]})
    >>> print(outcome_sentence(tab))  # doctest: +NORMALIZE_WHITESPACE
    Checks of group “b” found something in 8.0 % of 500 checks (95 % interval [5.9, 10.7] %), against
    12.0 % of 1,000 for group “a” ([10.1, 14.2] %). The intervals overlap: these checks show no clear
    difference in hit rate.
    """
    if table is None or table.empty:
        return None
    shown = table[~table["withheld"].astype(bool)].sort_values("hit_rate")
    if len(shown) < 2:
        return None
    low, high = shown.iloc[0], shown.iloc[-1]
    text = t("eq.outcome_sentence", lang, low=low["group"], high=high["group"],
             r_low=_pct(low["hit_rate"], lang), r_high=_pct(high["hit_rate"], lang),
             n_low=fmt_int(low["stops"], lang), n_high=fmt_int(high["stops"], lang),
             ci_low=fmt_interval(100 * low["ci_low"], 100 * low["ci_high"], lang, 1),
             ci_high=fmt_interval(100 * high["ci_low"], 100 * high["ci_high"], lang, 1))
    apart = low["ci_high"] < high["ci_low"]
    return text + " " + t("eq.outcome_apart" if apart else "eq.outcome_overlap", lang, low=low["group"])
