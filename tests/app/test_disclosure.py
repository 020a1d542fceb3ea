"""Disclosure walk: every page of the app on the demo, every table it shows, every metric, every map it
draws and every file it offers for download: no count of persons or events between 1 and the threshold
(11), and no rate computed from such a count. (DOMAIN.md, "Statistical disclosure": nothing computed
from fewer than 11 persons or events is displayed or exported; zero is shown as zero.)"""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

import lillegeo as lg
from lillegeo.maps import layer_properties
from lillegeo.recipe import Recipe

from ..conftest import ROOT
from .conftest import APP_TIMEOUT
from .test_evaluate_page import treated_codes

T = lg.DEFAULT_THRESHOLD
COUNT_RE = re.compile(r"^([PC]\d{2}_|incidents|checks|numerator$|denominator$|people$|population$|stops$|crime$|"
                      r"enforcement$|hits$|n$|count$)")
PAGES = ["pages/1_Data.py", "pages/2_Explore.py", "pages/3_Hotspots.py", "pages/4_Equity.py", "pages/5_Evaluate.py",
         "pages/6_Present.py"]


def small(values) -> pd.Series:
    v = pd.to_numeric(pd.Series(values), errors="coerce")
    return (v > 0) & (v < T)


def check_frame(df: pd.DataFrame, where: str, value_is_count: bool = False) -> list[str]:
    bad = []
    cols = [c for c in df.columns if COUNT_RE.match(str(c)) or (value_is_count and c == "value")]
    for c in cols:
        if small(df[c]).any():
            bad.append(f"{where}: column {c} shows {int(small(df[c]).sum())} count(s) under {T}")
    if "numerator" in df.columns and "value" in df.columns:  # a rate shown from a small numerator
        raw = pd.to_numeric(df["numerator"], errors="coerce")
        if (pd.to_numeric(df["value"], errors="coerce").notna() & raw.isna() & df.get("withheld", False)).any():
            bad.append(f"{where}: a withheld rate is shown")
    if "withheld" in df.columns:
        w = df["withheld"].map(lambda v: v is True or str(v).strip().lower() in ("true", "1", "yes", "oui"))
        for c in ("value", "numerator", "denominator"):
            if c in df.columns and pd.to_numeric(df.loc[w, c], errors="coerce").notna().any():
                bad.append(f"{where}: {c} shown for a withheld unit")
    return bad


def check_map_script(script: str, where: str, units: pd.DataFrame) -> list[str]:
    """The GeoJSON sent to the map: a number shown for a unit must not come from a small count."""
    bad = []
    n_fc = 0
    for layer in layer_properties(script):  # every units layer, as the browser receives it
        n_fc += 1
        for p in layer:
            uid = p.get("uid")
            if uid is None or uid not in units.index:
                continue
            n_fc += 1000
            shown_number = bool(re.fullmatch(r"[-\d.,\u202f ]+", str(p.get("value", ""))))
            inc = units.at[uid, "incidents"]
            if shown_number and "incidents" in where and 0 < inc < T:
                bad.append(f"{where}: unit {uid} shows a rate from {inc} incidents")
            for k, v in p.items():
                if re.fullmatch(r"r\d+", k) and re.fullmatch(r"\d+", str(v)) and 0 < int(v) < T:
                    bad.append(f"{where}: unit {uid} popup shows the count {v}")
    if n_fc < 1000:  # the walk must have read the units drawn (a vacuous check would pass anything)
        bad.append(f"{where}: no unit found in the map's data")
    return bad


