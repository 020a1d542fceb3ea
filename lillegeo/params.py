"""One frozen, typed parameter object per analysis: defaults, types, ranges and options written once.

Every analysis (Explore, area hot spots, clusters and heat, typologies, evaluation, equity, slides) has
one dataclass below. The pages take their widgets' options and bounds from it, the command line its
defaults and checks, a recipe is validated by it, and :mod:`lillegeo.pipeline` runs the analysis from it
(the model is scikit-learn's ``_parameter_constraints``). A value outside its range is refused with a
message naming the section and field; nothing is clipped silently. :func:`check_cost` refuses work over
a stated budget (permutations x units, bootstrap draws x units, DBSCAN neighbour pairs) before it starts.

Examples
--------
>>> HotspotParams().permutations
999
>>> HotspotParams(permutations=3_000_000)
Traceback (most recent call last):
...
ValueError: [hotspots] permutations = 3000000 is above the largest allowed value 9999 (allowed: 19 to 9999)
>>> validate("hotspots", {"permutations": 99})["permutations"]
99
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from .cost import COST_BUDGET, check_cost

__all__ = ["Param", "Params", "ExploreParams", "DisclosureParams", "HotspotParams", "ClusterParams",
           "TypologyParams", "EvaluationParams", "EquityParams", "ProgrammeParams", "SlideParams", "SECTIONS", "SPEC", "DEFAULTS",
           "DEFAULT_THRESHOLD", "validate", "check_weights", "check_cost", "check_slides", "COST_BUDGET", "bounds",
           "options", "MAX_SLIDES", "MAX_TEXT", "MAX_LIST", "SLIDE_LAYERS", "SLIDE_SECTION", "WEIGHT_CHOICES", "PERMUTATION_CHOICES",
           "ALPHA_CHOICES", "BOOTSTRAP_CHOICES", "BAND_SLIDER"]

#: Longest text accepted in a parameter (column names, titles, captions): a column name the readers accept
#: (a hostile file's) must fit, since the recipe holds what the page shows.
MAX_TEXT = 4096
#: Most items in a list parameter (columns of a typology, communes of a filter, years, breaks).
MAX_LIST = 2_000
#: Most slides in a presentation.
MAX_SLIDES = 30
#: Counts of persons or events from 1 to ``DEFAULT_THRESHOLD - 1`` are withheld (INSEE / SSMSI practice).
DEFAULT_THRESHOLD = 11
#: Profiling verdict: a recording gradient (shortfall per 10 points of share) the verdict must survive.
DEFAULT_TOLERANCE = 0.05

#: Choices offered by the pages (any valid value is accepted from a recipe or the command line).
WEIGHT_CHOICES = ("queen", "rook", "knn:6", "knn:8", "distance:1000", "distance:1500")
PERMUTATION_CHOICES = (99, 499, 999, 9999)
ALPHA_CHOICES = (0.01, 0.05, 0.1)
BOOTSTRAP_CHOICES = (0, 199, 999, 1999)
SLIDE_LAYERS = ("explore", "hotspots", "clusters", "equity", "findings", "programme")
#: The parameter section a slide of each map layer keeps a copy of (the findings slide keeps none).
SLIDE_SECTION = {"explore": "explore", "hotspots": "hotspots", "clusters": "clusters", "equity": "equity",
                 "programme": "programme"}
#: The Equity page's band slider: (lowest, highest, step); a recipe's band outside it widens it.
BAND_SLIDER = (0.5, 2.0, 0.05)


@dataclass(frozen=True)
class Param:
    """One parameter: its default, its kind and what values are allowed.

    ``kind`` is ``int``, ``float``, ``str``, ``bool``, ``band`` (two numbers low < 1 < high),
    ``weights`` (a weights spec), ``strs`` / ``ints`` / ``floats`` (lists of those).
    """

    default: Any
    kind: str
    lo: float | None = None
    hi: float | None = None
    options: tuple | None = None
    help: str = ""


def _p(default: Any, kind: str, lo: float | None = None, hi: float | None = None, *, options: tuple | None = None,
       help: str = "") -> Any:
    spec = Param(default, kind, lo, hi, options, help)
    return field(default=default, metadata={"param": spec})


_SCHEMES = ("quantiles", "fisher_jenks", "equal_interval", "natural_breaks", "user")
_PALETTES = ("viridis", "YlGnBu", "YlOrRd", "PuBu", "Greys")
_ALGORITHMS = ("dbscan", "hdbscan", "optics")
_SEED_MAX = 2**31 - 1


def _fail(section: str, name: str, value: Any, why: str) -> ValueError:
    shown = repr(value) if isinstance(value, str) else str(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return ValueError(f"[{section}] {name} = {shown} {why}")


_WEIGHTS = re.compile(r"^(queen|rook|knn:(\d{1,3})|distance:(\d{1,6}(\.\d+)?))$")


def check_weights(value: Any, *, section: str = "hotspots", name: str = "weights") -> str:
    """A weights spec: ``queen``, ``rook``, ``knn:K`` (1-50) or ``distance:METRES`` (1-50000)."""
    if not isinstance(value, str) or not _WEIGHTS.match(value.strip()):
        raise _fail(section, name, value, "is not a weights spec (allowed: queen, rook, knn:K, distance:METRES)")
    v = value.strip()
    if v.startswith("knn:") and not 1 <= int(v[4:]) <= 50:
        raise _fail(section, name, value, "has k outside 1 to 50")
    if v.startswith("distance:") and not 1 <= float(v[9:]) <= 50_000:
        raise _fail(section, name, value, "has a distance outside 1 to 50000 metres")
    return v


def _check_number(section: str, name: str, p: Param, value: Any, as_int: bool) -> int | float:
    # bool is an int in Python but not a number here; "x" is refused, not coerced
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise _fail(section, name, value, f"must be a number, not {type(value).__name__}")
    if not math.isfinite(float(value)):
        raise _fail(section, name, value, "must be a finite number")
    if as_int:
        if float(value) != math.floor(float(value)):
            raise _fail(section, name, value, "must be a whole number")
        value = int(value)
    else:
        value = float(value)
    allowed = f"(allowed: {p.lo:g} to {p.hi:g})" if p.lo is not None and p.hi is not None else ""
    if p.lo is not None and value < p.lo:
        raise _fail(section, name, value, f"is below the smallest allowed value {p.lo:g} {allowed}".rstrip())
    if p.hi is not None and value > p.hi:
        raise _fail(section, name, value, f"is above the largest allowed value {p.hi:g} {allowed}".rstrip())
    return value


def _check_text(section: str, name: str, p: Param, value: Any) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _fail(section, name, value, f"must be text, not {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise _fail(section, name, value, f"is longer than {MAX_TEXT} characters")
    if p.options is not None and value not in p.options:
        raise _fail(section, name, value, f"is not allowed (allowed: {', '.join(map(str, p.options))})")
    return value


def _check(section: str, name: str, p: Param, value: Any) -> Any:
    """``value`` checked against ``p`` and returned in its canonical type (tuples for lists)."""
    if p.kind == "bool":
        if not isinstance(value, (bool, np.bool_)):
            raise _fail(section, name, value, "must be true or false")
        return bool(value)
    if p.kind == "str":
        return _check_text(section, name, p, value)
    if p.kind == "weights":
        return check_weights(value, section=section, name=name)
    if p.kind == "params":  # a slide's copy of a section's parameters: checked by the slide (_check_together)
        if value is None or isinstance(value, (dict, Params)):
            return value
        raise _fail(section, name, value, "must be a table of parameters")
    if p.kind in ("int", "float"):
        return _check_number(section, name, p, value, p.kind == "int")
    if p.kind == "band":
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise _fail(section, name, value, "must be two numbers [low, high]")
        lo, hi = (_check_number(section, name, p, v, False) for v in value)
        if not lo < 1 < hi:
            raise _fail(section, name, value, "must have low < 1 < high")
        return (lo, hi)
    if p.kind in ("strs", "ints", "floats"):
        if not isinstance(value, (list, tuple)):
            raise _fail(section, name, value, "must be a list")
        if len(value) > MAX_LIST:
            raise _fail(section, name, f"{len(value)} items", f"is longer than {MAX_LIST} items")
        item = Param(None, p.kind[:-1], p.lo, p.hi, p.options)
        return tuple(_check(section, name, item, v) for v in value)
    raise TypeError(f"unknown parameter kind {p.kind!r}")  # pragma: no cover - a programming error


class Params:
    """Base of the parameter objects: validated on construction, frozen, convertible to and from a dict.

    A subclass is a frozen dataclass whose fields are declared with :func:`_p`; ``section`` names
    it in recipes and messages.
    """

    section: ClassVar[str] = ""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            p = f.metadata["param"]
            object.__setattr__(self, f.name, _check(self.section, f.name, p, getattr(self, f.name)))
        self._check_together()

    def _check_together(self) -> None:
        """Rules across fields (none by default)."""

    @classmethod
    def spec(cls) -> dict[str, Param]:
        """Field name -> :class:`Param`, in declaration order."""
        return {f.name: f.metadata["param"] for f in dataclasses.fields(cls)}

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> "Params":
        """Build from a recipe section or a page's values; unknown keys are refused (a typo must not be ignored).

        >>> EquityParams.from_dict({"band": [0.8, 1.25]}).band
        (0.8, 1.25)
        >>> ExploreParams.from_dict({"k": "x"})
        Traceback (most recent call last):
        ...
        ValueError: [explore] k = 'x' must be a number, not str
        """
        if values is None:
            values = {}
        if not isinstance(values, dict):
            raise ValueError(f"[{cls.section}] must be a table of parameters, not {type(values).__name__}")
        spec = cls.spec()
        extra = sorted(set(map(str, values)) - set(spec))
        if extra:
            raise ValueError(f"unknown key(s) in [{cls.section}]: {', '.join(extra)[:200]}; "
                             f"allowed: {', '.join(sorted(spec))}")
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Plain values (lists for tuples), as a recipe writes them."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(self).items()}

    def replace(self, **changes) -> "Params":
        """A copy with ``changes``, validated."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class DisclosureParams(Params):
    """Small-count disclosure: counts of persons or events under ``threshold`` are withheld everywhere."""

    section: ClassVar[str] = "disclosure"
    threshold: int = _p(DEFAULT_THRESHOLD, "int", DEFAULT_THRESHOLD, 1000,
                        help="disclosure threshold: counts below it are withheld")


