"""Five defects of the Evaluate page found by a tester (issue 16): before/after's n, the pre-trend warning
naming the method in use, the time series broken at withheld periods with a note, the synthetic-control
chart tied to its headline, and staggered starts in the design line and on the chart."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

import lillegeo as lg
from lillegeo.params import ProgrammeParams
from lillegeo.programme import chart as chart_mod
from lillegeo.programme.chart import chart_figure, series_chart, series_levels, series_long, series_note
from lillegeo.programme.findings import programme_findings
from lillegeo.programme.methods import message_text
from lillegeo.programme.run import estimates_table, method_pretrend, run_programme
from lillegeo.programme.types import PreTrend

from .test_programme_view import START, result

THREE = ("599010101", "599010102", "599010103")  # the tester's pick: the demo's first three units


@pytest.fixture(scope="module")
def ds():
    return lg.load_demo()


@pytest.fixture(scope="module")
def synth3(ds):
    return run_programme(ds, ProgrammeParams(treated=THREE, start="2023-07-01", method="synth"))


# --- 1. before/after compares the treated units with themselves: n is theirs ---------------------------

def test_before_after_n_is_the_treated_units_and_did_n_the_units_it_fits(ds):
    ba = run_programme(ds, ProgrammeParams(treated=THREE, start="2023-07-01", method="before_after"))
    roles = ba.roles.value_counts()
    assert int(roles["treated"]) == 3 and int(roles["control"]) == 350  # the tester's 353 = all of them
    assert ba.estimate.n_units == 3 and ba.estimate.n_periods == 36
    assert estimates_table(ba).loc[0, ["method", "n_units"]].tolist() == ["before_after", 3]
    found = [s for s in programme_findings(ba, "en") if s.startswith("Before/after")]
    assert "than the same units before the start" in found[0] and "; 3 units, 36 months." in found[0]
    # difference-in-differences fits treated + control units (buffer left out) and says "the control units"
    did = run_programme(ds, ProgrammeParams(treated=THREE, start="2023-07-01", method="did"))
    assert did.estimate.n_units == 353 == did.panel.loc[did.panel["role"] != "buffer", "unit"].nunique()
    assert did.estimates["before_after"].n_units == 3
    assert "the control units over the same periods" in programme_findings(did, "en")[
        0 if did.pretrend.ok else 1]


def test_synth_n_is_the_treated_units_and_the_donors_kept(synth3):
    e = synth3.estimate
    assert e.ok and e.n_units == 3 + e.extra["n_donors"] == 3 + len(e.table)  # 3 + 40 donors, not 353


# --- 2. the pre-trend warning names the method in use ----------------------------------------------

@pytest.mark.parametrize("method, en, fr", [
    ("before_after", "Before/after compares the treated units with themselves",
     "Avant/après compare les unités traitées à elles-mêmes"),
    ("wdd", "The weighted displacement difference may mistake", "La différence de déplacement pondérée peut"),
    ("did", "The difference-in-differences may mistake", "La double différence peut prendre"),
    ("event", "The event study's average after the start may mistake", "La moyenne de l'étude d'événement"),
    ("synth", "Synthetic control weighs the donors", "Le contrôle synthétique pondère les donneurs")])
def test_pretrend_warning_names_the_method(method, en, fr):
    pre = method_pretrend(PreTrend(8, 1e-4, False, "programme.pretrend.differ", {"k": 5, "p": 1e-4}), method)
    assert pre.message == f"programme.pretrend.differ.{method}" and not pre.ok
    text_en, text_fr = message_text(pre.message, pre.message_args, "en"), message_text(pre.message, pre.message_args, "fr")
    assert en in text_en and fr in text_fr and "p < 0.001" in text_en and "5 pre-period" in text_en
    if method != "did":
        assert "difference-in-differences" not in text_en and "double différence" not in text_fr
    # an ok check (or any other message) is left as it is
    ok = PreTrend(8, 0.4, True, "programme.pretrend.ok", {"k": 5, "p": 0.4})
    assert method_pretrend(ok, method) is ok


def test_pretrend_warning_on_the_demo_names_synthetic_control(synth3):
    assert not synth3.pretrend.ok  # these three units already trended apart from the control before 2023-07
    en, fr = programme_findings(synth3, "en")[0], programme_findings(synth3, "fr")[0]
    assert en.startswith("Warning: before the start") and "Synthetic control weighs the donors" in en
    assert "difference-in-differences" not in en and "double différence" not in fr.lower()


# --- 3. withheld periods break the line, and the chart says how many -----------------------------------

def _with_small_treated() -> object:
    """The hand-made result with the treated units' events in 2023-05 cut to 3 each (6 < 11: withheld)."""
    raw = result()
    panel = raw.panel.copy()
    panel.loc[(panel["role"] == "treated") & (panel["period"] == pd.Timestamp("2023-05-01")), "count"] = 3.0
    return dataclasses.replace(raw, panel=panel, params=raw.params.replace(index=False))


