"""Sentences built from parameters, in the reader's language: the method notes under map legends and
the names of spatial-weights specs. The page, the command line and the exports call the same
functions, so a legend reads the same everywhere."""

from __future__ import annotations

from .fmt import fmt_number
from .i18n import t

__all__ = ["fmt_g", "param_text", "weights_text", "hotspot_note", "clusters_note"]


def fmt_g(x, lang: str = "en") -> str:
    """A parameter as typed (``0.05``, ``1500``), with the decimal comma in French.

    Examples
    --------
    >>> fmt_g(0.05, "fr"), fmt_g(120.0, "fr"), fmt_g(0.001, "en"), fmt_g(1500, "fr")
    ('0,05', '120', '0.001', '1\\u202f500')
    """
    x = float(x)
    digits = 0
    while digits < 6 and abs(round(x, digits) - x) > 1e-12:
        digits += 1
    return fmt_number(x, lang, digits)


def param_text(value, lang: str = "en") -> str:
    """A parameter's value as a reader reads it: ``yes``/``oui`` for a flag, numbers as typed in the
    reader's language (``0,05``), lists joined with ``;`` in French, ``—`` when unset.

    Examples
    --------
    >>> param_text(True, "fr"), param_text(0.05, "fr"), param_text([0.5, 2.0], "fr"), param_text(None)
    ('oui', '0,05', '0,5 ; 2', '—')
    >>> param_text(120.0), param_text(("a", "b")), param_text("queen")
    ('120', 'a, b', 'queen')
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("col.yes" if value else "col.no", lang)
    if isinstance(value, (int, float)):
        return fmt_g(value, lang)
    if isinstance(value, (list, tuple)):
        return (" ; " if lang == "fr" else ", ").join(param_text(v, lang) for v in value)
    return str(value)


def weights_text(spec: str, lang: str = "en") -> str:
    """A weights spec (``queen``, ``rook``, ``knn:8``, ``distance:1000``) in words.

    Examples
    --------
    >>> weights_text("queen", "fr"), weights_text("knn:8", "en"), weights_text("distance:1500", "fr")
    ('contiguïté reine', '8 nearest neighbours', 'voisins à moins de 1\\u202f500 m')
    """
    kind, _, arg = str(spec).partition(":")
    if kind in ("queen", "rook") and not arg:
        return t(f"weights.{kind}", lang)
    if kind == "knn" and arg:
        return t("weights.knn", lang, k=arg)
    if kind == "distance" and arg:
        return t("weights.distance", lang, d=fmt_g(arg, lang))
    return str(spec)


def hotspot_note(params, label: str, lang: str = "en") -> str:
    """The note under a hot-spot legend: indicator, weights, permutations, seed, alpha, correction.

    Examples
    --------
    >>> from lillegeo.params import HotspotParams
    >>> hotspot_note(HotspotParams(), "incidents", "fr")
    'incidents ; contiguïté reine ; 999 permutations ; graine 0 ; alpha 0,05 ; correction Aucune'
    """
    return t("hot.note", lang, label=label, weights=weights_text(params.weights, lang),
             perm=fmt_number(params.permutations, lang, 0), seed=params.seed, alpha=fmt_g(params.alpha, lang),
             correction=t(f"hot.correction.{params.correction}", lang))


def clusters_note(params, lang: str = "en") -> str:
    """The note under a cluster legend: algorithm, radius and minimum size.

    Examples
    --------
    >>> from lillegeo.params import ClusterParams
    >>> clusters_note(ClusterParams(eps_m=120.5), "fr")
    'DBSCAN : rayon 120,5 m, au moins 60 incidents'
    """
    return t("hot.clusters_note", lang, algorithm=params.algorithm.upper(), eps=fmt_g(params.eps_m, lang),
             min=params.min_samples)
