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

from typing import Any, Mapping

from ..fmt import fmt_int, fmt_number, fmt_p
from ..i18n import t
from .fixest import did, event_study, pretrend
from .ratios import before_after, rate_ratio
from .synth import synth
from .wdd import wdd, wdd_panel, wdq

__all__ = ["did", "event_study", "pretrend", "wdd", "wdd_panel", "wdq", "before_after", "rate_ratio", "synth", "ASSUMPTIONS", "message_text"]

#: The i18n key of each method's plain-words assumptions (ProgrammeParams.method -> key).
ASSUMPTIONS = {"before_after": "programme.assume.before_after", "wdd": "programme.assume.wdd",
               "did": "programme.assume.did", "event": "programme.assume.event", "synth": "programme.assume.synth"}


def message_text(key: str, args: Mapping[str, Any], lang: str = "en") -> str:
    """The text of an :class:`Estimate`'s or :class:`PreTrend`'s ``message`` with its ``message_args``
    formatted for ``lang`` (``p`` through :func:`~lillegeo.fmt.fmt_p`, ``level`` as a whole percent,
    counts as integers, other numbers with two decimals); ``''`` when there is no message.

    >>> message_text("programme.fail.few_pre", {"n_pre": 4, "min_pre": 6}, "fr")[:16]
    'Seulement 4 péri'
    >>> "p < 0.001" in message_text("programme.pretrend.differ", {"k": 5, "p": 1e-9}, "en")
    True
    """
    if not key:
        return ""
    out = {}
    for name, value in args.items():
        if name == "p":
            out[name] = fmt_p(value, lang)
        elif name == "level":
            out[name] = fmt_number(value, lang, digits=0)
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            out[name] = value
        elif isinstance(value, int):
            out[name] = fmt_int(value, lang)
        else:
            out[name] = fmt_number(value, lang, digits=2)
    return t(key, lang, **out)
