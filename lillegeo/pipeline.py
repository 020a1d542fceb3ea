"""One function per analysis: ``dataset + parameters -> typed result``.

The pages call these through a thin cache (:mod:`lillegeo.app.cache`), the command line calls them
directly, and ``run`` and the Present page call :func:`run_analysis`, which calls them all. Every
number a page shows is therefore one hop from its page: the page calls one function here, and that
function calls the statistics of :mod:`lillegeo.hotspots`, :mod:`lillegeo.equity` and
:mod:`lillegeo.indicators`.

Examples
--------
>>> from lillegeo import load_demo
>>> from lillegeo.params import ExploreParams
>>> res = run_explore(load_demo(), ExploreParams(column="incidents", per="P21_POP"))
>>> res.indicator.unit, len(res.table) == len(res.units)
('per 1,000', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from .choices import options_for, years_of
from .dataset import Dataset
from .equity import EquityResult, outcome_test
from .equity import run_equity as equity_analysis
from .explain import coverage_note, data_first, no_cluster_reason
from .fmt import fmt_int, fmt_number
from .hotspots import (
    ISLAND,
    LEFT_OUT,
    NO_DATA,
    UNTESTED,
    WITHHELD,
    AreaHotspots,
    HeatSurface,
    PointClusters,
    Typology,
    cluster_sensitivity,
    compare_methods,
    filter_points,
    heat_surface,
    indicator_hotspots,
    point_clusters,
    sensitivity,
    typology,
)
from .i18n import t
from .indicators import Indicator, compute_indicator, suppress, suppress_frame
from .insee import field_label, is_code_column, rate_multiplier
from .params import (
    DEFAULT_THRESHOLD,
    ClusterParams,
    EquityParams,
    EvaluationParams,
    ExploreParams,
    HotspotParams,
    TypologyParams,
)
from .programme.errors import error_text
from .programme.run import run_programme
from .programme.types import ProgrammeResult
from .recipe import Recipe

__all__ = ["ExploreResult", "AreaResult", "ClusterResult", "EvaluationResult", "Analysis", "run_explore",
           "run_area_hotspots", "run_hotspot_sensitivity", "run_clusters", "run_cluster_sensitivity", "run_typology",
           "typology_inputs", "run_evaluation", "run_equity", "run_analysis", "equity_columns", "unit_record",
           "run_outcome_test", "run_programme"]

AD_TYPES = ("A", "D")


def _column(ds: Dataset, name: str, what: str) -> str:
    if name not in ds.units.columns:
        cols = ", ".join(map(str, [c for c in ds.units.columns if c != "geometry"][:25]))
        raise ValueError(f"{what} column '{name}' not found; columns are: {cols}")
    return name


# ------------------------------------------------------------------ explore

@dataclass(frozen=True)
class ExploreResult:
    """The Explore choropleth's numbers: the indicator on the units shown and its table."""

    indicator: Indicator
    units: gpd.GeoDataFrame
    table: pd.DataFrame
    coverage: str | None = None  # "The table covers 110 of 509 units (Lille); …" when it covers only some

    @property
    def n_shown(self) -> int:
        return self.indicator.partition["shown"]


def run_explore(ds: Dataset, p: ExploreParams, *, threshold: int = DEFAULT_THRESHOLD,
                lang: str = "en") -> ExploreResult:
    """The indicator of ``p`` (raw or per 1,000 of ``p.per``, smoothed, A/D left out), filtered to ``p.communes``."""
    per = _column(ds, p.per, "denominator") if p.per else None
    ind = compute_indicator(ds.units, _column(ds, p.column, "indicator"), per=per,
                            multiplier=rate_multiplier(p.column, per), smoothing=p.smoothing if per else "none",
                            threshold=threshold,
                            exclude_types=AD_TYPES if (per and p.exclude_ad) else (), lang=lang)
    units = ds.units
    if p.communes:
        keep = units["commune_name"].astype(str).isin(p.communes)
        units, ind = units[keep], ind.subset(keep)
    table = ind.frame(units["unit_id"])
    table.insert(1, "unit_name", units["unit_name"].to_numpy())
    table = data_first(ds, table)  # units with table data first (stable: the map's order within each group)
    return ExploreResult(ind, units, table, coverage_note(ds, lang))


