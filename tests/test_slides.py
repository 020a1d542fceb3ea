"""Slides built and edited from the recipe (add, move, rename, remove; saved and re-run), the findings
slide (intervals and n), and the report as a document (summary, maps, tables, appendix; real tables)."""

from __future__ import annotations

import dataclasses
import html as _h
import json
import re
import subprocess

import pytest

from lillegeo import load_demo
from lillegeo.fmt import fmt_int
from lillegeo.outputs import deck_of
from lillegeo.params import SlideParams, check_slides
from lillegeo.pipeline import run_analysis
from lillegeo.recipe import Recipe
from lillegeo.slides import findings_html, headline_findings, slides_of


def _fast(r: Recipe) -> Recipe:
    return r.with_params("hotspots", permutations=99).with_params("equity", bootstrap=199)


def test_slides_added_moved_renamed_removed_survive_save_and_load():
    r = Recipe.for_demo()
    assert [s.layer for s in r.slide_deck()] == ["explore", "hotspots", "clusters", "equity", "findings"]
    unemployment = r.explore.replace(column="P21_CHOM1564", per="P21_ACT1564")
    r = r.add_slide(SlideParams(layer="explore", title="Unemployment", params=unemployment))
    r = r.add_slide(SlideParams(layer="hotspots", params=r.hotspots.replace(alpha=0.01)))
    assert len(r.slides) == 7 and r.slides[5].params.column == "P21_CHOM1564"
    r = r.move_slide(5, -5)  # to the top
    r = r.move_slide(0, -1)  # already first: stays
    r = r.rename_slide(6, "Hot spots at 1%")
    r = r.remove_slide(3)  # the clusters slide (explore, hotspots, clusters moved down by one)
    assert [(s.layer, s.title) for s in r.slides] == [
        ("explore", "Unemployment"), ("explore", ""), ("hotspots", ""), ("equity", ""), ("findings", ""),
        ("hotspots", "Hot spots at 1%")]
    back = Recipe.from_toml(r.to_toml())
    assert back.slides == r.slides
    assert back.slides[0].params == unemployment and back.slides[5].params.alpha == 0.01
    with pytest.raises(ValueError, match="slide number 9 does not exist"):
        r.remove_slide(9)
    with pytest.raises(ValueError, match=r"slide 1: \[explore\] k = 99 is above"):
        check_slides([{"layer": "explore", "params": {"k": 99}}])
    with pytest.raises(ValueError, match="not allowed on a 'findings' slide"):
        SlideParams(layer="findings", params={"k": 3})


@pytest.fixture(scope="module")
def custom_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    r = _fast(Recipe.for_demo())
    r = r.replace(slides=(SlideParams(layer="findings", title="Findings first"),
                          SlideParams(layer="explore", params=r.explore.replace(column="P21_POP_IMM")),
                          SlideParams(layer="hotspots", title="Hot spots <b>&", caption="immigrant residents",
                                      params=r.hotspots.replace(column="P21_POP_IMM", per="")),
                          SlideParams(layer="equity", params=r.equity.replace(layer="residual"))))
    recipe = out / "recipe.toml"
    recipe.write_text(r.to_toml(), encoding="utf-8")
    from lillegeo.__main__ import main

    assert main(["run", str(recipe), "--out", str(out / "run")]) == 0
    return out / "run", r


def _deck(path):
    text = path.read_text(encoding="utf-8")
    docs = json.loads(re.search(r'<script id="slides" type="application/json">(.*?)</script>', text, re.S).group(1))
    meta = json.loads(re.search(r'<script id="meta" type="application/json">(.*?)</script>', text, re.S).group(1))
    return docs, meta


def test_run_of_a_recipe_with_custom_slides_produces_them(custom_run):
    out, r = custom_run
    docs, meta = _deck(out / "presentation.html")
    assert [m["layer"] for m in meta] == ["findings", "explore", "hotspots", "equity"]
    assert _h.unescape(meta[0]["title"]) == "Findings first"
    assert _h.unescape(meta[2]["title"]) == "Hot spots <b>&" and "<b>" not in meta[2]["title"]  # escaped
    # the explore slide maps the column it was added with, not the recipe's (incidents)
    assert _h.unescape(meta[1]["title"]).startswith("P21_POP_IMM") and "P21_POP_IMM" in docs[1]
    # the hot spot slide tests the column it was added with; the recipe's own map tests incidents
    assert "P21_POP_IMM; queen contiguity; 99 permutations" in docs[2]  # the slide keeps its own parameters
    assert "P21_POP_IMM; queen" not in (out / "maps" / "hotspots.html").read_text(encoding="utf-8")
    assert meta[2]["caption"] == "immigrant residents"
    # the equity slide shows the layer chosen on the page (observed / expected), not the bivariate map
    assert _h.unescape(meta[3]["title"]) == "Checks observed / expected given crime"
    assert "(more than expected)" in docs[3] and "Crime x checks" not in docs[3]


