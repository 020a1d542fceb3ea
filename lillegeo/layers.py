"""Map layers of analysis results: the classes, colours and legend of each map a page, a slide or a
static export draws. The pages, the slides and the report take them from here, so a map shows the
same classes wherever it is drawn."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .equity import BIVARIATE, EquityResult, bivariate_names, residual_classes
from .hotspots import HOT_COLORS, LISA_COLORS, TYPE_COLORS, AreaHotspots, Typology
from .i18n import label_text, t
from .maps import WITHHELD_STYLE, bivariate_legend_html, palette_colors

__all__ = ["Layer", "hot_layer", "typology_layer", "equity_layer", "SHARE_BINS"]

#: Group share classes of the Equity share layer, in percent of residents (upper bounds inclusive).
SHARE_BINS = (-0.1, 10, 20, 30, 40, 100)


@dataclass(frozen=True)
class Layer:
    """Labels per unit, their colours, the legend title, an optional HTML legend and note."""

    labels: pd.Series
    colors: dict[str, str]
    title: str
    legend: str | None = None
    note: str = ""


def hot_layer(hs: AreaHotspots, lang: str) -> Layer:
    """Hot/cold spot (Gi*) or cluster/outlier (local Moran) classes of each unit, translated."""
    base = HOT_COLORS if hs.method == "gi_star" else LISA_COLORS
    present = set(hs.frame["label"])
    colors = {label_text(k, lang): v for k, v in base.items()
              if k in present or k in ("Hot spot 99%", "High-High", "Not significant")}
    return Layer(hs.frame["label"].map(lambda v: label_text(v, lang)), colors, t("hot.legend", lang))


def typology_layer(typ: Typology, lang: str) -> tuple[Layer, pd.DataFrame]:
    """Types named 'Type 1' … in the session's language, and the profile table with those names."""
    word = t("hot.types_legend", lang)
    names = {i: f"{word} {n}" for i, n in enumerate(range(1, typ.k + 1))}
    labels = typ.labels.map(lambda v: names.get(v, label_text("No data", lang)))
    colors = {names[i]: TYPE_COLORS[i % len(TYPE_COLORS)] for i in range(typ.k)}
    if typ.n_withheld:  # untyped because an input count is under the threshold: the withheld style and entry
        hidden = t("legend.withheld", lang, threshold=typ.threshold)
        labels = labels.where(~typ.withheld.reindex(labels.index, fill_value=False), hidden)
        colors[hidden] = WITHHELD_STYLE["fillColor"]
    profile = typ.profile.assign(type=typ.profile["type"].map(names))
    return Layer(labels, colors, word, note=" ".join(typ.notes) or ", ".join(typ.columns)), profile


def equity_layer(res: EquityResult, layer: str, lang: str, *, group: str) -> Layer:
    """One of the Equity page's four disparity layers: ``bivariate``, ``residual``, ``residual_gi``, ``share``."""
    if layer == "bivariate":
        codes, colors = res.bivariate
        legend = bivariate_legend_html(t("eq.layer.bivariate", lang), BIVARIATE, codes.value_counts().to_dict(),
                                       t("eq.biv.note", lang), t("eq.crime", lang), t("eq.enforcement", lang))
        names = bivariate_names(lang)
        return Layer(codes.map(names).fillna(""), {names[k]: v for k, v in colors.items()},
                     t("eq.biv.legend", lang), legend=legend)
    if layer == "residual":
        labels, colors = residual_classes(res.residual_ratio, lang)
        return Layer(labels, colors, t("eq.res.legend", lang), note=res.model.model)
    if layer == "residual_gi":
        return Layer(hot_layer(res.residual_hotspots, lang).labels, hot_layer(res.residual_hotspots, lang).colors,
                     t("eq.layer.residual_gi", lang))
    if layer == "share":
        names = ["0–10 %", "10–20 %", "20–30 %", "30–40 %", "> 40 %"]
        pct = res.share.mul(100).round(0)
        bins = pd.cut(pct, list(SHARE_BINS), labels=names)
        return Layer(bins.astype("string"), dict(zip(names, palette_colors("PuBu", len(names)))),
                     f"{t('eq.layer.share', lang)}: {group}")
    raise ValueError(f"layer must be bivariate, residual, residual_gi or share; got {layer!r}")
