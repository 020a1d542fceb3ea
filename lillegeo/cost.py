"""Work budgets: refuse an analysis whose cost is over a stated budget before it starts.

Re-exported by :mod:`lillegeo.params` (``from lillegeo.params import check_cost``).
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.neighbors import KDTree

__all__ = ["COST_BUDGET", "check_cost"]

#: Work budgets (see :func:`check_cost`): permutation draws x units, bootstrap draws x units, and
#: DBSCAN neighbour pairs (about 16 bytes each in scikit-learn's neighbour lists).
COST_BUDGET = {"permutation_units": 60_000_000, "bootstrap_units": 10_000_000, "neighbour_pairs": 40_000_000,
               "heat_cells": 4_000_000}


def check_cost(kind: str, *, units: int = 0, draws: int = 0, xy: np.ndarray | None = None, eps_m: float = 0.0,
               cells: int = 0, budget: dict[str, int] | None = None) -> None:
    """Refuse work beyond the budget before it starts, with a message that says what to lower.

    ``kind`` is ``permutations`` (``draws`` x ``units``), ``bootstrap`` (``draws`` x ``units``),
    ``dbscan`` (neighbour pairs within ``eps_m`` of the points ``xy``, estimated on a sample of
    2,000 points) or ``heat`` (grid ``cells``).

    >>> check_cost("permutations", units=374, draws=999)
    >>> check_cost("permutations", units=48_600, draws=9_999)
    Traceback (most recent call last):
    ...
    ValueError: 9,999 permutations on 48,600 units is 485,951,400 draws, over the budget of 60,000,000; use at most 1,234 permutations
    """
    b = {**COST_BUDGET, **(budget or {})}
    if kind in ("permutations", "bootstrap"):
        key = "permutation_units" if kind == "permutations" else "bootstrap_units"
        work = int(draws) * int(units)
        if work > b[key]:
            most = max(b[key] // max(int(units), 1), 0)
            raise ValueError(f"{draws:,} {kind} on {units:,} units is {work:,} draws, over the budget of "
                             f"{b[key]:,}; use at most {most:,} {kind}")
        return
    if kind == "heat":
        if cells > b["heat_cells"]:
            raise ValueError(f"the heat grid would have {cells:,} cells, over the budget of {b['heat_cells']:,}; "
                             "use larger cells")
        return
    if kind == "dbscan":
        if xy is None or len(xy) < 2:
            return
        rng = np.random.default_rng(0)  # a sample for the estimate only; the result does not depend on it
        sample = xy if len(xy) <= 2000 else xy[rng.choice(len(xy), 2000, replace=False)]
        mean_nb = float(KDTree(xy).query_radius(sample, r=eps_m, count_only=True).mean())
        pairs = mean_nb * len(xy)
        if pairs > b["neighbour_pairs"]:
            ratio = math.sqrt(b["neighbour_pairs"] / pairs)
            raise ValueError(f"a search radius of {eps_m:g} m gives about {pairs:,.0f} neighbour pairs among "
                             f"{len(xy):,} incidents, over the budget of {b['neighbour_pairs']:,}; use a radius "
                             f"of at most about {max(10, int(eps_m * ratio)):,} m or fewer incidents (a filter)")
        return
    raise ValueError(f"unknown cost kind {kind!r}")
