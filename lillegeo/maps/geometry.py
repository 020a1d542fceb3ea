"""Display geometry: resolution for the screen, simplification, memo caches shared by the session
threads, and the compact polygon encoding the browser decodes (``js/units.js``)."""

from __future__ import annotations

import threading
from collections import OrderedDict

import geopandas as gpd
import numpy as np
import shapely

from .escape import _script_json

__all__ = ["display_geometry", "display_resolution", "fit_zoom"]

#: How many zoom levels past the fitted view the display geometry stays exact to half a pixel.
DETAIL_ZOOMS = 3


class _Memo:
    """A small bounded memo shared by the app's session threads: every read and write holds a lock.

    Streamlit runs each session's script in its own thread, so a plain dict evicted with
    ``pop(next(iter(d)))`` while another thread reads it raised ``KeyError`` and "dictionary changed
    size during iteration". The value is built outside the lock (two threads may both build it; the
    first stored wins), so a slow build never blocks the other sessions' hits. Oldest entry evicted.
    """

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            return self._data.get(key, default)

    def put(self, key, value):
        """Store ``value`` unless another thread stored one first; return the stored value."""
        with self._lock:
            if key in self._data:
                return self._data[key]
            while len(self._data) >= self.maxsize:
                self._data.popitem(last=False)
            self._data[key] = value
            return value

    def get_or_build(self, key, build):
        _missing = object()
        hit = self.get(key, _missing)
        if hit is not _missing:
            return hit
        return self.put(key, build())

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._data


_DISPLAY_CACHE = _Memo(8)  # content key -> display GeoSeries
_RESOLUTION_CACHE = _Memo(64)  # content key -> (tolerance, decimals)


def fit_zoom(bounds_lonlat) -> int:
    """The Leaflet zoom at which bounds (lon/lat) fill an ~800-pixel map (as :func:`_new_map` does)."""
    b = bounds_lonlat
    span = max(b[2] - b[0], (b[3] - b[1]) * 1.6, 1e-4)
    return int(np.clip(np.floor(np.log2(360 * 800 / (256 * span))), 3, 17))


def display_resolution(units: gpd.GeoDataFrame) -> tuple[float, int]:
    """Simplification tolerance (metres) and coordinate decimals for showing ``units`` on a web map.

    Half a screen pixel at ``DETAIL_ZOOMS`` levels past the fitted view: a 30 km metropolis fits
    at zoom 11, so 3 m and 5 decimals; all of France fits at zoom 6, so ~100 m and 4 decimals. Web
    Mercator ground resolution: 156,543.03 m/px x cos(latitude) / 2^zoom.

    >>> from shapely.geometry import box
    >>> city = gpd.GeoDataFrame(geometry=[box(690_000, 7_050_000, 720_000, 7_080_000)], crs=2154)
    >>> display_resolution(city)
    (3.0, 5)
    >>> france = gpd.GeoDataFrame(geometry=[box(100_000, 6_050_000, 1_200_000, 7_110_000)], crs=2154)
    >>> display_resolution(france)
    (106.0, 4)
    """
    if units.crs is None or len(units) == 0:
        return 0.0, 6
    b = gpd.GeoSeries([shapely.box(*units.total_bounds)], crs=units.crs).to_crs(4326).total_bounds
    z = fit_zoom(b) + DETAIL_ZOOMS
    m_per_px = 156_543.03 * np.cos(np.radians((b[1] + b[3]) / 2)) / 2**z
    tol = round(float(m_per_px / 2), 1)
    decimals = int(np.clip(np.ceil(-np.log10(m_per_px / 4 / 111_320)), 4, 6))
    return tol, decimals


