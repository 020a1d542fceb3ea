"""The command line: ``python -m lillegeo COMMAND …``. Defaults and ranges come from the parameter
objects of :mod:`lillegeo.params` (the same as the pages and recipes); the commands are in
:mod:`lillegeo.commands`."""

from __future__ import annotations

import argparse
import functools
import os
import sys

from .commands import (_add_optional_table, _add_units_args, cmd_aggregate, cmd_clusters, cmd_demo, cmd_equity,
                       cmd_fetch, cmd_hotspots, cmd_join, cmd_map, cmd_profiling, cmd_recipe, cmd_run)
from .io.fetch import FETCH_TIMEOUT_S
from .maps import PALETTES, SCHEMES
from .params import (DEFAULT_THRESHOLD, DEFAULT_TOLERANCE, ClusterParams, EquityParams, ExploreParams,
                     HotspotParams, SPEC, validate)
from .programme.command import add_evaluate_parser
from .versions import __version__

__all__ = ["build_parser", "check_args", "main"]

_E, _H, _C, _Q = ExploreParams(), HotspotParams(), ClusterParams(), EquityParams()


class _Defaults(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's default in --help, except where there is none to show (required options, empty
    values) or the help already says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default in (None, "", (), []) or action.required or "(default" in text:
            return text
        return super()._get_help_string(action)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m lillegeo", description="IRIS-level analysis for city governance.")
    p.add_argument("--version", action="version", version=f"lillegeo {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    # every option's default shown in --help: the defaults of lillegeo.params, the same as the pages'
    sub.add_parser = functools.partial(sub.add_parser, formatter_class=_Defaults)

    j = sub.add_parser("join", help="join an indicator table onto contours and print the join report")
    _add_units_args(j)
    j.add_argument("--table", required=True, help="indicator table: .csv, .xlsx or .zip")
    j.add_argument("--key", help="code column of the table (detected when omitted)")
    j.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD,
                   help=f"withhold census counts from 1 to THRESHOLD-1 in the output (default {DEFAULT_THRESHOLD}; 0 keeps all)")
    j.add_argument("--out", required=True, help="output .gpkg, .geojson or .csv")
    j.set_defaults(func=cmd_join)

    m = sub.add_parser("map", help="write a self-contained offline choropleth map (HTML)")
    _add_optional_table(m)
    m.add_argument("--column", required=True, help="count or value column to map")
    m.add_argument("--per", help="denominator column: the map shows a rate per 1,000")
    m.add_argument("--exclude-types", default="A,D" if _E.exclude_ad else "",
                   help="IRIS types left out of rates: A,D (the default, as on the page) or '' to keep all")
    m.add_argument("--smoothing", default=_E.smoothing, choices=list(SPEC["explore"]["smoothing"].options))
    m.add_argument("--scheme", default=_E.scheme, choices=list(SCHEMES))
    m.add_argument("--k", type=int, default=_E.k, help="number of classes (2-9)")
    m.add_argument("--breaks", help="class upper bounds for --scheme user: '72.5,100,150' (with --lang fr: '72,5;100;150')")
    m.add_argument("--palette", default=_E.palette, choices=list(PALETTES))
    m.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD, help=f"withhold counts below this (default {DEFAULT_THRESHOLD})")
    m.add_argument("--title")
    m.add_argument("--lang", default="en", choices=["en", "fr"])
    m.add_argument("--demo", action="store_true", help="mark the map as synthetic demo data")
    m.add_argument("--out", required=True, help="output .html")
    m.set_defaults(func=cmd_map)

    h = sub.add_parser("hotspots", help="area hot and cold spots (Gi* or local Moran) of an indicator")
    _add_optional_table(h)
    h.add_argument("--value", required=True, help="count or value column")
    h.add_argument("--per", help="denominator column: the value becomes a rate per 1,000")
    h.add_argument("--exclude-types", default="A,D" if _H.exclude_ad else "",
                   help="IRIS types left out of rates: A,D (the default, as on the page) or '' to keep all")
    h.add_argument("--smoothing", default=_H.smoothing, choices=list(SPEC["hotspots"]["smoothing"].options),
                   help="empirical Bayes smoothing of the rate (with --per), as on the Explore page")
    h.add_argument("--method", default=_H.method, choices=list(SPEC["hotspots"]["method"].options))
    h.add_argument("--weights", default=_H.weights, help="queen, rook, knn:K or distance:METRES")
    h.add_argument("--permutations", type=int, default=_H.permutations, help="19-9999")
    h.add_argument("--alpha", type=float, default=_H.alpha,
                   help="{:g}-{:g}".format(SPEC["hotspots"]["alpha"].lo, SPEC["hotspots"]["alpha"].hi))
    mc = h.add_mutually_exclusive_group()
    mc.add_argument("--fdr", action="store_true", help="false discovery rate correction (esda.fdr)")
    mc.add_argument("--bonferroni", action="store_true", help="Bonferroni correction (alpha / n)")
    h.add_argument("--seed", type=int, default=_H.seed)
    h.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD, help="withhold values computed from counts below this")
    h.add_argument("--out", required=True, help="output .csv, one row per unit")
    h.set_defaults(func=cmd_hotspots)

    c = sub.add_parser("clusters", help="density clusters of points (DBSCAN, HDBSCAN, OPTICS) in metres")
    c.add_argument("--points", required=True,
                   help="points: .csv, or a vector file as for --units (.gpkg, .geojson, .shp, zipped .shp, .parquet)")
    c.add_argument("--x", help="x / longitude column of a CSV")
    c.add_argument("--y", help="y / latitude column of a CSV")
    gc = c.add_mutually_exclusive_group()
    gc.add_argument("--crs", help="CRS of the coordinates, e.g. EPSG:2154")
    gc.add_argument("--planar", action="store_true", help="planar metres: do not reproject")
    c.add_argument("--algorithm", default=_C.algorithm, choices=list(SPEC["clusters"]["algorithm"].options))
    c.add_argument("--eps-m", type=float, default=_C.eps_m, help="search radius in metres (10-1000)")
    c.add_argument("--min-samples", type=int, default=_C.min_samples,
                   help="minimum incidents per cluster (11-5000: smaller clusters would reveal few incidents)")
    c.add_argument("--seed", type=int, default=_C.seed)
    c.add_argument("--clusters-out", help="optional .csv with one row per cluster")
    c.add_argument("--out", required=True, help="output .csv, one row per input point (point_id,label)")
    c.set_defaults(func=cmd_clusters)

    e = sub.add_parser("equity", help="people-weighted exposure of a group to a burden, with a bootstrap interval")
    _add_optional_table(e, points=True)
    e.add_argument("--burden", required=True, help="burden column (e.g. checks)")
    e.add_argument("--per", help="denominator: the burden becomes a rate per 1,000 (A/D units left out)")
    e.add_argument("--group", required=True, help="residents of the group (e.g. P21_POP_IMM)")
    e.add_argument("--reference", default="complement", help="reference residents column, or 'complement'")
    e.add_argument("--population", help="total residents (for the complement)")
    e.add_argument("--bootstrap", type=int, default=_Q.bootstrap, help="0-9999")
    e.add_argument("--band-low", type=float, default=_Q.band[0])
    e.add_argument("--band-high", type=float, default=_Q.band[1])
    e.add_argument("--seed", type=int, default=_Q.seed)
    e.add_argument("--out", required=True, help="output .csv, one row per group")
    e.set_defaults(func=cmd_equity)

    pr = sub.add_parser("profiling", help="benchmark model: enforcement beyond what recorded crime explains")
    _add_optional_table(pr, points=True)
    pr.add_argument("--enforcement", required=True, help="enforcement counts column (e.g. checks)")
    pr.add_argument("--crime", required=True, help="recorded crime counts column (e.g. incidents)")
    pr.add_argument("--population", required=True, help="population column (offset)")
    pr.add_argument("--share", required=True, help="group share (0-1), percentage (0-100) or group residents column")
    pr.add_argument("--share-kind", choices=("auto", "proportion", "percent", "count"), default="auto",
                    help="how --share is given; auto: 0-1 proportion, above 100 a count, else asks")
    pr.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE,
                    help="recording gradient (fraction per 10 points of share) a robust verdict must survive")
    pr.add_argument("--seed", type=int, default=_Q.seed, help="recorded; the model has no randomness")
    pr.add_argument("--residuals-out", help="optional .csv of observed / expected per unit")
    pr.add_argument("--out", required=True, help="output .csv: the model and its robustness variants")
    pr.set_defaults(func=cmd_profiling)

    add_evaluate_parser(sub)

    rn = sub.add_parser("run", help="re-run a recipe headless: tables, maps, static maps, report, lock file")
    rn.add_argument("recipe", help="recipe .toml saved by the app or written by hand")
    rn.add_argument("--out", required=True, help="output folder")
    rn.add_argument("--allow-changed-sources", action="store_true",
                    help="run even if a source's SHA-256 differs from the recipe's")
    rn.set_defaults(func=cmd_run)

    rc = sub.add_parser("recipe", help="write the demo's recipe (a starting point to edit)")
    rc.add_argument("--lang", default="en", choices=["en", "fr"])
    rc.add_argument("--out", required=True)
    rc.set_defaults(func=cmd_recipe)

    f = sub.add_parser("fetch", help="download official IGN contours and INSEE IRIS tables for an area (online)")
    fa = f.add_mutually_exclusive_group()
    fa.add_argument("--commune", help="INSEE commune code, e.g. 59350")
    fa.add_argument("--epci", help="EPCI SIREN, e.g. 200093201 (Métropole Européenne de Lille)")
    f.add_argument("--year", type=int, help="millésime, e.g. 2024")
    f.add_argument("--out", help="output folder")
    f.add_argument("--sources", help="TOML file overriding the URL table (lillegeo.io.fetch.OFFICIAL_SOURCES)")
    f.add_argument("--timeout", type=float, default=FETCH_TIMEOUT_S, help="seconds per download")
    f.add_argument("--list", action="store_true", help="print the URL table and exit")
    f.set_defaults(func=cmd_fetch)

    a = sub.add_parser("aggregate", help="count points per unit on a dask cluster (points beyond one machine's memory)")
    a.add_argument("--units", required=True, help="contours (any format read_units accepts)")
    a.add_argument("--points", required=True, help="CSV or Parquet file(s), globs allowed: 'incidents/*.parquet'")
    a.add_argument("--x", default="x", help="x / longitude column")
    a.add_argument("--y", default="y", help="y / latitude column")
    a.add_argument("--crs", default="EPSG:2154", help="CRS of the coordinates (default Lambert-93 metres)")
    a.add_argument("--scheduler", help="address of a dask scheduler, e.g. tcp://10.0.0.5:8786")
    a.add_argument("--local-workers", type=int, default=2, help="without --scheduler: LocalCluster workers")
    a.add_argument("--blocksize", default="64MB", help="CSV partition size")
    a.add_argument("--name", default="incidents", help="name of the count column")
    a.add_argument("--out", required=True, help="output .csv: unit_id,<name>")
    a.set_defaults(func=cmd_aggregate)

    d = sub.add_parser("demo", help="regenerate the synthetic demo data")
    d.add_argument("--out", default="geodata/demo")
    d.add_argument("--seed", type=int, default=59350)
    d.add_argument("--bias-rr", type=float, default=1.3, help="enforcement bias: rate ratio per 10 points of share")
    d.add_argument("--intervention-rr", type=float, help="planted patrols' rate ratio on treated units (1: no effect)")
    d.add_argument("--buffer-rr", help="rate ratio in each patrol's buffer, comma-separated (e.g. 1.2,0.85)")
    d.set_defaults(func=cmd_demo)
    return p


