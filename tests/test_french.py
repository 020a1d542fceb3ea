"""French complete (issue 14): class breaks typed the French way, metric scale bars, notes, legends,
static maps, report tables and readers' errors in French, numbers written 1 234,5."""

from __future__ import annotations

import json
import re

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import lillegeo as lg
from lillegeo.breaks import format_breaks, parse_breaks
from lillegeo.fmt import NNBSP, fmt_cell
from lillegeo.i18n import t
from lillegeo.io.messages import reader_message
from lillegeo.maps import categorical_map, classify
from lillegeo.params import ClusterParams, HotspotParams
from lillegeo.report import categorical_static_map, indicator_static_map, report_html
from lillegeo.wording import clusters_note, fmt_g, hotspot_note, weights_text


def _controls(html: str) -> str:
    """The text of the map's legend, title and badge controls (their HTML is a JSON string in the page)."""
    return "\n".join(json.loads(m) for m in re.findall(r'innerHTML = ("(?:[^"\\]|\\.)*");', html))


#: English words that must not appear anywhere a French reader looks
ENGLISH = ("Withheld", "Select all", "Choose options", "Synthetic demo data", " miles", " mi", " ft",
           "unit(s)", "left out", "zero denominator", "seed", "perm.")


# ------------------------------------------------------------------ user breaks

@pytest.mark.parametrize("text, lang, expected", [
    # the example: "72,5; 100; 150" is three breaks in French, never 72, 5, 100, 150
    ("72,5; 100; 150", "fr", (72.5, 100.0, 150.0)),
    ("72,5 ; 100 ; 150 ;", "fr", (72.5, 100.0, 150.0)),
    (f"1{NNBSP}234,5 ; 2 000", "fr", (1234.5, 2000.0)),  # thousands spaces, narrow or not
    ("72.5; 100", "fr", (72.5, 100.0)),  # a decimal point is not ambiguous in French either
    ("-3,5; 0; 2", "fr", (-3.5, 0.0, 2.0)),
    ("72.5, 100, 150", "en", (72.5, 100.0, 150.0)),
    ("72.5; 100; 150", "en", (72.5, 100.0, 150.0)),
    ("10", "en", (10.0,)),
    ("", "fr", ()),
    ("  ", "en", ()),
])
def test_breaks_parse_as_the_reader_writes_them(text, lang, expected):
    assert parse_breaks(text, lang) == expected


@pytest.mark.parametrize("text, lang, match", [
    ("72,5, 100", "fr", "peut se lire de deux façons"),  # 72.5 and 100, or 72, 5 and 100?
    ("10, 20, 50", "fr", "séparez les seuils par « ; »"),
    ("72, 5; 100", "fr", "deux façons"),
    ("1.5,2; 3", "fr", "deux façons"),
    ("10, 20; 30", "en", "mixes ',' and ';'"),
    ("150; 100", "fr", "croissants : 100 vient après 150"),
    ("100, 100", "en", "must increase: 100 comes after 100"),
    ("72,5", "en", "must increase: 5 comes after 72"),  # an English reader's comma separates breaks
    ("abc; 2", "fr", "« abc » n'est pas un nombre"),
    ("1e3, 2", "en", "'1e3' is not a number"),
    ("10;;20", "fr", "seuil vide"),
])
def test_breaks_refuse_what_could_be_read_two_ways(text, lang, match):
    with pytest.raises(ValueError, match=match):
        parse_breaks(text, lang)


def test_breaks_round_trip_and_classes_keep_the_decimal(demo):
    for lang in ("fr", "en"):
        b = (72.5, 100.0, 1234.25)
        assert parse_breaks(format_breaks(b, lang), lang) == b
    assert format_breaks((72.5, 100.0), "fr") == "72,5 ; 100"
    # classes from the French text: upper bounds 72.5, 100, 150 and the max (mapclassify UserDefined adds it)
    ind = lg.compute_indicator(demo.units, "incidents", per="P21_POP", exclude_types=("A", "D"))
    vals = ind.values.dropna()
    c = classify(vals, "user", breaks=list(parse_breaks("72,5; 100; 150", "fr")))
    assert list(c.bins[:3]) == [72.5, 100.0, 150.0]
    html = lg.choropleth_map(demo.units, ind, scheme="user", breaks=list(parse_breaks("72,5; 100; 150", "fr")),
                             lang="fr").get_root().render()
    legend = _controls(html)
    assert "72,5 – 100,0" in legend  # 72.5 kept as typed, not rounded to 73
    assert "36 – 5" not in legend and "– 73" not in legend