def html_tables(text: str) -> list[pd.DataFrame]:
    """The tables of an HTML document (standard library parser; first row = header). Numbers written
    the French way (1 234,5) or with thousands separators are read back as numbers."""
    from html.parser import HTMLParser

    class P(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.row, self.cell = [], None, None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
            elif tag == "tr" and self.tables:
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.row.append("".join(self.cell).strip())
                self.cell = None
            elif tag == "tr" and self.row is not None:
                self.tables[-1].append(self.row)
                self.row = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    p = P()
    p.feed(text)
    out = []
    for rows in p.tables:
        if len(rows) > 1:
            df = pd.DataFrame(rows[1:], columns=rows[0][: len(rows[1])] if rows[0] else None)
            out.append(df.apply(lambda col: col.str.replace(r"[\u202f\u00a0 ,]", "", regex=True)
                                if col.str.fullmatch(r"[\d\u202f\u00a0 ,]+").all() else col))
    return out


@pytest.fixture()
def downloads(monkeypatch):
    seen: list[tuple[str, bytes]] = []
    orig = DeltaGenerator.download_button

    def spy(self, label, data, file_name=None, *a, **kw):
        seen.append((file_name or "", data))
        return orig(self, label, data, file_name, *a, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    return seen


def _export_problems(name: str, data, units: pd.DataFrame, value_is_count: bool) -> list[str]:
    data = data() if callable(data) else data
    raw = data.encode() if isinstance(data, str) else data
    if name.endswith(".csv"):
        return check_frame(pd.read_csv(io.BytesIO(raw)), f"export {name}", value_is_count)
    if name.endswith(".xlsx"):
        return check_frame(pd.read_excel(io.BytesIO(raw)), f"export {name}", value_is_count)
    if name.endswith(".html"):

        text = raw.decode()
        if name == "report.html":  # static map images and tables: check every table of the report
            frames = html_tables(text)
            return [p for i, f in enumerate(frames) for p in check_frame(f, f"report table {i}")] + (
                [] if frames else ["report.html: no table found"])
        m = re.search(r'<script id="slides" type="application/json">(.*?)</script>', text, re.S)
        if m:  # the presentation: one map document per slide, as a JSON list (the findings slide is text)
            return [p for doc in json.loads(m.group(1)) if "data-lillegeo='findings'" not in doc
                    for p in check_map_script(doc, f"slide of {name}", units)]
        return check_map_script(text, f"export {name}", units)
    return []


@pytest.mark.parametrize("page", PAGES + ["pages/3_Hotspots.py raw counts"])
def test_no_small_count_on_any_page_or_export(page, downloads):
    units = lg.load_demo().units.set_index("unit_id")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    if "Evaluate" in page:  # an evaluation run: the planted intervention's units, a 300 m ring
        at.session_state["recipe"] = Recipe.for_demo().with_params(
            "programme", treated=treated_codes(), start="2023-07-01", buffer_m=300.0)
    at.switch_page(page.split()[0]).run()
    assert not at.exception, at.exception
    hot = page.endswith("raw counts")  # hot and cold spots of raw incident counts: the value is a count
    if hot:
        at.selectbox(key="p.hotspots.per").set_value("").run()
        downloads.clear()
        at.run()
        assert not at.exception, at.exception
    problems, n_tables, n_maps = [], 0, 0
    for d in at.dataframe:
        n_tables += 1
        problems += check_frame(d.value, f"{page} table {list(d.value.columns)[:3]}", value_is_count=hot)
    for comp in at.get("component_instance"):
        args = json.loads(comp.proto.json_args)
        if "script" in args:
            n_maps += 1
            # the base map and the data groups st_folium swaps in place (lillegeo.cached.show_map)
            script = args["script"] + "\n" + (args.get("feature_group") or "")
            problems += check_map_script(script, f"{page} map incidents", units)
    for name, data in downloads:
        problems += _export_problems(name, data, units, value_is_count=hot and name.removeprefix("synthetic_demo_").startswith("hot"))
    assert not problems, problems[:10]
    # the walk saw what the page shows (a vacuous walk would pass anything)
    # Data: the preview (the readers' reports are sentences, not a table); Present lists its slides as
    # editable rows, not as a table (its downloads are checked above)
    expected_tables = {"1_Data": 1, "2_Explore": 1, "3_Hotspots": 3, "4_Equity": 4, "5_Evaluate": 1, "6_Present": 0}
    assert n_tables >= next(v for k, v in expected_tables.items() if k in page)
    if "Explore" in page or "Hotspots" in page or "Equity" in page or "Evaluate" in page:
        assert n_maps >= 1 and downloads
    if "Present" in page:
        assert {"presentation.html", "report.html"} <= {name for name, _ in downloads}