def unit_record(ds: Dataset, unit_id: str, *, threshold: int = DEFAULT_THRESHOLD,
                lang: str = "en") -> pd.DataFrame | None:
    """Every attribute of one unit, one row per field with a readable name (the raw code in brackets),
    small counts withheld; numbers in ``lang``'s format. None when the unit is unknown.

    Examples
    --------
    >>> from lillegeo import load_demo
    >>> ds = load_demo()
    >>> rec = unit_record(ds, ds.units["unit_id"].iloc[0], lang="fr")
    >>> list(rec.columns), rec.index[0]
    (['Valeur'], "Code de l'unité (unit_id)")
    """
    rows = ds.units[ds.units["unit_id"] == unit_id]
    if rows.empty:
        return None
    counts = [c for c in ds.count_columns if c in rows.columns]
    safe, _ = suppress_frame(rows, threshold=threshold, columns=counts)
    hidden = {c for c in counts if bool(suppress(rows[c], threshold=threshold).iloc[0])}
    values = []
    for col in safe.columns:
        v = safe[col].iloc[0]
        if col in hidden:
            values.append(t("map.withheld_value", lang, threshold=threshold))
        elif v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            values.append(t("map.nodata_value", lang))
        elif col in counts:  # persons or events: whole numbers (census counts are weighted estimates)
            values.append(fmt_int(v, lang))
        elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) \
                and not is_code_column(col):
            values.append(fmt_number(v, lang, digits=0 if float(v).is_integer() else 2))
        else:
            values.append(str(v))
    index = pd.Index([field_label(c, lang) for c in safe.columns], name=t("record.field", lang))
    return pd.DataFrame({t("record.value", lang): values}, index=index)


# ------------------------------------------------------------------ area hot spots

@dataclass(frozen=True)
class AreaResult:
    """Area hot and cold spots: the indicator tested, the statistics and a table safe to export."""

    indicator: Indicator
    hotspots: AreaHotspots
    table: pd.DataFrame

    @property
    def n_significant(self) -> int:
        """Units significant at the chosen alpha (corrected p at most the threshold): one count everywhere."""
        return self.hotspots.n_significant

    @property
    def partition(self) -> dict[str, int]:
        """Units per group, each unit in exactly one: ``significant, not_significant, withheld, left_out,
        no_data, islands`` and ``total`` (the groups add up to it; the caption and the legend read them)."""
        labels = self.hotspots.frame["label"]
        n_sig = self.n_significant
        out = {"significant": n_sig, "not_significant": int(len(labels) - n_sig - labels.isin(UNTESTED).sum()),
               "withheld": int((labels == WITHHELD).sum()), "left_out": int((labels == LEFT_OUT).sum()),
               "no_data": int((labels == NO_DATA).sum()), "islands": int((labels == ISLAND).sum())}
        out["total"] = len(labels)
        return out

    def impossible_note(self, lang: str = "en") -> str:
        """Why no unit can be significant (the smallest attainable p is above the corrected threshold), or ''."""
        hs = self.hotspots
        if not hs.correction_impossible:
            return ""
        return t("hot.impossible", lang, perm=hs.permutations, min_p=_sig(hs.min_p, lang),
                 threshold=_sig(hs.best_threshold, lang), correction=t(f"hot.correction.{hs.correction}", lang))

    def significant_table(self) -> pd.DataFrame:
        """The rows of significant units (labels in English; the page translates them)."""
        return self.table[self.hotspots.significant.to_numpy()]


def _sig(x: float, lang: str) -> str:
    """Three significant digits (0.000142), decimal comma in French."""
    text = f"{x:.3g}"
    return text.replace(".", ",") if lang == "fr" else text


def _area_args(ds: Dataset, p: HotspotParams, threshold: int) -> dict:
    per = _column(ds, p.per, "denominator") if p.per else None
    return dict(per=per, exclude_types=AD_TYPES if (per and p.exclude_ad) else (), threshold=threshold,
                smoothing=p.smoothing if per else "none",  # smoothed as on Explore: rates only
                multiplier=rate_multiplier(p.column, per))


def run_area_hotspots(ds: Dataset, p: HotspotParams, *, threshold: int = DEFAULT_THRESHOLD) -> AreaResult:
    """Gi* or local Moran of the indicator of ``p`` (smoothed as on Explore; withheld and A/D units left out)."""
    ind, res, table = indicator_hotspots(ds.units, _column(ds, p.column, "indicator"), **_area_args(ds, p, threshold),
                                         method=p.method, weights=p.weights, permutations=p.permutations,
                                         alpha=p.alpha, correction=p.correction, seed=p.seed)
    return AreaResult(ind, res, table)


