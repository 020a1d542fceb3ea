"""The programme evaluation's refusals a user can meet, in the user's language.

A :class:`ProgrammeError` is a ``ValueError`` whose message is the English text (the command line, the logs
and the tests read it) and which keeps its string key and values, so that a page shows it in its language
(:func:`error_text`) without running the analysis again in each language.

>>> e = ProgrammeError("programme.err.both_buffers", buffer_m=300.0, buffer_rings=1)
>>> str(e)
'choose a buffer in metres (buffer_m = 300) or in rings of neighbouring units (buffer_rings = 1), not both'
>>> error_text(e, "fr")[:40]
'choisissez un anneau en mètres (buffer_m'
"""

from __future__ import annotations

from ..fmt import fmt_int, fmt_number
from ..i18n import t

__all__ = ["ProgrammeError", "error_text"]


def _values(kw: dict, lang: str) -> dict:
    """Numbers written as ``lang`` writes them (``48,600`` / ``48 600``; ``300`` not ``300.0``)."""
    out = {}
    for k, v in kw.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            out[k] = v
        elif isinstance(v, int) or float(v).is_integer():
            out[k] = fmt_int(int(v), lang)
        else:
            out[k] = fmt_number(float(v), lang, 2)
    return out


class ProgrammeError(ValueError):
    """A refusal in words: ``key`` in :data:`lillegeo.i18n.STRINGS` and its values ``kw``."""

    def __init__(self, key: str, **kw):
        self.key, self.kw = key, kw
        super().__init__(t(key, "en", **_values(kw, "en")))


def error_text(exc: BaseException, lang: str = "en") -> str:
    """The message of ``exc`` in ``lang`` (a :class:`ProgrammeError`; any other error as it is)."""
    if isinstance(exc, ProgrammeError):
        return t(exc.key, lang, **_values(exc.kw, lang))
    return str(exc)
