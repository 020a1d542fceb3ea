"""Profiling checks that stay honest when the model is wrong (issue 15): trusted fits, share
detection, robustness rows equal to the reference libraries, the tipping recording gradient by
hand, and the three-level verdict on the demo (bias 1.3) and without bias."""

from __future__ import annotations

import json

import esda
import libpysal
import numpy as np
import pandas as pd
import patsy
import pytest
import statsmodels.api as sm

import lillegeo as lg
from lillegeo.__main__ import main
from lillegeo.demo import DEMO_DIR, DemoConfig, write_demo
from lillegeo.equity import benchmark_model, findings
from lillegeo.equity.fit import SE_MAX, fit_counts, share_from
from lillegeo.equity.sensitivity import sensitivity_curve, tipping_gradient, verdict
from lillegeo.equity.spatial import ESF_THRESHOLD

KW = dict(enforcement="checks", crime="incidents", population="P21_POP")


def _separated(n: int = 60) -> pd.DataFrame:
    """Half the units (share 0.9) have no checks at all: the share's coefficient runs to -inf."""
    rng = np.random.default_rng(0)
    share = np.where(np.arange(n) % 2 == 0, 0.1, 0.9)
    checks = rng.poisson(5, n).astype(float)
    checks[share > 0.5] = 0
    return pd.DataFrame({"checks": checks, "incidents": rng.poisson(50, n).astype(float),
                         "P21_POP": rng.uniform(1000, 3000, n), "share": share})


def test_diverged_fit_is_a_clear_failure_never_a_number():
    df = _separated()
    # statsmodels alone returns a number here: NB2 by BFGS reports a share coefficient with a standard error
    # of about 2.5e4 (not converged); the Poisson GLM "converges" with a standard error of about 2e3.
    X = pd.DataFrame({"const": 1.0, "lc": np.log((df["incidents"] + .5) / df["P21_POP"] * 1000),
                      "sh": df["share"] * 10})
    ref = sm.GLM(df["checks"], X, family=sm.families.Poisson(), offset=np.log(df["P21_POP"])).fit()
    assert ref.bse["sh"] > SE_MAX
    for model in ("negbin", "poisson_robust"):
        with pytest.raises(ValueError, match="did not converge to a usable estimate.*no rate ratio is reported"):
            benchmark_model(df, **KW, share="share", model=model)
    with pytest.raises(ValueError, match="n'a pas convergé.*aucun rapport de taux"):
        benchmark_model(df, **KW, share="share", lang="fr")
    with pytest.raises(ValueError, match="zero in every modelled unit"):
        benchmark_model(df.assign(checks=0.0), **KW, share="share")


def test_nb2_started_from_poisson_equals_statsmodels_mle(demo):
    u = demo.units
    share = u["P21_POP_IMM"] / u["P21_POP"]
    X = pd.DataFrame({"const": 1.0, "log_crime_rate": np.log((u["incidents"] + 0.5) / u["P21_POP"] * 1000),
                      "share_10pp": share * 10})
    off = np.log(u["P21_POP"]).to_numpy()
    fit = fit_counts(u["checks"].to_numpy(), X, off, model="negbin")
    ref = sm.NegativeBinomial(u["checks"].to_numpy(), X, offset=off, loglike_method="nb2").fit(
        disp=0, method="bfgs", maxiter=1000, gtol=1e-10)
    assert fit.converged and fit.method == "newton"
    assert fit.params["share_10pp"] == pytest.approx(ref.params["share_10pp"], rel=1e-6)
    assert fit.alpha_nb == pytest.approx(ref.params["alpha"], rel=1e-5)


