"""Hotspots: area hot/cold spots (Gi*, local Moran), point clusters, heat surfaces, typologies,
hotspot evaluation (hit rate, PAI, RRI) and sensitivity.

Statistics come from the libraries that define them: ``libpysal`` (weights, :mod:`lillegeo.weights`),
``esda`` (``G_Local``, ``Moran_Local``, ``Moran``, ``fdr``) and scikit-learn
(``DBSCAN``, ``HDBSCAN``, ``OPTICS``, ``KernelDensity``, ``KMeans``,
``AgglomerativeClustering``).  This package turns their codes into readable
labels and keeps every parameter (weights, permutations, seed, alpha,
correction) with the result.

Modules: :mod:`~lillegeo.hotspots.area` (Gi*, local Moran, labels and colours),
:mod:`~lillegeo.hotspots.points` (density clusters), :mod:`~lillegeo.hotspots.density` (heat
surfaces), :mod:`~lillegeo.hotspots.typology` (types of units) and
:mod:`~lillegeo.hotspots.evaluation` (hit rate, PAI, RRI, method comparison, sensitivity).
"""

from ..weights import _WEIGHTS_CACHE as _WEIGHTS_CACHE  # the cache, cleared by tests and benchmarks
from ..weights import build_weights
from .area import (GI_LABELS, HOT_COLORS, ISLAND, LEFT_OUT, LISA_COLORS, LISA_LABELS, NO_DATA, UNTESTED, WITHHELD,
                   AreaHotspots, area_hotspots, indicator_hotspots)
from .density import EXACT_KDE_WORK, HEAT_EXTENT_ROUND_M, HEAT_MIN_M, HeatSurface, heat_surface
from .evaluation import (EVALUATION_FORMULAS, cluster_sensitivity, compare_methods, evaluate_methods, hit_rate_pai,
                         jaccard, sensitivity, study_area)
from .points import DBSCAN_EXACT_LIMIT, PointClusters, dbscan_labels, filter_points, point_clusters
from .typology import TYPE_COLORS, Typology, typology

__all__ = [
    "build_weights", "AreaHotspots", "area_hotspots", "PointClusters", "point_clusters", "HeatSurface",
    "heat_surface", "Typology", "typology", "hit_rate_pai", "evaluate_methods", "sensitivity",
    "GI_LABELS", "LISA_LABELS", "jaccard", "filter_points", "indicator_hotspots", "compare_methods",
    "study_area", "cluster_sensitivity", "HOT_COLORS", "LISA_COLORS", "TYPE_COLORS", "EVALUATION_FORMULAS",
    "dbscan_labels", "NO_DATA", "ISLAND", "WITHHELD", "LEFT_OUT", "UNTESTED", "DBSCAN_EXACT_LIMIT", "EXACT_KDE_WORK",
    "HEAT_MIN_M", "HEAT_EXTENT_ROUND_M",
]
