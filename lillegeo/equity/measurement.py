"""Recorded crime as a noisy measure: the regression-calibration row of the robustness table.

A unit's recorded crime ``c_i`` is a Poisson draw around its underlying rate; with few records per
unit (a sparse offence type) ``log(c_i + 0.5)`` is a noisy measure of the log rate, the crime term
is attenuated and the group's share, correlated with crime, absorbs the rest (a disparity that is
not there).  Regression calibration (Carroll, Ruppert, Stefanski & Crainiceanu 2006, *Measurement
Error in Nonlinear Models*, ch. 4) replaces the noisy covariate by its expectation given what is
observed, *including the other covariates*: here a Gamma-Poisson model of crime given the share,

    c_i ~ Poisson(lambda_i),  lambda_i ~ Gamma(shape 1/a, mean m_i),  log m_i = log(pop_i) + g0 + g1 * share_i

(plus ``g2 * lag_i``, the neighbours' log crime rate, when the units have geometry), fitted as a
negative binomial (NB2; ``a`` its dispersion), gives the posterior
``lambda_i | c_i ~ Gamma(1/a + c_i, rate 1/(a m_i) + 1)`` and the calibrated covariate
``E[log lambda_i | c_i] = digamma(1/a + c_i) - log(1/(a m_i) + 1)`` (minus log(pop/1000) for a rate).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import digamma

from .fit import fit_counts

__all__ = ["calibrated_log_rate", "calibrated_design"]


def calibrated_log_rate(crime: np.ndarray, pop: np.ndarray, share: np.ndarray, lag: np.ndarray | None = None,
                        lang: str = "en") -> np.ndarray:
    """``E[log(lambda_i / pop_i * 1000) | c_i]`` under the Gamma-Poisson model of the module docstring
    (with ``lag``, the neighbours' log crime rate also enters the prior mean)."""
    crime, pop, share = (np.asarray(v, float) for v in (crime, pop, share))
    X = pd.DataFrame({"const": 1.0, "share": share})
    if lag is not None:
        X["lag"] = np.asarray(lag, float)
    fit = fit_counts(crime, X, np.log(pop), model="negbin", lang=lang)
    a = max(float(fit.alpha_nb), 1e-8)
    m = fit.mu
    return digamma(1 / a + crime) - np.log(1 / (a * m) + 1) - np.log(pop / 1000.0)


def calibrated_design(X: pd.DataFrame, crime: pd.Series, pop: pd.Series, lag: np.ndarray | None = None,
                      lang: str = "en") -> pd.DataFrame:
    """The design with ``log_crime_rate`` replaced by its regression-calibrated value."""
    out = X.copy()
    out["log_crime_rate"] = calibrated_log_rate(crime.loc[X.index].to_numpy(), pop.loc[X.index].to_numpy(),
                                                X["share_10pp"].to_numpy() / 10, lag, lang)
    return out
