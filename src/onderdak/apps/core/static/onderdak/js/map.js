/* Onderdak maps: boundaries from the reference data always; background tiles when reachable.
 * Reads its data from <script type="application/json" id="map-data"> (no inline script, CSP).
 * Features may carry properties.color (fill/stroke), properties.label (tooltip) and
 * properties.url (a click opens it); points are drawn as circles. */
(function () {
  "use strict";
  function style(feature) {
    var color = (feature.properties && feature.properties.color) || "#24578f";
    return { color: color, weight: 3, fillColor: color, fillOpacity: 0.15 };
  }
  function init() {
    var element = document.getElementById("map");
    var source = document.getElementById("map-data");
    if (!element || !source || typeof L === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: data.attribution }).addTo(map);
    }
    var layer = L.geoJSON({ type: "FeatureCollection", features: data.features || [] }, {
      style: style,
      pointToLayer: function (feature, latlng) {
        var s = style(feature);
        return L.circleMarker(latlng, { radius: 8, color: "#1a1a1a", weight: 1.5, fillColor: s.fillColor, fillOpacity: 0.9 });
      },
      onEachFeature: function (feature, featureLayer) {
        var p = feature.properties || {};
        featureLayer.bindTooltip(p.label || (p.name + " (" + p.code + ")"));
        if (p.url) { featureLayer.on("click", function () { window.location.href = p.url; }); }
      }
    }).addTo(map);
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { padding: [12, 12], maxZoom: 15 });
    } else {
      map.setView([52.2, 5.3], 7);
    }
    element.setAttribute("data-map-ready", String(layer.getLayers().length));
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
