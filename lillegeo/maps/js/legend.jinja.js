var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
{{ this.get_name() }}.onAdd = function (map) {
    var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
    div.innerHTML = {{ this.html|tojson }};
    div.setAttribute("data-lillegeo", {{ this.role|tojson }});
    L.DomEvent.disableClickPropagation(div);
    return div;
};
var {{ this.get_name() }}_layer = new (L.Layer.extend({
    onAdd: function (map) { {{ this.get_name() }}.addTo(map); },
    onRemove: function (map) { {{ this.get_name() }}.remove(); }
}))();
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }}_layer);
