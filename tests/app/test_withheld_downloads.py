"""The Hotspots and Equity pages' table downloads on the demo: the synthetic-data mark on every row and in
every file name, and (Equity) no share, rate or ratio whose numerator, rebuilt from the units' counts, is
under the threshold (issue 14, "Withheld")."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import lillegeo as lg

from ..conftest import ROOT
from .conftest import APP_TIMEOUT
from .test_disclosure import downloads  # noqa: F401  (the download spy fixture)

T = lg.DEFAULT_THRESHOLD


def small(s: pd.Series) -> pd.Series:
    v = pd.to_numeric(s, errors="coerce")
    return (v > 0) & (v < T)


def _tables(seen) -> dict[str, pd.DataFrame]:
    out = {}
    for name, data in seen:
        raw = data() if callable(data) else data
        if name.endswith(".csv"):
            out[name] = pd.read_csv(io.BytesIO(raw), dtype={"unit_id": str})
        elif name.endswith(".xlsx"):
            out[name] = pd.read_excel(io.BytesIO(raw), dtype={"unit_id": str})
    return out


@pytest.mark.parametrize("page", ["pages/3_Hotspots.py", "pages/4_Equity.py"])
def test_page_table_downloads_are_marked_and_withhold_shares(page, downloads):  # noqa: F811
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    tables = _tables(downloads)
    assert tables, [n for n, _ in downloads]
    for name, df in tables.items():  # every table and map file of the demo says it is synthetic
        assert name.startswith("synthetic_demo_"), name
        assert (df["data"] == "Synthetic demo data").all(), name
    assert all(n.startswith("synthetic_demo_") for n, _ in downloads if n.endswith((".png", ".pdf", ".html")))
    if "Equity" not in page:
        return
    q = lg.params.EquityParams()
    u = lg.load_demo().units.set_index("unit_id")
    units = [df for n, df in tables.items() if "equity_units" in n]
    assert len(units) == 2  # CSV and XLSX
    for df in units:
        df = df.set_index("unit_id")
        c = u.loc[df.index]
        rules = {"share": [q.group, q.population], "enforcement_per_1000": [q.enforcement, q.population],
                 "crime_per_1000": [q.crime, q.population],
                 "observed_over_expected": [q.enforcement, q.crime, q.population],
                 "expected": [q.enforcement, q.crime, q.population]}
        for column, counts in rules.items():
            shown = df[column].notna()
            for count in counts:
                assert not (shown & small(c[count])).any(), (column, count)
        assert df["share"].notna().sum() == len(df) - 13  # the 13 units of the issue are withheld
