(function (map, bounds) {
  var c = map.getContainer(), touched = false, w = c.clientWidth, h = c.clientHeight;
  ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (e) {
    c.addEventListener(e, function () { touched = true; }, {passive: true});
  });
  function check() {  /* refit while the person has not moved the map themselves */
    if (touched || !(c.clientWidth > 0 && c.clientHeight > 0) || (c.clientWidth === w && c.clientHeight === h)) return;
    w = c.clientWidth; h = c.clientHeight;
    map.invalidateSize(false); map.fitBounds(bounds);
  }
  if (window.ResizeObserver) new ResizeObserver(check).observe(c);
  window.addEventListener("resize", check);
})({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
