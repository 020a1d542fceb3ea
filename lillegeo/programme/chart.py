"""The charts of a programme evaluation, in French or English: the time series (treated, control or
synthetic, buffer; the start marked) and the event study (rate ratios with their intervals, the line of no
change at 1), as Altair charts for the page and as matplotlib figures for the PNG/PDF downloads and the
slides; and the table of the estimates every method gave.

A point of the time series whose events (summed over the role's units in that period) are from 1 to
``threshold - 1`` is withheld, like every small count: the line breaks there (never joined across), and a
note under the chart says how many periods of each line are withheld. Each line's mean before and after
the start over all periods (withheld ones included, so not a pick of the busy ones) is drawn dashed: for
synthetic control the treated and synthetic means after the start are in the ratio of the estimate.
"""

from __future__ import annotations

import io
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from ..fmt import NNBSP, fmt_int, fmt_number
from ..i18n import STRINGS, t
from ..indicators import suppress
from .findings import treated_starts
from .methods import message_text
from .types import ProgrammeResult

__all__ = ["SERIES_COLORS", "series_long", "series_levels", "series_note", "index_bases", "start_marks", "series_chart", "event_chart", "chart_figure", "estimates_table"]

#: Colour of each line of the time series (role -> colour).
SERIES_COLORS = {"treated": "#b2182b", "control": "#2166ac", "synthetic": "#5aae61", "buffer": "#e08214"}
_ROLE_OF = {"treated": "treated", "control": "control", "buffer": "buffer", "synthetic": "treated"}


#: Rate ratios offered as ticks of the event-study axis (log scale): plain numbers, 1 among them.
_RATIO_TICKS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 10.0)


def ratio_ticks(lo: float, hi: float, most: int = 9) -> list[float]:
    """Plain tick values between ``lo`` and ``hi`` for a log axis of rate ratios, 1 always among them.

    >>> ratio_ticks(0.55, 1.4)
    [0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25]
    >>> ratio_ticks(0.05, 12)
    [0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0]
    """
    inside = [v for v in _RATIO_TICKS if lo <= v <= hi]
    if len(inside) > most:  # a wide range: the coarse ticks
        inside = [v for v in (0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0) if lo <= v <= hi]
    return sorted(set(inside) | {1.0})


def _localised(chart: Any, lang: str) -> Any:
    """French number locale for the axes and tooltips (1,25 and 1 234), as the other charts."""
    if lang != "fr":
        return chart
    return chart.configure(locale=alt.Locale(number=alt.NumberLocale(
        decimal=",", thousands=NNBSP, grouping=[3], currency=["", "\u00a0€"])))


def _series_frame(res: ProgrammeResult) -> pd.DataFrame:
    s = res.series
    if "period" not in s.columns:
        s = s.rename_axis("period").reset_index()
    return s


def series_long(res: ProgrammeResult, lang: str = "en") -> pd.DataFrame:
    """The time series as one row per period and line: ``period``, ``line`` (``treated``, ``control``,
    ``synthetic``, ``buffer``), ``name`` (translated), ``value`` (events per unit and period, NaN when
    withheld; with ``res.params.index``, as an index: the line's mean before the start = 100, so that
    lines of different levels (a hot spot and its ring) can be compared) and ``withheld``.

    A treated, control or buffer point is withheld when its role's events in that period (from
    ``res.panel``) are from 1 to ``res.threshold - 1``; the synthetic line is withheld where the treated
    line is (it is fitted to it).
    """
    s = _series_frame(res)
    lines = [c for c in SERIES_COLORS if c in s.columns]
    panel = res.panel
    totals = (panel.groupby(["role", "period"])["count"].sum() if len(panel)
              else pd.Series(dtype=float, index=pd.MultiIndex.from_tuples([], names=["role", "period"])))
    rows = []
    for line in lines:
        role = _ROLE_OF[line]
        tot = pd.Series([totals.get((role, p), np.nan) for p in s["period"]], index=s.index, dtype=float)
        hidden = suppress(tot, threshold=res.threshold)
        values = pd.to_numeric(s[line], errors="coerce").where(~hidden)
        rows.append(pd.DataFrame({"period": pd.to_datetime(s["period"]).to_numpy(), "line": line,
                                  "name": t(f"evaluate.line.{line}", lang), "value": values.to_numpy(),
                                  "withheld": hidden.to_numpy()}))
    if not rows:
        return pd.DataFrame(columns=["period", "line", "name", "value", "withheld"])
    out = pd.concat(rows, ignore_index=True)
    if res.params.index:
        base = out["line"].map(index_bases(res))
        out["value"] = (out["value"] / base.where(base > 0) * 100).astype(float)
    return out