def test_share_in_percent_or_count_is_read_with_a_note(demo):
    u = demo.units
    prop = u["P21_POP_IMM"] / u["P21_POP"]
    a = benchmark_model(u, **KW, share=prop, robustness=False)
    b = benchmark_model(u, **KW, share=prop * 100, robustness=False)  # percent: divided by 100, with a note
    assert b.rate_ratio == pytest.approx(a.rate_ratio, rel=1e-9)
    assert b.notes == ["share read as a percentage and divided by 100"]
    with pytest.raises(ValueError, match="share must be a proportion"):
        benchmark_model(u, **KW, share="P21_POP_IMM")  # a count (values above 100) is not a share
    s, note = share_from(u["P21_POP_IMM"], u["P21_POP"])  # auto: above 100, a count of residents
    assert s.dropna().tolist() == pytest.approx(prop.dropna().tolist()) and "population" in note
    with pytest.raises(ValueError, match="a percentage or a small count.*--share-kind"):
        share_from(pd.Series([12.0, 74.0]), pd.Series([2000.0, 1500.0]))
    with pytest.raises(ValueError, match=r"exceeds the population in 1 unit\(s\) \(first: 1\)"):
        share_from(pd.Series([100.0, 1600.0]), pd.Series([2000.0, 1500.0]), kind="count")
    with pytest.raises(ValueError, match="cannot exceed 100"):
        share_from(pd.Series([12.0, 174.0]), kind="percent")
    with pytest.raises(ValueError, match="negative"):
        share_from(pd.Series([-0.1, 0.5]))


def test_tipping_gradient_by_hand_and_on_planted_recording_gradient():
    # by hand: b1 = 2, rate ratio 1.21 per 10 points: (1 - g) ** (-2) = 1.21  =>  g = 1 - 1 / 1.1
    assert tipping_gradient(np.log(1.21), 2.0) == pytest.approx(1 - 1 / 1.1, abs=1e-12)
    # b1 = 1, lower bound 1.05: g = 1 - 1 / 1.05
    assert tipping_gradient(np.log(1.05), 1.0) == pytest.approx(1 - 1 / 1.05, abs=1e-12)
    assert tipping_gradient(np.log(0.8), 1.0) == pytest.approx(1 - 1.25)  # negative: recording that rises
    curve = sensitivity_curve(np.log(1.21), np.log(1.1), np.log(1.33), 2.0, np.array([0.0, 1 - 1 / 1.1]))
    assert curve["rate_ratio"].tolist() == pytest.approx([1.21, 1.0])  # corrected by (1 - g) ** b1
    # planted: no bias, checks = true crime ** 1.5 (b1 = 1.5); recorded crime 8 % lower per 10 points of share.
    # The fitted share coefficient is then -1.5 * log(0.92) exactly, and the gradient recovered is 8 %.
    rng = np.random.default_rng(5)
    n = 200
    pop = rng.uniform(1000, 3000, n)
    share = rng.uniform(0, 0.8, n)
    true_crime = rng.uniform(5e3, 5e4, n)
    recorded = true_crime * 0.92 ** (10 * share)
    checks = pop * 1e-6 * (true_crime / pop * 1000) ** 1.5
    df = pd.DataFrame({"checks": checks, "incidents": recorded, "P21_POP": pop, "share": share})
    r = benchmark_model(df, **KW, share="share", model="poisson_robust", robustness=False)
    assert r.crime_elasticity == pytest.approx(1.5, abs=1e-4)
    assert r.rate_ratio == pytest.approx(0.92 ** -1.5, rel=1e-4)
    assert tipping_gradient(np.log(r.rate_ratio), r.crime_elasticity) == pytest.approx(0.08, abs=1e-4)