# ------------------------------------------------------------------ maps: scale, legends, notes

def test_scale_bar_is_metric_only(demo):
    ind = lg.compute_indicator(demo.units, "incidents")
    html = lg.to_offline_html(lg.choropleth_map(demo.units, ind, lang="fr", assets="inline"))
    assert "L.control.scale({metric: true, imperial: false})" in html
    assert "L.control.scale()" not in html  # folium's default adds miles and feet


def test_indicator_notes_and_legend_in_french(demo):
    units = demo.units.copy()
    units.loc[units.index[:3], "P21_POP"] = 0  # three zero denominators
    n_ad = int(units["unit_type"].isin(["A", "D"]).sum())
    ind = lg.compute_indicator(units, "incidents", per="P21_POP", exclude_types=("A", "D"), lang="fr")
    notes = " ".join(ind.notes)
    assert "3 unité(s) au dénominateur nul n'ont pas de taux" in notes
    # the A/D units left out are a group of the partition (caption and legend), not a note
    assert ind.partition["left_out"] == n_ad - int(ind.withheld[units["unit_type"].isin(["A", "D"])].sum())
    ind_en = lg.compute_indicator(units, "incidents", per="P21_POP", exclude_types=("A", "D"))
    assert any("3 unit(s) with a zero denominator" in n for n in ind_en.notes)
    legend = _controls(lg.choropleth_map(units, ind, lang="fr", demo=True).get_root().render())
    assert "Classes : Quantiles" in legend and "Masqué (moins de 11)" in legend
    assert "Données de démonstration synthétiques" in legend
    for word in ENGLISH:
        assert word not in legend + notes, word


def test_legend_counts_have_french_thousands(demo):
    units = pd.concat([demo.units] * 3, ignore_index=True)  # 3 x 374 = 1,122 units in one class
    legend = _controls(categorical_map(units, pd.Series("A", index=units.index), {"A": "#ff0000"},
                                       legend_title="T", lang="fr").get_root().render())
    assert f">{len(units) // 1000}{NNBSP}{len(units) % 1000:03d}<" in legend


def test_method_notes_read_in_french():
    # hot.note with the defaults: queen contiguity, 999 permutations, seed 0, alpha 0.05, no correction
    assert hotspot_note(HotspotParams(), "incidents", "fr") == (
        "incidents ; contiguïté reine ; 999 permutations ; graine 0 ; alpha 0,05 ; correction Aucune")
    assert hotspot_note(HotspotParams(permutations=9999, alpha=0.01, weights="knn:8"), "x", "fr") == (
        f"x ; 8 plus proches voisins ; 9{NNBSP}999 permutations ; graine 0 ; alpha 0,01 ; correction Aucune")
    assert clusters_note(ClusterParams(eps_m=120.5, min_samples=12), "fr") == "DBSCAN : rayon 120,5 m, au moins 12 incidents"
    assert weights_text("distance:1500", "fr") == f"voisins à moins de 1{NNBSP}500 m"
    assert weights_text("rook", "en") == "rook contiguity"
    assert fmt_g(0.001, "fr") == "0,001" and fmt_g(0.05, "en") == "0.05"
    assert "Formules" in t("hot.formulas_line", "fr", formulas=t("hot.eval_formulas", "fr"))
    assert "taux de capture = n / N" in t("hot.eval_formulas", "fr")


# ------------------------------------------------------------------ static maps and report

@pytest.fixture()
def figure_texts(monkeypatch):
    """Every text drawn on the static maps' figures (read just before the figure is closed)."""
    seen: list[str] = []
    real_close = plt.close

    def close(fig=None):
        if isinstance(fig, matplotlib.figure.Figure):
            seen.extend(x.get_text() for x in fig.findobj(matplotlib.text.Text))
        return real_close(fig)

    monkeypatch.setattr(plt, "close", close)
    return seen


def test_static_map_legends_in_french(demo, figure_texts):
    ind = lg.compute_indicator(demo.units, "incidents", per="P21_POP", exclude_types=("A", "D"), lang="fr")
    indicator_static_map(demo.units, ind, caption="Sources : démo", demo=True, lang="fr")
    labels = demo.units["unit_type"].map({"H": "Point chaud 99 %"}).fillna("Non significatif")
    categorical_static_map(demo.units, labels, {"Point chaud 99 %": "#b2182b", "Non significatif": "#f7f7f7"},
                           title="Points chauds", demo=True, lang="fr")
    text = "\n".join(figure_texts)
    assert "Masqué (moins de 11)" in text
    assert text.count("Données de démonstration synthétiques") == 2
    assert "Écarté : IRIS d'activité/divers (peu d'habitants)" in text
    assert any(x.endswith(" km") for x in figure_texts)  # the scale bar, in kilometres
    # class bounds with a decimal comma: the first class starts at the smallest rate
    lo = float(ind.values.min())
    assert any(x.startswith(f"{lo:.1f}".replace(".", ",") + " – ") for x in figure_texts)
    for word in ENGLISH:
        assert word not in text, word


