"""A programme evaluation in plain words (English and French): the estimate with its interval, p-value
and n, the design, the pre-trend warning and the reading of the Weighted Displacement Quotient.

Examples
--------
>>> from lillegeo import load_demo
>>> from lillegeo.params import ProgrammeParams
>>> from lillegeo.programme.run import run_programme
>>> ds = load_demo()
>>> res = run_programme(ds, ProgrammeParams(treated=(ds.units["unit_id"].iloc[0],), start="2023-07-01",
...                                         method="before_after"))
>>> found = programme_findings(res, "fr")  # one treated unit, few events: the pre-trend warning comes first
>>> [s[:30] for s in found if s.startswith("Avant/après")]
['Avant/après : après le début, ']
"""

from __future__ import annotations

import math

import pandas as pd

from ..fmt import fmt_int, fmt_interval, fmt_number, fmt_p
from ..i18n import t
from .methods import message_text
from .types import Estimate, ProgrammeResult

__all__ = ["programme_findings", "estimate_sentence", "treated_starts"]


def treated_starts(res: ProgrammeResult) -> list[str]:
    """The distinct start dates of the treated units in ``res.panel`` (``YYYY-MM-DD``, sorted); the
    earliest start ``res.start`` alone when the panel has none."""
    panel = res.panel
    days = pd.to_datetime(panel.loc[panel["role"] == "treated", "start"]).dropna().unique() if len(panel) else []
    return sorted({f"{pd.Timestamp(d):%Y-%m-%d}" for d in days}) or [f"{pd.Timestamp(res.start):%Y-%m-%d}"]


def estimate_sentence(e: Estimate, lang: str = "en", *, alpha: float = 0.05, period: str = "month") -> str:
    """One estimate in a sentence: what changed, the interval at ``1 - alpha``, the p-value and n."""
    name = t(f"programme.name.{e.method}", lang)
    if not e.ok:
        return t("programme.find.failed", lang, method=name, why=message_text(e.message, e.message_args, lang))
    level = fmt_number(100 * (1 - alpha), lang, 0 if (100 * (1 - alpha)).is_integer() else 1)
    has_ci = math.isfinite(e.ci_low) and math.isfinite(e.ci_high)
    common = dict(method=name, level=level, p=fmt_p(e.p_value, lang),
                  interval=(fmt_interval(e.ci_low, e.ci_high, lang, digits=0 if e.scale == "count" else 2) if has_ci
                            else t("programme.find.no_interval", lang)),
                  n_units=fmt_int(e.n_units, lang), n_periods=fmt_int(e.n_periods, lang),
                  periods=t(f"programme.period.{period}", lang))
    if e.scale == "count":
        text = t("programme.find.count", lang, est=fmt_number(e.estimate, lang, 0), **common)
        null = 0.0
    else:
        pct = abs(e.estimate - 1) * 100
        change = t("programme.find.fall" if e.estimate < 1 else "programme.find.rise", lang,
                   pct=fmt_number(pct, lang, 0))
        text = t("programme.find.ratio", lang, est=fmt_number(e.estimate, lang, 2), change=change,
                 reference=t(f"programme.ref.{'before_after' if e.method == 'before_after' else e.method}", lang),
                 **common)
        null = 1.0
    if e.message:
        text += " " + message_text(e.message, e.message_args, lang)
    if e.method == "synth" and has_ci and e.p_value is not None and math.isfinite(e.p_value) \
            and (e.p_value < alpha) == (e.ci_low <= null <= e.ci_high):
        # the rank p-value (post/pre RMSPE ratio, Abadie et al. 2010) and the interval (the post-period
        # ratio against the donors' own) test different things and can disagree: say so, never leave both
        text += " " + t("programme.note.synth_disagree", lang, p=fmt_p(e.p_value, lang))
    if has_ci and e.ci_low <= null <= e.ci_high:
        text += " " + t("programme.find.covers", lang, value=fmt_number(null, lang, 0))
    return text


def programme_findings(res: ProgrammeResult, lang: str = "en") -> list[str]:
    """The findings of ``res`` in ``lang``: the chosen method's estimate, the design, before/after when
    another method was chosen, the pre-trend check (first, when it failed: too few pre-periods or trends
    that differ), the WDQ reading and the synthetic-data notice."""
    p = res.params
    out = [estimate_sentence(res.estimate, lang, alpha=p.alpha, period=p.period)]
    counts = res.roles.value_counts()
    starts = treated_starts(res)
    design = dict(treated=fmt_int(int(counts.get("treated", 0)), lang), buffer=fmt_int(int(counts.get("buffer", 0)), lang),
                  control=fmt_int(int(counts.get("control", 0)), lang))
    out.append(t("programme.find.design_staggered", lang, first=starts[0], last=starts[-1], n=fmt_int(len(starts), lang),
                 **design) if len(starts) > 1 else t("programme.find.design", lang, start=f"{res.start:%Y-%m-%d}", **design))
    if p.method != "before_after" and "before_after" in res.estimates:
        out.append(estimate_sentence(res.estimates["before_after"], lang, alpha=p.alpha, period=p.period))
    pre = res.pretrend
    if pre.message and not pre.ok:  # a failed pre-trend check comes before the number it puts in doubt
        out.insert(0, message_text(pre.message, pre.message_args, lang))
    elif pre.message:
        out.append(message_text(pre.message, pre.message_args, lang))
    per_area = {_area_words(k.partition("@")[2], lang): e for k, e in res.estimates.items() if k.startswith("wdd@")}
    if (res.roles == "buffer").any():
        for area, w in (per_area.items() if per_area else [("", res.estimates.get("wdd"))]):
            if w is None or not w.ok or "wdq" not in w.extra:
                continue
            reading = t(f"programme.wdq.{w.extra.get('wdq_reading') or 'undefined'}", lang)
            value = w.extra["wdq"]
            if value is None or not math.isfinite(value):  # no number to show: say why, not "—" (the buffer is
                out.append(t("programme.find.wdq_none_area", lang, area=area) if area  # there: sm >= 0, wdd.wdq)
                           else t("programme.find.wdq_none", lang))
                continue
            wdq = fmt_number(value, lang, 2)
            out.append(t("programme.find.wdq_area", lang, area=area, wdq=wdq, reading=reading) if area
                       else t("programme.find.wdq", lang, wdq=wdq, reading=reading))
    if res.synthetic_data:
        out.append(t("programme.find.synthetic", lang))
    return out


def _area_words(area: str, lang: str) -> str:
    """An area label of the design (``2023-07-01``, or ``2023-07-01 #2`` for the second block of touching
    units with that start) in words: "no. 2 (start 2023-07-01)".

    >>> _area_words("2023-07-01 #2", "en"), _area_words("2023-07-01", "fr")
    ('no. 2 (start 2023-07-01)', '(début le 2023-07-01)')
    """
    day, _, k = area.partition(" #")
    return t("programme.area_words", lang, n=k, start=day) if k else t("programme.area_words_one", lang, start=day)