@dataclass(frozen=True)
class ExploreParams(Params):
    """The Explore choropleth: indicator, denominator, smoothing, classification, filter and overlay."""

    section: ClassVar[str] = "explore"
    column: str = _p("incidents", "str", help="indicator column")
    per: str = _p("P21_POP", "str", help="denominator column ('' for raw values)")
    smoothing: str = _p("none", "str", options=("none", "global_eb", "spatial_eb"))
    scheme: str = _p("quantiles", "str", options=_SCHEMES)
    k: int = _p(5, "int", 2, 9, help="number of classes")
    breaks: tuple = _p((), "floats", help="class breaks of the 'user' scheme")
    palette: str = _p("YlGnBu", "str", options=_PALETTES)
    exclude_ad: bool = _p(True, "bool", help="leave activity (A) and miscellaneous (D) units out of rates")
    communes: tuple = _p((), "strs", help="communes shown (none: all)")
    overlay: bool = _p(True, "bool", help="draw the priority-neighbourhood overlay when loaded")


@dataclass(frozen=True)
class HotspotParams(Params):
    """Area hot and cold spots: Gi* or local Moran of an indicator, with permutation inference."""

    section: ClassVar[str] = "hotspots"
    column: str = _p("incidents", "str", help="indicator column")
    per: str = _p("", "str", help="denominator column ('' for raw values)")
    exclude_ad: bool = _p(True, "bool", help="leave activity (A) and miscellaneous (D) units out of rates")
    smoothing: str = _p("none", "str", options=("none", "global_eb", "spatial_eb"),
                        help="empirical Bayes smoothing of the rate before the statistic (with a denominator)")
    method: str = _p("gi_star", "str", options=("gi_star", "local_moran"))
    weights: str = _p("queen", "weights", help="queen, rook, knn:K (1-50) or distance:METRES (1-50000)")
    permutations: int = _p(999, "int", 19, 9999, help="conditional permutations for pseudo p-values")
    alpha: float = _p(0.05, "float", 0.001, 0.10, help="significance level (Gi* bins: 99, 95 and 90 %)")
    correction: str = _p("none", "str", options=("none", "fdr", "bonferroni"))
    seed: int = _p(0, "int", 0, _SEED_MAX)