def test_findings_slide_gives_interval_and_n():
    ds = load_demo()
    a = run_analysis(ds, _fast(Recipe.for_demo()))
    m = a.equity.model  # statsmodels' negative binomial GLM (lillegeo.equity.model): the reference numbers
    found = headline_findings(a)
    model = next(f for f in found if f["kind"] == "model")
    assert f"95% interval {m.ci_low:.2f} to {m.ci_high:.2f}" in model["text"]
    assert f"{m.rate_ratio:.2f} times" in model["text"] and f"{m.n_units} units" in model["text"]
    hot = next(f for f in found if f["kind"] == "hotspots")
    labels = a.hotspots.hotspots.frame["label"]
    # counted by hand from the labels: withheld, left-out (A/D), no-data and island units are not tested
    tested = int((~labels.isin(["Withheld", "Left out (A/D)", "No data", "No neighbours (island)"])).sum())
    assert tested < len(labels)
    assert hot["text"].startswith(f"{fmt_int(a.hotspots.n_significant)} of {fmt_int(tested)} units tested")
    assert f"{int(labels.str.startswith('Hot spot').sum())} hot" in hot["text"]
    doc = findings_html(a)
    assert "95% interval" in doc and f"{m.n_units} units" in doc and "people in" in doc
    assert [s.layer for s in slides_of(a)][-1] == "findings"


def test_report_reads_as_a_document(custom_run):
    out, _ = custom_run
    html = (out / "report.html").read_text(encoding="utf-8")
    order = [html.index(f"id='part-{p}'") for p in ("summary", "maps", "tables", "appendix")]
    assert order == sorted(order)
    summary = html[order[0]:order[1]]
    assert "95% interval" in summary and "<img" not in summary and "<table" not in summary
    assert "<img" in html[order[1]:order[2]] and html[order[2]:order[3]].count("<table>") >= 4
    assert html.index("lillegeo run recipe.toml") > order[3]  # the recipe, in the appendix
    text = re.sub(r"<[^>]+>", "\n", html)
    assert not [ln for ln in text.splitlines() if ln.count(" | ") >= 2], "pipe-joined rows"
    pages = []
    for n in range(1, 4):
        pages.append(subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(out / "report.pdf"), "-"],
                                    capture_output=True, text=True, check=True).stdout)
    assert "Summary of findings" in pages[0] and "95% interval" in pages[0] and "Tables" not in pages[0]
    full = subprocess.run(["pdftotext", "-layout", str(out / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert full.index("Summary of findings") < full.index("Tables") < full.index("Appendix")
    assert " | " not in full.split("Tables", 1)[1]  # tables are ruled cells, not pipe-joined text


def test_slides_redrawn_from_an_analysis_made_without_them():
    """The Present page computes the analysis once (without slides) and redraws only the slides when
    one is edited; an analysis of other parameters is refused, not silently shown."""
    from lillegeo.outputs import deck_of

    ds = load_demo()
    r = _fast(Recipe.for_demo()).with_params("equity", bootstrap=0)
    a = run_analysis(ds, r)
    renamed = r.rename_slide(0, "Council view").remove_slide(2)
    html, listed = deck_of(ds, renamed, analysis=a)
    assert [(s.layer, s.title) for s in listed][:2] == [("explore", "Council view"), ("hotspots", "Where incidents concentrate (Gi*)")]
    assert [s.layer for s in listed] == ["explore", "hotspots", "equity", "findings"]
    meta = json.loads(re.search(r'<script id="meta" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert [m["title"] for m in meta] == [s.title for s in listed]
    with pytest.raises(ValueError, match="other parameters"):
        deck_of(ds, renamed.with_params("hotspots", alpha=0.01), analysis=a)


def test_a_slide_with_nothing_to_draw_is_shown_saying_why():
    """The real MEL contours with an undated OSM layer: a clusters slide of the demo's 'incidents' layer has
    nothing to draw. The viewer showed 6 slides while the editor listed 7; now every listed slide is shown,
    this one with a sentence (seen by a tester on the Present page)."""
    demo = load_demo()
    ds = dataclasses.replace(demo, points={})  # no point layer: the clusters slide has nothing to draw
    recipe = Recipe.for_demo().replace(slides=(SlideParams(layer="explore"), SlideParams(layer="clusters")))
    html, listed = deck_of(ds, recipe)
    meta = json.loads(re.search(r'<script id="meta" type="application/json">(.*?)</script>', html, re.S).group(1))
    docs = json.loads(re.search(r'<script id="slides" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert len(meta) == len(listed) == 2 and len(docs) == 2
    assert "Nothing to show on the data loaded for this slide (clusters)" in docs[1]
