"""Programme evaluation methods: each statistic against a hand-derived value or the reference library
called directly, recovery of a planted effect on simulated panels, and failures that give no number."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lillegeo.fmt import fmt_p
from lillegeo.i18n import t
from lillegeo.programme import methods as m

# ---------------------------------------------------------------- simulated panels


def sim_panel(effect: float = 0.75, *, seed: int = 1, n_units: int = 60, n_periods: int = 36, n_treated: int = 10,
              n_buffer: int = 0, buffer_effect: float = 1.0, start_at: int = 18, base: float = 6.0) -> pd.DataFrame:
    """Poisson counts with unit and period effects; the treated units' rate times ``effect`` from period
    ``start_at`` on (and the buffer's times ``buffer_effect``); ``mu0`` the expected count without any
    effect (the truth of the WDD)."""
    rng = np.random.default_rng(seed)
    unit_fx = np.exp(rng.normal(0, 0.3, n_units))
    period_fx = np.exp(rng.normal(0, 0.05, n_periods))
    periods = pd.date_range("2021-01-01", periods=n_periods, freq="MS")
    start = periods[start_at]
    rows = []
    for u in range(n_units):
        role = "treated" if u < n_treated else "buffer" if u < n_treated + n_buffer else "control"
        mult = effect if role == "treated" else buffer_effect if role == "buffer" else 1.0
        for j, p in enumerate(periods):
            mu = base * unit_fx[u] * period_fx[j] * (mult if j >= start_at else 1.0)
            rows.append({"unit": f"U{u:03d}", "period": p, "count": float(rng.poisson(mu)), "role": role,
                         "start": start if role != "control" else pd.NaT, "area": "A" if role != "control" else "",
                         "mu0": base * unit_fx[u] * period_fx[j]})
    return pd.DataFrame(rows)


def planted_difference(panel: pd.DataFrame, effect: float) -> float:
    """The WDD's truth: the expected treated events the effect removed (negative) or added after the start."""
    tr = panel[(panel["role"] == "treated") & (panel["period"] >= panel["start"])]
    return float((tr["mu0"] * (effect - 1.0)).sum())


# ---------------------------------------------------------------- WDD / WDQ


def test_wdd_worked_example_of_wheeler_and_ratcliffe():
    # Wheeler & Ratcliffe (2018), Crime Science 7:11, worked example: treated 207 -> 110, control 308 -> 318,
    # displacement 178 -> 157, displacement control 150 -> 140: WDD = -97 - 10 - 21 + 10 = -118,
    # Var = 207 + 110 + 308 + 318 + 178 + 157 + 150 + 140 = 1568, z = -118 / sqrt(1568) = -2.98.
    e = m.wdd((207, 110), (308, 318), (178, 157), (150, 140))
    assert e.ok and e.scale == "count"
    assert e.estimate == -118
    assert e.se == pytest.approx(math.sqrt(1568), abs=1e-12)
    assert e.extra["z"] == pytest.approx(-2.98, abs=0.005)
    assert e.ci_low == pytest.approx(-118 - 1.959963984540054 * math.sqrt(1568), abs=1e-9)
    assert e.ci_high == pytest.approx(-118 + 1.959963984540054 * math.sqrt(1568), abs=1e-9)
    assert e.p_value == pytest.approx(0.002873, abs=2e-5)  # 2 * (1 - Phi(2.980)) by the normal table


def test_wdd_without_displacement_control_uses_control_twice():
    # by hand: ΔT = -50, ΔC = 0, ΔD = +20, control also the buffer's control: WDD = -50 - 0 + 20 - 0 = -30,
    # Var = T (150) + D (180) + 4 * C (400) = 1930
    e = m.wdd((100, 50), (200, 200), (80, 100))
    assert e.estimate == -30
    assert e.se == pytest.approx(math.sqrt(150 + 180 + 4 * 400))
    e2 = m.wdd((100, 50), (200, 200), None)
    assert e2.estimate == -50 and e2.se == pytest.approx(math.sqrt(550))


def test_wdq_by_hand_bowers_and_johnson():
    # Bowers & Johnson (2003) formulas by hand: SM = Ra/Ca - Rb/Cb = 50/200 - 100/200 = -0.25;
    # BDM = Da/Ca - Db/Cb = 60/200 - 80/200 = -0.10; WDQ = BDM / SM = 0.4 (diffusion of benefits);
    # TNE = (Rb Ca/Cb - Ra) + (Db Ca/Cb - Da) = (100 - 50) + (80 - 60) = 70 events prevented.
    e = m.wdd((100, 50), (200, 200), (80, 60))
    assert e.extra["success_measure"] == pytest.approx(-0.25)
    assert e.extra["buffer_measure"] == pytest.approx(-0.10)
    assert e.extra["wdq"] == pytest.approx(0.4)
    assert e.extra["wdq_reading"] == "diffusion"
    assert e.extra["total_net_effect"] == pytest.approx(70)
    # buffer up: BDM = 100/200 - 80/200 = +0.10, WDQ = -0.4, displacement; TNE = 50 + (80 - 100) = 30
    d = m.wdd((100, 50), (200, 200), (80, 100))
    assert d.extra["wdq"] == pytest.approx(-0.4) and d.extra["wdq_reading"] == "displacement"
    assert d.extra["total_net_effect"] == pytest.approx(30)
    # buffer unchanged: no effect; no success (treated up relative to control): undefined
    assert m.wdd((100, 50), (200, 200), (80, 80)).extra["wdq_reading"] == "no_effect"
    u = m.wdd((100, 120), (200, 200), (80, 60)).extra
    assert u["wdq_reading"] == "undefined" and math.isnan(u["wdq"])
    # unequal control counts: SM = 40/250 - 100/200 = -0.34, BDM = 90/250 - 80/200 = -0.04, WDQ = 0.04/0.34
    q = m.wdd((100, 40), (200, 250), (80, 90)).extra
    assert q["wdq"] == pytest.approx(0.04 / 0.34)
    assert q["total_net_effect"] == pytest.approx((100 * 1.25 - 40) + (80 * 1.25 - 90))


def test_wdd_panel_sums_equal_windows():
    panel = sim_panel(0.75, n_buffer=5, buffer_effect=1.2, seed=3)
    e = m.wdd_panel(panel)
    start = panel["start"].dropna().iloc[0]
    pre = panel["period"] < start
    sums = {r: (panel[(panel["role"] == r) & pre]["count"].sum(), panel[(panel["role"] == r) & ~pre]["count"].sum())
            for r in ("treated", "control", "buffer")}
    (tb, ta), (cb, ca), (db, da) = sums["treated"], sums["control"], sums["buffer"]
    # by hand, the control (45 units) scaled to the treated (10) and buffer (5) areas' size before the start:
    # WDD = ΔT + ΔD - (Tb + Db) / Cb x ΔC, Var = T + D + ((Tb + Db) / Cb)^2 x C (18 months each side)
    w = (tb + db) / cb
    assert e.ok and e.extra["window"] == 18 and e.n_periods == 36 and e.n_units == 60
    assert e.estimate == pytest.approx((ta - tb) + (da - db) - w * (ca - cb), abs=1e-9)
    assert e.se == pytest.approx(math.sqrt(tb + ta + db + da + w ** 2 * (cb + ca)), rel=1e-12)
    assert e.extra["control_scale"] == pytest.approx(tb / cb) and e.extra["displacement_scale"] == pytest.approx(db / cb)
    # the WDQ reads the unscaled counts (a ratio of ratios: the scale cancels)
    assert e.extra["wdq"] == pytest.approx(m.wdd(sums["treated"], sums["control"], sums["buffer"]).extra["wdq"])
    assert list(e.table["role"]) == ["treated", "control", "buffer"]
    # a later start: the window shrinks to the 12 periods after it, and 12 before
    late = panel.copy()
    late.loc[late["role"] != "control", "start"] = pd.Timestamp("2022-01-01")
    assert m.wdd_panel(late).extra["window"] == 12


@pytest.mark.parametrize("bad", [(-1, 3), (math.nan, 2)])
def test_wdd_bad_counts_fail(bad):
    e = m.wdd(bad, (10, 10), None)
    assert not e.ok and math.isnan(e.estimate) and e.message == "programme.fail.bad_counts"
    assert t(e.message, "fr")


def test_wdd_all_zero_fails():
    e = m.wdd((0, 0), (0, 0), (0, 0))
    assert not e.ok and e.message == "programme.fail.all_zero"


# ---------------------------------------------------------------- before / after


def _direct_glm(sub: pd.DataFrame, start, family):
    import statsmodels.api as sm
    X = sm.add_constant((sub["period"] >= start).astype(float).to_numpy())
    if family == "poisson":
        return sm.GLM(sub["count"].to_numpy(), X, family=sm.families.Poisson()).fit()
    return sm.NegativeBinomial(sub["count"].to_numpy(), X, loglike_method="nb2").fit(disp=0, maxiter=200)


@pytest.mark.parametrize("family", ["poisson", "negbin"])
def test_before_after_equals_statsmodels(family):
    # the reference: statsmodels GLM Poisson (NegativeBinomial NB2) on the treated unit-period rows,
    # count ~ 1 + post, called directly; rate ratio exp(b), interval exp(b -/+ 1.96 se)
    panel = sim_panel(0.75, seed=5, n_buffer=4)
    e = m.before_after(panel, family=family)
    start = panel["start"].dropna().iloc[0]
    for role, row in zip(("treated", "buffer", "control"), e.table.itertuples()):
        ref = _direct_glm(panel[panel["role"] == role], start, family)
        lo, hi = np.exp(ref.conf_int(alpha=0.05)[1])
        assert row.role == role
        assert row.rate_ratio == pytest.approx(math.exp(ref.params[1]), rel=1e-6)
        assert row.ci_low == pytest.approx(lo, rel=1e-6) and row.ci_high == pytest.approx(hi, rel=1e-6)
        assert row.p_value == pytest.approx(ref.pvalues[1], rel=1e-4, abs=1e-12)
    # n: the 10 treated units compared with themselves (issue 16), not the 60 of the panel
    assert e.estimate == e.table.iloc[0]["rate_ratio"] and e.n_units == 10 and e.n_periods == 36
    # Poisson by hand: (after events / after unit-periods) / (before events / before unit-periods)
    tr = panel[panel["role"] == "treated"]
    if family == "poisson":
        by_hand = tr[tr["period"] >= start]["count"].mean() / tr[tr["period"] < start]["count"].mean()
        assert e.estimate == pytest.approx(by_hand, rel=1e-9)


def test_before_after_per_area_rows():
    panel = sim_panel(0.75, seed=6)
    panel.loc[panel["unit"].isin(["U000", "U001", "U002"]), "area"] = "B"
    e = m.before_after(panel)
    assert list(zip(e.table["role"], e.table["area"])) == [("treated", ""), ("treated", "A"), ("treated", "B"),
                                                          ("control", "")]
    assert e.table["n_units"].tolist() == [10, 7, 3, 50]


# ---------------------------------------------------------------- difference-in-differences, event study


def _pyfixest_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """The reference data built independently: treated and control rows, a month index and treat_post."""
    df = panel[panel["role"] != "buffer"].copy()
    months = (df["period"].dt.year - 2021) * 12 + df["period"].dt.month - 1
    start = df["start"].dt.year.sub(2021).mul(12).add(df["start"].dt.month - 1)
    df["t"] = months
    df["rel"] = months - start  # NaN for control units
    df["tp"] = (df["rel"] >= 0).astype(float)
    return df


@pytest.mark.parametrize("staggered", [False, True])
def test_did_equals_pyfixest(staggered):
    import pyfixest as pf
    panel = sim_panel(0.75, seed=7, n_buffer=5)
    if staggered:  # a second area starting six months later
        late = panel["unit"].isin(["U000", "U001", "U002", "U003"])
        panel.loc[late, "start"] = pd.Timestamp("2023-01-01")
        panel.loc[late, "area"] = "B"
    e = m.did(panel)
    # the reference: pyfixest fepois called directly, buffer units left out, errors clustered by unit
    ref = pf.fepois("count ~ tp | unit + t", data=_pyfixest_frame(panel), vcov={"CRV1": "unit"})
    b = ref.coef()["tp"]
    lo, hi = ref.confint(alpha=0.05).loc["tp"]
    assert math.log(e.estimate) == pytest.approx(b, abs=1e-8)
    assert math.log(e.ci_low) == pytest.approx(lo, abs=1e-8) and math.log(e.ci_high) == pytest.approx(hi, abs=1e-8)
    assert e.p_value == pytest.approx(ref.pvalue()["tp"], abs=1e-10)
    assert e.n_units == 55 and e.n_periods == 36


def _reference_event_fit(panel: pd.DataFrame):
    """pyfixest called directly: relative periods -4..4 (ends binned, -1 the reference), unit and month FE,
    errors clustered by unit; the dummies named e6..e14 (k + 10)."""
    import pyfixest as pf
    df = _pyfixest_frame(panel)
    rel = df["rel"].clip(-4, 4)
    names = []
    for k in (-4, -3, -2, 0, 1, 2, 3, 4):
        df[f"e{k + 10}"] = (rel == k).astype(float)
        names.append(f"e{k + 10}")
    return names, pf.fepois("count ~ " + " + ".join(names) + " | unit + t", data=df, vcov={"CRV1": "unit"})


def test_event_study_equals_pyfixest():
    panel = sim_panel(0.75, seed=8)
    e = m.event_study(panel, window=4)
    names, ref = _reference_event_fit(panel)
    ci = ref.confint(alpha=0.05)
    tab = e.table.set_index("rel_period")
    assert list(tab.index) == [-4, -3, -2, -1, 0, 1, 2, 3, 4]
    for k, name in zip((-4, -3, -2, 0, 1, 2, 3, 4), names):
        assert math.log(tab.loc[k, "estimate"]) == pytest.approx(ref.coef()[name], abs=1e-8)
        assert math.log(tab.loc[k, "ci_low"]) == pytest.approx(ci.loc[name].iloc[0], abs=1e-8)
        assert math.log(tab.loc[k, "ci_high"]) == pytest.approx(ci.loc[name].iloc[1], abs=1e-8)
    assert tab.loc[-1, "estimate"] == 1.0 and math.isnan(tab.loc[-1, "ci_low"])
    assert tab.loc[0, "n_units"] == 10 and tab.loc[-4, "n_units"] == 10
    # the estimate: the mean of the five post log rate ratios minus the mean of the four pre ones (-4..-1, the
    # reference -1 being 0), its SE sqrt(w' V w) from the clustered vcov
    w = np.array([-0.25, -0.25, -0.25, 0.2, 0.2, 0.2, 0.2, 0.2])
    avg = w @ ref.coef().to_numpy()
    se = math.sqrt(w @ ref._vcov @ w)
    assert math.log(e.estimate) == pytest.approx(avg, abs=1e-8)
    assert math.log(e.ci_low) == pytest.approx(avg - 1.959963984540054 * se, abs=1e-8)


def test_pretrend_wald_by_hand():
    from scipy import stats
    panel = sim_panel(0.75, seed=9)
    pt = m.pretrend(panel, window=4)
    ev = m.event_study(panel, window=4)
    assert pt.n_pre == 18 and pt.message_args["k"] == 3
    # by hand: W = b' V^-1 b over the terms -4, -3, -2 (clustered vcov), chi-squared with 3 df
    _, ref = _reference_event_fit(panel)
    b = ref.coef().to_numpy()[:3]
    V = ref._vcov[:3, :3]
    W = float(b @ np.linalg.solve(V, b))
    assert pt.message_args["statistic"] == pytest.approx(W, rel=1e-8)
    assert pt.p_value == pytest.approx(stats.chi2.sf(W, 3), rel=1e-6)  # pyfixest: 1 - cdf
    assert pt.ok == (pt.p_value >= 0.05) and ev.ok
    assert m.pretrend(panel, window=4, event=ev) == pt  # the event study's own test, reused: no second fit
    text = m.message_text(pt.message, pt.message_args, "fr")
    assert "3 termes" in text and fmt_p(pt.p_value, "fr") in text


def test_pretrend_detects_a_diverging_trend_and_too_few_periods():
    panel = sim_panel(1.0, seed=10)
    # the treated units' rate grows 6 % a month before the start: the pre-trend test must reject
    j = panel["period"].dt.month + 12 * (panel["period"].dt.year - 2021) - 1
    rng = np.random.default_rng(0)
    grow = (panel["role"] == "treated") & (j < 18)
    panel.loc[grow, "count"] = rng.poisson(6.0 * np.exp(0.06 * (j[grow] - 17)))
    pt = m.pretrend(panel)
    assert not pt.ok and pt.p_value < 0.05 and pt.message == "programme.pretrend.differ"
    short = sim_panel(0.75, seed=11, start_at=4)
    few = m.pretrend(short)
    assert not few.ok and few.n_pre == 4 and math.isnan(few.p_value) and few.message == "programme.fail.few_pre"
    assert "4" in t(few.message, "en", **few.message_args)


# ---------------------------------------------------------------- synthetic control


def test_synth_equals_pysyncon_called_directly():
    from pysyncon import Dataprep, Synth
    panel = sim_panel(0.75, seed=12, n_units=25, n_treated=5, n_periods=24, start_at=12)
    e = m.synth(panel)
    assert e.ok and e.extra["n_donors"] == 20
    # the reference: pysyncon's Dataprep + Synth on the treated mean and the 20 control units, predictors the
    # pre-period mean counts over six blocks of two months, equal V
    ctrl = panel[panel["role"] == "control"][["unit", "period", "count"]]
    tr = panel[panel["role"] == "treated"].groupby("period", as_index=False)["count"].mean().assign(unit="TREATED")
    foo = pd.concat([ctrl, tr], ignore_index=True)
    foo["t"] = (foo["period"].dt.year - 2021) * 12 + foo["period"].dt.month - 1
    blocks = [range(b, b + 2) for b in range(0, 12, 2)]
    donors = sorted(ctrl["unit"].unique())
    dp = Dataprep(foo=foo, predictors=["count"], predictors_op="mean", time_predictors_prior=blocks[0],
                  special_predictors=[("count", b, "mean") for b in blocks[1:]], dependent="count",
                  unit_variable="unit", time_variable="t", treatment_identifier="TREATED",
                  controls_identifier=donors, time_optimize_ssr=range(0, 12))
    ref = Synth()
    ref.fit(dataprep=dp, custom_V=np.full(6, 1 / 6))
    w = e.table.set_index("unit")["weight"].reindex(donors)
    np.testing.assert_allclose(w.to_numpy(), ref.W, atol=1e-5)
    Z0, Z1 = dp.make_outcome_mats(time_period=range(0, 24))
    gaps = ref._gaps(Z0=Z0, Z1=Z1).to_numpy()
    series = e.extra["series"]
    np.testing.assert_allclose((series["treated"] - series["synthetic"]).to_numpy(), gaps, atol=1e-4)
    # estimate, RMSPE ratio and the rank p-value by hand from the series and the placebos
    post = (series["period"] >= pd.Timestamp("2022-01-01")).to_numpy()
    assert e.estimate == pytest.approx(series["treated"][post].sum() / series["synthetic"][post].sum(), rel=1e-12)
    gap = series["treated"] - series["synthetic"]
    ratio = math.sqrt((gap[post] ** 2).mean() / (gap[~post] ** 2).mean())
    assert e.extra["rmspe_ratio"] == pytest.approx(ratio, rel=1e-12)
    plac = e.extra["placebos"]
    assert len(plac) == 20
    assert e.extra["placebo_p"] == (1 + (plac["rmspe_ratio"] >= ratio).sum()) / 21
    # 20 placebos are too few for a 95 % interval (2 / 0.05 - 1 = 39 needed): no interval, and the page says why
    assert math.isnan(e.ci_low) and e.message == "programme.note.synth_few_placebos"
    assert m.message_text(e.message, e.message_args, "fr").startswith("Seulement 20 placebos : trop peu pour un "
                                                                      "intervalle à 95 % ;")


def _basque_dataprep(Dataprep, df):
    controls = [r for r in df["regionname"].unique() if r != "Basque Country (Pais Vasco)"]
    return Dataprep(
        foo=df, predictors=["school.illit", "school.prim", "school.med", "school.high", "school.post.high", "invest"],
        predictors_op="mean", time_predictors_prior=range(1964, 1970),
        special_predictors=[("gdpcap", range(1960, 1970), "mean")]
        + [(c, range(1961, 1970, 2), "mean") for c in ("sec.agriculture", "sec.energy", "sec.industry",
                                                       "sec.construction", "sec.services.venta",
                                                       "sec.services.nonventa")]
        + [("popdens", [1969], "mean")],
        dependent="gdpcap", unit_variable="regionname", time_variable="year",
        treatment_identifier="Basque Country (Pais Vasco)", controls_identifier=controls,
        time_optimize_ssr=range(1960, 1970))


# ---------------------------------------------------------------- recovery of a planted effect


@pytest.mark.parametrize("effect", [0.75, 1.0])
@pytest.mark.parametrize("method", ["before_after", "did", "event"])
def test_rate_ratio_methods_recover_the_planted_effect(method, effect):
    # 60 units x 36 months, 10 treated, the treated rate times 0.75 from month 18 (or 1: no effect), ten
    # seeded panels: a 95 % interval covers the truth in at least 8 of 10 (binomial: fails 1.2 % of the
    # time for a correct interval; every draw is seeded, so the test is deterministic)
    fn = {"before_after": m.before_after, "did": m.did, "event": m.event_study}[method]
    covered, logs = 0, []
    for seed in range(40, 50):
        e = fn(sim_panel(effect, seed=seed))
        assert e.ok, e.message
        assert e.ci_low < e.estimate < e.ci_high
        covered += e.ci_low <= effect <= e.ci_high
        logs.append(math.log(e.estimate))
        if effect == 0.75:
            assert e.ci_high < 1.0  # the effect is found every time
    assert covered >= 8, (method, covered)
    assert abs(np.mean(logs) - math.log(effect)) < 0.05  # no bias beyond noise


@pytest.mark.parametrize("effect", [0.75, 1.0])
def test_synth_recovers_the_planted_effect(effect):
    e = m.synth(sim_panel(effect, seed=21))
    # the truth (0.75, or 1 with no effect) inside the placebo interval; the rank p-value small only with an effect
    assert e.ok and e.ci_low <= effect <= e.ci_high, (e.estimate, e.ci_low, e.ci_high)
    assert (e.extra["placebo_p"] < 0.05) == (effect == 0.75)
    assert e.message == "programme.note.synth_interval" and e.extra["n_donors"] == 40


@pytest.mark.parametrize("effect", [0.75, 1.0])
def test_wdd_recovers_the_planted_count_difference(effect):
    # treated and control areas of the same size (10 units each), as the WDD assumes
    panel = sim_panel(effect, seed=22, n_units=20, n_treated=10)
    e = m.wdd_panel(panel)
    truth = planted_difference(panel, effect)  # 0 with no effect; about -0.25 x 1,000 events with one
    assert e.ci_low <= truth <= e.ci_high, (e.estimate, e.ci_low, e.ci_high, truth)
    if effect == 1.0:
        assert truth == 0.0
    else:
        assert e.ci_high < 0 and truth < -150


# ---------------------------------------------------------------- failures: never a number


ALL = {"before_after": m.before_after, "wdd": m.wdd_panel, "did": m.did, "event": m.event_study, "synth": m.synth}


def _no_number(e, key):
    assert not e.ok and e.message == key, (e.method, e.message)
    assert math.isnan(e.estimate) and math.isnan(e.ci_low) and math.isnan(e.ci_high)
    assert t(e.message, "en", **e.message_args) and t(e.message, "fr", **e.message_args)
    assert e.to_json()["estimate"] is None


@pytest.mark.parametrize("name", list(ALL))
def test_failures_give_no_number(name):
    fn = ALL[name]
    small = sim_panel(0.75, seed=30, n_units=12, n_treated=3, n_periods=12, start_at=6)
    no_treated = small.assign(role="control", start=pd.NaT)
    _no_number(fn(no_treated), "programme.fail.no_treated")
    no_pre = small.copy()
    no_pre.loc[no_pre["role"] == "treated", "start"] = small["period"].min()
    _no_number(fn(no_pre), "programme.fail.no_pre")
    no_post = small.copy()
    no_post.loc[no_post["role"] == "treated", "start"] = pd.Timestamp("2030-01-01")
    _no_number(fn(no_post), "programme.fail.no_post")
    _no_number(fn(small.assign(count=0.0)), "programme.fail.all_zero")
    bad = small.copy()
    bad.loc[3, "count"] = -2.0
    _no_number(fn(bad), "programme.fail.bad_counts")
    if name != "before_after":
        _no_number(fn(small[small["role"] != "control"]), "programme.fail.no_control")


def test_degenerate_fits_fail():
    # every treated unit has no event after the start: the rate ratio is 0 with an infinite log: no number
    panel = sim_panel(0.75, seed=31, n_units=30, n_treated=4, n_periods=24, start_at=12)
    zero = panel.copy()
    zero.loc[(zero["role"] == "treated") & (zero["period"] >= zero["start"]), "count"] = 0.0
    _no_number(m.before_after(zero), "programme.fail.zero_group")
    for fn in (m.did, m.event_study):  # checked before fitting: pyfixest would return exp(-19.6) with a tiny SE
        _no_number(fn(zero), "programme.fail.zero_group")
    assert m.pretrend(zero).message == "programme.fail.zero_group" and not m.pretrend(zero).ok
    _no_number(m.synth(zero), "programme.fail.not_finite")
    # three control units: too few donors
    few = panel[~panel["unit"].isin([f"U{u:03d}" for u in range(7, 30)])]
    e = m.synth(few)
    _no_number(e, "programme.fail.few_donors")
    assert e.message_args["n"] == 3


def test_synthetic_control_reproduces_abadie_gardeazabal_basque():
    # Abadie & Gardeazabal (2003), "The economic costs of conflict: a case study of the Basque Country",
    # AER 93(1): the synthetic Basque Country is Cataluña 0.8508 + Madrid 0.1492 (the R Synth package's
    # basque data and example, reproduced by pysyncon's tests with Nelder-Mead V). The data: tests/data/README.md.
    from pysyncon import Dataprep, Synth
    from threadpoolctl import threadpool_limits
    df = pd.read_csv(Path(__file__).parent / "data" / "basque_1960_1970.csv")
    s = Synth()
    with threadpool_limits(limits=1):  # thousands of tiny fits: BLAS threads only contend
        s.fit(dataprep=_basque_dataprep(Dataprep, df), optim_method="Nelder-Mead", optim_initial="equal")
    w = s.weights(round=6)
    assert w["Cataluna"] == pytest.approx(0.8508, abs=0.005)
    assert w["Madrid (Comunidad De)"] == pytest.approx(0.1492, abs=0.005)
    assert w.drop(["Cataluna", "Madrid (Comunidad De)"]).max() < 0.005


def test_every_method_states_its_assumptions_in_both_languages():
    from lillegeo.i18n import STRINGS
    from lillegeo.params import ProgrammeParams
    assert set(m.ASSUMPTIONS) == set(ProgrammeParams.__dataclass_fields__["method"].metadata["param"].options)
    for key in m.ASSUMPTIONS.values():
        assert STRINGS[key]["en"] and STRINGS[key]["fr"] and STRINGS[key]["en"] != STRINGS[key]["fr"]
    fails = [k for k in STRINGS if k.startswith("programme.fail.")]
    assert len(fails) >= 12 and all(STRINGS[k]["fr"] != STRINGS[k]["en"] for k in fails)


def test_synth_says_when_the_treated_area_is_beyond_every_donor():
    """A hot spot busier than every donor cannot be matched by a convex mix (weights >= 0, sum 1; Abadie
    2021, J. Econ. Lit. 59(2), sec. 5): the estimate carries a plain warning instead of passing as a fit."""
    panel = sim_panel(seed=3)
    hot = panel["role"] == "treated"
    panel.loc[hot, "count"] = panel.loc[hot, "count"] * 6  # six times the base level: beyond any donor
    e = m.synth(panel)
    level = panel[hot & (panel["period"] < panel["start"])]["count"].mean()
    donors = panel[(panel["role"] == "control") & (panel["period"] < panel["start"].dropna().iloc[0])]
    top = donors.groupby("unit")["count"].mean().max()
    assert level > 1.5 * top  # the premise, from the data
    assert e.message == "programme.note.synth_outside" and e.message_args["ratio"] == pytest.approx(level / top)
    assert "no mix of donors reaches its level" in m.message_text(e.message, e.message_args, "en")
    assert m.synth(sim_panel(seed=3)).message != "programme.note.synth_outside"
