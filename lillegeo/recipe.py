"""The recipe: one human-readable TOML file that describes an analysis.

A recipe is the sources (path, SHA-256 and size, reader options) plus one parameter object per
analysis (:mod:`lillegeo.params`), the language, the title and the slides. The app keeps the
current recipe in the session and every widget reads and writes it, so what is saved is what is
on screen; ``python -m lillegeo run`` re-runs it headless (:func:`lillegeo.outputs.run_recipe`).

Source paths are relative to the recipe file, absolute, or ``demo/<file>`` for the shipped demo.

Examples
--------
>>> r = Recipe.for_demo()
>>> r2 = r.with_params("hotspots", alpha=0.01)
>>> r2.hotspots.alpha, r.hotspots.alpha
(0.01, 0.05)
>>> Recipe.from_toml(r2.to_toml()) == r2.with_base_dir(None)
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from .demo import DEMO_DIR
from .i18n import t
from .limits import check_toml, limits
from .params import (
    MAX_TEXT,
    SECTIONS,
    ClusterParams,
    DisclosureParams,
    EquityParams,
    EvaluationParams,
    ExploreParams,
    HotspotParams,
    ProgrammeParams,
    SlideParams,
    TypologyParams,
    check_slides,
)
from .wording import param_text

__all__ = ["Recipe", "RECIPE_VERSION", "sha256_file", "default_slides", "iter_sources", "params_frame"]

RECIPE_VERSION = 2
LANGUAGES = ("en", "fr")


def default_slides(lang: str = "en") -> tuple[SlideParams, ...]:
    """The built-in sequence of council slides (no raw incident points, small cells withheld)."""
    return tuple(SlideParams(layer=layer, title=t(f"slide.{layer}.title", lang), caption=t(f"slide.{layer}.caption", lang))
                 for layer in ("explore", "hotspots", "clusters", "equity", "findings"))


def sha256_file(path: str | Path) -> tuple[str, int]:
    """SHA-256 (hex) and size in bytes of a file."""
    h = hashlib.sha256()
    p = Path(path)
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest(), p.stat().st_size


@dataclass(frozen=True)
class Recipe:
    """An analysis, fully described: sources and one parameter object per analysis.

    Attributes
    ----------
    title, language : str
    demo : bool
        The shipped synthetic demo (every output carries the mark).
    sources : dict
        ``units``, ``table`` (optional), ``points`` (name -> source), ``overlay`` (optional); each a
        dict with ``path``, ``sha256``, ``size`` and reader options (``mapping``, ``crs``, ``planar``,
        ``key``, ``x``, ``y``).
    disclosure, explore, hotspots, clusters, typology, evaluation, equity : Params
        The parameter objects of :mod:`lillegeo.params`.
    slides : tuple of SlideParams
        Council slides; empty means the built-in sequence in the recipe's language.
    """

    title: str = "lillegeo analysis"
    language: str = "en"
    demo: bool = False
    sources: dict[str, Any] = field(default_factory=dict, compare=True)
    disclosure: DisclosureParams = field(default_factory=DisclosureParams)
    explore: ExploreParams = field(default_factory=ExploreParams)
    hotspots: HotspotParams = field(default_factory=HotspotParams)
    clusters: ClusterParams = field(default_factory=ClusterParams)
    typology: TypologyParams = field(default_factory=TypologyParams)
    evaluation: EvaluationParams = field(default_factory=EvaluationParams)
    equity: EquityParams = field(default_factory=EquityParams)
    programme: ProgrammeParams = field(default_factory=ProgrammeParams)
    slides: tuple[SlideParams, ...] = ()
    base_dir: Path | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.title, str) or len(self.title) > MAX_TEXT:
            raise ValueError(f"the recipe's title must be text of at most {MAX_TEXT} characters")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be 'en' or 'fr'; got {str(self.language)[:20]!r}")
        for sec, cls in SECTIONS.items():
            if not isinstance(getattr(self, sec), cls):
                raise TypeError(f"Recipe.{sec} must be a {cls.__name__}, not {type(getattr(self, sec)).__name__}")
        object.__setattr__(self, "slides", check_slides(self.slides))

    # -------------------------------------------------------------- changes
    def replace(self, **changes) -> "Recipe":
        """A copy with ``changes`` (validated)."""
        return dataclasses.replace(self, **changes)

    def with_params(self, section: str, **changes) -> "Recipe":
        """A copy whose ``section`` parameters get ``changes`` (validated; errors name the field)."""
        if section not in SECTIONS:
            raise ValueError(f"unknown parameter section {section!r}; sections are: {', '.join(SECTIONS)}")
        return dataclasses.replace(self, **{section: getattr(self, section).replace(**changes)})

    def with_base_dir(self, base_dir: str | Path | None) -> "Recipe":
        return dataclasses.replace(self, base_dir=Path(base_dir) if base_dir is not None else None)

    def slides_or_default(self) -> tuple[SlideParams, ...]:
        """The recipe's slides, or the built-in sequence in its language."""
        return self.slides or default_slides(self.language)

    # -------------------------------------------------------------- slides edited in the app
    def slide_deck(self) -> tuple[SlideParams, ...]:
        """The slides as the Present page lists them: the recipe's, or the built-in sequence with empty
        (automatic) titles and captions, so that editing one slide keeps the others as shown."""
        return self.slides or tuple(SlideParams(layer=s.layer) for s in default_slides(self.language))

    def add_slide(self, slide: SlideParams) -> "Recipe":
        """A copy with ``slide`` after the current slides (refused beyond the slide limit).

        >>> r = Recipe.for_demo().add_slide(SlideParams(layer="explore", title="Unemployment"))
        >>> [s.layer for s in r.slides], r.slides[-1].title
        (['explore', 'hotspots', 'clusters', 'equity', 'findings', 'explore'], 'Unemployment')
        """
        if not isinstance(slide, SlideParams):
            raise TypeError(f"a slide is a SlideParams, not {type(slide).__name__}")
        return self.replace(slides=self.slide_deck() + (slide,))

    def _slide_index(self, i: int) -> int:
        n = len(self.slide_deck())
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n:
            raise ValueError(f"slide number {i!r} does not exist; slides are numbered 0 to {n - 1}")
        return i

    def move_slide(self, i: int, step: int) -> "Recipe":
        """A copy with slide ``i`` moved ``step`` places (-1 up, +1 down; stops at either end)."""
        deck = list(self.slide_deck())
        j = max(0, min(len(deck) - 1, self._slide_index(i) + int(step)))
        deck.insert(j, deck.pop(i))
        return self.replace(slides=tuple(deck))

    def remove_slide(self, i: int) -> "Recipe":
        """A copy without slide ``i`` (with none left, the built-in sequence shows again)."""
        deck = list(self.slide_deck())
        deck.pop(self._slide_index(i))
        return self.replace(slides=tuple(deck))

    def rename_slide(self, i: int, title: str) -> "Recipe":
        """A copy where slide ``i`` has ``title`` ('' for the map's own title)."""
        deck = list(self.slide_deck())
        deck[self._slide_index(i)] = deck[i].replace(title=title)
        return self.replace(slides=tuple(deck))

    # -------------------------------------------------------------- (de)serialisation
    def to_toml(self) -> str:
        """The recipe as TOML text (keys sorted within sections, so that saving twice gives the same file)."""
        doc: dict[str, Any] = {"recipe": {"version": RECIPE_VERSION, "title": self.title, "language": self.language,
                                          "demo": self.demo},
                               "sources": _clean(self.sources)}
        for sec in SECTIONS:
            doc[sec] = _clean(getattr(self, sec).to_dict())
        doc["slides"] = [_clean(s.to_dict()) for s in self.slides]
        return tomli_w.dumps(doc)

    @classmethod
    def from_toml(cls, text: str, *, base_dir: str | Path | None = None) -> "Recipe":
        """Parse and validate a recipe; errors name the section and key.

        The text is screened first (size, nesting, key count: :func:`lillegeo.limits.check_toml`) so
        that a hostile recipe is refused at once instead of holding the server in ``tomllib``.
        Version 1 recipes (threshold in ``[explore]``, clusters in ``[hotspots]``) are read too.
        """
        if not isinstance(text, str):
            raise TypeError(f"a recipe is TOML text (str); got {type(text).__name__}")
        check_toml(text)
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"the recipe is not valid TOML: {exc}") from None
        except RecursionError:
            raise ValueError("the recipe is nested too deeply to read") from None
        head = doc.get("recipe")
        if not isinstance(head, dict):
            raise ValueError("the recipe has no [recipe] section; is this a lillegeo recipe?")
        version = head.get("version")
        if type(version) is not int:  # true == 1 and 2.0 == 2 in Python; neither is a version
            raise ValueError(f"[recipe] version must be a whole number; got {str(version)[:20]!r}")
        if version == 1:
            doc = _from_version_1(doc)
        elif version != RECIPE_VERSION:
            raise ValueError(f"recipe version {str(version)[:20]!r} is not supported (expected {RECIPE_VERSION})")
        srcs = doc.get("sources", {})
        if not isinstance(srcs, dict) or "units" not in srcs:
            raise ValueError("the recipe has no [sources.units]: the contour file is required")
        roles = sorted(set(map(str, srcs)) - {"units", "table", "points", "overlay"})
        if roles:
            raise ValueError(f"unknown source(s) {', '.join(roles)[:200]}; allowed: units, table, points, overlay")
        if not isinstance(srcs.get("points", {}), dict):
            raise ValueError("[sources.points] must be a table of named point layers")
        for name, src in iter_sources(srcs):
            _check_source(name, src)
        unknown = sorted(set(map(str, doc)) - {"recipe", "sources", "slides", *SECTIONS})
        if unknown:
            raise ValueError(f"unknown section(s) [{', '.join(unknown)[:200]}]; allowed: recipe, sources, slides, "
                             f"{', '.join(SECTIONS)}")
        params = {sec: c.from_dict(doc.get(sec, {})) for sec, c in SECTIONS.items()}
        demo = head.get("demo", False)
        if not isinstance(demo, bool):
            raise ValueError("[recipe] demo must be true or false")
        return cls(title=head.get("title", "lillegeo analysis"), language=head.get("language", "en"), demo=demo,
                   sources=srcs, slides=check_slides(doc.get("slides", [])),
                   base_dir=Path(base_dir) if base_dir is not None else None, **params)

    @classmethod
    def read(cls, path: str | Path) -> "Recipe":
        """Read a recipe file (refused before reading when over the size limit)."""
        p = Path(path)
        if not p.exists():
            raise ValueError(f"recipe file not found: '{p}'")
        lim = limits()
        if p.stat().st_size > lim.recipe_kb * 1024:
            raise ValueError(f"the recipe is {p.stat().st_size / 1024:,.0f} KB, over the {lim.recipe_kb:,} KB limit "
                             f"({lim.env_name('recipe_kb')})")
        try:
            text = p.read_text(encoding="utf-8-sig")  # a BOM (Windows Notepad) is not an error
        except UnicodeDecodeError:
            raise ValueError(f"the recipe '{p.name}' is not UTF-8 text") from None
        return cls.from_toml(text, base_dir=p.resolve().parent)

    @classmethod
    def for_demo(cls, **changes) -> "Recipe":
        """A recipe on the shipped demo files, with their hashes (``changes`` as in :meth:`replace`)."""
        def src(name: str, **opts):
            h, n = sha256_file(DEMO_DIR / name)
            return {"path": f"demo/{name}", "sha256": h, "size": n, **opts}

        r = cls(title="Demo metropolis (synthetic)", demo=True, sources={
            "units": src("units.geojson"), "table": src("census.csv"),
            "points": {"incidents": src("incidents.csv"), "checks": src("checks.csv")},
            "overlay": src("qpv.geojson", mapping={"unit_id": "code_qp", "unit_name": "nom_qp"})})
        return r.replace(**changes) if changes else r

    def resolve(self, path: str) -> Path:
        """Where a source's ``path`` points on this machine."""
        if path.startswith("demo/"):
            return DEMO_DIR / path[len("demo/"):]
        p = Path(path)
        if not p.is_absolute() and self.base_dir is not None:
            p = self.base_dir / p
        return p

    def missing_sources(self, have: dict[str, Any] | None) -> list[str]:
        """Sources this recipe needs that ``have`` (a dataset's sources) does not hold, as 'role: file (sha…)'.

        >>> Recipe.for_demo().missing_sources(Recipe.for_demo().sources)
        []
        """
        held = {s.get("sha256") for _, s in iter_sources(have or {})}
        return [f"{name}: {Path(s['path']).name} (sha256 {s['sha256'][:12]}…, {s['size']:,} bytes)"
                for name, s in iter_sources(self.sources) if s.get("sha256") not in held]


