"""Every case of the bad-input corpus uploaded on the Data page (AppTest): a clear message or a
documented repair, never an exception shown to the user, and what was loaded before is untouched."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from lillegeo.demo import DEMO_DIR

from ..conftest import ROOT
from ..corpus.cases import cases
from .conftest import APP_TIMEOUT

CASES = [c for c in cases() if "limit" not in c.name]  # over-limit: refused by the server before the page
UPLOADER = {"units": "data_contours", "table": "data_table", "points": "data_points"}


def open_data_page() -> AppTest:
    """The Data page in upload mode (shared with benchmarks/reliability.py)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT)
    at.switch_page("pages/1_Data.py").run()
    at.radio(key="data_source").set_value("upload").run()
    return at


def set_upload(at: AppTest, case) -> None:
    """Put the case's file in its uploader (with the demo contours for tables and points); no run."""
    for key in UPLOADER.values():
        at.file_uploader(key=key).set_value(None)
    if case.kind == "units":
        at.file_uploader(key="data_contours").set_value((case.filename, case.make(), "application/octet-stream"))
    else:
        at.file_uploader(key="data_contours").set_value(
            ("units.geojson", (DEMO_DIR / "units.geojson").read_bytes(), "application/geo+json"))
        at.file_uploader(key=UPLOADER[case.kind]).set_value((case.filename, case.make(), "text/csv"))


@pytest.fixture(scope="module")
def data_page():
    return open_data_page()


def _schema_error(case) -> bool:
    import lillegeo as lg
    from lillegeo.io import SchemaError

    reader = lg.read_units if case.kind == "units" else lg.read_table if case.kind == "table" else None
    try:
        reader and reader(case.make(), name=case.filename)
    except SchemaError:
        return True
    except ValueError:
        pass
    return False


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case_in_the_app(data_page, case):
    at = data_page
    before = at.session_state["dataset_token"] if "dataset_token" in at.session_state else "demo"
    set_upload(at, case)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="data_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    if _schema_error(case):
        # unknown columns: the page offers the columns to pick by hand (the documented repair)
        widget = "data_map_unit_id" if case.kind == "units" else "data_key"
        assert at.selectbox(key=widget).options, "the page must offer the file's columns"
        assert at.session_state["dataset_token"] == before or not errors
        return
    if case.expect.startswith("ok:"):
        assert not errors, errors
        assert any("Loaded" in s.value for s in at.success)
        assert at.session_state["dataset_token"] != before
        # the repair is reported to the user in the readers' sentences on the page
        if case.expect in ("ok:flattened", "ok:repaired", "ok:padded", "ok:decoded", "ok:mixed"):
            notes = [m for r in at.session_state["dataset"].reports for m in r.messages_in("en")]
            assert notes, "a repair must be reported"
            shown = " ".join(m.value for m in at.markdown).replace("\\", "")  # Markdown escapes removed
            assert all(n[1:40] in shown for n in notes), (notes, shown)
    else:
        assert len(errors) == 1 and re.search(case.expect, errors[0]), errors
        assert "Traceback" not in errors[0] and not re.search(r"lillegeo-\w+/", errors[0])  # no server path
        assert any("still in use" in i.value for i in at.info)  # what was loaded before is kept
        assert at.session_state["dataset_token"] == before
