/* Onderdak maps: boundaries from the reference data always; background tiles when reachable.
 * Reads its data from <script type="application/json" id="map-data"> (no inline script, CSP). */
(function () {
  "use strict";
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
      style: function () { return { color: "#24578f", weight: 3, fillColor: "#24578f", fillOpacity: 0.12 }; },
      onEachFeature: function (feature, featureLayer) {
        featureLayer.bindTooltip(feature.properties.name + " (" + feature.properties.code + ")");
      }
    }).addTo(map);
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { padding: [12, 12] });
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
