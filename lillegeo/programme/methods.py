"""The estimation methods of programme evaluation, each taking the panel and returning an Estimate.

- :func:`wdd`, :func:`wdd_panel`: Weighted Displacement Difference and Quotient (:mod:`.wdd`);
- :func:`before_after`: rate ratio after/before per role, Poisson or negative binomial (:mod:`.ratios`);
- :func:`did`, :func:`event_study`, :func:`pretrend`: Poisson with unit and period fixed effects,
  errors clustered by unit, through pyfixest (:mod:`.fixest`);
- :func:`synth`: synthetic control with in-space placebos, through pysyncon (:mod:`.synth`).

Every failure returns :meth:`Estimate.failed <lillegeo.programme.types.Estimate.failed>` with the i18n
key ``programme.fail.<reason>``, never a number; ``programme.assume.<method>`` states each method's
assumptions in plain words.
"""

from __future__ import annotations

from .fixest import did, event_study, pretrend
from .ratios import before_after, rate_ratio
from .synth import synth
from .wdd import wdd, wdd_panel, wdq

__all__ = ["did", "event_study", "pretrend", "wdd", "wdd_panel", "wdq", "before_after", "rate_ratio", "synth", "ASSUMPTIONS"]

#: The i18n key of each method's plain-words assumptions (ProgrammeParams.method -> key).
ASSUMPTIONS = {"before_after": "programme.assume.before_after", "wdd": "programme.assume.wdd",
               "did": "programme.assume.did", "event": "programme.assume.event", "synth": "programme.assume.synth"}