def _raw_lines(res: ProgrammeResult) -> pd.DataFrame:
    """Every line before withholding (events per unit and period, one column per line, one row per period
    of the series): the roles' means from ``res.panel``, the synthetic line from ``res.series``."""
    s = _series_frame(res)
    index = pd.DatetimeIndex(pd.to_datetime(s["period"]))
    panel = res.panel
    means = (panel.groupby(["period", "role"])["count"].mean().unstack("role") if len(panel) else pd.DataFrame())
    means.index = pd.to_datetime(means.index)
    out = pd.DataFrame(index=index)
    for line in (c for c in SERIES_COLORS if c in s.columns):
        if line == "synthetic":
            out[line] = pd.to_numeric(s[line], errors="coerce").to_numpy(dtype=float)
        else:
            out[line] = means[line].reindex(index).to_numpy(dtype=float) if line in means else np.nan
    return out


def index_bases(res: ProgrammeResult) -> dict[str, float]:
    """The index base of each line: its mean before the start over **every** period (withheld ones too:
    the shown points alone would be a biased pick, the busy periods), the synthetic line on the treated
    line's base, so that the two stay on one scale and their ratio is the estimate's."""
    raw = _raw_lines(res)
    bases = raw[raw.index < pd.Timestamp(res.start)].mean().to_dict()
    if "synthetic" in bases and "treated" in bases:
        bases["synthetic"] = bases["treated"]
    return bases


def series_levels(res: ProgrammeResult, lang: str = "en") -> pd.DataFrame:
    """Each line's mean before and after the earliest start over every period of the phase, withheld
    periods included: ``line``, ``name``, ``phase`` (``before``/``after``), ``period`` and ``period_end``
    (the phase's first and last periods), ``value`` (on the chart's scale: events per unit and period,
    or the index) and ``withheld`` (the role's events over the whole phase from 1 to ``threshold - 1``;
    the synthetic line withheld with the treated one). For synthetic control the ratio of the treated and
    synthetic ``after`` values is the estimate (treated / synthetic over the post-period)."""
    raw = _raw_lines(res)
    panel, start = res.panel, pd.Timestamp(res.start)
    bases = index_bases(res) if res.params.index else {}
    rows = []
    for phase, inside in (("before", raw.index < start), ("after", raw.index >= start)):
        if not inside.any():
            continue
        periods = raw.index[inside]
        for line in raw.columns:
            role = _ROLE_OF[line]
            sub = panel[(panel["role"] == role) & (pd.to_datetime(panel["period"]).isin(periods))] if len(panel) else panel
            total = float(sub["count"].sum()) if len(sub) else np.nan
            hidden = bool(suppress(pd.Series([total]), threshold=res.threshold).iloc[0])
            value = float(raw.loc[inside, line].mean())
            if res.params.index:
                base = bases.get(line, np.nan)
                value = value / base * 100 if base and base > 0 else np.nan
            rows.append({"line": line, "name": t(f"evaluate.line.{line}", lang), "phase": phase,
                         "period": periods.min(), "period_end": periods.max(),
                         "value": np.nan if hidden else value, "withheld": hidden})
    return pd.DataFrame(rows, columns=["line", "name", "phase", "period", "period_end", "value", "withheld"])


def start_marks(res: ProgrammeResult) -> list[pd.Timestamp]:
    """The distinct start dates of the treated units (several with staggered starts), earliest first."""
    return [pd.Timestamp(d) for d in treated_starts(res)]


