"""One programme evaluation from a dataset and a :class:`~lillegeo.params.ProgrammeParams`: design, panel,
methods, the chart's series and the map of change per unit (what the Evaluate page, ``evaluate``,
``run`` and the slides show).

Examples
--------
>>> from lillegeo import load_demo
>>> from lillegeo.params import ProgrammeParams
>>> ds = load_demo()
>>> code = ds.units["unit_id"].iloc[0]
>>> res = run_programme(ds, ProgrammeParams(treated=(code,), start="2023-07-01", method="before_after"))
>>> res.estimate.method, sorted(res.series.columns)
('before_after', ['control', 'treated'])
"""

from __future__ import annotations

import dataclasses
import math

import geopandas as gpd
import numpy as np
import pandas as pd

from ..dataset import Dataset
from ..hotspots import indicator_hotspots
from ..indicators import suppress
from ..insee import rate_multiplier
from ..params import DEFAULT_THRESHOLD, HotspotParams, ProgrammeParams
from . import methods
from .design import AD_TYPES, design
from .errors import ProgrammeError
from .panel import build_panel, wide_counts
from .types import Estimate, PreTrend, ProgrammeResult

__all__ = ["run_programme", "estimates_table", "hotspot_units", "change_per_unit", "role_series", "method_pretrend"]


def hotspot_units(ds: Dataset, h: HotspotParams, *, threshold: int = DEFAULT_THRESHOLD) -> list[str]:
    """Codes of the units the Hotspots page finds hot with ``h`` (same indicator, smoothing and A/D rule)."""
    if h.column not in ds.units.columns:
        raise ProgrammeError("programme.err.hot_column", column=h.column)
    per = h.per or None
    _, res, _ = indicator_hotspots(ds.units, h.column, per=per, exclude_types=AD_TYPES if (per and h.exclude_ad) else (),
                                   threshold=threshold, smoothing=h.smoothing if per else "none",
                                   multiplier=rate_multiplier(h.column, per), method=h.method, weights=h.weights,
                                   permutations=h.permutations, alpha=h.alpha, correction=h.correction, seed=h.seed)
    hot = res.hot().to_numpy(bool)
    return ds.units["unit_id"].astype(str).to_numpy()[hot].tolist()


def _post(panel: pd.DataFrame, first: pd.Timestamp) -> np.ndarray:
    """True where the period is at or after the unit's start (control units: the earliest start)."""
    start = pd.to_datetime(panel["start"]).fillna(first)
    return (panel["period"] >= start).to_numpy()


