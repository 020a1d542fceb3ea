"""Typologies: types of units from standardised indicators (k-means, or Ward clustering
constrained to contiguous units)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import pandas as pd

from ..params import DEFAULT_THRESHOLD, TypologyParams
from ..weights import build_weights

__all__ = ["Typology", "typology", "TYPE_COLORS"]

TYPE_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
               "#1f78b4", "#b2df8a"]


@dataclass
class Typology:
    """Types of units from standardised indicators; label -1 where an indicator is missing or withheld.

    ``withheld`` is True for units left untyped because one of their indicators is computed from a
    count under the disclosure threshold (maps draw them in the withheld style); ``notes`` say which
    counts were divided by their denominator before standardising.
    """

    labels: pd.Series
    profile: pd.DataFrame
    method: str
    k: int
    columns: list[str]
    seed: int | None
    withheld: pd.Series | None = None
    notes: list[str] = field(default_factory=list)
    threshold: int = DEFAULT_THRESHOLD

    @property
    def n_withheld(self) -> int:
        return 0 if self.withheld is None else int(self.withheld.sum())


def typology(units: gpd.GeoDataFrame, columns: list[str], *, k: int = TypologyParams.k,
             method: Literal["kmeans", "constrained"] = "kmeans", weights: str = "queen",
             seed: int | None = 0, population: str | None = None) -> Typology:
    """Group units into ``k`` types on standardised indicators.

    ``kmeans``: scikit-learn ``KMeans`` (10 starts, seeded).  ``constrained``:
    Ward agglomerative clustering with a contiguity connectivity matrix
    (scikit-learn ``AgglomerativeClustering``), so that every type is made of
    neighbouring units.

    Returns
    -------
    Typology
        ``profile``: per type, the number of units, the population (when
        ``population`` is given) and the mean of each indicator.
    """
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.preprocessing import StandardScaler

    if not columns:
        raise ValueError("give at least one indicator column")
    missing = [c for c in columns if c not in units.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not found; columns are: {', '.join(map(str, units.columns))}")
    if method not in ("kmeans", "constrained"):
        raise ValueError(f"method must be 'kmeans' or 'constrained'; got {method!r}")
    X = units[columns].apply(pd.to_numeric, errors="coerce")
    ok = X.notna().all(axis=1).to_numpy()
    if ok.sum() < k:
        raise ValueError(f"only {int(ok.sum())} unit(s) have all indicators; need at least k={k}")
    Z = StandardScaler().fit_transform(X[ok].to_numpy(float))
    if method == "kmeans":
        lab = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(Z)
    else:
        w = build_weights(units[ok], weights)
        lab = AgglomerativeClustering(n_clusters=k, connectivity=w.sparse, linkage="ward").fit_predict(Z)
    labels = pd.Series(-1, index=units.index, dtype=int)
    labels[ok] = lab
    prof = X[ok].groupby(lab).mean()
    prof.insert(0, "units", pd.Series(lab).value_counts().sort_index().to_numpy())
    if population and population in units.columns:
        prof.insert(1, "population", units.loc[ok, population].groupby(lab).sum().round(0).to_numpy())
    prof.index.name = "type"
    return Typology(labels=labels, profile=prof.reset_index(), method=method, k=k, columns=list(columns), seed=seed)
