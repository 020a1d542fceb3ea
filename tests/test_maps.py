"""Maps: classification, legend, offline assets, shared borders and HTML escaping."""

from __future__ import annotations

import json
import re

import mapclassify
import numpy as np
import pandas as pd
import pytest
import shapely

import lillegeo as lg
from lillegeo.maps import categorical_map, display_geometry, palette_colors

XSS = "<img src=x onerror=alert(1)>"


def _hostile_units(grid_units):
    g = grid_units.copy()
    g["<script>alert('col')</script>"] = ["<b>bold</b>"] * len(g)
    g["P20_POP"] = [1000.0, 2000.0, 1500.0, 5.0, 3000.0, 2500.0]
    g["P20_POP_IMM"] = [100.0, 300.0, 7.0, 1.0, 600.0, 250.0]
    g["nom_commune"] = XSS
    units, _ = lg.read_units(g.to_json().encode(), name="u.geojson")
    return units


def test_every_value_is_escaped(grid_units, tmp_path):
    units = _hostile_units(grid_units)
    ind = lg.compute_indicator(units, "P20_POP_IMM", per="P20_POP")
    m = lg.choropleth_map(units, ind, title=XSS, assets="inline",
                          record_columns=[c for c in units.columns if c != "geometry"])
    html = lg.to_offline_html(m, tmp_path / "map.html")
    for raw in (XSS, "<script>alert('col')</script>", "<b>bold</b>"):
        assert raw not in html, f"unescaped {raw!r} in the map HTML"
    # escaped once by lillegeo; folium's JSON encoding writes '&' as \u0026 inside scripts
    decoded = html.replace("\\u0026", "&")
    assert "&lt;img src=x onerror=alert(1)&gt;" in decoded
    assert "&lt;script&gt;alert(&#x27;col&#x27;)&lt;/script&gt;" in decoded


JINJA = "{{ 'lille' ~ 'geo' ~ 7*7 }}{% for i in range(2) %}loop{% endfor %}{# comment"


def test_names_are_never_run_as_templates(grid_units, tmp_path):
    """folium renders each element's script (data included) and compiles it again as a Jinja template:
    a name like ``{{ 7*7 }}`` from an uploaded file was evaluated on the server (found in stop 10).
    Every builder must keep it as text; the expected rendering of a Jinja evaluation is 'lillegeo49'."""
    units = _hostile_units(grid_units)
    units["unit_name"] = JINJA
    units["commune_name"] = JINJA
    units[JINJA] = ["{{ 6*7 }}"] * len(units)
    ind = lg.compute_indicator(units, "P20_POP_IMM", per="P20_POP")
    cats = pd.Series([JINJA, "b"] * 3, index=units.index)
    maps = [
        lg.choropleth_map(units, ind, title=JINJA, overlay=units.iloc[:2], overlay_label=JINJA, assets="inline",
                          record_columns=[JINJA, "unit_name"]),
        categorical_map(units, cats, {JINJA: "#ff0000", "b": "#0000ff"}, legend_title=JINJA, layer_name=JINJA,
                        tooltip_columns={JINJA: cats}, legend_note=JINJA, title=JINJA, assets="inline"),
    ]
    for m in maps:
        out = lg.to_offline_html(m).replace("\\u0026", "&")
        assert "lillegeo49" not in out and "looploop" not in out
        assert "&#123;&#123; &#x27;lille&#x27; ~ &#x27;geo&#x27; ~ 7*7 &#125;&#125;" in out


def test_offline_html_has_no_remote_assets(demo):
    ind = lg.compute_indicator(demo.units, "incidents", per="P21_POP")
    m = lg.choropleth_map(demo.units, ind, overlay=demo.overlay, demo=True, assets="inline")
    html = lg.to_offline_html(m)
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", html)
    assert '"1.9.4"' in html  # Leaflet's version string, inlined from django-js-lib-leaflet
    assert "Synthetic demo data" in html


def test_app_assets_are_local(demo):
    ind = lg.compute_indicator(demo.units, "incidents", per="P21_POP")
    m = lg.choropleth_map(demo.units, ind, assets="app")
    html = m.get_root().render()
    srcs = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", html)
    assert srcs and all(s.startswith("/app/static/vendor/leaflet/") for s in srcs), srcs


def test_install_static_assets(tmp_path):
    d = lg.install_static_assets(tmp_path)
    assert (d / "leaflet.js").exists() and (d / "leaflet.css").exists() and (d / "images" / "layers.png").exists()


