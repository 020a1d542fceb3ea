"""The command line's commands: each reads its files, builds the parameter object of its analysis and
calls the same :mod:`lillegeo.pipeline` or library function as the pages."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .breaks import parse_breaks
from .params import DEFAULT_THRESHOLD, ClusterParams, ExploreParams, HotspotParams
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
    from .dataset import build_dataset
    from .join import join_table
    from .maps import choropleth_map, to_offline_html
    from .pipeline import run_explore
    from .io.worker import read_table_bounded as read_table

    units, urep = _load_units(args)
    _print_report(urep)
    data = units
    if args.table:
        table, trep = read_table(args.table, key=args.key)
        _print_report(trep)
        data, jrep = join_table(units, table)
        print(f"join: {jrep.matched} of {jrep.n_units} units matched", file=sys.stderr)
    breaks = parse_breaks(args.breaks or "", args.lang)  # "72.5,100" (en) or "72,5;100" (--lang fr)
    p = ExploreParams(column=args.column, per=args.per or "", smoothing=args.smoothing, scheme=args.scheme, k=args.k,
                      breaks=breaks, palette=args.palette, exclude_ad=_exclude_ad(args))
    ind = run_explore(build_dataset(data, name="cli"), p, threshold=args.threshold, lang=args.lang).indicator
    m = choropleth_map(data, ind, scheme=p.scheme, k=p.k, breaks=list(p.breaks) or None, palette=p.palette,
                       title=args.title, lang=args.lang, assets="inline", demo=args.demo,
                       record_columns=[c for c in data.columns if c != "geometry"][:80])
    to_offline_html(m, args.out)
    part = ind.partition  # the groups of the caption and the legend: they add up to "units"
    print(json.dumps({"out": args.out, "units": part["total"], "shown": part["shown"], "withheld": part["withheld"],
                      "no_data": part["no_data"], "excluded_ad": part["left_out"], "indicator": ind.label},
                     ensure_ascii=False))
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


def _exclude_ad(args) -> bool:
    """--exclude-types: A,D (as on the pages) or '' to keep every unit in rates."""
    types = {x.strip().upper() for x in (args.exclude_types or "").split(",") if x.strip()}
    if types not in (set(), {"A", "D"}):
        raise ValueError(f"--exclude-types: {args.exclude_types!r} is not allowed (allowed: A,D or '' to keep all)")
    return bool(types)


def hotspot_params(args) -> HotspotParams:
    """The page's parameter object from the command line's options (validated there)."""
    if args.smoothing != "none" and not args.per:
        raise ValueError(f"--smoothing {args.smoothing} needs --per (a denominator): only rates are smoothed")
    return HotspotParams(column=args.value, per=args.per or "", exclude_ad=_exclude_ad(args), method=args.method,
                         smoothing=args.smoothing, weights=args.weights,
                         permutations=args.permutations, alpha=args.alpha,
                         correction="fdr" if args.fdr else ("bonferroni" if args.bonferroni else "none"),
                         seed=args.seed)


def cmd_hotspots(args) -> int:
    from .dataset import build_dataset
    from .pipeline import run_area_hotspots

    data = _units_with_table(args)
    area = run_area_hotspots(build_dataset(data, name="cli"), hotspot_params(args), threshold=args.threshold)
    ind, res, table = area.indicator, area.hotspots, area.table
    write_table(table, args.out, "csv")
    summary = res.summary()
    summary["value"] = ind.label
    summary["smoothing"] = ind.smoothing
    summary["partition"] = area.partition
    summary["islands_list"] = res.islands
    summary["out"] = args.out
    note = area.impossible_note("en")
    if note:
        summary["note"] = note
        print(f"note: {note}", file=sys.stderr)
    print(f"{res.method}: {summary['n']} units; {area.n_significant} significant at alpha {res.alpha:g}; "
          f"global Moran's I = {res.moran_i:.4f} "
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

    from .explain import no_cluster_reason
    from .hotspots import point_clusters
    from .io.worker import read_points_bounded as read_points

    pts, rep = read_points(args.points, x=args.x, y=args.y, crs=args.crs, planar=args.planar)
    _print_report(rep)
    p = ClusterParams(algorithm=args.algorithm, eps_m=args.eps_m, min_samples=args.min_samples, seed=args.seed)
    pc = point_clusters(pts, algorithm=p.algorithm, eps_m=p.eps_m, min_samples=p.min_samples, seed=p.seed)
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
    if not pc.n_clusters and not pc.n_withheld:  # say why, and what to change
        print(no_cluster_reason(pc.algorithm, eps_m=pc.eps_m, min_samples=pc.min_samples, n_points=pc.n_points))
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
    from .equity import exposure_ratio
    from .indicators import compute_indicator

    data = _load_with_points(args)
    if args.burden not in data.columns:
        raise ValueError(f"burden column '{args.burden}' not found; columns are: {', '.join(map(str, data.columns))}")
    # the burden as the pages compute an indicator: rate per 1,000 with --per, A/D units left out, zero
    # denominators without data; the partition (shown, withheld, left out, no data) is printed with it
    ind = compute_indicator(data, args.burden, per=args.per or None, exclude_types=("A", "D") if args.per else ())
    burden = ind.raw.where(~ind.excluded)  # exposure is people-weighted over all units: small rates stay inside
    reference = None if args.reference in (None, "complement") else args.reference
    res = exposure_ratio(data.assign(_burden=burden), "_burden", args.group, reference, population=args.population,
                         bootstrap=args.bootstrap, seed=args.seed, band=(args.band_low, args.band_high))
    res.burden = f"{args.burden} per 1,000 {args.per}" if args.per else args.burden
    write_table(res.table, args.out, "csv")
    print(f"exposure ratio {res.ratio:.3f} (95% bootstrap interval {res.ci_low:.3f} to {res.ci_high:.3f}); "
          f"flag: {res.flag}")
    print(json.dumps({**res.summary(), "partition": ind.partition}, ensure_ascii=False))
    return 0


def cmd_profiling(args) -> int:
    import numpy as np

    from .equity import benchmark_model
    from .equity.fit import share_from

    data = _load_with_points(args)
    if args.share not in data.columns:
        raise ValueError(f"share column '{args.share}' not found; columns are: {', '.join(map(str, data.columns))}")
    share, share_note = share_from(data[args.share], data[args.population], kind=args.share_kind)
    res = benchmark_model(data, enforcement=args.enforcement, crime=args.crime, population=args.population,
                          share=share, tolerance=args.tolerance)
    if share_note:
        res.notes.insert(0, share_note)
    robust = res.robustness
    write_table(robust, args.out, "csv")
    if args.residuals_out:
        import pandas as pd

        from .indicators import suppress

        # expected and observed / expected come from the enforcement, crime and resident counts
        hide = np.zeros(len(data), bool)
        for c in (args.enforcement, args.crime, args.population):
            hide |= suppress(data[c].astype(float), threshold=DEFAULT_THRESHOLD).to_numpy()
        write_table(pd.DataFrame({"unit_id": data["unit_id"], "expected": res.expected.where(~hide),
                                  "observed_over_expected": res.residual_ratio.where(~hide)}),
                    args.residuals_out, "csv")
    print(f"rate ratio per 10 points of {args.share}: {res.rate_ratio:.3f} "
          f"(95% CI {res.ci_low:.3f} to {res.ci_high:.3f}; {res.n_units} units; {res.model}); "
          f"verdict: {res.verdict}; tipping recording gradient {res.tipping_gradient:.1%} per 10 points "
          f"({res.tipping_gradient_bound:.1%} for the interval's bound)")
    s = res.summary()
    s["seed"] = args.seed
    spec = robust[robust["kind"] == "model"]
    s["robustness_specifications"] = int(len(spec))
    s["robustness_excluding_1"] = int(np.sum(spec["excludes_1"].astype(bool)))
    print(json.dumps(s, ensure_ascii=False))
    return 0


def cmd_run(args) -> int:
    from .outputs import run_recipe
    from .recipe import Recipe

    recipe = Recipe.read(args.recipe)
    summary = run_recipe(recipe, args.out, allow_changed=args.allow_changed_sources)
    print(f"wrote {len(summary['files'])} files to {args.out}")
    print(json.dumps(summary, ensure_ascii=False, default=float))
    return 0


def cmd_recipe(args) -> int:
    from .recipe import Recipe, default_slides

    r = Recipe.for_demo(language=args.lang)
    r = r.replace(slides=default_slides(args.lang))
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

    planted = {} if args.intervention_rr is None else {"intervention_rr": args.intervention_rr}
    if args.buffer_rr:
        planted["buffer_rr"] = tuple(float(v) for v in args.buffer_rr.split(","))
    cfg = DemoConfig(seed=args.seed, bias_rr=args.bias_rr, **planted)
    files = write_demo(args.out, cfg)
    print(json.dumps({"out": str(args.out), "files": [f.name for f in files]}))
    return 0


