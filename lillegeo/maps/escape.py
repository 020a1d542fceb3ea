"""Text that reaches a map: HTML escaping, JSON safe inside ``<script>``, numbers formatted for display."""

from __future__ import annotations

import html
import json
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["esc"]


def esc(value: Any) -> str:
    """HTML-escape any value for display (``None``/NaN become an empty string).

    Examples
    --------
    Braces become character references too: folium (branca) compiles every element's rendered
    script, data included, as a Jinja template, so a name such as ``{{ 7*7 }}`` in an uploaded
    file would be *evaluated on the server* (template injection) if it reached a map unescaped.

    >>> esc('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> esc('{{ 7*7 }}')
    '&#123;&#123; 7*7 &#125;&#125;'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def _script_json(obj) -> str:
    """JSON safe inside a ``<script>`` element (as Jinja's ``tojson``: ``<``, ``>``, ``&``, ``'`` as escapes)."""
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def _fmt(v: Any, digits: int = 1, lang: str = "en") -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)) or v is pd.NA:
        return ""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    s = f"{f:,.{digits}f}" if abs(f) < 1e15 else f"{f:.3g}"
    if lang == "fr":
        s = s.replace(",", "\u202f").replace(".", ",")
    return s