@dataclass(frozen=True)
class ClusterParams(Params):
    """Incident clusters (DBSCAN, HDBSCAN, OPTICS) and the optional heat surface of one point layer."""

    section: ClassVar[str] = "clusters"
    layer: str = _p("incidents", "str", help="point layer clustered")
    categories: tuple = _p((), "strs", help="categories kept (none: all)")
    years: tuple = _p((), "ints", 1900, 2100, help="years kept (none: all)")
    algorithm: str = _p("dbscan", "str", options=_ALGORITHMS)
    eps_m: float = _p(120.0, "float", 10, 1000, help="search radius in metres")
    min_samples: int = _p(60, "int", DEFAULT_THRESHOLD, 5000,
                          help="incidents per cluster core (at least the disclosure threshold)")
    seed: int = _p(0, "int", 0, _SEED_MAX)
    heat: bool = _p(False, "bool", help="draw the kernel-density heat surface")
    bandwidth_m: float = _p(250.0, "float", 50, 2000, help="heat kernel bandwidth in metres")
    cell_m: float = _p(100.0, "float", 25, 1000, help="heat grid cell in metres")


@dataclass(frozen=True)
class TypologyParams(Params):
    """Typologies: k-means or contiguous regions on standardised indicators."""

    section: ClassVar[str] = "typology"
    columns: tuple = _p(("DISP_MED21", "DISP_TP6021", "P21_CHOM1564", "P21_POP_IMM"), "strs",
                        help="indicators clustered (at least two)")
    k: int = _p(5, "int", 2, 10, help="number of types")
    method: str = _p("kmeans", "str", options=("kmeans", "constrained"))
    seed: int = _p(0, "int", 0, _SEED_MAX)


