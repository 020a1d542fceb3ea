"""Every analysis parameter declared once: type, default, range or allowed options, and the cost guard.

The pages take their widget bounds from here, the command line checks its options here, and a
recipe is validated here when it is loaded, so the three cannot disagree (the model is
scikit-learn's ``_parameter_constraints``). A value outside its range is refused with a message
that names the section and the field, shows the value and says what is allowed; nothing is
clipped silently.

The upper bounds keep one request from holding the server: the work an analysis does grows with
permutations x units, bootstrap draws x units, and DBSCAN's neighbour pairs (radius x density).
:func:`check_cost` refuses work over a stated budget before it starts.

Examples
--------
>>> validate("hotspots", {"permutations": 999})["permutations"]
999
>>> validate("hotspots", {"permutations": 3_000_000})
Traceback (most recent call last):
...
ValueError: [hotspots] permutations = 3000000 is above the largest allowed value 9999 (allowed: 19 to 9999)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Param", "SPEC", "DEFAULTS", "validate", "check_weights", "check_cost", "check_slides", "COST_BUDGET",
           "bounds", "MAX_SLIDES", "MAX_TEXT"]

#: Longest text accepted in a parameter (column names, titles, captions).
MAX_TEXT = 500
#: Most slides in a presentation.
MAX_SLIDES = 30
#: Work budgets (see :func:`check_cost`): permutation draws x units, bootstrap draws x units, and
#: DBSCAN neighbour pairs (about 16 bytes each in scikit-learn's neighbour lists).
COST_BUDGET = {"permutation_units": 60_000_000, "bootstrap_units": 10_000_000, "neighbour_pairs": 40_000_000,
               "heat_cells": 4_000_000}


@dataclass(frozen=True)
class Param:
    """One parameter: its default, its type and what values are allowed."""

    default: Any
    kind: str  # "int", "float", "str", "bool", "band", "weights"
    lo: float | None = None
    hi: float | None = None
    options: tuple | None = None
    help: str = ""


_SCHEMES = ("quantiles", "fisher_jenks", "equal_interval", "natural_breaks", "user")
_PALETTES = ("viridis", "YlGnBu", "YlOrRd", "PuBu", "Greys")

SPEC: dict[str, dict[str, Param]] = {
    "explore": {
        "column": Param("incidents", "str", help="indicator column"),
        "per": Param("P21_POP", "str", help="denominator column ('' for raw values)"),
        "smoothing": Param("none", "str", options=("none", "global_eb", "spatial_eb")),
        "scheme": Param("quantiles", "str", options=_SCHEMES),
        "k": Param(5, "int", 2, 9, help="number of classes"),
        "palette": Param("YlGnBu", "str", options=_PALETTES),
        "threshold": Param(11, "int", 11, 1000, help="disclosure threshold: counts below it are withheld"),
        "exclude_ad": Param(True, "bool"),
    },
    "hotspots": {
        "column": Param("incidents", "str"),
        "per": Param("", "str"),
        "method": Param("gi_star", "str", options=("gi_star", "local_moran")),
        "weights": Param("queen", "weights", help="queen, rook, knn:K (1-50) or distance:METRES (1-50000)"),
        "permutations": Param(999, "int", 19, 9999, help="conditional permutations for pseudo p-values"),
        "alpha": Param(0.05, "float", 0.001, 0.2),
        "correction": Param("none", "str", options=("none", "fdr", "bonferroni")),
        "seed": Param(0, "int", 0, 2**31 - 1),
        "points": Param("incidents", "str", help="point layer clustered"),
        "algorithm": Param("dbscan", "str", options=("dbscan", "hdbscan", "optics")),
        "eps_m": Param(120.0, "float", 10, 1000, help="search radius in metres"),
        "min_samples": Param(60, "int", 11, 5000, help="incidents per cluster core (at least the threshold 11)"),
    },
    "heat": {
        "bandwidth_m": Param(250.0, "float", 50, 2000),
        "cell_m": Param(100.0, "float", 25, 1000),
    },
    "typology": {
        "k": Param(5, "int", 2, 10),
        "method": Param("kmeans", "str", options=("kmeans", "constrained")),
    },
    "equity": {
        "enforcement": Param("checks", "str"),
        "crime": Param("incidents", "str"),
        "population": Param("P21_POP", "str"),
        "group": Param("P21_POP_IMM", "str"),
        "reference": Param("complement", "str"),
        "other_crime": Param("", "str"),
        "bootstrap": Param(999, "int", 0, 9999, help="bootstrap draws for intervals (0: none)"),
        "seed": Param(0, "int", 0, 2**31 - 1),
        "band": Param((0.8, 1.25), "band", 0.1, 10.0, help="disparity band [low, high], low < 1 < high"),
        "groups": Param("people", "str", options=("people", "top_share", "overlay")),
    },
}

#: Default values per section (what a new recipe and a fresh page start from).
DEFAULTS: dict[str, dict[str, Any]] = {sec: {k: (list(p.default) if isinstance(p.default, tuple) else p.default)
                                             for k, p in spec.items()} for sec, spec in SPEC.items()}

_WEIGHTS = re.compile(r"^(queen|rook|knn:(\d{1,3})|distance:(\d{1,6}(\.\d+)?))$")


def bounds(section: str, name: str) -> tuple[Any, Any]:
    """(low, high) of a numeric parameter, for widgets: ``st.number_input(min_value=lo, max_value=hi)``."""
    p = SPEC[section][name]
    cast = int if p.kind == "int" else float
    return cast(p.lo), cast(p.hi)


def _fail(section: str, name: str, value: Any, why: str) -> ValueError:
    shown = repr(value) if isinstance(value, str) else str(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return ValueError(f"[{section}] {name} = {shown} {why}")


def check_weights(value: Any, *, section: str = "hotspots", name: str = "weights") -> str:
    """A weights spec: ``queen``, ``rook``, ``knn:K`` (1-50) or ``distance:METRES`` (1-50000)."""
    if not isinstance(value, str) or not _WEIGHTS.match(value.strip()):
        raise _fail(section, name, value, "is not a weights spec (allowed: queen, rook, knn:K, distance:METRES)")
    v = value.strip()
    if v.startswith("knn:") and not 1 <= int(v[4:]) <= 50:
        raise _fail(section, name, value, "has k outside 1 to 50")
    if v.startswith("distance:") and not 1 <= float(v[9:]) <= 50_000:
        raise _fail(section, name, value, "has a distance outside 1 to 50000 metres")
    return v


def _check(section: str, name: str, p: Param, value: Any) -> Any:
    if p.kind == "bool":
        if not isinstance(value, bool):
            raise _fail(section, name, value, "must be true or false")
        return value
    if p.kind == "str":
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise _fail(section, name, value, f"must be text, not {type(value).__name__}")
        if len(value) > MAX_TEXT:
            raise _fail(section, name, value, f"is longer than {MAX_TEXT} characters")
        if p.options is not None and value not in p.options:
            raise _fail(section, name, value, f"is not allowed (allowed: {', '.join(map(str, p.options))})")
        return value
    if p.kind == "weights":
        return check_weights(value, section=section, name=name)
    if p.kind == "band":
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise _fail(section, name, value, "must be two numbers [low, high]")
        lo, hi = (_check(section, name, Param(None, "float", p.lo, p.hi), v) for v in value)
        if not lo < 1 < hi:
            raise _fail(section, name, value, "must have low < 1 < high")
        return [lo, hi]
    # numbers: bool is an int in Python but not a number here; "x" is refused, not coerced
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise _fail(section, name, value, f"must be a number, not {type(value).__name__}")
    if p.kind == "int":
        if float(value) != math.floor(float(value)):
            raise _fail(section, name, value, "must be a whole number")
        value = int(value)
    else:
        value = float(value)
        if not math.isfinite(value):
            raise _fail(section, name, value, "must be a finite number")
    allowed = f"(allowed: {p.lo:g} to {p.hi:g})"
    if p.lo is not None and value < p.lo:
        raise _fail(section, name, value, f"is below the smallest allowed value {p.lo:g} {allowed}")
    if p.hi is not None and value > p.hi:
        raise _fail(section, name, value, f"is above the largest allowed value {p.hi:g} {allowed}")
    return value


def validate(section: str, values: dict[str, Any] | None, *, partial: bool = True) -> dict[str, Any]:
    """Check ``values`` for ``section`` and return them complete (defaults filled in) and typed.

    Unknown keys are refused (a typo must not be ignored). With ``partial=False`` every key is
    required.

    >>> validate("equity", {"band": [0.8, 1.25]})["band"]
    [0.8, 1.25]
    >>> validate("explore", {"k": "x"})
    Traceback (most recent call last):
    ...
    ValueError: [explore] k = 'x' must be a number, not str
    """
    if section not in SPEC:
        raise ValueError(f"unknown parameter section {section!r}; sections are: {', '.join(SPEC)}")
    spec = SPEC[section]
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ValueError(f"[{section}] must be a table of parameters, not {type(values).__name__}")
    extra = sorted(set(map(str, values)) - set(spec))
    if extra:
        raise ValueError(f"unknown key(s) in [{section}]: {', '.join(extra)[:200]}; allowed: {', '.join(sorted(spec))}")
    if not partial:
        missing = sorted(set(spec) - set(values))
        if missing:
            raise ValueError(f"[{section}] lacks {', '.join(missing)}")
    out = dict(DEFAULTS[section])
    for name, value in values.items():
        out[name] = _check(section, name, spec[name], value)
    return out


_SLIDE_LAYERS = ("explore", "hotspots", "clusters", "equity")


def check_slides(slides: Any) -> list[dict[str, str]]:
    """Slides of a recipe: at most :data:`MAX_SLIDES`, each a ``layer`` and a title and caption of text."""
    if slides is None:
        return []
    if not isinstance(slides, list):
        raise ValueError("[[slides]] must be a list of slides")
    if len(slides) > MAX_SLIDES:
        raise ValueError(f"the recipe has {len(slides)} slides; at most {MAX_SLIDES} are allowed")
    out = []
    for i, s in enumerate(slides, 1):
        if not isinstance(s, dict):
            raise ValueError(f"slide {i} must be a table with layer, title and caption")
        extra = sorted(set(map(str, s)) - {"layer", "title", "caption"})
        if extra:
            raise ValueError(f"slide {i} has unknown key(s): {', '.join(extra)[:200]}; allowed: caption, layer, title")
        layer = s.get("layer")
        if layer not in _SLIDE_LAYERS:
            raise _fail(f"slide {i}", "layer", layer, f"is not allowed (allowed: {', '.join(_SLIDE_LAYERS)})")
        clean = {"layer": layer}
        for k in ("title", "caption"):
            clean[k] = _check(f"slide {i}", k, Param("", "str"), s.get(k, ""))
        out.append(clean)
    return out


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
        from sklearn.neighbors import KDTree

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
