L.control.scale({metric: true, imperial: false}).addTo({{ this._parent.get_name() }});
