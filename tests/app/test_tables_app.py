"""AppTest: every table of the Equity and Hotspots pages is readable (French numbers, p < 0,001,
translated headers) and downloadable as CSV and XLSX with exact values and machine names; the
Evaluation tab hides a result computed for other parameters."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from lillegeo.fmt import NNBSP
from lillegeo.recipe import Recipe

from ..conftest import ROOT
from .conftest import APP_TIMEOUT

#: file name of each table's download -> a machine column it must keep (intervals and n included)
EQUITY_TABLES = {"equity_exposure": ["people", "ci_low", "ci_high", "units"],
                 "equity_model": ["term", "rate_ratio", "ci_low", "ci_high", "p_value", "n_units"],
                 "equity_robustness": ["rate_ratio", "ci_low", "ci_high", "p_value", "n_units"],
                 "equity_representation": ["ratio", "ci_low", "ci_high", "hotspot_units", "units"]}


@pytest.fixture()
def downloads(monkeypatch):
    """Every download button's (file name, data), data computed as a click would; the demo's files carry
    the synthetic-data prefix, checked here and left out of the names the tests look up."""
    seen: dict[str, bytes] = {}
    orig = DeltaGenerator.download_button

    def spy(self, label, data, file_name=None, *a, **kw):
        name = file_name or ""
        assert name.startswith("synthetic_demo_"), name  # every page runs on the demo here
        seen[name.removeprefix("synthetic_demo_")] = data
        return orig(self, label, data, file_name, *a, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    return seen


def _page(page: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.session_state["recipe"] = Recipe.for_demo(language=lang)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_equity_tables_downloadable_and_readable_in_french(downloads):
    at = _page("pages/4_Equity.py", "fr")
    for name, columns in EQUITY_TABLES.items():
        assert f"{name}.csv" in downloads and f"{name}.xlsx" in downloads, (name, sorted(downloads))
        data = downloads[f"{name}.csv"]
        csv = pd.read_csv(io.BytesIO(data() if callable(data) else data))
        assert set(columns) <= set(csv.columns), (name, list(csv.columns))  # machine names, intervals and n
        data = downloads[f"{name}.xlsx"]
        xlsx = pd.read_excel(io.BytesIO(data() if callable(data) else data))
        assert list(xlsx.columns) == list(csv.columns) and len(xlsx) == len(csv)
    model = pd.read_csv(io.BytesIO(downloads["equity_model.csv"]()))
    assert model["p_value"].min() < 1e-10  # exact values in the export, not "< 0.001"
    assert (model["n_units"] == model["n_units"].iloc[0]).all() and model["n_units"].iloc[0] > 300
    exposure = pd.read_csv(io.BytesIO(downloads["equity_exposure.csv"]()))
    assert exposure["people"].iloc[0] != round(exposure["people"].iloc[0])  # exact, not rounded
    # the page: French numbers and headers, p < 0,001 in the findings and the tables
    tables = [d.value for d in at.dataframe]
    headers = {str(c) for df in tables for c in df.columns}
    assert {"IC 95 % bas", "IC 95 % haut", "personnes", "unités utilisées (n)", "terme"} <= headers, headers
    assert not headers & {"ci_low", "ci_high", "share_10pp", "p_value", "n_units", "rate_ratio"}
    cells = [str(v) for df in tables for col in df.columns for v in df[col]]
    assert "< 0,001" in cells and "part du groupe (par 10 points)" in cells
    assert not [c for c in cells if c in ("None", "nan") or "0000000" in c or "e-" in c]
    people = next(df for df in tables if "personnes" in df.columns)["personnes"].tolist()
    assert all(NNBSP in p and "," not in p and "." not in p for p in people), people  # 89 374, whole people
    # the findings go through md(): "<" is sent escaped ("\\<") and reads "<" in the browser
    texts = [w.value.replace("\\", "") for w in list(at.warning) + list(at.info)]
    assert any("p < 0,001" in x for x in texts) and not any("p = 0,000" in x for x in texts), texts


def test_equity_model_table_shows_n_in_english():
    at = _page("pages/4_Equity.py")
    model = next(d.value for d in at.dataframe if "units used (n)" in d.value.columns)
    assert model["term"].tolist() == ["intercept", "log recorded crime per 1,000", "group share (per 10 points)"]
    assert model["p"].tolist() == ["< 0.001"] * 3
    assert any("units used by the model" in c.value for c in at.caption)


def test_hotspot_evaluation_parameters_and_stale_result(downloads):
    at = _page("pages/3_Hotspots.py")
    ev = at.session_state["recipe"].evaluation
    # every parameter of the evaluation is a widget of the tab: nothing hidden
    keys = {w.key for kind in ("selectbox", "multiselect", "number_input") for w in getattr(at, kind)}
    shown = {k.split(".")[2] for k in keys if k and k.startswith("p.evaluation.")}
    assert shown == set(ev.to_dict()), shown
    at.button(key="hot_eval_run").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    assert {"hit rate, period 2", "PAI, period 2", "RRI"} <= set(table.columns) and len(table) == 5
    assert "evaluation.csv" in downloads and "evaluation.xlsx" in downloads
    export = pd.read_csv(io.BytesIO(downloads["evaluation.csv"]()))
    assert {"hit_rate_2", "pai_2", "rri", "n2", "N2"} <= set(export.columns)
    n_tables = len(at.dataframe)
    at.selectbox(key="p.evaluation.alpha").set_value(0.01).run()  # a parameter changes: the old numbers go
    assert not at.exception, at.exception
    assert len(at.dataframe) == n_tables - 1
    assert any("run it again" in i.value for i in at.info)
