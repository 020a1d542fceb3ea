"""Council slides: each slide's analysis (a slide added from a page keeps that page's parameters), its
title and caption, the headline findings, and the slide deck's HTML (1920 x 1080, large type, offline).

The maps themselves are built by :func:`lillegeo.outputs.build_maps`; this module never imports it,
so that :mod:`lillegeo.outputs` can use everything here.

Examples
--------
>>> from lillegeo import load_demo
>>> from lillegeo.recipe import Recipe
>>> from lillegeo.pipeline import run_analysis
>>> r = Recipe.for_demo().with_params("hotspots", permutations=99).with_params("equity", bootstrap=0)
>>> a = run_analysis(load_demo(), r)
>>> [s.layer for s in slides_of(a)]
['explore', 'hotspots', 'clusters', 'equity', 'findings']
>>> slides_of(a)[0].title == a.explore.indicator.label  # the indicator actually mapped
True
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from .dataset import Dataset
from .fmt import fmt_int
from .hotspots import UNTESTED  # withheld, left-out (A/D), no-data and island units are not tested
from .i18n import t
from .layers import equity_layer
from .maps import categorical_map, esc, to_offline_html
from .params import SLIDE_SECTION, SlideParams
from .pipeline import Analysis, equity_columns, run_area_hotspots, run_clusters, run_equity, run_explore, run_programme
from .programme.findings import programme_findings
from .programme.layers import change_map
from .wording import fmt_g

__all__ = ["slides_of", "slide_analysis", "headline_findings", "findings_html", "hull_legend_html", "deck_html",
           "SLIDE_CSS", "slide_doc", "equity_slide_map", "programme_slide"]

_HOT = ("Hot spot", "High-High")
_COLD = ("Cold spot", "Low-Low")


def _auto_title(layer: str, a: Analysis) -> str:
    r = a.recipe
    if layer == "equity" and r.equity.layer != "bivariate":
        return t(f"eq.layer.{r.equity.layer}", r.language)
    if layer == "explore":
        return a.explore.indicator.label
    if layer == "hotspots" and r.hotspots.method == "local_moran":
        return t("slide.hotspots_lm.title", r.language)
    return t(f"slide.{layer}.title", r.language)


def _auto_caption(layer: str, a: Analysis) -> str:
    r = a.recipe
    if layer == "equity" and r.equity.layer != "bivariate":
        return t("report.methods_equity", r.language)
    if layer == "hotspots" and r.hotspots.method == "local_moran":
        return t("slide.hotspots_lm.caption", r.language, alpha=fmt_g(r.hotspots.alpha, r.language))
    return t(f"slide.{layer}.caption", r.language)


def filled(slide: SlideParams, a: Analysis) -> SlideParams:
    """``slide`` with an empty title or caption replaced by the automatic one of its analysis ``a``."""
    return slide.replace(title=slide.title or _auto_title(slide.layer, a),
                         caption=slide.caption or _auto_caption(slide.layer, a))


def slides_of(a: Analysis) -> tuple[SlideParams, ...]:
    """The recipe's slides (the built-in sequence when it has none) with automatic titles and captions
    filled in from the recipe's analysis: the Explore slide is titled after the indicator actually
    mapped (a fixed "Incidents per 1,000 residents" over another indicator misleads)."""
    return tuple(filled(s, a) for s in a.recipe.slide_deck())


def slide_analysis(ds: Dataset, a: Analysis, slide: SlideParams) -> Analysis:
    """The analysis a slide shows: ``a`` itself, or, when the slide keeps parameters other than the
    recipe's (it was added from a page with other settings), ``a`` with that one layer computed again
    from them and the other layers left out. Raises ``ValueError`` when they cannot be honoured."""
    sec = SLIDE_SECTION.get(slide.layer)
    r = a.recipe
    if sec is None or slide.layer == "programme" or slide.params is None or slide.params == getattr(r, sec):
        return a  # a programme slide runs its own evaluation (programme_slide)
    p = slide.params
    r2 = r.replace(**{sec: p})
    thr, lang = r.disclosure.threshold, r.language
    none = dict(recipe=r2, hotspots=None, clusters=None, equity=None, notes=())
    if slide.layer == "explore":
        return dataclasses.replace(a, explore=run_explore(ds, p, threshold=thr, lang=lang), **none)
    if slide.layer == "hotspots":
        return dataclasses.replace(a, **{**none, "hotspots": run_area_hotspots(ds, p, threshold=thr)})
    if slide.layer == "clusters":
        if p.layer not in ds.points:
            raise ValueError(t("run.no_clusters", lang, layer=p.layer, layers=", ".join(ds.points) or "–"))
        c = run_clusters(ds, p.replace(heat=False) if p.heat else p, threshold=thr)
        return dataclasses.replace(a, **{**none, "clusters": c})
    missing = equity_columns(ds, p)
    if missing:
        raise ValueError(t("run.no_equity", lang, cols=", ".join(missing)))
    q = run_equity(ds, p, hotspots=r.hotspots, clusters=r.clusters, threshold=thr, lang=lang)
    return dataclasses.replace(a, **{**none, "equity": q})


def equity_slide_map(ds: Dataset, a: Analysis):
    """The Equity map of the layer the analysis' parameters choose (``bivariate``, ``residual``,
    ``residual_gi``, ``share``), as the Equity page draws it; ``None`` without an equity result."""
    if a.equity is None:
        return None
    r = a.recipe
    layer = equity_layer(a.equity, r.equity.layer, r.language, group=r.equity.group)
    return categorical_map(ds.units, layer.labels, layer.colors, legend_title=layer.title, legend=layer.legend,
                           legend_note=layer.note, overlay=ds.overlay, demo=ds.demo, lang=r.language,
                           assets="inline", title=t(f"eq.layer.{r.equity.layer}", r.language))


def programme_slide(ds: Dataset, a: Analysis, slide: SlideParams) -> tuple[SlideParams, Any]:
    """A programme slide: the change map of the evaluation its parameters describe (the recipe's
    ``[programme]`` when it keeps none), titled, its caption the headline finding (estimate, interval, n).
    Raises ``ValueError`` when the evaluation cannot run (no treated unit, no start, unknown layer)."""
    r = a.recipe
    p = slide.params if slide.params is not None else r.programme
    res = run_programme(ds, p, threshold=r.disclosure.threshold, hotspots=r.hotspots)
    found = programme_findings(res, r.language)
    title = slide.title or t("slide.programme.title", r.language)
    caption = slide.caption or (found[0] if found else t("slide.programme.caption", r.language))
    m = change_map(res, ds.units, r.language, demo=ds.demo, assets="inline", title=title)
    return slide.replace(title=title, caption=caption), m


def headline_findings(a: Analysis) -> list[dict[str, Any]]:
    """The headline findings of an analysis, each with its interval and n as the analyses state them:
    hot spots (significant units of those tested, at the recipe's alpha), clusters, the equity findings
    (exposure, benchmark model with its verdict, representation), the programme evaluation's estimate,
    and the caveats last.

    Each is a dict ``kind``, ``flag``, ``text`` (the equity findings' own dicts)."""
    r = a.recipe
    lang = r.language
    out: list[dict[str, Any]] = []
    if a.hotspots is not None:
        hs = a.hotspots.hotspots
        labels = hs.frame["label"].astype(str)
        tested = int((~labels.isin(UNTESTED)).sum())
        hot = int(labels.str.startswith(_HOT).sum())
        cold = int(labels.str.startswith(_COLD).sum())
        method = t(f"hot.method.{hs.method}", lang)
        correction = t(f"hot.correction.{r.hotspots.correction}", lang)
        out.append({"kind": "hotspots", "flag": False, "text": t(
            "findings.hotspots", lang, sig=fmt_int(a.hotspots.n_significant, lang), n=fmt_int(tested, lang),
            alpha=fmt_g(r.hotspots.alpha, lang), hot=fmt_int(hot, lang),
            cold=fmt_int(cold, lang), method=method, perm=fmt_int(hs.permutations, lang),
            correction=correction)})
    if a.clusters is not None:
        pc = a.clusters.clusters
        out.append({"kind": "clusters", "flag": False, "text": t(
            "findings.clusters", lang, k=fmt_int(pc.n_clusters, lang), noise=fmt_int(pc.n_noise, lang),
            n=fmt_int(pc.n_points, lang))})
    if a.equity is not None:
        out.extend(a.equity.findings)
    if a.programme is not None:  # the evaluation's estimate (and its failed pre-trend check), before the caveats
        found = programme_findings(a.programme, lang)
        head = [{"kind": "programme", "flag": False, "text": x}
                for x in found[:1 if a.programme.pretrend.ok or not a.programme.pretrend.message else 2]]
        at = next((i for i, f in enumerate(out) if f["kind"] == "caveat"), len(out))
        out[at:at] = head
    if not out:
        out.append({"kind": "caveat", "flag": False, "text": t("findings.none", lang)})
    return out


def findings_html(a: Analysis) -> str:
    """The findings slide as a page of its own (large type for a room; every text escaped); the
    deck's caption bar carries the demo mark."""
    lang = a.recipe.language
    items = []
    for f in headline_findings(a):
        if f["kind"] == "representation":  # in the report; the slide keeps the headline numbers
            continue
        cls = "caveat" if f["kind"] == "caveat" else ("flag" if f["flag"] else "finding")
        items.append(f"<li class='{cls}'>{esc(f['text'])}</li>")
    return (f"<!DOCTYPE html><html lang='{esc(lang)}'><head><meta charset='utf-8'><style>"
            "body{margin:0;padding:clamp(12px,1.7vw,32px) clamp(16px,3.3vw,64px);font:clamp(14px,1.25vw,24px)/1.35 system-ui,-apple-system,'Segoe UI',sans-serif;"
            "color:#111;background:#fafaf8;overflow:auto} ul{list-style:none;padding:0;margin:0}"
            "li{margin:0 0 clamp(8px,1.05vw,20px);padding:clamp(6px,.65vw,12px) clamp(10px,1.15vw,22px);border-left:clamp(5px,.52vw,10px) solid #2c7fb8;background:#eef6fb}"
            "li.flag{border-color:#b58100;background:#fff3cd;font-weight:600}"
            "li.caveat{font-size:clamp(12px,1vw,19px);border-color:#999;background:transparent;color:#333;margin-bottom:8px;padding:4px 22px}"
            f"</style></head><body data-lillegeo='findings'><ul>{''.join(items)}</ul></body></html>")


def hull_legend_html(title: str, k: int, note: str, lang: str) -> str:
    """The legend of the clusters map: a swatch drawn as the outlines are (orange edge, light fill)."""
    return (f"<h4>{esc(title)}</h4><div class='row'><span class='sw' style='background:#e661011f;"
            f"border:2px solid #e66101'></span><span>{esc(t('map.hull_row', lang, k=fmt_int(k, lang)))}</span></div>"
            + (f"<div class='note'>{esc(note)}</div>" if note else ""))


#: Larger type in the slides' maps: legends read from the back of a room at 1920 x 1080 (sizes follow the
#: slide's width, so that the preview on the Present page keeps the proportions of the room's screen).
SLIDE_CSS = (
    "<style>.lillegeo-legend{font:clamp(13px,1.25vw,24px)/1.35 system-ui,sans-serif!important;"
    "max-width:clamp(280px,32vw,620px)!important;padding:clamp(8px,.75vw,14px) clamp(10px,.95vw,18px)!important}"
    ".lillegeo-legend h4{font-size:clamp(14px,1.35vw,26px)!important;margin-bottom:8px!important}"
    ".lillegeo-legend .row{gap:clamp(6px,.63vw,12px)!important;margin:clamp(2px,.26vw,5px) 0!important}"
    ".lillegeo-legend .sw{width:clamp(18px,2.1vw,40px)!important;height:clamp(12px,1.36vw,26px)!important}"
    ".lillegeo-legend .note{font-size:clamp(11px,.95vw,18px)!important}"
    ".lillegeo-legend span[style*='inline-block']{width:clamp(26px,3.35vw,64px)!important;"
    "height:clamp(20px,2.5vw,48px)!important;line-height:clamp(20px,2.5vw,48px)!important;"
    "font-size:clamp(10px,1.05vw,20px)!important}"
    ".lillegeo-legend div[style*='font-size']{font-size:clamp(11px,1.05vw,20px)!important}"
    ".lillegeo-legend div[style*='vertical-rl']{writing-mode:horizontal-tb!important;transform:none!important;"
    "max-width:clamp(90px,10vw,190px)}"
    ".lillegeo-badge{font:600 clamp(12px,1.05vw,20px) system-ui,sans-serif!important;padding:6px 12px!important}"
    ".lillegeo-title{display:none}.leaflet-control-layers{display:none}</style></head>")


_FIT_JS = """<script>window.addEventListener('load', function () {
  var B = %s;
  for (var k in window) {
    if (!/^map_[0-9a-f]+$/.test(k) || !window[k] || !window[k].fitBounds) continue;
    var m = window[k], lg = document.querySelector('.lillegeo-legend');
    m.options.zoomSnap = 0.1;
    m.invalidateSize(false);
    m.fitBounds(B, {paddingTopLeft: [24, 24], paddingBottomRight: [(lg ? lg.offsetWidth : 0) + 32, 24], animate: false});
    var a = m.latLngToContainerPoint(B[0]), b = m.latLngToContainerPoint(B[1]), s = m.getSize();
    /* the units' extent and the map's size in pixels: how much of the slide the units fill */
    document.body.setAttribute('data-fitted', JSON.stringify([Math.abs(b.x - a.x), Math.abs(b.y - a.y), s.x, s.y]));
  }
});</script></body>"""


def slide_doc(m) -> str:
    """A map of :mod:`lillegeo.maps` as a slide: offline HTML, large legends (:data:`SLIDE_CSS`), and the
    units filling the slide (fractional zoom, fitted beside the legend instead of under it)."""
    bounds = next((c.bounds for c in m._children.values() if getattr(c, "_name", "") == "LillegeoFit"), None)  # noqa: SLF001
    doc = to_offline_html(m).replace("</head>", SLIDE_CSS, 1)
    if bounds is None:
        return doc
    head, sep, tail = doc.rpartition("</body>")
    return head + _FIT_JS % json.dumps(bounds) + tail if sep else doc


def deck_html(docs: list[str], slides: list[SlideParams], *, title: str, lang: str, demo: bool) -> str:
    """The slide deck: one document per slide shown full width between a title bar and a caption bar
    (the demo mark sits in the caption bar, never over a title); stepped with the keyboard
    (→ / ← / space / Page Down / Page Up / Home / End, F for full screen); no network needed."""
    payload = json.dumps(docs).replace("<", "\\u003c")
    meta = json.dumps([{"title": esc(s.title), "caption": esc(s.caption), "layer": s.layer} for s in slides])
    meta = meta.replace("<", "\\u003c")
    badge = f"<div id='demo'>{esc(t('demo.badge', lang))}</div>" if demo else ""
    return f"""<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>
html,body{{margin:0;height:100%;overflow:hidden;background:#111;font-family:system-ui,-apple-system,'Segoe UI',sans-serif}}
:root{{--head:clamp(56px,5.42vw,104px);--foot:clamp(40px,3.75vw,72px);--pad:clamp(12px,1.9vw,36px)}}
#head{{position:absolute;top:0;left:0;right:0;height:var(--head);background:#fff;display:flex;align-items:center;
 padding:0 var(--pad);box-sizing:border-box;gap:var(--pad);border-bottom:1px solid #ddd}}
#title{{font-size:clamp(20px,2.4vw,46px);font-weight:700;color:#111;flex:1;min-width:0;overflow:hidden;
 text-overflow:ellipsis;white-space:nowrap}}
#count{{font-size:clamp(14px,1.35vw,26px);color:#555;flex:none}}
#frame{{position:absolute;top:var(--head);left:0;width:100%;height:calc(100% - var(--head) - var(--foot));border:0;
 background:#f4f4f2}}
#foot{{position:absolute;bottom:0;left:0;right:0;height:var(--foot);background:#fff;display:flex;align-items:center;
 padding:0 var(--pad);box-sizing:border-box;gap:var(--pad);font-size:clamp(13px,1.35vw,26px);color:#222;
 border-top:1px solid #ddd}}
#caption{{flex:1;min-width:0;overflow:hidden;display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;
 line-height:1.15;font-size:clamp(12px,1.15vw,22px)}}  /* a finding on two lines rather than cut */
#demo{{flex:none;background:#7a2e00;color:#fff;padding:.25em .6em;border-radius:4px;font-weight:700;
 font-size:clamp(12px,1.15vw,22px)}}
#help{{flex:none;color:#666;font-size:clamp(10px,.85vw,16px);white-space:nowrap}}
</style></head><body>
<div id="head"><div id="title"></div><div id="count"></div></div>
<iframe id="frame" title="map"></iframe>
<div id="foot"><div id="caption"></div>{badge}<div id="help">{esc(t("present.keys", lang))}</div></div>
<script id="slides" type="application/json">{payload}</script>
<script id="meta" type="application/json">{meta}</script>
<script>
(function () {{
  var docs = JSON.parse(document.getElementById('slides').textContent);
  var meta = JSON.parse(document.getElementById('meta').textContent);
  var frame = document.getElementById('frame'), i = 0;
  function decode(s) {{ var t = document.createElement('textarea'); t.innerHTML = s; return t.value; }}
  function show(n) {{
    if (!docs.length) {{ return; }}
    i = Math.max(0, Math.min(docs.length - 1, n));
    frame.srcdoc = docs[i];
    document.getElementById('title').textContent = decode(meta[i].title);
    document.getElementById('caption').textContent = decode(meta[i].caption);
    document.getElementById('count').textContent = (i + 1) + ' / ' + docs.length;
    document.body.setAttribute('data-slide', String(i + 1));
    document.body.setAttribute('data-layer', meta[i].layer);
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
