"""Helpers every estimation method shares: panel checks, before/after windows, normal intervals.

A method never returns a number from a panel it cannot read: :func:`check_panel` gives the i18n key
of the reason (``programme.fail.*``) or ``None`` when the panel can be used.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .types import PANEL_COLUMNS

__all__ = ["check_panel", "with_post", "earliest_start", "z_value", "normal_interval", "finite"]


def finite(*xs: float) -> bool:
    """True when every value is a finite number."""
    return all(x is not None and math.isfinite(float(x)) for x in xs)


def z_value(alpha: float) -> float:
    """The two-sided standard normal quantile of level ``1 - alpha``."""
    return float(stats.norm.ppf(1 - alpha / 2))


def normal_interval(est: float, se: float, alpha: float) -> tuple[float, float, float]:
    """``(low, high, p)``: the Wald interval ``est ± z se`` and the two-sided p-value of ``est = 0``."""
    z = z_value(alpha)
    p = float(2 * stats.norm.sf(abs(est / se))) if se > 0 else math.nan
    return est - z * se, est + z * se, p


def earliest_start(panel: pd.DataFrame) -> pd.Timestamp | None:
    """The earliest treatment start of the treated units (``None`` when there is none)."""
    starts = panel.loc[panel["role"] == "treated", "start"].dropna()
    return None if starts.empty else pd.Timestamp(starts.min())


def with_post(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel with ``t_start`` (each unit's start; control units: the earliest treated start) and
    ``post`` (the period is on or after ``t_start``)."""
    first = earliest_start(panel)
    df = panel.copy()
    df["period"] = pd.to_datetime(df["period"])
    df["t_start"] = pd.to_datetime(df["start"])
    df.loc[df["role"] == "control", "t_start"] = first
    df["t_start"] = df["t_start"].fillna(first)
    df["post"] = df["period"] >= df["t_start"]
    return df


def check_panel(panel: pd.DataFrame, *, need_control: bool = True) -> str | None:
    """The i18n key of why ``panel`` cannot be estimated on, or ``None``.

    Reasons: columns missing, no treated unit (or none with a start), no control unit, no period before
    or none after the earliest start, counts that are not finite or negative, all counts zero.
    """
    if panel is None or any(c not in panel.columns for c in PANEL_COLUMNS):
        return "programme.fail.columns"
    if panel.empty or not (panel["role"] == "treated").any():
        return "programme.fail.no_treated"
    first = earliest_start(panel)
    if first is None:
        return "programme.fail.no_start"
    if need_control and not (panel["role"] == "control").any():
        return "programme.fail.no_control"
    counts = pd.to_numeric(panel["count"], errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(counts).all() or (counts < 0).any():
        return "programme.fail.bad_counts"
    periods = pd.to_datetime(panel["period"])
    if not (periods < first).any():
        return "programme.fail.no_pre"
    last_start = pd.to_datetime(panel.loc[panel["role"] == "treated", "start"]).max()
    if not (periods >= last_start).any():
        return "programme.fail.no_post"
    if counts.sum() <= 0:
        return "programme.fail.all_zero"
    return None
