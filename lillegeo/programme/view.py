"""What the Evaluate page needs besides the result: the units offered as treated (name and code), the start
date as a date widget holds it, whether the design is complete enough to run, and the pre-trend sentence.

Examples
--------
>>> date_text(as_date("2023-07-01")), as_date(""), date_text(None)
('2023-07-01', None, '')
>>> is_ready(ProgrammeParams(treated=("599010101",), start="2023-07-01")), is_ready(ProgrammeParams(start="2023-07-01"))
(True, False)
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from typing import Any

import geopandas as gpd
import pandas as pd

from ..i18n import t
from ..io.points import DATE_NAMES
from ..params import ProgrammeParams
from .errors import ProgrammeError
from .findings import programme_findings
from .methods import message_text
from .types import ProgrammeResult

__all__ = ["with_kept", "unit_labels", "clicked_unit", "with_unit", "as_date", "date_text", "is_ready", "findings_shown", "undated_message",
           "starts_frame", "treated_with_starts", "unit_starts", "start_problems", "staggered_note", "treated_label"]


def with_kept(choices, kept) -> list:
    """A widget's choices followed by the recipe's values it lacks (a recipe may name what the data has not).

    >>> with_kept(["a", "b"], ("c", "a"))
    ['a', 'b', 'c']
    """
    out = list(choices)
    return out + [k for k in kept if k not in out]


def unit_labels(units: gpd.GeoDataFrame) -> dict[str, str]:
    """Unit code -> "name (code)", in the units' order, for the list of treated units."""
    codes = units["unit_id"].astype(str)
    names = units["unit_name"].astype(str) if "unit_name" in units.columns else codes
    return {c: f"{n} ({c})" for c, n in zip(codes, names)}


def clicked_unit(out: Any, codes) -> str:
    """The code of the unit last clicked on a map shown by ``show_map(..., returned_objects=
    ["last_active_drawing"])`` (``''`` when none, or not one of ``codes``); the map sends it escaped.

    >>> clicked_unit({"last_active_drawing": {"properties": {"uid": "59350&lt;1"}}}, ["59350<1"])
    '59350<1'
    """
    feature = (out or {}).get("last_active_drawing") or {}
    uid = html.unescape(str((feature.get("properties") or {}).get("uid", "")))
    return uid if uid in set(codes) else ""


def with_unit(treated: tuple, code: str) -> tuple:
    """The treated units with ``code`` added (unchanged when it is there already, with or without its own start).

    >>> with_unit(("A", "B@2023-01-01"), "B"), with_unit(("A",), "C")
    (('A', 'B@2023-01-01'), ('A', 'C'))
    """
    return treated if code in {c.split("@")[0] for c in treated} else tuple(treated) + (code,)


def as_date(text: str) -> _dt.date | None:
    """The recipe's ``YYYY-MM-DD`` (``''``: none) as a date for a date widget."""
    return _dt.date.fromisoformat(text) if text else None


def date_text(value: _dt.date | None) -> str:
    """A date widget's value as the recipe writes it (``''`` when empty)."""
    return value.isoformat() if value else ""


def is_ready(p: ProgrammeParams) -> bool:
    """Whether the design names a treated area and a start: units picked (or chosen from the priority
    neighbourhoods or the hot spots) and a start date (or a start on every picked unit)."""
    if p.treated_from == "units" and not p.treated:
        return False
    return bool(p.start) or (p.treated_from == "units" and all("@" in c for c in p.treated))


def findings_shown(res: ProgrammeResult, lang: str = "en") -> list[tuple[str, str]]:
    """The findings as the page shows them, each ``(kind, text)``: ``warning`` for a failed pre-trend check
    (too few pre-periods, or trends that differ) and for a chosen method that gave no number, ``info``
    for the others (:func:`~lillegeo.programme.findings.programme_findings`)."""
    pre = res.pretrend
    warn = {message_text(pre.message, pre.message_args, lang)} if pre.message and not pre.ok else set()
    out = []
    for i, text in enumerate(programme_findings(res, lang)):
        bad = text in warn or (i == 0 and not res.estimate.ok)
        out.append(("warning" if bad else "info", text))
    return out


def undated_message(ds: Any, lang: str = "en") -> str:
    """Why the Evaluate page cannot run: no point layer at all, or the layers loaded have no dates (named,
    with the date column names the readers recognise)."""
    layers = sorted(getattr(ds, "points", {}) or {})
    if not layers:
        return t("evaluate.need_points", lang)
    return t("evaluate.undated", lang, layers=", ".join(f"« {x} »" if lang == "fr" else f"'{x}'" for x in layers),
             names=", ".join(DATE_NAMES))


