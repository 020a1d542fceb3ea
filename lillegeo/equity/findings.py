"""Findings in plain words, each with its number, interval, sample size and caveats."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..fmt import fmt_p
from ..i18n import t
from .exposure import ExposureResult
from .model import BenchmarkResult

__all__ = ["findings", "CAVEATS"]

CAVEATS = ("caveat.recorded_crime", "caveat.area_level", "caveat.withheld")


def _fmt(v: float, lang: str, digits: int = 2) -> str:
    if v is None or not np.isfinite(v):
        return "–"
    s = f"{v:,.{digits}f}"
    return s.replace(",", "\u202f").replace(".", ",") if lang == "fr" else s


def findings(*, exposure: ExposureResult | None = None, model: BenchmarkResult | None = None,
             representation_rows: list[dict] | None = None, lang: str = "en") -> list[dict[str, Any]]:
    """Findings in plain words, each with its number, interval, sample size and caveats."""
    out = []
    if exposure is not None:
        r = exposure.table.iloc[0]
        key = "finding.exposure_flag" if exposure.flag else "finding.exposure"
        out.append({"kind": "exposure", "flag": exposure.flag, "text": t(
            key, lang, group=exposure.group, reference=exposure.reference, burden=exposure.burden,
            ratio=_fmt(exposure.ratio, lang), lo=_fmt(exposure.ci_low, lang), hi=_fmt(exposure.ci_high, lang),
            people=_fmt(r["people"], lang, 0), units=int(r["units"]), lo_band=_fmt(exposure.band[0], lang),
            hi_band=_fmt(exposure.band[1], lang))})
    if model is not None:
        key = "finding.model_flag" if model.flag else "finding.model"
        out.append({"kind": "model", "flag": model.flag, "text": t(
            key, lang, rr=_fmt(model.rate_ratio, lang), lo=_fmt(model.ci_low, lang), hi=_fmt(model.ci_high, lang),
            n=model.n_units, p=fmt_p(model.p_value, lang))})
    for row in representation_rows or []:
        out.append({"kind": "representation", "flag": bool(row.get("flag")), "text": t(
            "finding.representation", lang, method=row["method"], ratio=_fmt(row["ratio"], lang),
            lo=_fmt(row["ci_low"], lang), hi=_fmt(row["ci_high"], lang), units=row["hotspot_units"])})
    for c in CAVEATS:
        out.append({"kind": "caveat", "flag": False, "text": t(c, lang)})
    return out
