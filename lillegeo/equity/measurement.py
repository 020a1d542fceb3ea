"""Recorded crime as a noisy measure: the latent-crime row of the robustness table.

A unit's recorded crime ``c_i`` is a Poisson draw around its underlying rate.  With few records per
unit (a sparse offence type) ``log(c_i + 0.5)`` is a noisy measure of the log rate: the crime term
is attenuated and the group's share, correlated with crime, absorbs the rest (a disparity that is
not there).  This row models the underlying rate as a latent variable and fits everything jointly
by maximum likelihood (a structural measurement-error model; Carroll, Ruppert, Stefanski &
Crainiceanu 2006, *Measurement Error in Nonlinear Models*, 2nd ed., ch. 8; the Poisson-lognormal
of Aitchison & Ho 1989 for the crime counts):

    x_i ~ (1 - w) Normal(m_i, tau^2) + w Normal(m_i + d, tau_t^2),  m_i = g0 + g1 * share10_i + g2 * lag_i
    c_i | x_i ~ Poisson(pop_i / 1000 * exp(x_i))                   recorded crime
    y_i | x_i ~ NB2(mean pop_i * exp(b0 + b1 * x_i + b2 * share10_i), dispersion a)   enforcement

``x_i`` is the latent log crime rate per 1,000 residents.  Its prior has a second normal component
(weight ``w``, shift ``d``): recorded crime is right-skewed (a few hot-spot units far above what the
share and the neighbours predict), and with a single normal prior those units are shrunk too far,
which leaves a false disparity of its own (in the calibration: a rate ratio of about 1.03 where the
truth is 1).  When the second component is not identified (the fit does not converge), the single
normal prior is used.  ``lag_i`` is the neighbours' observed log crime rate (row-standardised queen
weights) when the units have geometry: it sharpens the prior of ``x_i`` and, like the share, is not
assumed to act on enforcement except through crime.  ``exp(b2)`` is the rate ratio per 10 points of
share given the *underlying* crime rate.

Each unit's likelihood integrates ``x_i`` out by adaptive Gauss-Hermite quadrature, per prior
component (centred on the mode of the integrand, scaled by its curvature: Liu & Pierce 1994,
Biometrika 81:624-629), which equals ``scipy.integrate.quad`` to 1e-7 (tests).  The scores are
analytic (each unit's posterior mean of the derivative of the log integrand; Louis 1982, JRSS-B
44:226-233).  The fit is statsmodels' ``GenericLikelihoodModel`` (BFGS) with sandwich (HC0) errors,
valid when the prior is only an approximation (White 1982, Econometrica 50:1-25).  Regression
calibration (Carroll et al. 2006, ch. 4), tried first, removed only about half of the false
disparity in the calibration (``benchmarks/calibrate_equity.py``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.special import digamma, gammaln, logsumexp
from statsmodels.base.model import GenericLikelihoodModel
from statsmodels.tools.numdiff import approx_fprime

from ..i18n import t
from .fit import Fit, _check, fit_counts

__all__ = ["LatentCrime", "latent_crime_fit", "NODES"]

#: Gauss-Hermite nodes per unit (adaptive): 12 reproduce scipy's quad to about 1e-8 on the demo.
NODES = 12
_Z, _W = np.polynomial.hermite.hermgauss(NODES)
_OUTCOME = ("const", "log_crime_rate", "share_10pp")
_TAIL = ("tail_shift", "log_tau_tail", "logit_tail")
#: BFGS's answer is the maximum when the Newton step still to take is under this share of each
#: coefficient's standard error (a gradient test on the scale of the estimate's own precision).
STEP_TOL = 0.01


class LatentCrime(GenericLikelihoodModel):
    """Joint likelihood of recorded crime and enforcement with the crime rate latent (module docstring).

    ``endog`` is enforcement, ``exog`` the prior design of the latent log rate (constant, share per
    10 points, optionally the neighbours' lag); ``crime``, ``share10`` and ``log_pop`` per unit.
    Parameters: the prior's coefficients, ``log_tau``, with ``tail`` the second component's
    ``tail_shift``, ``log_tau_tail`` and ``logit_tail`` (its weight), then ``const``,
    ``log_crime_rate``, ``share_10pp`` (the outcome model) and ``log_alpha`` (NB2 dispersion).
    """

    def __init__(self, endog, exog, *, crime, share10, log_pop, tail: bool = True, **kwds):
        self.crime = np.asarray(crime, float)
        self.share10 = np.asarray(share10, float)
        self.log_pop = np.asarray(log_pop, float)
        self.tail = tail
        extra = ["log_tau", *(_TAIL if tail else ()), *_OUTCOME, "log_alpha"]
        super().__init__(endog, exog, extra_params_names=extra, **kwds)
        self.k_prior = self.exog.shape[1]

    def _unpack(self, params):
        k = self.k_prior
        g = params[:k]
        m = self.exog @ g
        if not self.tail:
            log_tau, b0, b1, b2, log_alpha = params[k:]
            return ((0.0, m, np.exp(2 * log_tau)),), b0, b1, b2, np.exp(log_alpha)
        log_tau, shift, log_tau2, logit, b0, b1, b2, log_alpha = params[k:]
        w2 = 1.0 / (1.0 + np.exp(-logit))
        comps = ((np.log1p(-w2), m, np.exp(2 * log_tau)), (np.log(w2), m + shift, np.exp(2 * log_tau2)))
        return comps, b0, b1, b2, np.exp(log_alpha)

    def _integrand(self, x, m, tau2, b0, b1, b2, a):
        """log of Poisson(c | x) * NB2(y | x) * Normal(x | m, tau2), elementwise."""
        y, c, s, lp = (v[..., None] if x.ndim == 2 else v for v in (self.endog, self.crime, self.share10, self.log_pop))
        lam_log = x + lp - np.log(1000.0)
        pois = c * lam_log - np.exp(lam_log) - gammaln(c + 1)
        mu = np.exp(lp + b0 + b1 * x + b2 * s)
        r = 1.0 / a
        nb = gammaln(y + r) - gammaln(r) - gammaln(y + 1) + r * np.log(r / (r + mu)) + y * np.log(mu / (r + mu))
        prior = -0.5 * np.log(2 * np.pi * tau2) - (x - m) ** 2 / (2 * tau2)
        return pois + nb + prior

    def _mode(self, m, tau2, b0, b1, b2, a, slot=0):
        """Mode and curvature scale of each unit's integrand (Newton; the integrand is log-concave)."""
        y, c, s, lp = self.endog, self.crime, self.share10, self.log_pop
        cache = self.__dict__.setdefault("_warm", {})
        warm = cache.get(slot)
        for x in ([warm.copy()] if warm is not None else []) + [m.copy()]:  # warm start, else the prior mean
            for _ in range(60):
                lam = np.exp(x + lp - np.log(1000.0))
                mu = np.exp(lp + b0 + b1 * x + b2 * s)
                d1 = c - lam + b1 * (y - mu) / (1 + a * mu) - (x - m) / tau2
                d2 = -lam - b1 * b1 * mu * (1 + a * y) / (1 + a * mu) ** 2 - 1 / tau2
                step = np.clip(d1 / d2, -2.0, 2.0)
                x = x - step
                if not np.all(np.isfinite(x)) or np.max(np.abs(step)) < 1e-10:
                    break
            if np.all(np.isfinite(x)) and np.max(np.abs(step)) < 1e-10:
                break
        lam = np.exp(x + lp - np.log(1000.0))
        mu = np.exp(lp + b0 + b1 * x + b2 * s)
        d2 = -lam - b1 * b1 * mu * (1 + a * y) / (1 + a * mu) ** 2 - 1 / tau2
        cache[slot] = x if np.all(np.isfinite(x)) else None
        return x, 1.0 / np.sqrt(-d2)

    def _nodes(self, params):
        """Per component: log weight, nodes (n x NODES), their log contributions, prior mean and variance."""
        comps, b0, b1, b2, a = self._unpack(np.asarray(params, float))
        out = []
        for slot, (log_w, m, tau2) in enumerate(comps):
            mode, sig = self._mode(m, tau2, b0, b1, b2, a, slot)
            nodes = mode[:, None] + np.sqrt(2.0) * sig[:, None] * _Z[None, :]
            f = self._integrand(nodes, m[:, None], tau2, b0, b1, b2, a)
            contrib = log_w + np.log(np.sqrt(2.0) * sig)[:, None] + f + _Z[None, :] ** 2 + np.log(_W)[None, :]
            out.append((nodes, contrib, m, tau2))
        return out, (b0, b1, b2, a)

    def loglikeobs(self, params):
        comps, _ = self._nodes(params)
        return logsumexp(np.hstack([c for _, c, _, _ in comps]), axis=1)

    def score_obs(self, params):
        """Analytic scores: each unit's posterior mean (over the quadrature nodes of every component) of
        the derivative of the log integrand (Louis 1982); ``tests`` compare with numerical derivatives."""
        params = np.asarray(params, float)
        comps, (b0, b1, b2, a) = self._nodes(params)
        total = logsumexp(np.hstack([c for _, c, _, _ in comps]), axis=1)
        k = self.k_prior
        y, s, lp = self.endog[:, None], self.share10[:, None], self.log_pop[:, None]
        r = 1.0 / a
        out = np.zeros((len(self.endog), len(params)))
        w2 = 1.0 / (1.0 + np.exp(-params[k + 3])) if self.tail else 0.0
        for j, (x, contrib, m, tau2) in enumerate(comps):
            omega = np.exp(contrib - total[:, None])           # posterior weight of each node
            dev = x - m[:, None]                                # m includes the tail's shift
            z = dev / tau2
            mu = np.exp(lp + b0 + b1 * x + b2 * s)
            d_eta = (y - mu) / (1 + a * mu)
            d_r = digamma(y + r) - digamma(r) + np.log(r / (r + mu)) + (mu - y) / (r + mu)
            out[:, :k] += (omega * z).sum(1)[:, None] * self.exog
            o = k
            tau_col = k if j == 0 else k + 2
            out[:, tau_col] += (omega * (z * dev - 1.0)).sum(1)
            if self.tail:
                if j == 1:
                    out[:, k + 1] += (omega * z).sum(1)
                out[:, k + 3] += omega.sum(1) * ((1.0 - w2) if j else -w2)
                o = k + 3
            out[:, o + 1] += (omega * d_eta).sum(1)
            out[:, o + 2] += (omega * d_eta * x).sum(1)
            out[:, o + 3] += (omega * d_eta * s).sum(1)
            out[:, o + 4] += (omega * (-r) * d_r).sum(1)
        return out

    def score(self, params):
        return self.score_obs(params).sum(0)

    def hessian(self, params):
        jac = approx_fprime(np.asarray(params, float), self.score, centered=True)
        return (jac + jac.T) / 2.0  # numerical derivative of the analytic score, symmetrised

    def latent_mode(self, params) -> np.ndarray:
        """Each unit's most likely latent log crime rate under the main component of the prior."""
        comps, b0, b1, b2, a = self._unpack(np.asarray(params, float))
        return self._mode(comps[0][1], comps[0][2], b0, b1, b2, a, slot=9)[0]


def _start(y, crime, share10, log_pop, P, tail: bool) -> np.ndarray:
    """Start values from checked fits (:func:`~.fit.fit_counts`: Poisson first, then NB2): crime on the
    prior design (its NB2 dispersion gives the prior's variance, log(1 + a) for a lognormal), then
    enforcement on the observed log rate."""
    prior = fit_counts(crime, P, log_pop - np.log(1000.0), model="negbin")
    X = pd.DataFrame({"const": 1.0, "log_crime_rate": np.log((crime + 0.5) / np.exp(log_pop) * 1000.0),
                      "share_10pp": share10})
    out = fit_counts(y, X, log_pop, model="negbin")
    log_tau = 0.5 * np.log(np.log1p(max(prior.alpha_nb, 0.01)))
    tail_start = [1.0, log_tau, -2.0] if tail else []  # a small, higher-crime component
    return np.r_[prior.params.to_numpy(), log_tau, tail_start, out.params.to_numpy(), np.log(max(out.alpha_nb, 0.01))]


def _fit(y, crime, share10, log_pop, P, tail: bool, ci: float):
    """(model, results, why): ``why`` is None when the fit can be reported."""
    model = LatentCrime(y, P, crime=crime, share10=share10, log_pop=log_pop, tail=tail)
    res = model.fit(start_params=_start(y, crime, share10, log_pop, P, tail), method="bfgs", maxiter=2000,
                    disp=0, gtol=1e-5, cov_type="HC0")
    if res.normalized_cov_params is None:  # statsmodels could not invert the Hessian
        return model, res, "the Hessian is not negative definite at the optimiser's answer"
    step = np.asarray(res.normalized_cov_params) @ model.score(res.params)  # Newton step: (-H)^-1 g
    left = float(np.max(np.abs(step) / np.sqrt(np.diag(np.asarray(res.normalized_cov_params)))))
    if not np.isfinite(left) or left > STEP_TOL:
        return model, res, f"BFGS stopped {left:.2g} standard errors from the maximum"
    keep = list(_OUTCOME)
    names = list(model.exog_names)
    bse = pd.Series(res.bse, index=names)
    conf = pd.DataFrame(np.asarray(res.conf_int(alpha=1 - ci)), index=names)
    return model, res, _check(pd.Series(res.params, index=names)[keep], bse[keep], conf.loc[keep])


def latent_crime_fit(y: np.ndarray, crime: np.ndarray, share10: np.ndarray, log_pop: np.ndarray,
                     lag: np.ndarray | None = None, *, ci: float = 0.95, lang: str = "en") -> Fit:
    """Fit :class:`LatentCrime`; the returned :class:`~.fit.Fit` carries the outcome coefficients
    (``const``, ``log_crime_rate``, ``share_10pp``) with sandwich intervals.

    Raises a translated ``ValueError`` when recorded crime is not whole counts or the fit did not
    converge (never a number from a diverged fit).
    """
    y, crime, share10, log_pop = (np.asarray(v, float) for v in (y, crime, share10, log_pop))
    if np.any(crime < 0) or not np.allclose(crime, np.round(crime)):
        raise ValueError(t("prof.err.latent_counts", lang))
    cols = {"prior_const": np.ones_like(y), "prior_share_10pp": share10}
    if lag is not None:
        cols["prior_lag_log_crime_rate"] = np.asarray(lag, float)
    P = pd.DataFrame(cols)
    why, res = "not fitted", None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for tail in (True, False):  # a heavy-tailed prior first; a single normal when the tail is not identified
            try:
                model, res, why = _fit(y, crime, share10, log_pop, P, tail, ci)
            except (np.linalg.LinAlgError, ValueError, FloatingPointError) as exc:
                why, res = str(exc), None
            if why is None:
                break
    if res is None or why is not None:
        raise ValueError(t("prof.err.diverged", lang, model=t("prof.latent_model", lang), why=why))
    names = list(model.exog_names)
    params, bse = pd.Series(res.params, index=names), pd.Series(res.bse, index=names)
    pvalues = pd.Series(res.pvalues, index=names)
    conf = pd.DataFrame(np.asarray(res.conf_int(alpha=1 - ci)), index=names)
    keep = list(_OUTCOME)
    x = model.latent_mode(params.to_numpy())
    mu = np.exp(log_pop + params["const"] + params["log_crime_rate"] * x + params["share_10pp"] * share10)
    return Fit(params[keep], conf.loc[keep], pvalues[keep], bse[keep], mu,
               float(np.exp(params["log_alpha"])), "latent, two-component prior" if model.tail else "latent", True)