def test_series_chart_keeps_withheld_periods_as_breaks_and_notes_them():
    res = _with_small_treated()
    spec = series_chart(res, "en").to_dict()
    line = spec["layer"][0]
    assert line["mark"]["type"] == "line" and line["mark"]["invalid"] == "break-paths-filter-domains"
    rows = spec["datasets"][line["data"]["name"]]
    treated = sorted((r["period"][:10], r["value"]) for r in rows if r["name"] == "Treated")
    # 2023-05 is kept as a null (a break in the path), not dropped (which would join 2023-04 to 2023-06)
    assert treated == [("2023-05-01", None), ("2023-06-01", 20.0), ("2023-07-01", 10.0), ("2023-08-01", 10.0)]
    note = spec["title"]["text"]
    # treated: 1 of 4 months withheld; the synthetic line with it; the buffer (4 events a month) all withheld
    assert "1 of 4 months of the line 'Treated' withheld: fewer than 11 events." in note
    assert "The synthetic control is withheld in the same 1 months as the treated area (it is fitted to it)." in note
    assert "4 of 4 months of the line 'Ring (buffer)' withheld: fewer than 11 events." in note
    fr = series_note(res, "fr")
    assert "1 mois sur 4 de la ligne « Zone traitée » masqués : moins de 11 événements." in fr


def test_static_series_chart_carries_the_note(monkeypatch):
    texts = []

    class Recording(chart_mod.Figure):
        def text(self, x, y, s, *args, **kwargs):
            texts.append(s)
            return super().text(x, y, s, *args, **kwargs)

    monkeypatch.setattr(chart_mod, "Figure", Recording)
    chart_figure(_with_small_treated(), "series", "fr", caption="Source : démo")
    foot = texts[-1]
    assert foot.startswith("Source : démo\n") and "1 mois sur 4 de la ligne « Zone traitée » masqués" in foot


# --- 4. the synthetic-control chart says what the headline says --------------------------------------

@pytest.mark.parametrize("index", [False, True])
def test_synthetic_chart_levels_are_in_the_ratio_of_the_headline(ds, synth3, index):
    res = synth3 if index else dataclasses.replace(synth3, params=synth3.params.replace(index=False))
    e = res.estimate
    # the estimate by hand: post-period treated events per unit over the synthetic ones (synth.py)
    s = e.extra["series"]
    post = pd.to_datetime(s["period"]) >= res.start
    by_hand = s.loc[post, "treated"].sum() / s.loc[post, "synthetic"].sum()
    assert e.estimate == pytest.approx(by_hand, rel=1e-12)
    # what the chart draws: the dashed means after the start, read back from the chart's own data
    spec = series_chart(res, "fr").to_dict()
    lv = {(r["name"], r["period"][:10]): r["value"] for d in spec["datasets"].values() for r in d
          if "period_end" in r}
    after = {name: v for (name, day), v in lv.items() if day == "2023-07-01"}
    assert after["Zone traitée"] / after["Contrôle synthétique"] == pytest.approx(e.estimate, rel=1e-9)
    # the headline says the same number
    assert "rapport de taux 1,27" in programme_findings(res, "fr")[1] and round(e.estimate, 2) == 1.27
    # the monthly points shown are the treated area's busiest (most months withheld): the note says so
    levels = series_levels(res, "fr")
    assert not levels["withheld"].any()
    assert any(n.startswith("27 mois sur 36 de la ligne « Zone traitée »") for n in series_note(res, "fr"))


def test_synthetic_index_is_on_the_treated_base():
    ix = series_long(result(), "en")  # synthetic 19, 21 before the start; treated 20, 20: base 20 for both
    assert ix[ix["line"] == "synthetic"]["value"].tolist() == pytest.approx([95.0, 105.0, 100.0, 100.0])
    raw = result()
    shifted = dataclasses.replace(raw, series=raw.series.assign(synthetic=[9.0, 11.0, 10.0, 10.0]))
    ix = series_long(shifted, "en")  # on its own base (10) it would read 90, 110, 100, 100
    assert ix[ix["line"] == "synthetic"]["value"].tolist() == pytest.approx([45.0, 55.0, 50.0, 50.0])


# --- 5. staggered starts: the design line and one rule per start ----------------------------------------

def test_staggered_starts_in_the_design_line_and_on_the_chart(ds):
    p = ProgrammeParams(treated=(f"{THREE[0]}@2022-10-01", THREE[1], THREE[2]), start="2023-01-01",
                        method="before_after")
    res = run_programme(ds, p)
    assert res.start == pd.Timestamp("2022-10-01")
    en, fr = programme_findings(res, "en"), programme_findings(res, "fr")
    assert ("Design: 3 treated units, 0 in the buffer, 350 control units; starts from 2022-10-01 to 2023-01-01 "
            "(2 dates).") in en
    assert ("Plan : 3 unités traitées, 0 dans la zone tampon, 350 unités témoins ; débuts du 2022-10-01 au "
            "2023-01-01 (2 dates).") in fr
    spec = series_chart(res, "en").to_dict()
    marks = sorted((r["period"][:10], r["label"]) for d in spec["datasets"].values() for r in d if "label" in r)
    assert marks == [("2022-10-01", "Start 2022-10"), ("2023-01-01", "Start 2023-01")]
    assert "Staggered starts: one dashed rule per start date (2022-10-01, 2023-01-01)." in spec["title"]["text"]
    # one start: the design line and the rule as before
    one = programme_findings(dataclasses.replace(result()), "en")
    assert "Design: 2 treated units, 1 in the buffer, 4 control units; start 2023-07-01." in one
    spec1 = json.dumps(series_chart(result(), "en").to_dict())
    assert spec1.count('"label": "Start"') == 1 and START.strftime("%Y-%m-%d") in spec1
