"""Generator of the synthetic demo metropolis shipped in ``geodata/demo/``.

Everything here is deterministic for a given ``seed``: the same seed gives the
same units, census table, incidents, identity checks, priority-neighbourhood
overlay and ground truth.  The data are **synthetic**; every page and export
that shows them says so.

The metropolis sits where Lille is (Lambert-93, EPSG:2154) so that the maps
look familiar, but every name and code is invented: communes are coded
``59901`` … ``59914`` (codes that do not exist in the Nord department) and
IRIS-like units ``599010101`` etc.

Regenerate with ``python -m lillegeo demo --out geodata/demo``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .demo_plan import plant
from .demo_plan import random_dates as _random_dates
from .demo_plan import sample_in as _sample_in

__all__ = ["DemoConfig", "generate_demo", "write_demo", "simulate_checks", "DEMO_DIR", "NB_SHAPE"]

DEMO_DIR = Path(__file__).resolve().parent.parent / "geodata" / "demo"

#: Centre of the demo metropolis, Lambert-93 metres (near Lille's Grand-Place).
CENTRE = (704_000.0, 7_059_500.0)

_COMMUNES = [
    # name, relative position (km), number of unit seeds
    ("Lisle-Centre", (0.0, 0.0), 190),
    ("Wazières", (-7.5, 1.5), 60),
    ("Roubeck", (8.5, 6.0), 60),
    ("Tourbaix", (5.0, 11.0), 60),
    ("Villeneuve-des-Prés", (8.0, -2.5), 38),
    ("Marcq-sur-Marque", (2.5, 5.5), 22),
    ("Loos-les-Moulins", (-3.0, -5.5), 18),
    ("Hem-la-Forêt", (12.0, 1.0), 14),
    ("Seclinghem", (-1.0, -11.0), 9),
    ("Annœulin-le-Bois", (-9.0, -8.0), 1),
    ("Fretinval", (4.0, -8.0), 1),
    ("Wambrechies-sur-Lys", (-4.0, 8.5), 8),
    ("Comines-Basse", (-10.0, 9.5), 1),
    ("Baisieux-Plaine", (14.0, -6.0), 1),
]

_CATEGORIES = ["vol", "cambriolage", "dégradation", "violence", "stupéfiants", "incivilité"]
_CATEGORY_P = [0.34, 0.12, 0.18, 0.14, 0.08, 0.14]


@dataclass(frozen=True)
class DemoConfig:
    """Parameters of the demo generator (all recorded in ``truth.json``).

    Parameters
    ----------
    seed : int
        Seed of the random generator; the only source of randomness.
    n_cells : int
        Number of fine Voronoi cells the units are assembled from (controls
        how jagged the shared borders are).
    n_incidents : int
        Number of geocoded incidents over the three years.
    hotspot_share : float
        Share of incidents drawn around the planted hotspot centres.
    bias_rr : float
        Enforcement bias: rate ratio of identity checks per 10 percentage
        points of immigrant share, *after* recorded crime is accounted for.
        ``1.0`` means checks follow recorded crime only.
    checks_per_incident : float
        Expected identity checks per recorded incident when there is no bias.
    intervention_rr : float
        Rate ratio of the planted patrols on the incidents of the treated units after the start
        (``1.0``: no effect). See :mod:`lillegeo.demo_plan`.
    buffer_rr : tuple of float
        Rate ratio in each intervention's buffer after the start (``> 1`` displacement, ``< 1``
        diffusion of benefits, ``1.0`` none).
    hit_rate_reference, hit_rate_group : float
        Share of checks that find something, for the reference group (``non immigré``) and for the
        group checked on a lower threshold (``immigré``).
    """

    seed: int = 59350
    n_cells: int = 9000
    n_incidents: int = 36000
    hotspot_share: float = 0.4
    bias_rr: float = 1.3
    checks_per_incident: float = 0.12
    years: tuple[int, ...] = (2022, 2023, 2024)
    intervention_rr: float = 0.75
    buffer_rr: tuple[float, ...] = (1.2, 0.85)
    #: Treated units: representative point within this radius of the hot-spot centre (metres).
    intervention_radius_m: float = 500.0
    #: Buffer units: the other units within this distance of the treated area (metres).
    intervention_buffer_m: float = 300.0
    #: Planted patrols: the hot spot (index in ``hotspots``) and the start date.
    interventions: tuple[dict, ...] = field(default_factory=lambda: (
        {"hotspot": 0, "start": "2023-07-01"}, {"hotspot": 2, "start": "2023-07-01"}))
    hit_rate_reference: float = 0.12
    hit_rate_group: float = 0.08
    #: Odds of a check's person being an immigrant, relative to the unit's resident share.
    check_group_odds: float = 2.0
    hotspots: tuple[dict, ...] = field(default_factory=lambda: (
        # dx, dy in km from the centre, sigma in metres, weight, years active
        {"dx": 0.3, "dy": 0.4, "sigma": 160, "weight": 0.22, "years": [2022, 2023, 2024]},
        {"dx": -1.2, "dy": -0.9, "sigma": 200, "weight": 0.16, "years": [2022, 2023, 2024]},
        {"dx": 8.2, "dy": 6.3, "sigma": 180, "weight": 0.14, "years": [2022, 2023, 2024]},
        {"dx": 5.3, "dy": 10.6, "sigma": 220, "weight": 0.12, "years": [2022, 2023, 2024]},
        {"dx": -7.3, "dy": 1.2, "sigma": 170, "weight": 0.10, "years": [2022, 2023, 2024]},
        {"dx": 1.8, "dy": -2.2, "sigma": 140, "weight": 0.10, "years": [2022, 2023, 2024]},
        {"dx": 7.6, "dy": -2.0, "sigma": 190, "weight": 0.08, "years": [2023, 2024]},
        {"dx": -2.6, "dy": -5.0, "sigma": 150, "weight": 0.08, "years": [2022, 2023]},
    ))
    #: Centres (km) and radii (km) of the deprivation field; QPV-like areas sit on them.
    deprived: tuple[tuple[float, float, float], ...] = (
        (1.5, -2.0, 1.1), (-1.0, -1.0, 0.8), (8.3, 6.5, 1.3), (5.0, 10.0, 1.2), (-7.0, 1.0, 0.9),
    )


def _warp(rng: np.random.Generator, xy: np.ndarray, amp: float, scale: float) -> np.ndarray:
    """Smooth random displacement of coordinates (sum of a few sinusoids)."""
    out = xy.copy()
    for _ in range(3):
        k = rng.uniform(0.5, 1.5, size=2) * 2 * np.pi / scale
        ph = rng.uniform(0, 2 * np.pi, size=2)
        out[:, 0] += amp * np.sin(k[0] * xy[:, 1] + ph[0])
        out[:, 1] += amp * np.sin(k[1] * xy[:, 0] + ph[1])
    return out


def _boundary(rng: np.random.Generator) -> shapely.Polygon:
    """An irregular outline of the metropolis, about 34 km x 30 km."""
    t = np.linspace(0, 2 * np.pi, 240, endpoint=False)
    r = 1.0 + sum(rng.uniform(0.02, 0.06) * np.sin(m * t + rng.uniform(0, 2 * np.pi)) for m in (2, 3, 5, 7))
    x = CENTRE[0] + 2_000 + 17_500 * r * np.cos(t)
    y = CENTRE[1] + 500 + 14_500 * r * np.sin(t)
    return shapely.Polygon(np.c_[x, y])


def _nearest(points: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    from scipy.spatial import cKDTree

    return cKDTree(seeds).query(points)[1]


def _cell_adjacency(cells: np.ndarray) -> list[np.ndarray]:
    """Indices of the cells sharing an edge with each cell."""
    tree = shapely.STRtree(cells)
    left, right = tree.query(cells, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    order = np.argsort(left, kind="stable")
    left, right = left[order], right[order]
    bounds = np.searchsorted(left, np.arange(len(cells) + 1))
    return [right[bounds[i]:bounds[i + 1]] for i in range(len(cells))]


def _make_contiguous(labels: np.ndarray, adj: list[np.ndarray], rounds: int = 6) -> np.ndarray:
    """Give the cells of every detached piece of a region to the neighbouring region.

    Each label keeps its largest connected piece; cells of smaller pieces take
    the most common label among their neighbours.  Repeated until stable.
    """
    labels = labels.copy()
    for _ in range(rounds):
        changed = False
        for lab in np.unique(labels):
            idx = np.flatnonzero(labels == lab)
            if len(idx) < 2:
                continue
            members = set(idx.tolist())
            seen: set[int] = set()
            comps = []
            for start in idx:
                if start in seen:
                    continue
                stack, comp = [start], []
                seen.add(start)
                while stack:
                    c = stack.pop()
                    comp.append(c)
                    for nb in adj[c]:
                        if nb in members and nb not in seen:
                            seen.add(nb)
                            stack.append(nb)
                comps.append(comp)
            if len(comps) == 1:
                continue
            comps.sort(key=len, reverse=True)
            for comp in comps[1:]:
                for c in comp:
                    nbl = labels[adj[c]]
                    nbl = nbl[nbl != lab]
                    if len(nbl):
                        vals, cnt = np.unique(nbl, return_counts=True)
                        labels[c] = vals[np.argmax(cnt)]
                        changed = True
        if not changed:
            break
    return labels


def _deprivation(cfg: DemoConfig, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Deprivation field in [0, 1]: Gaussian bumps around the deprived centres."""
    d = np.zeros_like(x, dtype=float)
    for dx, dy, r in cfg.deprived:
        cx, cy = CENTRE[0] + dx * 1000, CENTRE[1] + dy * 1000
        d += np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * (r * 1000) ** 2))
    return np.clip(d, 0, 1)