def run_hotspot_sensitivity(ds: Dataset, p: HotspotParams, *, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """The hot spots of ``p`` rerun with neighbouring parameters (Jaccard overlap with the baseline)."""
    kw = _area_args(ds, p, threshold)
    ind = compute_indicator(ds.units, _column(ds, p.column, "indicator"), per=kw["per"],
                            exclude_types=kw["exclude_types"], threshold=threshold, smoothing=kw["smoothing"],
                            multiplier=kw["multiplier"])
    return sensitivity(ds.units, ind.raw.where(~(ind.excluded | ind.withheld)), method=p.method, weights=p.weights,
                       permutations=p.permutations, alpha=p.alpha, correction=p.correction, seed=p.seed)


# ------------------------------------------------------------------ clusters and heat

@dataclass(frozen=True)
class ClusterResult:
    """Incident clusters (generalised outlines only) and the optional heat surface."""

    clusters: PointClusters
    heat: HeatSurface | None
    n_used: int

    def empty_reason(self, lang: str = "en") -> str | None:
        """Why no cluster was found and what to change (None when there are clusters, shown or withheld)."""
        pc = self.clusters
        if pc.n_clusters or pc.n_withheld:
            return None
        return no_cluster_reason(pc.algorithm, eps_m=pc.eps_m, min_samples=pc.min_samples, n_points=self.n_used,
                                 lang=lang)


def _points(ds: Dataset, layer: str, categories: tuple = (), years: tuple = ()) -> gpd.GeoDataFrame:
    if layer not in ds.points:
        raise ValueError(f"point layer '{layer}' not loaded; layers are: {', '.join(ds.points) or 'none'}")
    pts = filter_points(ds.points[layer], categories=list(categories) or None)
    if years and "date" in pts.columns:
        pts = pts[pts["date"].dt.year.isin(years)]
    return pts


def run_clusters(ds: Dataset, p: ClusterParams, *, threshold: int = DEFAULT_THRESHOLD) -> ClusterResult:
    """Clusters of the filtered points of ``p.layer``; outlines keep clear of every incident of the layer."""
    pts = _points(ds, p.layer, p.categories, p.years)
    full = ds.points[p.layer]
    pc = point_clusters(pts, algorithm=p.algorithm, eps_m=p.eps_m, min_samples=p.min_samples, seed=p.seed,
                        threshold=threshold, keep_clear_of=full if len(pts) < len(full) else None)
    heat = (heat_surface(pts, bandwidth_m=p.bandwidth_m, cell_m=p.cell_m, bounds=tuple(ds.units.total_bounds),
                         threshold=threshold) if p.heat else None)
    return ClusterResult(pc, heat, len(pts))


def run_cluster_sensitivity(ds: Dataset, p: ClusterParams) -> pd.DataFrame:
    """The clusters of ``p`` with the radius and the minimum size scaled by 0.75 and 1.25."""
    return cluster_sensitivity(_points(ds, p.layer, p.categories, p.years), algorithm=p.algorithm, eps_m=p.eps_m,
                               min_samples=p.min_samples)


# ------------------------------------------------------------------ typologies

def typology_inputs(ds: Dataset, columns: list[str], *, threshold: int = DEFAULT_THRESHOLD,
                    lang: str = "en") -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """The indicators a typology standardises: each count divided by its conventional denominator
    (``P21_CHOM1564`` -> % of ``P21_ACT1564``, incidents -> per 1,000 residents), other columns as
    they are. A typology on raw counts would group big units with big units.

    Returns the frame (one column per indicator, a rate named by its unit first), the mask of units with a
    withheld input, and one note per count turned into a rate.
    """
    o = options_for(ds)
    out = pd.DataFrame(index=ds.units.index)
    withheld = pd.Series(False, index=ds.units.index)
    notes: list[str] = []
    for col in columns:
        per = o.default_per(col) if col in o.counts else ""
        if per:
            ind = compute_indicator(ds.units, col, per=per, multiplier=rate_multiplier(col, per), threshold=threshold,
                                    lang=lang)
            notes.append(t("typology.as_rate", lang, column=col, per=per, unit=ind.unit))
        elif col in o.counts:
            ind = compute_indicator(ds.units, col, threshold=threshold, lang=lang)
        else:
            out[col] = pd.to_numeric(ds.units[col], errors="coerce")
            continue
        # named by the rate ("%: P21_CHOM1564 / P21_ACT1564"), never like a count column (P21_…)
        name = t("typology.rate_col", lang, unit=ind.unit, column=col, per=per) if per else col
        out[name] = ind.raw.where(~ind.withheld)
        withheld |= ind.withheld
    return out, withheld, notes


def run_typology(ds: Dataset, p: TypologyParams, *, threshold: int = DEFAULT_THRESHOLD, lang: str = "en") -> Typology:
    """Types of units on the standardised rates of ``p.columns`` (counts divided by their denominator first);
    units with a withheld input are left untyped and flagged in ``withheld``."""
    cols = [c for c in p.columns if c in ds.units.columns]
    if len(cols) < 2:
        raise ValueError(f"a typology needs at least two numeric columns; chosen: {', '.join(p.columns) or 'none'}")
    X, withheld, notes = typology_inputs(ds, cols, threshold=threshold, lang=lang)
    units = gpd.GeoDataFrame(X, geometry=ds.units.geometry, crs=ds.units.crs)
    if ds.population:
        units["__population"] = ds.units[ds.population]
    typ = typology(units, list(X.columns), k=p.k, method=p.method, seed=p.seed,
                   population="__population" if ds.population else None)
    typ.withheld, typ.notes, typ.threshold = withheld, notes, threshold
    return typ


# ------------------------------------------------------------------ evaluation

@dataclass(frozen=True)
class EvaluationResult:
    """Hotspots of period 1 scored on period 2, for every method."""

    table: pd.DataFrame
    layer: str
    period1: tuple[int, ...]
    period2: int


def run_evaluation(ds: Dataset, p: EvaluationParams, *, threshold: int = DEFAULT_THRESHOLD) -> EvaluationResult:
    """Hit rate, PAI and RRI of every method's period-1 hotspots on period 2 (see ``EVALUATION_FORMULAS``)."""
    years = years_of(ds, p.layer)
    if len(years) < 2:
        raise ValueError(f"point layer '{p.layer}' needs dates in at least two years for an evaluation")
    p2 = p.period2 or years[-1]
    p1 = p.period1 or tuple(y for y in years if y < p2)
    if not p1:
        raise ValueError(f"period 1 is empty: choose years before {p2}")
    table = compare_methods(ds.units, ds.points[p.layer], period1=(f"{min(p1)}-01-01", f"{max(p1) + 1}-01-01"),
                            period2=(f"{p2}-01-01", f"{p2 + 1}-01-01"), eps_m=p.eps_m, min_samples=p.min_samples,
                            weights=p.weights, alpha=p.alpha, permutations=p.permutations,
                            kde_bandwidth_m=p.bandwidth_m, kde_cell_m=p.cell_m, kde_share=p.kde_share, seed=p.seed,
                            threshold=threshold)
    return EvaluationResult(table, p.layer, tuple(p1), p2)


# ------------------------------------------------------------------ equity

#: An INSEE census population variable (``P21_POP``, ``P16_POP0002``): residents, never a count of checks or
#: of crime. (``C..`` variables are left alone: a table of counts may use that form to be offered as counts.)
CENSUS_COLUMN = re.compile(r"^P\d{2}_[A-Z0-9_]+$")


def equity_columns(ds: Dataset, p: EquityParams) -> list[str]:
    """The columns ``p`` needs that the dataset lacks."""
    return [c for c in (p.enforcement, p.crime, p.population, p.group) if c not in ds.units.columns]


def run_equity(ds: Dataset, p: EquityParams, *, hotspots: HotspotParams | None = None,
               clusters: ClusterParams | None = None, threshold: int = DEFAULT_THRESHOLD,
               lang: str = "en") -> EquityResult:
    """Exposure, benchmark model, robustness, representation in hotspots, layers and findings.

    Representation in hotspots uses the area hot-spot permutations of ``hotspots`` and the DBSCAN
    radius and size of ``clusters`` (the same parameters as the Hotspots page).
    """
    h, c = hotspots or HotspotParams(), clusters or ClusterParams()
    same = {p.population, p.group} & {p.enforcement, p.crime} or (p.population == p.group) or (p.enforcement == p.crime)
    if same:
        raise ValueError(f"enforcement ({p.enforcement}), crime ({p.crime}), population ({p.population}) and group "
                         f"({p.group}) must be four different columns")
    census = [col for col in (p.enforcement, p.crime) if CENSUS_COLUMN.match(str(col))]
    if census:  # real census files and no checks loaded: the defaults fall on census columns; never fit those
        raise ValueError(t("prof.err.census_column", lang, col=census[0]))
    try:
        return _equity(ds, p, h, c, threshold, lang)
    except (ZeroDivisionError, FloatingPointError, np.linalg.LinAlgError):
        raise ValueError(t("prof.err.degenerate", lang)) from None


def _equity(ds: Dataset, p: EquityParams, h: HotspotParams, c: ClusterParams, threshold: int,
            lang: str) -> EquityResult:
    return equity_analysis(ds.units, enforcement=p.enforcement, crime=p.crime, population=p.population,
                           group=p.group, reference=None if p.reference in ("", "complement") else p.reference,
                           other_crime=p.other_crime or None, bootstrap=p.bootstrap, seed=p.seed, band=p.band,
                           lang=lang, points=ds.points.get(p.crime), threshold=threshold, area_group=p.groups,
                           overlay=ds.overlay, permutations=h.permutations, eps_m=c.eps_m,
                           min_samples=c.min_samples, alpha=h.alpha)


def run_outcome_test(ds: Dataset) -> pd.DataFrame | None:
    """Hit rate by group of the first point layer with ``outcome`` and ``group`` columns (None without one)."""
    stops = next((v for v in ds.points.values() if {"outcome", "group"} <= set(v.columns)), None)
    return None if stops is None else outcome_test(stops, group="group", outcome="outcome")


# ------------------------------------------------------------------ the whole analysis

@dataclass(frozen=True)
class Analysis:
    """Every number of a recipe's analysis (what ``run`` writes and the Present page shows)."""

    recipe: Recipe
    explore: ExploreResult
    hotspots: AreaResult | None
    clusters: ClusterResult | None
    equity: EquityResult | None
    notes: tuple[str, ...] = field(default_factory=tuple)
    programme: ProgrammeResult | None = None  # when the recipe's [programme] lists treated units


def run_analysis(ds: Dataset, recipe: Recipe) -> Analysis:
    """Run the recipe's Explore, area hot spots, clusters and equity analyses on ``ds``."""
    lang, thr = recipe.language, recipe.disclosure.threshold
    notes: list[str] = []
    explore = run_explore(ds, recipe.explore, threshold=thr, lang=lang)
    try:
        hot = run_area_hotspots(ds, recipe.hotspots, threshold=thr)
    except ValueError as exc:  # the other analyses are still presented; the report says why
        hot = None
        notes.append(t("run.hotspots_failed", lang, error=str(exc)))
    clusters = None
    if recipe.clusters.layer in ds.points:
        c = recipe.clusters
        try:
            clusters = run_clusters(ds, c.replace(heat=False) if c.heat else c, threshold=thr)
        except ValueError as exc:  # the other analyses are still presented; the report says why
            notes.append(t("run.clusters_failed", lang, error=str(exc)))
    else:
        notes.append(t("run.no_clusters", lang, layer=recipe.clusters.layer, layers=", ".join(ds.points) or "–"))
    missing = equity_columns(ds, recipe.equity)
    equity = None
    if missing:
        notes.append(t("run.no_equity", lang, cols=", ".join(missing)))
    else:
        try:
            equity = run_equity(ds, recipe.equity, hotspots=recipe.hotspots, clusters=recipe.clusters,
                                threshold=thr, lang=lang)
        except ValueError as exc:  # the other analyses are still presented; the report says why
            notes.append(t("run.equity_failed", lang, error=str(exc)))
    programme = None
    if recipe.programme.treated or recipe.programme.treated_from != "units":
        try:
            programme = run_programme(ds, recipe.programme, threshold=thr, hotspots=recipe.hotspots)
        except ValueError as exc:  # the other analyses are still presented; the report says why
            notes.append(t("run.programme_failed", lang, error=error_text(exc, lang)))
    return Analysis(recipe, explore, hot, clusters, equity, tuple(notes), programme)
