"""One analysis, end to end, from a dataset and a recipe: numbers, maps (interactive and static),
presentation slides and the report.  Used by ``python -m lillegeo run`` and by the Present page,
so that the command line and the app give the same numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .dataset import Dataset
from .i18n import label_text, t
from .report import fmt_number, indicator_static_map, report_html, report_pdf, static_map, table_bytes

__all__ = ["compute", "build_maps", "presentation_html", "analysis_outputs"]


def _opt(v):
    return v or None


def compute(ds: Dataset, recipe) -> dict[str, Any]:
    """Every number of the analysis described by ``recipe`` on ``ds``."""
    from .equity import run_equity
    from .hotspots import indicator_hotspots, point_clusters
    from .indicators import compute_indicator

    e, h, q = recipe.explore, recipe.hotspots, recipe.equity
    lang = recipe.language
    res: dict[str, Any] = {"notes": []}
    per = _opt(e.get("per"))
    res["indicator"] = compute_indicator(ds.units, e["column"], per=per, smoothing=e["smoothing"] if per else "none",
                                         threshold=int(e["threshold"]),
                                         exclude_types=("A", "D") if (per and e.get("exclude_ad")) else (),
                                         lang=lang)
    hper = _opt(h.get("per"))
    res["hot_indicator"], res["hotspots"], res["hot_table"] = indicator_hotspots(
        ds.units, h["column"], per=hper, exclude_types=("A", "D") if hper else (), threshold=int(e["threshold"]),
        method=h["method"], weights=h["weights"], permutations=int(h["permutations"]), alpha=float(h["alpha"]),
        correction=h["correction"], seed=int(h["seed"]))
    layer = h.get("points")
    if layer and layer in ds.points:
        res["clusters"] = point_clusters(ds.points[layer], algorithm=h["algorithm"], eps_m=float(h["eps_m"]),
                                         min_samples=int(h["min_samples"]), seed=int(h["seed"]),
                                         threshold=int(e["threshold"]))
    needed = [q["enforcement"], q["crime"], q["population"], q["group"]]
    if all(c in ds.units.columns for c in needed):
        res["equity"] = run_equity(ds.units, enforcement=q["enforcement"], crime=q["crime"],
                                   population=q["population"], group=q["group"],
                                   reference=None if q["reference"] in ("", "complement") else q["reference"],
                                   other_crime=_opt(q.get("other_crime")), bootstrap=int(q["bootstrap"]),
                                   seed=int(q["seed"]), band=tuple(q["band"]), lang=lang,
                                   points=ds.points.get(q["crime"]), area_group=q.get("groups", "people"),
                                   overlay=ds.overlay)
    else:
        missing = [c for c in needed if c not in ds.units.columns]
        res["notes"].append(t("run.no_equity", lang, cols=", ".join(missing)))
    return res


def _hot_layer(ds: Dataset, res, lang):
    from .hotspots import HOT_COLORS, LISA_COLORS

    hs = res["hotspots"]
    base = HOT_COLORS if hs.method == "gi_star" else LISA_COLORS
    present = set(hs.frame["label"])
    colors = {label_text(k, lang): v for k, v in base.items() if k in present or k in ("Hot spot 99%", "High-High")}
    labels = hs.frame["label"].map(lambda v: label_text(v, lang))
    return labels, colors


def build_maps(ds: Dataset, recipe, res: dict[str, Any], *, assets: str = "inline") -> dict[str, Any]:
    """The analysis maps as folium objects: explore, hotspots, clusters (hulls, never raw points), equity."""
    from .equity import BIVARIATE
    from .maps import bivariate_legend_html, categorical_map, choropleth_map

    lang, e = recipe.language, recipe.explore
    maps = {"explore": choropleth_map(ds.units, res["indicator"], scheme=e["scheme"], k=int(e["k"]),
                                      palette=e["palette"], overlay=ds.overlay, demo=ds.demo, lang=lang,
                                      assets=assets, title=res["indicator"].label)}
    labels, colors = _hot_layer(ds, res, lang)
    hs = res["hotspots"]
    maps["hotspots"] = categorical_map(ds.units, labels, colors, legend_title=t("hot.legend", lang),
                                       legend_note=f"{res['hot_indicator'].label}; {hs.weights}; "
                                                   f"{hs.permutations} perm.; seed {hs.seed}",
                                       overlay=ds.overlay, demo=ds.demo, lang=lang, assets=assets,
                                       title=t("hot.legend", lang))
    if "clusters" in res:
        pc = res["clusters"]
        maps["clusters"] = categorical_map(ds.units, pd.Series("", index=ds.units.index), {},
                                           legend_title=t("map.hulls", lang), layer_name=t("map.units", lang),
                                           hulls=pc.hulls, overlay=ds.overlay,
                                           demo=ds.demo, lang=lang, assets=assets, title=t("map.hulls", lang),
                                           legend_note=f"{pc.algorithm.upper()}: r = {pc.eps_m:g} m, "
                                                       f"min = {pc.min_samples}. {pc.withheld_note(lang)}".strip())
    if "equity" in res:
        labs, cols = res["equity"]["bivariate"]
        legend = bivariate_legend_html(t("eq.layer.bivariate", lang), BIVARIATE, labs.value_counts().to_dict(),
                                       t("eq.biv.note", lang), t("eq.crime", lang), t("eq.enforcement", lang))
        maps["equity"] = categorical_map(ds.units, labs, cols, legend_title=t("eq.biv.legend", lang),
                                         legend=legend, overlay=ds.overlay, demo=ds.demo, lang=lang, assets=assets,
                                         title=t("eq.layer.bivariate", lang))
    return maps


def _static_maps(ds: Dataset, recipe, res: dict[str, Any], out_dir: Path | None) -> dict[str, bytes]:
    """PNG (and PDF when ``out_dir``) static maps with legend, scale bar, north arrow and caption."""
    from .equity import BIVARIATE

    lang, e = recipe.language, recipe.explore
    src = ", ".join(r.source for r in ds.reports) or ds.name
    caption = t("static.caption", lang, sources=src, date=pd.Timestamp.today().date().isoformat())
    images = {}
    ind = res["indicator"]
    images["explore"] = indicator_static_map(ds.units, ind, scheme=e["scheme"], k=int(e["k"]), palette=e["palette"],
                                             caption=caption, demo=ds.demo, lang=lang, overlay=ds.overlay,
                                             png=out_dir / "explore.png" if out_dir else None,
                                             pdf=out_dir / "explore.pdf" if out_dir else None)
    jobs = []
    labels, hcols = _hot_layer(ds, res, lang)
    jobs.append(("hotspots", labels.map(hcols).fillna(""), list(zip(hcols.values(), hcols.keys())),
                 t("hot.legend", lang), None))
    if "clusters" in res:
        jobs.append(("clusters", pd.Series("", index=ds.units.index), [("#e66101", t("map.hulls", lang))],
                     t("map.hulls", lang), res["clusters"].hulls))
    if "equity" in res:
        labs, cols = res["equity"]["bivariate"]
        corners = [(BIVARIATE[0][0], t("static.biv.low", lang)), (BIVARIATE[2][0], t("static.biv.checks", lang)),
                   (BIVARIATE[0][2], t("static.biv.crime", lang)), (BIVARIATE[2][2], t("static.biv.both", lang)),
                   ("", t("static.withheld", lang, threshold=res["indicator"].threshold))]
        jobs.append(("equity", labs.map(cols).fillna(""), corners, t("eq.layer.bivariate", lang), None))
    for name, col, leg, title, hulls in jobs:
        png = out_dir / f"{name}.png" if out_dir else None
        pdf = out_dir / f"{name}.pdf" if out_dir else None
        images[name] = static_map(ds.units, col, leg, title=title, caption=caption, demo=ds.demo, lang=lang,
                                  overlay=ds.overlay, hulls=hulls, png=png, pdf=pdf)
    return images


def presentation_html(ds: Dataset, recipe, res: dict[str, Any], maps: dict[str, Any] | None = None) -> str:
    """Council slides in one self-contained HTML file: a full-screen map per slide, large type,
    stepped with the keyboard (→ / ← / space / Page Down / Page Up / Home / End), no network needed."""
    from .maps import esc, to_offline_html
    from .recipe import default_slides

    lang = recipe.language
    maps = maps if maps is not None else build_maps(ds, recipe, res, assets="inline")
    slides = [s for s in (recipe.slides or default_slides(lang)) if s.get("layer") in maps]
    big = ("<style>.lillegeo-legend{font:17px/1.4 system-ui,sans-serif;max-width:380px}"
           ".lillegeo-legend h4{font-size:18px}.lillegeo-title{display:none}.leaflet-control-layers{display:none}"
           "</style></head>")
    docs = [to_offline_html(maps[s["layer"]]).replace("</head>", big, 1) for s in slides]
    payload = json.dumps(docs).replace("<", "\\u003c")
    meta = json.dumps([{"title": esc(s.get("title", "")), "caption": esc(s.get("caption", ""))} for s in slides])
    meta = meta.replace("<", "\\u003c")
    demo = f"<div id='demo'>{esc(t('demo.badge', lang))}</div>" if ds.demo else ""
    return f"""<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">
