var {{ this.get_name() }} = {{ this.js }}({{ this.target.get_name() }}, {{ this.payload }});
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
