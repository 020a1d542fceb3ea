"""Weighted Displacement Difference (Wheeler & Ratcliffe 2018) and Quotient (Bowers & Johnson 2003).

Both compare counts before and after the start in four areas: the treated area T, its control C, the
displacement (buffer) area D and the displacement area's control O.

- WDD = ΔT − ΔC + ΔD − ΔO with Δ = after − before (Wheeler, A. P. & Ratcliffe, J. H. (2018), "A simple
  weighted displacement difference test to evaluate place based crime interventions", Crime Science
  7:11). Under independent Poisson counts its variance is the sum of the eight counts (when C also
  serves as O, ``-2 ΔC`` enters and C's counts weigh four times). Negative = fewer events.
- WDQ = BDM / SM with the success measure SM = Ta/Ca − Tb/Cb and the buffer displacement measure
  BDM = Da/Ca − Db/Cb (Bowers, K. J. & Johnson, S. D. (2003), "Measuring the geographical displacement
  and diffusion of benefit effects of crime prevention activity", J. Quantitative Criminology 19(3)).
  Read only when SM < 0 (the treated area did better than its control): WDQ > 0 is a diffusion of
  benefits into the buffer, WDQ < 0 displacement into it, 0 no effect on the buffer. The total net
  effect TNE = (Tb·Ca/Cb − Ta) + (Db·Ca/Cb − Da) counts the events prevented (positive) or added.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .common import check_panel, finite, normal_interval, with_post
from .types import Estimate

__all__ = ["wdd", "wdd_panel", "wdq"]

Pair = tuple[float, float]


def wdq(treated: Pair, control: Pair, displacement: Pair | None) -> dict:
    """Bowers & Johnson's success measure, buffer measure, WDQ, its reading and the total net effect."""
    (tb, ta), (cb, ca) = treated, control
    out = {"success_measure": math.nan, "buffer_measure": math.nan, "wdq": math.nan,
           "wdq_reading": "undefined", "total_net_effect": math.nan}
    if cb <= 0 or ca <= 0:
        return out
    sm = ta / ca - tb / cb
    out["success_measure"] = sm
    out["total_net_effect"] = tb * ca / cb - ta
    if displacement is None:
        return out
    db, da = displacement
    bdm = da / ca - db / cb
    out["buffer_measure"] = bdm
    out["total_net_effect"] += db * ca / cb - da
    if sm < 0:
        q = bdm / sm
        out["wdq"] = q
        out["wdq_reading"] = "no_effect" if math.isclose(q, 0.0, abs_tol=1e-12) else (
            "diffusion" if q > 0 else "displacement")
    return out


def wdd(treated: Pair, control: Pair, displacement: Pair | None, displacement_control: Pair | None = None, *,
        alpha: float = 0.05, control_scale: float = 1.0, displacement_scale: float = 1.0) -> Estimate:
    """The WDD of (before, after) counts, with its Poisson standard error and Wald interval.

    ``displacement`` may be ``None`` (no buffer: WDD = ΔT − ΔC); ``displacement_control`` ``None``
    means the control area serves as the buffer's control too. ``control_scale`` and
    ``displacement_scale`` multiply the control changes (1: Wheeler & Ratcliffe's WDD, for controls of
    the treated area's size; :func:`wdd_panel` scales a larger control down to it), their variance
    by the square. ``extra`` carries the WDQ and its reading (:func:`wdq`, on the unscaled counts), the
    success measure and the total net effect.
    """
    pairs = [p for p in (treated, control, displacement, displacement_control) if p is not None]
    if any(len(p) != 2 or not finite(*p) or min(p) < 0 for p in pairs) or not finite(control_scale,
                                                                                 displacement_scale):
        return Estimate.failed("wdd", "programme.fail.bad_counts", scale="count")
    (tb, ta), (cb, ca) = treated, control
    c_weight = control_scale  # the weight of ΔC in the WDD
    est = (ta - tb)
    var = tb + ta
    if displacement is not None:
        db, da = displacement
        est += da - db
        var += db + da
        if displacement_control is None:
            c_weight += displacement_scale
        else:
            ob, oa = displacement_control
            est -= displacement_scale * (oa - ob)
            var += displacement_scale ** 2 * (ob + oa)
    est -= c_weight * (ca - cb)
    var += c_weight ** 2 * (cb + ca)
    if var <= 0:
        return Estimate.failed("wdd", "programme.fail.all_zero", scale="count")
    se = math.sqrt(var)
    low, high, p = normal_interval(est, se, alpha)
    extra = {"z": est / se, "variance": var, "control_scale": control_scale,
             "displacement_scale": displacement_scale, **wdq(treated, control, displacement)}
    return Estimate("wdd", float(est), low, high, 0, 2, scale="count", se=se, p_value=p, extra=extra)


def _window(df: pd.DataFrame) -> int:
    """Periods on each side of the start that every treated and buffer unit has (equal windows)."""
    periods = np.sort(df["period"].unique())
    starts = df.loc[df["role"] != "control", "t_start"].dropna().unique()
    n_pre = np.searchsorted(periods, np.asarray(starts, dtype=periods.dtype), side="left")
    return int(min(n_pre.min(), (len(periods) - n_pre).min()))


def wdd_panel(panel: pd.DataFrame, *, alpha: float = 0.05) -> Estimate:
    """The WDD/WDQ of a panel: counts per role summed over ``k`` periods before and ``k`` from the start.

    ``k`` is the longest window every treated and buffer unit has on both sides of its own start, so
    before and after cover the same length (control units are counted around the earliest start). The
    buffer (``role`` ``buffer``), when present, is the displacement area and the control area serves as
    its control too. The control (often the rest of the city) is scaled to the size of the area it stands
    for: its changes are multiplied by treated-before / control-before (and buffer-before /
    control-before), so that a control area of the treated area's size adds the same change (the WDD's
    premise); ``extra`` has the scales. ``table``: role, before, after, units.
    """
    why = check_panel(panel)
    if why:
        return Estimate.failed("wdd", why, scale="count")
    df = with_post(panel)
    k = _window(df)
    periods = np.sort(df["period"].unique())
    rel = (np.searchsorted(periods, df["period"].to_numpy(), side="left")
           - np.searchsorted(periods, df["t_start"].to_numpy(), side="left"))
    df = df[(rel >= -k) & (rel < k)]
    sums = {}
    rows = []
    for role in ("treated", "control", "buffer"):
        sub = df[df["role"] == role]
        if sub.empty:
            continue
        before = float(sub.loc[~sub["post"], "count"].sum())
        after = float(sub.loc[sub["post"], "count"].sum())
        sums[role] = (before, after)
        rows.append({"role": role, "before": before, "after": after, "n_units": int(sub["unit"].nunique())})
    cb = sums["control"][0]
    if cb <= 0:
        return Estimate.failed("wdd", "programme.fail.zero_group", scale="count", role="control")
    buffer = sums.get("buffer")
    est = wdd(sums["treated"], sums["control"], buffer, alpha=alpha, control_scale=sums["treated"][0] / cb,
              displacement_scale=0.0 if buffer is None else buffer[0] / cb)
    if not est.ok:
        return est
    n_units = int(df["unit"].nunique())
    return Estimate("wdd", est.estimate, est.ci_low, est.ci_high, n_units, 2 * k, scale="count", se=est.se,
                    p_value=est.p_value, table=pd.DataFrame(rows), extra={**est.extra, "window": k})