<title>{esc(recipe.title)}</title>
<style>
html,body{{margin:0;height:100%;background:#111;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}}
#frame{{position:absolute;top:96px;left:0;right:0;bottom:58px;width:100%;height:calc(100% - 154px);border:0;background:#f4f4f2}}
#head{{position:absolute;top:0;left:0;right:0;height:96px;background:#fff;display:flex;align-items:center;padding:0 28px}}
#title{{font-size:34px;font-weight:700;color:#111;flex:1}} #count{{font-size:20px;color:#555}}
#foot{{position:absolute;bottom:0;left:0;right:0;height:58px;background:#fff;display:flex;align-items:center;padding:0 28px;font-size:20px;color:#222}}
#demo{{position:absolute;top:28px;right:140px;background:#7a2e00;color:#fff;padding:6px 12px;border-radius:4px;font-weight:700;font-size:18px}}
#help{{margin-left:auto;color:#666;font-size:13px;padding-left:20px;white-space:nowrap}}
</style></head><body>
<div id="head"><div id="title"></div><div id="count"></div></div>{demo}
<iframe id="frame" title="map"></iframe>
<div id="foot"><div id="caption"></div><div id="help">{esc(t("present.keys", lang))}</div></div>
<script id="slides" type="application/json">{payload}</script>
<script id="meta" type="application/json">{meta}</script>
<script>
(function () {{
  var docs = JSON.parse(document.getElementById('slides').textContent);
  var meta = JSON.parse(document.getElementById('meta').textContent);
  var frame = document.getElementById('frame'), i = 0;
  function decode(s) {{ var t = document.createElement('textarea'); t.innerHTML = s; return t.value; }}
  function show(n) {{
    i = Math.max(0, Math.min(docs.length - 1, n));
    frame.srcdoc = docs[i];
    document.getElementById('title').textContent = decode(meta[i].title);
    document.getElementById('caption').textContent = decode(meta[i].caption);
    document.getElementById('count').textContent = (i + 1) + ' / ' + docs.length;
    document.body.setAttribute('data-slide', String(i + 1));
  }}
  function key(e) {{
    var k = e.key;
    if (k === 'ArrowRight' || k === 'PageDown' || k === ' ') {{ show(i + 1); e.preventDefault(); }}
    else if (k === 'ArrowLeft' || k === 'PageUp') {{ show(i - 1); e.preventDefault(); }}
    else if (k === 'Home') {{ show(0); }} else if (k === 'End') {{ show(docs.length - 1); }}
    else if (k === 'f' && document.documentElement.requestFullscreen) {{ document.documentElement.requestFullscreen(); }}
  }}
  document.addEventListener('keydown', key);
  frame.addEventListener('load', function () {{
    try {{ frame.contentWindow.addEventListener('keydown', key); }} catch (err) {{}}
  }});
  show(0);
}})();
</script></body></html>"""


def _report_sections(ds: Dataset, recipe, res: dict[str, Any], images: dict[str, bytes]) -> list[dict[str, Any]]:
    from .recipe import params_frame

    lang = recipe.language
    loaded = pd.DataFrame([{"file": r.source, "kind": r.kind, "rows": r.rows,
                            "notes": " | ".join(r.messages_in(lang))} for r in ds.reports])
    secs = [{"heading": t("report.loaded", lang), "table": loaded}]
    if ds.join_report is not None:
        jr = ds.join_report
        secs.append({"heading": t("data.join_report", lang), "text": [
            t("report.join", lang, matched=jr.matched, n=jr.n_units, without=len(jr.units_without_data),
              unmatched=len(jr.unmatched_rows))] + jr.hints})
    ind = res["indicator"]
    secs.append({"heading": ind.label, "image": images.get("explore"),
                 "text": [t("explore.summary", lang, shown=int(ind.values.notna().sum()), withheld=ind.n_withheld,
                            threshold=ind.threshold, nodata=ind.n_missing)] + ind.notes})
    hs = res["hotspots"]
    secs.append({"heading": t("hot.legend", lang), "image": images.get("hotspots"),
                 "text": [t("report.moran", lang, i=fmt_number(hs.moran_i, lang, 3), p=fmt_number(hs.moran_p, lang, 3),
                            perm=hs.permutations, seed=hs.seed, weights=hs.weights)],
                 "table": res["hot_table"][res["hot_table"]["label"] != "Not significant"].assign(
                     label=lambda d: d["label"].map(lambda v: label_text(v, lang)))})
    if "clusters" in res:
        pc = res["clusters"]
        secs.append({"heading": t("map.hulls", lang), "image": images.get("clusters"),
                     "text": [t("hot.clusters_summary", lang, k=pc.n_clusters, noise=pc.n_noise, n=pc.n_points)]
                     + [x for x in [pc.withheld_note(lang)] if x] + pc.notes,
                     "table": pc.table.drop(columns=["x", "y"])})
    if "equity" in res:
        q = res["equity"]
        secs.append({"heading": t("eq.findings", lang), "findings": q["findings"], "image": images.get("equity")})
        secs.append({"heading": t("eq.model", lang), "text": [q["model"].model], "table": q["robustness"]})
        secs.append({"heading": t("eq.representation", lang), "table": q["representation"]})
    secs.append({"heading": t("report.methods", lang), "text": [t("report.methods_text", lang)]
                 + res["notes"], "table": params_frame(recipe)})
    return secs


def _write_tables(res: dict[str, Any], tables: Path) -> None:
    ind = res["indicator"]
    (tables / "indicator.csv").write_bytes(table_bytes(ind.frame(res["unit_ids"])))
    (tables / "hotspots.csv").write_bytes(table_bytes(res["hot_table"]))
    if "clusters" in res:
        (tables / "clusters.csv").write_bytes(table_bytes(res["clusters"].table.drop(columns=["x", "y"])))
    if "equity" in res:
        q = res["equity"]
        (tables / "equity_exposure.csv").write_bytes(table_bytes(q["exposure"].table))
        (tables / "equity_model.csv").write_bytes(table_bytes(q["model"].params.reset_index(names="term")))
        (tables / "equity_robustness.csv").write_bytes(table_bytes(q["robustness"]))
        (tables / "equity_representation.csv").write_bytes(table_bytes(q["representation"]))
        (tables / "equity_units.csv").write_bytes(table_bytes(q["units_table"]))


def analysis_outputs(ds: Dataset, recipe, out: Path) -> dict[str, Any]:
    """Compute and write tables, maps, static maps, presentation and report into ``out``."""
    from .maps import to_offline_html

    res = compute(ds, recipe)
    res["unit_ids"] = ds.units["unit_id"]
    _write_tables(res, out / "tables")
    maps = build_maps(ds, recipe, res, assets="inline")
    for name, m in maps.items():
        to_offline_html(m, out / "maps" / f"{name}.html")
    images = _static_maps(ds, recipe, res, out / "maps")
    (out / "presentation.html").write_text(presentation_html(ds, recipe, res, maps), encoding="utf-8")
    sections = _report_sections(ds, recipe, res, images)
    (out / "report.html").write_text(report_html(sections, title=recipe.title, lang=recipe.language, demo=ds.demo,
                                                 recipe_text=recipe.to_toml()), encoding="utf-8")
    report_pdf(sections, out / "report.pdf", title=recipe.title, lang=recipe.language, demo=ds.demo)
    summary = {"indicator": res["indicator"].label, "withheld": res["indicator"].n_withheld,
               "hotspots": res["hotspots"].summary()}
    if "equity" in res:
        summary["exposure_ratio"] = res["equity"]["exposure"].ratio
        summary["rate_ratio"] = res["equity"]["model"].rate_ratio
        summary["rate_ratio_ci"] = [res["equity"]["model"].ci_low, res["equity"]["model"].ci_high]
    summary["notes"] = res["notes"]
    return summary