#: Options checked against :mod:`lillegeo.params` (the same ranges as the pages and recipes).
_CHECKED = {
    "map": [("explore", "k", "k"), ("disclosure", "threshold", "threshold"), ("explore", "smoothing", "smoothing")],
    "hotspots": [("hotspots", "method", "method"), ("hotspots", "smoothing", "smoothing"),
                 ("hotspots", "weights", "weights"),
                 ("hotspots", "permutations", "permutations"), ("hotspots", "alpha", "alpha"),
                 ("hotspots", "seed", "seed"), ("disclosure", "threshold", "threshold")],
    "clusters": [("clusters", "algorithm", "algorithm"), ("clusters", "eps_m", "eps_m"),
                 ("clusters", "min_samples", "min_samples"), ("clusters", "seed", "seed")],
    "equity": [("equity", "bootstrap", "bootstrap"), ("equity", "seed", "seed")],
    "profiling": [("equity", "seed", "seed")],
    "evaluate": [("programme", "alpha", "alpha"), ("programme", "n_matched", "n_matched"),
                 ("programme", "event_window", "event_window"), ("programme", "seed", "seed"),
                 ("disclosure", "threshold", "threshold")],
}


def check_args(args) -> None:
    """Refuse options outside the ranges every entry point shares (ValueError naming the option)."""
    for section, name, attr in _CHECKED.get(args.command, []):
        try:
            validate(section, {name: getattr(args, attr)})
        except ValueError as exc:
            raise ValueError(f"--{attr.replace('_', '-')}: {exc}") from None
    if args.command == "equity":
        validate("equity", {"band": [args.band_low, args.band_high]})


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        check_args(args)
        return args.func(args)
    except (ValueError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path that is a folder, a device, unreadable…
        print(f"error: cannot read {exc.filename or ''}: {exc.strerror or exc}".replace(" : ", ": "), file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback; LILLEGEO_DEBUG=1 shows it
        if os.environ.get("LILLEGEO_DEBUG"):
            raise
        print(f"error: the analysis failed ({type(exc).__name__}) with these data or settings; "
              "try other settings, or set LILLEGEO_DEBUG=1 for the details", file=sys.stderr)
        return 1