@dataclass(frozen=True)
class EvaluationParams(Params):
    """Hotspot evaluation: hotspots chosen on period 1 by every method, scored on period 2.

    The clustering and area parameters default to those of :class:`ClusterParams` and
    :class:`HotspotParams`, and are shown and set on the page.
    """

    section: ClassVar[str] = "evaluation"
    layer: str = _p("incidents", "str", help="dated point layer")
    period1: tuple = _p((), "ints", 1900, 2100, help="years of period 1 (none: all years before period 2)")
    period2: int = _p(0, "int", 0, 2100, help="year of period 2 (0: the last year)")
    eps_m: float = _p(120.0, "float", 10, 1000, help="DBSCAN search radius in metres")
    min_samples: int = _p(60, "int", DEFAULT_THRESHOLD, 5000, help="DBSCAN incidents per cluster core")
    weights: str = _p("queen", "weights", help="weights of the Gi* and local Moran hotspots")
    alpha: float = _p(HotspotParams.alpha, "float", 0.001, 0.10, help="significance level of the area hotspots")
    permutations: int = _p(HotspotParams.permutations, "int", 19, 9999,
                           help="conditional permutations of the Gi* and local Moran hotspots")
    bandwidth_m: float = _p(ClusterParams.bandwidth_m, "float", 50, 2000, help="heat kernel bandwidth in metres")
    cell_m: float = _p(ClusterParams.cell_m, "float", 25, 1000, help="heat grid cell in metres")
    kde_share: float = _p(0.05, "float", 0.01, 0.5, help="share of the study area taken as the densest heat cells")
    seed: int = _p(0, "int", 0, _SEED_MAX)


