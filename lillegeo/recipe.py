"""Recipes: one human-readable TOML file that describes an analysis (sources with their SHA-256
and size, column mappings, parameters, seeds, map settings, language, slides), and the headless
runner that turns it into tables, maps, static maps, a report and a lock file.

Source paths are relative to the recipe file, absolute, or ``demo/<file>`` for the shipped demo.
A source whose hash no longer matches is refused (``allow_changed=True`` overrides).
"""

from __future__ import annotations

import copy
import hashlib
import json
import platform
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .demo import DEMO_DIR
from .i18n import t
from .limits import check_toml, limits
from .params import DEFAULTS as PARAM_DEFAULTS
from .params import MAX_TEXT, check_slides, validate

__all__ = ["Recipe", "DEFAULTS", "sha256_file", "load_sources", "run_recipe", "lock_info", "default_slides"]

RECIPE_VERSION = 1

#: Defaults of the recipe's sections, declared with their ranges in :mod:`lillegeo.params`.
DEFAULTS: dict[str, dict[str, Any]] = {sec: PARAM_DEFAULTS[sec] for sec in ("explore", "hotspots", "equity")}


def default_slides(lang: str = "en") -> list[dict[str, str]]:
    """The built-in sequence of council slides (no raw incident points, small cells withheld)."""
    return [
        {"layer": "explore", "title": t("slide.explore.title", lang), "caption": t("slide.explore.caption", lang)},
        {"layer": "hotspots", "title": t("slide.hotspots.title", lang), "caption": t("slide.hotspots.caption", lang)},
        {"layer": "clusters", "title": t("slide.clusters.title", lang), "caption": t("slide.clusters.caption", lang)},
        {"layer": "equity", "title": t("slide.equity.title", lang), "caption": t("slide.equity.caption", lang)},
    ]


def sha256_file(path: str | Path) -> tuple[str, int]:
    """SHA-256 (hex) and size in bytes of a file."""
    h = hashlib.sha256()
    p = Path(path)
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest(), p.stat().st_size


@dataclass
class Recipe:
    """An analysis, fully described.

    Attributes
    ----------
    sources : dict
        ``units``, ``table`` (optional), ``points`` (name -> source), ``overlay`` (optional); each a
        dict with ``path``, ``sha256``, ``size`` and reader options (``mapping``, ``crs``, ``planar``,
        ``key``, ``x``, ``y``).
    explore, hotspots, equity : dict
        Parameters (see :data:`DEFAULTS`).
    slides : list of dict
        Presentation views: ``layer`` (explore, hotspots, clusters, equity), ``title``, ``caption``.
    """

    title: str = "lillegeo analysis"
    language: str = "en"
    demo: bool = False
    sources: dict[str, Any] = field(default_factory=dict)
    explore: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS["explore"]))
    hotspots: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS["hotspots"]))
    equity: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS["equity"]))
    slides: list[dict[str, str]] = field(default_factory=list)
    base_dir: Path | None = None

    # -------------------------------------------------------------- (de)serialisation
    def to_toml(self) -> str:
        """The recipe as TOML text (keys sorted within sections, so that saving twice gives the same file)."""
        import tomli_w

        doc = {"recipe": {"version": RECIPE_VERSION, "title": self.title, "language": self.language,
                          "demo": self.demo},
               "sources": _clean(self.sources), "explore": _clean(self.explore), "hotspots": _clean(self.hotspots),
               "equity": _clean(self.equity), "slides": [_clean(s) for s in self.slides]}
        return tomli_w.dumps(doc)

    @classmethod
    def from_toml(cls, text: str, *, base_dir: str | Path | None = None) -> "Recipe":
        """Parse and validate a recipe; errors name the section and key.

        The text is screened first (size, nesting, key count: :func:`lillegeo.limits.check_toml`) so
        that a hostile recipe is refused at once instead of holding the server in ``tomllib``.
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
        if head.get("version") != RECIPE_VERSION:
            raise ValueError(f"recipe version {head.get('version')!r} is not supported (expected {RECIPE_VERSION})")
        srcs = doc.get("sources", {})
        if not isinstance(srcs, dict) or "units" not in srcs:
            raise ValueError("the recipe has no [sources.units]: the contour file is required")
        if not isinstance(srcs.get("points", {}), dict):
            raise ValueError("[sources.points] must be a table of named point layers")
        for name, src in _iter_sources(srcs):
            _check_source(name, src)
        title = head.get("title", "lillegeo analysis")
        if not isinstance(title, str) or len(title) > MAX_TEXT:
            raise ValueError(f"the recipe's title must be text of at most {MAX_TEXT} characters")
        r = cls(title=title, language=str(head.get("language", "en")),
                demo=bool(head.get("demo", False)), sources=srcs,
                base_dir=Path(base_dir) if base_dir is not None else None)
        for sec in ("explore", "hotspots", "equity"):
            setattr(r, sec, validate(sec, doc.get(sec, {})))
        r.slides = check_slides(doc.get("slides", []))
        if r.language not in ("en", "fr"):
            raise ValueError(f"language must be 'en' or 'fr'; got {r.language!r}")
        return r

    @classmethod
    def read(cls, path: str | Path) -> "Recipe":
        p = Path(path)
        if not p.exists():
            raise ValueError(f"recipe file not found: '{p}'")
        lim = limits()
        if p.stat().st_size > lim.recipe_kb * 1024:  # refused before reading it
            raise ValueError(f"the recipe is {p.stat().st_size / 1024:,.0f} KB, over the {lim.recipe_kb:,} KB limit "
                             f"({lim.env_name('recipe_kb')})")
        return cls.from_toml(p.read_text(encoding="utf-8"), base_dir=p.resolve().parent)

    @classmethod
    def for_demo(cls, **params) -> "Recipe":
        """A recipe on the shipped demo files, with their hashes."""
        def src(name: str, **opts):
            h, n = sha256_file(DEMO_DIR / name)
            return {"path": f"demo/{name}", "sha256": h, "size": n, **opts}

        r = cls(title=params.pop("title", "Demo metropolis (synthetic)"), demo=True, sources={
            "units": src("units.geojson"), "table": src("census.csv"),
            "points": {"incidents": src("incidents.csv"), "checks": src("checks.csv")},
            "overlay": src("qpv.geojson", mapping={"unit_id": "code_qp", "unit_name": "nom_qp"})})
        for k, v in params.items():
            setattr(r, k, v)
        return r

    def resolve(self, path: str) -> Path:
        if path.startswith("demo/"):
            return DEMO_DIR / path[len("demo/"):]
        p = Path(path)
        if not p.is_absolute() and self.base_dir is not None:
            p = self.base_dir / p
        return p


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


def _iter_sources(srcs: dict):
    for role in ("units", "table", "overlay"):
        if role in srcs:
            yield role, srcs[role]
    for name, s in srcs.get("points", {}).items():
        yield f"points.{name}", s


# ------------------------------------------------------------------ running

def load_sources(recipe: Recipe, *, allow_changed: bool = False):
    """Check every source's hash and size, then read them with the usual readers into a Dataset."""
    from . import io as plain
    from .io import worker
    from .dataset import build_dataset

    def read(kind: str, src: dict):
        """The shipped demo files are read in this process; any other file in the bounded worker."""
        shipped = recipe.resolve(src["path"]).resolve().parent == DEMO_DIR.resolve()
        return getattr(plain, f"read_{kind}") if shipped else getattr(worker, f"read_{kind}_bounded")

    for name, src in _iter_sources(recipe.sources):
        path = recipe.resolve(src["path"])
        if not path.exists():
            raise ValueError(f"source '{name}' not found at '{path}'; put the file there or edit the recipe's path")
        h, n = sha256_file(path)
        if (h, n) != (src["sha256"], int(src["size"])) and not allow_changed:
            raise ValueError(f"source '{name}' ({path.name}) has changed since the recipe was saved "
                             f"(sha256 {h[:12]}…, {n} bytes; recipe: {src['sha256'][:12]}…, {src['size']} bytes). "
                             "Use the original file, or --allow-changed-sources to run on the new one")
    s = recipe.sources
    u = s["units"]
    units, r1 = read("units", u)(recipe.resolve(u["path"]), mapping=u.get("mapping"), crs=u.get("crs"),
                                 planar=bool(u.get("planar", False)))
    reports = [r1]
    table = None
    if "table" in s:
        table, r2 = read("table", s["table"])(recipe.resolve(s["table"]["path"]), key=s["table"].get("key"))
        reports.append(r2)
    points = {}
    for name, p in s.get("points", {}).items():
        pts, rp = read("points", p)(recipe.resolve(p["path"]), x=p.get("x"), y=p.get("y"), crs=p.get("crs"),
                                    planar=bool(u.get("planar", False)))
        points[name] = pts
        reports.append(rp)
    overlay = None
    if "overlay" in s:
        o = s["overlay"]
        overlay, ro = read("units", o)(recipe.resolve(o["path"]), mapping=o.get("mapping"), crs=o.get("crs"))
        reports.append(ro)
    return build_dataset(units, name=recipe.title, table=table, points=points, overlay=overlay, reports=reports,
                         demo=recipe.demo)


def lock_info(recipe: Recipe | None = None) -> dict[str, Any]:
    """Versions of lillegeo, Python and the key libraries (and the sources' hashes)."""
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__

    libs = {}
    for lib in ("numpy", "pandas", "geopandas", "shapely", "pyproj", "pyogrio", "scikit-learn", "libpysal", "esda",
                "mapclassify", "statsmodels", "folium", "branca", "streamlit", "streamlit-folium", "matplotlib",
                "django-js-lib-leaflet"):
        try:
            libs[lib] = version(lib)
        except PackageNotFoundError:
            libs[lib] = None
    out = {"lillegeo": __version__, "python": sys.version.split()[0], "platform": platform.platform(),
           "libraries": libs}
    if recipe is not None:
        out["sources"] = {name: {"path": s["path"], "sha256": s["sha256"], "size": s["size"]}
                          for name, s in _iter_sources(recipe.sources)}
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
    from .analysis import analysis_outputs

    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "maps").mkdir(parents=True, exist_ok=True)
    ds = load_sources(recipe, allow_changed=allow_changed)
    res = analysis_outputs(ds, recipe, out)
    (out / "recipe.toml").write_text(recipe.to_toml(), encoding="utf-8")
    lock = lock_info(recipe)
    (out / "lillegeo.lock.json").write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    res["files"] = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    return res


def recipe_from_state(dataset_sources: dict | None, params: dict[str, dict], *, demo: bool, language: str,
                      title: str, slides: list[dict] | None = None) -> Recipe:
    """Build a recipe from the app's choices (the pages' parameters and the loaded sources)."""
    if demo:
        r = Recipe.for_demo(title=title)
    else:
        if not dataset_sources or "units" not in dataset_sources:
            raise ValueError("no sources recorded for the loaded data; load the files on the Data page first")
        r = Recipe(title=title, sources=copy.deepcopy(dataset_sources))
    r.language = language
    for sec in ("explore", "hotspots", "equity"):
        given = {k: v for k, v in params.get(sec, {}).items() if k in DEFAULTS[sec] and v is not None}
        setattr(r, sec, validate(sec, given))
    r.slides = check_slides(list(slides or default_slides(language)))
    return r


def params_frame(recipe: Recipe) -> pd.DataFrame:
    """Every parameter of the recipe as rows (section, key, value), for the report."""
    rows = [{"section": sec, "key": k, "value": json.dumps(v, ensure_ascii=False)}
            for sec in ("explore", "hotspots", "equity") for k, v in getattr(recipe, sec).items()]
    return pd.DataFrame(rows)
