"""Equity: exposure by hand, the GLM equals statsmodels, the demo's bias found (and not found when off)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import lillegeo as lg
from lillegeo.__main__ import main
from lillegeo.demo import DEMO_DIR, DemoConfig, write_demo
from lillegeo.equity import (benchmark_model, bivariate_classes, exposure_ratio, findings, outcome_test,
                             representation, robustness_table, run_equity)


def test_exposure_ratio_by_hand():
    df = pd.DataFrame({"b": [10.0, 20.0, 40.0], "g": [100.0, 300.0, 0.0], "r": [300.0, 100.0, 100.0]})
    res = exposure_ratio(df, "b", "g", "r", bootstrap=0)
    # group: (100*10 + 300*20 + 0*40) / 400 = 17.5; reference: (300*10 + 100*20 + 100*40) / 500 = 18
    assert res.table.loc[0, "exposure"] == pytest.approx(17.5)
    assert res.table.loc[1, "exposure"] == pytest.approx(18.0)
    assert res.ratio == pytest.approx(17.5 / 18)
    assert res.table.loc[0, "people"] == 400 and res.table.loc[0, "units"] == 2
    assert not res.flag


def test_exposure_complement_bootstrap_and_flag():
    rng = np.random.default_rng(1)
    n = 200
    pop = rng.uniform(1000, 3000, n)
    share = rng.uniform(0.05, 0.6, n)
    df = pd.DataFrame({"pop": pop, "g": pop * share, "b": 1 + 100 * share})
    res = exposure_ratio(df, "b", "g", population="pop", bootstrap=499, seed=3)
    assert res.reference == "pop - g"
    assert res.ci_low < res.ratio < res.ci_high
    assert res.flag  # burden rises steeply with the share: ratio far above 1.25, interval above 1
    again = exposure_ratio(df, "b", "g", population="pop", bootstrap=499, seed=3)
    assert (again.ci_low, again.ci_high) == (res.ci_low, res.ci_high)  # seeded
    with pytest.raises(ValueError, match="needs population="):
        exposure_ratio(df, "b", "g")
    with pytest.raises(ValueError, match="group column 'x' not found"):
        exposure_ratio(df, "b", "x", population="pop")


def test_representation_by_hand():
    df = pd.DataFrame({"g": [30.0, 10.0, 20.0], "pop": [100.0, 100.0, 200.0]})
    r = representation(df, pd.Series([True, False, False]), "g", population="pop", bootstrap=0)
    # group share in hotspots 30/60 = 0.5; residents share 100/400 = 0.25 -> 2.0
    assert r["ratio"] == pytest.approx(2.0) and r["hotspot_units"] == 1


def test_benchmark_equals_statsmodels_directly(demo):
    u = demo.units
    share = u["P21_POP_IMM"] / u["P21_POP"]
    res = benchmark_model(u, enforcement="checks", crime="incidents", population="P21_POP", share=share)
    X = pd.DataFrame({"const": 1.0, "log_crime_rate": np.log((u["incidents"] + 0.5) / u["P21_POP"] * 1000),
                      "share_10pp": share * 10})
    ref = sm.NegativeBinomial(u["checks"].to_numpy(), X, offset=np.log(u["P21_POP"]).to_numpy(),
                              loglike_method="nb2").fit(disp=0, maxiter=200)
    assert res.rate_ratio == pytest.approx(np.exp(ref.params["share_10pp"]), rel=1e-6)
    lo, hi = np.exp(ref.conf_int().loc["share_10pp"])
    assert (res.ci_low, res.ci_high) == (pytest.approx(lo, rel=1e-6), pytest.approx(hi, rel=1e-6))
    pois = benchmark_model(u, enforcement="checks", crime="incidents", population="P21_POP", share=share,
                           model="poisson_robust")
    ref_p = sm.GLM(u["checks"].to_numpy(), X, family=sm.families.Poisson(),
                   offset=np.log(u["P21_POP"]).to_numpy()).fit(cov_type="HC0")
    assert pois.rate_ratio == pytest.approx(np.exp(ref_p.params["share_10pp"]), rel=1e-6)


def test_demo_bias_is_flagged_and_interval_holds_the_truth(demo):
    truth = json.loads((DEMO_DIR / "truth.json").read_text(encoding="utf-8"))
    true_rr = truth["bias"]["rate_ratio_per_10pp_immigrant_share"]
    u = demo.units
    res = benchmark_model(u, enforcement="checks", crime="incidents", population="P21_POP",
                          share=u["P21_POP_IMM"] / u["P21_POP"])
    assert res.flag and res.ci_low <= true_rr <= res.ci_high
    assert res.params.loc["log_crime_rate", "coef"] == pytest.approx(1.0, abs=0.1)  # generator: checks ∝ crime


def test_no_flag_when_the_bias_is_off(tmp_path):
    write_demo(tmp_path, DemoConfig(bias_rr=1.0))  # same seed, no bias
    u = lg.load_demo(tmp_path).units
    res = benchmark_model(u, enforcement="checks", crime="incidents", population="P21_POP",
                          share=u["P21_POP_IMM"] / u["P21_POP"])
    assert not res.flag and res.ci_low <= 1.0 <= res.ci_high


def test_robustness_and_errors(demo):
    u = demo.units
    share = u["P21_POP_IMM"] / u["P21_POP"]
    t = robustness_table(u, enforcement="checks", crime="incidents", population="P21_POP", share=share,
                         other_crime="incidents_2023")
    spec = t[t["kind"] == "model"]
    # 5 classic variants + latent crime (Poisson noise), spline, spatial lag, eigenvector filter
    assert len(spec) == 9 and spec["excludes_1"].all()
    assert t.loc[2, "n_units"] == (~u["unit_type"].isin(["A", "D"])).sum()
    with pytest.raises(ValueError, match="share must be a proportion"):
        benchmark_model(u, enforcement="checks", crime="incidents", population="P21_POP", share="P21_POP_IMM")
    with pytest.raises(ValueError, match="model must be"):
        benchmark_model(u, enforcement="checks", crime="incidents", population="P21_POP", share=share, model="ols")


def test_outcome_test_wilson_and_withholding():
    stops = pd.DataFrame({"group": ["a"] * 40 + ["b"] * 40 + ["c"] * 5,
                          "outcome": [1] * 10 + [0] * 30 + [1] * 20 + [0] * 20 + [1] * 5})
    t = outcome_test(stops, group="group", outcome="outcome", reference="b").set_index("group")
    assert t.loc["a", "hit_rate"] == 0.25 and t.loc["b", "hit_rate"] == 0.5
    # Wilson 95 % interval for 10/40 (statsmodels proportion_confint, method="wilson")
    assert t.loc["a", "ci_low"] == pytest.approx(0.1419, abs=1e-4)
    assert t.loc["a", "ratio_to_reference"] == 0.5
    assert t.loc["c", "withheld"] and np.isnan(t.loc["c", "hit_rate"])  # 5 stops < 11


def test_run_equity_and_findings_have_numbers(demo):
    r = run_equity(demo.units, enforcement="checks", crime="incidents", population="P21_POP", group="P21_POP_IMM",
                   points=demo.points["incidents"], bootstrap=199)
    texts = [f["text"] for f in r.findings]
    assert any("95% interval" in x and "units" in x for x in texts)
    assert sum(f["kind"] == "caveat" for f in r.findings) == 3
    safe = r.units_table
    for c in ("enforcement", "crime"):
        v = safe[c].to_numpy(float)
        assert not ((v > 0) & (v < 11)).any()  # no small count anywhere in the displayed table
    fr = findings(model=r.model, lang="fr")
    assert fr[0]["text"].startswith("Verdict : SOLIDE")


def test_bivariate_classes():
    lab, cols = bivariate_classes(pd.Series([1.0, 9, 5, np.nan]), pd.Series([9.0, 1, 5, 3]))
    assert lab.tolist() == ["x0y2", "x2y0", "x1y1", ""]
    assert len(cols) == 9


def test_equity_and_profiling_cli(tmp_path, capsys):
    base = ["--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
            "--points", f"checks={DEMO_DIR / 'checks.csv'}", "--points", f"incidents={DEMO_DIR / 'incidents.csv'}"]
    assert main(["equity", *base, "--burden", "checks", "--per", "P21_POP", "--group", "P21_POP_IMM",
                 "--population", "P21_POP", "--bootstrap", "199", "--seed", "2", "--out", str(tmp_path / "e.csv")]) == 0
    s = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"exposure_ratio", "ci_low", "ci_high", "flag"} <= set(s) and s["flag"] is True
    e = pd.read_csv(tmp_path / "e.csv")
    assert list(e.columns) == ["group", "people", "units", "exposure", "ratio", "ci_low", "ci_high", "flag"]
    assert main(["profiling", *base, "--enforcement", "checks", "--crime", "incidents", "--population", "P21_POP",
                 "--share", "P21_POP_IMM", "--out", str(tmp_path / "p.csv")]) == 0
    s = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"rate_ratio", "ci_low", "ci_high", "n_units", "verdict", "tipping_gradient"} <= set(s)
    assert s["flag"] and s["verdict"] == "robust" and s["ci_low"] <= 1.3 <= s["ci_high"] and s["n_units"] == 374


def test_area_based_groups(demo):
    from lillegeo.equity import overlay_share

    share = overlay_share(demo.units, demo.overlay)
    assert share.between(0, 1).all() and (share > 0.5).sum() >= 5
    for kind in ("overlay", "top_share"):
        r = run_equity(demo.units, enforcement="checks", crime="incidents", population="P21_POP",
                       group="P21_POP_IMM", bootstrap=199, area_group=kind, overlay=demo.overlay)
        e = r.exposure
        kept = demo.units.loc[~demo.units["unit_type"].isin(["A", "D"]), "P21_POP"].sum()  # A/D: no rate
        assert e.ratio > 1 and e.table["people"].sum() == pytest.approx(kept)
    with pytest.raises(ValueError, match="needs an overlay"):
        run_equity(demo.units, enforcement="checks", crime="incidents", population="P21_POP", group="P21_POP_IMM",
                   bootstrap=0, area_group="overlay")
