"""Download official IRIS data for one commune or one EPCI: IGN contours (7z archives) and INSEE
IRIS tables, unpacked, filtered to the area, with a manifest of URLs, dates and hashes.

The URLs live in one table, :data:`OFFICIAL_SOURCES`, as templates with ``{year}``.  Publishers
move files: override any entry with a TOML file (``--sources FILE``) holding the same keys, e.g.

    [iris_contours]
    url = "https://…/CONTOURS-IRIS_…_2024-01-01.7z"

Without a network the command fails at once with a message that says what to download by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tempfile
import tomllib
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from ..report import write_table
from .archives import MAX_DOWNLOAD_MB, _unpack_7z
from .tables import read_table
from .vector import read_units

__all__ = ["OFFICIAL_SOURCES", "fetch_area", "load_source_table"]

#: Where the official files are published (templates; ``{year}`` is the millésime).  Checked
#: against the publishers' pages when written; override with ``--sources`` when they move.
OFFICIAL_SOURCES: dict[str, dict[str, str]] = {
    "iris_contours": {
        "publisher": "IGN, CONTOURS-IRIS (Licence Ouverte 2.0)",
        "page": "https://geoservices.ign.fr/contoursiris",
        "url": "https://data.geopf.fr/telechargement/download/CONTOURS-IRIS/"
               "CONTOURS-IRIS_3-0__GPKG_LAMB93_FXX_{year}-01-01/CONTOURS-IRIS_3-0__GPKG_LAMB93_FXX_{year}-01-01.7z",
    },
    "census_population": {
        "publisher": "INSEE, base infracommunale « Évolution et structure de la population » (Licence Ouverte)",
        "page": "https://www.insee.fr/fr/statistiques?debut=0&theme=0&geo=IRIS-1",
        "url": "https://www.insee.fr/fr/statistiques/fichier/8268806/base-ic-evol-struct-pop-{year}_csv.zip",
    },
    "epci_composition": {
        "publisher": "INSEE, composition communale des EPCI (Licence Ouverte)",
        "page": "https://www.insee.fr/fr/information/2510634",
        "url": "https://www.insee.fr/fr/statistiques/fichier/2510634/EPCI_au_01-01-{year}.zip",
    },
}

def load_source_table(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """The URL table, with the entries of a TOML override file merged in."""
    table = {k: dict(v) for k, v in OFFICIAL_SOURCES.items()}
    if path:
        try:
            over = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"could not read the sources file '{path}': {exc}") from None
        unknown = set(over) - set(table)
        if unknown:
            raise ValueError(f"unknown source(s) {sorted(unknown)} in '{path}'; known: {', '.join(table)}")
        for k, v in over.items():
            table[k].update(v)
    return table


#: Seconds a download may take before it is abandoned.
FETCH_TIMEOUT_S = 60.0


def _download(url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - URLs from the documented table
            data = r.read(MAX_DOWNLOAD_MB * 2**20 + 1)
    except urllib.error.HTTPError as exc:
        raise ValueError(f"{url} answered HTTP {exc.code}: the file may have moved; set its URL with --sources "
                         "(see lillegeo.io.fetch.OFFICIAL_SOURCES)") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ValueError(f"could not download {url} ({reason}). This machine seems to be offline: download the "
                         "files by hand from the publishers' pages (python -m lillegeo fetch --list shows them) "
                         "and use 'python -m lillegeo join'") from None
    if len(data) > MAX_DOWNLOAD_MB * 2**20:
        raise ValueError(f"{url} is larger than {MAX_DOWNLOAD_MB} MB; refused")
    return data


def _communes_of_epci(data: bytes, siren: str) -> list[str]:
    """Commune codes of an EPCI from INSEE's composition table (zip of XLSX/CSV, header lines skipped)."""
    frames = []
    with tempfile.TemporaryDirectory(prefix="lillegeo-") as tmp:
        if data[:4] == b"PK\x03\x04" and b"[Content_Types].xml" not in data[:2000]:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for info in zf.infolist():
                    if info.filename.lower().endswith((".csv", ".xlsx")):
                        p = Path(tmp) / Path(info.filename).name
                        p.write_bytes(zf.read(info))
                        frames.append(p)
        else:
            p = Path(tmp) / "epci.xlsx"
            p.write_bytes(data)
            frames.append(p)
        for p in frames:
            try:
                df, _ = read_table(p, key="CODGEO")
            except ValueError:
                continue
            if "EPCI" in df.columns:
                codes = df.loc[df["EPCI"].astype("string").str.strip() == siren, "CODGEO"]
                return sorted(pd.Series(codes).astype(str).unique().tolist())
    raise ValueError("the EPCI composition table has no CODGEO / EPCI columns; check the 'epci_composition' URL")


