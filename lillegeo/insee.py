"""INSEE census conventions: code columns, conventional denominators and readable field names.

INSEE's IRIS tables prefix every variable with the census year (``P21_CHOM1564``: unemployed aged
15-64, main exploitation of the 2021 census; ``C21_…``: complementary exploitation). A planner reads
unemployment as a **percentage of the labour force** (``CHOM1564 / ACT1564``), the share of
immigrants as a percentage of residents, and incidents per 1,000 residents. :func:`conventional_per`
picks that denominator among the columns a dataset has (the year prefix kept) and
:func:`rate_multiplier` says whether the rate is a percentage or per 1,000.

Columns holding codes (``REG``, ``DEP``, ``MODIF_IRIS``, ``LAB_IRIS``, ``TRIRIS``…) may look numeric
but are never indicators: :func:`is_code_column`.

Examples
--------
>>> conventional_per("P21_CHOM1564", ["P21_POP", "P21_ACT1564", "P21_CHOM1564"])
'P21_ACT1564'
>>> rate_multiplier("P21_CHOM1564", "P21_ACT1564"), rate_multiplier("incidents", "P21_POP")
(100.0, 1000.0)
>>> is_code_column("MODIF_IRIS"), is_code_column("P16_POP")
(True, False)
"""

from __future__ import annotations

import re
from typing import Iterable

from .i18n import STRINGS, t

__all__ = ["is_code_column", "split_year", "conventional_per", "rate_multiplier", "per_option", "field_label",
           "PERCENT"]

PERCENT = 100.0
PER_THOUSAND = 1000.0

# identifiers and codes of INSEE and IGN files, with the "_table" suffix a join gives a duplicate
_CODE = re.compile(
    r"^(REG|DEP|COM|ARR|CV|CANTON|EPCI|IRIS|INSEE_COM|CODE_IRIS|CODGEO|CODE_INSEE|CODE_COM|MODIF_IRIS|LAB_IRIS|"
    r"TRIRIS|GRD_QUART|TYP_IRIS|TYPE_IRIS|DCOMIRIS|DEPCOM|UU\d{4}|TUU\d{4}|TDUU\d{4}|AAV\d{4}|TAAV\d{4}|"
    r"ZE\d{4}|BV\d{4}|ANNEE|YEAR|AN|MILLESIME|ID|FID|OBJECTID|GID|OGC_FID|SIREN|SIREN_EPCI|UNNAMED: 0)"
    r"(_TABLE)?$", re.IGNORECASE)

_YEAR = re.compile(r"^([PC])(\d{2})_(.+)$")

#: numerator stem -> (denominator stem, multiplier). Percentages where INSEE and planners use them.
_FIXED = {
    "CHOM1564": ("ACT1564", PERCENT), "CHOM1524": ("ACT1524", PERCENT), "CHOM2554": ("ACT2554", PERCENT),
    "CHOM5564": ("ACT5564", PERCENT), "ACT1564": ("POP1564", PERCENT), "ACTOCC1564": ("POP1564", PERCENT),
    "ACT1524": ("POP1524", PERCENT), "ACT2554": ("POP2554", PERCENT), "ACT5564": ("POP5564", PERCENT),
    "POP_IMM": ("POP", PERCENT), "POP_ETR": ("POP", PERCENT), "POP_FR": ("POP", PERCENT),
    "POPH": ("POP", PERCENT), "POPF": ("POP", PERCENT),
    "PMEN": ("POP", PERCENT), "PHORMEN": ("POP", PERCENT),
    "RP": ("LOG", PERCENT), "RSECOCC": ("LOG", PERCENT), "LOGVAC": ("LOG", PERCENT), "MAISON": ("LOG", PERCENT),
    "APPART": ("LOG", PERCENT),
}
#: (pattern on the stem, denominator template, multiplier); \1 is the pattern's first group
_PATTERNS = (
    (re.compile(r"^SCOL(\d{4}|\d{2}P)$"), r"POP\1", PERCENT),
    (re.compile(r"^POP(\d{4}|\d{2}P)$"), "POP", PERCENT),
    (re.compile(r"^H(\d{4}|\d{2}P)$"), "POPH", PERCENT),
    (re.compile(r"^F(\d{4}|\d{2}P)$"), "POPF", PERCENT),
    (re.compile(r"^RP_\w+$"), "RP", PERCENT),
    (re.compile(r"^NSCOL15P_\w+$"), "NSCOL15P", PERCENT),
    (re.compile(r"^POP15P_\w+$"), "POP15P", PERCENT),
    (re.compile(r"^H15P_\w+$"), "H15P", PERCENT),
    (re.compile(r"^F15P_\w+$"), "F15P", PERCENT),
    (re.compile(r"^MEN_\w+$"), "MEN", PERCENT),
    (re.compile(r"^MENPSEUL$"), "MEN", PERCENT),
)


def is_code_column(name: str) -> bool:
    """True for identifier and code columns (``REG``, ``MODIF_IRIS``, ``UU2020``…), never offered as indicators.

    Examples
    --------
    >>> [c for c in ["REG", "DEP_table", "UU2010", "P16_POP", "incidents_2022"] if is_code_column(c)]
    ['REG', 'DEP_table', 'UU2010']
    """
    return bool(_CODE.match(str(name)))


