"""Equity maps partition the units (issue 14): on each of the four layers (bivariate, residual, residual_gi,
share), every unit is in exactly one legend entry and the legend's counts add up to the number of units,
A/D units and units without data included (as the Explore and Hotspots maps do)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from lillegeo.equity import run_equity
from lillegeo.fmt import NNBSP
from lillegeo.i18n import label_text
from lillegeo.layers import equity_layer
from lillegeo.maps import categorical_map

LAYERS = ("bivariate", "residual", "residual_gi", "share")


def _legend_counts(html: str) -> list[int]:
    """The numbers the map's legend shows: the bivariate grid's cells and every row's count."""
    legend = "\n".join(json.loads(m) for m in re.findall(r'innerHTML = ("(?:[^"\\]|\\.)*");', html))
    legend = legend[legend.index("<h4>"):]  # the legend control (the title and badge controls come first)
    cells = re.findall(r'line-height:20px">([\d,\u202f]+)</span>', legend)
    rows = re.findall(r'<span class="n">([\d,\u202f]+)</span>', legend)
    return [int(re.sub(r"[,\u202f]", "", n)) for n in cells + rows]


@pytest.fixture(scope="module")
def equity(demo):
    units = demo.units.copy()
    # one inhabited unit (type H) with no residents recorded: its rates cannot be computed -> "No data"
    big = (units["checks"] >= 11) & (units["incidents"] >= 11) & (units["unit_type"] == "H")  # not withheld
    h = units.index[big.to_numpy()][0]
    units.loc[h, "P21_POP"] = 0.0
    res = run_equity(units, enforcement="checks", crime="incidents", population="P21_POP", group="P21_POP_IMM",
                     bootstrap=49, permutations=99, seed=0)
    return units, res, h


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", LAYERS)
def test_every_equity_layer_partitions_the_units(equity, name, lang):
    units, res, _ = equity
    layer = equity_layer(res, name, lang, group="P21_POP_IMM")
    labels = layer.labels
    assert labels.notna().all() and (labels.astype(str) != "").all()  # every unit has a legend entry
    assert set(labels) <= set(layer.colors)
    m = categorical_map(units, labels, layer.colors, legend_title=layer.title, legend=layer.legend, lang=lang)
    counts = _legend_counts(m.get_root().render())
    # the legend's numbers add up to the units drawn (derived from the data, not a hard-coded demo count)
    assert sum(counts) == len(units), (name, counts)


def test_bivariate_legend_names_the_ad_and_no_data_units(equity):
    units, res, h = equity
    layer = equity_layer(res, "bivariate", "fr", group="P21_POP_IMM")
    ad = units["unit_type"].isin(["A", "D"]).to_numpy()
    unclassed = (res.bivariate[0] == "").to_numpy() & ~res.withheld.to_numpy()
    assert (unclassed & ad).any()  # the demo's A/D units the issue saw without a legend row
    left, nodata = label_text("Left out (A/D)", "fr"), label_text("No data", "fr")
    assert (layer.labels[unclassed & ad] == left).all()
    assert layer.labels[h] == nodata
    expected = int((unclassed & ad).sum())
    assert f'<span>{left}</span><span class="n">{expected}</span>' in layer.legend
    # the grid cells count the classed units only
    grid = [int(n.replace(NNBSP, "")) for n in re.findall(r'line-height:20px">([\d\u202f]+)</span>', layer.legend)]
    assert sum(grid) == int((res.bivariate[0] != "").sum())
    assert sum(grid) + int(res.withheld.sum()) + int(unclassed.sum()) == len(units)
    assert np.isin(layer.labels[unclassed], [left, nodata]).all()
