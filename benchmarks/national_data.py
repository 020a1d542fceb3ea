"""National-scale synthetic data: ~48,600 IRIS-like units over metropolitan France, 1,000,000 incidents.

- Units: a Voronoi coverage of 48,600 seeds clipped to a France-shaped polygon in Lambert-93:
  16,000 urban seeds in ~120 agglomerations (Zipf sizes) and 32,600 rural seeds (communes
  non irisées), the proportions of the real IRIS grid. Borders are densified every 80 m and
  wiggled by a smooth function of position, so neighbours keep identical vertices (a valid
  coverage) and vertex counts are realistic (real MEL IRIS: mean 65, median segment 64 m; here
  ~40 vertices for a city unit, ~250 for a rural commune).
- Communes as in French agglomerations: a central commune of many IRIS around each agglomeration's
  centre, suburbs of about a dozen IRIS in rings of sectors, one commune per rural unit: ~34,900
  communes in all (real: 34,900), ~2,000 of them with several IRIS (real: ~1,900); the city subset
  (600 units around the largest agglomeration) has ~135 communes, a central one of ~86 IRIS
  (the MEL: 95 communes, ~530 IRIS, Lille 110).
- Codes: 9-character IRIS codes (commune + 4 digits) with 5-character commune codes; a census-like
  table (P21_POP, P21_POP_IMM, P21_ACT1564, P21_CHOM1564) written as INSEE writes it (``;``).
- Incidents: 1,000,000 points in Lambert-93 metres: 65 % in 4,000 tight hot spots (sd 40-90 m) in
  the cities, 35 % spread with the population, as Parquet (x, y, date) and a 100,000-point city
  subset for the city-scale figures.
- ``city_demo/`` and ``national_demo/``: the city and all of France in the demo's layout, for
  ``LILLEGEO_DEMO_DIR=benchmarks/data/national/national_demo streamlit run app.py``.

    python benchmarks/national_data.py [--out benchmarks/data/national] [--incidents 1000000]

Deterministic (seed 2026). About 40 s on 2 cores; ~250 MB on disk.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "data" / "national"

# a France-shaped outline in Lambert-93 (metres): Brest, Channel coast, Dunkirk, the north-east,
# Strasbourg, the Alps, Nice, the Mediterranean coast, the Pyrenees, the Atlantic coast
FRANCE = shapely.Polygon([(145e3, 6_835e3), (360e3, 6_880e3), (480e3, 6_950e3), (640e3, 7_110e3),
                          (830e3, 7_000e3), (1_040e3, 6_930e3), (1_070e3, 6_800e3), (960e3, 6_600e3),
                          (1_060e3, 6_420e3), (1_050e3, 6_290e3), (870e3, 6_230e3), (700e3, 6_240e3),
                          (690e3, 6_150e3), (520e3, 6_200e3), (330e3, 6_240e3), (340e3, 6_450e3),
                          (380e3, 6_620e3), (290e3, 6_720e3)])


def _wiggle(coords: np.ndarray) -> np.ndarray:
    """A smooth displacement that depends only on the position: shared vertices move together."""
    x, y = coords[:, 0], coords[:, 1]
    dx = 14 * np.sin(x / 97.0 + y / 131.0) * np.cos(y / 71.0)
    dy = 14 * np.cos(x / 83.0 - y / 117.0) * np.sin(x / 59.0)
    return np.round(np.c_[x + dx, y + dy], 2)


def make_units(n_urban: int = 16_000, n_rural: int = 32_816, seed: int = 2026,
               segment_m: float = 80.0) -> tuple[gpd.GeoDataFrame, pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = FRANCE.bounds
    # agglomerations: Zipf sizes, centres inside France
    n_cities = 120
    centres = []
    while len(centres) < n_cities:
        p = rng.uniform([minx + 40e3, miny + 40e3], [maxx - 40e3, maxy - 40e3])
        if FRANCE.contains(shapely.Point(p)):
            centres.append(p)
    centres = np.array(centres)
    w = 1.0 / np.arange(1, n_cities + 1)
    per_city = rng.multinomial(n_urban, w / w.sum())
    spread = 900 * np.sqrt(per_city) ** 0.9 + 500  # sd of each agglomeration's seeds (metres)
    urban = np.concatenate([rng.normal(c, sd, size=(k, 2)) for c, k, sd in zip(centres, per_city, spread) if k])
    urban = urban[shapely.contains_xy(FRANCE, urban[:, 0], urban[:, 1])]
    rural = rng.uniform([minx, miny], [maxx, maxy], size=(int(n_rural * 1.9), 2))
    rural = rural[shapely.contains_xy(FRANCE, rural[:, 0], rural[:, 1])][:n_rural]
    seeds, first = np.unique(np.round(np.vstack([urban, rural]), 0), axis=0, return_index=True)
    seed_urban = first < len(urban)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=FRANCE))
    cells = shapely.intersection(cells, FRANCE)
    cells = cells[~shapely.is_empty(cells) & (shapely.area(cells) > 1)]
    cells = shapely.segmentize(cells, segment_m)
    cells = shapely.transform(cells, _wiggle)
    cells = shapely.make_valid(cells)
    cells = np.array([g if g.geom_type in ("Polygon", "MultiPolygon") else
                      shapely.union_all([p for p in shapely.get_parts(g) if p.geom_type == "Polygon"])
                      for g in cells])
    # each cell's seed tells whether it is urban (an IRIS of an agglomeration) or a rural commune
    pts = shapely.points(seeds)
    cell_i, seed_i = shapely.STRtree(pts).query(cells, predicate="contains")
    is_urban = np.zeros(len(cells), dtype=bool)
    is_urban[cell_i] = seed_urban[seed_i]
    cen = shapely.centroid(cells)
    cx, cy = shapely.get_x(cen), shapely.get_y(cen)
    # communes as in a French agglomeration: a central commune of many IRIS (Lille: 110), suburbs of
    # a few to a few dozen in rings of sectors around it; rural units are one commune each
    dxy = np.c_[cx, cy][:, None, :] - centres[None, :, :]
    near = np.argmin(np.hypot(dxy[..., 0], dxy[..., 1]), axis=1)
    d = np.hypot(cx - centres[near, 0], cy - centres[near, 1])
    ring_w = np.maximum(3_000, 0.25 * spread[near])
    ring = (d // ring_w).astype(int)
    # about a dozen IRIS per suburban commune (real suburbs: from 1 to ~50)
    in_ring = pd.Series(is_urban.astype(int)).groupby([near, ring]).transform("sum").to_numpy()
    n_sect = np.where(ring == 0, 1, np.clip(np.round(in_ring / 12), 1, 12 * ring + 6)).astype(int)
    sector = (((np.arctan2(cy - centres[near, 1], cx - centres[near, 0]) + np.pi) / (2 * np.pi)) * n_sect).astype(int)
    dep = np.clip(((cx - minx) / (maxx - minx) * 9).astype(int) * 10 + ((cy - miny) / (maxy - miny) * 9).astype(int)
                  + 1, 1, 95)
    cell_key = np.where(is_urban, near * 1_000_000 + ring * 1_000 + np.minimum(sector, 999), -1 - np.arange(len(cx)))
    com_rank = pd.Series(cell_key).groupby(dep).transform(lambda s: pd.factorize(s)[0]).to_numpy()
    commune = np.char.add(np.char.zfill(dep.astype(str), 2), np.char.zfill((com_rank % 1000).astype(str), 3))
    order = pd.Series(np.arange(len(cx))).groupby(commune).cumcount().to_numpy()
    code = np.where(is_urban, np.char.add(commune, np.char.zfill((order + 101).astype(str), 4)),
                    np.char.add(commune, "0000"))
    # rare collisions of the 3-digit commune rank: make codes unique the way INSEE would not need to
    dup = pd.Series(code).duplicated(keep="first").to_numpy()
    code[dup] = [f"{c[:5]}{9000 + i % 999:04d}" for i, c in enumerate(code[dup])]
    assert not pd.Series(code).duplicated().any()
    units = gpd.GeoDataFrame({"code_iris": code, "nom_iris": [f"Zone {c}" for c in code], "insee_com": commune,
                              "nom_com": [f"Commune {c}" for c in commune],
                              "iris": [c[5:] for c in code], "typ_iris": np.where(is_urban, "H", "Z")},
                             geometry=cells, crs=2154)
    pop = np.where(is_urban, rng.normal(2300, 450, len(cx)), rng.lognormal(6.4, 0.9, len(cx))).clip(15).round()
    share = np.clip(rng.beta(2, 14, len(cx)) + 0.08 * is_urban, 0, 0.8)
    census = pd.DataFrame({"IRIS": code, "P21_POP": pop, "P21_POP_IMM": (pop * share).round(),
                           "P21_ACT1564": (pop * 0.47).round(), "P21_CHOM1564": (pop * 0.47 * rng.beta(2, 16, len(cx))).round()})
    units.attrs["centres"] = centres
    return units, census, centres


def make_incidents(units: gpd.GeoDataFrame, census: pd.DataFrame, n: int = 1_000_000, seed: int = 2027) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    urban = units[units["typ_iris"] == "H"]
    n_hot = int(n * 0.65)
    hot_centres = shapely.get_coordinates(urban.geometry.sample(4000, random_state=seed, replace=True)
                                          .representative_point().values)
    hot_w = rng.pareto(1.5, len(hot_centres)) + 1
    which = rng.choice(len(hot_centres), n_hot, p=hot_w / hot_w.sum())
    sd = rng.uniform(40, 90, len(hot_centres))[which]
    hot = hot_centres[which] + rng.normal(0, 1, (n_hot, 2)) * sd[:, None]
    # background with the population: a random point of a unit drawn by population
    pop = census.set_index("IRIS").loc[units["code_iris"], "P21_POP"].to_numpy()
    k = n - n_hot
    pick = rng.choice(len(units), k, p=pop / pop.sum())
    rp = shapely.get_coordinates(units.geometry.representative_point().values)
    b = shapely.bounds(units.geometry.values)
    spread = np.minimum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])[pick] / 5
    bg = rp[pick] + rng.normal(0, 1, (k, 2)) * spread[:, None]
    xy = np.vstack([hot, bg])
    days = rng.integers(0, 3 * 365, n)
    return pd.DataFrame({"x": xy[:, 0].round(1), "y": xy[:, 1].round(1),
                         "date": (pd.Timestamp("2022-01-01") + pd.to_timedelta(days, "D")).strftime("%Y-%m-%d")})


def city_subset(units: gpd.GeoDataFrame, incidents: pd.DataFrame, n_units: int = 600,
                n_points: int = 100_000) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The ~600 units nearest the largest agglomeration's centre, and 100,000 incidents inside them."""
    if "centres" in units.attrs:
        heart = np.asarray(units.attrs["centres"][0])  # rank 1 of the Zipf sizes
    else:  # units read back from a file: the densest urban spot
        urban = units[units["typ_iris"] == "H"]
        c = shapely.get_coordinates(shapely.centroid(urban.geometry.values))
        heart = np.median(c[np.argsort(shapely.area(urban.geometry.values))[: max(1, len(c) // 100)]], axis=0)
    cen = shapely.get_coordinates(shapely.centroid(units.geometry.values))
    near = np.argsort(np.hypot(cen[:, 0] - heart[0], cen[:, 1] - heart[1]))[:n_units]
    city = units.iloc[np.sort(near)].reset_index(drop=True)
    hull = shapely.union_all(city.geometry.values)
    inside = incidents[shapely.contains_xy(hull, incidents["x"].to_numpy(), incidents["y"].to_numpy())]
    rng = np.random.default_rng(5)
    if len(inside) < n_points:  # top up around the city's own incidents
        extra = inside.sample(n_points - len(inside), replace=True, random_state=5).copy()
        extra[["x", "y"]] += rng.normal(0, 30, (len(extra), 2))
        inside = pd.concat([inside, extra])
    return city, inside.sample(n_points, random_state=5).reset_index(drop=True)


def write_city_demo(city: gpd.GeoDataFrame, census: pd.DataFrame, incidents: pd.DataFrame, out: Path,
                    gpkg: bool = False) -> None:
    """The city subset in the demo's layout, for ``LILLEGEO_DEMO_DIR=… streamlit run app.py``
    (``gpkg``: units as a Lambert-93 GeoPackage, for all of France)."""
    out.mkdir(parents=True, exist_ok=True)
    u = city.rename(columns={"insee_com": "code_insee", "nom_com": "nom_commune", "typ_iris": "type_iris"})
    u = u[["code_insee", "nom_commune", "iris", "code_iris", "nom_iris", "type_iris", "geometry"]]
    if gpkg:
        u.to_file(out / "units.gpkg", layer="iris", engine="pyogrio")
    else:
        u.to_crs(4326).to_file(out / "units.geojson", driver="GeoJSON", engine="pyogrio")
    census[census["IRIS"].isin(city["code_iris"])].to_csv(out / "census.csv", sep=";", index=False)
    ll = gpd.GeoSeries(gpd.points_from_xy(incidents["x"], incidents["y"]), crs=2154).to_crs(4326)
    inc = pd.DataFrame({"id": [f"INC{i:07d}" for i in range(len(incidents))], "date": incidents["date"].to_numpy(),
                        "categorie": np.where(np.arange(len(incidents)) % 3 == 0, "violence", "vol"),
                        "longitude": ll.x.round(6).to_numpy(), "latitude": ll.y.round(6).to_numpy()})
    inc.to_csv(out / "incidents.csv", index=False)
    chk = inc.iloc[::10].rename(columns={"categorie": "motif"}).assign(id=lambda d: d["id"].str.replace("INC", "CTL"))
    chk.to_csv(out / "checks.csv", index=False)
    q = u.iloc[:40].dissolve(by=np.arange(40) // 10).reset_index(drop=True)
    gpd.GeoDataFrame({"code_qp": [f"QN0{i}" for i in range(len(q))], "nom_qp": [f"Quartier {i}" for i in range(len(q))]},
                     geometry=q.geometry.values, crs=u.crs).to_crs(4326).to_file(out / "qpv.geojson", driver="GeoJSON")


def write(out: Path = DEFAULT_OUT, n_incidents: int = 1_000_000) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    units, census, _ = make_units()
    units.to_file(out / "iris.gpkg", layer="iris", engine="pyogrio")
    census.to_csv(out / "census.csv", sep=";", index=False)
    inc = make_incidents(units, census, n_incidents)
    inc.to_parquet(out / "incidents.parquet", index=False)
    city, city_inc = city_subset(units, inc)
    city.to_file(out / "city_iris.gpkg", layer="iris", engine="pyogrio")
    census[census["IRIS"].isin(city["code_iris"])].to_csv(out / "city_census.csv", sep=";", index=False)
    city_inc.to_csv(out / "city_incidents.csv", index=False)
    write_city_demo(city, census, city_inc, out / "city_demo")
    # all of France in the demo's layout (200,000 of the incidents), for the app at national scale
    write_city_demo(units, census, inc.sample(200_000, random_state=7).reset_index(drop=True), out / "national_demo",
                    gpkg=True)
    nv = shapely.get_num_coordinates(units.geometry.values)
    info = {"units": len(units), "communes": units["insee_com"].nunique(), "vertices_mean": float(nv.mean()),
            "vertices_median": float(np.median(nv)), "incidents": len(inc), "city_units": len(city),
            "city_incidents": len(city_inc), "seconds": round(time.perf_counter() - t0, 1)}
    return info


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--incidents", type=int, default=1_000_000)
    a = ap.parse_args()
    print(write(a.out, a.incidents), file=sys.stdout)
