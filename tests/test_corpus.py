"""Every bad input of the corpus gives a clear message naming the problem (ValueError, never a
traceback) or a documented repair, in the library and on the command line."""

from __future__ import annotations

import re

import pytest

import lillegeo as lg
from lillegeo.__main__ import main

from .corpus.cases import XSS, cases

READERS = {"units": lg.read_units, "table": lg.read_table, "points": lg.read_points}
CASES = cases()


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_library(case):
    data = case.make()
    reader = READERS[case.kind]
    if case.expect.startswith("ok:"):
        out, rep = reader(data, name=case.filename, **(case.kwargs or {}))
        assert len(out) >= 1
        what = case.expect[3:]
        if what == "flattened":
            assert any("3D" in m for m in rep.messages)
        elif what == "repaired":
            assert rep.details["repaired"] == 1 and out.is_valid.all()
        elif what == "padded":
            col = "unit_id" if case.kind == "units" else out.attrs["key"]
            assert out[col].str.len().eq(9).all()
        elif what == "text kept literally":
            assert XSS in set(out.astype(str).stack()) or XSS in out.columns
        elif what == "formulas kept as text":
            assert out["NOTE"].iloc[0].startswith("=HYPERLINK")
        elif what == "mixed":
            assert out["P20_POP"].dtype == "float64" and out["P20_POP"].isna().sum() == 1
            assert rep.details["mixed"] == {"P20_POP": 1} and any("12 (provisoire)" in m for m in rep.messages)
        elif what == "decoded":
            assert out.shape[0] >= 1 and "encoding" in rep.details and rep.messages
        elif what == "wide":  # 4,000 columns took 19 s; 1,999 (the limit is 2,000) read in about a second, typed
            assert out.shape == (1, 1999) and (out.dtypes.iloc[1:] == "float64").all()
        elif what == "2 rejected":
            assert rep.details["rejected_missing"] + rep.details["rejected_impossible"] == 3 and len(out) == 1
        return
    with pytest.raises(ValueError, match=case.expect):
        reader(data, name=case.filename, **(case.kwargs or {}))


def cli_args(case, f, out_dir) -> list[str]:
    """The command a user would type for this file (points go through `clusters --points`)."""
    from lillegeo.demo import DEMO_DIR

    if case.kind == "units":
        return ["join", "--units", str(f), "--table", str(DEMO_DIR / "census.csv"), "--out", str(out_dir / "o.csv")]
    if case.kind == "table":
        return ["join", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(f), "--out", str(out_dir / "o.csv")]
    return ["clusters", "--points", str(f), "--min-samples", "11", "--out", str(out_dir / "o.csv")]


@pytest.mark.parametrize("case", [c for c in CASES if not c.expect.startswith("ok:") and "limit" not in c.name],
                         ids=lambda c: c.name)
def test_command_line(case, tmp_path, capsys):
    f = tmp_path / case.filename
    f.write_bytes(case.make())
    args = cli_args(case, f, tmp_path)
    rc = main(args)
    err = capsys.readouterr().err
    assert rc == 2
    assert "Traceback" not in err and re.search(case.expect, err), err
