(function (layer, p) {
  var Paint = L.Layer.extend({
    onAdd: function (map) {
      clearTimeout(layer._lgRemoval);
      layer._lg = p;
      layer.eachLayer(function (l) {
        var f = l.feature;
        for (var k in p.props) f.properties[k] = p.props[k][f.id];
        if (p.popup.length && !l.getPopup()) {
          l.bindPopup(function () { return layer._lgTable(f, layer._lg.popup, layer._lg.popup_aliases); },
                      {maxWidth: 420, className: "lillegeo-tip"});
        } else if (!p.popup.length && l.getPopup()) { l.unbindPopup(); }
      });
      layer.options.style = function (f) { return p.styles[p.style ? p.style[f.id] : 0]; };
      layer.setStyle(layer.options.style);
      if (!map.hasLayer(layer)) map.addLayer(layer);
    },
    onRemove: function (map) {
      /* the app swaps data groups by removing the old one and adding the new one at once:
         keep the polygons on the map unless no paint takes over */
      layer._lgRemoval = setTimeout(function () { map.removeLayer(layer); }, 0);
    }
  });
  return new Paint();
})
