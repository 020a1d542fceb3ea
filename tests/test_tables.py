"""Readable tables and numbers (lillegeo.fmt, lillegeo.tables): golden strings written by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lillegeo.fmt import NNBSP, fmt_auto, fmt_int, fmt_interval, fmt_number, fmt_p
from lillegeo.i18n import STRINGS, t
from lillegeo.tables import header, model_table, readable

# golden strings: English 1,234.5; French 1 234,5 with U+202F between thousands and a decimal comma
# (Imprimerie nationale, INSEE's publications); p-values under 0.001 read "p < 0.001"


@pytest.mark.parametrize("x, lang, digits, want", [
    (1234.5, "en", 1, "1,234.5"), (1234.5, "fr", 1, f"1{NNBSP}234,5"), (1234567.891, "en", 2, "1,234,567.89"),
    (1234567.891, "fr", 2, f"1{NNBSP}234{NNBSP}567,89"), (-0.04, "en", 1, "0.0"), (np.nan, "fr", 2, "—"),
    (None, "en", 2, "—"), (np.inf, "en", 2, "—"),
])
def test_fmt_number(x, lang, digits, want):
    assert fmt_number(x, lang, digits) == want


def test_fmt_people_whole_numbers():
    # 89373.637 residents (weighted sum of the demo's immigrant counts) rounds to 89,374
    assert fmt_int(89373.637) == "89,374"
    assert fmt_int(89373.637, "fr") == f"89{NNBSP}374"
    assert fmt_int(np.float64(682124.6019), "fr") == f"682{NNBSP}125"


@pytest.mark.parametrize("p, lang, bare, want", [
    (4e-25, "en", False, "p < 0.001"), (4e-25, "fr", False, "p < 0,001"), (0.0, "en", True, "< 0.001"),
    (0.0009999, "fr", True, "< 0,001"), (0.001, "en", False, "p = 0.001"), (0.01234, "en", False, "p = 0.012"),
    (0.01234, "fr", True, "0,012"), (0.5, "en", True, "0.500"), (np.nan, "en", False, "p = —"),
    (np.nan, "en", True, "—"),
])
def test_fmt_p(p, lang, bare, want):
    assert fmt_p(p, lang, bare=bare) == want


def test_no_long_zero_strings_or_p_equals_zero():
    for p in (4.143524e-23, 3.065166e-283, 0.0):
        for lang in ("en", "fr"):
            text = fmt_p(p, lang)
            assert "0000" not in text and "= 0.000" not in text and "= 0,000" not in text


def test_fmt_interval_and_auto():
    assert fmt_interval(1.7994, 2.4485) == "[1.80, 2.45]"
    assert fmt_interval(1.7994, 2.4485, "fr") == "[1,80 ; 2,45]"
    assert fmt_interval(None, 2.0) == "—" and fmt_interval(np.nan, np.nan, "fr") == "—"
    # exp(-9.0443) = 0.000118 (the demo model's intercept as a rate ratio): three significant digits
    assert fmt_auto(float(np.exp(-9.044313))) == "0.000118"
    assert fmt_auto(float(np.exp(-9.044313)), "fr") == "0,000118"
    assert fmt_auto(2.12487) == "2.12" and fmt_auto(16.608464, digits=1) == "16.6"


def test_headers_in_both_languages():
    assert (header("ci_low"), header("ci_low", "fr")) == ("95 % CI low", "IC 95 % bas")
    assert (header("ci_high"), header("ci_high", "fr")) == ("95 % CI high", "IC 95 % haut")
    assert header("share_10pp") == "group share (per 10 points)"
    assert header("share_10pp", "fr") == "part du groupe (par 10 points)"
    assert header("P21_POP_IMM", "fr") == "P21_POP_IMM"  # a data column keeps its name
    # every English header is readable: no machine name with an underscore among the translated ones
    for key in [k for k in STRINGS if k.startswith("col.")]:
        assert "_" not in t(key, "en") and "_" not in t(key, "fr"), key


def test_readable_exposure_table_as_on_the_demo():
    # the demo's exposure table (lillegeo.equity.exposure_ratio): the reference row has no interval
    table = pd.DataFrame({"group": ["P21_POP_IMM", "P21_POP - P21_POP_IMM"], "people": [89373.637, 682124.6019],
                          "units": [353, 353], "exposure": [16.608464, 7.816228], "ratio": [2.12487, 1.0],
                          "ci_low": [1.799451, np.nan], "ci_high": [2.44853, None], "flag": [True, False]})
    en = readable(table, "en")
    assert list(en.columns) == ["group", "people", "units", "exposure (checks per 1,000 residents)", "ratio", "95 % CI low",
                                "95 % CI high", "flagged"]
    assert en.iloc[0].tolist() == ["P21_POP_IMM", "89,374", "353", "16.6", "2.12", "1.80", "2.45", "yes"]
    assert en.iloc[1].tolist()[-3:] == ["—", "—", "no"]
    fr = readable(table, "fr")
    assert list(fr.columns)[:2] == ["groupe", "personnes"] and "IC 95 % bas" in fr.columns
    assert fr.iloc[0].tolist() == ["P21_POP_IMM", f"89{NNBSP}374", "353", "16,6", "2,12", "1,80", "2,45", "oui"]
    assert "None" not in fr.to_string() and "nan" not in fr.to_string()
    assert table["people"].iloc[0] == 89373.637  # the input is not changed


def test_model_table_has_n_and_reads_terms():
    params = pd.DataFrame({"coef": [-9.044313, 0.293803], "rate_ratio": [0.000118, 1.34152],
                           "ci_low": [0.0001, 1.265718], "ci_high": [0.000139, 1.421861],
                           "p_value": [0.0, 4.143524e-23]}, index=["const", "share_10pp"])
    table = model_table(SimpleNamespace(params=params, n_units=374))
    assert table.columns.tolist() == ["term", "coef", "rate_ratio", "ci_low", "ci_high", "p_value", "n_units"]
    assert table["n_units"].tolist() == [374, 374] and table["p_value"].iloc[1] == 4.143524e-23  # exact
    fr = readable(table, "fr")
    assert fr["terme"].tolist() == ["constante", "part du groupe (par 10 points)"]
    assert fr["p"].tolist() == ["< 0,001", "< 0,001"] and fr["unités utilisées (n)"].tolist() == ["374", "374"]
    en = readable(params, "en")  # the index of terms becomes a column
    assert en["term"].tolist() == ["intercept", "group share (per 10 points)"]


def test_readable_drops_row_numbers_and_withheld_counts_show_a_dash():
    ev = pd.DataFrame({"method": ["kde"], "n1": [np.nan], "N1": [24083], "hit_rate_1": [np.nan],
                       "pai_1": [13.127915], "rri": [0.9712]}, index=[3])
    out = readable(ev)
    assert out.index.tolist() == [0] and "term" not in out.columns
    assert out.iloc[0].tolist() == ["kde", "—", "24,083", "—", "13.1", "0.97"]


def test_dominant_categories_read_in_french():
    """The clusters table printed "vol 35%, other 33%" on the French page and report: the remainder is
    "autres" and percents take their space in French; English and the exports keep "other 33%"."""
    import pandas as pd

    from lillegeo.tables import readable

    df = pd.DataFrame({"dominant_categories": ["vol 35%, other 33%", "other 5%, other 60%"]})
    assert readable(df, "fr").iloc[:, 0].tolist() == ["vol 35\u00a0%, autres 33\u00a0%", "other 5\u00a0%, autres 60\u00a0%"]
    assert readable(df, "en").iloc[:, 0].tolist() == ["vol 35%, other 33%", "other 5%, other 60%"]
