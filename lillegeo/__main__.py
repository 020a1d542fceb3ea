"""Command line: ``python -m lillegeo {join,map,demo} …`` (same library calls as the pages)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .report import write_table


def _add_units_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--units", required=True, help="contour file: .gpkg, .geojson, .shp, zipped .shp, .parquet")
    p.add_argument("--units-id", help="column of unit codes, when the schema is not an IGN one")
    p.add_argument("--units-name", help="column of unit names (with --units-id)")
    p.add_argument("--units-commune", help="column of commune codes (with --units-id)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--crs", help="CRS of files that declare none, e.g. EPSG:2154 or EPSG:4326")
    g.add_argument("--planar", action="store_true", help="planar coordinates: do not reproject")


def _add_optional_table(p: argparse.ArgumentParser, points: bool = False) -> None:
    """--units … plus an optional table to join (and, for the equity commands, point layers)."""
    _add_units_args(p)
    p.add_argument("--table", help="indicator table to join first")
    p.add_argument("--key", help="code column of the table")
    if points:
        p.add_argument("--points", action="append", help="NAME=FILE point layer counted per unit as column NAME")


def _load_units(args):
    from .io.worker import read_units_bounded as read_units

    mapping = None
    if args.units_id:
        mapping = {"unit_id": args.units_id, "unit_name": args.units_name, "commune_id": args.units_commune}
    return read_units(args.units, mapping=mapping, crs=args.crs, planar=args.planar)


def _print_report(rep, stream=sys.stderr) -> None:
    for msg in rep.messages:
        print(f"[{rep.source}] {msg}", file=stream)


def cmd_join(args) -> int:
    import geopandas as gpd

    from .join import join_table
    from .io.worker import read_table_bounded as read_table

    units, urep = _load_units(args)
    table, trep = read_table(args.table, key=args.key)
    for r in (urep, trep):
        _print_report(r)
    joined, jrep = join_table(units, table)
    withheld = 0
    if args.threshold > 0:
        from .indicators import count_columns, suppress_frame

        safe, withheld = suppress_frame(joined, threshold=args.threshold, columns=count_columns(joined))
        joined = gpd.GeoDataFrame(safe, geometry=joined.geometry.values, crs=joined.crs)
    out = Path(args.out)
    ext = out.suffix.lower()
    if ext == ".csv":
        write_table(joined, out, "csv", float_format=None)
    elif ext in (".gpkg", ".geojson", ".json"):
        joined.to_file(out, driver="GPKG" if ext == ".gpkg" else "GeoJSON", engine="pyogrio")
    else:
        raise ValueError(f"--out must end in .csv, .gpkg or .geojson; got '{out.name}'")
    if jrep.unmatched_rows:
        um = out.with_name(out.stem + "_unmatched.csv")
        write_table(jrep.unmatched_frame(), um, "csv", float_format=None)
        print(f"unmatched table codes written to {um}", file=sys.stderr)
    for h in jrep.hints:
        print(f"hint: {h}", file=sys.stderr)
    summary = jrep.summary()
    summary["communes"] = int(units["commune_id"].nunique())
    summary["withheld_cells"] = withheld
    summary["out"] = str(out)
    print(f"units: {jrep.n_units} in {summary['communes']} communes; matched: {jrep.matched}; "
          f"units without data: {len(jrep.units_without_data)}; table rows with no unit: {len(jrep.unmatched_rows)}")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_map(args) -> int:
    from .indicators import compute_indicator
    from .join import join_table
    from .maps import choropleth_map, to_offline_html
    from .io.worker import read_table_bounded as read_table

    units, urep = _load_units(args)
    _print_report(urep)
    data = units
    if args.table:
        table, trep = read_table(args.table, key=args.key)
        _print_report(trep)
        data, jrep = join_table(units, table)
        print(f"join: {jrep.matched} of {jrep.n_units} units matched", file=sys.stderr)
    breaks = [float(x) for x in args.breaks.split(",")] if args.breaks else None
    ind = compute_indicator(data, args.column, per=args.per, smoothing=args.smoothing, threshold=args.threshold)
    m = choropleth_map(data, ind, scheme=args.scheme, k=args.k, breaks=breaks, palette=args.palette,
                       title=args.title, lang=args.lang, assets="inline", demo=args.demo,
                       record_columns=[c for c in data.columns if c != "geometry"][:80])
    to_offline_html(m, args.out)
    print(json.dumps({"out": args.out, "units": len(data), "withheld": ind.n_withheld,
                      "no_data": ind.n_missing, "indicator": ind.label}, ensure_ascii=False))
    return 0


def _units_with_table(args):
    from .join import join_table
    from .io.worker import read_table_bounded as read_table

    units, urep = _load_units(args)
    _print_report(urep)
    if not args.table:
        return units
    table, trep = read_table(args.table, key=args.key)
    _print_report(trep)
    joined, jrep = join_table(units, table)
    print(f"join: {jrep.matched} of {jrep.n_units} units matched", file=sys.stderr)
    return joined


def cmd_hotspots(args) -> int:
    from .hotspots import indicator_hotspots

    data = _units_with_table(args)
    types = tuple(x.strip().upper() for x in args.exclude_types.split(",") if x.strip()) if args.exclude_types else ()
    ind, res, table = indicator_hotspots(
        data, args.value, per=args.per, exclude_types=types, threshold=args.threshold,
        method=args.method, weights=args.weights, permutations=args.permutations, alpha=args.alpha,
        correction="fdr" if args.fdr else ("bonferroni" if args.bonferroni else "none"), seed=args.seed)
    write_table(table, args.out, "csv")
    summary = res.summary()
    summary["value"] = ind.label
    summary["islands_list"] = res.islands
    summary["out"] = args.out
    print(f"{res.method}: {summary['n']} units; global Moran's I = {res.moran_i:.4f} "
          f"(pseudo p = {res.moran_p:.4f}, {res.permutations} permutations, seed {res.seed})")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def cmd_aggregate(args) -> int:
    """Count points per unit on a dask.distributed cluster (files read one partition at a time)."""
    from distributed import Client, LocalCluster

    from .scale import aggregate_points_distributed
    from .io.worker import read_units_bounded as read_units

    units, _ = read_units(args.units)
    if args.scheduler:
        cluster, client = None, Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.local_workers, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    try:
        counts, rep = aggregate_points_distributed(args.points, units, x=args.x, y=args.y, crs=args.crs,
                                                   client=client, blocksize=args.blocksize, name=args.name)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    write_table(counts.reset_index(), args.out, "csv", float_format=None)
    print(f"points: {rep['points']:,}; inside a unit: {rep['inside']:,}; outside: {rep['outside']:,}; "
          f"without coordinates: {rep['missing']:,}; partitions: {rep['partitions']}; written {args.out}")
    if rep["points"] and rep["inside"] == 0:
        print(f"warning: no point fell inside a unit; check --crs (now {args.crs}) and the --x/--y columns",
              file=sys.stderr)
    return 0


def cmd_clusters(args) -> int:
    import numpy as np
    import pandas as pd

    from .hotspots import point_clusters
    from .io.worker import read_points_bounded as read_points

    pts, rep = read_points(args.points, x=args.x, y=args.y, crs=args.crs, planar=args.planar)
    _print_report(rep)
    pc = point_clusters(pts, algorithm=args.algorithm, eps_m=args.eps_m, min_samples=args.min_samples, seed=args.seed)
    n_in = pts.attrs.get("n_input", len(pts))
    labels = pd.Series(pd.NA, index=range(n_in), dtype="Int64")
    labels.iloc[pts.attrs.get("source_rows", np.arange(len(pts)))] = pc.labels
    ids = pts.attrs.get("input_ids")
    point_id = pd.Series(ids, dtype="string") if ids is not None else pd.Series(range(n_in)).astype("string")
    out = pd.DataFrame({"point_id": point_id, "label": labels})
    write_table(out, args.out, "csv", float_format=None)
    if args.clusters_out:
        write_table(pc.table, args.clusters_out, "csv", float_format=None)
    summary = pc.summary()
    summary["n_input"] = n_in
    summary["rejected"] = n_in - len(pts)
    summary["out"] = args.out
    print(f"{pc.algorithm}: {pc.n_clusters} clusters, {pc.n_noise} noise points of {pc.n_points}")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _load_with_points(args):
    """Units (+ table) for the equity commands; point layers are counted into columns named after the file."""
    from .dataset import build_dataset
    from .io.worker import read_points_bounded as read_points

    data = _units_with_table(args)
    points = {}
    for spec in args.points or []:
        name, _, path = spec.partition("=")
        if not path:
            raise ValueError(f"--points takes NAME=FILE (e.g. checks=checks.csv); got {spec!r}")
        pts, rep = read_points(path)
        _print_report(rep)
        points[name] = pts
    if points:
        ds = build_dataset(data, name="cli", points=points)
        data = ds.units
    return data


def cmd_equity(args) -> int:
    import numpy as np
    import pandas as pd

    from .equity import exposure_ratio

    data = _load_with_points(args)
    burden = data[args.burden].astype(float) if args.burden in data.columns else None
    if burden is None:
        raise ValueError(f"burden column '{args.burden}' not found; columns are: {', '.join(map(str, data.columns))}")
    if args.per:
        den = data[args.per].astype(float)
        ad = data["unit_type"].isin(["A", "D"]) if "unit_type" in data else pd.Series(False, index=data.index)
        burden = pd.Series(np.where((den > 0) & ~ad, burden / den * 1000, np.nan), index=data.index)
    reference = None if args.reference in (None, "complement") else args.reference
    res = exposure_ratio(data.assign(_burden=burden), "_burden", args.group, reference, population=args.population,
                         bootstrap=args.bootstrap, seed=args.seed, band=(args.band_low, args.band_high))
    res.burden = f"{args.burden} per 1,000 {args.per}" if args.per else args.burden
    write_table(res.table, args.out, "csv")
    print(f"exposure ratio {res.ratio:.3f} (95% bootstrap interval {res.ci_low:.3f} to {res.ci_high:.3f}); "
          f"flag: {res.flag}")
    print(json.dumps(res.summary(), ensure_ascii=False))
    return 0


def cmd_profiling(args) -> int:
    import numpy as np

    from .equity import benchmark_model, robustness_table

    data = _load_with_points(args)
    if args.share not in data.columns:
        raise ValueError(f"share column '{args.share}' not found; columns are: {', '.join(map(str, data.columns))}")
    share = data[args.share].astype(float)
    if share.max() > 1:  # a count of group residents: turn into a share of the population
        share = (share / data[args.population].astype(float)).where(data[args.population].astype(float) > 0)
        share = share.clip(upper=1.0)
    res = benchmark_model(data, enforcement=args.enforcement, crime=args.crime, population=args.population,
                          share=share)
    robust = robustness_table(data, enforcement=args.enforcement, crime=args.crime, population=args.population,
                              share=share)
    write_table(robust, args.out, "csv")
    if args.residuals_out:
        import pandas as pd

        from .indicators import suppress

        enf = data[args.enforcement].astype(float)
        hide = suppress(enf)
        write_table(pd.DataFrame({"unit_id": data["unit_id"], "expected": res.expected.where(~hide),
                                  "observed_over_expected": res.residual_ratio.where(~hide)}),
                    args.residuals_out, "csv")
    print(f"rate ratio per 10 points of {args.share}: {res.rate_ratio:.3f} "
          f"(95% CI {res.ci_low:.3f} to {res.ci_high:.3f}; {res.n_units} units; {res.model})")
    s = res.summary()
    s["seed"] = args.seed
    s["robustness_flags"] = int(np.sum(robust["flag"].astype(bool)))
    print(json.dumps(s, ensure_ascii=False))
    return 0


def cmd_run(args) -> int:
    from .recipe import Recipe, run_recipe

    recipe = Recipe.read(args.recipe)
    summary = run_recipe(recipe, args.out, allow_changed=args.allow_changed_sources)
    print(f"wrote {len(summary['files'])} files to {args.out}")
    print(json.dumps(summary, ensure_ascii=False, default=float))
    return 0


def cmd_recipe(args) -> int:
    from .recipe import Recipe

    r = Recipe.for_demo()
    r.language = args.lang
    from .recipe import default_slides

    r.slides = default_slides(args.lang)
    Path(args.out).write_text(r.to_toml(), encoding="utf-8")
    print(json.dumps({"out": args.out}))
    return 0


def cmd_fetch(args) -> int:
    from .io.fetch import fetch_area, load_source_table

    if args.list:
        for key, src in load_source_table(args.sources).items():
            print(f"{key}: {src['url']}  ({src.get('publisher', '')}; {src.get('page', '')})")
        return 0
    if not args.year or not args.out:
        raise ValueError("fetch needs --year and --out (or --list)")
    m = fetch_area(commune=args.commune, epci=args.epci, year=args.year, out=args.out, sources=args.sources,
                   timeout=args.timeout)
    print(f"wrote {', '.join(m['outputs'])} to {args.out} ({len(m['area']['communes'])} commune(s))")
    print(json.dumps(m, ensure_ascii=False))
    return 0


def cmd_demo(args) -> int:
    from .demo import DemoConfig, write_demo

    cfg = DemoConfig(seed=args.seed, bias_rr=args.bias_rr)
    files = write_demo(args.out, cfg)
    print(json.dumps({"out": str(args.out), "files": [f.name for f in files]}))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .maps import PALETTES, SCHEMES
    from .params import DEFAULTS as _D

    p = argparse.ArgumentParser(prog="python -m lillegeo", description="IRIS-level analysis for city governance.")
    p.add_argument("--version", action="version", version=f"lillegeo {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    j = sub.add_parser("join", help="join an indicator table onto contours and print the join report")
    _add_units_args(j)
    j.add_argument("--table", required=True, help="indicator table: .csv, .xlsx or .zip")
    j.add_argument("--key", help="code column of the table (detected when omitted)")
    j.add_argument("--threshold", type=int, default=11,
                   help="withhold census counts from 1 to THRESHOLD-1 in the output (default 11; 0 keeps all)")
    j.add_argument("--out", required=True, help="output .gpkg, .geojson or .csv")
    j.set_defaults(func=cmd_join)

    m = sub.add_parser("map", help="write a self-contained offline choropleth map (HTML)")
    _add_optional_table(m)
    m.add_argument("--column", required=True, help="count or value column to map")
    m.add_argument("--per", help="denominator column: the map shows a rate per 1,000")
    m.add_argument("--smoothing", default="none", choices=["none", "global_eb", "spatial_eb"])
    m.add_argument("--scheme", default="quantiles", choices=list(SCHEMES))
    m.add_argument("--k", type=int, default=_D["explore"]["k"], help="number of classes (2-9)")
    m.add_argument("--breaks", help="class upper bounds for --scheme user, comma-separated")
    m.add_argument("--palette", default="YlGnBu", choices=list(PALETTES))
    m.add_argument("--threshold", type=int, default=11, help="withhold counts below this (default 11)")
    m.add_argument("--title")
    m.add_argument("--lang", default="en", choices=["en", "fr"])
    m.add_argument("--demo", action="store_true", help="mark the map as synthetic demo data")
    m.add_argument("--out", required=True, help="output .html")
    m.set_defaults(func=cmd_map)

    h = sub.add_parser("hotspots", help="area hot and cold spots (Gi* or local Moran) of an indicator")
    _add_optional_table(h)
    h.add_argument("--value", required=True, help="count or value column")
    h.add_argument("--per", help="denominator column: the value becomes a rate per 1,000")
    h.add_argument("--exclude-types", help="IRIS types left out of rates, e.g. A,D")
    h.add_argument("--method", default="gi_star", choices=["gi_star", "local_moran"])
    h.add_argument("--weights", default="queen", help="queen, rook, knn:K or distance:METRES")
    h.add_argument("--permutations", type=int, default=_D["hotspots"]["permutations"], help="19-9999")
    h.add_argument("--alpha", type=float, default=_D["hotspots"]["alpha"], help="0.001-0.2")
    mc = h.add_mutually_exclusive_group()
    mc.add_argument("--fdr", action="store_true", help="false discovery rate correction (esda.fdr)")
    mc.add_argument("--bonferroni", action="store_true", help="Bonferroni correction (alpha / n)")
    h.add_argument("--seed", type=int, default=0)
    h.add_argument("--threshold", type=int, default=11, help="withhold values computed from counts below this")
    h.add_argument("--out", required=True, help="output .csv, one row per unit")
    h.set_defaults(func=cmd_hotspots)

    c = sub.add_parser("clusters", help="density clusters of points (DBSCAN, HDBSCAN, OPTICS) in metres")
    c.add_argument("--points", required=True, help="points: .csv, .geojson or .gpkg")
    c.add_argument("--x", help="x / longitude column of a CSV")
    c.add_argument("--y", help="y / latitude column of a CSV")
    gc = c.add_mutually_exclusive_group()
    gc.add_argument("--crs", help="CRS of the coordinates, e.g. EPSG:2154")
    gc.add_argument("--planar", action="store_true", help="planar metres: do not reproject")
    c.add_argument("--algorithm", default="dbscan", choices=["dbscan", "hdbscan", "optics"])
    c.add_argument("--eps-m", type=float, default=_D["hotspots"]["eps_m"], help="search radius in metres (10-1000)")
    c.add_argument("--min-samples", type=int, default=_D["hotspots"]["min_samples"],
                   help="minimum incidents per cluster (11-5000: smaller clusters would reveal few incidents)")
    c.add_argument("--seed", type=int, default=0)
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
    e.add_argument("--bootstrap", type=int, default=_D["equity"]["bootstrap"], help="0-9999")
    e.add_argument("--band-low", type=float, default=0.8)
    e.add_argument("--band-high", type=float, default=1.25)
    e.add_argument("--seed", type=int, default=0)
    e.add_argument("--out", required=True, help="output .csv, one row per group")
    e.set_defaults(func=cmd_equity)

    pr = sub.add_parser("profiling", help="benchmark model: enforcement beyond what recorded crime explains")
    _add_optional_table(pr, points=True)
    pr.add_argument("--enforcement", required=True, help="enforcement counts column (e.g. checks)")
    pr.add_argument("--crime", required=True, help="recorded crime counts column (e.g. incidents)")
    pr.add_argument("--population", required=True, help="population column (offset)")
    pr.add_argument("--share", required=True, help="group share (0-1) or group residents column")
    pr.add_argument("--seed", type=int, default=0, help="recorded; the model has no randomness")
    pr.add_argument("--residuals-out", help="optional .csv of observed / expected per unit")
    pr.add_argument("--out", required=True, help="output .csv: the model and its robustness variants")
    pr.set_defaults(func=cmd_profiling)

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
    f.add_argument("--sources", help="TOML file overriding the URL table (lillegeo.fetch.OFFICIAL_SOURCES)")
    f.add_argument("--timeout", type=float, default=60.0)
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
    d.set_defaults(func=cmd_demo)
    return p


#: Options checked against :mod:`lillegeo.params` (the same ranges as the pages and recipes).
_CHECKED = {
    "map": [("explore", "k", "k"), ("explore", "threshold", "threshold"), ("explore", "smoothing", "smoothing")],
    "hotspots": [("hotspots", "method", "method"), ("hotspots", "weights", "weights"),
                 ("hotspots", "permutations", "permutations"), ("hotspots", "alpha", "alpha"),
                 ("hotspots", "seed", "seed"), ("explore", "threshold", "threshold")],
    "clusters": [("hotspots", "algorithm", "algorithm"), ("hotspots", "eps_m", "eps_m"),
                 ("hotspots", "min_samples", "min_samples"), ("hotspots", "seed", "seed")],
    "equity": [("equity", "bootstrap", "bootstrap"), ("equity", "seed", "seed")],
    "profiling": [("equity", "seed", "seed")],
}


def check_args(args) -> None:
    """Refuse options outside the ranges every entry point shares (ValueError naming the option)."""
    from .params import validate

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


if __name__ == "__main__":
    sys.exit(main())
