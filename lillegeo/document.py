"""The report of an analysis as a document, in HTML and in PDF (drawn with matplotlib, as the static maps).

A report is a list of sections (dicts). Each has a ``heading``, a ``part`` and any of ``text`` (list of
str), ``findings`` (list of ``{"kind", "flag", "text"}``), ``image`` (PNG bytes), ``caption`` and
``table`` (DataFrame; ``max_rows`` how many of its rows to show, else 60 in HTML, 40 in PDF). The parts come in this order whatever the order of the list:

1. ``summary``: one page of findings, first;
2. ``maps``;
3. ``tables``, set as tables (``<table>`` in HTML, ruled rows and columns in PDF);
4. ``appendix``: methods, data loaded, parameters, and the recipe itself.

A section without ``part`` goes with the maps. Every text is escaped in HTML and drawn literally
(never as mathtext) in PDF.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .i18n import t
from .maps import esc
from .tables import readable

__all__ = ["report_html", "report_pdf", "PARTS", "ordered_parts"]

#: The parts of a report, in reading order, with the key of their heading.
PARTS = (("summary", "report.summary"), ("maps", "report.maps"), ("tables", "report.tables"),
         ("appendix", "report.appendix"))


def ordered_parts(sections: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(part, sections) in reading order, parts without a section left out."""
    known = {p for p, _ in PARTS}
    out = []
    for part, _ in PARTS:
        secs = [s for s in sections if (s.get("part") if s.get("part") in known else "maps") == part]
        if secs:
            out.append((part, secs))
    return out