def test_report_tables_have_french_headers_and_numbers():
    table = pd.DataFrame({"unit_id": ["593500101"], "value": [1234.5678], "ratio": [1.5], "people": [89373.0],
                          "key": ["alpha"]})
    html = report_html([{"heading": "Tableau", "table": table}], title="Rapport", lang="fr", demo=True)
    html = re.sub(r"<(t[hd])[^>]*>", r"<\1>", html)  # attributes (scope, class) aside
    for head in ("code", "valeur", "rapport", "personnes", "paramètre"):
        assert f"<th>{head}</th>" in html
    # lillegeo.tables.readable: statistics with two decimals, people whole
    assert f"<td>1{NNBSP}234,57</td>" in html and f"<td>89{NNBSP}373</td>" in html and "<td>1,50</td>" in html
    assert "Données de démonstration synthétiques" in html
    assert "<th>value</th>" not in html and "<th>key</th>" not in html
    html_en = re.sub(r"<(t[hd])[^>]*>", r"<\1>", report_html([{"heading": "Table", "table": table}], title="Report",
                                                           lang="en"))
    assert "<th>value</th>" in html_en and "<td>1,234.57</td>" in html_en


def test_fmt_cell():
    assert fmt_cell(374.0, "fr") == "374" and fmt_cell(58.5578, "fr") == "58,558"
    assert fmt_cell(None) == "—" and fmt_cell(pd.NA) == "—" and fmt_cell("queen") == "queen"


# ------------------------------------------------------------------ readers' errors

@pytest.mark.parametrize("reader, data, name, french", [
    ("read_table", b"a;b\n", "t.csv", "« t.csv » a des noms de colonnes mais aucune ligne"),
    ("read_table", b"", "e.csv", "le fichier est vide (0 octet)"),
    ("read_table", b"abc\n1\n2\n", "s.csv", "« s.csv » n'a qu'une colonne avec le séparateur « , »"),
    ("read_points", b"foo;bar\n1;2\n", "p.csv", "aucune colonne de coordonnées trouvée dans « p.csv » ; les colonnes sont : foo, bar."),
    ("read_units", b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},'
                   b'"geometry":{"type":"Point","coordinates":[3,50]}}]}', "u.geojson",
     "« u.geojson » contient des géométries Point ; les unités doivent être des polygones"),
    ("read_units", b"PK\x05\x06" + b"\0" * 18, "x.zip", "« x.zip » n'est pas un format de contours ou de points"),
])
def test_reader_errors_are_shown_in_french(reader, data, name, french):
    with pytest.raises(ValueError) as err:
        getattr(lg, reader)(data, name=name)
    assert french in reader_message(str(err.value), "fr")
    assert reader_message(str(err.value), "en") == str(err.value)


# ------------------------------------------------------------------ a whole French analysis: static maps and report

@pytest.fixture(scope="module")
def french_analysis(demo):
    from lillegeo.pipeline import run_analysis
    from lillegeo.recipe import Recipe

    r = Recipe.for_demo(language="fr").with_params("hotspots", permutations=99).with_params("equity", bootstrap=99)
    return run_analysis(demo, r)