def _from_version_1(doc: dict) -> dict:
    """A version 1 recipe in the version 2 layout (threshold and clusters had other homes)."""
    out = dict(doc)
    ex = dict(out.get("explore", {})) if isinstance(out.get("explore"), dict) else out.get("explore", {})
    hs = dict(out.get("hotspots", {})) if isinstance(out.get("hotspots"), dict) else out.get("hotspots", {})
    if isinstance(ex, dict) and "threshold" in ex:
        out["disclosure"] = {"threshold": ex.pop("threshold")}
    if isinstance(hs, dict):
        moved = {"points": "layer", "algorithm": "algorithm", "eps_m": "eps_m", "min_samples": "min_samples"}
        cl = {new: hs.pop(old) for old, new in moved.items() if old in hs}
        if cl:
            out["clusters"] = cl
    out["explore"], out["hotspots"] = ex, hs
    return out


def _clean(d: Any) -> Any:
    """Drop None values (TOML has no null) and turn tuples into lists, recursively."""
    if isinstance(d, dict):
        return {k: _clean(v) for k, v in sorted(d.items()) if v is not None}
    if isinstance(d, (list, tuple)):
        return [_clean(v) for v in d]
    return d


_SOURCE_KEYS = {"path": str, "sha256": str, "size": int, "mapping": dict, "crs": str, "planar": bool, "key": str,
                "x": str, "y": str, "layer": str, "sheet": str}


