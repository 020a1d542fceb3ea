"""User-defined class breaks typed as text, read the way the reader writes numbers.

French: decimal comma, breaks separated by ``;`` (``72,5 ; 100 ; 150``); a decimal point is read too.
English: decimal point, breaks separated by ``,`` or ``;`` (one of them, not both). Spaces (and the
French thousands spaces) inside a number are ignored. Anything that could be read two ways is refused
with a message in the reader's language, never guessed: ``72,5, 100`` in French could be 72.5 and 100
or 72, 5 and 100.
"""

from __future__ import annotations

import re

from .i18n import t

__all__ = ["parse_breaks", "format_breaks"]

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_NUMBER = {"fr": re.compile(r"^[-+]?\d+(?:[.,]\d+)?$"), "en": re.compile(r"^[-+]?\d+(?:\.\d+)?$")}


def _number(token: str, lang: str) -> float:
    bare = _SPACES.sub("", token).replace("\u2212", "-")
    if not _NUMBER[lang].match(bare):
        raise ValueError(t("breaks.bad_number", lang, token=token.strip()))
    return float(bare.replace(",", "."))


def parse_breaks(text: str, lang: str = "en") -> tuple[float, ...]:
    """Class upper bounds from what a person typed; ``()`` for empty text.

    Raises ``ValueError`` (in ``lang``) for a value that is not a number, an ambiguous separator,
    or breaks that do not increase.

    Examples
    --------
    >>> parse_breaks("72,5; 100; 150", "fr"), parse_breaks("72.5, 100, 150", "en")
    ((72.5, 100.0, 150.0), (72.5, 100.0, 150.0))
    >>> parse_breaks("1 234,5 ; 2 000", "fr"), parse_breaks("", "fr")
    ((1234.5, 2000.0), ())
    """
    lang = "fr" if lang == "fr" else "en"
    text = str(text or "").strip().rstrip(";").strip()
    if not text:
        return ()
    if lang == "fr":
        tokens = text.split(";")
        for tok in tokens:
            if tok.count(",") > 1 or ("," in tok and "." in tok):
                raise ValueError(t("breaks.ambiguous_fr", lang, token=tok.strip()))
            if "," in tok and _SPACES.search(tok.split(",", 1)[1][:1] or "x"):
                raise ValueError(t("breaks.ambiguous_fr", lang, token=tok.strip()))  # "72, 5": a list?
    else:
        if "," in text and ";" in text:
            raise ValueError(t("breaks.mixed_en", lang, text=text))
        tokens = text.split(";" if ";" in text else ",")
    if any(not tok.strip() for tok in tokens):
        raise ValueError(t("breaks.empty", lang, text=text))
    values = tuple(_number(tok, lang) for tok in tokens)
    for a, b in zip(values, values[1:]):
        if not b > a:
            raise ValueError(t("breaks.not_increasing", lang, a=format_breaks([a], lang), b=format_breaks([b], lang)))
    return values


def format_breaks(breaks, lang: str = "en") -> str:
    """Breaks as the person would type them back: ``72,5 ; 100`` in French, ``72.5, 100`` in English.

    Examples
    --------
    >>> format_breaks((72.5, 100.0), "fr"), format_breaks((72.5, 1000.0), "en")
    ('72,5 ; 100', '72.5, 1000')
    """
    if lang == "fr":
        return " ; ".join(f"{float(x):g}".replace(".", ",") for x in breaks)
    return ", ".join(f"{float(x):g}" for x in breaks)