def test_static_maps_and_report_of_a_french_run(demo, french_analysis, figure_texts, tmp_path):
    from lillegeo.outputs import report_sections, static_maps
    from lillegeo.report import report_pdf

    images = static_maps(demo, french_analysis)
    assert set(images) >= {"explore", "hotspots", "clusters", "equity"}
    drawn = "\n".join(figure_texts)
    assert drawn.count("Données de démonstration synthétiques") == len(images)  # one mark per map
    assert "Masqué (moins de 11)" in drawn and "Point chaud 99 %" in drawn
    for word in ENGLISH + ("Hot spot", "Not significant", "No data"):
        assert word not in drawn, word
    sections = report_sections(demo, french_analysis, images)
    html = report_html(sections, title="Rapport", lang="fr", demo=True)
    heads = set(re.findall(r"<th[^>]*>([^<]*)</th>", html))
    # the loaded-files table, the hot-spot table and the recipe's parameters, with French headers
    assert {"fichier", "nature", "lignes", "code", "valeur", "statistique", "classe", "section", "paramètre"} <= heads
    assert heads.isdisjoint({"file", "kind", "rows", "value", "label", "key", "unit_id", "statistic"}), heads
    assert "contiguïté reine" in html and "Withheld" not in html and "Synthetic demo data" not in html
    figure_texts.clear()
    report_pdf(sections, tmp_path / "r.pdf", title="Rapport", lang="fr", demo=True)
    pdf_text = "\n".join(figure_texts)
    # tables are ruled in the PDF, one text per cell: the French headers are cells, the English ones are not
    assert {"fichier", "nature", "lignes", "section", "paramètre", "valeur"} <= set(figure_texts), figure_texts[:40]
    assert "Synthetic demo data" not in pdf_text and not {"file", "kind", "rows"} & set(figure_texts)


# ------------------------------------------------------------------ leftovers (rest of issue 14)

def test_equity_method_names_and_model_note_in_french(french_analysis):
    q = french_analysis.equity
    methods = " ".join(q.representation["method"])
    assert "alpha 0,05" in methods and "alpha 0.05" not in methods  # the recipe's alpha, written 0,05
    assert "r = 120 m" in methods
    # the benchmark model's method note (shown under the model table and the residual legend)
    assert q.model.model.startswith("binomiale négative (NB2, initialisée par Poisson")
    for word in ("negative binomial", "started from", "robust (HC0)"):
        assert word not in q.model.model and word not in " ".join(q.robustness["variant"]), word
    findings = " ".join(f["text"] for f in q.findings)
    assert "alpha 0.05" not in findings


def test_band_choices_and_chart_locale():
    from lillegeo.choices import band_choices
    from lillegeo.equity.chart import sensitivity_chart
    from lillegeo.fmt import fmt_number

    choices = band_choices((0.8, 1.25))
    assert 0.8 in choices and 1.25 in choices and choices == sorted(choices)
    # the select slider shows its options through fmt_number: 0,80 and 1,25 in French
    assert [fmt_number(v, "fr", 2) for v in (0.8, 1.25)] == ["0,80", "1,25"]
    curve = pd.DataFrame({"gradient_pct": [0.0, 5.0], "rate_ratio": [1.3, 1.1], "ci_low": [1.2, 1.0],
                          "ci_high": [1.4, 1.2]})
    fr = sensitivity_chart(curve, "fr").to_dict()
    assert fr["config"]["locale"]["number"]["decimal"] == "," and fr["config"]["locale"]["number"]["thousands"] == NNBSP
    assert "locale" not in sensitivity_chart(curve, "en").to_dict().get("config", {})


def _gpkg_without_contents(tmp_path) -> bytes:
    import sqlite3

    path = tmp_path / "plain.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (a INTEGER)")
    con.commit()
    con.close()
    return path.read_bytes()


@pytest.mark.parametrize("case, french", [
    ("gpkg", "« x.gpkg » n'est pas un GeoPackage valide"),
    ("truncated", "« t.geojson » n'a pas pu être lu comme GeoJSON : aucun membre « type » de premier niveau"),
    ("utf16", "n'est pas un texte UTF-16 valide ; enregistrez-le en CSV UTF-8"),
])
def test_more_reader_errors_are_shown_in_french(case, french, tmp_path):
    reader, data, name = {
        "gpkg": ("read_units", _gpkg_without_contents(tmp_path), "x.gpkg"),
        "truncated": ("read_units", b'{"features": [{"properties": {"a": [1, 2', "t.geojson"),
        "utf16": ("read_table", b"\xff\xfea\x00;\x00b\x00\n\x00\x00\xd8", "u.csv"),
    }[case]
    with pytest.raises(ValueError) as err:
        getattr(lg, reader)(data, name=name)
    shown = reader_message(str(err.value), "fr")
    assert french in shown, (str(err.value), shown)
    for word in ("refused", "could not", "is not", "holds", "the file"):
        assert word not in shown, shown


def test_reader_limits_read_with_french_thousands():
    shown = reader_message("'a.csv' has 2,000,001 lines, over the limit of 2,000,000 rows; refused. Keep only your "
                           "area or period and load that file", "fr")
    assert shown.startswith(f"« a.csv » a 2{NNBSP}000{NNBSP}001 lignes, au-delà de la limite de 2{NNBSP}000{NNBSP}000")
