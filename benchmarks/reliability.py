"""Reliability figures: every case of the bad-input corpus through the library and the command line.

Counts clear messages (ValueError naming the problem), documented repairs, and anything else
(a crash: another exception type or a traceback). Writes docs/RELIABILITY.md.

    python benchmarks/reliability.py
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lillegeo as lg  # noqa: E402
from lillegeo.__main__ import main  # noqa: E402
from lillegeo.demo import DEMO_DIR  # noqa: E402
from tests.corpus.cases import cases  # noqa: E402

READERS = {"units": lg.read_units, "table": lg.read_table, "points": lg.read_points}


def run() -> tuple[list[dict], float]:
    rows = []
    t0 = time.perf_counter()
    for c in cases():
        data = c.make()
        outcome, detail = "", ""
        try:
            _, rep = READERS[c.kind](data, name=c.filename, **(c.kwargs or {}))
            outcome, detail = "repair" if rep.messages else "read", "; ".join(rep.messages)[:90]
        except ValueError as exc:
            outcome, detail = "clear message", str(exc)[:90]
        except Exception as exc:  # noqa: BLE001 - counted as a crash
            outcome, detail = "CRASH", f"{type(exc).__name__}: {exc}"[:90]
        cli = ""
        if c.kind in ("units", "table"):
            with tempfile.TemporaryDirectory() as d:
                f = Path(d) / c.filename
                f.write_bytes(data)
                args = (["join", "--units", str(f), "--table", str(DEMO_DIR / "census.csv")] if c.kind == "units"
                        else ["join", "--units", str(DEMO_DIR / "units.geojson"), "--table", str(f)])
                err = io.StringIO()
                try:
                    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                        rc = main(args + ["--out", str(Path(d) / "o.csv")])
                    cli = "ok" if rc == 0 else ("message" if "Traceback" not in err.getvalue() else "TRACEBACK")
                except Exception:  # noqa: BLE001
                    cli = "CRASH " + traceback.format_exc(limit=1).splitlines()[-1][:60]
        rows.append({"case": c.name, "kind": c.kind, "library": outcome, "cli": cli or "-", "detail": detail})
    return rows, time.perf_counter() - t0


def main_() -> None:
    rows, secs = run()
    crashes = sum(r["library"] == "CRASH" or r["cli"].startswith(("CRASH", "TRACEBACK")) for r in rows)
    lines = ["# Reliability", "",
             "Regenerate with `python benchmarks/reliability.py` (the corpus is `tests/corpus/cases.py`, "
             "checked by `tests/test_corpus.py`).", "",
             f"- cases tried: **{len(rows)}** ({sum(r['kind'] == 'units' for r in rows)} contours, "
             f"{sum(r['kind'] == 'table' for r in rows)} tables, {sum(r['kind'] == 'points' for r in rows)} points)",
             f"- clear messages: **{sum(r['library'] == 'clear message' for r in rows)}**; documented repairs or reads: "
             f"**{sum(r['library'] in ('repair', 'read') for r in rows)}**; crashes or tracebacks: **{crashes}**",
             f"- time for the whole corpus (library and command line): {secs:.1f} s", "",
             "Not measured yet (planned, issue 6): concurrent browser sessions held and memory per session; "
             "property-based tests.", "",
             "| case | kind | library | command line | message or repair |", "|---|---|---|---|---|"]
    for r in rows:
        detail = r["detail"].replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")
        lines.append(f"| {r['case']} | {r['kind']} | {r['library']} | {r['cli']} | {detail} |")
    out = ROOT / "docs" / "RELIABILITY.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:8]))
    print(f"written {out}")


if __name__ == "__main__":
    main_()
