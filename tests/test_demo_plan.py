"""The demo's planted patrols (issue 16 item 4) and stop-level outcomes (issue 15 item 6)."""

from __future__ import annotations

import dataclasses
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
import shapely
from statsmodels.stats.proportion import confint_proportions_2indep

import lillegeo as lg
from lillegeo.demo import DEMO_DIR, DemoConfig, generate_demo
from lillegeo.demo_plan import GROUP_LABELS, plan_areas, stop_outcomes
from lillegeo.equity import outcome_test
from lillegeo.pipeline import run_outcome_test

TRUTH = json.loads((DEMO_DIR / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def no_effect():
    """The default demo with the planted effects set to none (rate ratios 1.0)."""
    cfg = DemoConfig()
    return generate_demo(dataclasses.replace(cfg, intervention_rr=1.0, buffer_rr=(1.0,) * len(cfg.buffer_rr)))


@pytest.fixture(scope="module")
def shipped():
    return {n: pd.read_csv(DEMO_DIR / f"{n}.csv", dtype=str, keep_default_na=False) for n in ("incidents", "checks")}


def test_truth_records_the_planted_patrols():
    cfg = DemoConfig()
    ivs = TRUTH["interventions"]
    assert [i["start"] for i in ivs] == [s["start"] for s in cfg.interventions] == ["2023-07-01"] * 2
    assert [i["effect_rate_ratio"] for i in ivs] == [0.75, 0.75]
    assert [i["buffer_rate_ratio"] for i in ivs] == [1.2, 0.85]
    assert [i["buffer_effect"] for i in ivs] == ["displacement", "diffusion of benefits"]
    assert all(i["buffer_m"] == 300 and len(i["treated"]) >= 1 and len(i["buffer"]) >= 1 for i in ivs)
    for i in ivs:  # expected count = rate ratio x the count the main generator drew (hand rule)
        for role, rr in (("treated", i["effect_rate_ratio"]), ("buffer", i["buffer_rate_ratio"])):
            c = i[f"{role}_counts"]
            assert c["after_expected"] == pytest.approx(rr * c["after_without_effect"], abs=0.01)
    # the areas are disjoint: no unit is treated or buffer in both
    sets = [set(i["treated"]) | set(i["buffer"]) for i in ivs]
    assert not sets[0] & sets[1]


def test_treated_and_buffer_units_follow_the_stated_rule():
    """Treated: representative point within radius_m of the centre (or holding it); buffer: within buffer_m."""
    ds = lg.load_demo()
    u = ds.units.sort_values("unit_id").reset_index(drop=True)
    for iv in TRUTH["interventions"]:
        rp = u.geometry.representative_point()
        d = np.hypot(rp.x - iv["centre_x"], rp.y - iv["centre_y"])
        holds = u.contains(shapely.Point(iv["centre_x"], iv["centre_y"]))
        assert sorted(u.loc[(d <= iv["radius_m"]) | holds, "unit_id"]) == iv["treated"]
        area = u.loc[u["unit_id"].isin(iv["treated"]), "geometry"].union_all()
        near = u.loc[(u.distance(area) <= iv["buffer_m"]) & ~u["unit_id"].isin(iv["treated"]), "unit_id"]
        assert sorted(near) == iv["buffer"]


def _unit_of(points: pd.DataFrame, units) -> pd.Series:
    g = gpd.GeoDataFrame(geometry=gpd.points_from_xy(points["longitude"].astype(float),
                                                     points["latitude"].astype(float)), crs=4326).to_crs(2154)
    j = gpd.sjoin(g, units[["unit_id", "geometry"]], predicate="within", how="left")
    return j[~j.index.duplicated()]["unit_id"].reindex(g.index)


def test_only_incidents_in_the_areas_after_the_start_change(no_effect, shipped):
    base = no_effect["incidents"].astype(str)
    new = shipped["incidents"]
    assert list(new.columns) == list(base.columns)
    removed = base[~base["id"].isin(new["id"])]
    added = new[~new["id"].isin(base["id"])]
    kept = new[new["id"].isin(base["id"])].set_index("id")
    # every surviving row is byte-for-byte the row the main generator drew
    pd.testing.assert_frame_equal(kept, base.set_index("id").loc[kept.index])
    units = lg.load_demo().units
    areas = set().union(*(set(i["treated"]) | set(i["buffer"]) for i in TRUTH["interventions"]))
    for frame in (removed, added):
        assert len(frame) > 0
        assert (frame["date"] >= "2023-07-01").all()
        assert _unit_of(frame, units).isin(areas).all()
    assert (added["id"] >= f"INC{len(base):06d}").all()
    # the census is untouched: the shipped one is the one the no-effect run draws
    census = pd.read_csv(DEMO_DIR / "census.csv", sep=";", dtype=str)
    assert census["P21_POP"].astype(float).round(4).tolist() == no_effect["census"]["P21_POP"].tolist()


def test_the_no_effect_run_plants_nothing(no_effect):
    t = no_effect["truth"]
    for iv in t["interventions"]:
        for role in ("treated", "buffer"):
            c = iv[f"{role}_counts"]
            assert c["after"] == c["after_without_effect"] == c["after_expected"]
    assert t["checks_follow_planted_incidents"] == {"units_changed": 0, "checks_removed": 0, "checks_added": 0}


def test_the_planted_rate_ratios_are_realised_exactly():
    """After the start, exactly round(rr x n) of an area's n incidents are shipped (hand rule of
    lillegeo/demo_plan.py: a random subset is kept, or round((rr - 1) n) are added)."""
    for iv in TRUTH["interventions"]:
        for role, rr in (("treated", iv["effect_rate_ratio"]), ("buffer", iv["buffer_rate_ratio"])):
            c = iv[f"{role}_counts"]
            assert c["after"] == round(rr * c["after_without_effect"]), (iv["id"], role, c)
    # patrol-1's treated area: 1,602 incidents after the start as drawn, 0.75 x 1,602 = 1,201.5 -> 1,202 kept
    assert TRUTH["interventions"][0]["treated_counts"]["after"] == 1202


def test_checks_outside_the_areas_are_unchanged(no_effect, shipped):
    base = no_effect["checks"].astype(str).set_index("id")
    new = shipped["checks"].set_index("id")
    common = new.index.intersection(base.index)
    pd.testing.assert_frame_equal(new.loc[common], base.loc[common])
    t = TRUTH["checks_follow_planted_incidents"]
    assert len(base) - t["checks_removed"] + t["checks_added"] == len(new)
    assert t["units_changed"] == sum(len(i["treated"]) + len(i["buffer"]) for i in TRUTH["interventions"])
    gone = base.loc[base.index.difference(new.index)].reset_index()
    areas = set().union(*(set(i["treated"]) | set(i["buffer"]) for i in TRUTH["interventions"]))
    assert _unit_of(gone, lg.load_demo().units).isin(areas).all()


def test_outcome_test_recovers_the_planted_hit_rates():
    """Planted: 12 % hits for 'non immigré', 8 % for 'immigré' (truth.json). The Newcombe interval of
    the difference (statsmodels' confint_proportions_2indep, called directly on the page's counts)
    covers 0.04 and excludes 0; each group's 99 % Wilson interval covers its rate (the drawn 663 / 5074
    = 13.07 % sits 2.3 standard errors above 12 %, outside the 95 % interval: sampling noise)."""
    so = TRUTH["stop_outcomes"]
    assert (so["hit_rate_reference"], so["hit_rate_group"]) == (0.12, 0.08)
    t = run_outcome_test(lg.load_demo()).set_index("group")
    assert set(t.index) == set(GROUP_LABELS)
    ref, grp = t.loc[so["reference"]], t.loc[so["group"]]
    wide = outcome_test(lg.load_demo().points["checks"], group="group", outcome="outcome", ci=0.99).set_index("group")
    for g, rate in ((so["reference"], 0.12), (so["group"], 0.08)):
        assert wide.loc[g, "ci_low"] <= rate <= wide.loc[g, "ci_high"], g
    assert grp["ci_high"] < ref["ci_low"]  # the disparity is visible, not only planted
    assert (int(ref["stops"]), int(grp["stops"])) == (so["n_checks"][so["reference"]], so["n_checks"][so["group"]])
    lo, hi = confint_proportions_2indep(int(ref["hits"]), int(ref["stops"]), int(grp["hits"]), int(grp["stops"]),
                                        method="newcomb", compare="diff")
    assert lo <= 0.12 - 0.08 <= hi and lo > 0


def test_no_disparity_when_the_hit_rates_are_equal():
    """With equal planted hit rates, the difference interval covers 0 (a test that can fail: rates differ)."""
    cfg = dataclasses.replace(DemoConfig(), hit_rate_group=0.12)
    share = np.random.default_rng(1).uniform(0.05, 0.6, 300)
    group, outcome = stop_outcomes(cfg, np.repeat(np.arange(300), 27), share)
    k = pd.Series(outcome).groupby(group).agg(["sum", "count"])
    a, b = k.loc[GROUP_LABELS[0]], k.loc[GROUP_LABELS[1]]
    lo, hi = confint_proportions_2indep(a["sum"], a["count"], b["sum"], b["count"], method="newcomb", compare="diff")
    assert lo <= 0 <= hi


def test_plan_areas_refuses_an_empty_area():
    ds = lg.load_demo()
    with pytest.raises(ValueError, match="pick a centre inside the units"):
        plan_areas(ds.units, [(0.0, 0.0)], radius_m=500, buffer_m=300)


def test_one_buffer_rate_ratio_per_intervention():
    with pytest.raises(ValueError, match="one buffer rate ratio per intervention"):
        generate_demo(dataclasses.replace(DemoConfig(n_cells=1500, n_incidents=3000), buffer_rr=(1.2,)))


def _monthly_panel(units: gpd.GeoDataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents per unit and month (every unit-month, zeros included), H/Z units only."""
    u = units.rename(columns={"code_iris": "unit_id", "type_iris": "unit_type"})
    u = u[u["unit_type"].isin(["H", "Z"])]
    j = _unit_of(incidents, u).rename("unit").to_frame()
    j["month"] = pd.to_datetime(incidents["date"]).dt.to_period("M").dt.to_timestamp()
    j = j.dropna()
    months = pd.date_range("2022-01-01", "2024-12-01", freq="MS")
    full = pd.MultiIndex.from_product([sorted(u["unit_id"]), months], names=["unit", "month"])
    return j.groupby(["unit", "month"]).size().reindex(full, fill_value=0).rename("count").reset_index()


def _did(panel: pd.DataFrame, truth: dict) -> list[tuple[str, str, float, float, float, float]]:
    """Poisson DiD (pyfixest.fepois, unit and month fixed effects, errors clustered by unit) of each
    planted area against the units of neither area: (id, role, truth, rate ratio, ci low, ci high)."""
    areas = set().union(*(set(i["treated"]) | set(i["buffer"]) for i in truth["interventions"]))
    out = []
    for iv in truth["interventions"]:
        for role, rr in (("treated", iv["effect_rate_ratio"]), ("buffer", iv["buffer_rate_ratio"])):
            sub = panel[~panel["unit"].isin(areas) | panel["unit"].isin(iv[role])].copy()
            sub["tp"] = (sub["unit"].isin(iv[role]) & (sub["month"] >= iv["start"])).astype(int)
            m = pf.fepois("count ~ tp | unit + month", data=sub, vcov={"CRV1": "unit"})
            lo, hi = np.exp(m.confint().loc["tp"].to_numpy())
            out.append((iv["id"], role, rr, float(np.exp(m.coef()["tp"])), float(lo), float(hi)))
    return out


def test_pyfixest_recovers_the_planted_patrols():
    """The demo's design is recoverable: each area's Poisson DiD interval (pyfixest called directly)
    covers the planted rate ratio. Obtained on the shipped demo: patrol-1 treated 0.761 [0.676, 0.858]
    (truth 0.75), buffer 1.195 [1.041, 1.371] (1.2); patrol-2 treated 0.741 [0.637, 0.862] (0.75),
    buffer 0.867 [0.739, 1.017] (0.85)."""
    ds_units = lg.load_demo().units.rename(columns={"unit_id": "code_iris", "unit_type": "type_iris"})
    incidents = pd.read_csv(DEMO_DIR / "incidents.csv")
    res = _did(_monthly_panel(ds_units, incidents), TRUTH)
    for iv, role, rr, est, lo, hi in res:
        assert lo <= rr <= hi, (iv, role, rr, est, lo, hi)
    treated = [r for r in res if r[1] == "treated"]
    assert all(hi < 1 for *_, hi in treated)  # the cut itself is detected, not only covered


def test_pyfixest_finds_nothing_when_no_effect_is_planted(no_effect):
    res = _did(_monthly_panel(no_effect["units"], no_effect["incidents"]), no_effect["truth"])
    for iv, role, rr, est, lo, hi in res:
        assert rr == 1.0 and lo <= 1.0 <= hi, (iv, role, est, lo, hi)
