"""The shared types of programme evaluation (the contract between panel, methods, pipeline and page).

The panel
---------
A long :class:`pandas.DataFrame`, one row per unit and period, columns:

``unit`` (str)
    The unit code (``code_iris``).
``period`` (``pandas.Timestamp``)
    First day of the month or quarter.
``count`` (float)
    Events in the unit and period (or the indicator's value per period).
``role`` (str)
    One of :data:`ROLES`: ``treated``, ``buffer`` (the displacement ring), ``control``.
    Units of no role (e.g. a matched design's unmatched units) are not in the panel.
``start`` (``pandas.Timestamp`` or ``NaT``)
    The treatment start of the unit (treated units); for buffer units the start of the treated area
    they surround; ``NaT`` for control units.
``area`` (str)
    The treated area a treated or buffer unit belongs to ('' for control units); staggered
    designs have one area per start date.

Every method of :mod:`lillegeo.programme.methods` takes this panel and returns an :class:`Estimate`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Mapping

import geopandas as gpd
import pandas as pd

from ..params import ProgrammeParams

__all__ = ["ROLES", "PANEL_COLUMNS", "Estimate", "PreTrend", "ProgrammeResult"]

ROLES = ("treated", "buffer", "control")
PANEL_COLUMNS = ("unit", "period", "count", "role", "start", "area")


@dataclass(frozen=True)
class Estimate:
    """One method's answer, with its interval and n, or its failure (never a number from a failed fit).

    ``scale`` says how to read ``estimate``: ``rate_ratio`` (before/after, difference-in-differences,
    event study: exp of the coefficient; synthetic control: treated / synthetic over the post-period)
    or ``count`` (WDD: events, negative = fewer). When ``ok`` is false, ``estimate``, ``ci_low`` and
    ``ci_high`` are NaN and ``message`` is the i18n key of the reason (``message_args`` its values).
    ``message`` may also carry a warning when ``ok`` is true. ``table`` holds the method's own table
    (per-area before/after, event-study coefficients, donor weights, placebo gaps); ``extra`` its other
    values (e.g. ``wdq``, ``wdq_reading``, ``placebo_p``, ``rmspe_ratio``).
    """

    method: str
    estimate: float
    ci_low: float
    ci_high: float
    n_units: int
    n_periods: int
    scale: str = "rate_ratio"
    se: float = math.nan
    p_value: float = math.nan
    ok: bool = True
    message: str = ""
    message_args: Mapping[str, Any] = field(default_factory=dict)
    table: pd.DataFrame | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "message_args", MappingProxyType(dict(self.message_args)))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))
        if not self.ok:
            for name in ("estimate", "ci_low", "ci_high"):
                object.__setattr__(self, name, math.nan)

    def __reduce__(self):
        """Pickled (Streamlit's cache, worker processes) by its fields, the read-only mappings as dicts."""
        vals = {f.name: getattr(self, f.name) for f in fields(self)}
        vals["message_args"], vals["extra"] = dict(self.message_args), dict(self.extra)
        return (_estimate_from, (vals,))

    @classmethod
    def failed(cls, method: str, message: str, *, n_units: int = 0, n_periods: int = 0, scale: str = "rate_ratio",
               **args: Any) -> "Estimate":
        """A method that could not give a trustworthy number: the i18n key of why, never a number."""
        return cls(method, math.nan, math.nan, math.nan, n_units, n_periods, scale=scale, ok=False,
                   message=message, message_args=args)

    def to_json(self) -> dict[str, Any]:
        """The command line's last line: method, estimate, interval, n (NaN as null)."""
        def num(x: float) -> float | None:
            return None if x is None or not math.isfinite(float(x)) else float(x)
        return {"method": self.method, "estimate": num(self.estimate), "ci_low": num(self.ci_low),
                "ci_high": num(self.ci_high), "n_units": int(self.n_units), "n_periods": int(self.n_periods),
                "scale": self.scale, "p_value": num(self.p_value), "ok": bool(self.ok), "message": self.message}


def _estimate_from(vals: dict) -> Estimate:
    return Estimate(**vals)


@dataclass(frozen=True)
class PreTrend:
    """The pre-trend check: do treated and control units move alike before the start?

    ``ok`` is false when pre-periods are fewer than the minimum (``message`` says so) or when the
    test of parallel pre-trends rejects at the chosen alpha; ``p_value`` is that test's (NaN when not
    run).
    """

    n_pre: int
    p_value: float
    ok: bool
    message: str = ""
    message_args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgrammeResult:
    """What the Evaluate page, the command line, the report and the slides show of one evaluation.

    ``roles``: unit code -> role (``treated``/``buffer``/``control``/``excluded``) for every unit;
    ``panel``: the long panel (module docstring); ``series``: one row per period, columns ``treated``,
    ``control``, ``buffer`` (events per unit and period, mean over the role's units) and ``synthetic``
    when synthetic control ran, with ``start`` the earliest start; ``estimate``: the chosen method's;
    ``estimates``: every method that ran, by name; ``event``: the event-study table (``rel_period``,
    ``estimate`` as a rate ratio, ``ci_low``, ``ci_high``, ``n_units``) or ``None``;
    ``change``: per unit, geometry, ``role``, ``before`` and ``after`` (events per period) and
    ``change`` (after / before), withheld (NaN, ``withheld`` True) where a count is under the threshold.
    """

    params: ProgrammeParams
    roles: pd.Series
    panel: pd.DataFrame
    series: pd.DataFrame
    start: pd.Timestamp
    estimate: Estimate
    estimates: Mapping[str, Estimate]
    pretrend: PreTrend
    event: pd.DataFrame | None
    change: gpd.GeoDataFrame
    threshold: int
    synthetic_data: bool = False
