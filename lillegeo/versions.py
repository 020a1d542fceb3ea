"""The lock file of a run: versions of lillegeo, Python and the key libraries, and the sources' hashes."""

from __future__ import annotations

import platform
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .recipe import Recipe, iter_sources

__all__ = ["lock_info", "LIBRARIES"]

__version__ = "0.1.0"

LIBRARIES = ("numpy", "pandas", "geopandas", "shapely", "pyproj", "pyogrio", "scikit-learn", "libpysal", "esda",
             "mapclassify", "statsmodels", "folium", "branca", "streamlit", "streamlit-folium", "matplotlib",
             "django-js-lib-leaflet")


def lock_info(recipe: Recipe | None = None) -> dict[str, Any]:
    """Versions of lillegeo, Python and the key libraries (and the sources' hashes).

    >>> lock_info()["lillegeo"]
    '0.1.0'
    """
    libs = {}
    for lib in LIBRARIES:
        try:
            libs[lib] = version(lib)
        except PackageNotFoundError:
            libs[lib] = None
    out = {"lillegeo": __version__, "python": sys.version.split()[0], "platform": platform.platform(),
           "libraries": libs}
    if recipe is not None:
        out["sources"] = {name: {"path": s["path"], "sha256": s["sha256"], "size": s["size"]}
                          for name, s in iter_sources(recipe.sources)}
    return out
