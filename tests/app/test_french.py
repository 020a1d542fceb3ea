"""Switching to French changes every visible string on every page: no English string is left
outside data values (column names, unit names, codes)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from lillegeo.i18n import COLUMN_LABELS_FR, STRINGS
from lillegeo.recipe import Recipe

from ..conftest import ROOT
from .conftest import APP_TIMEOUT


def _english_fragments() -> set[str]:
    """Literal pieces of every English string that differs from its French version."""
    out = set()
    for entry in STRINGS.values():
        en, fr = entry["en"], entry.get("fr", "")
        if en == fr:
            continue
        for piece in re.split(r"\{[^}]*\}", en):
            piece = piece.strip(" .,:;()'-–")
            if len(piece) >= 10 and piece not in fr:
                out.add(piece)
    return out


def _visible_texts(at: AppTest) -> list[str]:
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        texts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("selectbox", "multiselect", "radio", "checkbox", "slider", "number_input", "text_input", "button",
                 "toggle"):
        texts += [str(e.label) for e in getattr(at, kind)]
    texts += [str(e.label) for e in at.get("download_button")]
    texts += [str(e.label) for e in at.metric]
    texts += [str(e.label) for e in at.tabs] + [str(e.label) for e in at.expander]
    for r in at.radio:  # options shown through format_func are the displayed labels
        texts += [str(o) for o in r.options]
    for d in at.dataframe:  # the readers' notes are text, not data values
        df = d.value
        if "notes" in getattr(df, "columns", []):
            texts += [str(v) for v in df["notes"]]
    return texts


@pytest.mark.parametrize("page", [None, "pages/1_Data.py", "pages/3_Hotspots.py", "pages/4_Equity.py",
                                  "pages/6_Present.py"])
def test_no_english_left_in_french(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.session_state["recipe"] = Recipe.for_demo(language="fr")
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    english = _english_fragments()
    left = sorted({frag for text in _visible_texts(at) for frag in english if frag in text.replace("\\", "")})
    assert left == [], f"English left on {page or 'the default page'}: {left}"
    english_headers = {k for k, v in COLUMN_LABELS_FR.items() if k != v} | {
        k.removeprefix("column:") for k, v in STRINGS.items() if k.startswith("column:") and v["fr"] != k[7:]}
    headers = {str(col) for d in at.dataframe for col in getattr(d.value, "columns", [])}
    assert headers & english_headers == set(), f"English table headers on {page}: {headers & english_headers}"
