"""Everything a recipe's analysis writes: maps (interactive and static), council slides, the report and
the tables. ``python -m lillegeo run`` (:func:`run_recipe`) and the Present page call the same
functions on the same :class:`lillegeo.pipeline.Analysis`, so the command line and the app give the
same numbers."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from .dataset import Dataset, load_sources
from .equity import BIVARIATE
from .fmt import fmt_counts, fmt_int, fmt_p
from .i18n import LANGS, label_text, t
from .layers import Layer, equity_layer, hot_layer
from .maps import WITHHELD_STYLE, categorical_map, choropleth_map, esc, to_offline_html
from .params import SlideParams
from .pipeline import Analysis, run_analysis
from .programme.chart import chart_figure
from .programme.findings import programme_findings
from .programme.layers import change_layer, role_outlines
from .programme.run import estimates_table
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
from .slides import (
    deck_html,
    equity_slide_map,
    filled,
    findings_html,
    headline_findings,
    hull_legend_html,
    programme_slide,
    slide_analysis,
    slide_doc,
    slides_of,
)
from .tables import model_table
from .versions import lock_info
from .wording import clusters_note, hotspot_note, weights_text

__all__ = ["build_maps", "static_maps", "presentation_html", "report_sections", "write_tables", "Presentation",
           "presentation", "deck_of", "report_of", "run_recipe", "summary", "slides_of"]


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
        note = f"{clusters_note(r.clusters, lang)}. {pc.withheld_note(lang)}".strip()
        maps["clusters"] = categorical_map(ds.units, pd.Series("", index=ds.units.index), {},
                                           legend_title=t("map.hulls", lang), layer_name=t("map.units", lang),
                                           hulls=pc.hulls, overlay=ds.overlay,
                                           demo=ds.demo, lang=lang, assets=assets, title=t("map.hulls", lang),
                                           legend=hull_legend_html(t("map.hulls", lang), pc.n_clusters, note, lang))
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
    if a.programme is not None:  # the change map (treated area and ring outlined) and the time series
        cl = change_layer(a.programme, ds.units, lang)
        images["programme"] = categorical_static_map(
            ds.units, cl.labels, cl.colors, title=t("evaluate.map", lang), caption=caption, demo=ds.demo, lang=lang,
            overlay=role_outlines(a.programme, ds.units, lang), **_files(out_dir, "programme"))
        images["programme_series"] = chart_figure(a.programme, "series", lang, caption=caption, demo=ds.demo,
                                                  **_files(out_dir, "programme_series"))
    return images


def shown_title(recipe: Recipe) -> str:
    """The recipe's title as slides and report show it: the demo's own title in the recipe's language
    (a user's title as written).

    >>> shown_title(Recipe.for_demo(language="fr"))
    'Métropole de démonstration (synthétique)'
    """
    if recipe.demo and recipe.title in {t("demo.name", lang) for lang in LANGS}:
        return t("demo.name", recipe.language)
    return recipe.title


def _deck(ds: Dataset, a: Analysis, maps: dict[str, Any]) -> list[tuple[SlideParams, str | None]]:
    """Every slide of the recipe with its title filled in and its document (``None``: nothing to show,
    e.g. a clusters slide without a point layer)."""
    out: list[tuple[SlideParams, str | None]] = []
    for s in a.recipe.slide_deck():
        if s.layer == "findings":
            out.append((filled(s, a), findings_html(a)))
            continue
        try:
            if s.layer == "programme":  # its own evaluation: the change map, the headline finding as caption
                ps, pm = programme_slide(ds, a, s)
                out.append((ps, slide_doc(pm)))
                continue
            sa = slide_analysis(ds, a, s)
        except ValueError as exc:  # the other slides are still shown; this one says why
            out.append((filled(s, a), "<!DOCTYPE html><html><body style='font:28px system-ui;padding:40px'>"
                        f"{esc(str(exc))}</body></html>"))
            continue
        if s.layer == "equity" and sa.recipe.equity.layer != "bivariate":  # the layer chosen on the page
            doc = equity_slide_map(ds, sa)
        else:
            doc = (maps if sa is a else build_maps(ds, sa, assets="inline")).get(s.layer)
        out.append((filled(s, sa), None if doc is None else slide_doc(doc)))
    return out


def presentation_html(ds: Dataset, a: Analysis, maps: dict[str, Any] | None = None,
                      deck: list[tuple[SlideParams, str | None]] | None = None) -> str:
    """Council slides in one self-contained HTML file: a full-screen map per slide (a slide added from a
    page with other parameters shows its own map), the findings slide, large type, stepped with the
    keyboard (→ / ← / space / Page Down / Page Up / Home / End), no network needed."""
    if deck is None:
        deck = _deck(ds, a, maps if maps is not None else build_maps(ds, a, assets="inline"))
    lang = a.recipe.language
    # a slide with nothing to draw on these data (e.g. a clusters slide without its point layer) still
    # shows, saying so: the viewer counts the slides the editor lists
    shown = [(s, d if d is not None else "<!DOCTYPE html><html><body style='font:28px system-ui;padding:40px'>"
              f"{esc(t('present.slide_empty', lang, layer=t(f'present.layer.{s.layer}', lang)))}</body></html>")
             for s, d in deck]
    return deck_html([d for _, d in shown], [s for s, _ in shown], title=shown_title(a.recipe), lang=a.recipe.language,
                     demo=ds.demo)


def report_sections(ds: Dataset, a: Analysis, images: dict[str, bytes]) -> list[dict[str, Any]]:
    """The report's sections in the recipe's language, each with its ``part`` (:mod:`lillegeo.document`):
    the summary of findings, the maps, the tables, then the appendix (methods, data, parameters)."""
    recipe = a.recipe
    lang = recipe.language
    ind = a.explore.indicator
    explore_text = t("explore.partition", lang, threshold=ind.threshold, **fmt_counts(ind.partition, lang))
    secs = [{"part": "summary", "heading": t("slide.findings.title", lang), "findings": headline_findings(a),
             "text": [f"{ind.label}: {explore_text}"] + list(a.notes)}]
    secs.append({"part": "maps", "heading": ind.label, "image": images.get("explore"),
                 "text": [explore_text] + ind.notes})
    if a.hotspots is not None:
        hs = a.hotspots.hotspots
        moran = t("report.moran", lang, i=fmt_number(hs.moran_i, lang, 3), p=fmt_p(hs.moran_p, lang),
                  perm=fmt_number(hs.permutations, lang, 0), seed=hs.seed, weights=weights_text(hs.weights, lang))
        secs.append({"part": "maps", "heading": t("hot.legend", lang), "image": images.get("hotspots"), "text": [moran]})
        sig = a.hotspots.significant_table()  # as the page shows it: significant units only, none withheld
        secs.append({"part": "tables", "heading": t("hot.legend", lang), "text": [moran],
                     "table": sig.assign(label=sig["label"].map(lambda v: label_text(v, lang)))})
    if a.clusters is not None:
        pc = a.clusters.clusters
        text = ([t("hot.clusters_summary", lang, k=pc.n_clusters, noise=pc.n_noise, n=pc.n_points)]
                + [x for x in [pc.withheld_note(lang)] if x] + pc.notes)
        secs.append({"part": "maps", "heading": t("map.hulls", lang), "image": images.get("clusters"), "text": text})
        secs.append({"part": "tables", "heading": t("map.hulls", lang), "table": pc.table.drop(columns=["x", "y"])})
    if a.equity is not None:
        q = a.equity
        secs.append({"part": "maps", "heading": t("eq.layer.bivariate", lang), "image": images.get("equity"),
                     "text": [t("slide.equity.caption", lang)]})
        secs.append({"part": "tables", "heading": t("eq.exposure", lang), "table": q.exposure.table})
        secs.append({"part": "tables", "heading": t("eq.model", lang), "table": model_table(q.model),
                     "text": [f"{q.model.model}; {t('eq.model_n', lang, n=fmt_int(q.model.n_units, lang))}"]})
        secs.append({"part": "tables", "heading": t("eq.robustness", lang), "table": q.robustness})
        secs.append({"part": "tables", "heading": t("eq.representation", lang), "table": q.representation})
    if a.programme is not None:
        found = programme_findings(a.programme, lang)
        secs.append({"part": "maps", "heading": t("evaluate.map", lang), "image": images.get("programme"),
                     "text": found})
        secs.append({"part": "maps", "heading": t("evaluate.chart.series", lang),
                     "image": images.get("programme_series"), "text": found[:1]})
        secs.append({"part": "tables", "heading": t("evaluate.estimates", lang), "table": estimates_table(a.programme)})
    secs.append({"part": "appendix", "heading": t("report.methods", lang), "text": [t("report.methods_text", lang)]
                 + list(a.notes)})
    loaded = pd.DataFrame([{"file": r.source, "kind": r.kind, "rows": r.rows,
                            "notes": "; ".join(r.messages_in(lang))} for r in ds.reports])
    secs.append({"part": "appendix", "heading": t("report.loaded", lang), "table": loaded})
    if ds.join_report is not None:
        jr = ds.join_report
        secs.append({"part": "appendix", "heading": t("data.join_report", lang), "text": [
            t("report.join", lang, matched=jr.matched, n=jr.n_units, without=len(jr.units_without_data),
              unmatched=len(jr.unmatched_rows))] + jr.hints})
    secs.append({"part": "appendix", "heading": t("report.params", lang), "table": params_frame(recipe, lang),
                 "max_rows": 1000})  # every parameter: the recipe below repeats them
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
    if a.programme is not None:
        write("programme_estimates", estimates_table(a.programme))
        write("programme_series", a.programme.series.reset_index())


class Presentation:
    """The slides (HTML), the report (HTML) and the report (PDF bytes) of an analysis."""

    def __init__(self, slides: str, report: str, report_pdf: bytes, slide_list: tuple = ()):
        self.slides, self.report, self.report_pdf = slides, report, report_pdf
        self.slide_list = slide_list


def _analysis_of(ds: Dataset, recipe: Recipe, analysis: Analysis | None) -> Analysis:
    """``analysis`` (of ``recipe`` without its slides, computed earlier) with the recipe's slides, or a new run."""
    if analysis is None:
        return run_analysis(ds, recipe)
    if analysis.recipe.replace(slides=()) != recipe.replace(slides=()):
        raise ValueError("the analysis given was made with other parameters than the recipe's")
    return dataclasses.replace(analysis, recipe=recipe)


def deck_of(ds: Dataset, recipe: Recipe, *, analysis: Analysis | None = None) -> tuple[str, tuple[SlideParams, ...]]:
    """The slides of ``recipe`` (HTML) and the list of its slides with their titles filled in.

    ``analysis``: the recipe's analysis without its slides, when already computed (editing a slide
    then redraws the slides only)."""
    a = _analysis_of(ds, recipe, analysis)
    maps = build_maps(ds, a, assets="inline")
    deck = _deck(ds, a, maps)
    return presentation_html(ds, a, maps, deck), tuple(s for s, _ in deck)


def report_of(ds: Dataset, recipe: Recipe, *, analysis: Analysis | None = None) -> tuple[str, bytes]:
    """The report of ``recipe``: HTML and PDF bytes (``analysis`` as in :func:`deck_of`)."""
    a = _analysis_of(ds, recipe, analysis)
    sections = report_sections(ds, a, static_maps(ds, a, None))
    html = report_html(sections, title=shown_title(recipe), lang=recipe.language, demo=ds.demo, recipe_text=recipe.to_toml())
    pdf = io.BytesIO()
    report_pdf(sections, pdf, title=shown_title(recipe), lang=recipe.language, demo=ds.demo, recipe_text=recipe.to_toml())
    return html, pdf.getvalue()


def presentation(ds: Dataset, recipe: Recipe, *, analysis: Analysis | None = None) -> Presentation:
    """Slides and report of ``recipe`` on ``ds``: what the Present page shows and ``run`` writes."""
    a = _analysis_of(ds, recipe, analysis)
    slides, slide_list = deck_of(ds, recipe, analysis=a)
    report, pdf = report_of(ds, recipe, analysis=a)
    return Presentation(slides, report, pdf, slide_list)


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
    if a.programme is not None:
        out["programme"] = a.programme.estimate.to_json()
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
    (out / "report.html").write_text(report_html(sections, title=shown_title(recipe), lang=recipe.language, demo=ds.demo,
                                                 recipe_text=recipe.to_toml()), encoding="utf-8")
    report_pdf(sections, out / "report.pdf", title=shown_title(recipe), lang=recipe.language, demo=ds.demo,
               recipe_text=recipe.to_toml())
    (out / "recipe.toml").write_text(recipe.to_toml(), encoding="utf-8")
    lock = lock_info(recipe)
    (out / "lillegeo.lock.json").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    res = summary(a)
    res["files"] = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    return res