def _numeric(df: pd.DataFrame) -> list[bool]:
    """Which columns hold numbers (right-aligned), true/false columns aside."""
    return [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in df.columns]


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1a1a1a;max-width:1000px;margin:2em auto;padding:0 1em}
h1{font-size:26px;margin-bottom:.2em} h2.part{font-size:22px;background:#253494;color:#fff;padding:.3em .5em;margin-top:2em}
h3{font-size:17px;border-bottom:2px solid #253494;padding-bottom:.2em;margin-top:1.4em}
table{border-collapse:collapse;margin:.6em 0;font-size:12.5px} th,td{border:1px solid #bbb;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#eef1f8} td.num{text-align:right;font-variant-numeric:tabular-nums}
.flag{background:#fff3cd;border-left:5px solid #b58100;padding:.5em .8em;margin:.5em 0}
.finding{background:#eef6fb;border-left:5px solid #2c7fb8;padding:.5em .8em;margin:.5em 0}
.caveat{color:#444;font-size:13px} .demo{background:#7a2e00;color:#fff;padding:2px 8px;border-radius:3px;font-weight:600}
img{max-width:100%;border:1px solid #ccc} pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:12px;white-space:pre-wrap}
nav ol{margin:.3em 0 1em}
@media print{body{margin:0;max-width:none} h2,h3{page-break-after:avoid} img,table{page-break-inside:avoid}
 section.part-summary{page-break-after:always} section.part-maps h3{page-break-before:always}}
"""


def _table_html(df: pd.DataFrame, lang: str, max_rows: int = 60) -> str:
    shown = readable(df.head(max_rows), lang)  # the reader's language: headers, p < 0.001, whole people, yes/no
    head = "".join(f"<th scope='col'>{esc(c)}</th>" for c in shown.columns)
    num = _numeric(df)
    rows = ["<tr>" + "".join(f"<td{' class=num' if n else ''}>{esc(v)}</td>" for v, n in zip(r, num)) + "</tr>"
            for r in shown.itertuples(index=False)]
    more = f"<p class='caveat'>{esc(t('report.more_rows', lang, n=len(df) - max_rows))}</p>" if len(df) > max_rows else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _section_html(s: dict[str, Any], lang: str) -> list[str]:
    out = [f"<h3>{esc(s['heading'])}</h3>"]
    for f in s.get("findings", []):
        cls = "caveat" if f["kind"] == "caveat" else ("flag" if f["flag"] else "finding")
        out.append(f"<p class='{cls}'>{esc(f['text'])}</p>")
    for p in s.get("text", []):
        out.append(f"<p>{esc(p)}</p>")
    if s.get("image") is not None:
        out.append(f"<img alt='{esc(s['heading'])}' src='data:image/png;base64,"
                   f"{base64.b64encode(s['image']).decode()}'>")
    if s.get("caption"):
        out.append(f"<p class='caveat'>{esc(s['caption'])}</p>")
    if s.get("table") is not None:
        out.append(_table_html(s["table"], lang, s.get("max_rows") or 60))
    return out


def report_html(sections: list[dict[str, Any]], *, title: str, lang: str = "en", demo: bool = False,
                recipe_text: str | None = None, generated: str | None = None) -> str:
    """The analysis report as one self-contained HTML document (maps embedded as PNG, no script):
    summary of findings, maps, tables, then the appendix (methods, data, parameters, the recipe)."""
    generated = generated or dt.date.today().isoformat()
    parts = ordered_parts(sections)
    if recipe_text and not any(p == "appendix" for p, _ in parts):
        parts.append(("appendix", []))
    heads = dict(PARTS)
    html = [f"<!DOCTYPE html><html lang='{esc(lang)}'><head><meta charset='utf-8'><title>{esc(title)}</title>"
            f"<style>{_CSS}</style></head><body>",
            f"<h1>{esc(title)}</h1><p>{esc(t('report.generated', lang, date=generated))}"
            + (f" <span class='demo'>{esc(t('demo.badge', lang))}</span>" if demo else "") + "</p>",
            f"<nav><strong>{esc(t('report.contents', lang))}</strong><ol>"
            + "".join(f"<li><a href='#part-{p}'>{esc(t(heads[p], lang))}</a></li>" for p, _ in parts) + "</ol></nav>"]
    for part, secs in parts:
        html.append(f"<section class='part-{part}' id='part-{part}'><h2 class='part'>{esc(t(heads[part], lang))}</h2>")
        for s in secs:
            html.extend(_section_html(s, lang))
        if part == "appendix" and recipe_text:
            html.append(f"<h3>{esc(t('report.recipe', lang))}</h3><pre>{esc(recipe_text)}</pre>")
        html.append("</section>")
    html.append("</body></html>")
    return "\n".join(html)


# ------------------------------------------------------------------ PDF

_A4 = (8.27, 11.69)
_STYLE = {"title": dict(fontsize=18, fontweight="bold"), "part": dict(fontsize=14, fontweight="bold", color="#253494"),
          "h": dict(fontsize=11.5, fontweight="bold"), "bold": dict(fontsize=10, fontweight="bold", color="#7a2e00"),
          "flag": dict(fontsize=9, color="#6b4700", fontweight="bold"), "finding": dict(fontsize=9),
          "p": dict(fontsize=9), "caveat": dict(fontsize=8, color="#444444"), "mono": dict(fontsize=6.5, family="monospace")}
_STEP = {"title": 0.034, "part": 0.032, "h": 0.026, "mono": 0.0125, "caveat": 0.015}


class _Pages:
    """A cursor over A4 portrait pages: text lines and ruled tables, a new page when one is full."""

    def __init__(self, pdf, plt, line):
        self.pdf, self.plt, self.rule, self.fig, self.y = pdf, plt, line, None, 0.0

    def new(self) -> None:
        self.close()
        self.fig = self.plt.figure(figsize=_A4)
        self.y = 0.955

    def close(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.plt.close(self.fig)
            self.fig = None

    def room(self, h: float) -> None:
        if self.fig is None or self.y - h < 0.045:
            self.new()

    def line(self, kind: str, text: str, indent: float = 0.0) -> None:
        step = _STEP.get(kind, 0.0165)
        self.room(step)
        self.fig.text(0.07 + indent, self.y, text, va="top", parse_math=False, **_STYLE[kind])
        self.y -= step

    def para(self, kind: str, text: str, width: int = 100) -> None:
        for w in textwrap.wrap(text, width) or [""]:
            self.line(kind, w)
        self.y -= 0.004

    def table(self, df: pd.DataFrame, lang: str, max_rows: int = 40) -> None:
        from matplotlib.patches import Rectangle

        shown = readable(df.head(max_rows), lang)  # as in the HTML report
        cols = [str(c) for c in shown.columns]
        body = [list(r) for r in shown.itertuples(index=False)]
        if not cols:
            return
        longest_word = [max((len(w) for w in c.split()), default=1) for c in cols]  # headers wrap at spaces
        widths = np.array([max([longest_word[i]] + [len(r[i]) for r in body]) for i in range(len(cols))], dtype=float)
        widths = np.clip(widths, 6, 40)
        fs = 7 if widths.sum() < 120 else 5.5
        x = 0.07 + np.concatenate([[0], np.cumsum(widths / widths.sum() * 0.86)])
        chars = ((x[1:] - x[:-1]) / 0.86 * (130 if fs == 7 else 165)).astype(int)  # DejaVu: ~0.55 em a character
        h = 0.0145 if fs == 7 else 0.012

        def fit(text: str, n: int) -> str:
            return text if len(text) <= n else text[: max(n - 1, 1)] + "…"

        bold = np.maximum((chars * 0.85).astype(int), 3)  # bold type is wider
        heads = ["\n".join(fit(w, bold[i]) for w in (textwrap.wrap(c, bold[i]) or [""])[:4]) for i, c in enumerate(cols)]
        lines = max(c.count("\n") + 1 for c in heads)

        def row(cells: list[str], header: bool) -> None:
            hh = h * (0.75 * lines + 0.25) if header else h
            self.room(hh)
            if header:
                self.fig.add_artist(Rectangle((x[0], self.y - hh), x[-1] - x[0], hh, transform=self.fig.transFigure,
                                              facecolor="#eef1f8", edgecolor="none"))
            for i, c in enumerate(cells):
                self.fig.text(x[i] + 0.004, self.y - hh / 2, c if header else fit(c, chars[i]), va="center",
                              fontsize=fs, parse_math=False, fontweight="bold" if header else "normal",
                              linespacing=1.1)
            for xx in x:
                self.fig.add_artist(self.rule([xx, xx], [self.y - hh, self.y], transform=self.fig.transFigure,
                                              color="#bbbbbb", linewidth=0.5))
            self.fig.add_artist(self.rule([x[0], x[-1]], [self.y - hh, self.y - hh], transform=self.fig.transFigure,
                                          color="#bbbbbb", linewidth=0.5))
            if header:
                self.fig.add_artist(self.rule([x[0], x[-1]], [self.y, self.y], transform=self.fig.transFigure,
                                              color="#bbbbbb", linewidth=0.5))
            self.y -= hh

        row(heads, True)
        for r in body:
            if self.y - h < 0.045:  # the header again at the top of the next page
                self.new()
                row(heads, True)
            row(r, False)
        if len(df) > max_rows:
            self.line("caveat", t("report.more_rows", lang, n=len(df) - max_rows))
        self.y -= 0.01


def report_pdf(sections: list[dict[str, Any]], path: str | Path | Any, *, title: str, lang: str = "en",
               demo: bool = False, recipe_text: str | None = None) -> None:
    """The report as a PDF: the summary of findings on the first page, then one landscape page per map,
    then the tables (ruled, with their header repeated on each page), then the appendix."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.image as mpimg
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.lines import Line2D
    heads = dict(PARTS)
    with PdfPages(path, metadata={"Title": title, "CreationDate": None, "Creator": None, "Producer": None}) as pdf:
        pages = _Pages(pdf, plt, Line2D)
        pages.new()
        pages.line("title", title)
        if demo:
            pages.line("bold", t("demo.badge", lang))
        for part, secs in ordered_parts(sections) or [("summary", [])]:
            if part == "maps":
                pages.close()
                for s in secs:
                    fig = plt.figure(figsize=(_A4[1], _A4[0]))
                    if s.get("image") is not None:
                        ax = fig.add_axes((0, 0.06, 1, 0.94))
                        ax.imshow(mpimg.imread(io.BytesIO(s["image"]), format="png"))
                        ax.set_axis_off()
                    fig.text(0.98, 0.985, t(heads["maps"], lang), ha="right", va="top", fontsize=9, color="#253494",
                             fontweight="bold")
                    below = " ".join(s.get("text", []))
                    fig.text(0.04, 0.045, "\n".join(textwrap.wrap(below, 170)[:2]), va="top", fontsize=8,
                             parse_math=False)
                    pdf.savefig(fig)
                    plt.close(fig)
                continue
            if part != "summary":
                pages.new()
            pages.line("part", t(heads[part], lang))
            for s in secs:
                pages.room(0.12 if s.get("table") is not None else 0.05)  # no heading alone at the foot of a page
                for w in textwrap.wrap(s["heading"], 78) or [""]:
                    pages.line("h", w)
                for f in s.get("findings", []):
                    kind = "caveat" if f["kind"] == "caveat" else ("flag" if f["flag"] else "finding")
                    pages.para(kind, "• " + f["text"])
                for p in s.get("text", []):
                    pages.para("p", p)
                if s.get("table") is not None:
                    pages.table(s["table"], lang, s.get("max_rows") or 40)
            if part == "appendix" and recipe_text:
                pages.line("h", t("report.recipe", lang))
                for ln in recipe_text.splitlines():
                    for w in textwrap.wrap(ln, 120) or [""]:
                        pages.line("mono", w)
        pages.close()