def _check_source(name: str, src: Any) -> None:
    """A source entry: known keys of the right types (a recipe is untrusted input)."""
    if not isinstance(src, dict):
        raise ValueError(f"source '{name}' must be a table with path, sha256 and size")
    for k in ("path", "sha256", "size"):
        if k not in src:
            raise ValueError(f"source '{name}' lacks '{k}'")
    for k, v in src.items():
        want = _SOURCE_KEYS.get(k)
        if want is None:
            raise ValueError(f"source '{name}' has an unknown key '{str(k)[:40]}'; allowed: "
                             f"{', '.join(sorted(_SOURCE_KEYS))}")
        if not isinstance(v, want) or (want is int and isinstance(v, bool)):
            raise ValueError(f"source '{name}': '{k}' must be {want.__name__}, not {type(v).__name__}")
        if isinstance(v, str) and len(v) > 4096:
            raise ValueError(f"source '{name}': '{k}' is too long")
    if not re.fullmatch(r"[0-9a-f]{64}", src["sha256"]):
        raise ValueError(f"source '{name}': sha256 must be 64 hexadecimal characters")
    if src["size"] < 0:
        raise ValueError(f"source '{name}': size must not be negative")
    for k, v in src.get("mapping", {}).items():
        if k not in ("unit_id", "unit_name", "commune_id", "commune_name", "unit_type") or not isinstance(v, str):
            raise ValueError(f"source '{name}': mapping entries are unit_id, unit_name, commune_id, commune_name, "
                             "unit_type, each the name of a column")


def iter_sources(srcs: dict):
    """(role, source) pairs of a sources table: units, table, overlay, then ``points.NAME``."""
    for role in ("units", "table", "overlay"):
        if role in srcs:
            yield role, srcs[role]
    for name, s in (srcs.get("points") or {}).items():
        yield f"points.{name}", s


def params_frame(recipe: Recipe, lang: str | None = None) -> pd.DataFrame:
    """Every parameter of the recipe as rows (section, key, value), for the report: values as text,
    written for a reader in ``lang`` when given (``oui``, ``0,05``), else as Python writes them."""
    def text(v) -> str:
        if lang is not None:
            return param_text(v, lang)
        return ", ".join(map(str, v)) if isinstance(v, list) else str(v)

    rows = [{"section": sec, "key": k, "value": text(v)}
            for sec in SECTIONS for k, v in getattr(recipe, sec).to_dict().items()]
    return pd.DataFrame(rows)
