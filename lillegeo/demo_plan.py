"""Planted programme effects and stop-level outcomes of the synthetic demo (used by :mod:`lillegeo.demo`).

The main generator draws the units, census, incidents, checks and overlay from one random stream
(``seed``).  This module changes them **afterwards**, with its own streams, so that everything
outside the planted areas stays exactly as the main stream drew it:

* **Interventions** (``np.random.default_rng(seed + 1)``): patrols in planted hot spots from a start
  date. The *treated units* are the units whose representative point lies within ``radius_m`` of the
  hot-spot centre, and the unit holding the centre; the *buffer units* are the other units within
  ``buffer_m`` metres of the treated area (polygon distance in Lambert-93, so every neighbour
  touching it is in). Of the ``n`` incidents of a
  treated area after the start, exactly ``round(intervention_rr * n)`` survive, picked at random
  (so the realised rate ratio is the planted one, up to rounding; the estimators' uncertainty is
  the counts' own noise); in the buffer the same when ``buffer_rr < 1`` (diffusion of benefits), or
  exactly ``round((buffer_rr - 1) * n)`` new incidents when ``buffer_rr > 1`` (displacement), spread
  over the buffer units in proportion to their post-start counts (multinomial), new points uniform
  in the unit, dates uniform from the start to the end of the last year.
* **Checks follow the new crime**: checks of unit *i* were drawn as ``Poisson(lam_i)`` with ``lam_i``
  proportional to ``incidents_i + 0.5``; where the intervention changed the unit's incidents by
  ``r_i = (new_i + 0.5) / (old_i + 0.5)``, checks are thinned with probability ``r_i`` (``r_i < 1``)
  or joined by ``Poisson((r_i - 1) * lam_i)`` new ones, which is again exactly ``Poisson(r_i lam_i)``:
  the documented bias model holds on the shipped incidents.
* **Stop-level outcomes** (``np.random.default_rng(seed + 2)``): each check gets the checked
  person's ``group`` (``immigré`` with probability ``o s / (o s + 1 - s)``, ``s`` the unit's immigrant
  share and ``o`` = ``check_group_odds``, else ``non immigré``) and an ``outcome`` (1: the check found
  something) with probability ``hit_rate_reference`` for ``non immigré`` and ``hit_rate_group`` for
  ``immigré``: the group is checked on a lower threshold (Becker's outcome test reads it).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["sample_in", "random_dates", "plan_areas", "plant", "plant_interventions", "follow_crime", "stop_outcomes",
           "GROUP_LABELS"]

#: Values of the checks' ``group`` column: (reference group, group checked on a lower threshold).
GROUP_LABELS = ("non immigré", "immigré")


def sample_in(rng: np.random.Generator, geom, n: int) -> np.ndarray:
    """``n`` points uniformly inside ``geom`` (rejection sampling in its bounds)."""
    if n == 0:
        return np.empty((0, 2))
    minx, miny, maxx, maxy = geom.bounds
    shapely.prepare(geom)
    out = []
    got = 0
    while got < n:
        m = max(64, int((n - got) * 3))
        pts = np.c_[rng.uniform(minx, maxx, m), rng.uniform(miny, maxy, m)]
        pts = pts[shapely.contains_xy(geom, pts[:, 0], pts[:, 1])]
        out.append(pts)
        got += len(pts)
    return np.vstack(out)[:n]


def random_dates(rng: np.random.Generator, years: list[int], n: int) -> pd.Series:
    """``n`` dates (``YYYY-MM-DD HH:MM``) uniform over the given years (365 days each)."""
    year = rng.choice(years, size=n)
    day = rng.integers(0, 365, size=n)
    minute = rng.integers(0, 24 * 60, size=n)
    base = pd.to_datetime(pd.Series(year).astype(str) + "-01-01")
    ts = base + pd.to_timedelta(day, unit="D") + pd.to_timedelta(minute, unit="min")
    return ts.dt.strftime("%Y-%m-%d %H:%M")


def _dates_between(rng: np.random.Generator, start: str, end_year: int, n: int) -> np.ndarray:
    """``n`` dates uniform by the minute from ``start`` to the end of ``end_year``."""
    t0 = pd.Timestamp(start)
    minutes = int((pd.Timestamp(f"{end_year + 1}-01-01") - t0) / pd.Timedelta(minutes=1))
    ts = t0 + pd.to_timedelta(rng.integers(0, minutes, size=n), unit="min")
    return pd.Series(ts).dt.strftime("%Y-%m-%d %H:%M").to_numpy()


def plan_areas(units: gpd.GeoDataFrame, centres: list[tuple[float, float]], *, radius_m: float,
               buffer_m: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Treated and buffer unit positions around each centre (Lambert-93 metres).

    Treated: representative point within ``radius_m`` of the centre, and the unit holding the
    centre (so that coarse units still give an area). Buffer: not treated (in any
    area) and within ``buffer_m`` of the union of the area's treated units.
    """
    rp = units.geometry.representative_point()
    geoms = np.asarray(units.geometry.values)
    treated = [np.flatnonzero((rp.distance(shapely.Point(c)).to_numpy() <= radius_m)
                              | shapely.contains_xy(geoms, c[0], c[1])) for c in centres]
    all_treated = np.concatenate(treated) if treated else np.empty(0, int)
    out = []
    for c, t in zip(centres, treated):
        if len(t) == 0:
            raise ValueError(f"no unit holds or lies within {radius_m} m of the planted centre {c}; "
                             "pick a centre inside the units or raise the intervention radius")
        area = shapely.union_all(geoms[t])
        near = np.flatnonzero(shapely.dwithin(geoms, area, buffer_m))
        out.append((t, np.setdiff1d(near, all_treated)))
    return out