@dataclass(frozen=True)
class EquityParams(Params):
    """Equity: exposure, the benchmark model and the disparity layers."""

    section: ClassVar[str] = "equity"
    enforcement: str = _p("checks", "str", help="enforcement count column (e.g. identity checks)")
    crime: str = _p("incidents", "str", help="recorded crime count column")
    population: str = _p("P21_POP", "str", help="population column")
    group: str = _p("P21_POP_IMM", "str", help="group count column")
    reference: str = _p("complement", "str", help="reference group column, or 'complement' (everyone else)")
    other_crime: str = _p("incidents_2023", "str", help="another crime measure for the robustness table ('' for none)")
    bootstrap: int = _p(999, "int", 0, 9999, help="bootstrap draws for intervals (0: none)")
    seed: int = _p(0, "int", 0, _SEED_MAX)
    band: tuple = _p((0.8, 1.25), "band", 0.1, 10.0, help="disparity band [low, high], low < 1 < high")
    groups: str = _p("people", "str", options=("people", "top_share", "overlay"))
    layer: str = _p("bivariate", "str", options=("bivariate", "residual", "residual_gi", "share"),
                    help="disparity layer shown")


@dataclass(frozen=True)
class ProgrammeParams(Params):
    """Programme evaluation (page Evaluate): did an intervention change an outcome, and where did it go?

    ``treated`` lists unit codes, each optionally with its own start (``CODE@YYYY-MM-DD``, staggered
    starts); the others start on ``start``. ``treated_from`` picks them instead from the priority
    neighbourhoods (``qpv``) or the current hot spots (``hotspots``). The buffer is a ring of
    ``buffer_m`` metres or of ``buffer_rings`` rings of neighbouring units around the treated area.
    """

    section: ClassVar[str] = "programme"
    layer: str = _p("incidents", "str", help="point layer counted per unit and period")
    categories: tuple = _p((), "strs", help="categories kept (none: all)")
    treated: tuple = _p((), "strs", help="treated unit codes, each optionally CODE@YYYY-MM-DD")
    treated_from: str = _p("units", "str", options=("units", "qpv", "hotspots"))
    start: str = _p("", "str", help="start date of the programme, YYYY-MM-DD")
    buffer_m: float = _p(0.0, "float", 0, 3000, help="displacement ring around the treated area in metres (0: none)")
    buffer_rings: int = _p(0, "int", 0, 3, help="displacement ring of neighbouring units (0: none)")
    control: str = _p("rest", "str", options=("rest", "matched"))
    n_matched: int = _p(20, "int", 5, 500, help="control units matched on pre-period trend and profile")
    period: str = _p("month", "str", options=("month", "quarter"))
    method: str = _p("did", "str", options=("before_after", "wdd", "did", "event", "synth"))
    family: str = _p("poisson", "str", options=("poisson", "negbin"), help="count model of the before/after ratio")
    event_window: int = _p(6, "int", 1, 36, help="periods shown before and after the start in the event study")
    index: bool = _p(True, "bool", help="chart each line as an index, its mean before the start = 100")
    alpha: float = _p(0.05, "float", 0.001, 0.2, help="1 - confidence level of the intervals")
    seed: int = _p(0, "int", 0, _SEED_MAX)


@dataclass(frozen=True)
class SlideParams(Params):
    """One council slide: a layer, a title (empty: the map's own), a caption and, for a map added from a
    page, a copy of that page's parameters when it was added (``None``: the recipe's current ones)."""

    section: ClassVar[str] = "slide"
    layer: str = _p("explore", "str", options=SLIDE_LAYERS)
    title: str = _p("", "str")
    caption: str = _p("", "str")
    params: Any = _p(None, "params", help="the page's parameters when the slide was added")

    def _check_together(self) -> None:
        sec = SLIDE_SECTION.get(self.layer)
        p = self.params
        if p is None:
            return
        if sec is None:
            raise _fail("slide", "params", "…", f"are not allowed on a '{self.layer}' slide")
        cls = SECTIONS[sec]
        if isinstance(p, dict):
            p = cls.from_dict(p)
        elif not isinstance(p, cls):
            raise _fail("slide", "params", type(p).__name__, f"must be [{sec}] parameters on a '{self.layer}' slide")
        object.__setattr__(self, "params", p)

    def to_dict(self) -> dict[str, Any]:
        return {"layer": self.layer, "title": self.title, "caption": self.caption,
                "params": None if self.params is None else self.params.to_dict()}