def starts_frame(treated, names: dict[str, str]) -> pd.DataFrame:
    """The start table's rows: one per treated unit, its name, code and own start (``''``: the common one).

    >>> starts_frame(("A@2024-01-01", "B"), {"A": "Alpha (A)"}).to_dict("list")
    {'name': ['Alpha (A)', 'B'], 'code': ['A', 'B'], 'start': ['2024-01-01', '']}
    """
    codes = [str(c).split("@")[0] for c in treated]
    days = [str(c).partition("@")[2].strip() for c in treated]
    return pd.DataFrame({"name": [names.get(c, c) for c in codes], "code": codes, "start": days})


def treated_with_starts(codes, starts) -> tuple[str, ...]:
    """The recipe's ``treated`` from codes and their starts (``None``/``''``: the common start); a start that
    is not a date is refused in words.

    >>> treated_with_starts(("A", "B"), ["2024-01-01T00:00:00", None])
    ('A@2024-01-01', 'B')
    """
    out = []
    for code, day in zip(codes, starts):
        if day is None or day == "" or (isinstance(day, float) and math.isnan(day)):
            out.append(str(code))
            continue
        try:
            d = pd.Timestamp(day)
        except (ValueError, TypeError):
            raise ProgrammeError("programme.err.unit_date", code=str(code), text=str(day)) from None
        out.append(f"{code}@{d:%Y-%m-%d}")
    return tuple(out)


def unit_starts(p: ProgrammeParams) -> list[str]:
    """The distinct start dates of the picked units (their own, else the common start), sorted.

    >>> unit_starts(ProgrammeParams(treated=("A@2024-01-01", "B"), start="2023-07-01"))
    ['2023-07-01', '2024-01-01']
    """
    if p.treated_from != "units":
        return [p.start] if p.start else []
    return sorted({str(c).partition("@")[2].strip() or p.start for c in p.treated} - {""})


def start_problems(ds: Any, p: ProgrammeParams, lang: str = "en") -> list[str]:
    """Why a start date cannot be evaluated on this layer, in words: before the first event (no before
    period) or after the last (no after period); ``[]`` when every start lies within the data."""
    pts = getattr(ds, "points", {}).get(p.layer)
    if pts is None or "date" not in pts.columns or pts["date"].notna().sum() == 0:
        return []
    first, last = pd.Timestamp(pts["date"].min()).normalize(), pd.Timestamp(pts["date"].max()).normalize()
    out = []
    staggered = p.treated_from == "units" and len(unit_starts(p)) > 1
    for day in unit_starts(p):
        d = pd.Timestamp(day)
        if d <= first:
            line = t("evaluate.start_before_data", lang, start=day, first=f"{first:%Y-%m-%d}")
        elif d > last:
            line = t("evaluate.start_after_data", lang, start=day, last=f"{last:%Y-%m-%d}")
        else:
            continue
        if staggered:  # which units: the table's rows to correct
            codes = [str(c).partition("@")[0] for c in p.treated
                     if (str(c).partition("@")[2].strip() or p.start) == day]
            line += " " + t("evaluate.start_units", lang, units=", ".join(codes))
        out.append(line)
    return out


def staggered_note(p: ProgrammeParams, lang: str = "en") -> str:
    """What the chosen method does when the picked units start on different dates (``''`` for one start).

    >>> staggered_note(ProgrammeParams(treated=("A@2024-01-01", "B"), start="2023-07-01", method="synth"))[:40]
    'Staggered starts (2 dates): synthetic co'
    """
    starts = unit_starts(p)
    if len(starts) < 2:
        return ""
    return t(f"evaluate.staggered.{p.method}", lang, n=len(starts), first=starts[0])


def treated_label(entry: str, names: dict[str, str], lang: str = "en") -> str:
    """A treated entry as the list shows it: the unit's name and code, and its own start when it has one.

    >>> treated_label("A@2024-01-01", {"A": "Alpha (A)"}, "fr"), treated_label("A", {"A": "Alpha (A)"})
    ('Alpha (A), à partir du 2024-01-01', 'Alpha (A)')
    """
    code, _, day = str(entry).partition("@")
    name = names.get(code, code)
    return t("evaluate.treated_dated", lang, name=name, date=day.strip()) if day.strip() else name
