"""Report tables readable (issue 14): every table of the HTML and PDF report reads as the pages' tables
do (:func:`lillegeo.tables.readable`): translated headers, ``p < 0.001``, yes/no, whole people, French
``1 234,5``; the benchmark model's coefficients under "Benchmark model"."""

from __future__ import annotations

import html as htmllib
import io
import re
import subprocess

import pandas as pd
import pytest

from lillegeo.document import report_html, report_pdf
from lillegeo.fmt import NNBSP
from lillegeo.i18n import t

#: machine names of the analysis tables' columns, and Python's spelling of flags: never in a report table
RAW = ("ci_low", "ci_high", "p_value", "excludes_1", "p_sim", "unit_id", "rate_ratio", "n_units", "hotspot_units",
       "crime_elasticity", "moran_i", "share_10pp", "log_crime_rate", "area_m2", "density_per_km2",
       "dominant_categories", "True", "False", "None", "nan")
#: a number printed with three zero decimals ("0.000", "0,000"), as a p-value or a tiny ratio used to read
ZERO = re.compile(r"(?<![\d.,])0[.,]000(?!\d)")


def _pdf_text(pdf: bytes) -> str:
    # pdftotext (poppler-utils) reads the PDF as a reader's viewer does: one word per drawn text
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def _tables(html: str) -> list[list[list[str]]]:
    """Every ``<table>`` of the HTML report as rows of cell texts (header row first)."""
    out = []
    for tb in re.findall(r"<table>(.*?)</table>", html, re.S):
        out.append([[htmllib.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
                    for r in re.findall(r"<tr>(.*?)</tr>", tb, re.S)])
    return out


@pytest.fixture(scope="module", params=["en", "fr"])
def report(request, demo):
    from lillegeo.outputs import report_sections
    from lillegeo.pipeline import run_analysis
    from lillegeo.recipe import Recipe

    lang = request.param
    r = Recipe.for_demo(language=lang).with_params("hotspots", permutations=99).with_params("equity", bootstrap=99)
    a = run_analysis(demo, r)
    sections = report_sections(demo, a, {})  # maps aside: the tables are what is tested
    html = report_html(sections, title="Report", lang=lang, demo=True)
    pdf = io.BytesIO()
    report_pdf(sections, pdf, title="Report", lang=lang, demo=True)
    return lang, a, sections, html, _pdf_text(pdf.getvalue())


def test_report_tables_carry_no_machine_names(report):
    lang, a, sections, html, pdf_text = report
    tables = _tables(html)
    assert len(tables) == sum(s.get("table") is not None for s in sections) >= 8
    cells = [c for tb in tables for row in tb for c in row]
    for raw in RAW:
        assert raw not in cells, raw
        if raw != "None":  # "correction: None" is English for no correction
            assert re.search(rf"(?<![\w=\"]){raw}(?![\w\"])", pdf_text) is None, raw  # the recipe is not in it
    assert not [c for c in cells if ZERO.search(c)]
    assert not ZERO.search(pdf_text)


def test_report_model_table_and_numbers(report):
    lang, a, sections, html, pdf_text = report
    tables = {s["heading"]: tb for s, tb in zip([s for s in sections if s.get("table") is not None], _tables(html))}
    model = tables[t("eq.model", lang)]
    # the coefficient table: one row per term of the fitted model, translated, with n
    assert model[0][:2] == [t("col.term", lang), t("col.coef", lang)] and t("col.n_units", lang) in model[0]
    assert [row[0] for row in model[1:]] == [t(f"col.{term}", lang) for term in a.equity.model.params.index]
    # p-values of 0 (as statsmodels gives 4e-23) read "< 0.001" in the reader's decimal
    p = model[0].index(t("col.p_value", lang))
    floor = "< 0,001" if lang == "fr" else "< 0.001"
    small = (a.equity.model.params["p_value"] < 0.001).tolist()
    assert any(small) and all(row[p] == floor for row, s in zip(model[1:], small) if s)
    # people rounded to whole persons: 89373.637 reads 89,374 / 89 374 (the exposure table's first row)
    exposure = tables[t("eq.exposure", lang)]
    people = exposure[0].index(t("col.people", lang))
    expected = round(float(a.equity.exposure.table["people"].iloc[0]))
    sep = NNBSP if lang == "fr" else ","
    assert exposure[1][people] == f"{expected:,}".replace(",", sep)
    # flags as words, never True/False
    flag = exposure[0].index(t("col.flag", lang))
    assert {row[flag] for row in exposure[1:]} <= {t("col.yes", lang), t("col.no", lang)}
    # the parameters are written for the reader: alpha 0.05 -> "0,05" in French, flags yes/no
    params = tables[t("report.params", lang)]
    assert params[0] == [t("column:section", lang), t("column:key", lang), t("col.value", lang)]
    alpha = next(row[2] for row in params[1:] if row[:2] == ["hotspots", "alpha"])
    assert alpha == f"{a.recipe.hotspots.alpha:g}".replace(".", "," if lang == "fr" else ".")
    assert {row[2] for row in params[1:] if row[1] == "exclude_ad"} <= {t("col.yes", lang), t("col.no", lang)}


def test_hotspot_report_table_lists_significant_units_only(report):
    lang, a, sections, html, pdf_text = report
    sec = next(s for s in sections if s.get("table") is not None and s["heading"] == t("hot.legend", lang))
    sig = a.hotspots.hotspots.significant.to_numpy()
    assert len(sec["table"]) == int(sig.sum()) == a.hotspots.n_significant
    assert not sec["table"]["withheld"].any()  # a withheld unit is never listed with a class


def test_report_table_cells_french_and_english():
    table = pd.DataFrame({"p_value": [4e-25, 0.01234], "people": [89373.637, 1234.5], "excludes_1": [True, False],
                          "ratio": [1234.5678, None]})
    fr = _tables(report_html([{"heading": "T", "table": table}], title="R", lang="fr"))[0]
    en = _tables(report_html([{"heading": "T", "table": table}], title="R", lang="en"))[0]
    # golden cells written by hand from the rules of lillegeo.fmt (p floor 0.001, people whole, 2 decimals)
    assert fr == [["p", "personnes", "l'intervalle exclut 1", "rapport"],
                  ["< 0,001", f"89{NNBSP}374", "oui", f"1{NNBSP}234,57"],
                  ["0,012", f"1{NNBSP}234", "non", "—"]]
    assert en == [["p", "people", "interval excludes 1", "ratio"],
                  ["< 0.001", "89,374", "yes", "1,234.57"], ["0.012", "1,234", "no", "—"]]