def test_legend_counts_match_mapclassify(demo):
    ind = lg.compute_indicator(demo.units, "incidents", per="P21_POP")
    m = lg.choropleth_map(demo.units, ind, scheme="fisher_jenks", k=5)
    html = m.get_root().render()
    ref = mapclassify.FisherJenks(ind.values.dropna().to_numpy(), k=5)
    legend = re.search(r'div\.innerHTML = ("(?:[^"\\]|\\.)*");\s*div\.setAttribute\("data-lillegeo", "legend"\)',
                       html)
    text = json.loads(legend.group(1))
    counts = [int(x) for x in re.findall(r'<span class="n">(\d+)</span>', text)]
    assert counts[:5] == ref.counts.tolist()
    assert counts[5] == ind.n_withheld  # the withheld row
    assert "Withheld (fewer than 11)" in text


@pytest.mark.parametrize("scheme", ["quantiles", "fisher_jenks", "equal_interval", "natural_breaks"])
def test_classify_schemes(scheme):
    v = pd.Series(np.arange(1, 101, dtype=float))
    c = lg.classify(v, scheme, 4)
    assert c.k == 4 and c.counts.sum() == 100


def test_classify_user_and_errors():
    c = lg.classify(pd.Series([1.0, 5.0, 20.0]), "user", breaks=[2, 10])
    assert c.bins.tolist() == [2.0, 10.0, 20.0]
    with pytest.raises(ValueError, match="scheme 'user' needs breaks"):
        lg.classify(pd.Series([1.0]), "user")
    with pytest.raises(ValueError, match="scheme must be one of"):
        lg.classify(pd.Series([1.0]), "jenks")
    with pytest.raises(ValueError, match="no values to classify"):
        lg.classify(pd.Series([np.nan]), "quantiles")


def test_palettes_are_distinct():
    for p in ("viridis", "YlGnBu", "YlOrRd", "PuBu", "Greys"):
        cols = palette_colors(p, 5)
        assert len(set(cols)) == 5
    with pytest.raises(ValueError, match="palette must be one of"):
        palette_colors("rainbow", 5)


def test_display_geometry_keeps_shared_borders(demo):
    units = demo.units
    simple = display_geometry(units, tolerance=20).to_crs(2154)
    arr = np.asarray(simple.values)
    assert shapely.coverage_is_valid(arr)  # no gaps or overlaps opened between neighbours
    assert shapely.get_num_coordinates(arr).sum() < shapely.get_num_coordinates(np.asarray(units.geometry.values)).sum()
    assert abs(shapely.union_all(arr).area - units.union_all().area) / units.union_all().area < 0.01


def test_map_errors(demo, grid_units):
    ind = lg.compute_indicator(demo.units, "incidents")
    with pytest.raises(ValueError, match="same index"):
        lg.choropleth_map(demo.units.iloc[:10], ind)
    with pytest.raises(TypeError, match="GeoDataFrame"):
        lg.choropleth_map(pd.DataFrame(demo.units.drop(columns="geometry")), ind)


def test_planar_units_map(grid_units):
    units, _ = lg.read_units(grid_units.to_json().encode(), name="u.geojson", planar=True)
    units["v"] = np.arange(len(units), dtype=float) * 20
    m = lg.choropleth_map(units, lg.compute_indicator(units, "v"), assets="inline")
    assert "L.CRS.Simple" in lg.to_offline_html(m)


def test_left_out_units_in_legend(demo):
    ind = lg.compute_indicator(demo.units, "incidents", per="P21_POP", exclude_types=("A", "D"))
    html = lg.choropleth_map(demo.units, ind).get_root().render()
    assert "Left out: activity/misc. unit (few residents)" in html
    assert ind.n_excluded == int(demo.units["unit_type"].isin(["A", "D"]).sum())


def _features(m):
    from lillegeo.maps import layer_properties

    props = layer_properties(lg.to_offline_html(m))[0]  # the first data layer, as the browser receives it
    return {p["uid"]: p for p in props}


def test_popup_record_withholds_small_counts(grid_units):
    units = _hostile_units(grid_units)
    ind = lg.compute_indicator(units, "P20_POP_IMM", per="P20_POP")
    cols = ["unit_id", "P20_POP", "P20_POP_IMM"]
    feats = _features(lg.choropleth_map(units, ind, record_columns=cols))
    # unit 593500100 has 7 immigrants and unit 593500101 has 1 and a population of 5: withheld in the popup too
    assert feats["593500100"]["r2"] == "withheld (fewer than 11)"
    assert feats["593500101"]["r1"] == "withheld (fewer than 11)"
    assert feats["593500001"]["r2"] == "300.00"
    assert feats["593500100"]["value"] == "withheld (fewer than 11)"