def split_year(name: str) -> tuple[str, str]:
    """``("P21_", "CHOM1564")`` for ``P21_CHOM1564``; ``("", name)`` for a column without census prefix."""
    m = _YEAR.match(str(name))
    return (f"{m.group(1)}{m.group(2)}_", m.group(3)) if m else ("", str(name))


def _convention(stem: str) -> tuple[str, float] | None:
    if stem in _FIXED:
        return _FIXED[stem]
    for pattern, den, mult in _PATTERNS:
        if pattern.match(stem) and pattern.sub(den, stem) != stem:
            return pattern.sub(den, stem), mult
    return None


def _candidates(prefix: str, stem: str) -> list[str]:
    """The denominator's name in the numerator's exploitation first, then in the other one of the same year."""
    if not prefix:
        return [stem]
    other = ("C" if prefix[0] == "P" else "P") + prefix[1:]
    return [prefix + stem, other + stem]


def conventional_per(column: str, available: Iterable[str], population: str | None = None) -> str:
    """The conventional denominator of ``column`` among ``available`` ('' for raw values).

    An INSEE count takes its convention (``P21_CHOM1564`` -> ``P21_ACT1564``, ``P16_POP_IMM`` ->
    ``P16_POP``) when the dataset has it; any other count (incidents, checks, or an INSEE count
    whose conventional denominator is missing) takes ``population`` (per 1,000). Call it for counts
    only: a median or a rate (``DISP_MED21``) stays raw.

    Examples
    --------
    >>> conventional_per("P16_SCOL1824", ["P16_POP1824", "P16_POP"])
    'P16_POP1824'
    >>> conventional_per("incidents", ["P21_POP"], population="P21_POP")
    'P21_POP'
    >>> conventional_per("P21_POP", ["P21_POP"], population="P21_POP")
    ''
    """
    have = set(map(str, available))
    prefix, stem = split_year(column)
    conv = _convention(stem) if prefix else None
    if conv is not None:
        found = next((c for c in _candidates(prefix, conv[0]) if c in have and c != column), "")
        if found:
            return found
    return population if (population and population in have and population != column) else ""


def rate_multiplier(column: str, per: str | None) -> float:
    """100 when ``column / per`` is conventionally a percentage, else 1,000 (per 1,000).

    Examples
    --------
    >>> rate_multiplier("P21_POP_IMM", "P21_POP"), rate_multiplier("P21_POP_IMM", "P21_ACT1564")
    (100.0, 1000.0)
    """
    if not per:
        return PER_THOUSAND
    prefix, stem = split_year(column)
    conv = _convention(stem) if prefix else None
    if conv is not None and per in _candidates(prefix, conv[0]):
        return conv[1]
    return PER_THOUSAND


def per_option(column: str, per: str, lang: str = "en") -> str:
    """How a denominator choice reads in a picker: the column and the rate it gives.

    Examples
    --------
    >>> per_option("P21_CHOM1564", "P21_ACT1564"), per_option("incidents", "P21_POP", "fr")
    ('P21_ACT1564 (%)', 'P21_POP (pour 1\u202f000)')
    >>> per_option("incidents", "")
    '(raw values)'
    """
    if not per:
        return t("explore.raw", lang)
    mult = rate_multiplier(column, per)
    if mult == PERCENT:
        return f"{per} ({t('ind.unit_pct', lang)})"
    thousand = "1\u202f000" if lang == "fr" else "1,000"
    return f"{per} ({t('ind.unit', lang, mult=thousand)})"


# ------------------------------------------------------------------ readable names

_SUFFIX_YEAR = re.compile(r"^(DISP_MED|DISP_TP60|[a-z][a-z_]*?)_?(\d{2}|\d{4})$")
_AGE = re.compile(r"^(POP|H|F|SCOL|ACT|CHOM|ACTOCC|INACT|ETUD|RETR)(\d{2})(\d{2}|P)$")


def field_label(name: str, lang: str = "en") -> str:
    """A readable name for a column, the raw code in brackets when it is translated.

    Examples
    --------
    >>> field_label("P21_CHOM1564")
    'Unemployed aged 15 to 64, 2021 (P21_CHOM1564)'
    >>> field_label("P16_POP0014", "fr")
    'Population de 0 à 14 ans, 2016 (P16_POP0014)'
    >>> field_label("unit_name", "fr")
    "Nom de l'unité (unit_name)"
    >>> field_label("XYZ")
    'XYZ'
    """
    if f"field.{name}" in STRINGS:
        return f"{t('field.' + name, lang)} ({name})"
    prefix, stem = split_year(name)
    m = _SUFFIX_YEAR.match(str(name))
    if not prefix and m and f"field.{m.group(1)}" in STRINGS:  # Filosofi DISP_MED21, incidents_2022
        year = m.group(2) if len(m.group(2)) == 4 else f"20{m.group(2)}"
        return f"{t('field.' + m.group(1), lang)}, {year} ({name})"
    if f"field.{stem}" in STRINGS:
        label = t(f"field.{stem}", lang)
    else:
        m = _AGE.match(stem)
        if not m:
            return str(name)
        lo, hi = int(m.group(2)), m.group(3)
        ages = t("field.age_plus", lang, lo=lo) if hi == "P" else t("field.age_range", lang, lo=lo, hi=int(hi))
        label = f"{t('field.age.' + m.group(1), lang)} {ages}"
    year = f", 20{prefix[1:3]}" if prefix else ""
    return f"{label}{year} ({name})"
