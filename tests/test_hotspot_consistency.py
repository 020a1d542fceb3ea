"""Hotspot consistency (issue 14): one alpha range stated by the parameter model and obeyed by the
statistic, the page and the command line; the hot spot table, its CSV and the report never say whether a
withheld unit is significant; the command line's equity rate is the shared indicator's."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lillegeo.__main__ import main
from lillegeo.cli import build_parser
from lillegeo.demo import DEMO_DIR
from lillegeo.equity import run_equity
from lillegeo.hotspots import WITHHELD, area_hotspots
from lillegeo.params import ALPHA_CHOICES, EvaluationParams, HotspotParams, bounds
from lillegeo.pipeline import run_area_hotspots


def test_alpha_range_is_said_once():
    lo, hi = bounds("hotspots", "alpha")
    assert (lo, hi) == (0.001, 0.10) == bounds("evaluation", "alpha")  # Gi* bins: 99, 95 and 90 %
    assert all(lo <= a <= hi for a in ALPHA_CHOICES) and max(ALPHA_CHOICES) == hi  # the page's choices
    with pytest.raises(ValueError, match=r"\[hotspots\] alpha = 0.2"):
        HotspotParams(alpha=0.2)
    with pytest.raises(ValueError, match=r"\[evaluation\] alpha = 0.2"):
        EvaluationParams(alpha=0.2)
    assert EvaluationParams().alpha == HotspotParams().alpha
    help_text = next(a.help for a in build_parser()._subparsers._group_actions[0].choices["hotspots"]._actions
                     if "--alpha" in a.option_strings)
    assert help_text == "0.001-0.1"


@pytest.mark.parametrize("method", ["gi_star", "local_moran"])
def test_the_statistic_follows_the_model(demo, method):
    kw = dict(method=method, permutations=19, seed=0)
    assert area_hotspots(demo.units, "incidents", alpha=0.10, **kw).alpha == 0.10  # the upper bound itself
    with pytest.raises(ValueError, match=r"alpha must be between 0.001 and 0.1 .*got 0.2"):
        area_hotspots(demo.units, "incidents", alpha=0.2, **kw)


def test_cli_refuses_alpha_over_the_bound(tmp_path, capsys):
    assert main(["hotspots", "--units", str(DEMO_DIR / "units.geojson"), "--value", "P21_POP", "--alpha", "0.2",
                 "--permutations", "99", "--out", str(tmp_path / "h.csv")]) != 0
    assert "--alpha: [hotspots] alpha = 0.2 is above the largest allowed value 0.1" in capsys.readouterr().err
    assert not (tmp_path / "h.csv").exists()


def test_withheld_units_have_no_significance_anywhere(demo, tmp_path, capsys):
    res = run_area_hotspots(demo, HotspotParams(column="P21_POP_IMM", permutations=99))
    table = res.table
    withheld = res.indicator.withheld.to_numpy()
    assert withheld.any()  # the demo has small counts: the test reads something
    rows = table[withheld]
    assert (rows["label"] == WITHHELD).all()
    assert rows[["value", "statistic", "z", "p", "p_sim"]].isna().all().all()
    assert not res.significant_table()["withheld"].any()  # the page's and the report's table
    # the command line's CSV: the same withheld units, blank statistics, no class
    out = tmp_path / "h.csv"
    assert main(["hotspots", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
                 "--value", "P21_POP_IMM", "--permutations", "99", "--out", str(out)]) == 0
    capsys.readouterr()
    csv = pd.read_csv(out, dtype={"unit_id": str}).set_index("unit_id")
    ids = table.loc[withheld, "unit_id"].astype(str)
    assert (csv.loc[ids, "label"] == WITHHELD).all()
    assert csv.loc[ids, ["value", "statistic", "z", "p", "p_sim"]].isna().all().all()


def test_cli_equity_rate_is_the_shared_indicator(demo, tmp_path, capsys):
    base = ["--units", str(DEMO_DIR / "units.geojson"), "--table", str(DEMO_DIR / "census.csv"),
            "--points", f"checks={DEMO_DIR / 'checks.csv'}"]
    assert main(["equity", *base, "--burden", "checks", "--per", "P21_POP", "--group", "P21_POP_IMM",
                 "--population", "P21_POP", "--bootstrap", "99", "--seed", "2", "--out", str(tmp_path / "e.csv")]) == 0
    s = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    part = s["partition"]
    assert sum(v for k, v in part.items() if k != "total") == part["total"] == len(demo.units)
    ad = demo.units["unit_type"].isin(["A", "D"])
    assert part["left_out"] + part["withheld"] >= int(ad.sum()) > 0 and part["left_out"] > 0
    # the same exposure ratio as the Equity page's (run_equity: rates per 1,000 residents, A/D left out)
    page = run_equity(demo.units, enforcement="checks", crime="incidents", population="P21_POP",
                      group="P21_POP_IMM", bootstrap=99, seed=2, permutations=19)
    assert np.isclose(s["exposure_ratio"], page.exposure.ratio, rtol=1e-12)
    assert np.isclose(s["ci_low"], page.exposure.ci_low, rtol=1e-12)