def fetch_area(*, commune: str | None = None, epci: str | None = None, year: int, out: str | Path,
               sources: str | Path | None = None, timeout: float = FETCH_TIMEOUT_S) -> dict[str, Any]:
    """Download, unpack and filter the official IRIS files for a commune or an EPCI.

    Writes ``iris_<area>_<year>.gpkg`` (contours, EPSG:2154), ``census_<area>_<year>.csv`` (INSEE
    table rows of the area) and ``manifest.json`` (URLs, UTC dates, SHA-256 and sizes).
    """
    if bool(commune) == bool(epci):
        raise ValueError("give exactly one of --commune CODE (5 characters) or --epci SIREN (9 digits)")
    table = load_source_table(sources)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"year": year, "area": {"commune": commune, "epci": epci}, "files": {}}

    def get(key: str) -> bytes:
        url = table[key]["url"].format(year=year)
        data = _download(url, timeout)
        manifest["files"][key] = {"url": url, "publisher": table[key].get("publisher", ""),
                                  "downloaded_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                                  "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        return data

    if epci:
        if not (epci.isdigit() and len(epci) == 9):
            raise ValueError(f"--epci takes a 9-digit SIREN (e.g. 200093201 for the MEL); got {epci!r}")
        communes = _communes_of_epci(get("epci_composition"), epci)
        if not communes:
            raise ValueError(f"no commune belongs to EPCI {epci} in the {year} composition table")
        area = f"epci{epci}"
    else:
        if len(commune) != 5:
            raise ValueError(f"--commune takes a 5-character INSEE code (e.g. 59350 for Lille); got {commune!r}")
        communes = [commune]
        area = commune
    manifest["area"]["communes"] = communes

    raw = get("iris_contours")
    with tempfile.TemporaryDirectory(prefix="lillegeo-") as tmp:
        files = _unpack_7z(raw, Path(tmp)) if raw[:6] == b"7z\xbc\xaf\x27\x1c" else []
        if not files:
            p = Path(tmp) / "contours.zip"
            p.write_bytes(raw)
            files = [p]
        vec = [p for p in files if p.suffix.lower() in (".gpkg", ".shp", ".zip")]
        if not vec:
            raise ValueError("the contours archive holds no GeoPackage or shapefile")
        units, rep = read_units(sorted(vec, key=lambda p: p.suffix != ".gpkg")[0])
    units = units[units["commune_id"].isin(communes)]
    if units.empty:
        raise ValueError(f"no IRIS of {', '.join(communes[:5])} in the {year} contours")
    upath = out / f"iris_{area}_{year}.gpkg"
    units.to_file(upath, driver="GPKG", engine="pyogrio")
    manifest["files"]["iris_contours"]["kept_rows"] = int(len(units))

    census, trep = read_table(get("census_population"), name="census.zip")
    key = census.attrs["key"]
    census = census[census[key].astype(str).str[:5].isin(communes)]
    cpath = out / f"census_{area}_{year}.csv"
    write_table(census, cpath, "csv", float_format=None, sep=";")  # formulas neutralised, as every export
    manifest["files"]["census_population"]["kept_rows"] = int(len(census))
    manifest["outputs"] = [upath.name, cpath.name]
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest
