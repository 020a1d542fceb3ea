"""Leaflet served locally, never from a CDN: copied to Streamlit's static folder for the app
(:func:`install_static_assets`), inlined in exported files (:func:`to_offline_html`)."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import folium
from branca.element import Element

__all__ = ["STATIC_URL", "install_static_assets", "leaflet_dir", "to_offline_html"]

#: URL under which Streamlit serves ``static/`` when ``server.enableStaticServing`` is on.
STATIC_URL = "/app/static/vendor/leaflet"


def leaflet_dir() -> Path:
    """Folder of Leaflet 1.9.4 (js, css, images) from the ``django-js-lib-leaflet`` wheel."""
    import js_lib_leaflet

    d = Path(js_lib_leaflet.__file__).resolve().parent / "static" / "js_lib_leaflet"
    if not (d / "leaflet.js").exists():  # pragma: no cover - broken install
        raise RuntimeError(f"Leaflet assets not found in {d}; reinstall django-js-lib-leaflet")
    return d


def install_static_assets(static_dir: str | Path) -> Path:
    """Copy Leaflet into ``static_dir/vendor/leaflet`` so that Streamlit serves it (idempotent).

    Returns
    -------
    Path
        The folder written.
    """
    src = leaflet_dir()
    dst = Path(static_dir) / "vendor" / "leaflet"
    marker = dst / "leaflet.js"
    if marker.exists() and marker.stat().st_size == (src / "leaflet.js").stat().st_size:
        return dst
    dst.mkdir(parents=True, exist_ok=True)
    for f in ("leaflet.js", "leaflet.css"):
        shutil.copy2(src / f, dst / f)
    shutil.copytree(src / "images", dst / "images", dirs_exist_ok=True)
    return dst


def _walk(el):
    yield el
    for child in getattr(el, "_children", {}).values():
        yield from _walk(child)


def _use_local_assets(m: folium.Map, base_url: str | None) -> None:
    """Point every element's JS/CSS at local Leaflet (``base_url``) or none (inlined later)."""
    for el in _walk(m):
        if hasattr(el, "default_js"):
            el.default_js = [("leaflet", f"{base_url}/leaflet.js")] if (el is m and base_url) else []
        if hasattr(el, "default_css"):
            el.default_css = [("leaflet_css", f"{base_url}/leaflet.css")] if (el is m and base_url) else []


def _inline_css(css: str, base: Path) -> str:
    def repl(mo):
        rel = mo.group(1).strip("'\"")
        p = base / rel
        if rel.startswith("data:") or not p.exists():
            return mo.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()})"

    return re.sub(r"url\(([^)]+)\)", repl, css)


def to_offline_html(m: folium.Map, path: str | Path | None = None) -> str:
    """Render a map as one self-contained HTML file (Leaflet inlined, no network needed).

    Parameters
    ----------
    m : folium.Map
        A map built with ``assets="inline"`` (or ``"app"``; its links are replaced).
    path : path, optional
        Where to write the file.

    Returns
    -------
    str
        The HTML.
    """
    _use_local_assets(m, None)
    d = leaflet_dir()
    css = _inline_css((d / "leaflet.css").read_text(encoding="utf-8"), d)
    js = (d / "leaflet.js").read_text(encoding="utf-8")
    root = m.get_root()
    key = "lillegeo_inline_assets"
    if key not in root.header._children:
        root.header.add_child(Element(f"<style>{css}</style>\n<script>{js}</script>"), name=key, index=0)
    out = root.render()
    if re.search(r"<(script|link)[^>]+(src|href)=\"https?://", out):
        raise RuntimeError("offline map still references a remote asset")  # pragma: no cover - guarded by tests
    if path is not None:
        Path(path).write_text(out, encoding="utf-8")
    return out
