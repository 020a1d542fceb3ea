"""Everything a recipe's analysis writes: maps (interactive and static), council slides, the report and
the tables. ``python -m lillegeo run`` (:func:`run_recipe`) and the Present page call the same
functions on the same :class:`lillegeo.pipeline.Analysis`, so the command line and the app give the
same numbers."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from .dataset import Dataset, load_sources
from .equity import BIVARIATE
from .i18n import label_text, t
from .layers import Layer, equity_layer, hot_layer
from .maps import WITHHELD_STYLE, categorical_map, choropleth_map, esc, to_offline_html
from .params import SlideParams
from .pipeline import Analysis, run_analysis
from .recipe import Recipe, params_frame
from .report import (
    categorical_static_map,
    fmt_number,
    indicator_static_map,
    mark_synthetic,
    report_html,
    report_pdf,
    static_map,
    table_bytes,
)
from .versions import lock_info
from .wording import clusters_note, hotspot_note, weights_text

__all__ = [
    "Presentation",
    "build_maps",
    "presentation",
    "presentation_html",
    "report_sections",
    "run_recipe",
    "slides_of",
    "static_maps",
    "summary",
    "write_tables",
]


def _hot_layer(a: Analysis, lang: str) -> Layer:
    """The hot spot layer as the Hotspots page draws it (withheld units in the withheld class)."""
    return hot_layer(a.hotspots.hotspots, lang, withheld=a.hotspots.indicator.withheld,
                     threshold=a.recipe.disclosure.threshold)


def _equity_layer(a: Analysis, lang: str) -> Layer:
    """The bivariate layer as the Equity page draws it (withheld units in the withheld class)."""
    return equity_layer(a.equity, "bivariate", lang, group=a.recipe.equity.group)


def build_maps(ds: Dataset, a: Analysis, *, assets: str = "inline") -> dict[str, Any]:
    """The analysis maps as folium objects: explore, hotspots, clusters (hulls, never raw points), equity."""
    r = a.recipe
    lang, e = r.language, r.explore
    ex = a.explore
    maps = {"explore": choropleth_map(ex.units, ex.indicator, scheme=e.scheme, k=e.k, breaks=list(e.breaks) or None,
                                      palette=e.palette, overlay=ds.overlay if e.overlay else None, demo=ds.demo,
                                      lang=lang, assets=assets, title=ex.indicator.label)}
    if a.hotspots is not None:
        hl = _hot_layer(a, lang)
        maps["hotspots"] = categorical_map(ds.units, hl.labels, hl.colors, legend_title=t("hot.legend", lang),
                                           legend_note=hotspot_note(r.hotspots, a.hotspots.indicator.label, lang),
                                           overlay=ds.overlay, demo=ds.demo, lang=lang, assets=assets,
                                           title=t("hot.legend", lang))
    if a.clusters is not None:
        pc = a.clusters.clusters
        maps["clusters"] = categorical_map(ds.units, pd.Series("", index=ds.units.index), {},
                                           legend_title=t("map.hulls", lang), layer_name=t("map.units", lang),
                                           hulls=pc.hulls, overlay=ds.overlay,
                                           demo=ds.demo, lang=lang, assets=assets, title=t("map.hulls", lang),
                                           legend_note=f"{clusters_note(r.clusters, lang)}. "
                                                       f"{pc.withheld_note(lang)}".strip())
    if a.equity is not None:
        el = _equity_layer(a, lang)
        maps["equity"] = categorical_map(ds.units, el.labels, el.colors, legend_title=el.title,
                                         legend=el.legend, overlay=ds.overlay, demo=ds.demo, lang=lang, assets=assets,
                                         title=t("eq.layer.bivariate", lang))
    return maps


def _files(out_dir: Path | None, name: str) -> dict[str, Path | None]:
    return {"png": out_dir / f"{name}.png" if out_dir else None, "pdf": out_dir / f"{name}.pdf" if out_dir else None}


def static_maps(ds: Dataset, a: Analysis, out_dir: Path | None = None) -> dict[str, bytes]:
    """PNG (and PDF when ``out_dir``) static maps with legend, scale bar, north arrow and caption."""
    r = a.recipe
    lang, e = r.language, r.explore
    src = ", ".join(rep.source for rep in ds.reports) or ds.name
    caption = t("static.caption", lang, sources=src, date=pd.Timestamp.today().date().isoformat())
    images = {}
    ex = a.explore
    images["explore"] = indicator_static_map(ex.units, ex.indicator, scheme=e.scheme, k=e.k,
                                             breaks=list(e.breaks) or None, palette=e.palette,
                                             caption=caption, demo=ds.demo, lang=lang,
                                             overlay=ds.overlay if e.overlay else None, **_files(out_dir, "explore"))
    if a.hotspots is not None:
        hl = _hot_layer(a, lang)
        images["hotspots"] = categorical_static_map(ds.units, hl.labels, hl.colors, title=t("hot.legend", lang),
                                                    caption=caption, demo=ds.demo, lang=lang, overlay=ds.overlay,
                                                    **_files(out_dir, "hotspots"))
    if a.clusters is not None:
        images["clusters"] = static_map(ds.units, pd.Series("", index=ds.units.index),
                                        [("#e66101", t("map.hulls", lang))], title=t("map.hulls", lang),
                                        caption=caption, demo=ds.demo, lang=lang, overlay=ds.overlay,
                                        hulls=a.clusters.clusters.hulls, **_files(out_dir, "clusters"))
    if a.equity is not None:  # the four corners of the 3 x 3 classes, and the withheld units with their count
        el = _equity_layer(a, lang)
        grey = WITHHELD_STYLE["fillColor"]
        n = int((el.labels.map(el.colors) == grey).sum())
        corners = [(BIVARIATE[0][0], t("static.biv.low", lang)), (BIVARIATE[2][0], t("static.biv.checks", lang)),
                   (BIVARIATE[0][2], t("static.biv.crime", lang)), (BIVARIATE[2][2], t("static.biv.both", lang))]
        corners += [(grey, f"{t('legend.withheld', lang, threshold=r.disclosure.threshold)} ({fmt_number(n, lang)})")]
        images["equity"] = static_map(ds.units, el.labels.map(el.colors).fillna(""), corners,
                                      title=t("eq.layer.bivariate", lang), caption=caption, demo=ds.demo, lang=lang,
                                      overlay=ds.overlay, **_files(out_dir, "equity"))
    return images


def slides_of(a: Analysis) -> tuple[SlideParams, ...]:
    """The recipe's slides; without any, the built-in sequence with the Explore slide titled after the
    indicator actually mapped (a fixed "Incidents per 1,000 residents" over another indicator misleads)."""
    r = a.recipe
    if r.slides:
        return r.slides
    h = r.hotspots
    out = []
    for s in r.slides_or_default():
        if s.layer == "explore":
            s = s.replace(title=a.explore.indicator.label)
        elif s.layer == "hotspots" and h.method == "local_moran":
            s = s.replace(title=t("slide.hotspots_lm.title", r.language),
                          caption=t("slide.hotspots_lm.caption", r.language, alpha=f"{h.alpha:g}"))
        out.append(s)
    return tuple(out)


def presentation_html(ds: Dataset, a: Analysis, maps: dict[str, Any] | None = None) -> str:
    """Council slides in one self-contained HTML file: a full-screen map per slide, large type,
    stepped with the keyboard (→ / ← / space / Page Down / Page Up / Home / End), no network needed."""
    recipe = a.recipe
    lang = recipe.language
    maps = maps if maps is not None else build_maps(ds, a, assets="inline")
    slides = [s for s in slides_of(a) if s.layer in maps]
    big = ("<style>.lillegeo-legend{font:17px/1.4 system-ui,sans-serif;max-width:380px}"
           ".lillegeo-legend h4{font-size:18px}.lillegeo-title{display:none}.leaflet-control-layers{display:none}"
           "</style></head>")
    docs = [to_offline_html(maps[s.layer]).replace("</head>", big, 1) for s in slides]
    payload = json.dumps(docs).replace("<", "\\u003c")
    meta = json.dumps([{"title": esc(s.title), "caption": esc(s.caption)} for s in slides])
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


def report_sections(ds: Dataset, a: Analysis, images: dict[str, bytes]) -> list[dict[str, Any]]:
    """The report's sections (heading, text, image, table, findings) in the recipe's language."""
    recipe = a.recipe
    lang = recipe.language
    loaded = pd.DataFrame([{"file": r.source, "kind": r.kind, "rows": r.rows,
                            "notes": " | ".join(r.messages_in(lang))} for r in ds.reports])
    secs = [{"heading": t("report.loaded", lang), "table": loaded}]
    if ds.join_report is not None:
        jr = ds.join_report
        secs.append({"heading": t("data.join_report", lang), "text": [
            t("report.join", lang, matched=jr.matched, n=jr.n_units, without=len(jr.units_without_data),
              unmatched=len(jr.unmatched_rows))] + jr.hints})
    ind = a.explore.indicator
    secs.append({"heading": ind.label, "image": images.get("explore"),
                 "text": [t("explore.partition", lang, threshold=ind.threshold, **ind.partition)] + ind.notes})
    if a.hotspots is not None:
        hs = a.hotspots.hotspots
        table = a.hotspots.table
        secs.append({"heading": t("hot.legend", lang), "image": images.get("hotspots"),
                     "text": [t("report.moran", lang, i=fmt_number(hs.moran_i, lang, 3),
                                p=fmt_number(hs.moran_p, lang, 3), perm=fmt_number(hs.permutations, lang, 0),
                                seed=hs.seed, weights=weights_text(hs.weights, lang))],
                     "table": table[table["label"] != "Not significant"].assign(
                         label=lambda d: d["label"].map(lambda v: label_text(v, lang)))})
    if a.clusters is not None:
        pc = a.clusters.clusters
        secs.append({"heading": t("map.hulls", lang), "image": images.get("clusters"),
                     "text": [t("hot.clusters_summary", lang, k=pc.n_clusters, noise=pc.n_noise, n=pc.n_points)]
                     + [x for x in [pc.withheld_note(lang)] if x] + pc.notes,
                     "table": pc.table.drop(columns=["x", "y"])})
    if a.equity is not None:
        q = a.equity
        secs.append({"heading": t("eq.findings", lang), "findings": q.findings, "image": images.get("equity")})
        secs.append({"heading": t("eq.model", lang), "text": [q.model.model], "table": q.robustness})
        secs.append({"heading": t("eq.representation", lang), "table": q.representation})
    secs.append({"heading": t("report.methods", lang), "text": [t("report.methods_text", lang)]
                 + list(a.notes), "table": params_frame(recipe)})
    return secs


def write_tables(ds: Dataset, a: Analysis, tables: Path) -> None:
    """The analysis tables as CSV (small counts and what is computed from them withheld, formulas
    neutralised, deterministic bytes, the synthetic-data mark on every row of the demo's)."""
    lang = a.recipe.language

    def write(name: str, df) -> None:
        (tables / f"{name}.csv").write_bytes(table_bytes(mark_synthetic(df, ds.demo, lang)))

    write("indicator", a.explore.indicator.frame(a.explore.units["unit_id"]))
    if a.hotspots is not None:
        write("hotspots", a.hotspots.table)
    if a.clusters is not None:
        write("clusters", a.clusters.clusters.table.drop(columns=["x", "y"]))
    if a.equity is not None:
        q = a.equity
        write("equity_exposure", q.exposure.table)
        write("equity_model", q.model.params.reset_index(names="term"))
        write("equity_robustness", q.robustness)
        write("equity_representation", q.representation)
        write("equity_units", q.units_table)


class Presentation:
    """The slides (HTML), the report (HTML) and the report (PDF bytes) of an analysis."""

    def __init__(self, slides: str, report: str, report_pdf: bytes, slide_list: tuple = ()):
        self.slides, self.report, self.report_pdf = slides, report, report_pdf
        self.slide_list = slide_list


def presentation(ds: Dataset, recipe: Recipe) -> Presentation:
    """Slides and report of ``recipe`` on ``ds``: what the Present page shows and ``run`` writes."""
    a = run_analysis(ds, recipe)
    maps = build_maps(ds, a, assets="inline")
    slides = presentation_html(ds, a, maps)
    sections = report_sections(ds, a, static_maps(ds, a, None))
    report = report_html(sections, title=recipe.title, lang=recipe.language, demo=ds.demo,
                         recipe_text=recipe.to_toml())
    pdf = io.BytesIO()
    report_pdf(sections, pdf, title=recipe.title, lang=recipe.language, demo=ds.demo)
    return Presentation(slides, report, pdf.getvalue(), slides_of(a))


def summary(a: Analysis) -> dict[str, Any]:
    """The key numbers of an analysis (the command line prints them as JSON)."""
    out: dict[str, Any] = {"indicator": a.explore.indicator.label, "withheld": a.explore.indicator.n_withheld}
    if a.hotspots is not None:
        out["hotspots"] = a.hotspots.hotspots.summary()
        out["significant"] = a.hotspots.n_significant
    if a.equity is not None:
        out["exposure_ratio"] = a.equity.exposure.ratio
        out["rate_ratio"] = a.equity.model.rate_ratio
        out["rate_ratio_ci"] = [a.equity.model.ci_low, a.equity.model.ci_high]
        out["rate_ratio_text"] = fmt_number(a.equity.model.rate_ratio, a.recipe.language)
        out["verdict"] = a.equity.model.verdict
        out["tipping_gradient"] = a.equity.model.summary()["tipping_gradient"]
    out["notes"] = list(a.notes)
    return out


def run_recipe(recipe: Recipe, out: str | Path, *, allow_changed: bool = False) -> dict[str, Any]:
    """Re-run an analysis headless and write everything an auditor needs into ``out``.

    Writes ``tables/*.csv`` (deterministic bytes), ``maps/*.html`` (self-contained, offline),
    ``maps/*.png`` and ``maps/*.pdf`` (static maps), ``report.html``, ``report.pdf``,
    ``presentation.html``, ``recipe.toml`` and ``lillegeo.lock.json``.

    Returns
    -------
    dict
        Paths written and the key numbers (the same as the pages show).
    """
    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "maps").mkdir(parents=True, exist_ok=True)
    ds = load_sources(recipe, allow_changed=allow_changed)
    a = run_analysis(ds, recipe)
    write_tables(ds, a, out / "tables")
    maps = build_maps(ds, a, assets="inline")
    for name, m in maps.items():
        to_offline_html(m, out / "maps" / f"{name}.html")
    images = static_maps(ds, a, out / "maps")
    (out / "presentation.html").write_text(presentation_html(ds, a, maps), encoding="utf-8")
    sections = report_sections(ds, a, images)
    (out / "report.html").write_text(report_html(sections, title=recipe.title, lang=recipe.language, demo=ds.demo,
                                                 recipe_text=recipe.to_toml()), encoding="utf-8")
    report_pdf(sections, out / "report.pdf", title=recipe.title, lang=recipe.language, demo=ds.demo)
    (out / "recipe.toml").write_text(recipe.to_toml(), encoding="utf-8")
    lock = lock_info(recipe)
    (out / "lillegeo.lock.json").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    res = summary(a)
    res["files"] = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    return res
