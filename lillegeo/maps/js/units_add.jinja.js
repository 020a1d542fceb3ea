var {{ this.get_name() }} = {{ this.js }}({{ this.geoms }}, {{ this.payload }});
{% if not this.painted %}{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});{% endif %}