def _counts(unit_of: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(unit_of[mask & (unit_of >= 0)], minlength=n)


def plant_interventions(cfg: Any, units: gpd.GeoDataFrame, incidents: pd.DataFrame, inc_xy: np.ndarray,
                        inc_unit: np.ndarray, hotspot: np.ndarray, *, centres: list[tuple[float, float]],
                        categories: list[str], category_p: list[float]) -> dict:
    """Apply the planted interventions of ``cfg`` to the incidents (see the module docstring).

    ``incidents`` are the main generator's rows (columns ``id, date, categorie, longitude,
    latitude``), ``inc_xy`` their Lambert-93 coordinates, ``inc_unit`` their unit position (-1:
    none), ``hotspot`` their planted hot spot. Returns the new ``incidents``, ``hotspot``, ``unit``
    (unit position of each row), ``old_crime``/``new_crime`` per unit and the ``truth`` list.
    """
    if len(cfg.buffer_rr) != len(cfg.interventions):
        raise ValueError(f"buffer_rr has {len(cfg.buffer_rr)} value(s) for {len(cfg.interventions)} intervention(s); "
                         "give one buffer rate ratio per intervention")
    rng = np.random.default_rng(cfg.seed + 1)
    n = len(units)
    codes = units["code_iris"].to_numpy()
    plans = plan_areas(units, centres, radius_m=cfg.intervention_radius_m, buffer_m=cfg.intervention_buffer_m)
    when = pd.to_datetime(incidents["date"]).to_numpy()
    keep = np.ones(len(incidents), bool)
    new_rows, new_xy, new_unit = [], [], []
    truth = []
    old_crime = np.bincount(inc_unit[inc_unit >= 0], minlength=n)
    for k, ((t, b), spec, brr) in enumerate(zip(plans, cfg.interventions, cfg.buffer_rr)):
        post = when >= np.datetime64(pd.Timestamp(spec["start"]))
        rec = {"id": f"patrol-{k + 1}", "hotspot": spec["hotspot"], "centre_x": centres[k][0],
               "centre_y": centres[k][1], "radius_m": cfg.intervention_radius_m, "start": spec["start"],
               "treated": [str(c) for c in codes[t]], "effect_rate_ratio": cfg.intervention_rr,
               "buffer_m": cfg.intervention_buffer_m, "buffer": [str(c) for c in codes[b]],
               "buffer_rate_ratio": brr,
               "buffer_effect": "displacement" if brr > 1 else ("diffusion of benefits" if brr < 1 else "none")}
        for role, idx, rr in (("treated", t, cfg.intervention_rr), ("buffer", b, brr)):
            inside = np.isin(inc_unit, idx)
            sel = np.flatnonzero(inside & post)
            counterfactual = len(sel)
            added = 0
            if rr < 1:  # exactly round(rr * n) of the area's n post-start incidents survive
                drop = rng.choice(len(sel), size=len(sel) - int(round(rr * len(sel))), replace=False)
                keep[sel[drop]] = False
            elif rr > 1:  # exactly round((rr - 1) * n) new ones, spread over the units like their incidents
                per = _counts(inc_unit, inside & post, n)[idx]
                added = int(round((rr - 1) * per.sum()))
                extra = rng.multinomial(added, per / per.sum()) if per.sum() else np.zeros(len(idx), int)
                for u, m in zip(idx, extra):
                    if m == 0:
                        continue
                    xy = sample_in(rng, units.geometry.iloc[u], int(m))
                    new_xy.append(xy)
                    new_unit.append(np.full(int(m), u))
                    new_rows.append(pd.DataFrame({
                        "date": _dates_between(rng, spec["start"], max(cfg.years), int(m)),
                        "categorie": rng.choice(categories, size=int(m), p=np.asarray(category_p))}))
            rec[f"{role}_counts"] = {
                "before": int((inside & ~post).sum()), "after_without_effect": counterfactual,
                "after_expected": round(rr * counterfactual, 2),
                "after": int(keep[sel].sum()) + added}
        truth.append(rec)
    # assemble: survivors keep their ids and rows; new incidents get ids after the last one
    kept = incidents[keep]
    xy = inc_xy[keep]
    unit = inc_unit[keep]
    hot = hotspot[keep]
    if new_rows:
        add = pd.concat(new_rows, ignore_index=True)
        axy = np.vstack(new_xy)
        lonlat = gpd.GeoSeries(gpd.points_from_xy(axy[:, 0], axy[:, 1]), crs=2154).to_crs(4326)
        add.insert(0, "id", [f"INC{len(incidents) + i:06d}" for i in range(len(add))])
        add["longitude"] = np.round(lonlat.x.to_numpy(), 6)
        add["latitude"] = np.round(lonlat.y.to_numpy(), 6)
        kept = pd.concat([kept, add[kept.columns]], ignore_index=True)
        xy = np.vstack([xy, axy])
        unit = np.concatenate([unit, np.concatenate(new_unit)])
        hot = np.concatenate([hot, np.full(len(add), -1)])
    order = np.lexsort((xy[:, 0], kept["date"].to_numpy()))
    new_crime = np.bincount(unit[order][unit[order] >= 0], minlength=n)
    return {"incidents": kept.iloc[order].reset_index(drop=True), "hotspot": hot[order], "unit": unit[order],
            "old_crime": old_crime, "new_crime": new_crime, "truth": truth}


def follow_crime(cfg: Any, units: gpd.GeoDataFrame, checks: pd.DataFrame, check_unit: np.ndarray,
                 lam: np.ndarray, old_crime: np.ndarray, new_crime: np.ndarray,
                 share: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Checks of the units whose incidents the interventions changed, redrawn to follow the new counts.

    Thinning with probability ``r_i`` or adding ``Poisson((r_i - 1) lam_i)`` checks turns
    ``Poisson(lam_i)`` into ``Poisson(r_i lam_i)``; ``lam_i`` is the unit's mean (with its Gamma
    factor) and ``r_i = (new_i + 0.5) / (old_i + 0.5)``. ``checks`` carry ``group`` and ``outcome``
    (:func:`stop_outcomes`); new checks draw theirs from the same stream as their places.
    """
    rng = np.random.default_rng(cfg.seed + 3)
    r = (new_crime + 0.5) / (old_crime + 0.5)
    keep = np.ones(len(checks), bool)
    thin = r[check_unit] < 1
    keep[thin] = rng.random(int(thin.sum())) < r[check_unit][thin]
    out, unit = checks[keep], check_unit[keep]
    grow = np.flatnonzero(r > 1)
    extra = rng.poisson((r[grow] - 1) * lam[grow])
    if extra.sum():
        xy = np.vstack([sample_in(rng, units.geometry.iloc[u], int(m)) for u, m in zip(grow, extra)])
        lonlat = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=2154).to_crs(4326)
        m = int(extra.sum())
        add = pd.DataFrame({
            "id": [f"CTL{len(checks) + i:06d}" for i in range(m)],
            "date": random_dates(rng, list(cfg.years), m).to_numpy(),
            "motif": rng.choice(["contrôle d'identité", "contrôle routier"], size=m, p=[0.8, 0.2]),
            "longitude": np.round(lonlat.x.to_numpy(), 6), "latitude": np.round(lonlat.y.to_numpy(), 6)})
        add["group"], add["outcome"] = stop_outcomes(cfg, np.repeat(grow, extra), share, rng=rng)
        out = pd.concat([out, add], ignore_index=True)
        unit = np.concatenate([unit, np.repeat(grow, extra)])
    return out.reset_index(drop=True), unit


def stop_outcomes(cfg: Any, check_unit: np.ndarray, share: np.ndarray, *,
                  rng: np.random.Generator | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The checked person's group and the check's outcome (1: found something), per check.

    Drawn from ``rng`` (default ``np.random.default_rng(seed + 2)``): group ``immigré`` with probability
    ``o s / (o s + 1 - s)`` (``s`` the unit's immigrant share, ``o = check_group_odds``), outcome 1
    with probability ``hit_rate_group`` for ``immigré`` and ``hit_rate_reference`` otherwise.
    """
    rng = np.random.default_rng(cfg.seed + 2) if rng is None else rng
    s = np.asarray(share, float)[check_unit]
    o = cfg.check_group_odds
    is_group = rng.random(len(s)) < o * s / (o * s + 1 - s)
    hit = rng.random(len(s)) < np.where(is_group, cfg.hit_rate_group, cfg.hit_rate_reference)
    return np.where(is_group, GROUP_LABELS[1], GROUP_LABELS[0]), hit.astype(int)


def plant(cfg: Any, units: gpd.GeoDataFrame, incidents: pd.DataFrame, inc_xy: np.ndarray, inc_unit: np.ndarray,
          hotspot: np.ndarray, *, checks: pd.DataFrame, n_checks: np.ndarray, lam: np.ndarray, share: np.ndarray,
          centres: list[tuple[float, float]], categories: list[str],
          category_p: list[float]) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, dict]:
    """Everything this module plants: returns incidents, their hot spot, checks and the truth entries.

    ``n_checks`` and ``lam`` are the checks per unit and their Poisson means (the checks' rows are
    in unit order, as the main generator draws them).
    """
    p = plant_interventions(cfg, units, incidents, inc_xy, inc_unit, hotspot, centres=centres,
                            categories=categories, category_p=category_p)
    check_unit = np.repeat(np.arange(len(units)), n_checks)
    checks = checks.copy()
    checks["group"], checks["outcome"] = stop_outcomes(cfg, check_unit, share)
    checks, check_unit = follow_crime(cfg, units, checks, check_unit, lam, p["old_crime"], p["new_crime"], share)
    truth = {
        "interventions": p["truth"],
        "stop_outcomes": {
            "group_column": "group", "outcome_column": "outcome", "reference": GROUP_LABELS[0],
            "group": GROUP_LABELS[1], "hit_rate_reference": cfg.hit_rate_reference,
            "hit_rate_group": cfg.hit_rate_group, "check_group_odds": cfg.check_group_odds,
            "n_checks": {g: int((checks["group"] == g).sum()) for g in GROUP_LABELS},
            "model": "group ~ Bernoulli(o*s/(o*s+1-s)), s the unit's immigrant share, o check_group_odds; "
                     "outcome ~ Bernoulli(the group's hit rate): the group is checked on a lower threshold"},
        "checks_follow_planted_incidents": {
            "units_changed": int((p["new_crime"] != p["old_crime"]).sum()),
            "checks_removed": int(n_checks.sum() + (checks["id"] >= f"CTL{int(n_checks.sum()):06d}").sum()
                                  - len(checks)),
            "checks_added": int((checks["id"] >= f"CTL{int(n_checks.sum()):06d}").sum())},
    }
    return p["incidents"], p["hotspot"], checks, truth