#: Every analysis section of a recipe, in the order of the pages.
SECTIONS: dict[str, type[Params]] = {c.section: c for c in (DisclosureParams, ExploreParams, HotspotParams,
                                                            ClusterParams, TypologyParams, EvaluationParams,
                                                            EquityParams, ProgrammeParams)}
#: Section -> field -> :class:`Param` (read-only view of the dataclasses, for widgets and messages).
SPEC: dict[str, dict[str, Param]] = {sec: cls.spec() for sec, cls in SECTIONS.items()}
#: Default values per section (what a new recipe and a fresh page start from).
DEFAULTS: dict[str, dict[str, Any]] = {sec: cls().to_dict() for sec, cls in SECTIONS.items()}


def bounds(section: str, name: str) -> tuple[Any, Any]:
    """(low, high) of a numeric parameter, for widgets: ``st.number_input(min_value=lo, max_value=hi)``.

    >>> bounds("clusters", "eps_m")
    (10.0, 1000.0)
    """
    p = SPEC[section][name]
    cast = int if p.kind in ("int", "ints") else float
    return cast(p.lo), cast(p.hi)


def options(section: str, name: str) -> tuple:
    """Allowed values of a text parameter with options (for a selectbox or radio)."""
    return SPEC[section][name].options


def validate(section: str, values: dict[str, Any] | None, *, partial: bool = True) -> dict[str, Any]:
    """Check ``values`` for ``section`` and return them complete (defaults filled in) as plain values.

    Unknown keys are refused. With ``partial=False`` every key is required.

    >>> validate("equity", {"band": [0.8, 1.25]})["band"]
    [0.8, 1.25]
    """
    if section not in SECTIONS:
        raise ValueError(f"unknown parameter section {section!r}; sections are: {', '.join(SECTIONS)}")
    cls = SECTIONS[section]
    if not partial and isinstance(values, dict):
        missing = sorted(set(cls.spec()) - set(values))
        if missing:
            raise ValueError(f"[{section}] lacks {', '.join(missing)}")
    return cls.from_dict(values).to_dict()


def check_slides(slides: Any) -> tuple[SlideParams, ...]:
    """Slides of a recipe: at most :data:`MAX_SLIDES`, each a ``layer``, a title and caption of text and
    optionally ``params``, the parameters of the layer's section."""
    if slides is None:
        return ()
    if not isinstance(slides, (list, tuple)):
        raise ValueError("[[slides]] must be a list of slides")
    if len(slides) > MAX_SLIDES:
        raise ValueError(f"the recipe has {len(slides)} slides; at most {MAX_SLIDES} are allowed")
    out = []
    for i, s in enumerate(slides, 1):
        if isinstance(s, SlideParams):
            out.append(s)
            continue
        if not isinstance(s, dict):
            raise ValueError(f"slide {i} must be a table with layer, title and caption")
        extra = sorted(set(map(str, s)) - {"layer", "title", "caption", "params"})
        if extra:
            raise ValueError(f"slide {i} has unknown key(s): {', '.join(extra)[:200]}; "
                             "allowed: caption, layer, params, title")
        layer = s.get("layer")
        if layer not in SLIDE_LAYERS:
            raise _fail(f"slide {i}", "layer", layer, f"is not allowed (allowed: {', '.join(SLIDE_LAYERS)})")
        vals = {k: _check(f"slide {i}", k, Param("", "str"), s.get(k, "")) for k in ("title", "caption")}
        try:
            out.append(SlideParams(layer=layer, params=s.get("params"), **vals))
        except ValueError as exc:
            raise ValueError(f"slide {i}: {exc}") from None
    return tuple(out)
