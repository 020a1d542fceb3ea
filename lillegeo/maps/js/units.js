(function (geoms, p) {
  if (!Array.isArray(geoms)) {  /* integer deltas (see _encode_polygons) */
    var e = geoms, out = [], ci = 0, ri = 0, pi = 0, x = 0, y = 0;
    for (var k = 0; k < e.g.length; k++) {
      if (!e.g[k]) { out.push(null); continue; }
      var polys = [];
      for (var a = 0; a < e.g[k]; a++) {
        var rings = [], nr = e.p[pi++];
        for (var b = 0; b < nr; b++) {
          var n = e.r[ri++], ring = new Array(n);
          for (var j = 0; j < n; j++) { x += e.c[ci++]; y += e.c[ci++]; ring[j] = [x / e.q, y / e.q]; }
          rings.push(ring);
        }
        polys.push(rings);
      }
      out.push({type: "MultiPolygon", coordinates: polys});
    }
    geoms = out;
  }
  var feats = [];
  for (var i = 0; i < geoms.length; i++) {
    if (!geoms[i]) continue;
    var props = {};
    for (var k2 in p.props) props[k2] = p.props[k2][i];
    feats.push({type: "Feature", id: i, geometry: geoms[i], properties: props});
  }
  var layer;
  function table(f, fields, aliases) {  /* values and aliases arrive HTML-escaped */
    var h = "<table>";
    for (var j = 0; j < fields.length; j++) {
      var v = f.properties[fields[j]];
      h += "<tr><th>" + aliases[j] + "</th><td>" + (v === null || v === undefined ? "" : v) + "</td></tr>";
    }
    return h + "</table>";
  }
  var opts = {interactive: p.interactive, smoothFactor: p.smooth,
              style: function (f) { return p.styles[p.style ? p.style[f.id] : 0]; }};
  if (p.pane) opts.pane = p.pane;
  if (p.interactive) opts.onEachFeature = function (f, l) {
    /* the tooltip sits beside the pointer, never under it, and hides while a record popup is open
       (the popup shows the same rows and more: the two never overlap) */
    l.bindTooltip(function () { return table(f, layer._lg.fields, layer._lg.aliases); },
                  {sticky: true, direction: "right", offset: [16, 0], className: "lillegeo-tip"});
    l.on("popupopen", function () {
      l.closeTooltip();
      if (layer._map) L.DomUtil.addClass(layer._map.getContainer(), "lillegeo-popup-open");
    });
    l.on("popupclose", function () {
      if (layer._map) L.DomUtil.removeClass(layer._map.getContainer(), "lillegeo-popup-open");
    });
    l.on("mouseover", function () { if (layer._lg.highlight) l.setStyle(layer._lg.highlight); });
    l.on("mouseout", function () { layer.resetStyle(l); });
  };
  layer = L.geoJSON({type: "FeatureCollection", features: feats}, opts);
  layer._lg = p;
  layer._lgTable = table;
  return layer;
})
