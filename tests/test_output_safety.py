"""What lillegeo writes and shows is safe whatever the names and values in the user's files:

- every CSV/XLSX of the command line and every table download of the pages has no cell and no
  header that a spreadsheet would run as a formula (OWASP "CSV injection"), numbers stay numbers;
- the shared memo caches of the maps survive 8 session threads;
- matplotlib never parses a user's text as mathtext (static maps, report PDF, Present page);
- messages escape Markdown and hide server paths.
"""

from __future__ import annotations

import csv
import functools
import io
import random
import re
import threading
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import box

import lillegeo as lg
from lillegeo.__main__ import main
from lillegeo.demo import DEMO_DIR
from lillegeo.recipe import Recipe, sha256_file
from lillegeo.report import neutralise_formulas, table_bytes, write_table

from .conftest import ROOT

CMD = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://127.0.0.1:9/x","y")'
IMG = "![a](http://127.0.0.1:9/x.png)"
MATH = "$\\foo$"
DEEP = "$" + "{" * 3000 + "$"  # mathtext: RecursionError
DEEP_SHORT = "$" + "{" * 200 + "$"  # also a RecursionError, a shorter name
HOSTILE_CELLS = [CMD, "@SUM(1+1)", "+1+1", "-2+3+cmd|' /C calc'!A0", "  =1+1", "\t=1+1", "\r=1+1", "\tplain",
                 "ok;=1+1"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")


def formula_cells(cells) -> list[str]:
    """Text cells a spreadsheet would run: a trigger first (also after spaces), not a plain number."""
    bad = []
    for v in cells:
        if not isinstance(v, str) or not v:
            continue
        if v.startswith(("\t", "\r", "\n")) or (v.lstrip().startswith(TRIGGERS) and not PLAIN_NUMBER.fullmatch(v)):
            bad.append(v)
    return bad


def csv_problems(raw: bytes, where: str, sep: str = ",") -> list[str]:
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=sep))
    assert rows, f"{where}: empty"
    return [f"{where}: {v!r}" for v in formula_cells(c for r in rows for c in r)]


def xlsx_problems(raw: bytes, where: str) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    bad.append(f"{where}: formula cell {cell.coordinate} {cell.value!r}")
            bad += [f"{where}: {v!r}" for v in formula_cells(c.value for c in row)]
    return bad


def file_problems(path: Path) -> list[str]:
    raw = path.read_bytes()
    return xlsx_problems(raw, path.name) if path.suffix == ".xlsx" else csv_problems(raw, path.name)


# ------------------------------------------------------------------ the writer itself


def test_writer_neutralises_cells_and_headers_and_keeps_numbers():
    df = pd.DataFrame({"text": HOSTILE_CELLS, "n": np.arange(len(HOSTILE_CELLS)) - 3.5,
                       "i": np.arange(len(HOSTILE_CELLS)) - 4, "minus": ["-3"] * len(HOSTILE_CELLS),
                       "cat": pd.Categorical([CMD, "x"] * 4 + ["x"]), CMD: 1, "@h": 2, " +h": 3, "\th": 4,
                       "-h": 5, "ok": 6})
    safe = neutralise_formulas(df)
    assert not formula_cells(safe.columns) and not formula_cells(safe["text"]) and not formula_cells(safe["cat"])
    assert safe["text"].tolist()[:2] == ["'" + CMD, "'@SUM(1+1)"]  # a visible quote, the text otherwise kept
    assert safe["text"].iloc[-1] == "ok;=1+1"
    assert df["text"].iloc[0] == CMD  # input not mutated
    raw = write_table(df)
    assert not csv_problems(raw, "csv")
    back = pd.read_csv(io.BytesIO(raw))
    assert back["n"].dtype.kind == "f" and back["i"].dtype.kind == "i"  # numbers stay numbers
    assert back["minus"].tolist()[0] == "'-3"  # a signed number written as text is text: quoted (OWASP)
    assert (back["n"] < 0).any()
    # text fields are quoted: a spreadsheet splitting on ';' cannot start a cell inside "ok;=1+1"
    assert '"ok;=1+1"' in raw.decode() and ",-3.5," in raw.decode()
    assert not xlsx_problems(write_table(df, None, "xlsx"), "xlsx")
    x = pd.read_excel(io.BytesIO(table_bytes(df, "xlsx")))
    assert x["n"].dtype.kind == "f" and x.columns[5] == "'" + CMD


