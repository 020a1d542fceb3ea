"""Disparity map layers: bivariate classes of crime and enforcement rates, and classes of observed /
expected enforcement (the benchmark model's residual)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import t

__all__ = ["BIVARIATE", "bivariate_classes", "bivariate_names", "residual_classes"]

#: 3 x 3 bivariate palette (Joshua Stevens' blue-pink, distinguishable with common colour-vision deficiencies):
#: BIVARIATE[row][col]: row = enforcement tercile (0 low), col = crime tercile (0 low)
BIVARIATE = [["#e8e8e8", "#b0d5df", "#64acbe"],
             ["#e4acac", "#ad9ea5", "#627f8c"],
             ["#c85a5a", "#985356", "#574249"]]


def bivariate_classes(x: pd.Series, y: pd.Series) -> tuple[pd.Series, dict[str, str]]:
    """Tercile classes of two indicators (x: crime rate, y: enforcement rate) as labels 'x{i}y{j}'.

    Returns the label per unit ('' where a value is missing) and the colour of each label.

    Examples
    --------
    >>> lab, cols = bivariate_classes(pd.Series([1.0, 2, 3, 4, 5, 6]), pd.Series([6.0, 5, 4, 3, 2, 1]))
    >>> lab.tolist()
    ['x0y2', 'x0y2', 'x1y1', 'x1y1', 'x2y0', 'x2y0']
    """
    import mapclassify

    def terciles(s: pd.Series) -> pd.Series:
        out = pd.Series(-1, index=s.index)
        ok = s.notna()
        if ok.sum() >= 3:
            out[ok] = mapclassify.Quantiles(s[ok].to_numpy(float), k=3).yb
        return out

    xi, yi = terciles(pd.to_numeric(x, errors="coerce")), terciles(pd.to_numeric(y, errors="coerce"))
    labels = pd.Series([f"x{a}y{b}" if a >= 0 and b >= 0 else "" for a, b in zip(xi, yi)], index=x.index)
    colors = {f"x{a}y{b}": BIVARIATE[b][a] for b in range(3) for a in range(3)}
    return labels, colors


def bivariate_names(lang: str = "en") -> dict[str, str]:
    """Readable name of each bivariate class code ('x2y0' -> 'crime high, checks low')."""
    lv = [t(f"eq.level.{i}", lang) for i in range(3)]
    return {f"x{a}y{b}": t("eq.biv.cell", lang, x=lv[a], y=lv[b]) for b in range(3) for a in range(3)}


def residual_classes(ratio: pd.Series, lang: str = "en") -> tuple[pd.Series, dict[str, str]]:
    """Observed / expected enforcement in five classes with a diverging, colour-blind-safe palette."""
    more, less, same = t("eq.res.more", lang), t("eq.res.less", lang), t("eq.res.as", lang)
    bins = [(0, 0.67, f"< 0.67 ({less})", "#2166ac"), (0.67, 0.9, f"0.67 – 0.9 ({less})", "#92c5de"),
            (0.9, 1.11, f"0.9 – 1.1 ({same})", "#f7f7f7"), (1.11, 1.5, f"1.1 – 1.5 ({more})", "#f4a582"),
            (1.5, np.inf, f"> 1.5 ({more})", "#b2182b")]
    r = pd.to_numeric(ratio, errors="coerce")
    labels = pd.Series("", index=r.index, dtype=object)
    for lo, hi, lab, _ in bins:
        labels[(r >= lo) & (r < hi)] = lab
    return labels, {lab: col for _, _, lab, col in bins}