def series_note(res: ProgrammeResult, lang: str = "en") -> list[str]:
    """The chart's notes, one sentence each: per line with withheld points, how many of its periods are
    withheld (fewer than ``threshold`` events); what the dashed levels are; the synthetic line's index
    base; the start dates when they are staggered."""
    data = series_long(res, lang)
    periods = t(f"programme.period.{res.params.period}", lang)
    out = []
    for line in (k for k in SERIES_COLORS if (data["line"] == k).any()):
        d = data[data["line"] == line]
        n = int(d["withheld"].sum())
        if n and line == "synthetic":  # withheld with the treated line, not for its own counts
            out.append(t("evaluate.chart.withheld_synth", lang, withheld=fmt_int(n, lang), periods=periods))
        elif n:
            out.append(t("evaluate.chart.withheld_line", lang, withheld=fmt_int(n, lang), total=fmt_int(len(d), lang),
                         periods=periods, line=t(f"evaluate.line.{line}", lang), threshold=fmt_int(res.threshold, lang)))
    if series_levels(res, lang)["value"].notna().any():
        out.append(t("evaluate.chart.levels", lang, periods=periods))
    if res.params.index and (data["line"] == "synthetic").any():
        out.append(t("evaluate.chart.synth_index", lang))
    starts = treated_starts(res)
    if len(starts) > 1:
        out.append(t("evaluate.chart.starts", lang, dates=", ".join(starts)))
    return out


