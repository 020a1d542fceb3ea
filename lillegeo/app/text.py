"""Language and safe text: translation in the session's language, Markdown escaping, server paths
scrubbed, one translated line instead of a traceback."""

from __future__ import annotations

import contextlib
import html
import logging
import re

import pandas as pd
import streamlit as st

from ..i18n import column_labels, t
from ..io.messages import reader_message
from ..tables import readable
from .state import lang

try:  # Streamlit's st.rerun / st.stop exceptions (BaseException subclasses today)
    from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException as _ScriptControl
except ImportError:  # pragma: no cover - other Streamlit versions
    _ScriptControl = None

__all__ = ["guarded", "lang", "md", "say", "say_error", "scrub", "shown", "table_view", "tr", "unescape"]

_LOG = logging.getLogger("lillegeo.app")


def tr(key: str, **kw) -> str:
    """Translate in the session's language."""
    return t(key, lang(), **kw)


def unescape(value: str) -> str:
    return html.unescape(value or "")


#: Characters Streamlit's Markdown acts on wherever they are: emphasis, code, links and images (``[``),
#: HTML and autolinks (``<``), strikethrough, maths (``$``). Escaped always; the rest only where they act.
_MD_ALWAYS = re.compile(r"([\\`*\[\]<>~$])")
#: An absolute server path (``/tmp/…/upload.shp``, ``/usr/…/site-packages/…``), not inside a URL.
_SERVER_PATH = re.compile(r"(?<![\w.:/~-])(?:/[^\s/'\"`,;:()\[\]<>]+)+/([^\s/'\"`,;:()\[\]<>]*)")


def md(text) -> str:
    """Escape Markdown so that data values (column names, file names, unit names, recipe titles)
    show literally in ``st.error`` / ``st.caption`` / ``st.markdown`` …: no image or link is made
    (so the browser fetches nothing), no maths, emphasis, heading or list; one line. Punctuation
    that does nothing in running text (quotes, parentheses, dots) is left alone, so messages read
    (and match) as written.

    >>> md("![a](http://127.0.0.1/x.png) $x$ *b* _c_ code_iris")
    '!\\\\[a\\\\](http\\\\://127.0.0.1/x.png) \\\\$x\\\\$ \\\\*b\\\\* \\\\_c\\\\_ code_iris'
    """
    s = re.sub(r"\s*[\r\n\v\f]+\s*", " ", str(text))
    s = _MD_ALWAYS.sub(r"\\\1", s)
    s = re.sub(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])", r"\\_", s)  # emphasis; code_iris stays as is
    s = re.sub(r"&(?=#?\w+;)", r"\\&", s)  # an entity
    s = re.sub(r"(?<=\w):(?=//)", r"\\:", s)  # an autolink (http://…)
    s = re.sub(r"(?i)\b(www)\.", r"\1\\.", s)  # an extended autolink (www.example.org)
    s = re.sub(r"^(\s*)([#>+=|-])", r"\1\\\2", s)  # a heading, quote, list or table at the start
    return re.sub(r"^(\s*\d+)([.)])", r"\1\\\2", s)  # a numbered list at the start


def scrub(text) -> str:
    """A message as a person may see it: absolute server paths reduced to the file name.

    >>> scrub("cannot read /tmp/lillegeo-x1/upload.shp: bad")
    'cannot read upload.shp: bad'
    """
    return _SERVER_PATH.sub(lambda m: m.group(1) or "…", str(text))


def say(kind: str, message, **kw) -> None:
    """Show a message (``error``, ``warning``, ``info``, ``success``, ``caption``) whose text comes
    from data or from an exception: on one line, Markdown escaped, without server paths."""
    if kind not in ("error", "warning", "info", "success", "caption"):
        raise ValueError(f"kind must be error, warning, info, success or caption; got {kind!r}")
    getattr(st, kind)(md(scrub(message)), **kw)


def say_error(message) -> None:
    """``st.error`` for a library error (``ValueError`` …) or any message holding data values: see :func:`say`.
    A reader's known error message is shown in the session's language (:func:`lillegeo.io.messages.reader_message`)."""
    say("error", reader_message(message, lang()))


@contextlib.contextmanager
def guarded(where: str):
    """Run a page (or the sidebar) so that an unexpected error shows one translated line: no
    traceback, no server path, no exception text in the browser. The traceback goes to the server
    log. Streamlit's own control flow (``st.rerun``, ``st.stop``, ``st.switch_page``) passes through."""
    try:
        yield
    except Exception as exc:
        if _ScriptControl is not None and isinstance(exc, _ScriptControl):  # pragma: no cover - BaseException
            raise
        _LOG.error("unexpected error in %s (%s)", where, type(exc).__name__, exc_info=True)
        st.error(tr("error.unexpected"))


def shown(df: pd.DataFrame) -> pd.DataFrame:
    """A table as the page shows it: technical headers in the session's language."""
    return column_labels(df, lang())


def table_view(df: pd.DataFrame) -> pd.DataFrame:
    """A result table as the Hotspots and Equity pages show it (:func:`lillegeo.tables.readable`):
    headers and numbers in the session's language, ``p < 0.001``, whole people, ``—`` for a
    missing bound. Display only: downloads keep the table itself."""
    return readable(df, lang())