def test_display_geometry_quantised_memoised_and_still_a_coverage(demo):
    import shapely

    from lillegeo.maps.geometry import _DISPLAY_CACHE, display_geometry, display_resolution

    _DISPLAY_CACHE.clear()
    tol, dec = display_resolution(demo.units)
    assert (tol, dec) == (3.0, 5)  # the demo (Lille area) fits at zoom 11: 3 m at zoom 14, 5 decimals
    g = display_geometry(demo.units)
    coords = shapely.get_coordinates(g.values)
    assert (np.round(coords, 5) == coords).all()
    before = shapely.get_num_coordinates(demo.units.to_crs(4326).geometry.values).sum()
    assert shapely.get_num_coordinates(g.values).sum() < before
    # neighbours still share their border: the union has no slivers (area of holes ~ 0)
    merged = shapely.union_all(g.to_crs(2154).values)
    assert abs(merged.area - shapely.union_all(demo.units.geometry.values).area) / merged.area < 1e-3
    again = display_geometry(demo.units.copy())  # same content, another object: a cache hit
    assert again.geom_equals_exact(g, 0).all() and len(_DISPLAY_CACHE) == 1


def test_polygon_encoding_round_trips_with_holes_multipolygons_and_gaps():
    """The compact geometry the browser decodes (lillegeo.maps._UNITS_JS) gives back every vertex at
    the display precision; decoded here in Python the way the JavaScript does (running sums)."""
    from lillegeo.maps.geometry import _encode_polygons

    holed = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 1)]])
    multi = shapely.MultiPolygon([shapely.box(10, 10, 11, 11), shapely.box(12.123456, 12, 13, 13.5)])
    arr = np.array([holed, None, multi, shapely.Polygon()], dtype=object)
    e = json.loads(_encode_polygons(arr, 5))
    assert e["g"] == [1, 0, 2, 0] and e["p"] == [2, 1, 1] and e["r"] == [5, 4, 5, 5]
    xy = np.cumsum(np.array(e["c"]).reshape(-1, 2), axis=0) / e["q"]
    want = np.round(shapely.get_coordinates(np.array([holed, multi])), 5)
    assert np.array_equal(xy, want)
    assert _encode_polygons(np.array([shapely.LineString([(0, 0), (1, 1)])]), 5) is None  # GeoJSON fallback


def test_repainted_styles_reset_every_option(demo):
    """A paint restyles polygons in place (Leaflet merges styles): every style in it names the same
    options, so a unit going from withheld (dashed) to a class colour loses its dashes."""
    from lillegeo.maps.layers import _PAINT_JS

    ind = lg.compute_indicator(demo.units, "incidents", per="P21_POP")
    html = lg.to_offline_html(lg.choropleth_map(demo.units, ind))
    i = html.index(_PAINT_JS) + len(_PAINT_JS) + 1
    i = html.index(",", i) + 1
    payload, _ = json.JSONDecoder().raw_decode(html[i:].lstrip())
    styles = payload["styles"]
    assert len(styles) >= 3 and any(s_.get("dashArray") for s_ in styles)
    assert all(set(s_) == set(styles[0]) for s_ in styles) and "dashArray" in styles[0]
    assert any(s_["dashArray"] is None for s_ in styles)


def test_a_map_of_nothing_says_so(demo):
    empty = demo.units.iloc[:0]
    with pytest.raises(ValueError, match="nothing to map"):
        lg.choropleth_map(empty, lg.compute_indicator(empty, "incidents", per="P21_POP"))
    gone = demo.units.assign(geometry=None)
    with pytest.raises(ValueError, match="nothing to map"):
        categorical_map(gone, pd.Series("a", index=gone.index), {"a": "#ff0000"}, legend_title="t")


def test_natural_breaks_leaves_the_callers_random_state_alone():
    # classify seeded NumPy's global generator for mapclassify's NaturalBreaks and never gave it back
    import numpy as np

    from lillegeo.maps import classify

    values = pd.Series(np.arange(200.0) ** 1.5)
    np.random.seed(12345)
    expected = np.random.random(3)
    np.random.seed(12345)
    a = classify(values, "natural_breaks", k=5)
    assert np.array_equal(np.random.random(3), expected)
    b = classify(values, "natural_breaks", k=5)
    assert list(a.bins) == list(b.bins)  # still reproducible
