"""Programme evaluation: did an intervention work, and where did the problem go?

The types every part shares are in :mod:`lillegeo.programme.types` (the contract between the panel,
the methods, the pipeline and the Evaluate page):

- :mod:`.panel` builds the long panel (one row per unit and period) from a point layer and the design
  (treated, buffer and control units; each treated unit's start);
- :mod:`.methods` estimates on that panel: before/after rate ratios, the Weighted Displacement
  Difference and Quotient, Poisson difference-in-differences and event study (pyfixest), synthetic
  control (pysyncon) and the pre-trend check; each returns an :class:`~.types.Estimate`;
- :func:`lillegeo.pipeline.run_programme` runs the whole analysis from a
  :class:`~lillegeo.params.ProgrammeParams` and returns a :class:`~.types.ProgrammeResult`.
"""

from .types import ROLES, Estimate, PreTrend, ProgrammeResult

__all__ = ["ROLES", "Estimate", "PreTrend", "ProgrammeResult"]