def test_robustness_rows_equal_reference_libraries(demo):
    u = demo.units
    share = u["P21_POP_IMM"] / u["P21_POP"]
    res = benchmark_model(u, **KW, share=share)
    rob = res.robustness.set_index("variant")
    y = u["checks"].to_numpy()
    off = np.log(u["P21_POP"]).to_numpy()
    lcr = np.log((u["incidents"] + 0.5) / u["P21_POP"] * 1000).to_numpy()
    base = pd.DataFrame({"const": 1.0, "log_crime_rate": lcr, "share_10pp": share.to_numpy() * 10})

    def nb(X):
        # started from statsmodels' Poisson GLM, Newton. (statsmodels' own defaults fail on the spline design:
        # BFGS does not converge, and Newton from its internal start returns NaN flagged "converged".)
        start = np.append(sm.GLM(y, X, family=sm.families.Poisson(), offset=off).fit().params, 0.1)
        r = sm.NegativeBinomial(y, X, offset=off, loglike_method="nb2").fit(start_params=start, disp=0,
                                                                             method="newton", maxiter=300)
        assert r.mle_retvals["converged"] and np.isfinite(r.params).all()
        return np.exp(r.params["share_10pp"]), np.exp(r.conf_int().loc["share_10pp"]).to_numpy(), r

    def row(prefix):
        (name,) = [v for v in rob.index if v.startswith(prefix)]
        return rob.loc[name]

    # spline: patsy's B-spline basis, statsmodels NB2
    spline = patsy.dmatrix("bs(x, df=4)", {"x": lcr}, return_type="dataframe")
    rr, ci, _ = nb(pd.concat([spline, base[["share_10pp"]]], axis=1))
    assert row("crime as a spline")["rate_ratio"] == pytest.approx(rr, rel=1e-5)
    assert row("crime as a spline")[["ci_low", "ci_high"]].tolist() == pytest.approx(ci, rel=1e-5)
    # spatial lag: libpysal's Queen (polygons) row-standardised, lag_spatial
    w = libpysal.weights.Queen.from_dataframe(u.reset_index(drop=True), use_index=False, silence_warnings=True)
    w.transform = "r"
    rr, ci, _ = nb(base.assign(lag=libpysal.weights.lag_spatial(w, lcr)))
    assert row("with neighbours' crime")["rate_ratio"] == pytest.approx(rr, rel=1e-5)
    assert row("with neighbours' crime")[["ci_low", "ci_high"]].tolist() == pytest.approx(ci, rel=1e-5)
    # eigenvector filter: dense eigen-decomposition of M C M (numpy), Griffith's 0.25 rule, at most n // 25
    c = w.full()[0] > 0
    c = (c | c.T).astype(float)
    n = len(c)
    m = np.eye(n) - 1 / n
    vals, vecs = np.linalg.eigh(m @ c @ m)
    vals, vecs = vals[::-1], vecs[:, ::-1]
    k = int(min((vals >= ESF_THRESHOLD * vals[0]).sum(), n // 25))
    rr, ci, _ = nb(pd.concat([base, pd.DataFrame(vecs[:, :k])], axis=1).set_axis(
        list(base.columns) + [f"e{i}" for i in range(k)], axis=1))
    esf = row(f"spatial filter ({k} Moran eigenvectors")
    assert esf["rate_ratio"] == pytest.approx(rr, rel=1e-4)
    assert esf[["ci_low", "ci_high"]].tolist() == pytest.approx(ci, rel=1e-4)
    # residual Moran's I: esda on the main model's Pearson residuals
    _, _, main = nb(base)
    mu = main.predict(base, offset=off)
    pearson = (y - mu) / np.sqrt(mu + main.params["alpha"] * mu ** 2)
    mi = esda.Moran(pearson, w, permutations=0)
    moran = row("residual Moran's I")
    assert moran["moran_i"] == pytest.approx(mi.I, rel=1e-5) and moran["p_value"] == pytest.approx(mi.p_norm, rel=1e-4)
    assert moran["kind"] == "diagnostic"


def test_verdict_rules():
    assert verdict([True] * 3, [1] * 3, 0.06, 0.05) == "robust"
    assert verdict([True] * 3, [1] * 3, 0.04, 0.05) == "fragile"  # a 4 % recording gradient would explain it
    assert verdict([True, True, False], [1] * 3, 0.3, 0.05) == "fragile"
    assert verdict([True, True], [1, -1], 0.3, 0.05) == "fragile"  # opposite sides
    assert verdict([False] * 3, [1] * 3, 0.0, 0.05) == "no_evidence"


def test_demo_is_robust_with_its_tipping_gradient_and_plain_words(demo):
    u = demo.units
    res = benchmark_model(u, **KW, share=u["P21_POP_IMM"] / u["P21_POP"])
    assert res.verdict == "robust" and res.flag
    spec = res.robustness[res.robustness["kind"] == "model"]
    assert len(spec) >= 7 and spec["excludes_1"].all()
    b1, lo = res.crime_elasticity, res.ci_low
    assert res.tipping_gradient == pytest.approx(1 - res.rate_ratio ** (-1 / b1))  # sensitivity module docstring
    assert res.tipping_gradient_bound == pytest.approx(1 - lo ** (-1 / b1)) and res.tipping_gradient_bound > 0.05
    en = findings(model=res)
    assert en[0]["text"].startswith("Verdict: ROBUST") and "p < 0.001" in en[0]["text"]
    assert "p = 0.000" not in en[0]["text"]
    assert en[1]["kind"] == "sensitivity" and "per 10 points of share would be enough" in en[1]["text"]
    assert any("either way" in f["text"] for f in en if f["kind"] == "caveat")
    fr = findings(model=res, lang="fr")
    assert fr[0]["text"].startswith("Verdict : SOLIDE") and "p < 0,001" in fr[0]["text"]


def test_no_evidence_when_the_demo_bias_is_off(tmp_path, capsys):
    write_demo(tmp_path, DemoConfig(bias_rr=1.0))  # same seed, no bias
    u = lg.load_demo(tmp_path).units
    res = benchmark_model(u, **KW, share=u["P21_POP_IMM"] / u["P21_POP"])
    assert res.verdict == "no_evidence" and not res.flag
    assert findings(model=res)[0]["text"].startswith("Verdict: NO EVIDENCE")


def test_profiling_cli_json_has_verdict_flag_and_tipping_gradient(tmp_path, capsys):
    base = ["--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
            "--points", f"checks={DEMO_DIR / 'checks.csv'}", "--points", f"incidents={DEMO_DIR / 'incidents.csv'}"]
    args = ["profiling", *base, "--enforcement", "checks", "--crime", "incidents", "--population", "P21_POP",
            "--out", str(tmp_path / "p.csv")]
    assert main([*args, "--share", "P21_POP_IMM"]) == 0
    s = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert s["verdict"] == "robust" and s["flag"] is True and s["tipping_gradient"] > 0.05
    assert s["robustness_excluding_1"] == s["robustness_specifications"] >= 7
    assert "excludes_1" in pd.read_csv(tmp_path / "p.csv").columns


def _latent_world(seed, n=400, b2=0.0):
    """Sparse recorded crime (about 8 per unit) around a latent log rate correlated with the share."""
    rng = np.random.default_rng(seed)
    s10 = rng.uniform(0, 4, n)
    log_pop = np.log(rng.uniform(800, 3000, n))
    x = 0.8 + 0.35 * s10 + rng.normal(0, 0.4, n)                  # latent log crime rate per 1,000
    crime = rng.poisson(np.exp(log_pop + x) / 1000)
    mu = np.exp(log_pop - 5.0 + 1.0 * x + b2 * s10)                 # enforcement follows the latent rate
    checks = rng.negative_binomial(4, 4 / (4 + mu))
    return checks.astype(float), crime.astype(float), s10, log_pop


@pytest.mark.parametrize("tail", [False, True])
def test_latent_crime_likelihood_equals_numerical_integration(tail):
    from scipy import integrate, stats
    from statsmodels.tools.numdiff import approx_fprime

    from lillegeo.equity.measurement import LatentCrime

    y, c, s10, lp = _latent_world(11, n=6)
    P = pd.DataFrame({"prior_const": 1.0, "prior_share_10pp": s10})
    model = LatentCrime(y, P, crime=c, share10=s10, log_pop=lp, tail=tail)
    # prior (g0, g1), log tau, [tail shift, log tau of the tail, logit of its weight], b0, b1, b2, log alpha
    tail_p = [0.9, np.log(0.8), -1.2] if tail else []
    params = np.array([1.1, 0.3, np.log(0.55), *tail_p, -4.9, 0.95, 0.05, np.log(0.3)])
    got = model.loglikeobs(params)
    comps = [(1 / (1 + np.exp(1.2)), 0.9, 0.8), (1 - 1 / (1 + np.exp(1.2)), 0.0, 0.55)] if tail else [(1.0, 0.0, 0.55)]
    b0, b1, b2, r = -4.9, 0.95, 0.05, 1 / 0.3
    for i in range(6):  # the same integral by scipy's adaptive quadrature (QUADPACK), written out from the docstring
        m = 1.1 + 0.3 * s10[i]

        def dens(x, i=i, m=m):
            lam = np.exp(lp[i] + x) / 1000
            mu = np.exp(lp[i] + b0 + b1 * x + b2 * s10[i])
            prior = sum(w * stats.norm.pdf(x, m + shift, sd) for w, shift, sd in comps)
            return stats.poisson.pmf(c[i], lam) * stats.nbinom.pmf(y[i], r, r / (r + mu)) * prior
        want, _ = integrate.quad(dens, m - 8, m + 10, epsabs=0, epsrel=1e-11, limit=200)
        assert got[i] == pytest.approx(np.log(want), abs=1e-7)
    # the analytic scores equal the numerical derivatives of that likelihood (statsmodels numdiff, centred)
    num = approx_fprime(params, model.loglikeobs, centered=True)
    assert model.score_obs(params) == pytest.approx(num, abs=1e-6)


def test_latent_crime_row_removes_the_false_disparity_of_a_sparse_measure():
    from lillegeo.equity.measurement import latent_crime_fit

    # seeds 0-19 of this world: the naive interval excludes 0 in 20 of 20, the latent one covers 0 in 18 of 20
    y, c, s10, lp = _latent_world(5)
    # the naive model on the noisy log rate: the share absorbs crime the measure misses (a false disparity)
    X = pd.DataFrame({"const": 1.0, "log_crime_rate": np.log((c + 0.5) / np.exp(lp) * 1000), "share_10pp": s10})
    naive = sm.NegativeBinomial(y, X, offset=lp).fit(disp=0)
    assert naive.conf_int().loc["share_10pp", 0] > 0
    fit = latent_crime_fit(y, c, s10, lp)
    lo, hi = fit.conf.loc["share_10pp"]
    assert lo < 0 < hi                                              # truth: no disparity (b2 = 0)
    assert fit.conf.loc["log_crime_rate", 0] < 1.0 < fit.conf.loc["log_crime_rate", 1]  # truth: elasticity 1
    # with a true disparity of 1.3 per 10 points the interval finds it
    y2, c2, s2, lp2 = _latent_world(5, b2=np.log(1.3))
    lo2, hi2 = np.exp(latent_crime_fit(y2, c2, s2, lp2).conf.loc["share_10pp"])
    assert lo2 < 1.3 < hi2 and lo2 > 1


def test_latent_crime_refuses_rates_and_never_reports_a_diverged_fit():
    from lillegeo.equity.measurement import latent_crime_fit

    y, c, s10, lp = _latent_world(2, n=80)
    with pytest.raises(ValueError, match="whole counts"):
        latent_crime_fit(y, c + 0.5, s10, lp)
    with pytest.raises(ValueError, match="did not converge"):  # no crime anywhere: the rate is not identified
        latent_crime_fit(y, np.zeros_like(c), s10, lp)


def test_a_rate_ratio_below_1_is_explained_by_recording_that_rises():
    # no bias; recorded crime 8 % *higher* per 10 points of share: rate ratio 1.08 ** -1.5 < 1, gradient negative
    rng = np.random.default_rng(6)
    n = 120
    pop, share, true_crime = rng.uniform(1000, 3000, n), rng.uniform(0, 0.8, n), rng.uniform(5e3, 5e4, n)
    df = pd.DataFrame({"checks": pop * 1e-6 * (true_crime / pop * 1000) ** 1.5, "P21_POP": pop, "share": share,
                       "incidents": true_crime * 1.08 ** (10 * share)})
    r = benchmark_model(df, **KW, share="share", model="poisson_robust")
    assert r.tipping_gradient == pytest.approx(1 - 1.08, abs=1e-3)  # 1 - RR ** (-1 / b1) = 1 - 1.08
    text = findings(model=r)[1]["text"]
    assert "crime-recording excess" in text and "8.0%" in text


def test_a_collinear_spline_basis_does_not_sink_the_spline_row():
    """benchmarks/calibrate_equity.py, power at 1.5, replication 39: the spline row failed on the standard
    error of one B-spline basis column (6.2, neighbouring columns nearly collinear) while the share's was 0.04."""
    from lillegeo.equity.fit import _check

    idx = ["const", "crime_bs1", "crime_bs2", "share_10pp"]
    params, bse = pd.Series([-5.0, 1.0, 2.0, 0.4], index=idx), pd.Series([0.3, 0.9, 6.2, 0.04], index=idx)
    conf = pd.DataFrame({0: params - 1.96 * bse, 1: params + 1.96 * bse})
    assert "crime_bs2" in _check(params, bse, conf)
    assert _check(params, bse, conf, nuisance=("crime_bs",)) is None
    wide = bse.copy()
    wide["share_10pp"] = 6.2  # the term of interest is never spared
    assert "share_10pp" in _check(params, wide, pd.DataFrame({0: params - 1.96 * wide, 1: params + 1.96 * wide}),
                                  nuisance=("crime_bs",))
