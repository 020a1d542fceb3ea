"""The ``evaluate`` command: the Evaluate page's analysis from the command line.

``python -m lillegeo evaluate --units U --points incidents=P --treated CODE,CODE|FILE --start 2023-07-01
[--buffer-m 300] [--control rest|matched] [--period month|quarter] --method before_after|wdd|did|event|synth
--out X``: writes the estimates table to ``X`` (CSV, one row per method that ran) and prints, last, the
chosen method's :meth:`Estimate.to_json <lillegeo.programme.types.Estimate.to_json>`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..commands import _add_units_args, _load_units, _print_report
from ..params import DEFAULT_THRESHOLD, MAX_LIST, SPEC, ProgrammeParams
from ..report import write_table
from .methods import message_text

__all__ = ["add_evaluate_parser", "cmd_evaluate", "treated_codes"]

_P = ProgrammeParams()
#: Largest file of treated codes read (one code a line: 2,000 codes fit many times over).
MAX_CODES_BYTES = 1_000_000


def add_evaluate_parser(sub) -> argparse.ArgumentParser:
    """Add ``evaluate`` to the command line's subparsers (defaults from :class:`ProgrammeParams`)."""
    e = sub.add_parser("evaluate", help="evaluate a programme: did incidents change in the treated units, "
                                        "and where did they go?")
    _add_units_args(e)
    e.add_argument("--points", required=True,
                   help="NAME=FILE point layer with a date column (CSV or any vector format --units reads)")
    e.add_argument("--categories", default="", help="comma-separated categories kept (default: all)")
    e.add_argument("--treated", required=True,
                   help="treated unit codes 'CODE,CODE' (each optionally CODE@YYYY-MM-DD for staggered starts), "
                        "or a text/CSV file with one code a line (first column), or a polygon file "
                        "(.geojson/.gpkg/.zip/.shp/.parquet): the units mostly (> 50%%) inside it")
    e.add_argument("--start", default=_P.start, help="start date YYYY-MM-DD of the codes without their own")
    g = e.add_mutually_exclusive_group()
    g.add_argument("--buffer-m", type=float, default=_P.buffer_m,
                   help="displacement buffer: units within this many metres of the treated area (0: none)")
    g.add_argument("--buffer-rings", type=int, default=_P.buffer_rings,
                   help="displacement buffer: rings of neighbouring units (0: none)")
    e.add_argument("--control", default=_P.control, choices=list(SPEC["programme"]["control"].options),
                   help="rest: every other unit (A/D left out); matched: nearest on pre-period level, trend, population")
    e.add_argument("--n-matched", type=int, default=_P.n_matched, help="control units kept with --control matched")
    e.add_argument("--period", default=_P.period, choices=list(SPEC["programme"]["period"].options))
    e.add_argument("--method", default=_P.method, choices=list(SPEC["programme"]["method"].options))
    e.add_argument("--family", default=_P.family, choices=list(SPEC["programme"]["family"].options),
                   help="count model of the before/after rate ratio")
    e.add_argument("--event-window", type=int, default=_P.event_window, help="event-study periods each side")
    e.add_argument("--alpha", type=float, default=_P.alpha, help="1 - confidence level (0.001-0.2)")
    e.add_argument("--seed", type=int, default=_P.seed)
    e.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD,
                   help="withhold per-unit counts from 1 to THRESHOLD-1 in --panel-out")
    e.add_argument("--panel-out", help="optional .csv of the long panel (unit, period, count, role, start, area); "
                                       "counts under --threshold withheld")
    e.add_argument("--out", required=True,
                   help="output .csv: the ESTIMATES table, one row per method that ran (the chosen one first)")
    e.set_defaults(func=cmd_evaluate)
    return e