#: Gamma shape of the enforcement noise: checks are negative binomial (NB2) with alpha = 1 / NB_SHAPE.
NB_SHAPE = 8.0


def simulate_checks(crime: np.ndarray, share: np.ndarray, *, bias_rr: float, checks_per_incident: float,
                    rng: np.random.Generator, return_mean: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Identity checks per unit: recorded crime times the documented bias, with over-dispersion.

    ``E[checks_i] = checks_per_incident * (crime_i + 0.5) * bias_rr ** (10 * share_i)`` times a
    Gamma(NB_SHAPE, 1/NB_SHAPE) factor, then Poisson: a negative binomial whose rate ratio per
    10 percentage points of ``share`` (beyond crime) is exactly ``bias_rr``. With ``return_mean``,
    also the Poisson mean of each unit (Gamma factor included).
    """
    lam = checks_per_incident * (np.asarray(crime, float) + 0.5) * bias_rr ** (np.asarray(share, float) * 10)
    lam = lam * rng.gamma(NB_SHAPE, 1 / NB_SHAPE, len(lam))
    counts = rng.poisson(lam)
    return (counts, lam) if return_mean else counts


def generate_demo(config: DemoConfig | None = None) -> dict:
    """Generate the synthetic demo metropolis.

    Parameters
    ----------
    config : DemoConfig, optional
        Generator parameters; the defaults give the shipped demo.

    Returns
    -------
    dict
        ``units`` (GeoDataFrame, EPSG:2154, IGN 2024 column names),
        ``census`` (DataFrame, INSEE-style columns, ``ns`` markers as text),
        ``incidents`` and ``checks`` (DataFrames with longitude/latitude),
        ``qpv`` (GeoDataFrame), ``truth`` (dict) and ``incident_hotspot`` (planted
        hotspot of each incident, -1 for background).

    Examples
    --------
    >>> demo = generate_demo(DemoConfig(n_cells=900, n_incidents=2000))
    >>> sorted(demo)
    ['census', 'checks', 'incident_hotspot', 'incidents', 'qpv', 'truth', 'units']
    """
    cfg = config or DemoConfig()
    rng = np.random.default_rng(cfg.seed)
    boundary = _boundary(rng)

    # 1. Fine Voronoi cells covering the boundary exactly.
    minx, miny, maxx, maxy = boundary.bounds
    pts = np.c_[rng.uniform(minx, maxx, cfg.n_cells * 2), rng.uniform(miny, maxy, cfg.n_cells * 2)]
    pts = pts[shapely.contains_xy(boundary, pts[:, 0], pts[:, 1])][: cfg.n_cells]
    cells = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=boundary.buffer(2000))
    cells = np.asarray(shapely.get_parts(cells))
    cells = shapely.intersection(cells, boundary)
    cells = cells[~shapely.is_empty(cells)]
    cells = shapely.set_precision(cells, 0.1)
    centroids = shapely.get_coordinates(shapely.centroid(cells))

    # 2. Communes: nearest commune seed in warped space.
    com_xy = np.array([[CENTRE[0] + p[0] * 1000, CENTRE[1] + p[1] * 1000] for _, p, _ in _COMMUNES])
    warped = _warp(rng, centroids, 900, 6000)
    cell_com = _nearest(warped, com_xy)
    adj = _cell_adjacency(cells)
    cell_com = _make_contiguous(cell_com, adj)

    # 3. Units inside each commune: seeds denser near the commune centre.
    unit_rows = []
    cell_unit = np.full(len(cells), -1)
    warped2 = _warp(rng, centroids, 180, 1500)
    uid = 0
    for ci, (name, _, n_seeds) in enumerate(_COMMUNES):
        idx = np.flatnonzero(cell_com == ci)
        if len(idx) == 0:
            continue
        n_seeds = min(n_seeds, max(1, len(idx) // 6))
        if n_seeds == 1:
            cell_unit[idx] = uid
            unit_rows.append((uid, ci))
            uid += 1
            continue
        c = centroids[idx]
        dist = np.hypot(c[:, 0] - com_xy[ci, 0], c[:, 1] - com_xy[ci, 1])
        p = 1.0 / (1.0 + (dist / 1500.0) ** 2)
        seeds = c[rng.choice(len(idx), size=n_seeds, replace=False, p=p / p.sum())]
        lab = _nearest(warped2[idx], seeds)
        for k in np.unique(lab):
            cell_unit[idx[lab == k]] = uid
            unit_rows.append((uid, ci))
            uid += 1
    unit_com = np.array([ci for _, ci in unit_rows])
    fixed = _make_contiguous(cell_unit, adj)
    # a cell may only move to a unit of its own commune
    cell_unit = np.where(unit_com[fixed] == cell_com, fixed, cell_unit)
    geoms = [shapely.union_all(cells[cell_unit == u]) for u, _ in unit_rows]

    # 4. Codes, names, types.
    records = []
    seq_by_com: dict[int, int] = {}
    n_units_by_com = pd.Series([ci for _, ci in unit_rows]).value_counts().to_dict()
    for (u, ci), g in zip(unit_rows, geoms):
        com_code = f"599{ci + 1:02d}"
        com_name = _COMMUNES[ci][0]
        if n_units_by_com[ci] == 1:
            code, typ, nom = com_code + "0000", "Z", com_name
        else:
            seq_by_com[ci] = seq_by_com.get(ci, 0) + 1
            s = seq_by_com[ci]
            code = f"{com_code}{(s - 1) // 99 + 1:02d}{(s - 1) % 99 + 1:02d}"
            r = rng.random()
            typ = "A" if r < 0.06 else ("D" if r < 0.085 else "H")
            label = {"H": "Quartier", "A": "Zone d'activités", "D": "Parc"}[typ]
            nom = f"{com_name} {label} {s}"
        records.append({"code_insee": com_code, "nom_commune": com_name, "iris": code[5:],
                        "code_iris": code, "nom_iris": nom, "type_iris": typ, "geometry": g})
    units = gpd.GeoDataFrame(records, geometry="geometry", crs=2154)
    units = units.sort_values("code_iris").reset_index(drop=True)

    # 5. Census table with realistic correlations.
    cxy = shapely.get_coordinates(units.geometry.representative_point())
    dep = _deprivation(cfg, cxy[:, 0], cxy[:, 1])
    dist_c = np.hypot(cxy[:, 0] - CENTRE[0], cxy[:, 1] - CENTRE[1]) / 1000
    n = len(units)
    typ = units["type_iris"].to_numpy()
    pop = np.where(typ == "H", rng.lognormal(np.log(2100), 0.28, n),
                   np.where(typ == "Z", rng.lognormal(np.log(1500), 0.5, n),
                            np.where(typ == "A", rng.uniform(20, 400, n), rng.uniform(0, 60, n))))
    imm_share = np.clip(0.06 + 0.32 * dep + rng.normal(0, 0.03, n) + 0.03 * (dist_c < 3), 0.01, 0.7)
    imm = pop * imm_share
    etr = imm * np.clip(rng.normal(0.55, 0.07, n), 0.2, 0.9)
    act = pop * np.clip(rng.normal(0.47, 0.03, n), 0.3, 0.6)
    chom_rate = np.clip(0.07 + 0.22 * dep + 0.25 * (imm_share - 0.15) + rng.normal(0, 0.015, n), 0.02, 0.5)
    chom = act * chom_rate
    scol = pop * np.clip(0.07 + 0.10 * (dist_c < 2.5) + rng.normal(0, 0.02, n), 0.01, 0.4)
    income = np.round(25_500 - 10_500 * dep - 8_000 * (chom_rate - 0.1) + rng.normal(0, 900, n), -1)
    poverty = np.round(np.clip(9 + 33 * dep + 60 * (chom_rate - 0.1) + rng.normal(0, 2, n), 2, 60), 1)
    small = (pop < 250) | np.isin(typ, ["A", "D"])
    census = pd.DataFrame({
        "IRIS": units["code_iris"], "COM": units["code_insee"], "LIBCOM": units["nom_commune"],
        "LIBIRIS": units["nom_iris"], "TYP_IRIS": typ,
        "P21_POP": np.round(pop, 4), "P21_POP_IMM": np.round(imm, 4), "P21_POP_ETR": np.round(etr, 4),
        "P21_ACT1564": np.round(act, 4), "P21_CHOM1564": np.round(chom, 4),
        "P21_SCOL1824": np.round(scol, 4),
        "DISP_MED21": np.where(small, "ns", pd.Series(income).map(lambda v: f"{v:.0f}")),
        "DISP_TP6021": np.where(small, "ns", pd.Series(poverty).map(lambda v: f"{v:.1f}")),
    })

    # 6. Incidents: background proportional to population x deprivation, plus hotspots.
    n_hot = int(round(cfg.n_incidents * cfg.hotspot_share))
    n_bg = cfg.n_incidents - n_hot
    w = pop * (0.5 + 1.5 * dep) + 30
    per_unit = rng.multinomial(n_bg, w / w.sum())
    bg_xy = np.vstack([_sample_in(rng, g, k) for g, k in zip(units.geometry, per_unit)])
    bg_dates = _random_dates(rng, list(cfg.years), n_bg)
    hs = list(cfg.hotspots)
    hw = np.array([h["weight"] for h in hs])
    hk = rng.multinomial(n_hot, hw / hw.sum())
    hot_xy, hot_dates, hot_id = [], [], []
    for i, (h, k) in enumerate(zip(hs, hk)):
        cx, cy = CENTRE[0] + h["dx"] * 1000, CENTRE[1] + h["dy"] * 1000
        got = np.empty((0, 2))
        while len(got) < k:
            cand = rng.normal([cx, cy], h["sigma"], size=(k * 2, 2))
            cand = cand[shapely.contains_xy(boundary, cand[:, 0], cand[:, 1])]
            got = np.vstack([got, cand])
        hot_xy.append(got[:k])
        hot_dates.append(_random_dates(rng, h["years"], k))
        hot_id.append(np.full(k, i))
    xy = np.vstack([bg_xy] + hot_xy)
    dates = pd.concat([bg_dates] + hot_dates, ignore_index=True)
    hotspot = np.concatenate([np.full(n_bg, -1)] + hot_id)
    cat_p = np.array(_CATEGORY_P)
    cats = rng.choice(_CATEGORIES, size=len(xy), p=cat_p)
    order = np.lexsort((xy[:, 0], dates.to_numpy()))
    lonlat = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=2154).to_crs(4326)
    incidents = pd.DataFrame({
        "id": np.arange(len(xy)), "date": dates.to_numpy(), "categorie": cats,
        "longitude": np.round(lonlat.x.to_numpy(), 6), "latitude": np.round(lonlat.y.to_numpy(), 6),
        "_hotspot": hotspot,
    }).iloc[order]
    incidents["id"] = [f"INC{i:06d}" for i in range(len(incidents))]
    truth_hot = incidents.pop("_hotspot").to_numpy()

    # 7. Identity checks: follow recorded crime, times the documented bias.
    inc_units = gpd.sjoin(gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=2154),
                          units[["geometry"]], predicate="within", how="left")
    inc_units = inc_units[~inc_units.index.duplicated()]
    crime = np.bincount(inc_units["index_right"].dropna().astype(int), minlength=n).astype(float)
    shape = NB_SHAPE
    n_checks, lam = simulate_checks(crime, imm_share, bias_rr=cfg.bias_rr,
                                    checks_per_incident=cfg.checks_per_incident, rng=rng, return_mean=True)
    ck_xy = np.vstack([_sample_in(rng, g, k) for g, k in zip(units.geometry, n_checks)])
    ck_lonlat = gpd.GeoSeries(gpd.points_from_xy(ck_xy[:, 0], ck_xy[:, 1]), crs=2154).to_crs(4326)
    checks = pd.DataFrame({
        "id": [f"CTL{i:06d}" for i in range(len(ck_xy))],
        "date": _random_dates(rng, list(cfg.years), len(ck_xy)).to_numpy(),
        "motif": rng.choice(["contrôle d'identité", "contrôle routier"], size=len(ck_xy), p=[0.8, 0.2]),
        "longitude": np.round(ck_lonlat.x.to_numpy(), 6), "latitude": np.round(ck_lonlat.y.to_numpy(), 6),
    })

    # 8. QPV-like overlay around the deprived centres.
    qpv = []
    for i, (dx, dy, r) in enumerate(cfg.deprived):
        t = np.linspace(0, 2 * np.pi, 48, endpoint=False)
        rr = r * 700 * (1 + 0.18 * np.sin(3 * t + rng.uniform(0, 6)) + 0.08 * np.sin(5 * t))
        poly = shapely.Polygon(np.c_[CENTRE[0] + dx * 1000 + rr * np.cos(t), CENTRE[1] + dy * 1000 + rr * np.sin(t)])
        qpv.append({"code_qp": f"QN099{i + 1:03d}", "nom_qp": f"Quartier prioritaire {i + 1}",
                    "geometry": shapely.set_precision(poly.intersection(boundary), 0.1)})
    qpv = gpd.GeoDataFrame(qpv, geometry="geometry", crs=2154)

    # 9. Planted patrols and stop-level outcomes (own random streams, after every draw above).
    centres = [(CENTRE[0] + hs[iv["hotspot"]]["dx"] * 1000, CENTRE[1] + hs[iv["hotspot"]]["dy"] * 1000)
               for iv in cfg.interventions]
    inc_unit = inc_units["index_right"].fillna(-1).astype(int).to_numpy()[incidents.index]
    incidents, truth_hot, checks, planted = plant(
        cfg, units, incidents, xy[incidents.index], inc_unit, truth_hot, checks=checks, n_checks=n_checks,
        lam=lam, share=imm_share, centres=centres, categories=_CATEGORIES, category_p=_CATEGORY_P)

    truth = {
        "generator": "lillegeo.demo.generate_demo",
        "config": {k: v for k, v in asdict(cfg).items() if k not in ("hotspots", "deprived", "interventions")},
        "hotspots": [
            {"id": i, "x": CENTRE[0] + h["dx"] * 1000, "y": CENTRE[1] + h["dy"] * 1000,
             "sigma_m": h["sigma"], "weight": h["weight"], "years": h["years"],
             "n_incidents": int((truth_hot == i).sum())}
            for i, h in enumerate(hs)
        ],
        "deprived_centres": [{"x": CENTRE[0] + dx * 1000, "y": CENTRE[1] + dy * 1000, "radius_m": r * 1000}
                             for dx, dy, r in cfg.deprived],
        "bias": {"rate_ratio_per_10pp_immigrant_share": cfg.bias_rr, "nb_gamma_shape": shape,
                 "model": "checks ~ Poisson(checks_per_incident * (incidents + 0.5) * bias_rr^(10*share) * Gamma)"},
        **planted,
        "crs": "EPSG:2154",
    }
    return {"units": units, "census": census, "incidents": incidents.reset_index(drop=True),
            "checks": checks, "qpv": qpv, "truth": truth, "incident_hotspot": truth_hot}


def write_demo(out: str | Path = DEMO_DIR, config: DemoConfig | None = None) -> list[Path]:
    """Generate the demo and write it in the formats a city would hand over.

    Parameters
    ----------
    out : path
        Target folder (created if needed).
    config : DemoConfig, optional
        Generator parameters.

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    d = generate_demo(config)
    files = []
    p = out / "units.geojson"
    d["units"].to_file(p, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=1, WRITE_BBOX="NO")
    files.append(p)
    p = out / "census.csv"
    d["census"].to_csv(p, sep=";", index=False, encoding="utf-8", lineterminator="\n")
    files.append(p)
    for name in ("incidents", "checks"):
        p = out / f"{name}.csv"
        d[name].to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
        files.append(p)
    p = out / "qpv.geojson"
    d["qpv"].to_file(p, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=1)
    files.append(p)
    truth = dict(d["truth"])
    p = out / "truth.json"
    p.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    files.append(p)
    p = out / "incident_hotspot.csv"
    pd.DataFrame({"id": d["incidents"]["id"], "hotspot": d["incident_hotspot"]}).to_csv(
        p, index=False, lineterminator="\n")
    files.append(p)
    return files
