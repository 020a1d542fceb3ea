"""Equity and profiling checks: people-weighted exposure, representation in hotspots, the
enforcement-vs-crime benchmark model, stop-level outcome tests, and findings in plain words.

These are **area-level** results: they describe where groups live and what happens there, not
what happens to individuals.  Recorded crime is itself shaped by where police look, so the
benchmark model can understate or overstate bias (omitted variables, feedback); every finding
carries these caveats.

Modules: :mod:`~lillegeo.equity.exposure` (exposure, representation, area-based groups),
:mod:`~lillegeo.equity.model` (benchmark model, robustness, verdict, outcome test),
:mod:`~lillegeo.equity.fit` (checked fits, share reading), :mod:`~lillegeo.equity.spatial` and
:mod:`~lillegeo.equity.measurement` (robustness rows), :mod:`~lillegeo.equity.sensitivity`
(tipping recording gradient, verdict rules),
:mod:`~lillegeo.equity.findings` (findings and caveats), :mod:`~lillegeo.equity.layers`
(bivariate and residual map classes) and :mod:`~lillegeo.equity.analysis` (:func:`run_equity`).
"""

from .analysis import EquityResult, run_equity
from .exposure import (DEFAULT_BAND, ExposureResult, area_groups, exposure_ratio, group_columns, overlay_share,
                       representation, top_quantile)
from .findings import CAVEATS, findings
from .layers import BIVARIATE, bivariate_classes, bivariate_names, residual_classes
from .model import BenchmarkResult, benchmark_model, outcome_test, robustness_table

__all__ = [
    "ExposureResult", "exposure_ratio", "representation", "BenchmarkResult", "benchmark_model",
    "robustness_table", "outcome_test", "findings", "DEFAULT_BAND", "CAVEATS", "group_columns",
    "bivariate_classes", "residual_classes", "BIVARIATE", "run_equity", "overlay_share", "area_groups",
    "top_quantile", "bivariate_names", "EquityResult",
]