def series_chart(res: ProgrammeResult, lang: str = "en", height: int = 300) -> alt.LayerChart:
    """Events per unit and period of the treated, control (or synthetic) and buffer units; each line
    broken where its points are withheld (kept as nulls, the mark's ``invalid`` set to break paths), its
    mean before and after the start dashed, every distinct start marked by a dashed rule, and the notes
    of :func:`series_note` (withheld periods per line) under the chart."""
    data = series_long(res, lang)
    shown = [k for k in SERIES_COLORS if data.loc[data["line"] == k, "value"].notna().any()]  # lines drawn only
    data = data[data["line"].isin(shown)]
    names = [t(f"evaluate.line.{k}", lang) for k in shown]
    x_title = t("evaluate.chart.period", lang)
    y_title = t("evaluate.chart.index" if res.params.index else "evaluate.chart.per_unit", lang)
    color = alt.Color("name:N", title=None, scale=alt.Scale(domain=names, range=[SERIES_COLORS[k] for k in shown]),
                      legend=alt.Legend(orient="bottom"))
    tips = [alt.Tooltip("period:T", title=x_title, format="%Y-%m"), alt.Tooltip("name:N", title=" "),
            alt.Tooltip("value:Q", title=y_title, format=".2f")]
    x = alt.X("period:T", title=x_title, axis=alt.Axis(format="%Y-%m"))  # 2023-07: no English month names
    lines = alt.Chart(data[["period", "name", "value"]]).mark_line(
        point=True, invalid="break-paths-filter-domains").encode(x=x, y=alt.Y("value:Q", title=y_title), color=color,
                                                                  tooltip=tips)
    levels = series_levels(res, lang).dropna(subset=["value"])
    levels = levels[levels["line"].isin(shown)]
    level_tips = [alt.Tooltip("name:N", title=" "), alt.Tooltip("period:T", title=x_title, format="%Y-%m"),
                  alt.Tooltip("period_end:T", title=" ", format="%Y-%m"),
                  alt.Tooltip("value:Q", title=y_title, format=".2f")]
    level = alt.Chart(levels[["period", "period_end", "name", "value"]]).mark_rule(
        strokeDash=[2, 3], strokeWidth=2, opacity=0.8).encode(x="period:T", x2="period_end:T", y="value:Q",
                                                              color=color, tooltip=level_tips)
    marks = start_marks(res)
    word = t("evaluate.chart.start", lang)
    start = pd.DataFrame({"period": marks, "dy": [-6 - 12 * (i % 2) for i in range(len(marks))],
                          "label": [word] if len(marks) == 1 else [f"{word} {d:%Y-%m}" for d in marks]})
    rule = alt.Chart(start).mark_rule(color="#333333", strokeDash=[5, 4]).encode(
        x="period:T", tooltip=[alt.Tooltip("period:T", title=word, format="%Y-%m-%d")])
    text = alt.Chart(start).mark_text(align="left", dx=4, color="#333333").encode(
        x="period:T", y=alt.value(8), yOffset=alt.YOffset("dy:Q", scale=None), text="label:N")
    # the plot itself ``height`` high, whatever the legend and the notes under it take (Streamlit's default
    # "fit" squeezed the plot to a strip once the notes were three lines); the width fits the page
    chart = alt.layer(lines, level, rule, text).properties(
        height=height, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    note = series_note(res, lang)
    if note:
        chart = chart.properties(title=alt.TitleParams(text=note, orient="bottom", anchor="start", fontSize=11,
                                                       fontWeight="normal", color="#333333"))
    return _localised(chart, lang)


def _event_frame(res: ProgrammeResult) -> pd.DataFrame | None:
    ev = res.event
    if ev is None or not len(ev):
        return None
    cols = ["rel_period", "estimate", "ci_low", "ci_high"] + (["n_units"] if "n_units" in ev.columns else [])
    return ev[cols].astype(float).dropna(subset=["estimate"])


def event_chart(res: ProgrammeResult, lang: str = "en", height: int = 300) -> alt.LayerChart | None:
    """The event study: each period's rate ratio relative to the start with its interval (log scale), the
    line of no change at 1 and the start between periods -1 and 0; ``None`` without an event study."""
    data = _event_frame(res)
    if data is None:
        return None
    x_title, y_title = t("evaluate.chart.rel_period", lang), t("evaluate.chart.rate_ratio", lang)
    x = alt.X("rel_period:Q", title=x_title, axis=alt.Axis(tickMinStep=1, format="d"))
    lo = float(np.nanmin(data[["ci_low", "estimate"]].to_numpy().clip(min=1e-6)))
    hi = float(np.nanmax(data[["ci_high", "estimate"]].to_numpy()))
    scale = alt.Scale(type="log", domain=[min(lo, 1.0) / 1.1, max(hi, 1.0) * 1.1], nice=False)  # 1 always shown
    axis = alt.Axis(values=ratio_ticks(min(lo, 1.0) / 1.1, max(hi, 1.0) * 1.1), format=".2~f")
    y = alt.Y("estimate:Q", title=y_title, scale=scale, axis=axis)
    tips = [alt.Tooltip("rel_period:Q", title=x_title, format="d"),
            alt.Tooltip("estimate:Q", title=y_title, format=".2f"),
            alt.Tooltip("ci_low:Q", title=t("col.ci_low", lang), format=".2f"),
            alt.Tooltip("ci_high:Q", title=t("col.ci_high", lang), format=".2f")]
    base = alt.Chart(data)
    bars = base.mark_rule(color="#2c7fb8", strokeWidth=2).encode(x=x, y=alt.Y("ci_low:Q", title=y_title, scale=scale,
                                                                                 axis=axis),
                                                                 y2="ci_high:Q", tooltip=tips)
    points = base.mark_point(filled=True, size=60, color="#253494").encode(x=x, y=y, tooltip=tips)
    one = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(color="#7a2e00", strokeDash=[4, 3]).encode(y="y:Q")
    start = alt.Chart(pd.DataFrame({"x": [-0.5]})).mark_rule(color="#333333", strokeDash=[5, 4]).encode(x="x:Q")
    return _localised(alt.layer(bars, points, one, start).properties(height=height), lang)


def chart_figure(res: ProgrammeResult, which: str, lang: str = "en", *, title: str = "", caption: str = "",
                 demo: bool = False, png: Any = None, pdf: Any = None, size: tuple[float, float] = (11.7, 6.0)
                 ) -> bytes:
    """The ``series`` or ``event`` chart drawn by matplotlib (A4-wide), written to ``png``/``pdf``
    (paths or buffers) when given; returns the PNG bytes. Text is drawn as written (never mathtext)."""
    if which not in ("series", "event"):
        raise ValueError(f"which must be 'series' or 'event', got {which!r}")
    fig = Figure(figsize=size)
    ax = fig.add_subplot(1, 1, 1)
    if which == "series":
        data = series_long(res, lang)
        levels = series_levels(res, lang).dropna(subset=["value"])
        for line, color in SERIES_COLORS.items():
            d = data[data["line"] == line]
            if d["value"].notna().any():  # NaN (withheld) breaks the line
                ax.plot(d["period"], d["value"], marker="o", markersize=3, color=color,
                        label=t(f"evaluate.line.{line}", lang))
                for lv in levels[levels["line"] == line].itertuples():
                    ax.plot([lv.period, lv.period_end], [lv.value, lv.value], color=color, linestyle=":",
                            linewidth=2, alpha=0.8)
        marks = start_marks(res)
        word = t("evaluate.chart.start", lang)
        for i, day in enumerate(marks):
            ax.axvline(day, color="#333333", linestyle="--", linewidth=1)
            ax.text(day, 1.0 - 0.05 * (i % 2), " " + (word if len(marks) == 1 else f"{word} {day:%Y-%m}"),
                    transform=ax.get_xaxis_transform(), va="top", fontsize=9, parse_math=False)
        caption = "\n".join(x for x in (caption, *series_note(res, lang)) if x)
        ax.set_xlabel(t("evaluate.chart.period", lang), parse_math=False)
        ax.set_ylabel(t("evaluate.chart.index" if res.params.index else "evaluate.chart.per_unit", lang),
                      parse_math=False)
        if len(data):
            ax.legend(loc="upper left", frameon=False)
    else:
        ev = _event_frame(res)
        if ev is not None:
            err = np.vstack([ev["estimate"] - ev["ci_low"], ev["ci_high"] - ev["estimate"]]).clip(min=0)
            ax.errorbar(ev["rel_period"], ev["estimate"], yerr=err, fmt="o", color="#253494", ecolor="#2c7fb8",
                        capsize=3)
            ax.set_yscale("log")
            lo = float(min(ev["ci_low"].clip(lower=1e-6).min(), ev["estimate"].min(), 1.0))
            hi = float(max(ev["ci_high"].max(), ev["estimate"].max(), 1.0))
            ticks = ratio_ticks(lo / 1.1, hi * 1.1)
            ax.set_ylim(lo / 1.1, hi * 1.1)
            ax.set_yticks(ticks, [fmt_number(v, lang, 2) for v in ticks])  # 0.75, not 7.5 x 10^-1
            ax.yaxis.set_minor_formatter(NullFormatter())
        ax.axhline(1.0, color="#7a2e00", linestyle="--", linewidth=1)
        ax.axvline(-0.5, color="#333333", linestyle="--", linewidth=1)
        ax.set_xlabel(t("evaluate.chart.rel_period", lang), parse_math=False)
        ax.set_ylabel(t("evaluate.chart.rate_ratio", lang), parse_math=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle(title or t(f"evaluate.chart.{which}", lang), x=0.02, ha="left", fontsize=14, fontweight="bold",
                 parse_math=False)
    foot = "  ·  ".join(x for x in (caption, t("demo.badge", lang) if demo else "") if x)
    if foot:
        fig.text(0.02, 0.01, foot, fontsize=8, color="#333333", ha="left", va="bottom", parse_math=False)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=0.14 + 0.025 * foot.count("\n"))
    for dest, fmt in ((pdf, "pdf"), (png, "png")):
        if dest is not None:
            fig.savefig(dest, format=fmt, dpi=150)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    return buf.getvalue()


def estimates_table(res: ProgrammeResult, lang: str = "en") -> pd.DataFrame:
    """One row per method that ran: ``method`` (translated), ``estimate``, ``ci_low``, ``ci_high``,
    ``p_value``, ``n_units``, ``n_periods``, ``scale`` (translated) and ``note`` (why a method gave no
    number, or its warning); the chosen method first. Exact values: the page shows :func:`readable` of it."""
    order = [res.estimate.method] + [m for m in res.estimates if m != res.estimate.method]
    rows = []
    for m in order:
        e = res.estimates.get(m, res.estimate if m == res.estimate.method else None)
        if e is None:
            continue
        note = message_text(e.message, e.message_args, lang) if e.message in STRINGS else e.message
        base, _, area = m.partition("@")  # a WDD per treated area (several areas or starts): wdd@<area>
        name = t(f"evaluate.method.{base}", lang)
        rows.append({"method": t("evaluate.method_area", lang, method=name, area=area) if area else name,
                     "estimate": e.estimate, "ci_low": e.ci_low,
                     "ci_high": e.ci_high, "p_value": e.p_value, "n_units": int(e.n_units),
                     "n_periods": int(e.n_periods), "scale": t(f"evaluate.scale.{e.scale}", lang), "note": note})
    return pd.DataFrame(rows, columns=["method", "estimate", "ci_low", "ci_high", "p_value", "n_units", "n_periods",
                                       "scale", "note"])

