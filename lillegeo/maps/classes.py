"""Classes and colours: palettes, classification schemes, the fixed styles of withheld, no-data and
left-out units, unit outlines."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ..rng import global_seed

__all__ = ["NODATA_STYLE", "PALETTES", "SCHEMES", "WITHHELD_STYLE", "classify", "palette_colors"]

Scheme = Literal["quantiles", "fisher_jenks", "equal_interval", "natural_breaks", "user"]
SCHEMES: dict[str, str] = {
    "quantiles": "Quantiles", "fisher_jenks": "FisherJenks", "equal_interval": "EqualInterval",
    "natural_breaks": "NaturalBreaks", "user": "UserDefined",
}
#: Colour-blind-safe sequential palettes (ColorBrewer single/multi-hue and viridis).
PALETTES = ("viridis", "YlGnBu", "YlOrRd", "PuBu", "Greys")
#: Fixed styles of withheld, no-data and left-out units, and of the unit under the pointer. The withheld
#: grey is no class colour of any palette, layer or typology (``#d9d9d9`` was ColorBrewer's Greys at k >= 6
#: and too close to the bivariate "low, low" ``#e8e8e8``): grey fill, dark dashed outline, and a hatch on paper.
WITHHELD_STYLE = {"fillColor": "#b3b3b3", "color": "#404040", "weight": 1.2, "dashArray": "4 3", "fillOpacity": 0.9}
NODATA_STYLE = {"fillColor": "#ffffff", "color": "#9e9e9e", "weight": 0.6, "fillOpacity": 0.6}
HIGHLIGHT_STYLE = {"weight": 2.5, "color": "#000000"}
EXCLUDED_STYLE = {"fillColor": "#f2efe9", "color": "#8d6e63", "weight": 0.8, "dashArray": "1 3", "fillOpacity": 0.8}


def palette_colors(palette: str, k: int) -> list[str]:
    """``k`` hex colours of a colour-blind-safe palette, light to dark.

    Examples
    --------
    >>> palette_colors("YlGnBu", 3)
    ['#edf8b1', '#7fcdbb', '#2c7fb8']
    """
    if palette not in PALETTES:
        raise ValueError(f"palette must be one of {', '.join(PALETTES)}; got {palette!r}")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if palette == "viridis":
        import branca.colormap as cm

        cmap = cm.linear.viridis.scale(0, 1)
        cols = [cmap(x) for x in np.linspace(0.95, 0.05, k)] if k > 1 else [cmap(0.5)]
        return [c[:7] for c in cols]
    from branca.utilities import color_brewer

    if k < 3:
        return color_brewer(palette, 3)[-k:] if k == 2 else [color_brewer(palette, 3)[1]]
    return color_brewer(palette, k)[:k]


def classify(values: pd.Series, scheme: Scheme = "quantiles", k: int = 5, breaks: list[float] | None = None):
    """Classify values with mapclassify.

    Parameters
    ----------
    values : Series
        NaN values are left out (they are drawn as withheld or no data).
    scheme : {"quantiles", "fisher_jenks", "equal_interval", "natural_breaks", "user"}
    k : int
        Number of classes (ignored for ``user``).
    breaks : list of float
        Upper bounds for ``user`` (the last one at least the maximum).

    Returns
    -------
    mapclassify classifier, fitted on the non-missing values.

    Examples
    --------
    >>> classify(pd.Series([1, 2, 3, 4]), "equal_interval", 2).bins.tolist()
    [2.5, 4.0]
    """
    import mapclassify

    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}; got {scheme!r}")
    v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if len(v) == 0:
        raise ValueError("no values to classify (all are missing or withheld)")
    if scheme == "user":
        if not breaks:
            raise ValueError("scheme 'user' needs breaks, e.g. breaks=[10, 20, 50]")
        b = sorted(float(x) for x in breaks)
        if b[-1] < v.max():
            b.append(float(v.max()))
        return mapclassify.UserDefined(v, bins=b)
    k_eff = int(max(1, min(k, len(np.unique(v)))))
    cls = getattr(mapclassify, SCHEMES[scheme])
    kwargs = {"k": k_eff}
    if scheme != "natural_breaks":
        return cls(v, **kwargs)
    # mapclassify's NaturalBreaks draws from NumPy's global generator and takes no random_state: seed it
    # for a reproducible map, then give the caller's generator back as it was
    kwargs["initial"] = 10
    with global_seed(0):  # alone in the process: another session's draws would change the breaks
        return cls(v, **kwargs)


def _outline(n_units: int) -> dict:
    """Unit outlines: thin dark lines for a city; fainter as units multiply, so that a national map
    of sub-pixel units shows its colours instead of a grey mesh of borders."""
    if n_units <= 2_000:
        return {"color": "#333333", "weight": 0.5}
    return {"color": "#333333", "weight": 0.3, "opacity": 0.5 if n_units <= 10_000 else 0.25}
