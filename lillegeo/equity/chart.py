"""The sensitivity curve as a chart a reader can read in French or English (Altair, shipped with Streamlit)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..fmt import NNBSP
from ..i18n import t

__all__ = ["sensitivity_chart"]


def sensitivity_chart(curve: pd.DataFrame, lang: str = "en", height: int = 240) -> alt.LayerChart:
    """The corrected rate ratio (line) and its 95 % interval (band) against the recording gradient, with
    the line of no difference (rate ratio 1); every title and tooltip in ``lang``.

    Examples
    --------
    >>> c = sensitivity_chart(pd.DataFrame({"gradient_pct": [0, 5], "rate_ratio": [1.3, 1.1],
    ...                                     "ci_low": [1.2, 1.0], "ci_high": [1.4, 1.2]}), "fr")
    >>> "value" in c.to_json(), c.to_dict()["config"]["locale"]["number"]["decimal"]
    (False, ',')
    """
    x_title, y_title = t("eq.sensitivity_x", lang), t("eq.rate_ratio", lang)
    names = {"gradient_pct": x_title, "rate_ratio": y_title, "ci_low": t("col.ci_low", lang),
             "ci_high": t("col.ci_high", lang)}
    data = curve[list(names)]  # plain field names (no ':' or '.' for Vega); readers see the titles
    x = alt.X("gradient_pct:Q", title=x_title)
    tips = [alt.Tooltip(f"{c}:Q", title=title, format=".2f") for c, title in names.items()]
    band = alt.Chart(data).mark_area(opacity=0.25, color="#2c7fb8").encode(
        x=x, y=alt.Y("ci_low:Q", title=y_title), y2="ci_high:Q", tooltip=tips)
    line = alt.Chart(data).mark_line(color="#253494").encode(x=x, y=alt.Y("rate_ratio:Q", title=y_title),
                                                             tooltip=tips)
    one = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(color="#7a2e00", strokeDash=[4, 3]).encode(
        y=alt.Y("y:Q", title=y_title))
    chart = alt.layer(band, line, one).properties(height=height)
    if lang == "fr":  # axis ticks and tooltips written 1,25 and 1 234 (Vega's number locale)
        chart = chart.configure(locale=alt.Locale(number=alt.NumberLocale(
            decimal=",", thousands=NNBSP, grouping=[3], currency=["", "\u00a0€"])))
    return chart
