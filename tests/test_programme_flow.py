"""Programme evaluation flow: design (treated / buffer / control), the panel, run_programme, findings, CLI."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from lillegeo.fmt import fmt_interval, fmt_number, fmt_p
from lillegeo.params import ProgrammeParams
from lillegeo.programme import methods
from lillegeo.programme.design import design, match_controls, parse_treated, units_inside
from lillegeo.programme.findings import programme_findings
from lillegeo.programme.panel import build_panel, check_panel_size, wide_counts
from lillegeo.programme.run import run_programme


@pytest.fixture()
def grid():
    """5 x 5 grid of 100 m squares (Lambert-93), codes 'r{row}c{col}'; the corner unit r4c4 is of type A."""
    rows, geoms = [], []
    for r in range(5):
        for c in range(5):
            geoms.append(box(700_000 + c * 100, 7_050_000 + r * 100, 700_100 + c * 100, 7_050_100 + r * 100))
            rows.append({"unit_id": f"r{r}c{c}", "unit_type": "A" if (r, c) == (4, 4) else "H"})
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=2154)


def _role_set(roles, role):
    return set(roles.index[roles == role])


# ------------------------------------------------------------------ design

def test_buffer_rings_on_grid(grid):
    # centre r2c2 treated; queen ring 1 = the 8 squares around it (hand count); ring 2 = the other 16
    roles, starts, areas = design(grid, ProgrammeParams(treated=("r2c2",), start="2023-07-01", buffer_rings=1))
    ring1 = {f"r{r}c{c}" for r in (1, 2, 3) for c in (1, 2, 3)} - {"r2c2"}
    assert _role_set(roles, "treated") == {"r2c2"}
    assert _role_set(roles, "buffer") == ring1
    # control: the 16 outer squares minus the A unit r4c4 (left out)
    assert len(_role_set(roles, "control")) == 15 and roles["r4c4"] == "excluded"
    assert starts["r2c2"] == pd.Timestamp("2023-07-01") and starts["r1c1"] == pd.Timestamp("2023-07-01")
    assert pd.isna(starts["r0c0"]) and areas["r0c0"] == "" and areas["r1c2"] == areas["r2c2"] == "2023-07-01"
    roles2, _, _ = design(grid, ProgrammeParams(treated=("r2c2",), start="2023-07-01", buffer_rings=2))
    assert len(_role_set(roles2, "buffer")) == 24 and not _role_set(roles2, "control")


def test_buffer_metres_on_grid(grid):
    # treated r2c2 (x 700200-700300, y 7050200-7050300). Squares touching it are 0 m away; the next ring
    # is 100 m away (edge to edge) or 100*sqrt(2) = 141 m (corner r0c0 to corner r2c2's (200,200)).
    p = ProgrammeParams(treated=("r2c2",), start="2023-07-01", buffer_m=50)
    roles, _, _ = design(grid, p)
    assert len(_role_set(roles, "buffer")) == 8
    roles, _, _ = design(grid, p.replace(buffer_m=120))  # edge-adjacent second ring (100 m) in; corners (141 m) out
    ring2_edges = {"r0c1", "r0c2", "r0c3", "r4c1", "r4c2", "r4c3", "r1c0", "r2c0", "r3c0", "r1c4", "r2c4", "r3c4"}
    assert _role_set(roles, "buffer") == ring1_plus(ring2_edges)
    roles, _, _ = design(grid, p.replace(buffer_m=150))  # corners at 141 m now in: every other unit
    assert len(_role_set(roles, "buffer")) == 24


def ring1_plus(extra):
    return ({f"r{r}c{c}" for r in (1, 2, 3) for c in (1, 2, 3)} - {"r2c2"}) | extra


def test_staggered_starts_and_areas(grid):
    roles, starts, areas = design(grid, ProgrammeParams(treated=("r0c0", "r4c0@2024-01-01", "r0c4"),
                                                        start="2023-07-01", buffer_rings=1))
    assert starts["r4c0"] == pd.Timestamp("2024-01-01")
    # r0c0 and r0c4 share a start but do not touch: two areas, numbered by their first code
    assert areas["r0c0"] == "2023-07-01 #1" and areas["r0c4"] == "2023-07-01 #2" and areas["r4c0"] == "2024-01-01"
    # a buffer unit takes the area and start of its nearest treated unit
    assert areas["r1c0"] == "2023-07-01 #1" and areas["r3c0"] == "2024-01-01"
    assert starts["r3c0"] == pd.Timestamp("2024-01-01")


def test_design_refusals(grid):
    with pytest.raises(ValueError, match=r"not among the units: nope; codes look like: r0c0"):
        design(grid, ProgrammeParams(treated=("nope",), start="2023-07-01"))
    with pytest.raises(ValueError, match="has no start date"):
        design(grid, ProgrammeParams(treated=("r0c0",)))
    with pytest.raises(ValueError, match="is not a date"):
        parse_treated(["r0c0@2023-13-01"], "", ["r0c0"])
    with pytest.raises(ValueError, match="not both"):
        design(grid, ProgrammeParams(treated=("r0c0",), start="2023-07-01", buffer_m=100, buffer_rings=1))
    with pytest.raises(ValueError, match="priority-neighbourhood layer"):
        design(grid, ProgrammeParams(treated_from="qpv", start="2023-07-01"))
    with pytest.raises(ValueError, match="hotspots selection is empty"):
        design(grid, ProgrammeParams(treated_from="hotspots", start="2023-07-01"), hotspot_units=[])
    with pytest.raises(ValueError, match="needs the units' counts"):
        design(grid, ProgrammeParams(treated=("r0c0",), start="2023-07-01", control="matched"))


def test_units_inside_qpv_and_upload(grid):
    # a polygon covering r0c0 fully and 60 % of r0c1, 40 % of r1c0 (hand-computed shares)
    area = gpd.GeoDataFrame(geometry=[box(700_000, 7_050_000, 700_160, 7_050_100),
                                      box(700_000, 7_050_100, 700_040, 7_050_200)], crs=2154)
    assert sorted(units_inside(grid, area)) == ["r0c0", "r0c1"]
    roles, _, _ = design(grid, ProgrammeParams(treated_from="qpv", start="2023-07-01"), qpv=area)
    assert _role_set(roles, "treated") == {"r0c0", "r0c1"}
    roles, _, _ = design(grid, ProgrammeParams(treated_from="hotspots", start="2023-07-01"), hotspot_units=["r3c3"])
    assert _role_set(roles, "treated") == {"r3c3"}
    with pytest.raises(ValueError, match="different CRS"):
        units_inside(grid, area.set_crs(4326, allow_override=True))
    with pytest.raises(ValueError, match="must be polygons"):
        units_inside(grid, gpd.GeoDataFrame(geometry=[Point(700_010, 7_050_010)], crs=2154))


def test_matched_controls_by_hand():
    # units: treated T (pre counts 10, 12: level 11, slope 2); candidates A (11, 13) identical trend +1 level,
    # B (0, 0), C (30, 10). Standardised distances: A nearest, then C or B; with n=1 only A is kept.
    codes = ["T", "A", "B", "C"]
    counts = pd.DataFrame([[10, 12, 20], [11, 13, 5], [0, 0, 0], [30, 10, 1]], index=codes,
                          columns=pd.to_datetime(["2023-05-01", "2023-06-01", "2023-07-01"]))
    roles = pd.Series(["treated", "control", "control", "control"], index=codes)
    out = match_controls(roles, counts, pd.Timestamp("2023-07-01"), 1)
    assert out.to_dict() == {"T": "treated", "A": "control", "B": "excluded", "C": "excluded"}
    # z-scores by hand: level (11, 12, 0, 20) mean 10.75 sd 7.12; slope (2, 2, 0, -20) mean -4 sd 9.27;
    # B: |dz| = (11/7.12, 2/9.27) -> 1.56; C: (9/7.12, 22/9.27) -> 2.69: B is second
    out2 = match_controls(roles, counts, pd.Timestamp("2023-07-01"), 2)
    assert set(out2[out2 == "control"].index) == {"A", "B"}
    with pytest.raises(ValueError, match="at least 2 periods before"):
        match_controls(roles, counts, pd.Timestamp("2023-06-01"), 1)


# ------------------------------------------------------------------ panel

def _points(rows):
    return gpd.GeoDataFrame({"date": pd.to_datetime([r[2] for r in rows]), "category": [r[3] for r in rows]},
                            geometry=[Point(700_000 + r[0], 7_050_000 + r[1]) for r in rows], crs=2154)


def test_panel_counts_by_hand(grid):
    pts = _points([(50, 50, "2023-01-05", "vol"), (60, 50, "2023-01-20", "vol"),   # r0c0, Jan: 2
                   (50, 50, "2023-03-31", "violence"),                              # r0c0, Mar: 1 (Feb: 0)
                   (250, 250, "2023-02-02", "vol"),                                 # r2c2, Feb: 1
                   (450, 450, "2023-02-02", "vol"),                                 # r4c4 (A unit, excluded)
                   (9_999, 9_999, "2023-02-02", "vol")])                            # outside every unit
    roles, starts, areas = design(grid, ProgrammeParams(treated=("r2c2",), start="2023-02-01", buffer_rings=1))
    panel = build_panel(pts, grid, roles, starts, areas)
    assert list(panel.columns) == ["unit", "period", "count", "role", "start", "area"]
    assert len(panel) == 24 * 3  # 24 units in a role (r4c4 excluded) x Jan, Feb, Mar (zero-filled)
    c = panel.set_index(["unit", "period"])["count"]
    assert c[("r0c0", pd.Timestamp("2023-01-01"))] == 2 and c[("r0c0", pd.Timestamp("2023-02-01"))] == 0
    assert c[("r0c0", pd.Timestamp("2023-03-01"))] == 1 and c[("r2c2", pd.Timestamp("2023-02-01"))] == 1
    assert panel["count"].sum() == 4
    row = panel[panel["unit"] == "r2c2"].iloc[0]
    assert row["role"] == "treated" and row["start"] == pd.Timestamp("2023-02-01") and row["area"] == "2023-02-01"
    q = build_panel(pts, grid, roles, starts, areas, period="quarter", categories=("vol",))
    # one quarter (Q1 2023); r0c0 keeps its 2 thefts, the violence is filtered out
    assert q["period"].nunique() == 1 and q.set_index("unit")["count"]["r0c0"] == 2
    assert wide_counts(pts, grid).loc["r4c4"].sum() == 1


def test_panel_refusals(grid):
    with pytest.raises(ValueError, match="over the limit of 4,000,000"):
        check_panel_size(200_000, 36)
    pts = _points([(50, 50, "2023-01-05", "vol")]).drop(columns="date")
    roles, starts, areas = design(grid, ProgrammeParams(treated=("r2c2",), start="2023-02-01"))
    with pytest.raises(ValueError, match="no date column"):
        build_panel(pts, grid, roles, starts, areas)


# ------------------------------------------------------------------ run_programme on the demo

DEMO_TREATED = ("599010101", "599010102")  # two units that are not the planted patrols' (any units)


@pytest.fixture(scope="module")
def demo_did():
    import lillegeo as lg

    ds = lg.load_demo()
    p = ProgrammeParams(treated=DEMO_TREATED, start="2023-07-01", buffer_m=300, method="did")
    return ds, run_programme(ds, p)


def test_run_programme_on_demo(demo_did):
    ds, res = demo_did
    roles, panel = res.roles, res.panel
    assert set(roles.index[roles == "treated"]) == set(DEMO_TREATED)
    # every unit of the panel has a role; A/D units are never control
    ad = set(ds.units.loc[ds.units["unit_type"].isin(["A", "D"]), "unit_id"].astype(str))
    assert not ad & set(roles.index[roles == "control"])
    # 36 months of 2022-2024, zero-filled; panel counts = incidents in the panel's units (aggregate_points)
    assert panel["period"].nunique() == 36 and len(panel) == 36 * roles.isin(["treated", "buffer", "control"]).sum()
    in_panel = ds.units["unit_id"].astype(str).isin(panel["unit"].unique())
    assert panel["count"].sum() == ds.units.loc[in_panel, "incidents"].sum()
    # the chosen method is did, computed on this very panel; before/after and the event study also ran
    assert res.estimate == res.estimates["did"] and {"before_after", "event", "wdd"} <= set(res.estimates)
    direct = methods.did(panel, alpha=0.05)
    assert res.estimate.estimate == pytest.approx(direct.estimate, rel=1e-12)
    assert res.event is not None and "rel_period" in res.event.columns
    # series: mean events per unit of each role and month (by hand with pandas), withheld under 11
    t = panel[panel["role"] == "treated"].groupby("period")["count"]
    expected = t.mean().where(~t.sum().between(1, 10))
    pd.testing.assert_series_equal(res.series["treated"], expected, check_names=False)
    assert res.start == pd.Timestamp("2023-07-01") and res.synthetic_data is True


def test_change_map_by_hand(demo_did):
    _, res = demo_did
    panel, ch = res.panel, res.change.set_index("unit_id")
    for unit in ch.index[:40]:
        u = panel[panel["unit"] == unit]
        b, a = u.loc[u["period"] < "2023-07-01", "count"], u.loc[u["period"] >= "2023-07-01", "count"]
        hidden = 1 <= b.sum() <= 10 or 1 <= a.sum() <= 10
        assert ch.loc[unit, "withheld"] == hidden
        if not hidden:  # 18 months before, 18 after
            assert ch.loc[unit, "before"] == pytest.approx(b.sum() / 18)
            assert ch.loc[unit, "change"] == pytest.approx(a.sum() / b.sum()) if b.sum() else True
        else:
            assert math.isnan(ch.loc[unit, "before"]) and math.isnan(ch.loc[unit, "change"])


def test_findings_words(demo_did):
    _, res = demo_did
    e = res.estimate
    en, fr = programme_findings(res, "en"), programme_findings(res, "fr")
    if not res.pretrend.ok:  # a failed pre-trend check comes first, before the number it puts in doubt
        assert en[0].startswith("Warning: before the start") and fr[0].startswith("Attention")
        en, fr = en[1:], fr[1:]
    assert en[0].startswith("Difference-in-differences: after the start the treated area had")
    assert f"rate ratio {fmt_number(e.estimate, 'en', 2)}" in en[0] and fmt_p(e.p_value) in en[0]
    assert fmt_interval(e.ci_low, e.ci_high, "fr") in fr[0] and "335 unités, 36 mois" in fr[0]
    assert en[1] == "Design: 2 treated units, 18 in the buffer, 333 control units; start 2023-07-01."
    # the two treated units do not touch: two areas, each with its buffer and its WDQ sentence
    for area, words in (("2023-07-01 #1", "no. 1 (start 2023-07-01)"), ("2023-07-01 #2", "no. 2 (start 2023-07-01)")):
        wdq = res.estimates[f"wdd@{area}"].extra
        said = (f"weighted displacement quotient {fmt_number(wdq['wdq'], 'en', 2)}" if math.isfinite(wdq["wdq"])
                else "the weighted displacement quotient is not defined")  # no fall in the treated area
        assert any(s.startswith(f"In the buffer around the treated area {words}: {said}") for s in en), en
    assert en[-1] == "These are synthetic demo data, not real events."
    assert not any("p = <" in s for s in en + fr)


def test_cli_equals_run_programme(demo_did, tmp_path, capsys):
    from lillegeo.cli import main

    ds, res = demo_did
    out = tmp_path / "est.csv"
    rc = main(["evaluate", "--units", "geodata/demo/units.geojson", "--points", "incidents=geodata/demo/incidents.csv",
               "--treated", ",".join(DEMO_TREATED), "--start", "2023-07-01", "--buffer-m", "300", "--method", "did",
               "--out", str(out)])
    assert rc == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last == res.estimate.to_json()  # same units and incidents files as the demo: the same numbers
    table = pd.read_csv(out)
    assert table["method"].iloc[0] == "did" and table["estimate"].iloc[0] == pytest.approx(last["estimate"])


def test_cli_treated_file_and_refusals(tmp_path, capsys):
    from lillegeo.cli import main
    from lillegeo.programme.command import treated_codes

    f = tmp_path / "codes.csv"
    f.write_text("code_iris\n599010101\n599010102@2024-01-01\n", encoding="utf-8")
    assert treated_codes(str(f)) == ("599010101", "599010102@2024-01-01")
    assert treated_codes("a, b") == ("a", "b")
    with pytest.raises(ValueError, match="not found"):
        treated_codes(str(tmp_path / "missing.csv"))
    rc = main(["evaluate", "--units", "geodata/demo/units.geojson", "--points", "incidents=geodata/demo/incidents.csv",
               "--treated", "999", "--start", "2023-07-01", "--method", "before_after", "--out", str(tmp_path / "x.csv")])
    assert rc == 2 and "not among the units: 999" in capsys.readouterr().err


# ------------------------------------------------------------------ the planted demo interventions

def _truth(directory):
    return json.loads((directory / "truth.json").read_text(encoding="utf-8"))["interventions"]


def _planted_params(interventions, method="did"):
    treated = tuple(c for iv in interventions for c in iv["treated"])
    assert {iv["start"] for iv in interventions} == {"2023-07-01"}
    return ProgrammeParams(treated=treated, start="2023-07-01", buffer_m=300, method=method)


def _planted_run(ds, interventions):
    return run_programme(ds, _planted_params(interventions))


@pytest.fixture(scope="module")
def planted():
    import lillegeo as lg
    from lillegeo.demo import DEMO_DIR

    ivs = _truth(DEMO_DIR)
    ds = lg.load_demo()
    return ivs, _planted_run(ds, ivs), ds


@pytest.fixture(scope="module")
def no_effect(tmp_path_factory):
    """The demo regenerated with the effects set to none (demo14's DemoConfig options)."""
    import lillegeo as lg
    from lillegeo.demo import DemoConfig, write_demo

    d = tmp_path_factory.mktemp("demo_no_effect")
    write_demo(d, DemoConfig(intervention_rr=1.0, buffer_rr=(1.0, 1.0)))
    ivs = _truth(d)
    assert all(iv["effect_rate_ratio"] == 1.0 and iv["buffer_rate_ratio"] == 1.0 for iv in ivs)
    return ivs, _planted_run(lg.load_demo(d), ivs)


def _planted_count_change(ivs):
    """The events the generator removed (treated) or added/removed (buffer) after the start, from truth.json:
    after_expected - after_without_effect, summed over the treated areas and their buffers."""
    return sum(iv[k]["after_expected"] - iv[k]["after_without_effect"] for iv in ivs
               for k in ("treated_counts", "buffer_counts"))


def test_planted_interventions_recovered(planted):
    ivs, res, _ = planted
    # design = the generator's: same treated units, the same 300 m buffer units
    assert set(res.roles.index[res.roles == "buffer"]) == {c for iv in ivs for c in iv["buffer"]}
    truth_rr = {iv["effect_rate_ratio"] for iv in ivs}.pop()  # 0.75: incidents of treated units cut by a quarter
    for name in ("before_after", "did", "event"):
        e = res.estimates[name]
        # e.g. did 0.744 [0.651, 0.851], event 0.732 [0.682, 0.785], before_after 0.742 [0.700, 0.787]; truth 0.75
        assert e.ok and e.ci_low <= truth_rr <= e.ci_high, (name, e.estimate, e.ci_low, e.ci_high, truth_rr)
        assert e.ci_high < 1  # and the effect is detected
    w = res.estimates["wdd"]
    truth_wdd = _planted_count_change(ivs)  # -629.2 with the shipped demo; WDD -652 [-852, -453]
    assert w.ok and w.ci_low <= truth_wdd <= w.ci_high, (w.estimate, w.ci_low, w.ci_high, truth_wdd)
    # displacement in one buffer, diffusion of benefits in the other: each area's buffer rate ratio covers its truth
    table = res.estimates["before_after"].table
    for area, iv in zip(("2023-07-01 #1", "2023-07-01 #2"), sorted(ivs, key=lambda iv: min(iv["treated"]))):
        row = table[(table["role"] == "buffer") & (table["area"] == area)].iloc[0]
        assert row["ci_low"] <= iv["buffer_rate_ratio"] <= row["ci_high"], (area, row.to_dict(), iv["buffer_rate_ratio"])
        # and the WDQ of each area reads as planted (Bowers & Johnson 2003: with a success, < 0 displacement,
        # > 0 diffusion); e.g. #1 WDQ -0.31 displacement, #2 +0.32 diffusion
        reading = res.estimates[f"wdd@{area}"].extra["wdq_reading"]
        assert reading == {"displacement": "displacement", "diffusion of benefits": "diffusion"}[iv["buffer_effect"]]
    en = programme_findings(res, "en")
    assert "In the buffer around the treated area no. 1 (start 2023-07-01)" in " ".join(en) and "diffusion of benefits" in en[-2]


def test_planted_synthetic_control(planted):
    ivs, res_did, ds = planted
    res = run_programme(ds, _planted_params(ivs, "synth"))
    e = res.estimate
    # treated area (mean of the 6 treated units) / synthetic over the post-period, e.g. 0.765 with the
    # placebo-inverted interval [0.506, 1.393] (40 donors); truth 0.75 (truth.json effect_rate_ratio)
    assert e.method == "synth" and e.ok and e.ci_low <= 0.75 <= e.ci_high, (e.estimate, e.ci_low, e.ci_high)
    assert e.estimate < 1
    pd.testing.assert_frame_equal(res.panel, res_did.panel)  # the same design and panel as the other methods
    # the chart's synthetic series is pysyncon's, on the same scale as the treated mean per unit
    series = e.extra["series"].set_index("period")
    assert res.series["synthetic"].to_numpy() == pytest.approx(series["synthetic"].to_numpy())


def test_no_effect_intervals_cover_none(no_effect):
    ivs, res = no_effect
    for name in ("before_after", "did", "event"):
        e = res.estimates[name]
        assert e.ok and e.ci_low <= 1 <= e.ci_high, (name, e.estimate, e.ci_low, e.ci_high)
    w = res.estimates["wdd"]
    assert _planted_count_change(ivs) == 0 and w.ci_low <= 0 <= w.ci_high, (w.estimate, w.ci_low, w.ci_high)
    s = methods.synth(res.panel, alpha=0.05)  # what run_programme(method="synth") calls on this panel
    assert s.ok and s.ci_low <= 1 <= s.ci_high, (s.estimate, s.ci_low, s.ci_high)


# ------------------------------------------------------------------ headless run of a recipe

def test_recipe_with_programme_writes_tables(demo, tmp_path):
    from lillegeo.outputs import summary, write_tables
    from lillegeo.pipeline import run_analysis
    from lillegeo.recipe import Recipe

    r = Recipe.for_demo().with_params("hotspots", permutations=99).with_params("equity", bootstrap=199)
    assert run_analysis(demo, r).programme is None  # no treated unit in the recipe: no evaluation
    r = r.with_params("programme", treated=DEMO_TREATED, start="2023-07-01", method="before_after")
    a = run_analysis(demo, Recipe.from_toml(r.to_toml()))  # the [programme] section survives save and load
    assert a.programme is not None and a.programme.estimate.method == "before_after"
    write_tables(demo, a, tmp_path)
    est = pd.read_csv(tmp_path / "programme_estimates.csv")
    assert est["method"].iloc[0] == "before_after"
    assert est["estimate"].iloc[0] == pytest.approx(a.programme.estimate.estimate, rel=1e-8)
    series = pd.read_csv(tmp_path / "programme_series.csv")
    assert list(series.columns[:3]) == ["period", "treated", "control"] and len(series) == 36
    assert summary(a)["programme"] == a.programme.estimate.to_json()
    bad = r.with_params("programme", treated=("nope",))
    a = run_analysis(demo, bad)  # the other analyses still run; the note says why
    assert a.programme is None and any("not among the units: nope" in n for n in a.notes)


def test_treated_from_hot_spots_and_qpv(demo):
    from lillegeo.params import HotspotParams
    from lillegeo.pipeline import run_area_hotspots

    h = HotspotParams(permutations=99)
    res = run_programme(demo, ProgrammeParams(treated_from="hotspots", start="2023-07-01", method="before_after"),
                        hotspots=h)
    hot = run_area_hotspots(demo, h).hotspots.hot().to_numpy(bool)  # what the Hotspots page finds hot
    assert hot.sum() > 0
    assert set(res.roles.index[res.roles == "treated"]) == set(demo.units["unit_id"].astype(str)[hot])
    res = run_programme(demo, ProgrammeParams(treated_from="qpv", start="2023-07-01", method="before_after"))
    inside = units_inside(demo.units, demo.overlay)
    assert inside and set(res.roles.index[res.roles == "treated"]) == set(inside)


def test_planted_with_matched_control(planted):
    ivs, _, ds = planted
    res = run_programme(ds, _planted_params(ivs).replace(control="matched", n_matched=30))
    roles = res.roles
    assert (roles == "control").sum() == 30 and (roles == "buffer").sum() == 26  # buffer never a control
    # did 0.790 [0.698, 0.893] against 30 matched controls; WDD -417 [-774, -60] against the planted -629
    d, w = res.estimates["did"], res.estimates["wdd"]
    assert d.ci_low <= 0.75 <= d.ci_high, (d.estimate, d.ci_low, d.ci_high)
    assert w.ci_low <= _planted_count_change(ivs) <= w.ci_high, (w.estimate, w.ci_low, w.ci_high)