def display_geometry(units: gpd.GeoDataFrame, tolerance: float | None = None,
                     decimals: int | None = None) -> gpd.GeoSeries:
    """Geometry for web display: simplified with shared borders kept, in EPSG:4326, coordinates
    rounded to what the screen can show.

    ``shapely.coverage_simplify`` simplifies a valid coverage without opening
    slivers between neighbours.  Layers that are not a valid coverage are
    simplified per polygon with topology preserved. The result is memoised on the
    geometry's content (a hash of its WKB), so a rerun or another map of the same
    units costs a hash, not a simplification.

    Parameters
    ----------
    units : GeoDataFrame in a projected CRS (metres) or planar.
    tolerance : float, optional
        Simplification tolerance in metres (0 keeps every vertex); default from
        :func:`display_resolution`.
    decimals : int, optional
        Decimals kept in longitude/latitude (default from :func:`display_resolution`).
    """
    import hashlib

    wkb = shapely.to_wkb(np.asarray(units.geometry.values))
    digest = hashlib.blake2b(b"".join(w or b"" for w in wkb), digest_size=16).hexdigest()
    if tolerance is None or decimals is None:
        rkey = (digest, str(units.crs))
        auto = _RESOLUTION_CACHE.get_or_build(rkey, lambda: display_resolution(units))
        tolerance = auto[0] if tolerance is None else tolerance
        decimals = auto[1] if decimals is None else decimals
    key = (digest, str(units.crs), float(tolerance), int(decimals))
    hit = _DISPLAY_CACHE.get(key)
    if hit is not None:
        out = gpd.GeoSeries(hit.values, index=units.index, crs=hit.crs)
        out.attrs["display_key"] = key
        return out
    geoms = units.geometry.values
    if tolerance > 0 and len(geoms):
        arr = np.asarray(geoms)
        try:
            if shapely.coverage_is_valid(arr):
                arr = shapely.coverage_simplify(arr, tolerance, simplify_boundary=True)
            else:
                arr = shapely.simplify(arr, tolerance, preserve_topology=True)
        except Exception:  # noqa: BLE001 - simplification is cosmetic; keep the originals
            pass
        geoms = gpd.array.from_shapely(arr, crs=units.crs)
    gs = gpd.GeoSeries(geoms, index=units.index, crs=units.crs)
    if gs.crs is not None:
        gs = gs.to_crs(4326)
        gs = gpd.GeoSeries(shapely.transform(np.asarray(gs.values), lambda c: np.round(c, decimals)),
                           index=units.index, crs=gs.crs)
    gs = _DISPLAY_CACHE.put(key, gs)
    out = gpd.GeoSeries(gs.values, index=units.index, crs=gs.crs)
    out.attrs["display_key"] = key
    return out


_GEOJSON_CACHE = _Memo(8)


def _memo(key, build):
    """Small content-keyed memo (8 entries, thread-safe) for display geometry derived objects."""
    if key is None:
        return build()
    return _GEOJSON_CACHE.get_or_build(key, build)


def _encode_polygons(arr: np.ndarray, decimals: int) -> str | None:
    """Polygons as integer deltas: about a third of the GeoJSON text, decoded in the browser by
    :data:`_UNITS_JS`. ``None`` when ``arr`` holds anything but (multi)polygons.

    Layout: ``q`` (10^decimals), ``c`` (x, y deltas of all ring vertices in order, starting from 0),
    ``r`` (vertices per ring), ``p`` (rings per polygon), ``g`` (polygons per geometry; 0 = none).
    """
    missing = shapely.is_missing(arr) | shapely.is_empty(arr)
    kinds = shapely.get_type_id(arr[~missing])
    if not np.isin(kinds, (3, 6)).all():  # 3 Polygon, 6 MultiPolygon
        return None
    g = np.where(missing, 0, shapely.get_num_geometries(np.where(missing, None, arr)))
    polys = shapely.get_parts(arr[~missing])
    rings = shapely.get_rings(polys)
    q = 10 ** decimals
    xy = np.rint(shapely.get_coordinates(rings) * q).astype(np.int64)
    deltas = np.diff(xy, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()

    def ints(a) -> str:
        return ",".join(map(str, np.asarray(a, dtype=np.int64).tolist()))

    return (f'{{"q":{q},"c":[{ints(deltas)}],"r":[{ints(shapely.get_num_coordinates(rings))}],'
            f'"p":[{ints(1 + shapely.get_num_interior_rings(polys))}],"g":[{ints(g)}]}}')


def _geometry_json(geo: gpd.GeoSeries) -> str:
    """The geometries of ``geo`` for :class:`_Units`, memoised on the display key: polygons
    delta-encoded at the display precision, anything else as a GeoJSON array."""
    def build() -> str:
        arr = np.asarray(geo.values, dtype=object)
        key = geo.attrs.get("display_key")
        encoded = _encode_polygons(arr, int(key[3])) if key is not None and geo.crs is not None else None
        if encoded is not None:
            return encoded
        arr = np.where(shapely.is_empty(arr) | shapely.is_missing(arr), None, arr)
        parts = shapely.to_geojson(arr)
        return _script_json("[" + ",".join("null" if x is None else x for x in parts) + "]")

    key = geo.attrs.get("display_key")
    return _memo(None if key is None else ("geometry_json",) + key, build)


def _bounds(geo: gpd.GeoSeries) -> list[list[float | None]]:
    if not len(geo) or geo.is_empty.all():
        return [[None, None], [None, None]]
    b = geo.total_bounds
    return [[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]]