def role_series(panel: pd.DataFrame, *, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Events per unit and period, mean over each role's units: one row per period, one column per role;
    withheld (NaN) where the role's events in that period number 1 to ``threshold - 1``."""
    g = panel.groupby(["period", "role"], observed=True)["count"]
    total = g.sum()
    s = g.mean().where(~suppress(total, threshold=threshold)).unstack("role")
    s = s[[r for r in ("treated", "control", "buffer") if r in s.columns]]
    s.columns.name = None
    return s


def change_per_unit(panel: pd.DataFrame, units: gpd.GeoDataFrame, first: pd.Timestamp, *,
                    threshold: int = DEFAULT_THRESHOLD) -> gpd.GeoDataFrame:
    """Per unit: role, events per period before and after its start, ``change`` = after / before;
    withheld (NaN, ``withheld`` True) where the events before or after number 1 to ``threshold - 1``."""
    post = _post(panel, first)
    g = panel.assign(post=post).groupby(["unit", "post"])["count"].agg(["sum", "size"]).unstack("post")
    tot_b = g[("sum", False)] if ("sum", False) in g else pd.Series(0.0, index=g.index)
    tot_a = g[("sum", True)] if ("sum", True) in g else pd.Series(0.0, index=g.index)
    n_b = g[("size", False)] if ("size", False) in g else pd.Series(np.nan, index=g.index)
    n_a = g[("size", True)] if ("size", True) in g else pd.Series(np.nan, index=g.index)
    withheld = (suppress(tot_b.fillna(0), threshold=threshold) | suppress(tot_a.fillna(0), threshold=threshold))
    before, after = tot_b / n_b, tot_a / n_a
    change = (after / before).where(before > 0)
    frame = pd.DataFrame({"role": panel.groupby("unit")["role"].first(), "before": before.where(~withheld),
                          "after": after.where(~withheld), "change": change.where(~withheld),
                          "withheld": withheld.astype(bool)})
    geo = units[["unit_id", "unit_name", "geometry"]] if "unit_name" in units else units[["unit_id", "geometry"]]
    geo = geo.assign(unit=geo["unit_id"].astype(str))
    out = geo.merge(frame, left_on="unit", right_index=True, how="inner").drop(columns="unit")
    return gpd.GeoDataFrame(out, geometry="geometry", crs=units.crs).reset_index(drop=True)


def _chosen(panel: pd.DataFrame, p: ProgrammeParams) -> dict[str, Estimate]:
    """Every method run for ``p``: before/after always, the chosen one, the event study for did/event,
    and the WDD/WDQ whenever there is a buffer (its reading: displacement or diffusion of benefits), also
    per treated area (``wdd@<area>``) when there are several."""
    out = {"before_after": methods.before_after(panel, family=p.family, alpha=p.alpha)}
    has_buffer = bool((panel["role"] == "buffer").any())
    if p.method == "wdd" or has_buffer:
        out["wdd"] = methods.wdd_panel(panel, alpha=p.alpha)
    areas = sorted(a for a in panel.loc[panel["role"] == "treated", "area"].unique() if a)
    if has_buffer and len(areas) > 1:  # each area with its own buffer: displacement here, diffusion there
        for a in areas:
            out[f"wdd@{a}"] = methods.wdd_panel(panel[(panel["area"] == a) | (panel["role"] == "control")],
                                                alpha=p.alpha)
    if p.method == "did":
        out["did"] = methods.did(panel, alpha=p.alpha)
    if p.method in ("did", "event"):
        out["event"] = methods.event_study(panel, window=p.event_window, alpha=p.alpha)
    if p.method == "synth":
        out["synth"] = methods.synth(panel, alpha=p.alpha, seed=p.seed)
    return out


def _with_synthetic(series: pd.DataFrame, panel: pd.DataFrame, est: Estimate | None) -> pd.DataFrame:
    """The synthetic series on the chart's scale (events per treated unit and period)."""
    extra = None if est is None or not est.ok else est.extra.get("series")
    if extra is None or "synthetic" not in extra:
        return series
    s = extra.set_index("period") if "period" in extra.columns else extra
    per_unit = panel[panel["role"] == "treated"].groupby("period")["count"].mean()
    ratio = per_unit.reindex(s.index).sum() / s["treated"].sum() if s["treated"].sum() else 1.0
    return series.assign(synthetic=(s["synthetic"] * ratio).reindex(series.index))


def method_pretrend(pre: PreTrend, method: str) -> PreTrend:
    """The pre-trend check whose warning names ``method`` (the one whose number it puts in doubt):
    ``programme.pretrend.differ`` becomes ``programme.pretrend.differ.<method>``.

    >>> method_pretrend(PreTrend(8, 0.001, False, "programme.pretrend.differ"), "synth").message
    'programme.pretrend.differ.synth'
    """
    if pre.message != "programme.pretrend.differ":
        return pre
    return dataclasses.replace(pre, message=f"programme.pretrend.differ.{method}")


def run_programme(ds: Dataset, p: ProgrammeParams, *, threshold: int = DEFAULT_THRESHOLD,
                  hotspots: HotspotParams | None = None) -> ProgrammeResult:
    """Design, panel, the chosen method (plus before/after, the pre-trend check, the event study for
    did/event, the WDD/WDQ when there is a buffer), the chart's series and the change map.

    ``hotspots``: the Hotspots page's parameters, used when ``p.treated_from == "hotspots"``.
    A panel of more than :data:`~lillegeo.programme.panel.MAX_UNIT_PERIODS` unit-periods is refused
    before any counting.
    """
    if p.layer not in ds.points:
        raise ProgrammeError("programme.err.layer", layer=p.layer, layers=", ".join(ds.points) or "—")
    points = ds.points[p.layer]
    hot = hotspot_units(ds, hotspots or HotspotParams(), threshold=threshold) if p.treated_from == "hotspots" else None
    counts = wide_counts(points, ds.units, period=p.period, categories=p.categories)
    pop = None
    if ds.population and ds.population in ds.units.columns:
        pop = pd.Series(ds.units[ds.population].to_numpy(), index=ds.units["unit_id"].astype(str))
    roles, starts, areas = design(ds.units, p, qpv=ds.overlay, hotspot_units=hot, counts=counts, population=pop)
    panel = build_panel(points, ds.units, roles, starts, areas, period=p.period, counts=counts)
    first = pd.Timestamp(starts[roles == "treated"].min())
    estimates = _chosen(panel, p)
    chosen = estimates[p.method]
    pre = method_pretrend(methods.pretrend(panel, alpha=p.alpha, window=p.event_window,
                                           event=estimates.get("event")), p.method)
    series = _with_synthetic(role_series(panel, threshold=threshold), panel, estimates.get("synth"))
    ev = estimates.get("event")
    event = ev.table if ev is not None and ev.ok else None
    change = change_per_unit(panel, ds.units, first, threshold=threshold)
    return ProgrammeResult(p, roles, panel, series, first, chosen, estimates, pre, event, change, threshold,
                           synthetic_data=bool(ds.demo))


def estimates_table(res: ProgrammeResult) -> pd.DataFrame:
    """One row per method that ran (the chosen one first; ``area`` set for a per-area WDD): estimate,
    interval, se, p, n, scale, ok, message key, and the WDQ, its reading and the placebo p-value where
    the method gives them; then the design on every row (layer, categories, start, treated codes, units
    per role, buffer, control, period, alpha), so that the file says what was evaluated."""
    names = [res.params.method] + [m for m in res.estimates if m != res.params.method]
    rows = []
    for name in names:
        e = res.estimates[name]
        rows.append({"method": e.method, "area": name.partition("@")[2], "estimate": e.estimate, "ci_low": e.ci_low, "ci_high": e.ci_high,
                     "se": e.se, "p_value": e.p_value, "n_units": e.n_units, "n_periods": e.n_periods,
                     "scale": e.scale, "ok": e.ok, "message": e.message,
                     "wdq": e.extra.get("wdq", math.nan), "wdq_reading": e.extra.get("wdq_reading", ""),
                     "placebo_p": e.extra.get("placebo_p", math.nan)})
    out = pd.DataFrame(rows)
    # what was evaluated, on every row, so that a file read alone says it (machine values, as the recipe)
    counts = res.roles.value_counts()
    p = res.params
    design = {"layer": p.layer, "categories": ";".join(p.categories), "start": f"{pd.Timestamp(p.start or res.start):%Y-%m-%d}",
              "treated": ";".join(_treated_codes(res)),
              "n_treated": int(counts.get("treated", 0)), "n_buffer": int(counts.get("buffer", 0)),
              "n_control": int(counts.get("control", 0)), "buffer_m": p.buffer_m, "buffer_rings": p.buffer_rings,
              "control": p.control, "period": p.period, "alpha": p.alpha}
    return out.assign(**{k: [v] * len(out) for k, v in design.items()}) if len(out) else out


def _treated_codes(res: ProgrammeResult) -> list[str]:
    """The treated unit codes, sorted; ``CODE@YYYY-MM-DD`` for a unit whose own start is not the programme's
    (staggered starts), as the recipe writes them."""
    codes = sorted(map(str, res.roles.index[res.roles == "treated"]))
    panel = res.panel
    if not len(panel) or "start" not in panel.columns:
        return codes
    own = (panel[panel["role"] == "treated"].assign(unit=lambda d: d["unit"].astype(str))
           .drop_duplicates("unit").set_index("unit")["start"])
    common = pd.Timestamp(res.params.start) if res.params.start else None
    out = []
    for c in codes:
        day = pd.Timestamp(own[c]) if c in own.index and pd.notna(own[c]) else None
        out.append(f"{c}@{day:%Y-%m-%d}" if day is not None and day != common else c)
    return out