def test_writer_paths_buffers_and_geometry(tmp_path):
    g = gpd.GeoDataFrame({"a": [CMD]}, geometry=[box(0, 0, 1, 1)], crs=2154)
    write_table(g, tmp_path / "t.xlsx")
    write_table(g, tmp_path / "t.csv", float_format=None, sep=";")
    buf = io.BytesIO()
    write_table(g, buf)
    assert not file_problems(tmp_path / "t.xlsx") and not csv_problems(buf.getvalue(), "buf")
    assert (tmp_path / "t.csv").read_text() == "\"a\"\n\"'=cmd|' /C calc'!A0\"\n"
    assert "geometry" not in buf.getvalue().decode()
    with pytest.raises(ValueError, match="fmt"):
        write_table(g, None, "ods")


def test_no_raw_table_writer_left_in_the_code():
    """Every CSV/XLSX goes through report.write_table (the demo generator writes the shipped data)."""
    offenders = []
    for f in list((ROOT / "lillegeo").glob("*.py")) + list((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        if f.name in ("report.py", "demo.py"):
            continue
        for i, line in enumerate(f.read_text().splitlines(), 1):
            if re.search(r"\.to_csv\(|\.to_excel\(|ExcelWriter\(", line):
                offenders.append(f"{f.name}:{i}: {line.strip()}")
    assert not offenders, offenders


# ------------------------------------------------------------------ the command line, on hostile files


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The demo with hostile column names, text cells, codes, point ids and categories."""
    d = tmp_path_factory.mktemp("hostile")
    c = pd.read_csv(DEMO_DIR / "census.csv", sep=";", dtype={"IRIS": str, "COM": str})
    c = c.iloc[2:].reset_index(drop=True)  # two units without data: the page offers their list
    n = len(c)
    c[LINK] = c["P21_POP_IMM"]  # a numeric column with a formula as its name
    c[DEEP] = c["P21_POP_IMM"]
    c[DEEP_SHORT] = c["P21_POP_IMM"]
    c["@SUM(A1)"] = [HOSTILE_CELLS[i % len(HOSTILE_CELLS)] for i in range(n)]
    c["LIBIRIS"] = c["LIBIRIS"].where(np.arange(n) % 3 > 0, CMD)
    extra = c.iloc[:3].copy()
    extra["IRIS"] = ["=1+1", "@A1", "+33"]  # table codes with no unit: the unmatched file
    pd.concat([c, extra]).to_csv(d / "census.csv", sep=";", index=False, quoting=csv.QUOTE_ALL)
    for name, cat in (("incidents", "categorie"), ("checks", "motif")):
        p = pd.read_csv(DEMO_DIR / f"{name}.csv")
        p["id"] = p["id"].where(np.arange(len(p)) % 2 > 0, "=" + p["id"])
        p[cat] = np.where(np.arange(len(p)) % 2, MATH, "@cat")
        p.to_csv(d / f"{name}.csv", index=False)
    (d / "units.geojson").write_bytes((DEMO_DIR / "units.geojson").read_bytes())
    return d


def _run(argv, capsys) -> None:
    rc = main(argv)
    captured = capsys.readouterr()
    assert rc == 0, captured.err


def test_every_cli_table_is_formula_free(hostile, tmp_path, capsys, monkeypatch):
    u, t = str(hostile / "units.geojson"), str(hostile / "census.csv")
    pts = [f"--points=incidents={hostile / 'incidents.csv'}", f"--points=checks={hostile / 'checks.csv'}"]
    o = tmp_path
    _run(["join", "--units", u, "--table", t, "--out", str(o / "join.csv")], capsys)
    assert (o / "join_unmatched.csv").exists()
    _run(["hotspots", "--units", u, "--table", t, f"--value={LINK}", "--per", "P21_POP", "--permutations", "99",
          "--out", str(o / "hotspots.csv")], capsys)
    _run(["clusters", "--points", str(hostile / "incidents.csv"), "--min-samples", "40", "--eps-m", "150",
          "--out", str(o / "clusters.csv"), "--clusters-out", str(o / "clusters_table.csv")], capsys)
    _run(["equity", "--units", u, "--table", t, *pts, "--burden", "checks", "--per", "P21_POP", f"--group={LINK}",
          "--population", "P21_POP", "--bootstrap", "99", "--out", str(o / "equity.csv")], capsys)
    _run(["profiling", "--units", u, "--table", t, *pts, "--enforcement", "checks", "--crime", "incidents",
          "--population", "P21_POP", f"--share={LINK}", "--out", str(o / "profiling.csv"),
          "--residuals-out", str(o / "residuals.csv")], capsys)
    import distributed

    # in-process workers: the same command, without spawning processes in the test
    monkeypatch.setattr(distributed, "LocalCluster", functools.partial(distributed.LocalCluster, processes=False))
    _run(["aggregate", "--units", u, "--points", str(hostile / "incidents.csv"), "--x", "longitude",
          "--y", "latitude", "--crs", "EPSG:4326", "--local-workers", "1", f"--name={CMD}",
          "--out", str(o / "aggregate.csv")], capsys)
    recipe = Recipe(title=CMD, sources={
        "units": {"path": "units.geojson", **_h(hostile / "units.geojson")},
        "table": {"path": "census.csv", **_h(hostile / "census.csv")},
        "points": {"incidents": {"path": "incidents.csv", **_h(hostile / "incidents.csv")},
                   "checks": {"path": "checks.csv", **_h(hostile / "checks.csv")}}})
    recipe = recipe.with_params("explore", column=DEEP_SHORT, per="P21_POP")
    recipe = recipe.with_params("hotspots", column=DEEP_SHORT, permutations=99)
    recipe = recipe.with_params("clusters", layer="incidents", min_samples=40)
    recipe = recipe.with_params("equity", group=LINK, bootstrap=199)
    (hostile / "recipe.toml").write_text(recipe.to_toml(), encoding="utf-8")
    _run(["run", str(hostile / "recipe.toml"), "--out", str(o / "run")], capsys)

    written = sorted(p for p in o.rglob("*") if p.suffix in (".csv", ".xlsx"))
    names = {str(p.relative_to(o)) for p in written}
    assert {"join.csv", "join_unmatched.csv", "hotspots.csv", "clusters.csv", "clusters_table.csv", "equity.csv",
            "profiling.csv", "residuals.csv", "aggregate.csv", "run/tables/indicator.csv", "run/tables/hotspots.csv",
            "run/tables/clusters.csv", "run/tables/equity_units.csv"} <= names, names
    problems = [p for f in written for p in file_problems(f)]
    assert not problems, problems[:10]
    # not vacuous: the hostile names and values reached the files, neutralised
    text = {str(p.relative_to(o)): p.read_text(encoding="utf-8") for p in written}
    assert "\"'=HYPERLINK(\"\"http" in text["join.csv"] and "\"'" + CMD + '"' in text["join.csv"]
    assert "'=1+1" in text["join_unmatched.csv"] and "'=INC" in text["clusters.csv"]
    assert "'@cat" in text["clusters_table.csv"] and "'=cmd" in text["aggregate.csv"]
    assert "'=HYPERLINK" in text["equity.csv"]
    # the run's report PDF and static maps were drawn with "$\foo$" categories and a "${{{…" title
    assert (o / "run" / "report.pdf").stat().st_size > 10_000 and (o / "run" / "maps" / "hotspots.png").exists()


def _h(p: Path) -> dict:
    h, n = sha256_file(p)
    return {"sha256": h, "size": n}


def test_fetch_writes_its_census_through_the_safe_writer():
    src = (ROOT / "lillegeo" / "io" / "fetch.py").read_text()
    assert "write_table(census" in src and "to_csv" not in src


# ------------------------------------------------------------------ the pages' downloads (AppTest)


@pytest.fixture()
def downloads(monkeypatch):
    from streamlit.delta_generator import DeltaGenerator

    seen: list[tuple[str, object]] = []
    orig = DeltaGenerator.download_button

    def spy(self, label, data, file_name=None, *a, **kw):
        seen.append((file_name or "", data))
        return orig(self, label, data, file_name, *a, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    import streamlit as st

    main_button = st.download_button  # bound to the main area when streamlit was imported

    def spy_main(label, data, file_name=None, *a, **kw):
        seen.append((file_name or "", data))
        return main_button(label, data, file_name, *a, **kw)

    monkeypatch.setattr(st, "download_button", spy_main)
    return seen


def _hostile_dataset(d: Path):
    units, urep = lg.read_units(d / "units.geojson")
    table, trep = lg.read_table(d / "census.csv")
    points, reps = {}, [urep, trep]
    for name in ("incidents", "checks"):
        p, r = lg.read_points(d / f"{name}.csv")
        points[name] = p
        reps.append(r)
    sources = {"units": {"path": "units.geojson", **_h(d / "units.geojson")},
               "table": {"path": "census.csv", **_h(d / "census.csv")},
               "points": {n: {"path": f"{n}.csv", **_h(d / f"{n}.csv")} for n in points}}
    return lg.build_dataset(units, name=f"{IMG}.geojson", table=table, points=points, reports=reps, sources=sources)


def test_every_page_download_is_formula_free_and_pages_render(hostile, downloads):
    from streamlit.testing.v1 import AppTest

    ds = _hostile_dataset(hostile)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["dataset"] = ds
    at.session_state["dataset_token"] = "hostile-output-safety"
    recipe = Recipe.for_demo().with_params("explore", column=DEEP).with_params("hotspots", column=LINK)
    at.session_state["recipe"] = recipe.with_params("equity", group=LINK).with_params("clusters", categories=(MATH,))
    shown = []
    walk = [("pages/1_Data.py", None), ("pages/2_Explore.py", None), ("pages/3_Hotspots.py", None),
            ("pages/4_Equity.py", None),
            # Present gets the shorter deep name (its mathtext recursion is slow to render)
            ("pages/2_Explore.py", DEEP_SHORT), ("pages/6_Present.py", None)]
    for page, column in walk:
        if column is not None:
            at.session_state["recipe"] = at.session_state["recipe"].with_params("explore", column=column)
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        errors = [e.value for e in at.error]
        assert not errors, (page, errors)
        if "Explore" in page:  # the hostile names were really analysed
            assert at.selectbox(key="p.explore.column").value == (column or DEEP)
        if "Hotspots" in page:
            assert at.selectbox(key="p.hotspots.column").value == LINK
            assert at.multiselect(key="p.clusters.categories").value == [MATH]
        for kind in ("markdown", "caption", "info", "warning", "error", "success"):
            shown += [str(e.value) for e in getattr(at, kind)]
    names = [n for n, _ in downloads]
    for expected in ("unmatched_codes.csv", "units_without_data.csv", "indicator.csv", "hotspots.csv",
                     "hotspots.xlsx", "clusters.csv", "equity_units.xlsx", "report.pdf"):
        assert any(n.endswith(expected) for n in names), (expected, names)
    problems, found, heads = [], "", []
    for name, data in downloads:
        if not name.endswith((".csv", ".xlsx")):
            if name.endswith((".png", ".pdf")):  # static maps and the report: drawn, not parsed as maths
                raw = data() if callable(data) else data
                assert len(raw) > 1000, name
            continue
        raw = data() if callable(data) else data
        raw = raw.encode() if isinstance(raw, str) else raw
        problems += xlsx_problems(raw, name) if name.endswith(".xlsx") else csv_problems(raw, name)
        if name.endswith(".csv"):
            found += raw.decode()
            heads.append((name, raw.decode()[:200]))
    assert not problems, problems[:10]
    assert "'=1+1" in found and "'@A1" in found, "\n".join(f"{n}: {l}" for n, l in heads)  # not vacuous
    # Markdown: no user text reaches a message unescaped (an image or link would be made of it)
    assert not [s for s in shown if "](http" in s], [s for s in shown if "](http" in s]


# ------------------------------------------------------------------ matplotlib never parses user text


def test_static_map_and_report_pdf_draw_hostile_names_literally(demo, tmp_path):
    from lillegeo.report import categorical_static_map, indicator_static_map, report_pdf

    u = demo.units
    labels = pd.Series([MATH, DEEP, "$x$"] * (len(u) // 3 + 1), dtype=object).iloc[:len(u)].set_axis(u.index)
    png = categorical_static_map(u, labels, {MATH: "#ff0000", DEEP: "#00ff00", "$x$": "#0000ff"}, title=DEEP,
                                 caption=f"{MATH} {DEEP}", pdf=tmp_path / "m.pdf")
    assert png[:4] == b"\x89PNG" and (tmp_path / "m.pdf").stat().st_size > 1000
    units = u.assign(**{DEEP: u["incidents"]})
    ind = lg.compute_indicator(units, DEEP)
    assert indicator_static_map(units, ind)[:4] == b"\x89PNG"
    report_pdf([{"heading": DEEP, "text": [MATH, DEEP], "findings": [{"kind": "finding", "flag": True, "text": MATH}],
                 "table": pd.DataFrame({DEEP: [MATH], "n": [1.5]}), "image": png}], tmp_path / "r.pdf", title=DEEP)
    assert (tmp_path / "r.pdf").stat().st_size > 1000


# ------------------------------------------------------------------ the maps' memo caches under threads


def test_map_memo_caches_survive_eight_threads():
    """Streamlit runs each session in its own thread: 8 threads hit the memo caches with more keys
    than they hold (an eviction at nearly every miss), threads switched as often as possible."""
    import sys

    from lillegeo.maps import geometry as maps

    frames = [gpd.GeoDataFrame(geometry=[box(700_000 + i * 10, 7_050_000, 701_000 + i * 10, 7_051_000),
                                         box(701_000 + i * 10, 7_050_000, 702_000 + i * 10, 7_051_000)], crs=2154)
              for i in range(12)]
    expected = [maps.display_geometry(f, 0.0, 5) for f in frames]
    errors: list[BaseException] = []
    wrong: list = []
    start = threading.Barrier(8)

    def work(seed: int) -> None:
        rnd = random.Random(seed)
        start.wait()
        try:
            for n in range(3000):
                key = ("thread-test", rnd.randrange(12))
                if maps._memo(key, lambda k=key: k[1] * 2) != key[1] * 2:
                    wrong.append(key)
                if n % 50 == 0:
                    i = rnd.randrange(len(frames))
                    g = maps.display_geometry(frames[i], 0.0, 5)
                    if not g.geom_equals_exact(expected[i], 1e-9).all():
                        wrong.append(i)
                    maps.display_geometry(frames[i])  # the resolution memo too
        except BaseException as exc:  # noqa: BLE001 - any error in a thread fails the test
            errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(s,)) for s in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors[:3]
    assert not wrong, wrong[:5]
    assert len(maps._DISPLAY_CACHE) <= 8 and len(maps._GEOJSON_CACHE) <= 8 and len(maps._RESOLUTION_CACHE) <= 64


# ------------------------------------------------------------------ messages


def test_messages_escape_markdown_and_hide_server_paths():
    from lillegeo.app.text import md, scrub

    for s in (IMG, MATH, "{{7*7}}", CMD, "*b* `c` <b>x</b> ~~s~~ _e_ &amp; http://x.org 1. a\n# h\n- l"):
        e = md(s)
        assert "\n" not in e
        # what Markdown acts on is escaped: brackets (links, images), maths, emphasis, code, HTML
        assert not re.search(r"(?<!\\)[\[\]$*`<>~]", e), e
        assert not re.search(r"(?<![\\\w])_|(?<!\\)&amp;|(?<!\\)://", e), e
    assert md("- x") == "\\- x" and md("1. x") == "1\\. x" and md("# x") == "\\# x"
    # what does nothing in running text stays, so messages read as written
    assert md("column 'code_iris' (IRIS codes) not found; e.g. 59350.") == \
        "column 'code_iris' (IRIS codes) not found; e.g. 59350."
    assert scrub("could not read /tmp/lillegeo-ab12/upload.parquet: bad") == "could not read upload.parquet: bad"
    assert "site-packages" not in scrub("in /usr/lib/python3/site-packages/pyogrio/raw.py line 3")
    assert scrub("see http://example.org/a/b and 3/4") == "see http://example.org/a/b and 3/4"


def test_config_hides_error_details():
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["client"]["showErrorDetails"] == "none"


def test_page_errors_show_one_line_and_no_traceback(monkeypatch):
    """An unexpected error in a page (here: the indicator raising a RecursionError) is one translated
    line; a page on contours without a numeric column says so."""
    from streamlit.testing.v1 import AppTest

    from lillegeo import pipeline
    from lillegeo.i18n import t

    def boom(*a, **k):
        raise RecursionError("maximum recursion depth exceeded in /tmp/lillegeo-x/secret/path.py")

    monkeypatch.setattr(pipeline, "run_explore", boom)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()  # app.py and its navigation: the default page (Explore) runs inside the page guard
    assert not at.exception
    assert [e.value for e in at.error] == [t("error.unexpected", "en")]
    monkeypatch.undo()

    units = lg.load_demo().units[["unit_id", "unit_name", "commune_id", "commune_name", "unit_type", "geometry"]]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["dataset"] = lg.build_dataset(units, name="no numbers")
    at.session_state["dataset_token"] = "no-numeric"
    at.switch_page("pages/3_Hotspots.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("no numeric column to analyse" in w.value for w in at.warning)
    assert not at.error
