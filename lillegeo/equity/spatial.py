"""Robustness rows that let the benchmark model bend: a flexible crime term, neighbours' crime, and
spatially robust inference.

- **Spline** of the log crime rate: patsy's ``bs(x, df=4)`` B-spline basis (de Boor 1978) in
  place of the linear term, so checks may rise faster or slower than crime.
- **Spatial lag** of the log crime rate: ``W x`` with the app's queen weights
  (:func:`lillegeo.weights.build_weights`, row-standardised) as an extra covariate (spill-over
  of neighbours' crime; the SLX model, LeSage & Pace 2009, ch. 2).
- **Residual Moran's I** of the main model's Pearson residuals (esda ``Moran``, analytical
  normal p-value; Cliff & Ord 1981): a diagnostic, not a specification.
- **Moran eigenvector spatial filter** (Griffith 2003; Tiefelsdorf & Griffith 2007): the leading
  eigenvectors of ``M C M`` (``C`` symmetric binary queen weights, ``M = I - 11'/n``) whose Moran
  coefficient is at least 0.25 of the largest, at most ``n // 25`` of them, enter the GLM as
  covariates, absorbing spatially structured error so the share's interval is not too narrow.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import patsy

from ..fmt import fmt_number, fmt_p
from ..i18n import t
from ..weights import build_weights
from .fit import failed_row, fit_counts, fit_row

__all__ = ["spline_design", "lag_design", "esf_design", "residual_moran", "spatial_rows", "ESF_THRESHOLD"]

#: Griffith's candidate rule: eigenvectors with a Moran coefficient >= 0.25 of the largest.
ESF_THRESHOLD = 0.25


def spline_design(X: pd.DataFrame, df: int = 4) -> pd.DataFrame:
    """The design with ``log_crime_rate`` replaced by patsy's B-spline basis ``bs(log_crime_rate, df)``."""
    basis = patsy.dmatrix(f"bs(log_crime_rate, df={df}) - 1", X, return_type="dataframe")
    basis.columns = [f"crime_bs{i + 1}" for i in range(basis.shape[1])]
    return pd.concat([X[["const"]], basis.set_index(X.index), X[["share_10pp"]]], axis=1)


def _weights(units: gpd.GeoDataFrame):
    w = build_weights(units.reset_index(drop=True), "queen")
    return w


def lag_design(X: pd.DataFrame, units: gpd.GeoDataFrame) -> pd.DataFrame:
    """The design plus ``lag_log_crime_rate``: the row-standardised queen average of neighbours' log
    crime rate (0 for a unit without neighbours)."""
    w = _weights(units)
    w.transform = "r"
    lag = np.asarray(w.sparse @ X["log_crime_rate"].to_numpy())
    out = X.copy()
    out.insert(2, "lag_log_crime_rate", lag)
    return out


def esf_design(X: pd.DataFrame, units: gpd.GeoDataFrame) -> pd.DataFrame:
    """The design plus the selected Moran eigenvectors ``ev1..evk`` (see the module docstring)."""
    from scipy.sparse.linalg import LinearOperator, eigsh

    w = _weights(units)
    c = w.sparse.tocsr()
    c = ((c + c.T) > 0).astype(float)
    n = c.shape[0]

    def mcm(v):
        v = v - v.mean()
        v = c @ v
        return v - v.mean()

    k = min(max(1, n // 25), n - 2)
    vals, vecs = eigsh(LinearOperator((n, n), matvec=mcm, dtype=float), k=k, which="LA", v0=np.ones(n) / n ** .5)
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    keep = np.flatnonzero(vals >= ESF_THRESHOLD * vals[0])
    ev = pd.DataFrame(vecs[:, keep], index=X.index, columns=[f"ev{i + 1}" for i in range(len(keep))])
    return pd.concat([X, ev], axis=1)


def residual_moran(resid: np.ndarray, units: gpd.GeoDataFrame) -> tuple[float, float]:
    """Moran's I of residuals with row-standardised queen weights and its analytical p (two-sided)."""
    import esda

    w = _weights(units)
    w.transform = "r"
    mi = esda.Moran(np.asarray(resid, float), w, permutations=0)
    return float(mi.I), float(mi.p_norm)


def spatial_rows(units: pd.DataFrame, y: np.ndarray, X: pd.DataFrame, offset: np.ndarray, ok: pd.Series, *,
                 pearson: np.ndarray, model: str = "negbin", ci: float = 0.95,
                 lang: str = "en") -> list[dict[str, Any]]:
    """Spline, spatial-lag and eigenvector-filter rows, then the residual Moran diagnostic row."""
    rows: list[dict[str, Any]] = []
    try:
        rows.append(fit_row(t("rob.spline", lang), fit_counts(y, spline_design(X), offset, model=model, ci=ci,
                                                             lang=lang, nuisance=("crime_bs",)), len(y)))
    except (ValueError, RuntimeError, np.linalg.LinAlgError) as exc:  # RuntimeError: ARPACK did not converge
        rows.append(failed_row(t("rob.spline", lang), str(exc)))
    if not isinstance(units, gpd.GeoDataFrame):
        return rows
    sub = units.loc[ok]
    for key, build in (("rob.lag", lag_design), ("rob.esf", esf_design)):
        try:
            Xs = build(X, sub)
            k = sum(c.startswith("ev") for c in Xs.columns)
            rows.append(fit_row(t(key, lang, k=k), fit_counts(y, Xs, offset, model=model, ci=ci, lang=lang), len(y)))
        except (ValueError, RuntimeError, np.linalg.LinAlgError) as exc:  # RuntimeError: ARPACK did not converge
            rows.append(failed_row(t(key, lang, k="?"), str(exc)))
    try:
        i, p = residual_moran(pearson, sub)
        row = failed_row(t("rob.moran", lang, i=fmt_number(i, lang, 3), p=fmt_p(p, lang)), "", kind="diagnostic")
        row.update({"p_value": p, "n_units": len(y), "moran_i": i})
        rows.append(row)
    except (ValueError, RuntimeError, np.linalg.LinAlgError) as exc:  # RuntimeError: ARPACK did not converge
        rows.append(failed_row(t("rob.moran", lang, i="–", p="–"), str(exc), kind="diagnostic"))
    return rows
