"""Strings no screen uses are gone from the string table (issue 14): an unused key is a translation
nobody reviews, and a search for a label lands on it instead of the one shown."""

from __future__ import annotations

import pytest

from lillegeo.i18n import STRINGS

from .conftest import ROOT

REMOVED = ("explore.summary", "finding.model", "finding.model_flag", "caveat.recorded_crime", "static.withheld")


def _sources() -> str:
    files = [*ROOT.glob("lillegeo/**/*.py"), *ROOT.glob("lillegeo/**/*.js"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    return "\n".join(p.read_text(encoding="utf-8") for p in files if p.name != "i18n.py")


@pytest.mark.parametrize("key", REMOVED)
def test_removed_keys_are_gone_and_unreferenced(key):
    assert key not in STRINGS
    src = _sources()
    assert f'"{key}"' not in src and f"'{key}'" not in src
