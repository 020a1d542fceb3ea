"""What a dataset offers each analysis, and a recipe fitted to it.

Code columns (``REG``, ``MODIF_IRIS``…) are never offered as indicators, and a count's denominator
defaults to its convention (:func:`lillegeo.insee.conventional_per`); an explicit ``per`` in a
recipe wins whenever the dataset has that column.

A recipe names columns and point layers; a dataset may lack some of them (the real MEL census has
no ``incidents`` column, an older census writes ``P20_POP``). :func:`fit_recipe` keeps every
choice the dataset can honour and replaces the others by the same rule a fresh page uses, so that
the widgets always show a valid value and what is saved is what is shown. The pages take their
options from :func:`options_for`.

Examples
--------
>>> from lillegeo import load_demo
>>> from lillegeo.recipe import Recipe
>>> ds = load_demo()
>>> r = Recipe.for_demo().with_params("explore", column="nope")
>>> fit_recipe(r, ds).explore.column
'incidents'
"""

from __future__ import annotations

from dataclasses import dataclass

from .dataset import Dataset
from .indicators import numeric_columns
from .insee import conventional_per, is_code_column
from .params import BAND_SLIDER
from .recipe import Recipe

__all__ = ["Options", "options_for", "fit_recipe", "years_of", "categories_of", "band_choices"]

DATED = "date"


@dataclass(frozen=True)
class Options:
    """The values a dataset offers the widgets."""

    numeric: tuple[str, ...]
    counts: tuple[str, ...]
    communes: tuple[str, ...]
    layers: tuple[str, ...]
    dated_layers: tuple[str, ...]
    population: str | None
    has_overlay: bool

    def per_for(self, column: str) -> tuple[str, ...]:
        """Denominators offered for ``column`` ('' first: raw values)."""
        return ("",) + tuple(x for x in self.numeric if x != column)

    def default_per(self, column: str) -> str:
        """The conventional denominator of ``column`` ('' for raw values): ``P21_CHOM1564`` -> ``P21_ACT1564``,
        ``P21_POP_IMM`` -> ``P21_POP``, incidents -> the population; a median or a rate stays raw."""
        return conventional_per(column, self.numeric, self.population) if column in self.counts else ""

    def default_column(self) -> str:
        return "incidents" if "incidents" in self.numeric else next(
            (x for x in self.numeric if x in self.counts), self.numeric[0] if self.numeric else "")


def options_for(ds: Dataset) -> Options:
    """The columns, communes and layers ``ds`` offers (code columns such as ``REG`` or ``MODIF_IRIS`` are not
    indicators, however numeric they look)."""
    counts = set(ds.count_columns)
    numeric = tuple(c for c in numeric_columns(ds.units) if not is_code_column(c))
    return Options(numeric=numeric, counts=tuple(x for x in numeric if x in counts),
                   communes=tuple(sorted(ds.units["commune_name"].astype(str).unique())),
                   layers=tuple(ds.points), dated_layers=tuple(k for k, v in ds.points.items() if DATED in v.columns),
                   population=ds.population, has_overlay=ds.overlay is not None)


def _pick(value: str, allowed: tuple[str, ...], fallback: str) -> str:
    if value in allowed:
        return value
    return fallback if fallback in allowed else (allowed[0] if allowed else value)


def years_of(ds: Dataset, layer: str) -> list[int]:
    """Years present in a dated point layer, sorted (empty when undated or unknown)."""
    pts = ds.points.get(layer)
    if pts is None or DATED not in pts.columns:
        return []
    return sorted({int(y) for y in pts[DATED].dt.year.dropna().unique()})


def categories_of(ds: Dataset, layer: str) -> list[str]:
    """Categories of a point layer, sorted (empty when it has none)."""
    pts = ds.points.get(layer)
    if pts is None or "category" not in pts.columns:
        return []
    return sorted(set(map(str, pts["category"].dropna().unique())))


def fit_recipe(recipe: Recipe, ds: Dataset) -> Recipe:
    """``recipe`` with every choice the dataset cannot honour replaced by the page's default rule."""
    o = options_for(ds)
    if not o.numeric:
        return recipe
    e, h, c, ty, ev, q = (recipe.explore, recipe.hotspots, recipe.clusters, recipe.typology, recipe.evaluation,
                          recipe.equity)
    col = _pick(e.column, o.numeric, o.default_column())
    e = e.replace(column=col, per=_pick(e.per, o.per_for(col), o.default_per(col)),
                  communes=tuple(x for x in e.communes if x in o.communes), overlay=e.overlay and o.has_overlay)
    hcol = _pick(h.column, o.numeric, "incidents")  # as a fresh Hotspots page: incidents, else the first column
    h = h.replace(column=hcol, per=_pick(h.per, o.per_for(hcol), ""))
    if o.layers:
        layer = _pick(c.layer, o.layers, "incidents")
        cats, years = categories_of(ds, layer), years_of(ds, layer)
        c = c.replace(layer=layer, categories=tuple(x for x in c.categories if x in cats),
                      years=tuple(y for y in c.years if y in years))
    ty = ty.replace(columns=tuple(x for x in ty.columns if x in o.numeric))
    if o.dated_layers:
        layer = _pick(ev.layer, o.dated_layers, "incidents")
        years = years_of(ds, layer)
        p2 = ev.period2 if ev.period2 in years else 0
        ev = ev.replace(layer=layer, period2=p2, period1=tuple(y for y in ev.period1 if y in years))
    if len(o.counts) >= 3:
        refs = ("complement",) + o.counts
        others = ("",) + o.counts
        # four different columns: a value the data lacks falls back to the first column not yet taken
        used: list[str] = []
        picked = {}
        for name, fallback in (("population", o.population or ""), ("enforcement", "checks"), ("crime", "incidents"),
                               ("group", "P21_POP_IMM")):
            free = tuple(x for x in o.counts if x not in used) or o.counts
            picked[name] = _pick(getattr(q, name), free, fallback) if getattr(q, name) not in used else \
                _pick(fallback, free, fallback)
            used.append(picked[name])
        q = q.replace(**picked, reference=_pick(q.reference, refs, "complement"),
                      other_crime=_pick(q.other_crime, others, ""),
                      groups=q.groups if (q.groups != "overlay" or o.has_overlay) else "people")
    pg = recipe.programme
    if o.dated_layers:  # the Evaluate page: a dated layer of these data, its categories
        layer = _pick(pg.layer, o.dated_layers, "incidents")
        cats = categories_of(ds, layer)
        pg = pg.replace(layer=layer, categories=tuple(x for x in pg.categories if x in cats))
    fitted = recipe.replace(explore=e, hotspots=h, clusters=c, typology=ty, evaluation=ev, equity=q, programme=pg)
    return recipe if fitted == recipe else fitted


def band_choices(band: tuple[float, float], grid: tuple[float, float, float] = BAND_SLIDER) -> list[float]:
    """The values the disparity band's slider offers: ``grid`` (low, high, step) and the two ends of
    ``band`` (a recipe may hold any valid band), rounded to hundredths so that 0.8 is found again.

    Examples
    --------
    >>> band_choices((0.8, 1.25))[:3], 0.8 in band_choices((0.8, 1.25)), band_choices((0.33, 3.0))[0]
    ([0.5, 0.55, 0.6], True, 0.33)
    """
    lo, hi, step = grid
    n = int(round((hi - lo) / step))
    return sorted({round(lo + i * step, 2) for i in range(n + 1)} | {round(float(b), 2) for b in band})