def treated_codes(value: str) -> tuple[str, ...]:
    """``CODE,CODE`` or a file of codes (one a line, first CSV column; a header line without digits skipped)."""
    path = Path(value)
    if path.suffix.lower() in (".csv", ".txt") or path.is_file():
        if not path.is_file():
            raise ValueError(f"--treated: file '{value}' not found")
        if path.stat().st_size > MAX_CODES_BYTES:
            raise ValueError(f"--treated: file '{value}' is over {MAX_CODES_BYTES:,} bytes; list the codes only")
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
        items = [ln.split(",")[0].split(";")[0].strip().strip('"') for ln in lines]
        if items and not any(ch.isdigit() for ch in items[0]):
            items = items[1:]  # a header ("code_iris")
    else:
        items = value.split(",")
    codes = tuple(c.strip() for c in items if c.strip())
    if not codes:
        raise ValueError("--treated: no unit code given")
    if len(codes) > MAX_LIST:
        raise ValueError(f"--treated: {len(codes):,} codes, more than {MAX_LIST:,}")
    return codes


def programme_params(args, treated: tuple[str, ...] | None = None) -> ProgrammeParams:
    """The page's parameter object from the command line's options (validated by ProgrammeParams);
    ``treated``: the codes when ``--treated`` is an outline file (read against the units)."""
    name = args.points.partition("=")[0]
    cats = tuple(c.strip() for c in args.categories.split(",") if c.strip())
    treated = treated if treated is not None else treated_codes(args.treated)
    return ProgrammeParams(layer=name, categories=cats, treated=treated, treated_from="units",
                           start=args.start, buffer_m=args.buffer_m, buffer_rings=args.buffer_rings,
                           control=args.control, n_matched=args.n_matched, period=args.period, method=args.method,
                           family=args.family, event_window=args.event_window, alpha=args.alpha, seed=args.seed)


def cmd_evaluate(args) -> int:
    from ..dataset import build_dataset
    from ..indicators import suppress
    from ..io.worker import read_points_bounded as read_points
    from .area import area_text, is_area_file, units_in_file
    from .run import estimates_table, run_programme

    name, _, path = args.points.partition("=")
    if not name or not path:
        raise ValueError(f"--points takes NAME=FILE (e.g. incidents=incidents.csv); got {args.points!r}")
    if not is_area_file(args.treated):
        p = programme_params(args)
    units, urep = _load_units(args)
    _print_report(urep, sys.stderr)  # the stream of now (the default is bound at import)
    if is_area_file(args.treated):  # an outline: the units mostly inside it, as the Evaluate page takes them
        pick = units_in_file(units, args.treated)
        print(f"--treated: {area_text(pick, 'en')}", file=sys.stderr)
        if not pick.codes:
            raise ValueError(f"--treated: {area_text(pick, 'en')}")
        p = programme_params(args, pick.codes)
    pts, prep = read_points(path)
    _print_report(prep, sys.stderr)
    ds = build_dataset(units, name="cli", points={name: pts})
    res = run_programme(ds, p, threshold=args.threshold)
    write_table(estimates_table(res), args.out, "csv")
    if args.panel_out:
        panel = res.panel.copy()
        panel["count"] = panel["count"].where(~suppress(panel["count"], threshold=args.threshold))
        write_table(panel, args.panel_out, "csv")
    e = res.estimate
    counts = res.roles.value_counts()
    design = (f"{counts.get('treated', 0)} treated, {counts.get('buffer', 0)} buffer, {counts.get('control', 0)} "
              f"control units; {e.n_periods} periods")
    if e.ok:
        print(f"{e.method}: estimate {e.estimate:.4g} ({1 - p.alpha:.0%} interval {e.ci_low:.4g} to "
              f"{e.ci_high:.4g}); {design}", file=sys.stderr)
    else:  # never a number from a failed method: the reason in words
        print(f"{e.method}: no estimate: {message_text(e.message, e.message_args, 'en')} ({design})", file=sys.stderr)
    print(json.dumps(e.to_json(), ensure_ascii=False))
    return 0
