"""Findings in plain words, each with its number, interval, sample size and caveats."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..fmt import fmt_number, fmt_p
from ..i18n import t
from ..insee import field_label
from .exposure import ExposureResult
from .model import BenchmarkResult

__all__ = ["findings", "model_findings", "CAVEATS"]

CAVEATS = ("caveat.feedback", "caveat.area_level", "caveat.withheld")


def _fmt(v: float, lang: str, digits: int = 2) -> str:
    if v is None or not np.isfinite(v):
        return "–"
    s = f"{v:,.{digits}f}"
    return s.replace(",", "\u202f").replace(".", ",") if lang == "fr" else s


def _reference(exposure: ExposureResult, lang: str) -> str:
    """The reference group in words: "everyone else (P21_POP - P21_POP_IMM)" for the complement."""
    ref = str(exposure.reference)
    if ref.endswith(f" - {exposure.group}"):
        return t("finding.everyone_else", lang, columns=ref)
    return field_label(ref, lang)


def findings(*, exposure: ExposureResult | None = None, model: BenchmarkResult | None = None,
             representation_rows: list[dict] | None = None, lang: str = "en",
             model_group: str = "") -> list[dict[str, Any]]:
    """Findings in plain words, each with its number, interval, sample size and caveats. ``model_group``:
    the group column of the benchmark model, named when the exposure compares areas instead (its verdict
    is about that column's share, not about the areas)."""
    out = []
    if exposure is not None:
        r = exposure.table.iloc[0]
        key = "finding.exposure_flag" if exposure.flag else "finding.exposure"
        out.append({"kind": "exposure", "flag": exposure.flag, "text": t(
            key, lang, group=field_label(exposure.group, lang), reference=_reference(exposure, lang),
            burden=exposure.burden,
            ratio=_fmt(exposure.ratio, lang), lo=_fmt(exposure.ci_low, lang), hi=_fmt(exposure.ci_high, lang),
            people=_fmt(r["people"], lang, 0), units=int(r["units"]), lo_band=_fmt(exposure.band[0], lang),
            hi_band=_fmt(exposure.band[1], lang))})
    if model is not None:
        found = model_findings(model, lang)
        if model_group:  # the verdict (kind "model") names the column its share is about
            for f in found:
                if f["kind"] == "model":
                    f["text"] += " " + t("verdict.about_share", lang, group=field_label(model_group, lang))
        out += found
    for row in representation_rows or []:
        out.append({"kind": "representation", "flag": bool(row.get("flag")), "text": t(
            "finding.representation", lang, method=row["method"], ratio=_fmt(row["ratio"], lang),
            lo=_fmt(row["ci_low"], lang), hi=_fmt(row["ci_high"], lang), units=row["hotspot_units"])})
    for c in CAVEATS:
        out.append({"kind": "caveat", "flag": False, "text": t(c, lang)})
    return out


def _pct(g: float, lang: str) -> str:
    if g is None or not np.isfinite(g):
        return "–"
    return fmt_number(100 * abs(g), lang, 1) + ("\u202f%" if lang == "fr" else "%")


def model_findings(model: BenchmarkResult, lang: str = "en") -> list[dict[str, Any]]:
    """The verdict of the benchmark model in plain words, then its sensitivity to a recording gradient."""
    out = []
    rob = model.robustness
    spec = rob[rob["kind"] == "model"] if rob is not None and len(rob) else None
    k = len(spec) if spec is not None else 1
    k_ex = int(spec["excludes_1"].sum()) if spec is not None else int(model.excludes_1)
    key = f"verdict.{model.verdict or ('fragile' if model.excludes_1 else 'no_evidence')}"
    # a rate ratio below 1 is explained by recording that rises with the share (a negative gradient)
    word = t("verdict.excess" if np.nan_to_num(model.tipping_gradient) < 0 else "verdict.shortfall", lang)
    out.append({"kind": "model", "flag": bool(model.flag), "verdict": model.verdict, "text": t(
        key, lang, rr=_fmt(model.rate_ratio, lang), lo=_fmt(model.ci_low, lang), hi=_fmt(model.ci_high, lang),
        n=model.n_units, p=fmt_p(model.p_value, lang), k=k, k_ex=k_ex, g=_pct(model.tipping_gradient, lang),
        g_lo=_pct(model.tipping_gradient_bound, lang), tol=_pct(model.tolerance, lang), dir=word)})
    if np.isfinite(model.tipping_gradient):
        text = t("verdict.tipping", lang, g=_pct(model.tipping_gradient, lang),
                 g_lo=_pct(model.tipping_gradient_bound, lang), tol=_pct(model.tolerance, lang), dir=word)
    else:
        text = t("verdict.tipping_none", lang, b=_fmt(model.crime_elasticity, lang))
    out.append({"kind": "sensitivity", "flag": False, "text": text})
    return out
