"""Map layers of analysis results: the classes, colours and legend of each map a page, a slide or a
static export draws. The pages, the slides and the report take them from here, so a map shows the
same classes wherever it is drawn."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .equity import BIVARIATE, EquityResult, bivariate_names, residual_classes
from .hotspots import HOT_COLORS, LEFT_OUT, LISA_COLORS, NO_DATA, TYPE_COLORS, AreaHotspots, Typology
from .i18n import label_text, t
from .maps import WITHHELD_STYLE, bivariate_legend_html, palette_colors
from .params import DEFAULT_THRESHOLD

__all__ = ["Layer", "hot_layer", "typology_layer", "equity_layer", "SHARE_BINS", "with_withheld", "with_untested"]

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


def with_withheld(labels: pd.Series, colors: dict[str, str], withheld: pd.Series | None, threshold: int,
                  lang: str) -> tuple[pd.Series, dict[str, str]]:
    """Labels with the withheld units relabelled "Withheld (fewer than N)", and the colours with that
    class last in the withheld grey (the map builders draw it in the withheld style, with its count).

    Examples
    --------
    >>> lab, col = with_withheld(pd.Series(["a", "b"]), {"a": "#000000", "b": "#ffffff"}, pd.Series([False, True]), 11, "en")
    >>> lab.tolist(), col["Withheld (fewer than 11)"]
    (['a', 'Withheld (fewer than 11)'], '#b3b3b3')
    """
    if withheld is None or not bool(pd.Series(withheld).any()):
        return labels, colors
    name = t("legend.withheld", lang, threshold=threshold)
    mask = pd.Series(withheld, index=labels.index).fillna(False).astype(bool)
    return labels.astype(object).where(~mask, name), {**colors, name: WITHHELD_STYLE["fillColor"]}


def hot_layer(hs: AreaHotspots, lang: str, *, withheld: pd.Series | None = None,
              threshold: int = DEFAULT_THRESHOLD) -> Layer:
    """Hot/cold spot (Gi*) or cluster/outlier (local Moran) classes of each unit, translated; units of
    ``withheld`` (left out of the statistics) in the withheld class.

    The legend lists the classes in use only (Gi* bins down to the chosen alpha), "Not significant" and
    why untested units have no class; its counts add up to the units of the map."""
    base = HOT_COLORS if hs.method == "gi_star" else LISA_COLORS
    present = set(hs.frame["label"])
    colors = {label_text(k, lang): v for k, v in base.items()
              if k in present or k == "Not significant"}
    labels, colors = with_withheld(hs.frame["label"].map(lambda v: label_text(v, lang)), colors,
                                   None if withheld is None else pd.Series(withheld).to_numpy(), threshold, lang)
    return Layer(labels, colors, t("hot.legend", lang))


def typology_layer(typ: Typology, lang: str) -> tuple[Layer, pd.DataFrame]:
    """Types named 'Type 1' … in the session's language, and the profile table with those names."""
    word = t("hot.types_legend", lang)
    names = {i: f"{word} {n}" for i, n in enumerate(range(1, typ.k + 1))}
    labels = typ.labels.map(lambda v: names.get(v, label_text("No data", lang)))
    colors = {names[i]: TYPE_COLORS[i % len(TYPE_COLORS)] for i in range(typ.k)}
    labels, colors = with_withheld(labels, colors, typ.withheld, typ.threshold, lang)
    profile = typ.profile.assign(type=typ.profile["type"].map(names))
    return Layer(labels, colors, word, note=" ".join(typ.notes) or ", ".join(typ.columns)), profile


def with_untested(labels: pd.Series, colors: dict[str, str], left_out: pd.Series | None,
                  lang: str) -> tuple[pd.Series, dict[str, str]]:
    """Units without a class (``""`` or missing) named: "Left out (A/D)" for the units of ``left_out``,
    else "No data", each with its legend colour, so that the legend's counts add up to the units.

    Examples
    --------
    >>> lab, col = with_untested(pd.Series(["a", "", None]), {"a": "#000000"}, pd.Series([False, True, False]), "en")
    >>> lab.tolist(), list(col)
    (['a', 'Left out (A/D)', 'No data'], ['a', 'Left out (A/D)', 'No data'])
    """
    labels = pd.Series(labels, index=labels.index).astype(object)
    empty = labels.isna() | (labels.astype("string").fillna("") == "")
    if not empty.any():
        return labels, colors
    ad = (pd.Series(False, index=labels.index) if left_out is None
          else pd.Series(left_out, index=labels.index).fillna(False).astype(bool))
    out, colors = labels.copy(), dict(colors)
    for mask, key in ((empty & ad, LEFT_OUT), (empty & ~ad, NO_DATA)):
        if mask.any():
            out[mask] = label_text(key, lang)
            colors[label_text(key, lang)] = HOT_COLORS[key]
    return out, colors


def equity_layer(res: EquityResult, layer: str, lang: str, *, group: str) -> Layer:
    """One of the Equity page's four disparity layers: ``bivariate``, ``residual``, ``residual_gi``, ``share``.

    Units whose rates, ratio (``res.withheld``) or share (``res.share_withheld``) come from a count
    under the threshold are in the withheld class, with its legend entry and count.
    """
    thr = res.threshold
    if layer == "bivariate":
        codes, colors = res.bivariate
        names = bivariate_names(lang)
        labels, cols = with_untested(*with_withheld(codes.map(names).fillna(""),
                                                    {names[k]: v for k, v in colors.items()},
                                                    res.withheld, thr, lang), res.left_out, lang)
        withheld = t("legend.withheld", lang, threshold=thr)
        counts = codes[labels.isin(list(names.values()))].value_counts().to_dict()
        others = tuple((lab, cols[lab], int((labels == lab).sum()))
                       for lab in (label_text(LEFT_OUT, lang), label_text(NO_DATA, lang)) if lab in cols)
        legend = bivariate_legend_html(t("eq.layer.bivariate", lang), BIVARIATE, counts, t("eq.biv.note", lang),
                                       t("eq.crime", lang), t("eq.enforcement", lang),
                                       withheld=(withheld, int((labels == withheld).sum())), others=others,
                                       lang=lang)
        return Layer(labels, cols, t("eq.biv.legend", lang), legend=legend)
    if layer == "residual":
        labels, colors = with_untested(*with_withheld(*residual_classes(res.residual_ratio, lang), res.withheld, thr,
                                                      lang), res.left_out, lang)
        return Layer(labels, colors, t("eq.res.legend", lang), note=res.model.model)
    if layer == "residual_gi":
        hot = hot_layer(res.residual_hotspots, lang, withheld=res.withheld, threshold=thr)
        labels, colors = with_untested(hot.labels, hot.colors, res.left_out, lang)
        return Layer(labels, colors, t("eq.layer.residual_gi", lang))
    if layer == "share":
        names = ["0–10 %", "10–20 %", "20–30 %", "30–40 %", "> 40 %"]
        pct = res.share.mul(100).round(0)
        bins = pd.cut(pct, list(SHARE_BINS), labels=names).astype("string").fillna("")
        labels, colors = with_untested(*with_withheld(bins, dict(zip(names, palette_colors("PuBu", len(names)))),
                                                      res.share_withheld, thr, lang), None, lang)  # no residents
        return Layer(labels, colors, f"{t('eq.layer.share', lang)}: {group}")
    raise ValueError(f"layer must be bivariate, residual, residual_gi or share; got {layer!r}")
